//! The edit corpus: each file of `fixtures/edits/` patches a fixture document, and its change
//! report must list exactly the entries the file expects, each with the source and wire
//! verdicts written there. The crate before and after is generated in memory; the report is
//! computed from the two records as `cargo xtask codegen` computes it.

use std::collections::BTreeSet;

use keycard_codegen::changes::{self, Report};
use keycard_codegen::{generate, Options};
use keycard_codegen_tests::edits::{load_all, Edit, Expected};
use keycard_codegen_tests::project_root;

/// The report of one edit.
fn report_of(edit: &Edit) -> Result<Report, String> {
    let root = project_root();
    let documents = edit.documents(&root)?;
    let options = Options { spec_path: edit.base.clone(), crate_name: "edited-client".to_owned() };
    let before = generate(&documents.before, &options).map_err(|err| format!("before: {err}"))?;
    let after = generate(&documents.after, &options).map_err(|err| format!("after: {err}"))?;
    Ok(changes::compare(&before.record, &after.record, Some(&documents.after), &edit.base))
}

fn entries(report: &Report) -> Vec<Expected> {
    let mut found: Vec<Expected> = report
        .entries
        .iter()
        .map(|entry| Expected {
            change: entry.change.kind.id().to_owned(),
            subject: entry.change.subject.clone(),
            source: entry.source.as_str().to_owned(),
            wire: entry.wire.as_str().to_owned(),
        })
        .collect();
    found.sort();
    found
}

fn show(entries: &[Expected]) -> String {
    entries
        .iter()
        .map(|e| format!("    {} {} (source {}, wire {})", e.change, e.subject, e.source, e.wire))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_edit_reports_the_expected_entries_and_verdicts() {
    let edits = load_all(&project_root()).expect("the edit corpus reads");
    assert!(edits.len() >= 40, "the corpus has {} edits; the issue asks for at least 40", edits.len());
    let mut failures = Vec::new();
    for edit in &edits {
        let report = match report_of(edit) {
            Ok(report) => report,
            Err(err) => {
                failures.push(format!("{}: {err}", edit.name));
                continue;
            }
        };
        let found = entries(&report);
        let mut expected = edit.expect.clone();
        expected.sort();
        if found != expected {
            failures.push(format!(
                "{}:\n  expected:\n{}\n  reported:\n{}",
                edit.name,
                show(&expected),
                show(&found)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} edits differ:\n{}",
        failures.len(),
        edits.len(),
        failures.join("\n")
    );
}

/// The corpus covers every kind of change the issue names, breaking and not, on both sides.
#[test]
fn the_corpus_covers_every_kind_of_change() {
    let edits = load_all(&project_root()).expect("the edit corpus reads");
    let expected: Vec<&Expected> = edits.iter().flat_map(|edit| &edit.expect).collect();
    let kinds: BTreeSet<&str> = expected.iter().map(|e| e.change.as_str()).collect();
    let required = [
        "operation-added",
        "operation-removed",
        "operation-renamed",
        "operation-moved",
        "operation-deprecated",
        "path-param-type-changed",
        "path-param-constraints-changed",
        "params-argument-added",
        "optional-param-added",
        "required-param-added",
        "param-removed",
        "param-became-required",
        "required-body-added",
        "optional-body-added",
        "body-removed",
        "body-became-optional",
        "body-encoding-changed",
        "response-type-changed",
        "error-type-changed",
        "error-body-changed",
        "events-added",
        "events-removed",
        "pagination-added",
        "pagination-removed",
        "type-added",
        "type-renamed",
        "type-kind-changed",
        "optional-field-added",
        "required-field-added",
        "field-removed",
        "field-became-required",
        "field-became-optional",
        "field-type-changed",
        "field-format-changed",
        "field-became-nullable",
        "field-became-clearable",
        "field-no-longer-clearable",
        "field-constraints-changed",
        "required-fields-reordered",
        "additional-properties-added",
        "enum-value-added",
        "enum-value-removed",
        "variant-added",
        "variant-removed",
        "tag-changed",
        "auth-changed",
        "token-url-changed",
        "base-url-changed",
        "env-prefix-changed",
    ];
    let missing: Vec<&str> = required.iter().copied().filter(|kind| !kinds.contains(kind)).collect();
    assert!(missing.is_empty(), "no edit covers: {missing:?}");
    for verdict in ["breaking", "compatible", "none"] {
        assert!(expected.iter().any(|e| e.source == verdict), "no edit whose source verdict is {verdict}");
        assert!(expected.iter().any(|e| e.wire == verdict), "no edit whose wire verdict is {verdict}");
    }
    let empty = edits.iter().filter(|edit| edit.expect.is_empty()).count();
    assert!(empty >= 1, "no edit that changes nothing in the API (a description, say)");
}

/// The Markdown of a few reports, as a pull request would show them.
#[test]
fn markdown_reports() {
    for name in ["06-acceptance-all-together", "01-description-only", "47-component-renamed"] {
        let edits = load_all(&project_root()).expect("the edit corpus reads");
        let edit = edits.iter().find(|edit| edit.name == name).expect("the edit exists");
        let report = report_of(edit).expect("the edit generates");
        insta::assert_snapshot!(format!("edit_report@{name}"), report.to_markdown());
    }
}
