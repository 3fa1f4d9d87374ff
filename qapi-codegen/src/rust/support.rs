//! The fixed part of every generated module, the `protocol` submodule: the items of
//! `fixed_protocol.rs`, `fixed_objects.rs` and `fixed_unions.rs`, real Rust files that
//! `tests/generated` compiles and lints as they are (the last two as submodules of the
//! first).
//! With the `runtime` option, `Error`, `ErrorClass`, `Timestamp` and `DecodeError` are the
//! `qapi-client` runtime's, re-exported where the file defines them.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The items of every `protocol` module.
const FIXED_PROTOCOL: &str = include_str!("fixed_protocol.rs");

/// The submodules of `fixed_protocol.rs` by name, with their text: the `protocol` module
/// holds their items itself, each in its submodule's place.
const FIXED_SUBMODULES: [(&str, &str); 2] = [
    ("objects", include_str!("fixed_objects.rs")),
    ("unions", include_str!("fixed_unions.rs")),
];

/// The items the `runtime` option leaves out, by the type they define or implement, and the
/// re-export that stands where the first of each group was.
const FROM_RUNTIME: [(&[&str], &str); 3] = [
    (
        &["ErrorClass", "Error"],
        "pub use ::qapi_client::{ErrorClass, QmpError as Error};",
    ),
    (&["Timestamp"], "pub use ::qapi_client::Timestamp;"),
    (&["DecodeError"], "pub use ::qapi_client::DecodeError;"),
];

/// The type an item defines or implements something for, if it is a plain name.
fn defined_type(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(item) => Some(item.ident.to_string()),
        syn::Item::Enum(item) => Some(item.ident.to_string()),
        syn::Item::Impl(item) => match &*item.self_ty {
            syn::Type::Path(path) => path.path.get_ident().map(ToString::to_string),
            _ => None,
        },
        _ => None,
    }
}

/// The `protocol` submodule, the same for every schema.
pub fn protocol_module(runtime: bool) -> TokenStream {
    let file = syn::parse_file(FIXED_PROTOCOL).expect("fixed_protocol.rs is Rust");
    let submodules: Vec<(&str, syn::File)> = FIXED_SUBMODULES
        .iter()
        .map(|(name, text)| (*name, syn::parse_file(text).expect("a fixed file is Rust")))
        .collect();
    let submodule = |name: &syn::Ident| {
        submodules
            .iter()
            .find(|(submodule, _)| name == submodule)
            .map(|(_, file)| file)
    };
    // The parent's `use` of a submodule's items stays behind: they are its own.
    let uses_submodule = |item: &syn::Item| {
        let syn::Item::Use(using) = item else {
            return false;
        };
        let syn::UseTree::Path(path) = &using.tree else {
            return false;
        };
        submodule(&path.ident).is_some()
    };
    let spliced = file
        .items
        .iter()
        .filter(|item| !uses_submodule(item))
        .flat_map(|item| match item {
            // Its `use super::*` stays behind: the parent's names are the module's own.
            syn::Item::Mod(module) => submodule(&module.ident)
                .expect("every submodule of fixed_protocol.rs is spliced")
                .items
                .iter()
                .filter(|item| !matches!(item, syn::Item::Use(_)))
                .collect(),
            item => vec![item],
        });
    let mut items = Vec::new();
    let mut re_exported = [false; FROM_RUNTIME.len()];
    for item in spliced {
        let group = defined_type(item).filter(|_| runtime).and_then(|name| {
            FROM_RUNTIME
                .iter()
                .position(|(names, _)| names.contains(&name.as_str()))
        });
        match group {
            Some(group) if re_exported[group] => {}
            Some(group) => {
                re_exported[group] = true;
                let re_export: TokenStream = FROM_RUNTIME[group].1.parse().expect("a use item");
                // A private module that uses none of them must compile without warnings.
                items.push(quote!(#[allow(unused_imports)] #re_export));
            }
            None => items.push(item.to_token_stream()),
        }
    }
    quote! {
        /// QMP protocol types shared by every schema, and helpers of the generated code.
        pub mod protocol {
            #(#items)*
        }
    }
}
