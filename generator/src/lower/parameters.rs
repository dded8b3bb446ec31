//! Parameters: path-level ones merged with the operation's, where each goes, and how it is
//! serialized.

use openapiv3::{
    CookieStyle, HeaderStyle, Operation as OpenApiOperation, Parameter, ParameterData,
    ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle,
};

use super::refs;
use super::schemas::SchemaRef;
use super::Ctx;
use crate::error::{Error, Pointer};
use crate::ir::{ParamStyle, TypeRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    fn describe(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// One parameter as declared, with where it sits in the document.
pub struct Declared<'d> {
    pub data: &'d ParameterData,
    pub location: Location,
    pub style: ParamStyle,
    pub at: Pointer,
    /// Declared on the operation rather than on its path item.
    pub from_operation: bool,
}

impl<'d> Declared<'d> {
    /// `explode` defaults to true for `form` and false for every other style.
    pub fn explode(&self) -> bool {
        self.data.explode.unwrap_or(self.style == ParamStyle::Form)
    }

    /// The parameter's schema, from `schema` or from its single `content` entry.
    pub fn schema(&self) -> (Option<SchemaRef<'d>>, Pointer) {
        match &self.data.format {
            ParameterSchemaOrContent::Schema(schema) => (Some(schema.into()), self.at.join("schema")),
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, media_type)) => (
                    media_type.schema.as_ref().map(SchemaRef::from),
                    self.at.join("content").join(media).join("schema"),
                ),
                None => (None, self.at.clone()),
            },
        }
    }

    /// Declared with `content` (a media type) rather than `schema`: sent as JSON text.
    pub fn is_content(&self) -> bool {
        matches!(self.data.format, ParameterSchemaOrContent::Content(_))
    }

    /// An optional `uuid` header named like `*-request-id`: the client fills it with a fresh
    /// UUID per call and keeps it across retries, so the server can recognise a retried
    /// request.
    pub fn is_request_id_header(&self, ty: &TypeRef) -> bool {
        self.location == Location::Header
            && !self.data.required
            && *ty == TypeRef::Uuid
            && self.data.name.to_ascii_lowercase().ends_with("request-id")
    }
}

/// Path-level parameters overridden by operation-level ones of the same name and location.
pub fn merged_parameters<'d>(
    ctx: &Ctx<'d>,
    item: &'d PathItem,
    operation: &'d OpenApiOperation,
    path_at: &Pointer,
    at: &Pointer,
) -> Result<Vec<Declared<'d>>, Error> {
    let mut merged: Vec<Declared<'d>> = Vec::new();
    let declared = item
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, path_at.join("parameters").join(i), false))
        .chain(
            operation.parameters.iter().enumerate().map(|(i, p)| (p, at.join("parameters").join(i), true)),
        );
    for (parameter, param_at, from_operation) in declared {
        let (parameter, param_at) = refs::resolve(ctx, parameter, &param_at)?;
        let (data, location, style) = match parameter {
            Parameter::Path { parameter_data, style } => (
                parameter_data,
                Location::Path,
                match style {
                    PathStyle::Simple => ParamStyle::Simple,
                    PathStyle::Matrix => ParamStyle::Matrix,
                    PathStyle::Label => ParamStyle::Label,
                },
            ),
            Parameter::Query { parameter_data, style, .. } => (
                parameter_data,
                Location::Query,
                match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                },
            ),
            Parameter::Header { parameter_data, style: HeaderStyle::Simple } => {
                (parameter_data, Location::Header, ParamStyle::Simple)
            }
            Parameter::Cookie { parameter_data, style: CookieStyle::Form } => {
                (parameter_data, Location::Cookie, ParamStyle::Form)
            }
        };
        if location == Location::Path && !data.required {
            return Err(Error::Invalid {
                origin: ctx.origin.to_owned(),
                pointer: param_at.clone(),
                message: format!("path parameter `{}` must be `required: true`", data.name),
            });
        }
        let declared = Declared { data, location, style, at: param_at, from_operation };
        match merged.iter_mut().find(|d| d.data.name == data.name && d.location == location) {
            // The operation's own list overrides the path item's; one list may not repeat itself.
            Some(slot) if slot.from_operation == declared.from_operation => {
                return Err(Error::Invalid {
                    origin: ctx.origin.to_owned(),
                    pointer: declared.at,
                    message: format!(
                        "{} parameter `{}` is declared twice in one list (first at {}); name and location must be unique",
                        location.describe(),
                        data.name,
                        slot.at
                    ),
                });
            }
            Some(slot) => *slot = declared,
            None => merged.push(declared),
        }
    }
    Ok(merged)
}
