//! Speculative union decoding: a union's members decoded as they come, before its tag
//! is known, then the branch the tag chooses built from them, without the tape of
//! tokens the ordinary decoder keeps until the tag comes.
//!
//! Only unions that a command's reply can hold get one (`Generator::returned`): reply text
//! is what `decode_text` reads, and no other decode turns speculation on.
//!
//! This needs a type for each member name whatever the branch: a union qualifies when
//! every branch that has a member of a given name gives it the same type, or, for arrays
//! of objects, object types whose members of a given name agree in turn (their members
//! then decode into one merged object, rebuilt as the branch's own type once the tag
//! is known). Branches, members and element types must exist in every build (no cargo
//! feature decides them) and hold their types directly (no `Box`, no simple-union
//! wrapper). Anything the tape would make differently (an unknown tag, a member of the
//! wrong branch in a strict decode, a value of a shape the chosen branch would pass over,
//! a missing member, any error) makes the speculative decode fail,
//! and `protocol::decode_text`, the only decode that speculates, reads its text again
//! the ordinary way. QEMU writes a union's members in hash order, so the tag mostly
//! comes late: `query-qmp-schema`'s entries have it after their branch members in all
//! but 55 of 1172.

use proc_macro2::{Ident, TokenStream};
use qapi_schema::{EntityId, EntityKind};
use quote::{format_ident, quote};

use super::fields::{Field, fields, member_local};
use crate::rust::generator::{Generator, Scope};

/// A branch of the union as the speculative decoder builds it.
pub(super) struct SpeculativeBranch<'a> {
    /// The tag's variant that chooses the branch.
    pub(super) tag_variant: &'a Ident,
    /// The branch enum's variant.
    pub(super) ident: &'a Ident,
    /// The object type the branch holds; `None` for a branch without members.
    pub(super) payload: Option<EntityId>,
}

/// The union whose decoder this is.
pub(super) struct Union<'a> {
    pub(super) id: EntityId,
    pub(super) type_name: &'a str,
    pub(super) ident: &'a Ident,
    pub(super) branch_enum: &'a Ident,
    pub(super) tag_type: &'a TokenStream,
    pub(super) tag_ident: &'a Ident,
    pub(super) tag_index: usize,
    /// The members outside the branches, the tag among them.
    pub(super) base: &'a [Field<'a>],
}

/// A plain object type: its Rust path, QAPI name and fields, when it can be built from
/// decoded members (it exists in every build, no feature decides a member of it).
struct Object<'a> {
    id: EntityId,
    path: TokenStream,
    name: &'a str,
    fields: Vec<Field<'a>>,
}

/// The type `id` as an [`Object`], if it is a struct type that can be built that way.
fn plain_object<'a>(generator: &'a Generator, id: EntityId) -> Option<Object<'a>> {
    let entity = generator.entity(id);
    let EntityKind::Object(object) = &entity.kind else {
        return None;
    };
    if object.variants.is_some()
        || generator.selection.type_path(id).is_some()
        || !generator.cfg(entity.ifcond.as_ref()).is_empty()
    {
        return None;
    }
    let members = generator.kept_members(&object.members);
    let fields = fields(
        generator,
        Some(id),
        &entity.name,
        None,
        &members,
        Scope::Root,
    );
    fields
        .iter()
        .all(|field| field.cfg.is_empty())
        .then(|| Object {
            id,
            path: generator.type_ref(id, Scope::Root),
            name: &entity.name,
            fields,
        })
}

/// How a member name of the branches decodes before the tag is known.
enum Slot<'a> {
    /// With the seed every branch that has it gives it.
    Shared(TokenStream),
    /// An array of objects, whose element types (by branch) merge into one.
    Merged {
        /// The element type of each branch that has the member, by branch index.
        elements: Vec<(usize, Object<'a>)>,
        /// The merged element's member names, with the seed and the Rust type of each.
        members: Vec<(String, TokenStream, TokenStream)>,
    },
}

/// A member name of the branches and how it decodes.
struct Key<'a> {
    wire: &'a str,
    /// The branches that have it, by index, with their field for it.
    fields: Vec<(usize, &'a Field<'a>)>,
    slot: Slot<'a>,
}

/// The element object type of an array member, when the member's array decodes through
/// `protocol::List` and its element is a plain object.
fn array_element<'a>(generator: &'a Generator, owner: &str, field: &Field) -> Option<Object<'a>> {
    if generator
        .selection
        .member_path(owner, &field.member.name)
        .is_some()
        || generator.selection.type_path(field.member.ty).is_some()
    {
        return None;
    }
    match &generator.entity(field.member.ty).kind {
        EntityKind::Array(array) => plain_object(generator, array.element),
        _ => None,
    }
}

/// The merged element of `elements`: every member name of theirs, once, with the seed
/// they agree on; `None` when two disagree.
fn merge(
    generator: &Generator,
    elements: &[(usize, Object)],
) -> Option<Vec<(String, TokenStream, TokenStream)>> {
    let mut members: Vec<(String, TokenStream, TokenStream)> = Vec::new();
    for (_, element) in elements {
        for field in &element.fields {
            let seed = &field.seed_type;
            match members.iter().find(|(wire, ..)| *wire == field.member.name) {
                Some((_, known, _)) if known.to_string() != seed.to_string() => return None,
                Some(_) => {}
                None => {
                    let held = generator.held_type(Some(element.id), field.member.ty, Scope::Root);
                    members.push((field.member.name.clone(), seed.clone(), held));
                }
            }
        }
    }
    Some(members)
}

/// The member names of `payloads`' branches and how each decodes; `None` when some name
/// has no one type to decode by.
fn keys<'a>(generator: &'a Generator, payloads: &'a [Option<Object<'a>>]) -> Option<Vec<Key<'a>>> {
    let mut keys: Vec<Key> = Vec::new();
    for (branch, payload) in payloads.iter().enumerate() {
        for field in payload.iter().flat_map(|object| &object.fields) {
            match keys.iter_mut().find(|key| key.wire == field.member.name) {
                Some(key) => key.fields.push((branch, field)),
                None => keys.push(Key {
                    wire: &field.member.name,
                    fields: vec![(branch, field)],
                    slot: Slot::Shared(field.seed_type.clone()),
                }),
            }
        }
    }
    for key in &mut keys {
        let seed = key.fields[0].1.seed_type.to_string();
        if key
            .fields
            .iter()
            .all(|(_, field)| field.seed_type.to_string() == seed)
        {
            continue;
        }
        let elements = key
            .fields
            .iter()
            .map(|(branch, field)| {
                let owner = payloads[*branch]
                    .as_ref()
                    .expect("a branch with members")
                    .name;
                Some((*branch, array_element(generator, owner, field)?))
            })
            .collect::<Option<Vec<_>>>()?;
        let members = merge(generator, &elements)?;
        key.slot = Slot::Merged { elements, members };
    }
    Some(keys)
}

/// The value of `field` from the slot `local`: checked present when the member is
/// required, then turned into the field's type by `convert`, if it needs that.
fn field_value(
    field: &Field,
    owner: &str,
    local: &Ident,
    convert: Option<&dyn Fn(TokenStream) -> TokenStream>,
) -> TokenStream {
    let ident = &field.ident;
    let wire = &field.member.name;
    let value = match (field.member.optional, convert) {
        (true, None) => quote!(#local),
        (true, Some(convert)) => {
            let value = convert(quote!(value));
            quote!(match #local {
                ::core::option::Option::Some(value) => ::core::option::Option::Some(#value),
                ::core::option::Option::None => ::core::option::Option::None,
            })
        }
        (false, convert) => {
            let value = quote!(protocol::required::<_, A::Error>(#local, #owner, #wire)?);
            match convert {
                Some(convert) => convert(value),
                None => value,
            }
        }
    };
    quote!(#ident: #value,)
}

/// `protocol::foreign_members(…)?;` for the slots of `locals`, none of which the branch
/// being built has: nothing when there are none.
fn no_foreign_members(locals: &[&Ident]) -> TokenStream {
    if locals.is_empty() {
        return TokenStream::new();
    }
    quote!(protocol::foreign_members::<A::Error>(#(#locals.is_some())||*)?;)
}

/// The loop of a speculative `visit_map`: each member, by its name in `wires`, decoded with
/// its seed in `seeds` into the slot that `slot` names, failing on a repeated member; an
/// unknown member passed over, as the ordinary decoder does, or failing a strict decode.
/// Member names must be borrowed from the input: an escaped one fails, and the ordinary
/// decode takes over.
fn member_loop(
    wires: &[&str],
    seeds: &[TokenStream],
    slot: impl Fn(usize) -> TokenStream,
) -> TokenStream {
    let arms = wires.iter().zip(seeds).enumerate().map(|(index, (wire, seed))| {
        let slot = slot(index);
        quote!(#wire => {
            if #slot.is_some() {
                return ::core::result::Result::Err(protocol::not_speculated());
            }
            #slot = ::core::option::Option::Some(map.next_value_seed(<#seed as ::core::default::Default>::default())?);
        })
    });
    quote! {
        while let ::core::option::Option::Some(key) = map.next_key::<&'de str>()? {
            match key {
                #(#arms)*
                _ => {
                    protocol::foreign_members::<A::Error>(true)?;
                    map.next_value::<::serde::de::IgnoredAny>()?;
                }
            }
        }
    }
}

/// A type holding the members of one element of the arrays a merged member name holds,
/// each optional, decoded by a visitor of its own.
fn merged_type(
    merged: &Ident,
    element_name: &str,
    members: &[(String, TokenStream, TokenStream)],
) -> TokenStream {
    let visitor = format_ident!("{merged}Visitor");
    let types = members
        .iter()
        .map(|(.., held)| quote!(::core::option::Option<#held>));
    let empty = members.iter().map(|_| quote!(::core::option::Option::None));
    let wires: Vec<&str> = members.iter().map(|(wire, ..)| wire.as_str()).collect();
    let seeds: Vec<TokenStream> = members.iter().map(|(_, seed, _)| seed.clone()).collect();
    let body = member_loop(&wires, &seeds, |index| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(element.#index)
    });
    let expecting = format!("an object ({element_name})");
    quote! {
        /// The members of an element of any branch's array of this name.
        struct #merged(#(#types),*);
        impl<'de> ::serde::Deserialize<'de> for #merged {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct #visitor;
                impl<'de> ::serde::de::Visitor<'de> for #visitor {
                    type Value = #merged;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#merged, A::Error> {
                        let mut element = #merged(#(#empty),*);
                        #body
                        ::core::result::Result::Ok(element)
                    }
                }
                deserializer.deserialize_map(#visitor)
            }
        }
    }
}

/// The speculative decode of `union`, to go first in its `deserialize`: a block that
/// returns the union when `protocol::speculating()`. `None` when the union does not
/// qualify (see the module's docs).
pub(super) fn speculative_decode(
    generator: &Generator,
    union: &Union,
    branches: &[SpeculativeBranch],
) -> Option<TokenStream> {
    if !generator.returned.contains(&union.id)
        || union.base.iter().any(|field| !field.cfg.is_empty())
    {
        return None;
    }
    let payloads: Vec<Option<Object>> = branches
        .iter()
        .map(|branch| match branch.payload {
            Some(id) => plain_object(generator, id).map(Some),
            None => Some(None),
        })
        .collect::<Option<_>>()?;
    let keys = keys(generator, &payloads)?;

    // The slots: the base members, then every member name of the branches, all optional
    // until the object ends.
    let base_len = union.base.len();
    let mut wires: Vec<&str> = union
        .base
        .iter()
        .map(|field| field.member.name.as_str())
        .collect();
    let mut seeds: Vec<TokenStream> = union
        .base
        .iter()
        .map(|field| field.seed_type.clone())
        .collect();
    let mut merged_types = TokenStream::new();
    for (index, key) in keys.iter().enumerate() {
        let seed = match &key.slot {
            Slot::Shared(seed) => seed.clone(),
            Slot::Merged { elements, members } => {
                let merged = format_ident!("Merged{index}");
                merged_types.extend(merged_type(&merged, elements[0].1.name, members));
                quote!(protocol::List::<#merged>)
            }
        };
        seeds.push(seed);
        wires.push(key.wire);
    }
    let locals: Vec<Ident> = (0..wires.len()).map(member_local).collect();
    let member_loop = member_loop(&wires, &seeds, |index| {
        let local = &locals[index];
        quote!(#local)
    });
    let key_locals = &locals[base_len..];

    let arms = branches.iter().enumerate().map(|(branch, speculative)| {
        let SpeculativeBranch {
            tag_variant,
            ident,
            ..
        } = speculative;
        let (tag_type, branch_enum) = (union.tag_type, union.branch_enum);
        let foreign: Vec<&Ident> = keys
            .iter()
            .zip(key_locals)
            .filter(|(key, _)| key.fields.iter().all(|(owner, _)| *owner != branch))
            .map(|(_, local)| local)
            .collect();
        let check = no_foreign_members(&foreign);
        let Some(payload) = &payloads[branch] else {
            return quote!(#tag_type::#tag_variant => { #check #branch_enum::#ident });
        };
        let values = payload.fields.iter().map(|field| {
            let index = keys
                .iter()
                .position(|key| key.wire == field.member.name)
                .expect("every member is a key");
            let local = &key_locals[index];
            match &keys[index].slot {
                Slot::Shared(_) => field_value(field, payload.name, local, None),
                Slot::Merged { elements, members } => {
                    let merged = format_ident!("Merged{index}");
                    let element = &elements
                        .iter()
                        .find(|(owner, _)| *owner == branch)
                        .expect("the branch has an element type")
                        .1;
                    let element_locals: Vec<Ident> = (0..members.len())
                        .map(|index| format_ident!("element_{index}"))
                        .collect();
                    let foreign: Vec<&Ident> = members
                        .iter()
                        .zip(&element_locals)
                        .filter(|((wire, ..), _)| {
                            element.fields.iter().all(|field| field.member.name != *wire)
                        })
                        .map(|(_, local)| local)
                        .collect();
                    let check = no_foreign_members(&foreign);
                    let element_values: Vec<TokenStream> = element
                        .fields
                        .iter()
                        .map(|field| {
                            let index = members
                                .iter()
                                .position(|(wire, ..)| *wire == field.member.name)
                                .expect("every member is merged");
                            field_value(field, element.name, &element_locals[index], None)
                        })
                        .collect();
                    let path = &element.path;
                    let convert = |list: TokenStream| {
                        quote! {
                            #list.into_iter().map(|#merged(#(#element_locals),*)| {
                                #check
                                ::core::result::Result::Ok(#path { #(#element_values)* })
                            }).collect::<::core::result::Result<::std::vec::Vec<#path>, A::Error>>()?
                        }
                    };
                    field_value(field, payload.name, local, Some(&convert))
                }
            }
        });
        let path = &payload.path;
        quote!(#tag_type::#tag_variant => {
            #check
            #branch_enum::#ident(#path { #(#values)* })
        })
    });
    let (type_name, union_ident, tag_ident) = (union.type_name, union.ident, union.tag_ident);
    let required_base = union
        .base
        .iter()
        .zip(&locals)
        .filter(|(field, _)| !field.member.optional)
        .map(|(field, local)| {
            let wire = &field.member.name;
            quote!(let #local = protocol::required::<_, A::Error>(#local, #type_name, #wire)?;)
        });
    let tag_local = &locals[union.tag_index];
    let base_values = union
        .base
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != union.tag_index)
        .map(|(index, field)| field.initializer(index));
    let expecting = format!("an object ({type_name})");
    Some(quote! {
        if protocol::speculating() {
            #merged_types
            struct Speculative;
            impl<'de> ::serde::de::Visitor<'de> for Speculative {
                type Value = #union_ident;
                fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                    f.write_str(#expecting)
                }
                fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#union_ident, A::Error> {
                    #(let mut #locals = ::core::option::Option::None;)*
                    #member_loop
                    #(#required_base)*
                    #[allow(unreachable_patterns)]
                    let variant = match #tag_local {
                        #(#arms)*
                        _ => return ::core::result::Result::Err(protocol::not_speculated()),
                    };
                    ::core::result::Result::Ok(#union_ident {
                        #(#base_values)*
                        #tag_ident: variant,
                    })
                }
            }
            return deserializer.deserialize_map(Speculative);
        }
    })
}
