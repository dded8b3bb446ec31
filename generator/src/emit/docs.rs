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
    text.lines()
        .map(|line| {
            let line = neutralize_fence(line.trim_end());
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// A code fence with no language, or a Rust one, would become a doctest of spec text.
fn neutralize_fence(line: &str) -> String {
    let trimmed = line.trim_start();
    for fence in ["```", "~~~"] {
        if let Some(info) = trimmed.strip_prefix(fence) {
            let info = info.trim();
            if info.is_empty() || info.starts_with("rust") || info.split(',').any(|w| w.trim() == "rust") {
                let indent = &line[..line.len() - trimmed.len()];
                return format!("{indent}{fence}text");
            }
        }
    }
    line.to_owned()
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
    fn fences_that_rustdoc_would_test_become_text() {
        assert_eq!(doc_lines("```\nx\n```"), [" ```text", " x", " ```"]);
        assert_eq!(doc_lines("```rust\nx"), [" ```text", " x"]);
        assert_eq!(doc_lines("```json"), [" ```json"]);
    }
}
