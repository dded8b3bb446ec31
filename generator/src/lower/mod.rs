//! Stage 2: the typed document to the plain-data IR, in named passes: operations (inline
//! schemas lowered as met, referenced components queued), then the component schemas (the
//! queue, and those nothing referenced), then recursion (boxing), then the document-level
//! facts (servers, security), then pagination (which reads the finished types), then the
//! sharing of one type among inline schemas of the same shape (which keeps every name), then
//! Cargo features (which read everything else).

mod bodies;
mod dedup;
mod events;
mod features;
mod operations;
mod pagination;
mod parameters;
mod recursion;
mod refs;
mod requests;
mod schemas;

use openapiv3::{OAuth2Flows, OpenAPI, ReferenceOr, SecurityScheme};

use crate::error::{Error, Warning};
use crate::ir::{Api, Auth};
use crate::names;
use crate::Options;

/// What every pass reads: the document and the name it is reported under.
#[derive(Clone, Copy)]
pub struct Ctx<'d> {
    pub doc: &'d OpenAPI,
    pub origin: &'d str,
}

pub fn lower(doc: &OpenAPI, options: &Options) -> Result<(Api, Vec<Warning>), Error> {
    let ctx = Ctx { doc, origin: &options.spec_path };
    let mut warnings = Vec::new();
    let mut registry = schemas::TypeRegistry::new(ctx);
    let mut lowered = operations::lower_operations(&ctx, &mut registry, &mut warnings)?;
    registry.lower_remaining_components()?;
    let (mut types, type_warnings) = registry.finish();
    recursion::box_recursive_fields(&mut types);
    requests::keep_clearable_fields_in_requests(&mut types, &lowered.root);
    warnings.extend(type_warnings);
    pagination::recognise(
        &mut lowered.root,
        &types,
        std::mem::take(&mut lowered.page_hints),
        operations::CLIENT_METHODS,
        &mut warnings,
    );
    warnings.sort();
    let merged = dedup::alias_identical_types(&mut types);
    let features = features::plan(&lowered.root, &types, lowered.error_body.as_ref());
    features::keep_left_out_variants(&mut types, &features);
    let api = Api {
        crate_name: options.crate_name.clone(),
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        spec_path: options.spec_path.clone(),
        default_base_url: doc.servers.first().map(|s| s.url.clone()),
        env_prefix: names::shouty_name(&doc.info.title),
        auth: auth(doc),
        error_body: lowered.error_body,
        types,
        merged,
        root: lowered.root,
        features,
    };
    Ok((api, warnings))
}

/// The first security requirement the client can satisfy by itself decides how it signs in.
fn auth(doc: &OpenAPI) -> Auth {
    let Some(components) = &doc.components else { return Auth::None };
    let required: Vec<&String> = doc.security.iter().flatten().flat_map(|req| req.keys()).collect();
    let mut auth = Auth::None;
    for name in required {
        let Some(ReferenceOr::Item(scheme)) = components.security_schemes.get(name) else { continue };
        match scheme {
            SecurityScheme::OAuth2 { flows: OAuth2Flows { client_credentials: Some(flow), .. }, .. } => {
                return Auth::ClientCredentials { token_url: flow.token_url.clone() };
            }
            SecurityScheme::OAuth2 { .. }
            | SecurityScheme::OpenIDConnect { .. }
            | SecurityScheme::HTTP { .. } => {
                auth = Auth::Bearer;
            }
            SecurityScheme::APIKey { .. } => {}
        }
    }
    auth
}
