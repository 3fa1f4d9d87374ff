//! `include_qapi!`: Rust bindings for a QAPI schema, generated while the crate compiles.
//!
//! ```ignore
//! mod qmp {
//!     qapi_macros::include_qapi!("qapi/qapi-schema.json", keep = ["query-status"]);
//! }
//! ```
//!
//! The macro expands to the items of the module `qapi-gen rust` would write (types,
//! `commands`, `events`, `introspection`, `protocol`), so it belongs inside a module of its
//! own. The crate using it needs `serde` and `serde_json`.
//!
//! - The path is relative to the crate's `CARGO_MANIFEST_DIR`.
//! - After the path come `key = value` options, the same as the build.rs builder's and
//!   `qapi-gen rust`'s (see `qapi_compiler::rust::OPTIONS`): a string, `true`/`false`, or a list of
//!   strings (`keep = ["query-status", "STOP"]`, `type_attribute = "RunState=#[derive(Copy)]"`).
//!   `cfg_file` paths are relative to `CARGO_MANIFEST_DIR` too.
//! - Every file read (the schema, its includes, symbol files) is included with
//!   `include_bytes!`, so editing one rebuilds the crate.
//! - Schema errors become `compile_error!` at the path, with the rendered diagnostics.
//! - With `QAPI_EXPAND_DIR` set in the environment, the formatted expansion is also written to
//!   `$QAPI_EXPAND_DIR/<schema file stem>.rs`, to read or to diff (a later expansion of the
//!   same schema replaces it).

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use qapi_compiler::rust::{OptionKind, Options};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token};

/// Expands to the Rust bindings of the QAPI schema at the given path; see the crate docs.
#[proc_macro]
pub fn include_qapi(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let invocation = syn::parse_macro_input!(input as Invocation);
    match expand(&invocation) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// The macro's arguments.
struct Invocation {
    schema: LitStr,
    settings: Vec<Setting>,
}

/// One `key = value` option.
struct Setting {
    key: Ident,
    values: Vec<Value>,
}

/// One value of an option, with the literal it came from.
struct Value {
    text: String,
    span: Span,
}

impl Parse for Invocation {
    fn parse(input: ParseStream) -> syn::Result<Invocation> {
        let schema: LitStr = input.parse()?;
        let mut settings = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            settings.push(input.parse()?);
        }
        Ok(Invocation { schema, settings })
    }
}

impl Parse for Setting {
    fn parse(input: ParseStream) -> syn::Result<Setting> {
        let key: Ident = input.parse()?;
        let Some(spec) = Options::spec(&key.to_string()) else {
            return Err(syn::Error::new(
                key.span(),
                Options::unknown_key(&key.to_string()),
            ));
        };
        input.parse::<Token![=]>()?;
        let values = if spec.kind == OptionKind::Bool {
            let value: syn::Lit = input.parse()?;
            let syn::Lit::Bool(LitBool { value, span }) = value else {
                return Err(syn::Error::new(
                    value.span(),
                    format!("`{key}` takes `true` or `false`"),
                ));
            };
            vec![Value {
                text: value.to_string(),
                span,
            }]
        } else if input.peek(syn::token::Bracket) {
            let content;
            syn::bracketed!(content in input);
            Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?
                .iter()
                .map(Value::from)
                .collect()
        } else {
            vec![Value::from(&input.parse::<LitStr>()?)]
        };
        Ok(Setting { key, values })
    }
}

impl From<&LitStr> for Value {
    fn from(literal: &LitStr) -> Value {
        Value {
            text: literal.value(),
            span: literal.span(),
        }
    }
}

fn expand(invocation: &Invocation) -> syn::Result<TokenStream> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let at_schema = |message: String| syn::Error::new(invocation.schema.span(), message);
    let mut options = Options::default();
    let mut read_files = Vec::new();
    for setting in &invocation.settings {
        let key = setting.key.to_string();
        for value in &setting.values {
            // Files named by options are relative to the crate, like the schema.
            let read = |name: &str| {
                let path = manifest_dir.join(name);
                let text = std::fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read {name}: {error}"))?;
                read_files.push(path);
                Ok(text)
            };
            options
                .apply(&key, &value.text, read)
                .map_err(|message| syn::Error::new(value.span, message))?;
        }
    }

    // Files are named relative to the manifest directory, so diagnostics show the paths as
    // the user wrote them.
    let written = invocation.schema.value();
    let mut read = |file: &Path| std::fs::read(manifest_dir.join(file));
    let schema = match qapi_schema::parse_with(&written, &mut read, options.dialect) {
        Ok(schema) => schema,
        Err(qapi_schema::Error::Io { path, error }) => {
            return Err(at_schema(format!(
                "cannot read schema file {path}: {error}"
            )));
        }
        Err(error) => {
            let rendered = error.to_string();
            let message = rendered.strip_prefix("error: ").unwrap_or(&rendered);
            return Err(at_schema(message.to_owned()));
        }
    };
    let items = qapi_compiler::rust::tokens(&schema, &options)
        .map_err(|error| options_error(invocation, &error, &at_schema))?;
    read_files.extend(
        schema
            .sources
            .files()
            .iter()
            .map(|file| manifest_dir.join(&file.path)),
    );

    if let Some(directory) = std::env::var_os("QAPI_EXPAND_DIR") {
        write_expansion(Path::new(&directory), Path::new(&written), &items).map_err(at_schema)?;
    }
    let dependencies = read_files.iter().map(|file| {
        let file = file.to_string_lossy();
        quote!(
            const _: &[u8] = ::core::include_bytes!(#file);
        )
    });
    Ok(quote! {
        #(#dependencies)*
        #items
    })
}

/// The errors of option values that do not fit the schema, each at the value's literal (or
/// at the schema path when the value came from a file).
fn options_error(
    invocation: &Invocation,
    error: &qapi_compiler::rust::OptionsError,
    at_schema: &dyn Fn(String) -> syn::Error,
) -> syn::Error {
    let mut errors = error.problems.iter().map(|problem| {
        let literal = invocation
            .settings
            .iter()
            .filter(|setting| setting.key == problem.key)
            .flat_map(|setting| &setting.values)
            .find(|value| {
                value.text == problem.value
                    || value.text.split_once('=').map(|(name, _)| name.trim())
                        == Some(&problem.value)
            });
        match literal {
            Some(value) => syn::Error::new(value.span, problem.to_string()),
            None => at_schema(problem.to_string()),
        }
    });
    let mut combined = errors
        .next()
        .unwrap_or_else(|| at_schema(error.to_string()));
    for error in errors {
        combined.combine(error);
    }
    combined
}

/// Writes the formatted expansion for `schema` into `directory`.
fn write_expansion(directory: &Path, schema: &Path, items: &TokenStream) -> Result<(), String> {
    let code = qapi_compiler::rust::format(items.clone())
        .map_err(|error| format!("expansion does not parse: {error}"))?;
    let stem = schema.file_stem().unwrap_or_default().to_string_lossy();
    let path = directory.join(format!("{stem}.rs"));
    std::fs::create_dir_all(directory)
        .and_then(|()| {
            let generator = format!("include_qapi!({})", schema.display());
            let text = qapi_compiler::rust::header(&generator) + &code;
            qapi_compiler::write_file_atomically(&path, text.as_bytes())
        })
        .map_err(|error| format!("QAPI_EXPAND_DIR: cannot write {}: {error}", path.display()))
}
