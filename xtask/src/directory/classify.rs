//! Refusals grouped by what their message says, and whether the fault is the document's (a
//! real defect) or the generator's (a valid construct it cannot handle yet). The rules were
//! written by reading every refusal of the pinned directory; a message no rule knows is
//! `Unknown` and the run says so.

/// Whose fault a refusal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Blame {
    /// The document breaks the OpenAPI specification.
    Document,
    /// The document is valid; the generator does not support what it uses.
    Generator,
    /// No rule recognises the message: read it and add one.
    Unknown,
}

impl Blame {
    pub fn label(self) -> &'static str {
        match self {
            Blame::Document => "document defect",
            Blame::Generator => "generator limitation",
            Blame::Unknown => "unclassified",
        }
    }
}

/// A group of refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Class {
    pub blame: Blame,
    pub name: &'static str,
}

const fn class(blame: Blame, name: &'static str) -> Class {
    Class { blame, name }
}

/// The class of a refusal, from the first line of its message.
pub fn classify(message: &str) -> Class {
    use Blame::{Document, Generator, Unknown};
    if message.contains("this is a Swagger 2.0 document") {
        return class(Document, "Swagger 2.0, not OpenAPI 3");
    }
    if message.contains("is not supported; this generator reads OpenAPI") {
        return class(Generator, "OpenAPI version not supported");
    }
    if let Some(reason) = unresolved_reference(message) {
        return if reason.starts_with("references to other files or URLs") {
            // The directory publishes each document as one file: the target was never published.
            class(Document, "`$ref` to a file or URL that is not published with the document")
        } else if reason.starts_with("this points at") {
            class(Document, "`$ref` to the wrong kind of thing (a parameter where a schema is due)")
        } else if reason.starts_with("there is no") || reason.starts_with("nothing in the document is at") {
            class(Document, "`$ref` to nothing")
        } else if reason.starts_with("the references go round") {
            class(Document, "`$ref`s in a circle")
        } else {
            class(Unknown, "other `$ref`")
        };
    }
    if message.contains("but no path parameter") {
        return class(Document, "path template names a parameter that is not declared `in: path`");
    }
    if message.contains("/type: `type` is ") {
        return class(Document, "`type` that names no type");
    }
    if ["not valid JSON", "not valid YAML", "not valid UTF-8"].iter().any(|syntax| message.contains(syntax)) {
        return class(Document, "not valid JSON, YAML or UTF-8");
    }
    if [": invalid type: ", ": unknown variant ", ": missing field "]
        .iter()
        .any(|shape| message.contains(shape))
    {
        return class(Document, "a field of the wrong type or shape");
    }
    class(Unknown, "other")
}

/// Whether a refusal says where: a JSON pointer (`#/...`) or a line and column.
pub fn is_located(message: &str) -> bool {
    message.contains(": #/")
        || message
            .split(':')
            .collect::<Vec<_>>()
            .windows(2)
            .any(|pair| pair.iter().all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit())))
}

/// The reason of "`` `$ref: #/x` does not resolve: <reason> ``".
fn unresolved_reference(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("`$ref: ")?;
    let (_reference, rest) = rest.split_once('`')?;
    rest.strip_prefix(" does not resolve: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The messages are real ones from the pinned directory.
    #[test]
    fn refusals_are_classified_by_their_message() {
        let cases = [
            (
                "x.yaml:1:1: #/openapi: OpenAPI 3.2.0 is not supported; this generator reads OpenAPI 3.0.x and 3.1.x documents",
                Blame::Generator,
                "version",
            ),
            (
                "enode.io.json:1:29773: #/paths/~1vehicles/get/parameters/0/schema/items/$ref: `$ref: #/paths/~1vehicles~1%7BvehicleId%7D/get/parameters/1` does not resolve: this points at a parameter, but a schema is due here",
                Blame::Document,
                "wrong kind",
            ),
            (
                "swaggerhub.com.json:1:38595: #/paths/~1apis~1{owner}~1{api}~1{version}~1standardization/get/responses/400/$ref: `$ref: #/components/schemas/BadRequest` does not resolve: this points at a schema, but a response is due here",
                Blame::Document,
                "wrong kind",
            ),
            (
                "x.yaml:12:24: #/paths/~1things/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Missing` does not resolve: there is no `Missing` in `components/schemas`",
                Blame::Document,
                "nothing",
            ),
            (
                "x.yaml:7:19: #/paths/~1s/post/callbacks/changed/$ref: `$ref: https://example.com/callbacks.yaml#/Changed` does not resolve: references to other files or URLs are not supported; inline the callback",
                Blame::Document,
                "not published",
            ),
            (
                "medium.com.json:1:16609: #/paths/~1search~1articles?query={query}: path template `/search/articles?query={query}` names `{query}`, but no path parameter `query` is declared",
                Blame::Document,
                "path template",
            ),
            (
                "codat.io/accounting.json:1:1140512: #/components/schemas/Item/definitions/itemType/type: `type` is an object; it must name a type (`string`, `integer`, `object`...) or, in OpenAPI 3.1, list names",
                Blame::Document,
                "names no type",
            ),
            (
                "api.video.json:1:125994: #/components/schemas/video-thumbnail-pick-payload: invalid type: integer `0`, expected a string",
                Blame::Document,
                "wrong type",
            ),
            ("something new", Blame::Unknown, "other"),
        ];
        for (message, blame, name) in cases {
            let class = classify(message);
            assert_eq!(class.blame, blame, "{message}");
            assert!(class.name.contains(name), "{message}: {}", class.name);
        }
    }

    #[test]
    fn located_messages_have_a_pointer_or_a_position() {
        assert!(is_located("x.json:1:2: #/openapi: no"));
        assert!(is_located("x.yaml:3:4: not valid YAML: tab"));
        assert!(!is_located("x.json: something went wrong"));
    }
}
