//! What the kinds of type share: a member's Rust field (its type boxed where a cycle needs
//! it, how it decodes and encodes) and the members a build keeps.

use proc_macro2::TokenStream;
use qapi_schema::{Doc, EntityId, EntityKind, Member};
use quote::{ToTokens, format_ident, quote};

use crate::rust::Splice;
use crate::rust::generator::{Generator, Scope};
use crate::rust::names::{self, Namespace};

impl Generator<'_> {
    /// The `DeserializeSeed` that decodes a `held` value of type `ty`: `List` for arrays,
    /// so a failing element is located, `PhantomData` for the rest.
    pub(in crate::rust) fn decode_seed(
        &self,
        ty: EntityId,
        held: &TokenStream,
        scope: Scope,
    ) -> TokenStream {
        match self.list_seed(ty, scope) {
            Some(list) => quote!(#list(::core::marker::PhantomData)),
            None => quote!(::core::marker::PhantomData::<#held>),
        }
    }

    /// The type of [`Self::decode_seed`].
    pub(in crate::rust) fn seed_type(
        &self,
        ty: EntityId,
        held: &TokenStream,
        scope: Scope,
    ) -> TokenStream {
        self.list_seed(ty, scope)
            .unwrap_or_else(|| quote!(::core::marker::PhantomData<#held>))
    }

    /// `protocol::List::<Element>` when `ty` is an array the module defines.
    fn list_seed(&self, ty: EntityId, scope: Scope) -> Option<TokenStream> {
        match &self.entity(ty).kind {
            EntityKind::Array(array) if self.selection.type_path(ty).is_none() => {
                let element = self.type_ref(array.element, scope);
                let protocol = crate::rust::generator::scope_prefix(scope, quote!(protocol));
                Some(quote!(#protocol::List::<#element>))
            }
            _ => None,
        }
    }

    /// A member's type, boxed when it would make `owner` infinitely large.
    pub(super) fn held_type(
        &self,
        owner: Option<EntityId>,
        ty: EntityId,
        scope: Scope,
    ) -> TokenStream {
        let rust = self.type_ref(ty, scope);
        match owner {
            Some(owner) if self.cycles.needs_box(owner, ty) => quote!(::std::boxed::Box<#rust>),
            _ => rust,
        }
    }
}

impl<'s> Generator<'s> {
    pub(in crate::rust) fn kept_members(&self, members: &'s [Member]) -> Vec<&'s Member> {
        members
            .iter()
            .filter(|member| self.in_output(member.ifcond.as_ref()))
            .collect()
    }
}

/// A member as a Rust field.
pub(super) struct Field<'a> {
    pub(super) member: &'a Member,
    pub(super) ident: proc_macro2::Ident,
    /// The field's type, until [`Field::take_declaration`] takes it.
    pub(super) ty: TokenStream,
    /// The type of the `DeserializeSeed` that decodes a present value.
    pub(super) seed_type: TokenStream,
    /// `#[cfg]` when a cargo feature decides whether the member exists.
    pub(super) cfg: TokenStream,
    /// Docs, `#[deprecated]` and `cfg`, until [`Field::take_declaration`] takes them.
    pub(super) attributes: TokenStream,
}

impl Field<'_> {
    /// The field as declared in its struct: `#[attributes] pub name: Type,`. Its type and
    /// attributes move into the declaration, as nothing else uses them.
    pub(super) fn take_declaration(&mut self) -> Splice {
        let ident = &self.ident;
        let ty = Splice::new(std::mem::take(&mut self.ty));
        let attributes = Splice::new(std::mem::take(&mut self.attributes));
        Splice::new(quote!(#attributes pub #ident: #ty,))
    }

    /// The field's initializer in a decoder, from the value [`members_tuple`] bound to the
    /// member's local.
    pub(super) fn initializer(&self, index: usize) -> TokenStream {
        let ident = &self.ident;
        let cfg = &self.cfg;
        let local = member_local(index);
        quote!(#cfg #ident: #local,)
    }
}

/// The local a decoder binds the value of its `index`th member to: numbered, so that no
/// member name can clash with it or with the decoder's other locals.
pub(super) fn member_local(index: usize) -> proc_macro2::Ident {
    format_ident!("member_{index}")
}

/// How a decoder declares its members to `protocol::Members`.
pub(super) struct MembersTuple {
    /// The tuple type: `protocol::Required<Seed>` or `protocol::Optional<Seed>` each.
    pub(super) ty: TokenStream,
    /// A type alias for each member a cargo feature decides, local to the decoder: the
    /// member's type, or `protocol::Absent` when the feature leaves the member out.
    pub(super) aliases: TokenStream,
    /// The pattern that binds each member's value to its [`member_local`].
    pub(super) pattern: TokenStream,
    /// What goes on the `let` of that pattern: allowing a binding the build leaves unused.
    pub(super) let_attributes: TokenStream,
    /// The wire names, as a `&[&str]` in member order.
    pub(super) names: TokenStream,
    /// A `protocol::Lookup`: a closure matching a wire name to its member's index, or to
    /// the number of members for a name that is none of theirs.
    pub(super) lookup: TokenStream,
}

pub(super) fn members_tuple(
    generator: &Generator,
    protocol: &TokenStream,
    fields: &[Field],
) -> MembersTuple {
    let mut aliases = TokenStream::new();
    let members: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let seed = &field.seed_type;
            let member = if field.member.optional {
                quote!(#protocol::Optional<#seed>)
            } else {
                quote!(#protocol::Required<#seed>)
            };
            if field.cfg.is_empty() {
                return member;
            }
            let alias = format_ident!("MemberAt{index}");
            let cfg = &field.cfg;
            let unless = generator.cfg_unless(field.member.ifcond.as_ref());
            aliases.extend(quote! {
                #cfg type #alias = #member;
                #unless type #alias = #protocol::Absent;
            });
            quote!(#alias)
        })
        .collect();
    let locals: Vec<TokenStream> = (0..fields.len())
        .map(|index| member_local(index).to_token_stream())
        .collect();
    let let_attributes = if aliases.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[allow(unused_variables)])
    };
    let wires: Vec<&str> = fields
        .iter()
        .map(|field| field.member.name.as_str())
        .collect();
    let unknown = proc_macro2::Literal::usize_unsuffixed(wires.len());
    let lookup = if wires.is_empty() {
        quote!(|_| #unknown)
    } else {
        let indices = (0..wires.len()).map(proc_macro2::Literal::usize_unsuffixed);
        quote!(|name| match name { #(#wires => #indices,)* _ => #unknown })
    };
    MembersTuple {
        ty: nested_tuple(members),
        aliases,
        pattern: nested_tuple(locals),
        let_attributes,
        names: quote!(&[#(#wires),*]),
        lookup,
    }
}

/// The fields for `members` of the type, command or event `qapi_name`.
pub(super) fn fields<'a>(
    generator: &Generator,
    owner: Option<EntityId>,
    qapi_name: &str,
    doc: Option<&Doc>,
    members: &[&'a Member],
    scope: Scope,
) -> Vec<Field<'a>> {
    let mut namespace = Namespace::default();
    members
        .iter()
        .map(|member| {
            let ident = names::ident(&namespace.claim(names::snake(&member.name)));
            let (held, seed_type) = match generator.selection.member_path(qapi_name, &member.name) {
                Some(path) => (path.clone(), quote!(::core::marker::PhantomData<#path>)),
                None => {
                    let held = generator.held_type(owner, member.ty, scope);
                    let seed_type = generator.seed_type(member.ty, &held, scope);
                    (held, seed_type)
                }
            };
            let ty = if member.optional {
                quote!(::core::option::Option<#held>)
            } else {
                held
            };
            let docs = Splice::new(
                generator
                    .member_docs(doc, &member.name, member.ifcond.as_ref(), &member.features)
                    .attributes(),
            );
            let deprecated = generator.deprecated(&member.features);
            let cfg = generator.cfg(member.ifcond.as_ref());
            Field {
                member,
                ident,
                ty,
                seed_type,
                attributes: quote!(#cfg #docs #deprecated),
                cfg,
            }
        })
        .collect()
}

/// Statements writing `fields` of `self` into `map`: one `protocol::Entries` tuple for
/// each run of members that exist in every build, a statement of its own for each member
/// a cargo feature decides, so the members keep their order.
pub(super) fn serialize_fields<'f>(
    protocol: &TokenStream,
    fields: impl IntoIterator<Item = &'f Field<'f>>,
) -> TokenStream {
    let mut statements = TokenStream::new();
    let mut run = Vec::new();
    let flush = |run: &mut Vec<TokenStream>, statements: &mut TokenStream| {
        let entries = match run.len() {
            0 => return,
            1 => run.pop().expect("one entry"),
            _ => nested_tuple(std::mem::take(run)),
        };
        let entries = Splice::new(entries);
        statements.extend(quote!(#protocol::Entries::write(#entries, map)?;));
    };
    for field in fields {
        let wire = &field.member.name;
        let ident = &field.ident;
        let entry = if field.member.optional {
            quote!(#protocol::Present(#wire, &self.#ident))
        } else {
            quote!(#protocol::Entry(#wire, &self.#ident))
        };
        if field.cfg.is_empty() {
            run.push(entry);
        } else {
            flush(&mut run, &mut statements);
            let cfg = &field.cfg;
            statements.extend(quote!(#cfg #protocol::Entries::write(#entry, map)?;));
        }
    }
    flush(&mut run, &mut statements);
    statements
}

/// The tuple `(a, b, …)` of `items` (`(a,)` for one), nested past the 16 elements
/// that `protocol::Members` and `protocol::Entries` take: the sixteenth is the tuple of
/// the rest.
pub(super) fn nested_tuple(mut items: Vec<TokenStream>) -> TokenStream {
    const WIDTH: usize = 16;
    if items.len() > WIDTH {
        let rest = items.split_off(WIDTH - 1);
        items.push(nested_tuple(rest));
    }
    let items = items.into_iter().map(Splice::new);
    quote!((#(#items,)*))
}
