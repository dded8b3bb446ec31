//! The `Serialize` and `Deserialize` impls of structs, untagged enums and string enums,
//! written out rather than derived. Each impl is a table of the type's fields or values; what
//! every type shares is in the runtime's `wire` module. serde's derives generate several times
//! this code per type (a field enum with its own visitor, a sequence form no JSON uses,
//! buffering for untagged variants), and type-checking it was most of the cost of compiling
//! a large API's crate. The JSON on the wire is the same.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens, FieldCfgs, TypePath};
use crate::ir::{EnumValue, Field, Struct, TypeRef, UntaggedVariant};
use crate::names;

/// A struct's impls. Optional fields are left out when `None` (or `Patch::Absent`), and a
/// missing one decodes as such; the properties a struct does not name are kept in its map of
/// additional properties, or skipped.
///
/// `field_cfgs`: the `#[cfg]` of each field some builds leave out; without it, its entry is
/// skipped like any property the type does not name.
pub fn struct_impls(name: &syn::Ident, s: &Struct, field_cfgs: &FieldCfgs) -> TokenStream {
    let expecting = format!("struct {name}");
    // The fields are read into locals of their own names; the reader and the key take names
    // that no field has (Stripe's objects have a field named `object`).
    let mut locals_scope = names::Scope::with_reserved(
        s.fields
            .iter()
            .map(|field| field.rust_name.as_str())
            .chain(s.additional.iter().map(|extra| extra.rust_name.as_str())),
    );
    let reader = ident(&locals_scope.claim("reader".to_owned()));
    let key = ident(&locals_scope.claim("key".to_owned()));
    let cfg = |field: &Field| field_cfgs.get(&field.rust_name);
    let writes = s.fields.iter().map(|field| {
        let rust_name = ident(&field.rust_name);
        let wire_name = &field.wire_name;
        let cfg = cfg(field);
        if field.clearable {
            quote!(#cfg object.patch(#wire_name, &self.#rust_name);)
        } else if !field.required {
            quote!(#cfg object.optional(#wire_name, &self.#rust_name);)
        } else {
            quote!(#cfg object.field(#wire_name, &self.#rust_name);)
        }
    });
    let write_additional = s.additional.as_ref().map(|extra| {
        let extra = ident(&extra.rust_name);
        quote!(object.additional(&self.#extra);)
    });

    // The locals' types are the fields' types, which the struct expression at the end tells
    // the compiler: writing them out again would only be more code to read and to check.
    let locals = s.fields.iter().map(|field| {
        let local = ident(&field.rust_name);
        let cfg = cfg(field);
        if field.clearable {
            quote!(#cfg let mut #local = crate::Patch::Absent;)
        } else {
            quote!(#cfg let mut #local = None;)
        }
    });
    let reads = s.fields.iter().map(|field| {
        let local = ident(&field.rust_name);
        let wire_name = &field.wire_name;
        let cfg = cfg(field);
        if read_as_is(field) {
            quote!(#cfg #wire_name => #reader.read(&mut #local),)
        } else {
            quote!(#cfg #wire_name => #reader.read_required(&mut #local),)
        }
    });
    let builds = s.fields.iter().map(|field| {
        let local = ident(&field.rust_name);
        let wire_name = &field.wire_name;
        let cfg = cfg(field);
        if read_as_is(field) {
            quote!(#cfg #local,)
        } else {
            quote!(#cfg #local: #reader.required(#local, #wire_name)?,)
        }
    });
    let (additional_local, other_key, build_additional) = match &s.additional {
        Some(extra) => {
            let extra_name = ident(&extra.rust_name);
            (
                quote!(let mut #extra_name = std::collections::BTreeMap::new();),
                quote!(_ => #reader.read_additional(&mut #extra_name, #key),),
                quote!(#extra_name,),
            )
        }
        None => (TokenStream::new(), quote!(_ => #reader.skip(),), TokenStream::new()),
    };
    // An object with nothing to keep (`{type: object, additionalProperties: false}`) is
    // written empty and read by skipping its entries.
    let nothing = s.fields.is_empty() && s.additional.is_none();
    let serialize_body = if nothing {
        quote!(crate::wire::write_object(serializer)?.end())
    } else {
        quote! {
            let mut object = crate::wire::write_object(serializer)?;
            #(#writes)*
            #write_additional
            object.end()
        }
    };
    let read_entries = if nothing {
        quote! {
            while #reader.next_key()?.is_some() {
                #reader.skip()?;
            }
        }
    } else {
        quote! {
            while let Some(#key) = #reader.next_key()? {
                match #key.as_str() {
                    #(#reads)*
                    #other_key
                }?;
            }
        }
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize_body
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::read_object(deserializer)
            }
        }

        impl<'de> crate::wire::ReadObject<'de> for #name {
            const EXPECTING: &'static str = #expecting;

            fn read_object<Map: serde::de::MapAccess<'de>>(
                mut #reader: crate::wire::ObjectReader<'de, Map>,
            ) -> Result<Self, Map::Error> {
                #(#locals)*
                #additional_local
                #read_entries
                Ok(#name {
                    #(#builds)*
                    #build_additional
                })
            }
        }
    }
}

/// Whether a field's local holds the field's own type (an `Option` or a `Patch` that starts
/// out empty), rather than an `Option` of it that must be filled.
fn read_as_is(field: &Field) -> bool {
    field.clearable || !field.required
}

/// An untagged enum's impls: a value is sent as the variant's value, and decodes as the
/// first variant, in the document's order, that it decodes as.
/// `cfgs`: the `#[cfg]` of each variant some builds leave out.
pub fn untagged_impls(
    name: &syn::Ident,
    variants: &[UntaggedVariant],
    cfgs: &[Option<TokenStream>],
) -> TokenStream {
    let name_text = name.to_string();
    let variant_names: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let readers = variants.iter().zip(&variant_names).zip(cfgs).map(|((v, variant), cfg)| {
        if v.ty == TypeRef::Json {
            return quote!(#cfg |value| Ok(Self::#variant(value.clone())));
        }
        let ty = type_tokens(&v.ty, TypePath::InTypes);
        quote!(#cfg |value| <#ty as serde::Deserialize>::deserialize(value).map(Self::#variant))
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#cfgs Self::#variant_names(value) => serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::first_variant(deserializer, #name_text, &[#(#readers),*])
            }
        }
    }
}

/// A string enum's impls: a value is sent as its string, and a string the document does not
/// list decodes as the unknown variant.
pub fn string_enum_impls(name: &syn::Ident, values: &[EnumValue], unknown: &syn::Ident) -> TokenStream {
    let expecting = format!("a {name} string");
    let arms = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(#wire => Self::#variant,)
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::string_enum(deserializer, #expecting, |value| match value {
                    #(#arms)*
                    other => Self::#unknown(other.to_owned()),
                })
            }
        }
    }
}
