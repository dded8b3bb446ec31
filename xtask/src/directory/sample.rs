//! The sample of documents whose crates are compiled: a fixed rule, so that the same
//! directory always gives the same sample.

use super::corpus::Document;

/// Every `EVERY`th document by name (byte order), starting with the first...
pub const EVERY: usize = 15;
/// ...except documents over this size: their crates are hundreds of thousands of lines, and
/// checking one takes minutes and many GB of memory (GitHub's 13 MB document: 4 minutes and
/// 12 GB), more than a shared 2-core machine has to spare for one crate.
pub const MAX_BYTES: u64 = 3_000_000;
/// Plus the `LARGEST` largest documents of at most `LARGEST_MAX_BYTES`...
pub const LARGEST: usize = 20;
pub const LARGEST_MAX_BYTES: u64 = 1_000_000;
/// Plus every document whose `openapi` version starts with this, whatever its size.
pub const EVERY_OF_VERSION: &str = "3.1";

/// The rule in words, for the results and `--help`.
pub fn rule() -> String {
    format!(
        "every {EVERY}th document by sorted path (the 1st, the {}th, ...) unless it is over {} MB, \
         plus the {LARGEST} largest documents of at most {} MB, plus every OpenAPI {EVERY_OF_VERSION} document",
        EVERY + 1,
        MAX_BYTES / 1_000_000,
        LARGEST_MAX_BYTES / 1_000_000,
    )
}

/// Why a document is in the sample (it can be for several reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    Every,
    Largest,
    Version,
}

impl Reason {
    pub fn label(self) -> String {
        match self {
            Reason::Every => format!("every-{EVERY}th"),
            Reason::Largest => "largest".to_owned(),
            Reason::Version => format!("openapi-{EVERY_OF_VERSION}"),
        }
    }
}

/// For each document (sorted by name, as [`super::corpus::list`] gives them), why it is in the
/// sample; empty if it is not. `versions[i]` is document `i`'s `openapi` field.
pub fn choose(documents: &[Document], versions: &[String]) -> Vec<Vec<Reason>> {
    let mut reasons = vec![Vec::new(); documents.len()];
    for (i, document) in documents.iter().enumerate() {
        if i % EVERY == 0 && document.size <= MAX_BYTES {
            reasons[i].push(Reason::Every);
        }
    }
    let mut by_size: Vec<usize> =
        (0..documents.len()).filter(|&i| documents[i].size <= LARGEST_MAX_BYTES).collect();
    // Ties broken by name, so the choice never depends on the order files were listed in.
    by_size.sort_by(|&a, &b| {
        documents[b].size.cmp(&documents[a].size).then(documents[a].name.cmp(&documents[b].name))
    });
    for &i in by_size.iter().take(LARGEST) {
        reasons[i].push(Reason::Largest);
    }
    for (i, version) in versions.iter().enumerate() {
        if version.starts_with(EVERY_OF_VERSION) {
            reasons[i].push(Reason::Version);
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn document(i: usize, size: u64) -> Document {
        let name = format!("{i:04}.json");
        Document { file: PathBuf::from(&name), crate_name: format!("dir-{i:04}"), name, size }
    }

    #[test]
    fn the_rule_picks_every_nth_the_largest_and_a_version() {
        let mut documents: Vec<Document> = (0..100).map(|i| document(i, 1000 + i as u64)).collect();
        documents[30].size = MAX_BYTES + 1; // would be every 15th, but too large
        documents[50].size = LARGEST_MAX_BYTES; // the largest allowed
        let mut versions = vec!["3.0.0".to_owned(); 100];
        versions[7] = "3.1.0".to_owned();
        let reasons = choose(&documents, &versions);
        assert_eq!(reasons[0], [Reason::Every]);
        assert_eq!(reasons[15], [Reason::Every]);
        assert!(reasons[30].is_empty());
        assert_eq!(reasons[50], [Reason::Largest]);
        assert_eq!(reasons[99], [Reason::Largest]);
        assert_eq!(reasons[90], [Reason::Every, Reason::Largest]);
        assert_eq!(reasons[7], [Reason::Version]);
        assert_eq!(reasons.iter().filter(|r| r.contains(&Reason::Largest)).count(), LARGEST);
    }
}
