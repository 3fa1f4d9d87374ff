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
mod fields;
mod speculation;
mod structs;
mod unions;

use proc_macro2::TokenStream;
use qapi_schema::{EntityId, EntityKind};
use quote::format_ident;

use super::generator::{Generator, Scope};

use alternates::alternate_type;
use enums::enum_type;
pub(super) use structs::{StructDef, object_struct};
use unions::union_type;

/// The named types the module defines, in schema order.
pub fn named_types(generator: &Generator) -> Vec<EntityId> {
    generator
        .kept_entities()
        .filter(|(_, entity)| Generator::is_named_type(entity))
        .map(|(id, _)| id)
        .collect()
}

/// The definition of the named type `id`, with its serde impls.
pub fn definition(generator: &Generator, id: EntityId) -> TokenStream {
    let entity = generator.entity(id);
    let name = format_ident!("{}", generator.type_names[&id]);
    let doc = generator.schema.doc_of(entity);
    let attributes = generator.definition_attributes(entity);
    let cfg = generator.cfg(entity.ifcond.as_ref());
    let definition = match &entity.kind {
        EntityKind::Enum(enumeration) => enum_type(generator, &name, attributes, doc, enumeration),
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
    super::generator::with_cfg(&cfg, definition)
}
