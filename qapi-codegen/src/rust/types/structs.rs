//! Structs: a field per member, decoded in one pass over the object's members.

use proc_macro2::TokenStream;
use qapi_schema::{Doc, EntityId, Member};
use quote::{format_ident, quote};

use super::fields::{Field, MembersTuple, fields, members_tuple, serialize_fields};
use crate::rust::Splice;
use crate::rust::generator::{Generator, Scope};
use crate::rust::names::Namespace;

/// What [`object_struct`] makes a struct of.
pub(in crate::rust) struct StructDef<'a> {
    /// The type, when it is a named one (not the arguments of a command or event).
    pub owner: Option<EntityId>,
    /// The QAPI name of the type, or of the command or event whose arguments it holds.
    pub qapi_name: &'a str,
    pub name: &'a proc_macro2::Ident,
    pub attributes: TokenStream,
    pub doc: Option<&'a Doc>,
    pub members: &'a [&'a Member],
    pub scope: Scope,
    /// Whether members the schema does not declare are kept in a field of their own, as
    /// for the arguments of commands with `gen: false`, which accept more than they declare.
    pub open: bool,
}

/// A struct with a field per member: the Rust form of a struct type and of the implicit
/// argument types of commands and events.
pub(in crate::rust) fn object_struct(generator: &Generator, def: StructDef) -> TokenStream {
    let StructDef {
        owner,
        qapi_name,
        name,
        attributes,
        doc,
        members,
        scope,
        open,
    } = def;
    let mut fields = fields(generator, owner, qapi_name, doc, members, scope);
    let protocol = crate::rust::generator::scope_prefix(scope, quote!(protocol));
    let definitions: Vec<Splice> = fields.iter_mut().map(Field::take_declaration).collect();
    let type_name = match owner {
        Some(id) => generator.entity(id).name.clone(),
        None => name.to_string(),
    };
    let other = open.then(|| {
        let taken: Vec<String> = fields.iter().map(|field| field.ident.to_string()).collect();
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        format_ident!(
            "{}",
            Namespace::with_reserved(&taken).claim("other".to_owned())
        )
    });
    let deserialize = Splice::new(deserialize_struct(
        generator,
        &protocol,
        name,
        &type_name,
        &fields,
        other.as_ref(),
    ));
    let mut serialize = serialize_fields(&protocol, &fields);
    let other_definition = other.as_ref().map(|other| {
        serialize.extend(quote!(#protocol::SerializeFields::serialize_fields(&self.#other, map)?;));
        quote! {
            /// Members the schema does not declare, which the command accepts as well.
            pub #other: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }
    });
    let map = if fields.is_empty() && other.is_none() {
        format_ident!("_map")
    } else {
        format_ident!("map")
    };
    let attributes = Splice::new(attributes);
    let serialize = Splice::new(serialize);
    quote! {
        #attributes
        #[derive(Clone, Debug, PartialEq)]
        #[allow(deprecated)]
        pub struct #name {
            #(#definitions)*
            #other_definition
        }

        #deserialize

        #[allow(deprecated)]
        impl #protocol::SerializeFields for #name {
            fn serialize_fields<M: ::serde::ser::SerializeMap>(&self, #map: &mut M) -> ::core::result::Result<(), M::Error> {
                #serialize
                ::core::result::Result::Ok(())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #protocol::serialize_object(self, serializer)
            }
        }
    }
}

/// The `Deserialize` impl of a struct: `protocol::decode_object` with the struct's
/// members as a tuple type, so the generic decoder, compiled once per shape rather than
/// written out per struct, makes the one pass over the object's members; unknown ones
/// are skipped, each failure located by member (see `protocol::decode`).
fn deserialize_struct(
    generator: &Generator,
    protocol: &TokenStream,
    name: &proc_macro2::Ident,
    type_name: &str,
    fields: &[Field],
    other: Option<&proc_macro2::Ident>,
) -> TokenStream {
    if fields.is_empty() && other.is_none() {
        return quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    <#protocol::Empty as ::serde::Deserialize>::deserialize(deserializer).map(|_| #name {})
                }
            }
        };
    }
    let MembersTuple {
        ty: members,
        aliases,
        pattern,
        let_attributes,
        names,
        lookup,
    } = members_tuple(generator, protocol, fields);
    let values = fields
        .iter()
        .enumerate()
        .map(|(index, field)| field.initializer(index));
    let (decode, other_value) = match other {
        None => (
            quote!(let #pattern = #protocol::decode_object::<#members, D>(deserializer, #type_name, #names, #lookup)?;),
            None,
        ),
        Some(other) => (
            quote!(let (#pattern, undeclared) = #protocol::decode_open_object::<#members, D>(deserializer, #type_name, #names, #lookup)?;),
            Some(quote!(#other: undeclared,)),
        ),
    };
    quote! {
        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #aliases
                #let_attributes
                #decode
                ::core::result::Result::Ok(#name {
                    #(#values)*
                    #other_value
                })
            }
        }
    }
}
