//! Alternates: an enum decoded by the JSON type of the value.

use proc_macro2::TokenStream;
use qapi_schema::{AlternateType, Doc, EntityId, EntityKind, JsonType};
use quote::{format_ident, quote};

use crate::rust::generator::{Generator, Scope};
use crate::rust::names::{self, Namespace};

pub(super) fn alternate_type(
    generator: &Generator,
    id: EntityId,
    name: &proc_macro2::Ident,
    attributes: TokenStream,
    doc: Option<&Doc>,
    alternate: &AlternateType,
) -> TokenStream {
    let mut namespace = Namespace::default();
    let branches: Vec<_> = alternate
        .variants
        .variants
        .iter()
        .filter(|variant| generator.in_output(variant.ifcond.as_ref()))
        .map(|variant| {
            let ident = format_ident!("{}", namespace.claim(names::upper_camel(&variant.name)));
            (variant, ident)
        })
        .collect();
    let variants = branches.iter().map(|(variant, ident)| {
        let docs = generator
            .member_docs(doc, &variant.name, variant.ifcond.as_ref(), &[])
            .attributes();
        let ty = generator.held_type(Some(id), variant.ty, Scope::Root);
        let cfg = generator.cfg(variant.ifcond.as_ref());
        quote!(#cfg #docs #ident(#ty),)
    });
    let serialize = branches.iter().map(|(variant, ident)| {
        let cfg = generator.cfg(variant.ifcond.as_ref());
        quote!(#cfg #name::#ident(value) => ::serde::Serialize::serialize(value, serializer),)
    });
    let mut visits = Vec::new();
    let mut expected = Vec::new();
    for (variant, ident) in &branches {
        let target = generator.entity(variant.ty);
        let boxed = generator.cycles.needs_box(id, variant.ty);
        let cfg = generator.cfg(variant.ifcond.as_ref());
        // A user's type replacing the alternative decodes itself from the plain value.
        let user_type = |deserializer: TokenStream| {
            generator.selection.type_path(variant.ty).map(
                |_| quote!(::serde::Deserialize::deserialize(::serde::de::value::#deserializer)?),
            )
        };
        let wrap = |value: TokenStream| {
            if boxed {
                quote!(#name::#ident(::std::boxed::Box::new(#value)))
            } else {
                quote!(#name::#ident(#value))
            }
        };
        match target.json_type() {
            Some(JsonType::String) => {
                expected.push("a string");
                let value =
                    user_type(quote!(StrDeserializer::<E>::new(value))).unwrap_or_else(|| {
                        match target.kind {
                            EntityKind::Enum(_) => quote!(protocol::enum_value(value)?),
                            _ => quote!(value.to_owned()),
                        }
                    });
                let made = wrap(value);
                visits.push(quote! {
                    #cfg fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::core::result::Result<#name, E> {
                        ::core::result::Result::Ok(#made)
                    }
                });
            }
            Some(JsonType::Boolean) => {
                expected.push("a boolean");
                let made = wrap(
                    user_type(quote!(BoolDeserializer::<E>::new(value))).unwrap_or(quote!(value)),
                );
                visits.push(quote! {
                    #cfg fn visit_bool<E: ::serde::de::Error>(self, value: bool) -> ::core::result::Result<#name, E> {
                        ::core::result::Result::Ok(#made)
                    }
                });
            }
            Some(JsonType::Null) => {
                expected.push("null");
                let made =
                    wrap(user_type(quote!(UnitDeserializer::<E>::new())).unwrap_or(quote!(())));
                visits.push(quote! {
                    #cfg fn visit_unit<E: ::serde::de::Error>(self) -> ::core::result::Result<#name, E> {
                        ::core::result::Result::Ok(#made)
                    }
                });
            }
            Some(JsonType::Int) => {
                expected.push("an integer");
                let made = wrap(
                    user_type(quote!(I64Deserializer::<E>::new(value))).unwrap_or(quote!(value)),
                );
                // Serde hands over an i64 or a u64; anything else is converted with a range
                // check.
                let target_type = match generator.selection.type_path(variant.ty) {
                    Some(_) => "i64".to_owned(),
                    None => crate::rust::generator::builtin_type(&target.name).to_string(),
                };
                let convert = |from: &str, unexpected: TokenStream| {
                    (target_type != from).then(|| quote! {
                        let value = ::core::convert::TryFrom::try_from(value).map_err(|_| E::invalid_value(::serde::de::Unexpected::#unexpected(value), &self))?;
                    })
                };
                let (from_signed, from_unsigned) = (
                    convert("i64", quote!(Signed)),
                    convert("u64", quote!(Unsigned)),
                );
                visits.push(quote! {
                    #cfg fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::core::result::Result<#name, E> {
                        #from_signed
                        ::core::result::Result::Ok(#made)
                    }
                    #cfg fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::core::result::Result<#name, E> {
                        #from_unsigned
                        ::core::result::Result::Ok(#made)
                    }
                });
            }
            Some(JsonType::Number) => {
                expected.push("a number");
                let made = wrap(
                    user_type(quote!(F64Deserializer::<E>::new(value))).unwrap_or(quote!(value)),
                );
                visits.push(quote! {
                    #cfg fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::core::result::Result<#name, E> {
                        ::core::result::Result::Ok(#made)
                    }
                    #cfg fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::core::result::Result<#name, E> {
                        ::serde::de::Visitor::visit_f64(self, value as f64)
                    }
                    #cfg fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::core::result::Result<#name, E> {
                        ::serde::de::Visitor::visit_f64(self, value as f64)
                    }
                });
            }
            Some(JsonType::Object) => {
                expected.push("an object");
                let made = wrap(quote!(::serde::Deserialize::deserialize(
                    ::serde::de::value::MapAccessDeserializer::new(map)
                )?));
                visits.push(quote! {
                    #cfg fn visit_map<A: ::serde::de::MapAccess<'de>>(self, map: A) -> ::core::result::Result<#name, A::Error> {
                        ::core::result::Result::Ok(#made)
                    }
                });
            }
            Some(JsonType::Array) => {
                expected.push("an array");
                let made = wrap(
                    user_type(quote!(SeqAccessDeserializer::new(seq))).unwrap_or(quote!(
                        ::serde::de::Visitor::visit_seq(
                            protocol::List(::core::marker::PhantomData),
                            seq
                        )?
                    )),
                );
                visits.push(quote! {
                    #cfg fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, seq: A) -> ::core::result::Result<#name, A::Error> {
                        ::core::result::Result::Ok(#made)
                    }
                });
            }
            Some(JsonType::Value) | None => unreachable!("alternatives have distinct JSON types"),
        }
    }
    let expecting = format!(
        "{} for {}",
        expected.join(" or "),
        generator.entity(id).name
    );
    quote! {
        #attributes
        #[derive(Clone, Debug, PartialEq)]
        #[allow(deprecated, clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct AlternateVisitor;
                impl<'de> ::serde::de::Visitor<'de> for AlternateVisitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    #(#visits)*
                }
                deserializer.deserialize_any(AlternateVisitor)
            }
        }
    }
}
