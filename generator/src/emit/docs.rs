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
    let text = fence_indented_code(&printable(text));
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
    // A bare carriage return is a line break to the text's author.
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| {
            let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
            !bidi && (!c.is_control() || c == '\n' || c == '\t')
        })
        .collect::<String>()
        // Tabs in doc comments render unpredictably (and clippy flags them).
        .replace('\t', "    ")
}

/// Markdown's indented code blocks as ```` ```text ```` fences: rustdoc would compile an indented
/// block as a doctest, and spec text is rarely Rust.
fn fence_indented_code(text: &str) -> String {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    let blocks: Vec<std::ops::Range<usize>> = Parser::new(text)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(range),
            _ => None,
        })
        .collect();
    if blocks.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + blocks.len() * 16);
    let mut copied = 0;
    for block in blocks {
        // From the start of the block's first line to the end of its last.
        let start = text[..block.start].rfind('\n').map_or(0, |i| i + 1).max(copied);
        let body = text[start..block.end.max(start)].trim_end_matches('\n');
        let end = start + body.len();
        let indent = body
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start().len())
            .min()
            .unwrap_or(4);
        // Where the block sat (inside a list item, say), but never 4 spaces or more: a fence
        // indented that far would itself be an indented code block.
        let outer = " ".repeat(indent.saturating_sub(4).min(3));
        out.push_str(&text[copied..start]);
        out.push_str(&format!("{outer}```text\n"));
        for line in body.lines() {
            out.push_str(&format!("{outer}{}\n", line.get(indent..).unwrap_or("").trim_end()));
        }
        out.push_str(&format!("{outer}```"));
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The fence (` ``` ` or `~~~`) a line opens or closes, and its info string.
fn fence_of(line: &str) -> Option<(&'static str, &str)> {
    let trimmed = line.trim_start();
    ["```", "~~~"].into_iter().find_map(|fence| trimmed.strip_prefix(fence).map(|info| (fence, info.trim())))
}

/// `docs`, or `fallback` where the document gives none or only blanks (`description: ""`), so
/// that every public item is documented.
pub fn docs_or<'a>(docs: Option<&'a str>, fallback: &'a str) -> &'a str {
    docs.filter(|text| !text.trim().is_empty()).unwrap_or(fallback)
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
    fn indented_code_becomes_a_text_fence() {
        let text = "Call it like this:\n\n    let x = call();\n      x.go()\n\nThen done.";
        assert_eq!(
            doc_lines(text),
            [
                " Call it like this:",
                "",
                " ```text",
                " let x = call();",
                "   x.go()",
                " ```",
                "",
                " Then done."
            ]
        );
        // In a list item, the code sits deeper and the fence with it.
        let listed = doc_lines("- item\n\n        code\n");
        assert_eq!(listed, [" - item", "", "    ```text", "    code", "    ```"]);
        // However deep the block, the fence stays a fence.
        assert_eq!(
            doc_lines("Values:\n\n         * a\n"),
            [" Values:", "", "    ```text", "    * a", "    ```"]
        );
        // Indented lines inside a paragraph are not code.
        assert_eq!(doc_lines("a\n    b"), [" a", "     b"]);
    }

    #[test]
    fn fences_that_rustdoc_would_test_become_text() {
        assert_eq!(doc_lines("```\nx\n```"), [" ```text", " x", " ```"]);
        assert_eq!(doc_lines("```rust\nx"), [" ```text", " x"]);
        assert_eq!(doc_lines("```json"), [" ```json"]);
    }
}
