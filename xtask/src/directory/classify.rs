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
    if message.contains("is not supported; this generator reads OpenAPI 3.0") {
        return class(Generator, "OpenAPI 3.1 (support under way)");
    }
    if message.contains("this is a Swagger 2.0 document") {
        return class(Document, "Swagger 2.0, not OpenAPI 3");
    }
    if let Some((reference, reason)) = unresolved_reference(message) {
        return if reason.starts_with("references to other files or URLs") {
            class(Generator, "`$ref` to another file or URL")
        } else if is_inner_pointer(reference) {
            class(Generator, "`$ref` to a place inside a component or a path (a valid JSON pointer)")
        } else if reason.starts_with("this points into") {
            class(Document, "`$ref` to the wrong kind of component")
        } else if reason.starts_with("there is no") {
            class(Document, "`$ref` to a component that does not exist")
        } else if reason.starts_with("the references go round") {
            class(Document, "`$ref`s in a circle")
        } else {
            class(Unknown, "other `$ref`")
        };
    }
    if message.contains("but no path parameter") {
        return class(Document, "path template names a parameter that is not declared `in: path`");
    }
    if message.contains("/callbacks/") && message.contains("/$ref: invalid type") {
        return class(Generator, "callback given as a `$ref`");
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

/// The reference and the reason of "`` `$ref: #/x` does not resolve: <reason> ``".
fn unresolved_reference(message: &str) -> Option<(&str, &str)> {
    let (_, rest) = message.split_once("`$ref: ")?;
    let (reference, rest) = rest.split_once('`')?;
    let reason = rest.strip_prefix(" does not resolve: ")?;
    Some((reference, reason))
}

/// A pointer below a component (`#/components/schemas/A/properties/b`) or into `paths`: valid
/// JSON pointers, which the generator only follows to whole components.
fn is_inner_pointer(reference: &str) -> bool {
    let Some(pointer) = reference.strip_prefix("#/") else { return false };
    pointer.starts_with("paths/") || (pointer.starts_with("components/") && pointer.split('/').count() > 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The messages are real ones from the pinned directory.
    #[test]
    fn refusals_are_classified_by_their_message() {
        let cases = [
            (
                "x.json:1:2: #/openapi: OpenAPI 3.1.0 is not supported; this generator reads OpenAPI 3.0.x documents",
                Blame::Generator,
                "OpenAPI 3.1",
            ),
            (
                "openai.com.json:1:53710: #/components/schemas/CreateAnswerRequest/properties/logit_bias/$ref: `$ref: #/components/schemas/CreateCompletionRequest/properties/logit_bias` does not resolve: only local references of the form `#/components/schemas/<name>` are supported here",
                Blame::Generator,
                "inside a component",
            ),
            (
                "nexmo.com/subaccounts.json:1:10064: #/paths/~1x/post/responses/404/content/application~1json/schema/oneOf/0/$ref: `$ref: #/components/responses/AccountIdNotFoundError/content/application~1json/schema` does not resolve: this points into `components/responses`, but a reference here must be `#/components/schemas/<name>`",
                Blame::Generator,
                "inside a component",
            ),
            (
                "rumble.run.json:1:39861: #/paths/~1x/post/responses/200/content/application~1json/schema/$ref: `$ref: #/components/responses/StatusMessage` does not resolve: this points into `components/responses`, but a reference here must be `#/components/schemas/<name>`",
                Blame::Document,
                "wrong kind",
            ),
            (
                "x.yaml:12:24: #/paths/~1things/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Missing` does not resolve: there is no `Missing` in `components/schemas`",
                Blame::Document,
                "does not exist",
            ),
            (
                "medium.com.json:1:16609: #/paths/~1search~1articles?query={query}: path template `/search/articles?query={query}` names `{query}`, but no path parameter `query` is declared",
                Blame::Document,
                "path template",
            ),
            (
                "cpy.re/peertube.json:1:34342: #/paths/~1x/get/callbacks/searchTarget === search-index/$ref: invalid type: string \"#/components/callbacks/searchIndex\", expected a mapping (an OpenAPI PathItem object)",
                Blame::Generator,
                "callback",
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
