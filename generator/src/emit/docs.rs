//! Doc comments from spec text. The text goes into `#[doc = "..."]` string literals, so it
//! cannot inject code; here we only keep rustdoc from compiling code blocks in it.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, one per line, or nothing when there is no text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return TokenStream::new() };
    let lines = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

/// The lines of a doc comment, each with the leading space `///` comments have.
pub fn doc_lines(text: &str) -> Vec<String> {
    let text = printable(text);
    let mut open_fence: Option<&str> = None;
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            let line = match fence_of(line) {
                Some((fence, info)) if open_fence.is_none() => {
                    open_fence = Some(fence);
                    // Rustdoc would compile a block with no language, or a Rust one, as a doctest.
                    if info.is_empty() || info.split(',').any(|w| w.trim().starts_with("rust")) {
                        format!("{}{fence}text", &line[..line.len() - line.trim_start().len()])
                    } else {
                        line.to_owned()
                    }
                }
                Some((fence, _)) if open_fence == Some(fence) => {
                    open_fence = None;
                    line.to_owned()
                }
                _ => line.to_owned(),
            };
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Spec text without control characters (other than line breaks and tabs) and without the
/// bidirectional overrides that rustc refuses in comments (they can make code read other
/// than it runs).
fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
            !bidi && (!c.is_control() || c == '\n' || c == '\t')
        })
        .collect::<String>()
        // Tabs in doc comments render unpredictably (and clippy flags them).
        .replace('\t', "    ")
}

/// The fence (` ``` ` or `~~~`) a line opens or closes, and its info string.
fn fence_of(line: &str) -> Option<(&'static str, &str)> {
    let trimmed = line.trim_start();
    ["```", "~~~"].into_iter().find_map(|fence| trimmed.strip_prefix(fence).map(|info| (fence, info.trim())))
}

/// Joins paragraphs that are present, separated by a blank line.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let parts: Vec<&str> = parts.into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_dropped() {
        assert_eq!(doc_lines("a\u{0}b\u{202E}c\td"), [" abc    d"]);
    }

    #[test]
    fn fences_that_rustdoc_would_test_become_text() {
        assert_eq!(doc_lines("```\nx\n```"), [" ```text", " x", " ```"]);
        assert_eq!(doc_lines("```rust\nx"), [" ```text", " x"]);
        assert_eq!(doc_lines("```json"), [" ```json"]);
    }
}
