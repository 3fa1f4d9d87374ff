//! The union half of the fixed `protocol` module: what generated union decoders call to
//! read an object once, keeping the members outside the union's base until its tag says
//! which branch decodes them. `support.rs` puts these items into the `protocol` module
//! itself, without the `use` below; `tests/generated` compiles this file as a submodule of
//! `fixed_protocol.rs`.

use super::*;
/// A member name read from the input: borrowed from it where the deserializer allows.
#[doc(hidden)]
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(::std::string::String),
}
impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(name) => name,
            Key::Owned(name) => name,
        }
    }
}
impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(
                &self,
                f: &mut ::core::fmt::Formatter,
            ) -> ::core::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: ::serde::de::Error>(
                self,
                name: &'de str,
            ) -> ::core::result::Result<Key<'de>, E> {
                ::core::result::Result::Ok(Key::Borrowed(name))
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                name: &str,
            ) -> ::core::result::Result<Key<'de>, E> {
                ::core::result::Result::Ok(Key::Owned(name.to_owned()))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                name: ::std::string::String,
            ) -> ::core::result::Result<Key<'de>, E> {
                ::core::result::Result::Ok(Key::Owned(name))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}
/// A member value a union decoder keeps until it knows its branch: any JSON value,
/// with strings borrowed from the input where the deserializer allows.
#[doc(hidden)]
pub enum Buffered<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Borrowed(&'de str),
    String(::std::string::String),
    Array(::std::vec::Vec<Buffered<'de>>),
    Object(::std::vec::Vec<(Key<'de>, Buffered<'de>)>),
}
impl Buffered<'_> {
    /// What the value is, for an error saying it is not what a decoder expects.
    fn unexpected(&self) -> ::serde::de::Unexpected<'_> {
        match self {
            Buffered::Null => ::serde::de::Unexpected::Unit,
            Buffered::Bool(value) => ::serde::de::Unexpected::Bool(*value),
            Buffered::I64(value) => ::serde::de::Unexpected::Signed(*value),
            Buffered::U64(value) => ::serde::de::Unexpected::Unsigned(*value),
            Buffered::F64(value) => ::serde::de::Unexpected::Float(*value),
            Buffered::Borrowed(value) => ::serde::de::Unexpected::Str(value),
            Buffered::String(value) => ::serde::de::Unexpected::Str(value),
            Buffered::Array(_) => ::serde::de::Unexpected::Seq,
            Buffered::Object(_) => ::serde::de::Unexpected::Map,
        }
    }
}
impl<'de> Deserialize<'de> for Buffered<'de> {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error> {
        struct BufferedVisitor;
        impl<'de> Visitor<'de> for BufferedVisitor {
            type Value = Buffered<'de>;
            fn expecting(
                &self,
                f: &mut ::core::fmt::Formatter,
            ) -> ::core::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: ::serde::de::Error>(
                self,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::Null)
            }
            fn visit_none<E: ::serde::de::Error>(
                self,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::Null)
            }
            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> ::core::result::Result<Buffered<'de>, D::Error> {
                Buffered::deserialize(deserializer)
            }
            fn visit_bool<E: ::serde::de::Error>(
                self,
                value: bool,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::Bool(value))
            }
            fn visit_i64<E: ::serde::de::Error>(
                self,
                value: i64,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::I64(value))
            }
            fn visit_u64<E: ::serde::de::Error>(
                self,
                value: u64,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::U64(value))
            }
            fn visit_f64<E: ::serde::de::Error>(
                self,
                value: f64,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::F64(value))
            }
            fn visit_borrowed_str<E: ::serde::de::Error>(
                self,
                value: &'de str,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::Borrowed(value))
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::String(value.to_owned()))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::core::result::Result<Buffered<'de>, E> {
                ::core::result::Result::Ok(Buffered::String(value))
            }
            fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> ::core::result::Result<Buffered<'de>, A::Error> {
                let mut elements = ::std::vec::Vec::new();
                while let ::core::option::Option::Some(element) = seq
                    .next_element()?
                {
                    elements.push(element);
                }
                ::core::result::Result::Ok(Buffered::Array(elements))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> ::core::result::Result<Buffered<'de>, A::Error> {
                let mut members = ::std::vec::Vec::new();
                while let ::core::option::Option::Some(key) = map.next_key()? {
                    members.push((key, map.next_value()?));
                }
                ::core::result::Result::Ok(Buffered::Object(members))
            }
        }
        deserializer.deserialize_any(BufferedVisitor)
    }
}
/// Replays a [`Buffered`] value to a decoder, with the error type of the input it
/// came from.
#[doc(hidden)]
pub struct Replay<'de, E>(Buffered<'de>, ::core::marker::PhantomData<E>);
impl<'de, E: ::serde::de::Error> ::serde::de::IntoDeserializer<'de, E>
for Buffered<'de> {
    type Deserializer = Replay<'de, E>;
    fn into_deserializer(self) -> Replay<'de, E> {
        Replay(self, ::core::marker::PhantomData)
    }
}
impl<'de, E: ::serde::de::Error> ::serde::de::IntoDeserializer<'de, E> for Key<'de> {
    type Deserializer = Replay<'de, E>;
    fn into_deserializer(self) -> Replay<'de, E> {
        match self {
            Key::Borrowed(name) => Replay(Buffered::Borrowed(name), ::core::marker::PhantomData),
            Key::Owned(name) => Replay(Buffered::String(name), ::core::marker::PhantomData),
        }
    }
}
impl<'de, E: ::serde::de::Error> Deserializer<'de> for Replay<'de, E> {
    type Error = E;
    fn deserialize_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.0 {
            Buffered::Null => visitor.visit_unit(),
            Buffered::Bool(value) => visitor.visit_bool(value),
            Buffered::I64(value) => visitor.visit_i64(value),
            Buffered::U64(value) => visitor.visit_u64(value),
            Buffered::F64(value) => visitor.visit_f64(value),
            Buffered::Borrowed(value) => visitor.visit_borrowed_str(value),
            Buffered::String(value) => visitor.visit_string(value),
            array @ Buffered::Array(_) => {
                Replay(array, ::core::marker::PhantomData).deserialize_seq(visitor)
            }
            object @ Buffered::Object(_) => {
                Replay(object, ::core::marker::PhantomData).deserialize_map(visitor)
            }
        }
    }
    fn deserialize_option<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.0 {
            Buffered::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.0 {
            Buffered::Borrowed(variant) => {
                visitor
                    .visit_enum(::serde::de::value::BorrowedStrDeserializer::new(variant))
            }
            Buffered::String(variant) => {
                visitor.visit_enum(::serde::de::value::StringDeserializer::new(variant))
            }
            Buffered::Object(members) => {
                visitor
                    .visit_enum(
                        ::serde::de::value::MapAccessDeserializer::new(
                            ::serde::de::value::MapDeserializer::new(members.into_iter()),
                        ),
                    )
            }
            other => Replay(other, ::core::marker::PhantomData).deserialize_any(visitor),
        }
    }
    // Objects, arrays and strings, what the generated decoders ask for, go straight to
    // the one method of the visitor that can take them, so the visitor's other methods
    // are not compiled for each replay; the error is what `deserialize_any` would give.
    fn deserialize_map<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.0 {
            Buffered::Object(members) => {
                let mut map = ::serde::de::value::MapDeserializer::new(
                    members.into_iter(),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                ::core::result::Result::Ok(value)
            }
            other => ::core::result::Result::Err(E::invalid_type(other.unexpected(), &visitor)),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        self.deserialize_map(visitor)
    }
    fn deserialize_seq<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.0 {
            Buffered::Array(elements) => {
                let mut seq = ::serde::de::value::SeqDeserializer::new(
                    elements.into_iter(),
                );
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                ::core::result::Result::Ok(value)
            }
            other => ::core::result::Result::Err(E::invalid_type(other.unexpected(), &visitor)),
        }
    }
    fn deserialize_str<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.0 {
            Buffered::Borrowed(value) => visitor.visit_borrowed_str(value),
            Buffered::String(value) => visitor.visit_string(value),
            other => ::core::result::Result::Err(E::invalid_type(other.unexpected(), &visitor)),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        self.deserialize_str(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        self.deserialize_str(visitor)
    }
    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct tuple tuple_struct ignored_any
    }
}
/// What a generated union decoder knows of its union: the members outside the
/// branches (the tag among them), which decode as an object's [`Members`] do, and
/// how the branch chosen by the tag decodes.
#[doc(hidden)]
pub trait UnionBase<'de> {
    type Union;
    type Members: Members<'de>;
    const TYPE_NAME: &'static str;
    /// The wire names of the members outside the branches.
    const MEMBERS: &'static [&'static str];
    /// Decodes the branch the tag among `members` chooses, then the union.
    fn finish<E: ::serde::de::Error>(
        members: <Self::Members as Members<'de>>::Fields,
        branch: Branch<'de>,
    ) -> ::core::result::Result<Self::Union, E>;
}
/// Decodes a union in one pass over its members: those outside the branches go to
/// the base's slots, the others are kept as [`Buffered`] values (strings borrowed
/// from the input where it allows), from which the branch the tag chooses decodes.
/// The branch decodes from one kind of input whatever the union was read from, so
/// its decoder is compiled once.
#[doc(hidden)]
pub fn decode_union<'de, B: UnionBase<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> ::core::result::Result<B::Union, D::Error> {
    struct UnionVisitor<B>(::core::marker::PhantomData<B>);
    impl<'de, B: UnionBase<'de>> Visitor<'de> for UnionVisitor<B> {
        type Value = B::Union;
        fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
            ::core::write!(f, "an object ({})", B::TYPE_NAME)
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> ::core::result::Result<B::Union, A::Error> {
            let mut slots = B::Members::slots();
            let mut members = ::std::vec::Vec::new();
            while let ::core::option::Option::Some(key) = map.next_key::<Key<'de>>()? {
                match B::MEMBERS.iter().position(|known| *known == key.as_str()) {
                    ::core::option::Option::Some(index) => {
                        B::Members::decode(
                            &mut slots,
                            index,
                            0,
                            &mut map,
                            B::TYPE_NAME,
                            B::MEMBERS,
                        )?
                    }
                    ::core::option::Option::None => {
                        members.push((key, map.next_value()?));
                    }
                }
            }
            let base = B::Members::finish(slots, 0, B::TYPE_NAME, B::MEMBERS)?;
            B::finish(base, Branch { members })
        }
    }
    deserializer.deserialize_map(UnionVisitor(::core::marker::PhantomData::<B>))
}
/// The members of a union object outside its base: the branch's members, or a
/// branch this schema does not know.
#[doc(hidden)]
pub struct Branch<'de> {
    members: ::std::vec::Vec<(Key<'de>, Buffered<'de>)>,
}
impl<'de> Branch<'de> {
    /// Decodes the members with `seed`, as one object.
    pub fn decode<S: ::serde::de::DeserializeSeed<'de>, E: ::serde::de::Error>(
        self,
        seed: S,
    ) -> ::core::result::Result<S::Value, E> {
        seed.deserialize(Replay(Buffered::Object(self.members), ::core::marker::PhantomData))
    }
    /// The members as they are, for a branch this schema does not know.
    pub fn rest<E: ::serde::de::Error>(
        self,
    ) -> ::core::result::Result<
        ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        E,
    > {
        self.decode(::core::marker::PhantomData)
    }
}
/// Decodes the `data` member of a simple union's branch with the seed.
#[doc(hidden)]
pub struct Wrapped<S>(pub S, pub &'static str);
impl<'de, S: ::serde::de::DeserializeSeed<'de>> ::serde::de::DeserializeSeed<'de>
for Wrapped<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::core::result::Result<S::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}
impl<'de, S: ::serde::de::DeserializeSeed<'de>> Visitor<'de> for Wrapped<S> {
    type Value = S::Value;
    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        ::core::write!(f, "an object ({})", self.1)
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> ::core::result::Result<S::Value, A::Error> {
        let Wrapped(seed, type_name) = self;
        let mut seed = ::core::option::Option::Some(seed);
        let mut slot = ::core::option::Option::None;
        while let ::core::option::Option::Some(key) = map
            .next_key_seed(MemberIndex(&["data"], type_name))?
        {
            if key != 0 {
                map.next_value::<::serde::de::IgnoredAny>()?;
                continue;
            }
            let ::core::option::Option::Some(seed) = seed.take() else {
                return ::core::result::Result::Err(
                    A::Error::custom(duplicate(type_name, "data")),
                );
            };
            member(&mut map, &mut slot, seed, type_name, "data")?;
        }
        required(slot, type_name, "data")
    }
}
