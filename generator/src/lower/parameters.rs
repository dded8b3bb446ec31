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

/// One parameter as declared, with where it sits in the document.
pub struct Declared<'d> {
    pub data: &'d ParameterData,
    pub location: Location,
    pub style: ParamStyle,
    pub at: Pointer,
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
        .map(|(i, p)| (p, path_at.join("parameters").join(i)))
        .chain(operation.parameters.iter().enumerate().map(|(i, p)| (p, at.join("parameters").join(i))));
    for (parameter, param_at) in declared {
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
        let declared = Declared { data, location, style, at: param_at };
        match merged.iter_mut().find(|d| d.data.name == data.name && d.location == location) {
            Some(slot) => *slot = declared,
            None => merged.push(declared),
        }
    }
    Ok(merged)
}
