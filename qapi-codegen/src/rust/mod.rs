//! The `rust` backend: one self-contained Rust module (serde and serde_json only) with the
//! schema's types, commands, events and introspection data.
//!
//! The output has the schema's types at the top, and submodules `commands` (a type per
//! command, the `Command` trait, `Request`, `Return`, `decode_return`, the `Server` trait and
//! `dispatch`), `events` (a type per event, `Event`, `EventMessage`), `introspection` (the
//! `query-qmp-schema` data) and `protocol` (fixed QMP types and helpers). The state all parts
//! share is `generator.rs`'s `Generator`; names are decided in `names.rs`, types in `types/`,
//! commands and events in `protocol.rs`, rustdoc in `rustdoc.rs`; this module assembles them.
//! With the `runtime` option the module shares a few items with the `qapi-client` crate and
//! implements its traits; without it, it needs nothing beyond serde and serde_json.

mod conditions;
mod generator;
mod names;
mod options;
mod protocol;
mod rustdoc;
mod selection;
mod support;
mod types;

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Literal, Spacing, TokenStream, TokenTree};
use qapi_schema::{IfCond, Schema};
use quote::quote;

use crate::introspect::{Decision, Segment};

use conditions::Presence;
use generator::Generator;
pub use options::{OPTIONS, OptionKind, OptionProblem, OptionSpec, Options, OptionsError};
use selection::Selection;

/// How generated source is laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// As prettyplease prints it: for files people read and commit (`qapi-gen rust -o`).
    #[default]
    Formatted,
    /// Each item on a line of its own, with the items of a `mod` on lines of their own, a
    /// space only where two tokens would run together and a line break after a block that
    /// more code follows: what the compiler reads as fast, written in a third of the time.
    /// What build scripts write.
    Compact,
}

/// Renders `schema` as a formatted Rust module. The error names the options that do not fit
/// the schema.
pub fn generate(schema: &Schema, options: &Options) -> Result<String, OptionsError> {
    generate_as(schema, options, Layout::Formatted)
}

/// Renders `schema` as a Rust module laid out as `layout` says.
pub fn generate_as(
    schema: &Schema,
    options: &Options,
    layout: Layout,
) -> Result<String, OptionsError> {
    let selection = Selection::resolve(schema, options)?;
    let root = schema
        .modules
        .iter()
        .find(|module| module.name != "./builtin")
        .map_or("", |module| module.name.as_str());
    let mut out = header(&format!("qapi-gen from {root}"));
    // Each chunk is laid out on its own and dropped, so the syntax trees of the whole module
    // (hundreds of megabytes for QEMU's QMP schema) never exist at once; chunks are laid out
    // on every core, and joined in order.
    let generator = Generator::new(schema, options, selection);
    let chunks = generator.chunks();
    // Generated tokens cannot cross threads, so each other thread has a generator of its own.
    let another = || {
        let selection = Selection::resolve(schema, options).expect("the options were resolved");
        Generator::new(schema, options, selection)
    };
    let texts = in_parallel(&chunks, generator, another, |generator, chunk| {
        let tokens = generator.render(*chunk);
        match layout {
            Layout::Formatted => format(tokens).expect("the generated code parses"),
            Layout::Compact => {
                let mut text = String::new();
                write_compact(&mut text, tokens);
                text
            }
        }
    });
    out.reserve(texts.iter().map(String::len).sum());
    out.extend(texts);
    Ok(out)
}

/// Writes `items` a line each, going into the body of each `mod`.
fn write_compact(out: &mut String, items: TokenStream) {
    let mut item = Vec::new();
    for tree in items {
        let ends_item = match &tree {
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
            TokenTree::Punct(punct) => punct.as_char() == ';',
            _ => false,
        };
        item.push(tree);
        if !ends_item {
            continue;
        }
        let is_module = matches!(
            item.as_slice(),
            [.., TokenTree::Ident(keyword), TokenTree::Ident(_), TokenTree::Group(_)] if keyword == "mod"
        );
        match item.pop() {
            Some(TokenTree::Group(body)) if is_module => {
                write_tokens(out, item.drain(..));
                out.push_str(" {\n");
                write_compact(out, unshared_stream(body));
                out.push_str("}\n");
            }
            last => {
                item.extend(last);
                write_tokens(out, item.drain(..));
                out.push('\n');
            }
        }
    }
    if !item.is_empty() {
        write_tokens(out, item);
        out.push('\n');
    }
}

/// What was written last, for [`write_tokens`] to know whether a space must follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Nothing yet, an opening or a closing delimiter, or a punctuation mark joined to the
    /// next one.
    Nothing,
    /// An identifier or a literal: another would run into it.
    Word,
    /// A punctuation mark standing alone: another would join it.
    Punct,
    /// The end of a block: code after it on the same line can look like a mistake (`} if`
    /// reads as a missing `else`), so it goes on the next line.
    Block,
}

/// Writes tokens with a space only where two would otherwise read as one.
fn write_tokens(out: &mut String, tokens: impl IntoIterator<Item = TokenTree>) {
    let mut last = Last::Nothing;
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                last = match group.delimiter() {
                    Delimiter::Brace => Last::Block,
                    _ => Last::Nothing,
                };
                out.push_str(open);
                write_tokens(out, unshared_stream(group));
                out.push_str(close);
            }
            TokenTree::Ident(ident) => {
                match last {
                    Last::Word => out.push(' '),
                    Last::Block if ident != "else" => out.push('\n'),
                    _ => {}
                }
                write!(out, "{ident}").expect("writing to a String cannot fail");
                last = Last::Word;
            }
            TokenTree::Literal(literal) => {
                if last == Last::Word {
                    out.push(' ');
                }
                write!(out, "{literal}").expect("writing to a String cannot fail");
                last = Last::Word;
            }
            TokenTree::Punct(punct) => {
                if last == Last::Punct {
                    out.push(' ');
                }
                out.push(punct.as_char());
                last = match punct.spacing() {
                    Spacing::Joint => Last::Nothing,
                    Spacing::Alone => Last::Punct,
                };
            }
        }
    }
}

/// The tokens of a group, taken from it: `Group::stream` gives a second handle on them, and
/// iterating a stream that the group still holds would copy every token.
fn unshared_stream(group: proc_macro2::Group) -> TokenStream {
    let stream = group.stream();
    drop(group);
    stream
}

/// Tokens made to be interpolated once into `quote!`, which then moves them. Interpolating a
/// `TokenStream` itself copies every token (`ToTokens` only borrows it), and the generator
/// nests its output a few levels deep, so at each level the copies would add up.
pub(crate) struct Splice(std::cell::Cell<Option<TokenStream>>);

impl Splice {
    pub(crate) fn new(tokens: TokenStream) -> Splice {
        Splice(std::cell::Cell::new(Some(tokens)))
    }
}

impl quote::ToTokens for Splice {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let spliced = self.0.take().expect("a Splice is interpolated once");
        tokens.extend(std::iter::once(spliced));
    }
}

/// A string literal written as `Literal::string` writes it, in one pass that copies plain
/// printable ASCII, most of what docs and the introspection data hold, as it is: much
/// faster than proc-macro2, which escapes each character in turn.
pub(crate) fn string_literal(text: &str) -> Literal {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('"');
    for character in text.chars() {
        match character {
            '"' | '\\' => {
                escaped.push('\\');
                escaped.push(character);
            }
            ' '..='~' => escaped.push(character),
            _ => escaped.extend(character.escape_debug()),
        }
    }
    escaped.push('"');
    escaped.parse().expect("an escaped string is a literal")
}

/// The first lines of a generated file: who generated it, and not to edit it.
pub fn header(generator: &str) -> String {
    format!("// @generated by {generator}. Do not edit.\n\n")
}

/// Generated items laid out as Rust source, the way every door writes them.
pub fn format(items: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(items)?;
    Ok(prettyplease::unparse(&file))
}

/// The module's items as tokens, unformatted: what a procedural macro expands to.
pub fn tokens(schema: &Schema, options: &Options) -> Result<TokenStream, OptionsError> {
    let selection = Selection::resolve(schema, options)?;
    let generator = Generator::new(schema, options, selection);
    Ok(generator
        .chunks()
        .into_iter()
        .map(|chunk| generator.render(chunk))
        .collect())
}

/// A part of the module made on its own: a named type with its impls, or a submodule.
#[derive(Clone, Copy)]
enum Chunk {
    Type(qapi_schema::EntityId),
    Commands,
    Events,
    Introspection,
    Protocol,
}

/// `render` of every item, on as many threads as there are cores, in the items' order: the
/// calling thread with `first`, each other thread with a worker made by `worker`. The threads
/// take items from the end, where the module's largest parts are.
fn in_parallel<T: Sync, W>(
    items: &[T],
    first: W,
    worker: impl Fn() -> W + Sync,
    render: impl Fn(&W, &T) -> String + Sync,
) -> Vec<String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = |worker: &W| {
        let mut done = Vec::new();
        loop {
            let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(index) = items.len().checked_sub(taken + 1) else {
                return done;
            };
            done.push((index, render(worker, &items[index])));
        }
    };
    let mut texts = vec![String::new(); items.len()];
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map(|_| scope.spawn(|| work(&worker())))
            .collect();
        let mut done = work(&first);
        for other in others {
            done.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        for (index, text) in done {
            texts[index] = text;
        }
    });
    texts
}

impl Generator<'_> {
    /// The module's parts in order: one per named type, then the `commands`, `events`,
    /// `introspection` and `protocol` modules.
    fn chunks(&self) -> Vec<Chunk> {
        let mut chunks: Vec<Chunk> = types::named_types(self)
            .into_iter()
            .map(Chunk::Type)
            .collect();
        chunks.extend([
            Chunk::Commands,
            Chunk::Events,
            Chunk::Introspection,
            Chunk::Protocol,
        ]);
        chunks
    }

    /// The items of one part.
    fn render(&self, chunk: Chunk) -> TokenStream {
        match chunk {
            Chunk::Type(id) => types::definition(self, id),
            Chunk::Commands => protocol::commands_module(self),
            Chunk::Events => protocol::events_module(self),
            Chunk::Introspection => self.introspection_module(),
            Chunk::Protocol => support::protocol_module(self.options.runtime),
        }
    }

    fn introspection_module(&self) -> TokenStream {
        let introspection = crate::introspect::Introspection::offering(self.schema, false, |id| {
            self.selection.selects(id)
        });
        let decide = |ifcond: &IfCond| match self.conditions.presence(Some(ifcond)) {
            Presence::Always => Decision::Keep,
            Presence::Never => Decision::Drop,
            Presence::Cfg(_) => Decision::Open,
        };
        let segments = introspection.to_json_segments(&decide);
        let doc = quote! {
            /// The `SchemaInfo` list as compact JSON.
        };
        let constants = match segments.as_slice() {
            [whole] if whole.conditions.is_empty() => {
                let json = string_literal(&whole.text);
                quote! {
                    #doc
                    pub const SCHEMA_JSON: &str = #json;
                }
            }
            _ => self.joined_schema_json(&segments, &doc),
        };
        quote! {
            /// The introspection data of this schema: what `query-qmp-schema` returns.
            pub mod introspection {
                #constants
            }
        }
    }

    /// `SCHEMA_JSON` joined at compile time from `segments`, those whose conditions cargo
    /// features leave out empty: the data of the build the features make.
    fn joined_schema_json(&self, segments: &[Segment], doc: &TokenStream) -> TokenStream {
        let parts = segments.iter().map(|segment| {
            let text = string_literal(&segment.text);
            let condition = IfCond::All(segment.conditions.clone());
            match self.conditions.presence(Some(&condition)) {
                Presence::Always => quote!(#text),
                Presence::Never => quote!(""),
                Presence::Cfg(predicate) => {
                    quote!(if ::core::cfg!(#predicate) { #text } else { "" })
                }
            }
        });
        // Compile-time evaluation pays for each step of a loop: eight bytes a step make the
        // join of QMP's data 0.5 s cheaper in a full check.
        let copy_eight: TokenStream = (0..8)
            .map(|offset| match offset {
                0 => quote!(joined[at] = bytes[byte];),
                _ => {
                    let offset = Literal::usize_unsuffixed(offset);
                    quote!(joined[at + #offset] = bytes[byte + #offset];)
                }
            })
            .collect();
        quote! {
            /// The pieces of [`SCHEMA_JSON`], empty where the build's features leave one out.
            const PARTS: &[&str] = &[#(#parts),*];
            /// The length of the pieces together.
            const LEN: usize = {
                let mut len = 0;
                let mut part = 0;
                while part < PARTS.len() {
                    len += PARTS[part].len();
                    part += 1;
                }
                len
            };
            /// The pieces joined, and how many bytes of the array that takes. A piece that
            /// starts a list's elements with `,` loses it when the elements before it are left
            /// out.
            // A big schema's data takes the compiler long enough to evaluate for the lint
            // against endless loops to stop it.
            #[allow(long_running_const_eval)]
            const JOINED: ([u8; LEN], usize) = {
                let mut joined = [0; LEN];
                let mut at = 0;
                let mut part = 0;
                while part < PARTS.len() {
                    let bytes = PARTS[part].as_bytes();
                    let mut byte = 0;
                    if at > 0 && joined[at - 1] == b'[' && !bytes.is_empty() && bytes[0] == b',' {
                        byte = 1;
                    }
                    while byte + 8 <= bytes.len() {
                        #copy_eight
                        at += 8;
                        byte += 8;
                    }
                    while byte < bytes.len() {
                        joined[at] = bytes[byte];
                        at += 1;
                        byte += 1;
                    }
                    part += 1;
                }
                (joined, at)
            };
            #doc
            #[allow(long_running_const_eval)]
            pub const SCHEMA_JSON: &str = match ::core::str::from_utf8(JOINED.0.split_at(JOINED.1).0) {
                ::core::result::Result::Ok(json) => json,
                ::core::result::Result::Err(_) => ::core::panic!("the pieces join into UTF-8"),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_written_as_proc_macro2_writes_them() {
        let texts = [
            "",
            "plain text, with 'quotes' and `ticks`",
            r#"a "quoted" word and a \ backslash"#,
            "tab\there, line\nbreak, return\r, nul\0, escape\u{1b}, delete\u{7f}",
            "non-ASCII: café — naïve, 𝔘nicode, e\u{301} combining, \u{200b} zero width",
            "\u{301} a combining mark first",
        ];
        for text in texts {
            assert_eq!(
                string_literal(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }
}
