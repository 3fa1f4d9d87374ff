//! The union half of the fixed `protocol` module: what generated union decoders call to
//! read an object once, keeping the members outside the union's base, as a flat tape of
//! tokens, until its tag says which branch decodes them. `support.rs` puts these items
//! into the `protocol` module itself, without the `use` below; `tests/generated` compiles
//! this file as a submodule of `fixed_protocol.rs`.

use super::*;
/// A member name read from the input: borrowed from it where the deserializer allows.
enum Key<'de> {
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
/// One piece of the values a union decoder keeps until it knows its branch, in the
/// order they came: an array or an object is a token counting its elements or
/// members, which follow it, a member being its name (a string token) and then its
/// value. Strings are borrowed from the input where the deserializer allows, and the
/// whole of a branch is one vector, however deeply its values nest.
enum Token<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Borrowed(&'de str),
    String(::std::string::String),
    Array(usize),
    Object(usize),
}
impl Token<'_> {
    /// What the value starting with this token is, for an error saying it is not what
    /// a decoder expects.
    fn unexpected(&self) -> ::serde::de::Unexpected<'_> {
        match self {
            Token::Null => ::serde::de::Unexpected::Unit,
            Token::Bool(value) => ::serde::de::Unexpected::Bool(*value),
            Token::I64(value) => ::serde::de::Unexpected::Signed(*value),
            Token::U64(value) => ::serde::de::Unexpected::Unsigned(*value),
            Token::F64(value) => ::serde::de::Unexpected::Float(*value),
            Token::Borrowed(value) => ::serde::de::Unexpected::Str(value),
            Token::String(value) => ::serde::de::Unexpected::Str(value),
            Token::Array(_) => ::serde::de::Unexpected::Seq,
            Token::Object(_) => ::serde::de::Unexpected::Map,
        }
    }
}
impl<'de> ::core::convert::From<Key<'de>> for Token<'de> {
    fn from(key: Key<'de>) -> Self {
        match key {
            Key::Borrowed(name) => Token::Borrowed(name),
            Key::Owned(name) => Token::String(name),
        }
    }
}
/// Appends the value it reads, whatever it is, to a tape of [`Token`]s.
struct Record<'a, 'de>(&'a mut ::std::vec::Vec<Token<'de>>);
impl<'de> ::serde::de::DeserializeSeed<'de> for Record<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::core::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}
impl<'de> Visitor<'de> for Record<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: ::serde::de::Error>(self) -> ::core::result::Result<(), E> {
        self.0.push(Token::Null);
        ::core::result::Result::Ok(())
    }
    fn visit_none<E: ::serde::de::Error>(self) -> ::core::result::Result<(), E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::core::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_bool<E: ::serde::de::Error>(
        self,
        value: bool,
    ) -> ::core::result::Result<(), E> {
        self.0.push(Token::Bool(value));
        ::core::result::Result::Ok(())
    }
    fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::core::result::Result<(), E> {
        self.0.push(Token::I64(value));
        ::core::result::Result::Ok(())
    }
    fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::core::result::Result<(), E> {
        self.0.push(Token::U64(value));
        ::core::result::Result::Ok(())
    }
    fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::core::result::Result<(), E> {
        self.0.push(Token::F64(value));
        ::core::result::Result::Ok(())
    }
    fn visit_borrowed_str<E: ::serde::de::Error>(
        self,
        value: &'de str,
    ) -> ::core::result::Result<(), E> {
        self.0.push(Token::Borrowed(value));
        ::core::result::Result::Ok(())
    }
    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::core::result::Result<(), E> {
        self.visit_string(value.to_owned())
    }
    fn visit_string<E: ::serde::de::Error>(
        self,
        value: ::std::string::String,
    ) -> ::core::result::Result<(), E> {
        self.0.push(Token::String(value));
        ::core::result::Result::Ok(())
    }
    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> ::core::result::Result<(), A::Error> {
        let at = self.0.len();
        self.0.push(Token::Array(0));
        let mut count = 0;
        while seq.next_element_seed(Record(&mut *self.0))?.is_some() {
            count += 1;
        }
        self.0[at] = Token::Array(count);
        ::core::result::Result::Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<(), A::Error> {
        let at = self.0.len();
        self.0.push(Token::Object(0));
        let mut count = 0;
        while map.next_key_seed(Record(&mut *self.0))?.is_some() {
            map.next_value_seed(Record(&mut *self.0))?;
            count += 1;
        }
        self.0[at] = Token::Object(count);
        ::core::result::Result::Ok(())
    }
}
/// Replays a tape of [`Token`]s to a decoder, with the error type of the input the
/// tokens came from.
struct Tape<'de, E> {
    tokens: ::std::vec::IntoIter<Token<'de>>,
    error: ::core::marker::PhantomData<E>,
}
impl<'de, E: ::serde::de::Error> Tape<'de, E> {
    fn next(&mut self) -> ::core::result::Result<Token<'de>, E> {
        self.tokens.next().ok_or_else(|| E::custom("a buffered value ends early"))
    }
    /// Passes over the next value.
    fn skip(&mut self) -> ::core::result::Result<(), E> {
        let mut values = 1;
        while values > 0 {
            values -= 1;
            match self.next()? {
                Token::Array(count) => values += count,
                Token::Object(count) => values += 2 * count,
                _ => {}
            }
        }
        ::core::result::Result::Ok(())
    }
    /// Gives the `count` elements that follow to the visitor as an array.
    fn array<V: Visitor<'de>>(
        &mut self,
        count: usize,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        let mut elements = Items { tape: self, remaining: count };
        let value = visitor.visit_seq(&mut elements)?;
        elements.end(count, "fewer elements in the array")?;
        ::core::result::Result::Ok(value)
    }
    /// Gives the `count` members that follow to the visitor as an object.
    fn object<V: Visitor<'de>>(
        &mut self,
        count: usize,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        let mut members = Items { tape: self, remaining: count };
        let value = visitor.visit_map(&mut members)?;
        members.end(count, "fewer members in the object")?;
        ::core::result::Result::Ok(value)
    }
}
/// The elements of an array, or the members of an object, being replayed.
struct Items<'a, 'de, E> {
    tape: &'a mut Tape<'de, E>,
    remaining: usize,
}
impl<'de, E: ::serde::de::Error> Items<'_, 'de, E> {
    /// Fails if the decoder stopped before the end, as it would reading the input.
    fn end(&self, count: usize, expected: &'static str) -> ::core::result::Result<(), E> {
        if self.remaining == 0 {
            ::core::result::Result::Ok(())
        } else {
            ::core::result::Result::Err(E::invalid_length(count, &expected))
        }
    }
    fn next_seed<S: ::serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> ::core::result::Result<::core::option::Option<S::Value>, E> {
        if self.remaining == 0 {
            return ::core::result::Result::Ok(::core::option::Option::None);
        }
        self.remaining -= 1;
        seed.deserialize(&mut *self.tape).map(::core::option::Option::Some)
    }
}
impl<'de, E: ::serde::de::Error> ::serde::de::SeqAccess<'de> for Items<'_, 'de, E> {
    type Error = E;
    fn next_element_seed<S: ::serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> ::core::result::Result<::core::option::Option<S::Value>, E> {
        self.next_seed(seed)
    }
    fn size_hint(&self) -> ::core::option::Option<usize> {
        ::core::option::Option::Some(self.remaining)
    }
}
impl<'de, E: ::serde::de::Error> MapAccess<'de> for Items<'_, 'de, E> {
    type Error = E;
    fn next_key_seed<S: ::serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> ::core::result::Result<::core::option::Option<S::Value>, E> {
        self.next_seed(seed)
    }
    fn next_value_seed<S: ::serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> ::core::result::Result<S::Value, E> {
        seed.deserialize(&mut *self.tape)
    }
    fn size_hint(&self) -> ::core::option::Option<usize> {
        ::core::option::Option::Some(self.remaining)
    }
}
impl<'de, E: ::serde::de::Error> Deserializer<'de> for &mut Tape<'de, E> {
    type Error = E;
    fn deserialize_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.next()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(value) => visitor.visit_bool(value),
            Token::I64(value) => visitor.visit_i64(value),
            Token::U64(value) => visitor.visit_u64(value),
            Token::F64(value) => visitor.visit_f64(value),
            Token::Borrowed(value) => visitor.visit_borrowed_str(value),
            Token::String(value) => visitor.visit_string(value),
            Token::Array(count) => self.array(count, visitor),
            Token::Object(count) => self.object(count, visitor),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        if let ::core::option::Option::Some(Token::Null) = self.tokens.as_slice().first() {
            self.tokens.next();
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
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
        match self.next()? {
            Token::Borrowed(variant) => {
                visitor
                    .visit_enum(::serde::de::value::BorrowedStrDeserializer::new(variant))
            }
            Token::String(variant) => {
                visitor.visit_enum(::serde::de::value::StringDeserializer::new(variant))
            }
            Token::Object(count) => {
                let mut members = Items { tape: self, remaining: count };
                let value = visitor
                    .visit_enum(::serde::de::value::MapAccessDeserializer::new(&mut members))?;
                members.end(count, "an object of one member")?;
                ::core::result::Result::Ok(value)
            }
            other => ::core::result::Result::Err(E::invalid_type(other.unexpected(), &visitor)),
        }
    }
    // Objects, arrays and strings, what the generated decoders ask for, go straight to
    // the one method of the visitor that can take them, so the visitor's other methods
    // are not compiled for each replay; the error is what `deserialize_any` would give.
    fn deserialize_map<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.next()? {
            Token::Object(count) => self.object(count, visitor),
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
        match self.next()? {
            Token::Array(count) => self.array(count, visitor),
            other => ::core::result::Result::Err(E::invalid_type(other.unexpected(), &visitor)),
        }
    }
    fn deserialize_str<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        match self.next()? {
            Token::Borrowed(value) => visitor.visit_borrowed_str(value),
            Token::String(value) => visitor.visit_string(value),
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
    fn deserialize_ignored_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::core::result::Result<V::Value, E> {
        self.skip()?;
        visitor.visit_unit()
    }
    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct tuple tuple_struct
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
    /// Where a member outside the branches is in [`UnionBase::MEMBERS`].
    const LOOKUP: Lookup;
    /// Decodes the branch the tag among `members` chooses, then the union.
    fn finish<E: ::serde::de::Error>(
        members: <Self::Members as Members<'de>>::Fields,
        branch: Branch<'de>,
    ) -> ::core::result::Result<Self::Union, E>;
}
/// Decodes a union in one pass over its members: those outside the branches go to
/// the base's slots, the others are kept on a tape of [`Token`]s (strings borrowed
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
            // The branch's members as one object, whose count is known at the end.
            let mut tokens = spare_tape();
            tokens.push(Token::Object(0));
            let mut count = 0;
            while let ::core::option::Option::Some(key) = map.next_key::<Key<'de>>()? {
                let index = (B::LOOKUP)(key.as_str());
                if index < B::MEMBERS.len() {
                    B::Members::decode(
                        &mut slots,
                        index,
                        0,
                        &mut map,
                        B::TYPE_NAME,
                        B::MEMBERS,
                    )?;
                } else {
                    tokens.push(Token::from(key));
                    map.next_value_seed(Record(&mut tokens))?;
                    count += 1;
                }
            }
            tokens[0] = Token::Object(count);
            let base = B::Members::finish(slots, 0, B::TYPE_NAME, B::MEMBERS)?;
            B::finish(base, Branch { tokens })
        }
    }
    deserializer.deserialize_map(UnionVisitor(::core::marker::PhantomData::<B>))
}
/// Tapes longer than this are freed after use rather than kept for the next union.
const MAX_SPARE_TOKENS: usize = 1024;
::std::thread_local! {
    #[doc = r" An emptied tape kept for the next union this thread decodes, so that decoding"]
    #[doc = r" many union objects does not allocate and grow a tape for each."]
    static SPARE_TAPE : ::core::cell::Cell < ::std::vec::Vec < Token < 'static >>> = const {
    ::core::cell::Cell::new(::std::vec::Vec::new()) };
}
/// An empty tape: the one [`keep_spare_tape`] kept on this thread, if any.
fn spare_tape<'de>() -> ::std::vec::Vec<Token<'de>> {
    let mut tokens = SPARE_TAPE.try_with(::core::cell::Cell::take).unwrap_or_default();
    tokens.reserve(16);
    tokens
}
/// Drops what is left of a replayed tape and keeps its memory (the same allocation,
/// collected in place, its lifetime forgotten) for the next union on this thread.
fn keep_spare_tape(tokens: ::std::vec::IntoIter<Token<'_>>) {
    let mut spare: ::std::vec::Vec<Token<'static>> = tokens.map(|_| Token::Null).collect();
    spare.clear();
    if spare.capacity() <= MAX_SPARE_TOKENS {
        let _ = SPARE_TAPE.try_with(|cell| cell.set(spare));
    }
}
/// The members of a union object outside its base, as one object: the branch's
/// members, or those of a branch this schema does not know.
#[doc(hidden)]
pub struct Branch<'de> {
    tokens: ::std::vec::Vec<Token<'de>>,
}
impl<'de> Branch<'de> {
    /// Decodes the members with `seed`, as one object.
    pub fn decode<S: ::serde::de::DeserializeSeed<'de>, E: ::serde::de::Error>(
        self,
        seed: S,
    ) -> ::core::result::Result<S::Value, E> {
        let mut tape = Tape {
            tokens: self.tokens.into_iter(),
            error: ::core::marker::PhantomData,
        };
        let value = seed.deserialize(&mut tape);
        keep_spare_tape(tape.tokens);
        value
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
/// The [`Lookup`] of a simple union's branch, whose one member is `data`.
fn data_member(name: &str) -> usize {
    usize::from(name != "data")
}
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
            .next_key_seed(MemberIndex(&["data"], type_name, data_member))?
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
