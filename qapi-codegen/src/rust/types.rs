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

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use qapi_schema::{
    AlternateType, Doc, Entity, EntityId, EntityKind, EnumMember, EnumType, IfCond, JsonType,
    Member, ObjectType,
};
use quote::{format_ident, quote};

use super::names::{self, Namespace};
use super::{Generator, Scope};

/// Which types lie on a containment cycle with which.
#[derive(Default)]
pub struct Cycles {
    /// For each type on a cycle, the types it reaches without indirection.
    reaches: HashMap<EntityId, HashSet<EntityId>>,
}

impl Cycles {
    /// Finds, for every named type, the types it contains directly (members that are not
    /// arrays, branches, alternatives), transitively.
    pub fn find(generator: &Generator) -> Cycles {
        let mut direct: HashMap<EntityId, Vec<EntityId>> = HashMap::new();
        for (id, entity) in generator.kept_entities() {
            direct.insert(id, generator.contained(entity));
        }
        let mut reaches = HashMap::new();
        for &start in direct.keys() {
            let mut seen = HashSet::new();
            let mut stack = direct[&start].clone();
            while let Some(next) = stack.pop() {
                if seen.insert(next) {
                    stack.extend(direct.get(&next).into_iter().flatten().copied());
                }
            }
            if seen.contains(&start) {
                reaches.insert(start, seen);
            }
        }
        Cycles { reaches }
    }

    /// Whether a value of `owner` holding a `member` directly needs a box.
    pub fn needs_box(&self, owner: EntityId, member: EntityId) -> bool {
        self.reaches
            .get(&member)
            .is_some_and(|reached| reached.contains(&owner))
    }
}

impl Generator<'_> {
    /// The types an entity holds without indirection.
    fn contained(&self, entity: &Entity) -> Vec<EntityId> {
        let kept = |ifcond| self.keeps(ifcond);
        match &entity.kind {
            EntityKind::Object(object) => object
                .members
                .iter()
                .filter(|member| kept(member.ifcond.as_ref()))
                .map(|member| member.ty)
                .chain(
                    object
                        .variants
                        .iter()
                        .flat_map(|variants| &variants.variants)
                        .filter(|variant| kept(variant.ifcond.as_ref()))
                        .map(|variant| variant.ty),
                )
                .collect(),
            EntityKind::Alternate(alternate) => alternate
                .variants
                .variants
                .iter()
                .filter(|variant| kept(variant.ifcond.as_ref()))
                .map(|variant| variant.ty)
                .collect(),
            _ => Vec::new(),
        }
    }

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
                let protocol = super::scope_prefix(scope, quote!(protocol));
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
        emit(super::with_cfg(&cfg, definition));
    }
}

impl<'s> Generator<'s> {
    pub(super) fn kept_members(&self, members: &'s [Member]) -> Vec<&'s Member> {
        members
            .iter()
            .filter(|member| self.keeps(member.ifcond.as_ref()))
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

/// What [`object_struct`] makes a struct of.
pub(super) struct StructDef<'a> {
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
pub(super) fn object_struct(generator: &Generator, def: StructDef) -> TokenStream {
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
    let protocol = super::scope_prefix(scope, quote!(protocol));
    let definitions = fields.iter().map(|field| {
        let Field {
            ident,
            ty,
            attributes,
            ..
        } = field;
        quote!(#attributes pub #ident: #ty,)
    });
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
    let arms = fields.iter().zip(&slots).enumerate().map(|(index, (field, slot))| {
        let seed = &field.seed;
        let cfg = &field.cfg;
        let pattern = match other {
            None => quote!(#index),
            Some(_) => quote!(::core::result::Result::Ok(#index)),
        };
        quote!(#cfg #pattern => #protocol::member(&mut map, &mut #slot, #seed, #type_name, MEMBERS[#index])?,)
    });
    let values = fields
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(index, (field, slot))| {
            let ident = &field.ident;
            let cfg = &field.cfg;
            if field.member.optional {
                quote!(#cfg #ident: #slot,)
            } else {
                quote!(#cfg #ident: #protocol::required(#slot, #type_name, MEMBERS[#index])?,)
            }
        });
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

/// The Rust variants of an enum's kept values, and of its catch-all for unknown values when
/// decoding is forward-compatible.
fn enum_variants<'e>(
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
        .filter(|value| generator.keeps(value.ifcond.as_ref()))
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

fn enum_type(
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
        let deprecated = generator.deprecated(&value.features);
        quote!(#cfg #docs #deprecated #variant,)
    });
    let from_wire = values.iter().zip(&cfgs).map(|((value, variant), cfg)| {
        let wire = &value.name;
        quote!(#cfg #wire => ::core::option::Option::Some(#name::#variant),)
    });
    let wire = values.iter().zip(&cfgs).map(|((value, variant), cfg)| {
        let wire = &value.name;
        quote!(#cfg #name::#variant => #wire,)
    });
    let all = values
        .iter()
        .zip(&cfgs)
        .map(|((_, variant), cfg)| quote!(#cfg #name::#variant));
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

/// `all(a, b)` of two optional conditions.
fn both(a: Option<&IfCond>, b: Option<&IfCond>) -> Option<IfCond> {
    match (a, b) {
        (Some(a), Some(b)) => Some(IfCond::All(vec![a.clone(), b.clone()])),
        (a, b) => a.or(b).cloned(),
    }
}

fn union_type(
    generator: &Generator,
    id: EntityId,
    entity: &Entity,
    name: &proc_macro2::Ident,
    attributes: TokenStream,
    doc: Option<&Doc>,
    object: &ObjectType,
) -> TokenStream {
    let variants = object.variants.as_ref().expect("a union has variants");
    let members = generator.kept_members(&object.members);
    let fields = fields(
        generator,
        Some(id),
        &entity.name,
        doc,
        &members,
        Scope::Root,
    );
    let (tag_fields, base_fields): (Vec<&Field>, Vec<&Field>) = fields
        .iter()
        .partition(|field| field.member.name == variants.tag_member);
    let tag_field = tag_fields[0];
    let tag_ident = &tag_field.ident;
    let tag_wire = &variants.tag_member;
    let branch_enum = format_ident!("{}", generator.branch_enum_names[&id]);
    let EntityKind::Enum(tag_enum) = &generator.entity(tag_field.member.ty).kind else {
        unreachable!("a union's tag is an enum")
    };
    let tag_type = generator.type_ref(tag_field.member.ty, Scope::Root);
    let type_name = &entity.name;

    // One branch per kept tag value, named like the tag value's variant. A value whose
    // branch is compiled out decodes as unrecognized, or fails without forward
    // compatibility.
    struct Branch {
        wire: String,
        tag_variant: proc_macro2::Ident,
        /// The variant and its payload type (`None` for an empty branch), with the `cfg`
        /// under which the branch exists; `None` when the branch is compiled out.
        variant: Option<(proc_macro2::Ident, Option<TokenStream>, TokenStream)>,
        /// The `cfg` under which the tag value exists but its branch does not, if it can.
        missing: Option<TokenStream>,
        boxed: bool,
        /// For a simple union, the type of the branch's `data` member, which the variant
        /// holds directly.
        wrapped: Option<EntityId>,
    }
    let (tag_values, unrecognized) = enum_variants(generator, tag_enum);
    let branches: Vec<Branch> = tag_values
        .into_iter()
        .map(|(value, tag_variant)| {
            let branch = variants
                .variants
                .iter()
                .find(|variant| variant.name == value.name);
            let present = branch.map(|branch| both(value.ifcond.as_ref(), branch.ifcond.as_ref()));
            let variant = branch
                .zip(present.as_ref())
                .filter(|(_, present)| generator.keeps(present.as_ref()))
                .map(|(branch, present)| {
                    let held = generator
                        .entity(branch.ty)
                        .wrapped_type()
                        .unwrap_or(branch.ty);
                    let payload = (generator.entity(held).name != "q_empty")
                        .then(|| generator.held_type(Some(id), held, Scope::Root));
                    (
                        tag_variant.clone(),
                        payload,
                        generator.cfg(present.as_ref()),
                    )
                });
            // Without evaluation every branch is kept, so none can be missing.
            let missing = match branch {
                Some(branch) if branch.ifcond.is_none() || generator.conditions.keeps_all() => None,
                Some(branch) => {
                    let compiled_out =
                        IfCond::Not(Box::new(branch.ifcond.clone().expect("a condition")));
                    let absent = both(value.ifcond.as_ref(), Some(&compiled_out));
                    generator
                        .keeps(absent.as_ref())
                        .then(|| generator.cfg(absent.as_ref()))
                }
                None => Some(generator.cfg(value.ifcond.as_ref())),
            };
            Branch {
                wire: value.name.clone(),
                tag_variant,
                variant,
                missing,
                boxed: branch.is_some_and(|branch| {
                    let held = generator
                        .entity(branch.ty)
                        .wrapped_type()
                        .unwrap_or(branch.ty);
                    generator.cycles.needs_box(id, held)
                }),
                wrapped: branch.and_then(|branch| generator.entity(branch.ty).wrapped_type()),
            }
        })
        .collect();

    let enum_variants = branches.iter().filter_map(|branch| {
        let (ident, payload, cfg) = branch.variant.as_ref()?;
        let docs = generator
            .member_docs(None, &branch.wire, None, &[])
            .attributes();
        Some(match payload {
            Some(ty) => quote!(#cfg #docs #ident(#ty),),
            None => quote!(#cfg #docs #ident,),
        })
    });
    let base_definitions = base_fields.iter().map(|field| {
        let Field {
            ident,
            ty,
            attributes,
            ..
        } = field;
        quote!(#attributes pub #ident: #ty,)
    });
    let tag_attributes = &tag_field.attributes;

    let decode_base = base_fields.iter().map(|field| {
        let ident = &field.ident;
        let wire = &field.member.name;
        let seed = &field.seed;
        let cfg = &field.cfg;
        if field.member.optional {
            quote!(#cfg #ident: object.optional(#wire, #seed)?,)
        } else {
            quote!(#cfg #ident: object.required(#wire, #seed)?,)
        }
    });
    let known: Vec<&str> = fields
        .iter()
        .map(|field| field.member.name.as_str())
        .collect();
    let missing_branch = |wire: &str| match &unrecognized {
        Some(unrecognized) => quote!(#branch_enum::#unrecognized {
            tag: #wire.to_owned(),
            members: object.rest(&[#(#known),*]),
        }),
        None => {
            let message = format!("the branch `{wire}` of {type_name} is not in this build");
            quote!(return ::core::result::Result::Err(<D::Error as ::serde::de::Error>::custom(#message)))
        }
    };
    let mut decode_branch = Vec::new();
    for branch in &branches {
        let tag_variant = &branch.tag_variant;
        let wire = &branch.wire;
        match &branch.variant {
            Some((ident, Some(payload), cfg)) => {
                let decode = match branch.wrapped {
                    Some(wrapped) => {
                        let seed = generator.decode_seed(wrapped, payload, Scope::Root);
                        quote!(object.required("data", #seed)?)
                    }
                    None => quote!(object.branch(&[#(#known),*])?),
                };
                decode_branch
                    .push(quote!(#cfg #tag_type::#tag_variant => #branch_enum::#ident(#decode),));
            }
            Some((ident, None, cfg)) => {
                decode_branch.push(quote!(#cfg #tag_type::#tag_variant => #branch_enum::#ident,))
            }
            None => {}
        }
        if let Some(cfg) = &branch.missing {
            let missing = missing_branch(wire);
            decode_branch.push(quote!(#cfg #tag_type::#tag_variant => #missing,));
        }
    }
    let encode_branch = branches.iter().filter_map(|branch| {
        let (ident, payload, cfg) = branch.variant.as_ref()?;
        let wire = &branch.wire;
        let payload_ref = if branch.boxed {
            quote!(&**branch)
        } else {
            quote!(branch)
        };
        let encode = match branch.wrapped {
            Some(_) => quote!(map.serialize_entry("data", #payload_ref)?;),
            None => quote!(protocol::SerializeFields::serialize_fields(#payload_ref, map)?;),
        };
        Some(match payload {
            Some(_) => quote!(#cfg #branch_enum::#ident(branch) => {
                map.serialize_entry(#tag_wire, #wire)?;
                #encode
            }),
            None => quote!(#cfg #branch_enum::#ident => map.serialize_entry(#tag_wire, #wire)?,),
        })
    });
    let serialize_base = serialize_fields(base_fields.iter().copied());
    let branch_doc = format!(" The branches of [`{name}`], chosen by its `{tag_wire}` member.");
    // The user's attributes for the union go on its branch enum too, so derives hold.
    let user_attributes = generator.selection.attributes(type_name, true);
    let (unrecognized_variant, encode_unrecognized, decode_unrecognized) = match &unrecognized {
        Some(unrecognized) => (
            quote! {
                /// A branch this version of the schema does not know, with its members.
                #unrecognized {
                    /// The tag value.
                    tag: ::std::string::String,
                    /// The members other than the base members.
                    members: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                },
            },
            quote! {
                #branch_enum::#unrecognized { tag, members } => {
                    map.serialize_entry(#tag_wire, tag)?;
                    protocol::SerializeFields::serialize_fields(members, map)?;
                }
            },
            quote! {
                #tag_type::#unrecognized(tag) => #branch_enum::#unrecognized {
                    tag,
                    members: object.rest(&[#(#known),*]),
                },
            },
        ),
        None => (quote!(), quote!(), quote!()),
    };
    // A union whose every branch is compiled out has nothing to encode or decode.
    let matched =
        if branches.iter().all(|branch| branch.variant.is_none()) && unrecognized.is_none() {
            quote!(self.#tag_ident)
        } else {
            quote!(&self.#tag_ident)
        };

    quote! {
        #attributes
        #[derive(Clone, Debug, PartialEq)]
        #[allow(deprecated)]
        pub struct #name {
            #(#base_definitions)*
            #tag_attributes
            pub #tag_ident: #branch_enum,
        }

        #[doc = #branch_doc]
        #user_attributes
        #[derive(Clone, Debug, PartialEq)]
        #[allow(deprecated, clippy::large_enum_variant)]
        pub enum #branch_enum {
            #(#enum_variants)*
            #unrecognized_variant
        }

        #[allow(deprecated)]
        impl protocol::SerializeFields for #name {
            fn serialize_fields<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> ::core::result::Result<(), M::Error> {
                #serialize_base
                match #matched {
                    #(#encode_branch)*
                    #encode_unrecognized
                }
                ::core::result::Result::Ok(())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                protocol::serialize_object(self, serializer)
            }
        }

        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let object = protocol::Object::deserialize(deserializer, #type_name)?;
                let tag: #tag_type = object.required(#tag_wire, ::core::marker::PhantomData)?;
                ::core::result::Result::Ok(#name {
                    #(#decode_base)*
                    #tag_ident: match tag {
                        #(#decode_branch)*
                        #decode_unrecognized
                    },
                })
            }
        }
    }
}

fn alternate_type(
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
        .filter(|variant| generator.keeps(variant.ifcond.as_ref()))
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
                    None => super::builtin_type(&target.name).to_string(),
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
