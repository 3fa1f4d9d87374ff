//! Unions: a struct of the base members whose tag member holds the branch.

use proc_macro2::TokenStream;
use qapi_schema::{Doc, Entity, EntityId, EntityKind, IfCond, ObjectType};
use quote::{format_ident, quote};

use super::enums::enum_variants;
use super::fields::{Field, MembersTuple, fields, member_local, members_tuple, serialize_fields};
use super::speculation::{SpeculativeBranch, Union, speculative_decode};
use crate::rust::Splice;
use crate::rust::generator::{Generator, Scope};

/// `all(a, b)` of two optional conditions.
fn both(a: Option<&IfCond>, b: Option<&IfCond>) -> Option<IfCond> {
    match (a, b) {
        (Some(a), Some(b)) => Some(IfCond::All(vec![a.clone(), b.clone()])),
        (a, b) => a.or(b).cloned(),
    }
}

pub(super) fn union_type(
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
    let mut fields = fields(
        generator,
        Some(id),
        &entity.name,
        doc,
        &members,
        Scope::Root,
    );
    let is_tag = |field: &Field| field.member.name == variants.tag_member;
    let mut base_definitions = Vec::new();
    let mut tag_attributes = None;
    for field in &mut fields {
        if is_tag(field) {
            tag_attributes = Some(Splice::new(std::mem::take(&mut field.attributes)));
        } else {
            base_definitions.push(field.take_declaration());
        }
    }
    let (tag_fields, base_fields): (Vec<&Field>, Vec<&Field>) =
        fields.iter().partition(|field| is_tag(field));
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
        /// The type the variant holds, if it holds one.
        payload: Option<EntityId>,
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
            // What the variant holds: the branch's type, or a simple union's `data` type.
            let held = branch.map(|branch| {
                generator
                    .entity(branch.ty)
                    .wrapped_type()
                    .unwrap_or(branch.ty)
            });
            let payload = held.filter(|held| generator.entity(*held).name != "q_empty");
            let variant = branch
                .zip(present.as_ref())
                .filter(|(_, present)| generator.in_output(present.as_ref()))
                .map(|(_, present)| {
                    (
                        tag_variant.clone(),
                        payload.map(|held| generator.held_type(Some(id), held, Scope::Root)),
                        generator.cfg(present.as_ref()),
                    )
                });
            // Without evaluation every branch is kept, so none can be missing.
            let missing = match branch {
                Some(branch)
                    if branch.ifcond.is_none() || generator.conditions.outputs_everything() =>
                {
                    None
                }
                Some(branch) => {
                    let compiled_out =
                        IfCond::Not(Box::new(branch.ifcond.clone().expect("a condition")));
                    let absent = both(value.ifcond.as_ref(), Some(&compiled_out));
                    generator
                        .in_output(absent.as_ref())
                        .then(|| generator.cfg(absent.as_ref()))
                }
                None => Some(generator.cfg(value.ifcond.as_ref())),
            };
            Branch {
                wire: value.name.clone(),
                tag_variant,
                variant,
                missing,
                boxed: held.is_some_and(|held| generator.cycles.needs_box(id, held)),
                wrapped: branch.and_then(|branch| generator.entity(branch.ty).wrapped_type()),
                payload,
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

    // The members outside the branches, the tag among them, decode as a struct's do.
    let tag_index = fields
        .iter()
        .position(|field| field.member.name == variants.tag_member)
        .expect("the tag is a member");
    let MembersTuple {
        ty: members,
        aliases,
        pattern,
        let_attributes,
        names,
        lookup,
    } = members_tuple(generator, &quote!(protocol), &fields);
    let tag_local = member_local(tag_index);
    let base_values = fields
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != tag_index)
        .map(|(index, field)| field.initializer(index));
    let missing_branch = |wire: &str| match &unrecognized {
        Some(unrecognized) => quote!(#branch_enum::#unrecognized {
            tag: #wire.to_owned(),
            members: branch.rest()?,
        }),
        None => {
            let message = format!("the branch `{wire}` of {type_name} is not in this build");
            quote!(return ::core::result::Result::Err(E::custom(#message)))
        }
    };
    let mut decode_branch = Vec::new();
    for branch in &branches {
        let tag_variant = &branch.tag_variant;
        let wire = &branch.wire;
        match &branch.variant {
            Some((ident, Some(payload), cfg)) => {
                let seed = match branch.wrapped {
                    Some(wrapped) => {
                        let seed = generator.decode_seed(wrapped, payload, Scope::Root);
                        quote!(protocol::Wrapped(#seed, #type_name))
                    }
                    None => quote!(::core::marker::PhantomData::<#payload>),
                };
                let decode = quote!(branch.decode(#seed)?);
                decode_branch
                    .push(quote!(#cfg #tag_type::#tag_variant => #branch_enum::#ident(#decode),));
            }
            Some((ident, None, cfg)) => {
                decode_branch.push(quote!(#cfg #tag_type::#tag_variant => {
                    branch.decode(::core::marker::PhantomData::<protocol::Empty>)?;
                    #branch_enum::#ident
                }))
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
    let speculative = branches
        .iter()
        .map(|branch| {
            let (ident, _, cfg) = branch.variant.as_ref()?;
            let plain = cfg.is_empty()
                && branch.missing.is_none()
                && !branch.boxed
                && branch.wrapped.is_none();
            plain.then_some(SpeculativeBranch {
                tag_variant: &branch.tag_variant,
                ident,
                payload: branch.payload,
            })
        })
        .collect::<Option<Vec<_>>>()
        .and_then(|speculative| {
            let union = Union {
                id,
                type_name,
                ident: name,
                branch_enum: &branch_enum,
                tag_type: &tag_type,
                tag_ident,
                tag_index,
                base: &fields,
            };
            speculative_decode(generator, &union, &speculative)
        });
    let serialize_base = serialize_fields(&quote!(protocol), base_fields.iter().copied());
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
                    members: branch.rest()?,
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
                #speculative
                #aliases
                struct Base;
                impl<'de> protocol::UnionBase<'de> for Base {
                    type Union = #name;
                    type Members = #members;
                    const TYPE_NAME: &'static str = #type_name;
                    const MEMBERS: &'static [&'static str] = #names;
                    const LOOKUP: protocol::Lookup = #lookup;
                    fn finish<E: ::serde::de::Error>(
                        members: <Self::Members as protocol::Members<'de>>::Fields,
                        branch: protocol::Branch<'de>,
                    ) -> ::core::result::Result<#name, E> {
                        #let_attributes
                        let #pattern = members;
                        let variant = match #tag_local {
                            #(#decode_branch)*
                            #decode_unrecognized
                        };
                        ::core::result::Result::Ok(#name {
                            #(#base_values)*
                            #tag_ident: variant,
                        })
                    }
                }
                protocol::decode_union::<Base, D>(deserializer)
            }
        }
    }
}
