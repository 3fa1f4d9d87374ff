//! Rust definitions of the schema's types: enums, structs, unions and alternates, with their
//! serde impls.
//!
//! - An enum gets a variant per value plus `Unrecognized(String)`, so a value from a newer
//!   QEMU decodes instead of failing the whole message.
//! - A struct gets a field per member, base members included; optional members are `Option`.
//!   Decoding is one pass over the object's members (unknown ones are ignored) that names
//!   the member that failed; encoding writes the members through `protocol::SerializeFields`,
//!   so a union can inline its branch.
//! - A union is a struct of its base members whose tag member is an enum holding the branch:
//!   `BlockdevOptions { node_name, .., driver: BlockdevOptionsDriver::Qcow2(..) }`. The tag
//!   may come anywhere in the input; an unknown tag value decodes to `Unrecognized` with the
//!   remaining members kept.
//! - An alternate is an enum decoded by the JSON type of the value (`deserialize_any`), never
//!   by trying branches in turn.
//!
//! A member whose type contains the member's own type again is boxed. The non-generic
//! functions of enums are `#[inline]`, for the reason given in `protocol.rs`.
//!
//! `structs.rs`, `enums.rs`, `unions.rs` and `alternates.rs` write one kind each; this module
//! goes through the definitions and writes the fields that structs and unions share (the
//! containment cycles that decide boxing are found in `generator.rs`).

mod alternates;
mod enums;
mod structs;
mod unions;

use proc_macro2::TokenStream;
use qapi_schema::{
    AlternateType, Doc, Entity, EntityId, EntityKind, EnumMember, EnumType, IfCond, JsonType,
    Member, ObjectType,
};
use quote::{format_ident, quote};

use super::generator::{Generator, Scope};
use super::names::{self, Namespace};

use alternates::alternate_type;
use enums::{enum_type, enum_variants};
pub(super) use structs::{StructDef, object_struct};
use unions::union_type;

impl Generator<'_> {
    /// The `DeserializeSeed` that decodes a `held` value of type `ty`: `List` for arrays,
    /// so a failing element is located, `PhantomData` for the rest.
    pub(super) fn decode_seed(
        &self,
        ty: EntityId,
        held: &TokenStream,
        scope: Scope,
    ) -> TokenStream {
        match &self.entity(ty).kind {
            EntityKind::Array(array) if self.selection.type_path(ty).is_none() => {
                let element = self.type_ref(array.element, scope);
                let protocol = super::generator::scope_prefix(scope, quote!(protocol));
                quote!(#protocol::List::<#element>(::core::marker::PhantomData))
            }
            _ => quote!(::core::marker::PhantomData::<#held>),
        }
    }

    /// A member's type, boxed when it would make `owner` infinitely large.
    fn held_type(&self, owner: Option<EntityId>, ty: EntityId, scope: Scope) -> TokenStream {
        let rust = self.type_ref(ty, scope);
        match owner {
            Some(owner) if self.cycles.needs_box(owner, ty) => quote!(::std::boxed::Box<#rust>),
            _ => rust,
        }
    }
}

/// Every named type's definition, in schema order, one `emit` per type.
pub fn definitions(generator: &Generator, emit: &mut dyn FnMut(TokenStream)) {
    for (id, entity) in generator.kept_entities() {
        if !Generator::is_named_type(entity) {
            continue;
        }
        let name = format_ident!("{}", generator.type_names[&id]);
        let doc = generator.schema.doc_of(entity);
        let attributes = generator.definition_attributes(entity);
        let cfg = generator.cfg(entity.ifcond.as_ref());
        let definition = match &entity.kind {
            EntityKind::Enum(enumeration) => {
                enum_type(generator, &name, attributes, doc, enumeration)
            }
            EntityKind::Object(object) if object.variants.is_some() => {
                union_type(generator, id, entity, &name, attributes, doc, object)
            }
            EntityKind::Object(object) => {
                let members = generator.kept_members(&object.members);
                object_struct(
                    generator,
                    StructDef {
                        owner: Some(id),
                        qapi_name: &entity.name,
                        name: &name,
                        attributes,
                        doc,
                        members: &members,
                        scope: Scope::Root,
                        open: false,
                    },
                )
            }
            EntityKind::Alternate(alternate) => {
                alternate_type(generator, id, &name, attributes, doc, alternate)
            }
            _ => unreachable!("only named types are defined"),
        };
        emit(super::generator::with_cfg(&cfg, definition));
    }
}

impl<'s> Generator<'s> {
    pub(super) fn kept_members(&self, members: &'s [Member]) -> Vec<&'s Member> {
        members
            .iter()
            .filter(|member| self.in_output(member.ifcond.as_ref()))
            .collect()
    }
}

/// A member as a Rust field.
struct Field<'a> {
    member: &'a Member,
    ident: proc_macro2::Ident,
    ty: TokenStream,
    /// The `DeserializeSeed` that decodes a present value.
    seed: TokenStream,
    /// `#[cfg]` when a cargo feature decides whether the member exists.
    cfg: TokenStream,
    /// Docs, `#[deprecated]` and `cfg`.
    attributes: TokenStream,
}

/// The fields for `members` of the type, command or event `qapi_name`.
fn fields<'a>(
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
            let (held, seed) = match generator.selection.member_path(qapi_name, &member.name) {
                Some(path) => (path.clone(), quote!(::core::marker::PhantomData::<#path>)),
                None => {
                    let held = generator.held_type(owner, member.ty, scope);
                    let seed = generator.decode_seed(member.ty, &held, scope);
                    (held, seed)
                }
            };
            let ty = if member.optional {
                quote!(::core::option::Option<#held>)
            } else {
                held
            };
            let docs = generator
                .member_docs(doc, &member.name, member.ifcond.as_ref(), &member.features)
                .attributes();
            let deprecated = generator.deprecated(&member.features);
            let cfg = generator.cfg(member.ifcond.as_ref());
            Field {
                member,
                ident,
                ty,
                seed,
                attributes: quote!(#cfg #docs #deprecated),
                cfg,
            }
        })
        .collect()
}

/// Statements writing `fields` of `self` into `map`.
fn serialize_fields<'f>(fields: impl IntoIterator<Item = &'f Field<'f>>) -> TokenStream {
    let statements = fields.into_iter().map(|field| {
        let wire = &field.member.name;
        let ident = &field.ident;
        let cfg = &field.cfg;
        if field.member.optional {
            quote! {
                #cfg
                if let ::core::option::Option::Some(value) = &self.#ident {
                    map.serialize_entry(#wire, value)?;
                }
            }
        } else {
            quote!(#cfg map.serialize_entry(#wire, &self.#ident)?;)
        }
    });
    quote!(#(#statements)*)
}
