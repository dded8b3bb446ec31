//! `multipart/form-data` bodies: the files a caller uploads, and the form the generated form
//! types fill in, built anew for every attempt so that a failed upload can be sent again.

use std::fmt;
use std::path::Path;

use bytes::Bytes;
use serde::Serialize;

use crate::request::FormSource;
use crate::{Error, ToParam};

/// A file sent as one part of a `multipart/form-data` body.
///
/// Its content is either held in memory ([`FilePart::bytes`], [`FilePart::read`]), which lets
/// a failed call be retried with the whole file again, or read from a stream as it is sent
/// ([`FilePart::open`], [`FilePart::reader`]), which cannot be sent twice: a call with such a
/// part is not retried.
///
/// ```
/// # fn example() -> std::io::Result<()> {
/// use keycardai_api::FilePart;
///
/// let inline = FilePart::bytes("name,size\nkey,3\n").file_name("keys.csv").content_type("text/csv");
/// let from_disk = FilePart::read("Cargo.toml")?;
/// # Ok(())
/// # }
/// ```
pub struct FilePart {
    content: Content,
    file_name: Option<String>,
    content_type: Option<String>,
}

enum Content {
    Bytes(Bytes),
    /// Taken by the first attempt.
    Stream(Option<reqwest::Body>),
}

impl FilePart {
    /// A file whose content is in memory: `Vec<u8>`, `&'static [u8]`, `String`, [`Bytes`].
    pub fn bytes(content: impl Into<Bytes>) -> Self {
        Self { content: Content::Bytes(content.into()), file_name: None, content_type: None }
    }

    /// Reads the file at `path` into memory, named after its last path component.
    pub fn read(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        Ok(Self::bytes(std::fs::read(path)?).named_after(path))
    }

    /// Streams the file at `path` while it is sent, named after its last path component; the
    /// call is not retried.
    pub async fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        Ok(Self::reader(file).named_after(path))
    }

    /// Streams what `reader` gives while it is sent; the call is not retried.
    pub fn reader(reader: impl tokio::io::AsyncRead + Send + 'static) -> Self {
        let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader));
        Self { content: Content::Stream(Some(body)), file_name: None, content_type: None }
    }

    /// The file name sent with the part. Without one, the part's name is sent: many servers
    /// take a part for a file only when it has a file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type, e.g. `image/png`. Without one, the type the API document gives
    /// the part is sent, or else `application/octet-stream`.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    fn named_after(self, path: &Path) -> Self {
        match path.file_name() {
            Some(name) => self.file_name(name.to_string_lossy()),
            None => self,
        }
    }
}

/// Names and sizes only: a file's content may be anything.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("FilePart");
        debug.field("file_name", &self.file_name).field("content_type", &self.content_type);
        match &self.content {
            Content::Bytes(bytes) => debug.field("len", &bytes.len()),
            Content::Stream(_) => debug.field("len", &format_args!("streamed")),
        };
        debug.finish()
    }
}

/// The parts of a form, in the order the form type declares them.
#[derive(Default)]
pub(crate) struct Form {
    parts: Vec<(&'static str, Part)>,
    /// The first part that could not be encoded.
    problem: Option<Error>,
}

enum Part {
    Text(String),
    /// A JSON value in a part of its own.
    Json { text: String, content_type: &'static str },
    File { file: FilePart, default_content_type: &'static str },
}

// Which of these a crate uses depends on the parts its forms have.
#[allow(dead_code)]
impl Form {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn text<V: ToParam + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.parts.push((name, Part::Text(value.to_param())));
    }

    /// A list of text values: a part each, all with the same name.
    pub(crate) fn texts<V: ToParam>(&mut self, name: &'static str, values: &[V]) {
        for value in values {
            self.text(name, value);
        }
    }

    pub(crate) fn json<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V, content_type: &'static str) {
        match serde_json::to_string(value) {
            Ok(text) => self.parts.push((name, Part::Json { text, content_type })),
            Err(err) => {
                self.problem.get_or_insert(Error::invalid(name, format!("cannot be serialized as JSON: {err}")));
            }
        }
    }

    pub(crate) fn file(&mut self, name: &'static str, file: FilePart, default_content_type: &'static str) {
        self.parts.push((name, Part::File { file, default_content_type }));
    }

    /// Several files: a part each, all with the same name.
    pub(crate) fn files(&mut self, name: &'static str, files: Vec<FilePart>, default_content_type: &'static str) {
        for file in files {
            self.file(name, file, default_content_type);
        }
    }

    /// The first problem with the form, found before anything is sent.
    pub(crate) fn check(&mut self) -> Result<(), Error> {
        if let Some(problem) = self.problem.take() {
            return Err(problem);
        }
        for (name, part) in &self.parts {
            let Some(media_type) = part.media_type() else { continue };
            // The same parser that builds the part later decides.
            if reqwest::multipart::Part::text("").mime_str(media_type).is_err() {
                return Err(Error::invalid(*name, format!("has a content type that is not a media type: `{media_type}`")));
            }
        }
        Ok(())
    }
}

impl Part {
    /// The `Content-Type` the part is sent with; none for text.
    fn media_type(&self) -> Option<&str> {
        match self {
            Part::Text(_) => None,
            Part::Json { content_type, .. } => Some(content_type),
            Part::File { file, default_content_type } => Some(file.content_type.as_deref().unwrap_or(default_content_type)),
        }
    }
}

impl FormSource for Form {
    fn attach(&mut self, builder: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &mut self.parts {
            let name: &'static str = name;
            let built = match part {
                Part::Text(text) | Part::Json { text, .. } => reqwest::multipart::Part::text(text.clone()),
                Part::File { file, .. } => {
                    let built = match &mut file.content {
                        Content::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(
                            reqwest::Body::from(bytes.clone()),
                            bytes.len() as u64,
                        ),
                        Content::Stream(body) => match body.take() {
                            Some(body) => reqwest::multipart::Part::stream(body),
                            None => return Err(Error::invalid(name, "was streamed already and cannot be sent again")),
                        },
                    };
                    built.file_name(file.file_name.clone().unwrap_or_else(|| name.to_owned()))
                }
            };
            let built = match part.media_type() {
                // `check` has refused a media type this would not parse.
                Some(media_type) => built.mime_str(media_type).map_err(|_| invalid_type(name))?,
                None => built,
            };
            form = form.part(name, built);
        }
        Ok(builder.multipart(form))
    }

    fn rebuildable(&self) -> bool {
        self.parts.iter().all(|(_, part)| !matches!(part, Part::File { file: FilePart { content: Content::Stream(_), .. }, .. }))
    }
}

fn invalid_type(name: &str) -> Error {
    Error::invalid(name, "has a content type that is not a media type")
}

/// A form the caller built with reqwest: sent once, never retried.
impl FormSource for Option<reqwest::multipart::Form> {
    fn attach(&mut self, builder: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
        match self.take() {
            Some(form) => Ok(builder.multipart(form)),
            None => Err(Error::invalid("form", "was sent already and cannot be sent again")),
        }
    }

    fn rebuildable(&self) -> bool {
        false
    }
}

// Unused in a crate whose forms are all untyped (their schemas name no parts).
#[allow(dead_code)]
impl crate::request::Request {
    /// The body of a generated form type: checked now, built for each attempt.
    pub(crate) fn multipart_form(&mut self, mut form: Form) {
        self.check(form.check());
        self.multipart_body(form);
    }
}
