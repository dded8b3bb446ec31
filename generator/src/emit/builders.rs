//! Constructors and chained setters: how code outside the generated crate builds its values.
//!
//! Structs, params structs and the variants of tagged unions are `#[non_exhaustive]`, so that
//! a field the API adds later breaks nobody; the price is that other crates cannot write them
//! as literals. They build them here instead: `new` (or a variant's constructor) takes the
//! required fields, which have no sensible default, and a setter per optional field sets the
//! rest (`SecretCreate::new(data, "entity", "name").description("d")`). Required fields get no
//! setter: `new` is the one place they are given, and their `pub` fields change them later.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens, FieldCfgs, TypePath};
use crate::ir::{AdditionalProperties, Field, TaggedEnum, TaggedVariant, TypeRef};
use crate::markdown::code;
use crate::names;

/// How a constructor or setter takes a field's value: text as `impl Into<String>` (so that a
/// `&str` does), with the `.into()` that converts it; anything else as it is.
pub(super) fn field_parameter(ty: &TypeRef) -> (TokenStream, TokenStream) {
    let tokens = type_tokens(ty, TypePath::InTypes);
    match ty {
        TypeRef::String | TypeRef::SensitiveString => (quote!(impl Into<#tokens>), quote!(.into())),
        _ => (tokens, TokenStream::new()),
    }
}

/// What an optional field holds once a setter gave it `value`.
fn set_value(field: &Field, conversion: &TokenStream) -> TokenStream {
    if field.clearable {
        quote!(crate::Patch::Value(value #conversion))
    } else {
        quote!(Some(value #conversion))
    }
}

/// What an optional field holds until a setter sets it.
fn empty_value(field: &Field) -> TokenStream {
    if field.clearable {
        quote!(crate::Patch::Absent)
    } else {
        quote!(None)
    }
}

/// A constructor's parameters (the required fields) and the fields of the literal it returns
/// (those parameters, and the optional fields empty).
fn constructor_parts(fields: &[Field], field_cfgs: &FieldCfgs) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for field in fields {
        let name = ident(&field.rust_name);
        if field.is_optional() {
            let empty = empty_value(field);
            let cfg = field_cfgs.get(&field.rust_name);
            inits.push(quote!(#cfg #name: #empty));
            continue;
        }
        let (ty, conversion) = field_parameter(&field.ty);
        params.push(quote!(#name: #ty));
        inits.push(if conversion.is_empty() { quote!(#name) } else { quote!(#name: #name #conversion) });
    }
    (params, inits)
}

/// The method names of a struct: a setter per optional field, one for the map of other
/// properties, and a `clear_` method per clearable field.
struct StructMethods {
    setters: Vec<StructSetter>,
    additional: Option<String>,
}

struct StructSetter {
    /// Index into the fields.
    field: usize,
    name: String,
    /// The name of the `clear_` method, for a field that is a `Patch`.
    clear: Option<String>,
}

impl StructMethods {
    fn of(fields: &[Field], additional: Option<&AdditionalProperties>) -> Self {
        let mut scope = names::Scope::with_reserved(["new"]);
        let optional: Vec<(usize, &Field)> =
            fields.iter().enumerate().filter(|(_, field)| field.is_optional()).collect();
        // Setters are claimed first, so that a field named `clear_x` keeps its own name over
        // the method clearing `x`.
        let names: Vec<String> = optional
            .iter()
            .map(|(_, field)| scope.claim(names::method_name(names::unraw(&field.rust_name))))
            .collect();
        let additional =
            additional.map(|extra| scope.claim(names::method_name(names::unraw(&extra.rust_name))));
        let setters = optional
            .into_iter()
            .zip(names)
            .map(|((index, field), name)| {
                let clear =
                    field.clearable.then(|| scope.claim(format!("clear_{}", names::unraw(&field.rust_name))));
                StructSetter { field: index, name, clear }
            })
            .collect();
        Self { setters, additional }
    }
}

/// The setter of each optional field, by index into `fields`, in field order.
pub(super) fn optional_setters(
    fields: &[Field],
    additional: Option<&AdditionalProperties>,
) -> Vec<(usize, String)> {
    StructMethods::of(fields, additional)
        .setters
        .into_iter()
        .map(|setter| (setter.field, setter.name))
        .collect()
}

/// `new` and the setters of a struct (a schema's object, or an operation's parameters).
/// `has_default`: every field is optional and the struct derives `Default`.
pub(super) fn struct_builders(
    name: &syn::Ident,
    fields: &[Field],
    additional: Option<&AdditionalProperties>,
    has_default: bool,
    field_cfgs: &FieldCfgs,
) -> TokenStream {
    let constructor = struct_constructor(name, fields, additional, has_default, field_cfgs);
    let methods = StructMethods::of(fields, additional);
    // Each `clear_` method right after its field's setter, where a reader looks for it.
    let setters = methods.setters.iter().map(|setter| {
        let field = &fields[setter.field];
        let cfg = field_cfgs.get(&field.rust_name);
        let field_name = ident(&field.rust_name);
        let setter_name = ident(&setter.name);
        let (param, conversion) = field_parameter(&field.ty);
        let value = set_value(field, &conversion);
        let wire = code(&field.wire_name);
        let doc = format!(" Sets {wire}.");
        let clear = setter.clear.as_ref().map(|clear| {
            let clear = ident(clear);
            let doc = format!(" Sends {wire} as `null`, which clears it.");
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #clear(mut self) -> Self {
                    self.#field_name = crate::Patch::Null;
                    self
                }
            }
        });
        quote! {
            #[doc = #doc]
            #cfg
            pub fn #setter_name(mut self, value: #param) -> Self {
                self.#field_name = #value;
                self
            }
            #clear
        }
    });
    let additional_setter = additional.zip(methods.additional.as_ref()).map(|(extra, setter)| {
        let field_name = ident(&extra.rust_name);
        let setter = ident(setter);
        let ty = type_tokens(&extra.ty, TypePath::InTypes);
        quote! {
            /// Sets the properties not named above, replacing any set before.
            pub fn #setter(mut self, value: std::collections::BTreeMap<String, #ty>) -> Self {
                self.#field_name = value;
                self
            }
        }
    });
    quote! {
        impl #name {
            #constructor
            #(#setters)*
            #additional_setter
        }
    }
}

fn struct_constructor(
    name: &syn::Ident,
    fields: &[Field],
    additional: Option<&AdditionalProperties>,
    has_default: bool,
    field_cfgs: &FieldCfgs,
) -> TokenStream {
    if has_default {
        let doc = if fields.is_empty() && additional.is_none() {
            format!(" A new `{name}`.")
        } else {
            format!(" A new `{name}` with every field empty; the setters set them.")
        };
        return quote! {
            #[doc = #doc]
            pub fn new() -> Self {
                Self::default()
            }
        };
    }
    let (params, mut inits) = constructor_parts(fields, field_cfgs);
    if let Some(extra) = additional {
        let field = ident(&extra.rust_name);
        inits.push(quote!(#field: Default::default()));
    }
    let doc = format!(" A new `{name}` with the required fields set; the setters set the optional ones.");
    quote! {
        #[doc = #doc]
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

/// The names of a tagged union's methods: a constructor per variant, named after it
/// (`SecretData::token`), then the setters of the variants' optional fields.
struct VariantMethods<'a> {
    constructors: Vec<String>,
    setters: Vec<VariantSetter<'a>>,
}

/// A setter of an optional field that one or more variants have.
struct VariantSetter<'a> {
    name: String,
    /// The name of the `clear_` method, for a field that is a `Patch`.
    clear: Option<String>,
    field: &'a Field,
    /// The variants that have the field, with the same type.
    variants: Vec<&'a TaggedVariant>,
}

impl<'a> VariantMethods<'a> {
    fn of(e: &'a TaggedEnum) -> Self {
        // `remote = "Self"` makes serde's derive define these on the enum itself.
        let mut scope = names::Scope::with_reserved(["serialize", "deserialize"]);
        let constructors =
            e.variants.iter().map(|variant| scope.claim(names::method_name(&variant.rust_name))).collect();
        // One setter per field name where every variant with that field gives it the same type,
        // which is the common case (`name` in each kind of pet); otherwise one per variant,
        // named after both (`dog_name`).
        let mut groups: Vec<(&str, Vec<(&TaggedVariant, &Field)>)> = Vec::new();
        for variant in &e.variants {
            for field in variant.fields.iter().filter(|field| field.is_optional()) {
                let key = names::unraw(&field.rust_name);
                match groups.iter_mut().find(|(name, _)| *name == key) {
                    Some((_, members)) => members.push((variant, field)),
                    None => groups.push((key, vec![(variant, field)])),
                }
            }
        }
        let mut pending: Vec<(String, &Field, Vec<&TaggedVariant>)> = Vec::new();
        for (key, members) in groups {
            let (_, first) = members[0];
            let shared =
                members.iter().all(|(_, field)| field.ty == first.ty && field.clearable == first.clearable);
            if shared {
                pending.push((key.to_owned(), first, members.iter().map(|(variant, _)| *variant).collect()));
            } else {
                for (variant, field) in members {
                    let variant_name = names::value_name(&variant.rust_name);
                    pending.push((format!("{}_{key}", names::unraw(&variant_name)), field, vec![variant]));
                }
            }
        }
        // A variant is often named after its one field (`{"type": "image_url", "image_url": ..}`):
        // where the constructor has the field's name, the setter is `with_` it.
        let named: Vec<(String, String, &Field, Vec<&TaggedVariant>)> = pending
            .into_iter()
            .map(|(base, field, variants)| {
                let mut name = names::method_name(&base);
                if scope.is_taken(&name) {
                    name = names::method_name(&format!("with_{base}"));
                }
                (scope.claim(name), base, field, variants)
            })
            .collect();
        let setters = named
            .into_iter()
            .map(|(name, base, field, variants)| {
                let clear =
                    field.clearable.then(|| scope.claim(names::method_name(&format!("clear_{base}"))));
                VariantSetter { name, clear, field, variants }
            })
            .collect();
        Self { constructors, setters }
    }
}

/// The method that builds each variant of a tagged union, in variant order (for examples).
pub(super) fn variant_constructors(e: &TaggedEnum) -> Vec<String> {
    VariantMethods::of(e).constructors
}

/// The constructors of a tagged union's variants, and the setters of their optional fields.
/// Outside the crate the variants cannot be written as literals: they may gain fields.
pub(super) fn variant_builders(name: &syn::Ident, e: &TaggedEnum) -> Option<TokenStream> {
    if e.variants.is_empty() {
        return None;
    }
    let methods = VariantMethods::of(e);
    let constructors = e.variants.iter().zip(&methods.constructors).map(|(variant, constructor)| {
        let variant_name = ident(&variant.rust_name);
        let constructor = ident(constructor);
        let (params, inits) = constructor_parts(&variant.fields, &FieldCfgs::new());
        let body = (!variant.fields.is_empty()).then(|| quote!({ #(#inits),* }));
        let doc = if params.is_empty() {
            format!(
                " A new `{}` ({}).",
                variant.rust_name,
                code(&format!("{}: {}", e.tag, variant.tag_value))
            )
        } else {
            format!(
                " A new `{}` ({}) with the required fields set.",
                variant.rust_name,
                code(&format!("{}: {}", e.tag, variant.tag_value))
            )
        };
        quote! {
            #[doc = #doc]
            pub fn #constructor(#(#params),*) -> Self {
                Self::#variant_name #body
            }
        }
    });
    let setters = methods.setters.iter().map(|setter| variant_setter(setter, &e.variants));
    Some(quote! {
        impl #name {
            #(#constructors)*
            #(#setters)*
        }
    })
}

/// A setter, and for a `Patch` field its `clear_` method, that sets the field in whichever of
/// the variants holding it the value is; on any other variant they do nothing.
fn variant_setter(setter: &VariantSetter<'_>, all: &[TaggedVariant]) -> TokenStream {
    let VariantSetter { name, clear, field, variants } = setter;
    let field_name = ident(&field.rust_name);
    // The field is bound as `slot`, so that a field named `value` cannot shadow the argument.
    let patterns = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let rest = (variant.fields.len() > 1).then(|| quote!(, ..));
        quote!(Self::#variant_name { #field_name: slot #rest })
    });
    let pattern = quote!(#(#patterns)|*);
    let holders: Vec<String> = variants.iter().map(|variant| format!("`{}`", variant.rust_name)).collect();
    let holders = match holders.as_slice() {
        [one] => format!("the {one} variant"),
        [init @ .., last] => format!("the {} or {last} variant", init.join(", ")),
        [] => String::new(),
    };
    let elsewhere = if variants.len() == all.len() { "" } else { "; on another variant it does nothing" };
    let wire = code(&field.wire_name);
    let set_doc = format!(" Sets {wire} of {holders}{elsewhere}.");
    let (param, conversion) = field_parameter(&field.ty);
    let value = set_value(field, &conversion);
    let setter_name = ident(name);
    let clear = clear.as_ref().map(|clear| {
        let clear = ident(clear);
        let doc = format!(" Sends {wire} of {holders} as `null`, which clears it{elsewhere}.");
        quote! {
            #[doc = #doc]
            pub fn #clear(mut self) -> Self {
                if let #pattern = &mut self {
                    *slot = crate::Patch::Null;
                }
                self
            }
        }
    });
    quote! {
        #[doc = #set_doc]
        pub fn #setter_name(mut self, value: #param) -> Self {
            if let #pattern = &mut self {
                *slot = #value;
            }
            self
        }
        #clear
    }
}
