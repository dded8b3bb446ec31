//! Finding the line and column of a JSON pointer in the document's text, for error messages.
//! Only called when there is an error to report, so it re-reads the text with a parser that
//! keeps positions rather than making the main load path carry them.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::Pointer;

/// The 1-based line and column where `pointer` sits in `text` (YAML or JSON): the key of a
/// property, or the start of an item. `None` when the text does not parse or the pointer is
/// not there.
pub fn position(text: &str, pointer: &Pointer) -> Option<(usize, usize)> {
    let mut locator = Locator {
        target: pointer.tokens().collect(),
        frames: Vec::new(),
        found: None,
        pending_mapping: None,
    };
    let mut parser = Parser::new_from_str(text.strip_prefix('\u{feff}').unwrap_or(text));
    // A syntax error after the target was found does not matter; one before it means `None`.
    let _ = parser.load(&mut locator, false);
    locator.found
}

enum Frame {
    /// In a mapping; `Some(key)` while that key's value is being read.
    Map(Option<String>),
    /// In a sequence, at item `next`.
    Seq(usize),
}

struct Locator {
    target: Vec<String>,
    frames: Vec<Frame>,
    found: Option<(usize, usize)>,
    /// The target is a block mapping, whose start the parser marks late (at its first `:`):
    /// its first key is the better place. Holds the mapping's depth and its own mark.
    pending_mapping: Option<(usize, Marker)>,
}

impl Locator {
    fn at_key_position(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Map(None)))
    }

    /// Whether the path to the current value, extended by `extra`, is the target.
    fn path_is_target(&self, extra: Option<&str>) -> bool {
        let mut path = self.frames.iter().map(|frame| match frame {
            Frame::Map(Some(key)) => Some(key.clone()),
            Frame::Seq(next) => Some(next.to_string()),
            Frame::Map(None) => None,
        });
        let mut target = self.target.iter();
        loop {
            match (path.next(), target.next()) {
                (Some(Some(step)), Some(wanted)) if step == *wanted => continue,
                (Some(None), Some(wanted)) => {
                    return extra == Some(wanted.as_str()) && target.next().is_none()
                }
                (None, None) => return extra.is_none(),
                (None, Some(wanted)) => return extra == Some(wanted.as_str()) && target.next().is_none(),
                _ => return false,
            }
        }
    }

    fn found_at(&mut self, mark: Marker) {
        self.found.get_or_insert((mark.line(), mark.col() + 1));
    }

    fn value_done(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map(key)) => *key = None,
            Some(Frame::Seq(next)) => *next += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Locator {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.found.is_some() {
            return;
        }
        match event {
            Event::Scalar(value, ..) if self.at_key_position() => {
                if self.pending_mapping.is_some_and(|(depth, _)| depth == self.frames.len()) {
                    self.found_at(mark);
                    return;
                }
                if self.path_is_target(Some(&value)) {
                    self.found_at(mark);
                }
                if let Some(Frame::Map(key)) = self.frames.last_mut() {
                    *key = Some(value);
                }
            }
            Event::Scalar(..) | Event::Alias(_) => {
                if self.path_is_target(None) {
                    self.found_at(mark);
                }
                self.value_done();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                if !self.at_key_position() && self.path_is_target(None) {
                    if is_mapping {
                        self.pending_mapping = Some((self.frames.len() + 1, mark));
                    } else {
                        self.found_at(mark);
                    }
                }
                self.frames.push(if is_mapping { Frame::Map(None) } else { Frame::Seq(0) });
            }
            Event::MappingEnd
                if self.pending_mapping.is_some_and(|(depth, _)| depth == self.frames.len()) =>
            {
                let (_, start) = self.pending_mapping.expect("checked just above");
                self.found_at(start);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /things/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - name: q\n";

    #[test]
    fn finds_keys_and_items() {
        let at = |p: Pointer| position(YAML, &p);
        let paths = Pointer::root().join("paths");
        assert_eq!(at(paths.clone()), Some((2, 1)));
        assert_eq!(at(paths.join("/things/{id}").join("get")), Some((4, 5)));
        let params = paths.join("/things/{id}").join("get").join("parameters");
        assert_eq!(at(params.join(1)), Some((8, 11)));
        assert_eq!(at(params.join(1).join("name")), Some((8, 11)));
        assert_eq!(at(params.join(0).join("in")), Some((7, 11)));
        assert_eq!(at(params.join(2)), None);
    }

    #[test]
    fn finds_places_in_json() {
        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {}\n  }\n}";
        assert_eq!(position(json, &Pointer::root().join("paths").join("/a")), Some((4, 5)));
    }
}
