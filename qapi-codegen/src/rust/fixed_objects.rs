//! The object half of the fixed `protocol` module: the generic decoders and encoders
//! that generated serde impls call, so that a struct, a list or an enum adds little
//! for rustc to check. `support.rs` puts these items into the `protocol` module itself,
//! without the `use` below; `tests/generated` compiles this file as a submodule of
//! `fixed_protocol.rs`.

use super::*;
/// Where a member name is in its type's list of member names, the list's length for
/// a name not in it: a generated decoder's `match` on the name, compiled per type,
/// which is much faster than searching the list.
#[doc(hidden)]
pub type Lookup = fn(&str) -> usize;
/// Finds a member name's index in a generated decoder's list of known members of a
/// type; an unknown member gives the list's length, or an error in a strict decode.
#[doc(hidden)]
pub struct MemberIndex(pub &'static [&'static str], pub &'static str, pub Lookup);
impl<'de> ::serde::de::DeserializeSeed<'de> for MemberIndex {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::core::result::Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}
impl<'de> Visitor<'de> for MemberIndex {
    type Value = usize;
    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: ::serde::de::Error>(
        self,
        name: &str,
    ) -> ::core::result::Result<usize, E> {
        let index = (self.2)(name);
        if index == self.0.len() && strict() {
            return ::core::result::Result::Err(E::custom(unexpected(self.1, name)));
        }
        ::core::result::Result::Ok(index)
    }
}
/// Like [`MemberIndex`], but an unknown member gives its name, to be kept.
#[doc(hidden)]
pub struct MemberKey(pub &'static [&'static str], pub Lookup);
impl<'de> ::serde::de::DeserializeSeed<'de> for MemberKey {
    type Value = ::core::result::Result<usize, ::std::string::String>;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::core::result::Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}
impl<'de> Visitor<'de> for MemberKey {
    type Value = ::core::result::Result<usize, ::std::string::String>;
    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: ::serde::de::Error>(
        self,
        name: &str,
    ) -> ::core::result::Result<Self::Value, E> {
        let index = (self.1)(name);
        ::core::result::Result::Ok(
            if index < self.0.len() {
                ::core::result::Result::Ok(index)
            } else {
                ::core::result::Result::Err(name.to_owned())
            },
        )
    }
}
/// Decodes the value of member `name` of `type_name` into its empty `slot`, with
/// `seed`: `PhantomData` for most types, [`List`] for arrays.
#[doc(hidden)]
pub fn member<'de, A: MapAccess<'de>, S: ::serde::de::DeserializeSeed<'de>>(
    map: &mut A,
    slot: &mut ::core::option::Option<S::Value>,
    seed: S,
    type_name: &'static str,
    name: &'static str,
) -> ::core::result::Result<(), A::Error> {
    if slot.is_some() {
        return ::core::result::Result::Err(A::Error::custom(duplicate(type_name, name)));
    }
    let value = map
        .next_value_seed(seed)
        .map_err(|error| record(error, PathStep::Member(name, type_name)))?;
    *slot = ::core::option::Option::Some(value);
    ::core::result::Result::Ok(())
}
/// The value of a required member, or the error saying it is missing.
#[doc(hidden)]
pub fn required<T, E: ::serde::de::Error>(
    slot: ::core::option::Option<T>,
    type_name: &'static str,
    name: &'static str,
) -> ::core::result::Result<T, E> {
    match slot {
        ::core::option::Option::Some(value) => ::core::result::Result::Ok(value),
        ::core::option::Option::None => {
            ::core::result::Result::Err(E::custom(missing(type_name, name)))
        }
    }
}
/// The members of an object as a generated decoder declares them: a [`Required`],
/// [`Optional`] or [`Absent`] member, or a tuple of up to 16 of these and of such
/// tuples (longer member lists nest). Each member's name is `names[base]` of the
/// object's list of member names, its position in that list.
#[doc(hidden)]
pub trait Members<'de> {
    /// How many members it holds.
    const LEN: usize;
    /// What holds their values while the object's members arrive.
    type Slots;
    /// Their values once the object has ended.
    type Fields;
    fn slots() -> Self::Slots;
    /// Decodes the value of member `index` (counted from `base`) into its slot.
    fn decode<A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        base: usize,
        map: &mut A,
        type_name: &'static str,
        names: &'static [&'static str],
    ) -> ::core::result::Result<(), A::Error>;
    /// The values, or the error naming the first required member that is missing.
    fn finish<E: ::serde::de::Error>(
        slots: Self::Slots,
        base: usize,
        type_name: &'static str,
        names: &'static [&'static str],
    ) -> ::core::result::Result<Self::Fields, E>;
}
/// A member that must be present, decoded by the seed `S`.
#[doc(hidden)]
pub struct Required<S>(::core::marker::PhantomData<S>);
/// A member that may be absent.
#[doc(hidden)]
pub struct Optional<S>(::core::marker::PhantomData<S>);
/// A member this build leaves out (its condition does not hold): its value is
/// skipped.
#[doc(hidden)]
pub struct Absent;
impl<
    'de,
    S: ::serde::de::DeserializeSeed<'de> + ::core::default::Default,
> Members<'de> for Required<S> {
    const LEN: usize = 1;
    type Slots = ::core::option::Option<S::Value>;
    type Fields = S::Value;
    #[inline]
    fn slots() -> Self::Slots {
        ::core::option::Option::None
    }
    #[inline]
    fn decode<A: MapAccess<'de>>(
        slot: &mut Self::Slots,
        _: usize,
        base: usize,
        map: &mut A,
        type_name: &'static str,
        names: &'static [&'static str],
    ) -> ::core::result::Result<(), A::Error> {
        member(map, slot, S::default(), type_name, names[base])
    }
    #[inline]
    fn finish<E: ::serde::de::Error>(
        slot: Self::Slots,
        base: usize,
        type_name: &'static str,
        names: &'static [&'static str],
    ) -> ::core::result::Result<S::Value, E> {
        required(slot, type_name, names[base])
    }
}
impl<
    'de,
    S: ::serde::de::DeserializeSeed<'de> + ::core::default::Default,
> Members<'de> for Optional<S> {
    const LEN: usize = 1;
    type Slots = ::core::option::Option<S::Value>;
    type Fields = ::core::option::Option<S::Value>;
    #[inline]
    fn slots() -> Self::Slots {
        ::core::option::Option::None
    }
    #[inline]
    fn decode<A: MapAccess<'de>>(
        slot: &mut Self::Slots,
        _: usize,
        base: usize,
        map: &mut A,
        type_name: &'static str,
        names: &'static [&'static str],
    ) -> ::core::result::Result<(), A::Error> {
        member(map, slot, S::default(), type_name, names[base])
    }
    #[inline]
    fn finish<E: ::serde::de::Error>(
        slot: Self::Slots,
        _: usize,
        _: &'static str,
        _: &'static [&'static str],
    ) -> ::core::result::Result<Self::Fields, E> {
        ::core::result::Result::Ok(slot)
    }
}
impl<'de> Members<'de> for Absent {
    const LEN: usize = 1;
    type Slots = ();
    type Fields = ();
    #[inline]
    fn slots() {}
    #[inline]
    fn decode<A: MapAccess<'de>>(
        _: &mut (),
        _: usize,
        _: usize,
        map: &mut A,
        _: &'static str,
        _: &'static [&'static str],
    ) -> ::core::result::Result<(), A::Error> {
        map.next_value::<::serde::de::IgnoredAny>().map(|_| ())
    }
    #[inline]
    fn finish<E: ::serde::de::Error>(
        _: (),
        _: usize,
        _: &'static str,
        _: &'static [&'static str],
    ) -> ::core::result::Result<(), E> {
        ::core::result::Result::Ok(())
    }
}
/// [`Members`] for a tuple of members: a member's index picks the element that
/// holds it.
macro_rules! members_tuple {
    ($($member:ident . $position:tt),+) => {
        impl<'de, $($member: Members<'de>),+> Members<'de> for ($($member,)+) {
            const LEN: usize = 0 $(+ $member::LEN)+;
            type Slots = ($($member::Slots,)+);
            type Fields = ($($member::Fields,)+);
            #[inline]
            fn slots() -> Self::Slots {
                ($($member::slots(),)+)
            }
            #[inline]
            fn decode<A: MapAccess<'de>>(
                slots: &mut Self::Slots,
                index: usize,
                base: usize,
                map: &mut A,
                type_name: &'static str,
                names: &'static [&'static str],
            ) -> ::core::result::Result<(), A::Error> {
                let (mut index, mut base) = (index, base);
                $(
                    if index < $member::LEN {
                        return $member::decode(
                            &mut slots.$position, index, base, map, type_name, names,
                        );
                    }
                    index -= $member::LEN;
                    base += $member::LEN;
                )+
                let _ = (index, base);
                ::core::unreachable!("a member index past the members")
            }
            #[inline]
            fn finish<E: ::serde::de::Error>(
                slots: Self::Slots,
                base: usize,
                type_name: &'static str,
                names: &'static [&'static str],
            ) -> ::core::result::Result<Self::Fields, E> {
                let mut next = base;
                ::core::result::Result::Ok(($({
                    let base = next;
                    next += $member::LEN;
                    let _ = next;
                    $member::finish(slots.$position, base, type_name, names)?
                },)+))
            }
        }
    };
}
/// Decodes an object of type `type_name` whose members, named `names`, are `M`, in
/// one pass over its members; unknown ones are skipped (or rejected in a strict
/// decode).
#[doc(hidden)]
pub fn decode_object<'de, M: Members<'de>, D: Deserializer<'de>>(
    deserializer: D,
    type_name: &'static str,
    names: &'static [&'static str],
    lookup: Lookup,
) -> ::core::result::Result<M::Fields, D::Error> {
    deserializer
        .deserialize_map(ObjectVisitor::<M> {
            type_name,
            names,
            lookup,
            members: ::core::marker::PhantomData,
        })
}
/// [`decode_object`] for an object that keeps the members its schema does not
/// declare, as the arguments of some commands do.
#[doc(hidden)]
pub fn decode_open_object<'de, M: Members<'de>, D: Deserializer<'de>>(
    deserializer: D,
    type_name: &'static str,
    names: &'static [&'static str],
    lookup: Lookup,
) -> ::core::result::Result<(M::Fields, Undeclared), D::Error> {
    deserializer
        .deserialize_map(OpenObjectVisitor::<M> {
            type_name,
            names,
            lookup,
            members: ::core::marker::PhantomData,
        })
}
/// The members of an object that its schema does not declare.
#[doc(hidden)]
pub type Undeclared = ::serde_json::Map<::std::string::String, ::serde_json::Value>;
struct ObjectVisitor<M> {
    type_name: &'static str,
    names: &'static [&'static str],
    lookup: Lookup,
    members: ::core::marker::PhantomData<M>,
}
impl<'de, M: Members<'de>> Visitor<'de> for ObjectVisitor<M> {
    type Value = M::Fields;
    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        ::core::write!(f, "an object ({})", self.type_name)
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> ::core::result::Result<M::Fields, A::Error> {
        let mut slots = M::slots();
        while let ::core::option::Option::Some(index) = map
            .next_key_seed(MemberIndex(self.names, self.type_name, self.lookup))?
        {
            if index < M::LEN {
                M::decode(&mut slots, index, 0, &mut map, self.type_name, self.names)?;
            } else {
                map.next_value::<::serde::de::IgnoredAny>()?;
            }
        }
        M::finish(slots, 0, self.type_name, self.names)
    }
}
struct OpenObjectVisitor<M> {
    type_name: &'static str,
    names: &'static [&'static str],
    lookup: Lookup,
    members: ::core::marker::PhantomData<M>,
}
impl<'de, M: Members<'de>> Visitor<'de> for OpenObjectVisitor<M> {
    type Value = (M::Fields, Undeclared);
    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        ::core::write!(f, "an object ({})", self.type_name)
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> ::core::result::Result<Self::Value, A::Error> {
        let mut slots = M::slots();
        let mut undeclared = ::serde_json::Map::new();
        while let ::core::option::Option::Some(key) = map
            .next_key_seed(MemberKey(self.names, self.lookup))?
        {
            match key {
                ::core::result::Result::Ok(index) => {
                    M::decode(&mut slots, index, 0, &mut map, self.type_name, self.names)?
                }
                ::core::result::Result::Err(name) => {
                    undeclared.insert(name, map.next_value()?);
                }
            }
        }
        ::core::result::Result::Ok((
            M::finish(slots, 0, self.type_name, self.names)?,
            undeclared,
        ))
    }
}
/// Decodes an array, reporting the index of an element that fails.
#[doc(hidden)]
pub struct List<T>(pub ::core::marker::PhantomData<T>);
impl<T> ::core::default::Default for List<T> {
    fn default() -> Self {
        List(::core::marker::PhantomData)
    }
}
impl<T> ::core::clone::Clone for List<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> ::core::marker::Copy for List<T> {}
impl<'de, T: Deserialize<'de>> ::serde::de::DeserializeSeed<'de> for List<T> {
    type Value = ::std::vec::Vec<T>;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::core::result::Result<::std::vec::Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}
impl<'de, T: Deserialize<'de>> Visitor<'de> for List<T> {
    type Value = ::std::vec::Vec<T>;
    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> ::core::result::Result<::std::vec::Vec<T>, A::Error> {
        let mut list = ::std::vec::Vec::with_capacity(
            seq.size_hint().unwrap_or(0).min(4096),
        );
        loop {
            let index = list.len();
            match seq
                .next_element()
                .map_err(|error| record(error, PathStep::Index(index)))?
            {
                ::core::option::Option::Some(element) => list.push(element),
                ::core::option::Option::None => {
                    return ::core::result::Result::Ok(list);
                }
            }
        }
    }
}
/// An enumeration with its wire names.
#[doc(hidden)]
pub trait WireEnum: ::core::marker::Sized {
    /// The value for a wire name; an unknown name gives the catch-all variant, or
    /// `None` when the enum has none.
    fn from_wire(name: &str) -> ::core::option::Option<Self>;
    /// The wire name.
    fn wire(&self) -> &str;
    /// Whether the value is one the schema defines.
    fn is_recognized(&self) -> bool;
}
/// The enum value named `name`; in a strict decode, only a value the schema
/// defines.
#[doc(hidden)]
pub fn enum_value<E: WireEnum, Err: ::serde::de::Error>(
    name: &str,
) -> ::core::result::Result<E, Err> {
    match E::from_wire(name) {
        ::core::option::Option::Some(value) if value.is_recognized() || !strict() => {
            ::core::result::Result::Ok(value)
        }
        _ => ::core::result::Result::Err(Err::custom(unknown_value(name))),
    }
}
#[doc(hidden)]
pub fn serialize_enum<E: WireEnum, S: Serializer>(
    value: &E,
    serializer: S,
) -> ::core::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(value.wire())
}
#[doc(hidden)]
pub fn deserialize_enum<'de, E: WireEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> ::core::result::Result<E, D::Error> {
    struct EnumVisitor<E>(::core::marker::PhantomData<E>);
    impl<'de, E: WireEnum> Visitor<'de> for EnumVisitor<E> {
        type Value = E;
        fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<Err: ::serde::de::Error>(
            self,
            name: &str,
        ) -> ::core::result::Result<E, Err> {
            enum_value(name)
        }
    }
    deserializer.deserialize_str(EnumVisitor(::core::marker::PhantomData))
}
/// An object type that can write its members into a map being serialized, so
/// unions can inline their branch.
#[doc(hidden)]
pub trait SerializeFields {
    fn serialize_fields<M: SerializeMap>(
        &self,
        map: &mut M,
    ) -> ::core::result::Result<(), M::Error>;
}
/// Members to write into a map being serialized: an [`Entry`], a [`Present`], or a
/// tuple of up to 16 of these and of such tuples, written in order.
#[doc(hidden)]
pub trait Entries {
    fn write<M: SerializeMap>(self, map: &mut M) -> ::core::result::Result<(), M::Error>;
}
/// A member and its value.
#[doc(hidden)]
pub struct Entry<'a, T: ?::core::marker::Sized>(pub &'static str, pub &'a T);
/// An optional member, written only when it has a value.
#[doc(hidden)]
pub struct Present<'a, T>(pub &'static str, pub &'a ::core::option::Option<T>);
impl<T: Serialize + ?::core::marker::Sized> Entries for Entry<'_, T> {
    #[inline]
    fn write<M: SerializeMap>(self, map: &mut M) -> ::core::result::Result<(), M::Error> {
        map.serialize_entry(self.0, self.1)
    }
}
impl<T: Serialize> Entries for Present<'_, T> {
    #[inline]
    fn write<M: SerializeMap>(self, map: &mut M) -> ::core::result::Result<(), M::Error> {
        match self.1 {
            ::core::option::Option::Some(value) => map.serialize_entry(self.0, value),
            ::core::option::Option::None => ::core::result::Result::Ok(()),
        }
    }
}
/// [`Entries`] for a tuple of entries.
macro_rules! entries_tuple {
    ($($entry:ident . $position:tt),+) => {
        impl<$($entry: Entries),+> Entries for ($($entry,)+) {
            #[inline]
            fn write<M: SerializeMap>(
                self,
                map: &mut M,
            ) -> ::core::result::Result<(), M::Error> {
                $(self.$position.write(map)?;)+
                ::core::result::Result::Ok(())
            }
        }
    };
}
/// Invokes the macro `$tuple` for tuples of 1 to 16 elements, each element a type
/// parameter with its position.
macro_rules! for_each_tuple {
    ($tuple:ident) => {
        $tuple!(T0.0);
        $tuple!(T0.0, T1.1);
        $tuple!(T0.0, T1.1, T2.2);
        $tuple!(T0.0, T1.1, T2.2, T3.3);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8, T9.9);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8, T9.9, T10.10);
        $tuple!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8, T9.9, T10.10, T11.11);
        $tuple!(
            T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8, T9.9, T10.10, T11.11,
            T12.12
        );
        $tuple!(
            T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8, T9.9, T10.10, T11.11,
            T12.12, T13.13
        );
        $tuple!(
            T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8, T9.9, T10.10, T11.11,
            T12.12, T13.13, T14.14
        );
        $tuple!(
            T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7, T8.8, T9.9, T10.10, T11.11,
            T12.12, T13.13, T14.14, T15.15
        );
    };
}
for_each_tuple!(members_tuple);
for_each_tuple!(entries_tuple);
#[doc(hidden)]
pub fn serialize_object<T: SerializeFields, S: Serializer>(
    value: &T,
    serializer: S,
) -> ::core::result::Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(::core::option::Option::None)?;
    value.serialize_fields(&mut map)?;
    map.end()
}
impl SerializeFields for Empty {
    fn serialize_fields<M: SerializeMap>(
        &self,
        _: &mut M,
    ) -> ::core::result::Result<(), M::Error> {
        ::core::result::Result::Ok(())
    }
}
impl SerializeFields
for ::serde_json::Map<::std::string::String, ::serde_json::Value> {
    fn serialize_fields<M: SerializeMap>(
        &self,
        map: &mut M,
    ) -> ::core::result::Result<(), M::Error> {
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        ::core::result::Result::Ok(())
    }
}
