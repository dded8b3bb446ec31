//! The report as people read it: a few lines per change on the terminal, a table in Markdown
//! (for a pull request or a changelog), both with the suggested version bump.

use std::fmt::Write as _;

use crate::Pointer;

use super::{Entry, Report, Source, Wire};

/// The semver bump the crate needs, from the worst source verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The line of `pointer` in `text`, or of the nearest place above it that is there (a field
/// merged in by `allOf` is not under its type's `properties`).
pub(super) fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let tokens: Vec<String> = Pointer::from_ref(pointer)?.tokens().collect();
    (1..=tokens.len()).rev().find_map(|count| {
        let at = tokens[..count].iter().fold(Pointer::root(), |p, token| p.join(token));
        crate::locate::position(text, &at).map(|(line, _)| line)
    })
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The bump the changes need; `None` when there are none.
    pub fn bump(&self) -> Option<Bump> {
        self.entries
            .iter()
            .map(|entry| match entry.source {
                Source::Breaking => Bump::Major,
                Source::Compatible => Bump::Minor,
                Source::None => Bump::Patch,
            })
            .max()
    }

    /// The version after the bump, as Cargo reads versions: in a `0.y.z` crate, `y` is the
    /// number a breaking change moves and `z` the one an addition moves.
    pub fn next_version(&self) -> Option<String> {
        let bump = self.bump()?;
        let core = self.crate_version.split(['-', '+']).next().unwrap_or_default();
        let numbers: Vec<u64> = core.split('.').map(str::parse).collect::<Result<_, _>>().ok()?;
        let [major, minor, patch] = numbers[..] else { return None };
        Some(match (major, bump) {
            (0, Bump::Major) => format!("0.{}.0", minor + 1),
            (0, _) => format!("0.{minor}.{}", patch + 1),
            (_, Bump::Major) => format!("{}.0.0", major + 1),
            (_, Bump::Minor) => format!("{major}.{}.0", minor + 1),
            (_, Bump::Patch) => format!("{major}.{minor}.{}", patch + 1),
        })
    }

    /// The suggested bump in words: `major (0.1.0 -> 0.2.0, ...)`.
    fn bump_text(&self, arrow: &str, strong: &str) -> String {
        let Some(bump) = self.bump() else { return String::new() };
        let mut text = format!("{strong}{}{strong}", bump.as_str());
        if let Some(next) = self.next_version() {
            let _ = write!(text, " ({} {arrow} {next}", self.crate_version);
            if self.crate_version.starts_with("0.") && bump != Bump::Patch {
                let position = if bump == Bump::Major { "second" } else { "third" };
                let _ = write!(
                    text,
                    ": in a 0.x crate, Cargo reads the {position} number as the {} one",
                    bump.as_str()
                );
            }
            text.push(')');
        }
        text
    }

    fn versions(&self) -> String {
        let (old, new) = &self.api_versions;
        if old == new {
            format!("API version {new}")
        } else {
            format!("API version {old} -> {new}")
        }
    }

    /// Where an entry is, for people: `spec/openapi.yaml:312 #/components/...`, or where it was.
    fn location(&self, entry: &Entry) -> Option<String> {
        let pointer = &entry.change.pointer;
        if pointer.is_empty() {
            return None;
        }
        Some(match (entry.change.in_old_document, entry.line) {
            (true, _) => format!("was at {pointer}"),
            (false, Some(line)) => format!("{}:{line} {pointer}", self.spec_path),
            (false, None) => pointer.clone(),
        })
    }

    /// The report for a terminal: nothing at all when nothing changed.
    pub fn to_text(&self) -> String {
        if self.is_empty() {
            return String::new();
        }
        let mut text = format!(
            "API changes in {} ({}, {}): {}; suggested version bump: {}\n",
            self.crate_name,
            self.spec_path,
            self.versions(),
            count(self.entries.len()),
            self.bump_text("->", ""),
        );
        for entry in &self.entries {
            let change = &entry.change;
            let _ = writeln!(
                text,
                "- source {}, wire {}: {}: {} ({})",
                entry.source.as_str(),
                entry.wire.as_str(),
                change.kind.words(),
                one_line(&change.subject),
                one_line(&change.detail),
            );
            if let Some(location) = self.location(entry) {
                let _ = writeln!(text, "    {location}");
            }
            let _ = writeln!(text, "    {}", entry.why);
        }
        text
    }

    /// The report in Markdown, for a pull request or a changelog.
    pub fn to_markdown(&self) -> String {
        let mut text = format!("## API changes in `{}`\n\n", self.crate_name);
        if self.is_empty() {
            let _ = writeln!(text, "No changes to the API ({}, {}).", self.spec_path, self.versions());
            return text;
        }
        let _ = writeln!(
            text,
            "Compared with the previous generation: `{}`, {}; {}.\n\nSuggested version bump: {}.\n",
            self.spec_path,
            self.versions(),
            count(self.entries.len()),
            self.bump_text("→", "**"),
        );
        text.push_str(
            "*Source*: does Rust code using the crate still compile? *Wire*: do clients already deployed still work against the changed server?\n\n",
        );
        text.push_str("| Change | Rust | Spec | Source | Wire | Why |\n|---|---|---|---|---|---|\n");
        for entry in &self.entries {
            let change = &entry.change;
            let location = self.location(entry).unwrap_or_default();
            let _ = writeln!(
                text,
                "| {} | `{}`: {} | {} | {} | {} | {} |",
                cell(&change.kind.words()),
                cell(&one_line(&change.subject)),
                cell(&one_line(&change.detail)),
                cell(&location),
                emphasised(entry.source.as_str(), entry.source == Source::Breaking),
                emphasised(entry.wire.as_str(), entry.wire == Wire::Breaking),
                cell(&entry.why),
            );
        }
        text
    }
}

/// Text from the document (an enum value, a URL) on one line, its control characters escaped, so
/// it cannot break the report's layout or a terminal.
fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            let shown: Vec<char> = if escape { c.escape_unicode().collect() } else { vec![c] };
            shown
        })
        .collect()
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 change".to_owned()
    } else {
        format!("{n} changes")
    }
}

/// Text that cannot end a table cell or a line early, and whose `<T>` outside code spans is
/// not read as an HTML tag.
fn cell(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                escaped.push(c);
            }
            '|' => escaped.push_str("\\|"),
            '\n' => escaped.push(' '),
            '<' if !in_code => escaped.push_str("&lt;"),
            '>' if !in_code => escaped.push_str("&gt;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

fn emphasised(text: &str, strong: bool) -> String {
    if strong {
        format!("**{text}**")
    } else {
        text.to_owned()
    }
}
