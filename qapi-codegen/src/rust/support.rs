//! The fixed part of every generated module, the `protocol` submodule: the items of
//! `fixed_protocol.rs`, a real Rust file that `tests/generated` compiles and lints as it is.
//! With the `runtime` option, `Error`, `ErrorClass`, `Timestamp` and `DecodeError` are the
//! `qapi-client` runtime's, re-exported where the file defines them.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The items of every `protocol` module.
const FIXED_PROTOCOL: &str = include_str!("fixed_protocol.rs");

/// The items the `runtime` option leaves out, by the type they define or implement, and the
/// re-export that stands where the first of each group was. A module that is private and
/// uses none of them must still compile without warnings, hence the `allow`.
const FROM_RUNTIME: [(&[&str], &str); 3] = [
    (
        &["ErrorClass", "Error"],
        "#[allow(unused_imports)] pub use ::qapi_client::{ErrorClass, QmpError as Error};",
    ),
    (&["Timestamp"], "#[allow(unused_imports)] pub use ::qapi_client::Timestamp;"),
    (&["DecodeError"], "#[allow(unused_imports)] pub use ::qapi_client::DecodeError;"),
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
    let mut items = Vec::new();
    let mut re_exported = [false; FROM_RUNTIME.len()];
    for item in &file.items {
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
                items.push(re_export);
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
