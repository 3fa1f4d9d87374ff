//! Structs: a field per member, decoded in one pass over the object's members.

use proc_macro2::TokenStream;
use qapi_schema::{Doc, EntityId, Member};
use quote::{format_ident, quote};

use super::fields::{Field, fields, serialize_fields};
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
    let fields = fields(generator, owner, qapi_name, doc, members, scope);
    let protocol = crate::rust::generator::scope_prefix(scope, quote!(protocol));
    let definitions = fields.iter().map(Field::declaration);
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
    let deserialize = deserialize_struct(&protocol, name, &type_name, &fields, other.as_ref());
    let mut serialize = serialize_fields(&fields);
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

/// The `Deserialize` impl of a struct: one pass over the object's members, unknown ones
/// skipped, each failure located by member (see `protocol::decode`).
fn deserialize_struct(
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
    let wires = fields.iter().map(|field| &field.member.name);
    // The locals are numbered, so no member name can clash with them.
    let slots: Vec<_> = (0..fields.len())
        .map(|index| format_ident!("slot_{index}"))
        .collect();
    let slot_definitions = fields.iter().zip(&slots).map(|(field, slot)| {
        let cfg = &field.cfg;
        quote!(#cfg let mut #slot = ::core::option::Option::None;)
    });
    let decoder = (protocol, type_name, &quote!(MEMBERS));
    let arms = fields
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(index, (field, slot))| {
            let cfg = &field.cfg;
            let pattern = match other {
                None => quote!(#index),
                Some(_) => quote!(::core::result::Result::Ok(#index)),
            };
            let decode = field.decode_into(quote!(&mut map), quote!(&mut #slot), index, decoder);
            quote!(#cfg #pattern => #decode?,)
        });
    let values = fields
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(index, (field, slot))| field.initializer(quote!(#slot), index, decoder));
    let expecting = format!("an object ({type_name})");
    // Undeclared members are skipped, or kept when the struct has a field for them.
    let (key_seed, unknown_arm, other_local, other_value) = match other {
        None => (
            quote!(#protocol::MemberIndex(MEMBERS, #type_name)),
            quote!(_ => {
                map.next_value::<::serde::de::IgnoredAny>()?;
            }),
            None,
            None,
        ),
        Some(other) => (
            quote!(#protocol::MemberKey(MEMBERS)),
            quote!(_ => {
                let value = map.next_value()?;
                if let ::core::result::Result::Err(name) = key {
                    undeclared.insert(name, value);
                }
            }),
            Some(quote!(let mut undeclared = ::serde_json::Map::new();)),
            Some(quote!(#other: undeclared,)),
        ),
    };

    quote! {
        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#name, A::Error> {
                        const MEMBERS: &[&str] = &[#(#wires),*];
                        #(#slot_definitions)*
                        #other_local
                        while let ::core::option::Option::Some(key) = map.next_key_seed(#key_seed)? {
                            match key {
                                #(#arms)*
                                #unknown_arm
                            }
                        }
                        ::core::result::Result::Ok(#name {
                            #(#values)*
                            #other_value
                        })
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    }
}
