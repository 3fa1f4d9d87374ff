//! Enums: a variant per value and `Unrecognized`, with their wire names.

use proc_macro2::TokenStream;
use qapi_schema::{Doc, EnumMember, EnumType};
use quote::{format_ident, quote};

use crate::rust::Splice;
use crate::rust::generator::Generator;
use crate::rust::names::{self, Namespace};

/// The Rust variants of an enum's kept values, and of its catch-all for unknown values when
/// decoding is forward-compatible.
pub(super) fn enum_variants<'e>(
    generator: &Generator,
    enumeration: &'e EnumType,
) -> (
    Vec<(&'e EnumMember, proc_macro2::Ident)>,
    Option<proc_macro2::Ident>,
) {
    let mut namespace = Namespace::default();
    let values = enumeration
        .members
        .iter()
        .filter(|value| generator.in_output(value.ifcond.as_ref()))
        .map(|value| {
            let variant = format_ident!("{}", namespace.claim(names::upper_camel(&value.name)));
            (value, variant)
        })
        .collect();
    let unrecognized = generator
        .options
        .forward_compatible
        .then(|| format_ident!("{}", namespace.claim("Unrecognized".to_string())));
    (values, unrecognized)
}

pub(super) fn enum_type(
    generator: &Generator,
    name: &proc_macro2::Ident,
    attributes: TokenStream,
    doc: Option<&Doc>,
    enumeration: &EnumType,
) -> TokenStream {
    let (values, unrecognized) = enum_variants(generator, enumeration);
    let cfgs: Vec<TokenStream> = values
        .iter()
        .map(|(value, _)| generator.cfg(value.ifcond.as_ref()))
        .collect();
    let variants = values.iter().zip(&cfgs).map(|((value, variant), cfg)| {
        let docs = generator
            .member_docs(doc, &value.name, value.ifcond.as_ref(), &value.features)
            .attributes();
        let docs = Splice::new(docs);
        let deprecated = generator.deprecated(&value.features);
        Splice::new(quote!(#cfg #docs #deprecated #variant,))
    });
    let from_wire = values.iter().zip(&cfgs).map(|((value, variant), cfg)| {
        let wire = &value.name;
        Splice::new(quote!(#cfg #wire => ::core::option::Option::Some(#name::#variant),))
    });
    let wire = values.iter().zip(&cfgs).map(|((value, variant), cfg)| {
        let wire = &value.name;
        Splice::new(quote!(#cfg #name::#variant => #wire,))
    });
    let all = values
        .iter()
        .zip(&cfgs)
        .map(|((_, variant), cfg)| Splice::new(quote!(#cfg #name::#variant)));
    // With no value, or only conditional ones a build may leave out, the match may keep
    // nothing but its catch-all arm.
    let may_match_nothing = (cfgs.iter().all(|cfg| !cfg.is_empty()))
        .then(|| quote!(#[allow(clippy::match_single_binding)]));
    // A reference to an enum without variants is matched through the dereference.
    let matched = if values.is_empty() && unrecognized.is_none() {
        quote!(*self)
    } else {
        quote!(self)
    };
    let (unrecognized_variant, unrecognized_from_wire, unrecognized_wire, is_recognized) =
        match &unrecognized {
            Some(unrecognized) => (
                quote! {
                    /// A value this version of the schema does not know.
                    #unrecognized(::std::string::String),
                },
                quote!(other => ::core::option::Option::Some(#name::#unrecognized(other.to_owned())),),
                quote!(#name::#unrecognized(other) => other,),
                quote!(!::core::matches!(self, #name::#unrecognized(_))),
            ),
            None => (
                quote!(),
                quote!(_ => ::core::option::Option::None,),
                quote!(),
                quote!(true),
            ),
        };
    let attributes = Splice::new(attributes);
    quote! {
        #attributes
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            #unrecognized_variant
        }

        #[allow(deprecated)]
        impl #name {
            /// Every value the schema defines, in schema order.
            pub const ALL: &'static [#name] = &[#(#all),*];

            /// The wire name.
            #[inline]
            pub fn as_str(&self) -> &str {
                protocol::WireEnum::wire(self)
            }
        }

        #[allow(deprecated)]
        impl protocol::WireEnum for #name {
            #[inline]
            #may_match_nothing
            fn from_wire(name: &str) -> ::core::option::Option<Self> {
                match name {
                    #(#from_wire)*
                    #unrecognized_from_wire
                }
            }

            #[inline]
            fn wire(&self) -> &str {
                match #matched {
                    #(#wire)*
                    #unrecognized_wire
                }
            }

            #[inline]
            fn is_recognized(&self) -> bool {
                #is_recognized
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                protocol::serialize_enum(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                protocol::deserialize_enum(deserializer)
            }
        }
    }
}
