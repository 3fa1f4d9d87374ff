//! The fixed part of every generated module's `protocol` submodule: protocol types (`Empty`,
//! `ErrorClass`, `Error`, `Timestamp`, `DecodeError`) and the helpers the generated serde
//! impls call. It is not a module of this crate: `support.rs` copies its items into the
//! generated module, leaving out the four types the `runtime` option takes from
//! `qapi-client`, and `tests/generated` compiles and lints it as written. It is laid out as
//! the generator prints it; rustfmt leaves it alone, since its trailing commas would change
//! the tokens.

use ::serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use ::serde::ser::{Serialize, SerializeMap, Serializer};
/// The empty object `{}`: the reply of commands that return nothing, and the
/// arguments of commands that take none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Empty;
impl Serialize for Empty {
    fn serialize<S: Serializer>(
        &self,
        serializer: S,
    ) -> ::core::result::Result<S::Ok, S::Error> {
        serializer.serialize_map(::core::option::Option::Some(0))?.end()
    }
}
impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error> {
        struct EmptyVisitor;
        impl<'de> Visitor<'de> for EmptyVisitor {
            type Value = Empty;
            fn expecting(
                &self,
                f: &mut ::core::fmt::Formatter,
            ) -> ::core::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> ::core::result::Result<Empty, A::Error> {
                while map
                    .next_key_seed(MemberIndex(&[], "an empty object"))?
                    .is_some()
                {
                    map.next_value::<::serde::de::IgnoredAny>()?;
                }
                ::core::result::Result::Ok(Empty)
            }
        }
        deserializer.deserialize_map(EmptyVisitor)
    }
}
/// The classes of QMP errors.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Eq,
    Hash,
    ::serde::Serialize,
    ::serde::Deserialize
)]
pub enum ErrorClass {
    /// Any error without a more specific class.
    GenericError,
    /// The command does not exist or is not available.
    CommandNotFound,
    /// A device has no medium or is not active.
    DeviceNotActive,
    /// The requested device does not exist.
    DeviceNotFound,
    /// KVM lacks a capability the command needs.
    KVMMissingCap,
    /// A class this version does not know.
    #[serde(untagged)]
    Unrecognized(::std::string::String),
}
/// A QMP error response's `error` member.
#[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
pub struct Error {
    /// The class.
    pub class: ErrorClass,
    /// A human-readable description.
    pub desc: ::std::string::String,
}
impl Error {
    /// A `GenericError` with `desc`.
    pub fn generic(desc: impl ::core::fmt::Display) -> Error {
        Error {
            class: ErrorClass::GenericError,
            desc: desc.to_string(),
        }
    }
    /// A `CommandNotFound` error for `command`.
    pub fn command_not_found(command: &str) -> Error {
        Error {
            class: ErrorClass::CommandNotFound,
            desc: ::std::format!("The command {command} has not been found"),
        }
    }
}
impl ::core::fmt::Display for Error {
    fn fmt(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        f.write_str(&self.desc)
    }
}
impl ::std::error::Error for Error {}
/// When an event happened: seconds and microseconds since the Unix epoch.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    ::serde::Serialize,
    ::serde::Deserialize
)]
pub struct Timestamp {
    /// Whole seconds.
    pub seconds: i64,
    /// Microseconds within the second.
    pub microseconds: i64,
}
/// One step on the way from a decoded value down to a member that failed.
#[derive(Clone, Copy)]
enum PathStep {
    /// A member, with the name of the type it belongs to.
    Member(&'static str, &'static str),
    /// An array element.
    Index(usize),
}
/// At most this many steps are recorded, so decodes that never go through
/// [`decode`] (which empties the path) cannot grow it forever.
const MAX_PATH_STEPS: usize = 256;
::std::thread_local! {
    #[doc = r" The steps of the decode error being reported, innermost first: each"]
    #[doc = r" generated decoder adds its step while the error passes outwards, and"]
    #[doc = r" [`decode`] reads them."] static ERROR_PATH : ::core::cell::RefCell <
    ::std::vec::Vec < PathStep >> = const {
    ::core::cell::RefCell::new(::std::vec::Vec::new()) };
}
fn record<E>(error: E, step: PathStep) -> E {
    ERROR_PATH
        .with(|path| {
            let mut path = path.borrow_mut();
            if path.len() < MAX_PATH_STEPS {
                path.push(step);
            }
        });
    error
}
/// A value that did not decode, and where in it the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Where: the root (`arguments`, `return`, `data`) followed by members and
    /// array indices, as in `return[0].inserted.ro`.
    pub path: ::std::string::String,
    /// The schema type whose member failed to decode, if the failure is in a member.
    pub type_name: ::core::option::Option<&'static str>,
    /// What is wrong, as serde reports it.
    pub message: ::std::string::String,
}
impl ::core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
        f.write_str(&self.path)?;
        if let ::core::option::Option::Some(type_name) = self.type_name {
            ::core::write!(f, " (in {type_name})")?;
        }
        ::core::write!(f, ": {}", self.message)
    }
}
impl ::std::error::Error for DecodeError {}
::std::thread_local! {
    static STRICT : ::core::cell::Cell < bool > = const {
    ::core::cell::Cell::new(false) };
}
/// Whether the decode under way is strict: see [`decode`].
fn strict() -> bool {
    STRICT.with(::core::cell::Cell::get)
}
/// Decodes a value from `deserializer` (a JSON value or text) with `seed`
/// (`PhantomData::<T>` for a `T`, [`List`] for an array, which locates a bad
/// element), reporting the path of a failure below `root`.
///
/// A lenient decode, for what a client receives, ignores members the schema does
/// not define and keeps unknown enum values and union branches as `Unrecognized`,
/// so that a newer peer's messages decode. A `strict` decode, for what a server
/// receives, rejects both, as QEMU does.
pub fn decode<
    'de,
    S: ::serde::de::DeserializeSeed<'de>,
    D: Deserializer<'de, Error = ::serde_json::Error>,
>(
    seed: S,
    deserializer: D,
    root: &str,
    strict: bool,
) -> ::core::result::Result<S::Value, DecodeError> {
    ERROR_PATH.with(|path| path.borrow_mut().clear());
    let was_strict = STRICT.with(|cell| cell.replace(strict));
    let decoded = seed.deserialize(deserializer);
    STRICT.with(|cell| cell.set(was_strict));
    decoded
        .map_err(|error| {
            let steps = ERROR_PATH
                .with(|path| ::core::mem::take(&mut *path.borrow_mut()));
            let mut path = ::std::string::String::from(root);
            for step in steps.iter().rev() {
                match step {
                    PathStep::Member(name, _) => {
                        path.push('.');
                        path.push_str(name);
                    }
                    PathStep::Index(index) => {
                        path.push_str(&::std::format!("[{index}]"))
                    }
                }
            }
            let type_name = steps
                .iter()
                .find_map(|step| match step {
                    PathStep::Member(_, owner) => {
                        ::core::option::Option::Some(*owner)
                    }
                    PathStep::Index(_) => ::core::option::Option::None,
                });
            DecodeError {
                path,
                type_name,
                message: error.to_string(),
            }
        })
}
/// [`decode`] from JSON text: the text must hold one value and nothing after it
/// but white space.
pub fn decode_text<'de, S: ::serde::de::DeserializeSeed<'de>>(
    seed: S,
    json: &'de str,
    root: &str,
    strict: bool,
) -> ::core::result::Result<S::Value, DecodeError> {
    let mut deserializer = ::serde_json::Deserializer::from_str(json);
    let value = decode(seed, &mut deserializer, root, strict)?;
    deserializer
        .end()
        .map_err(|error| DecodeError {
            path: ::std::string::String::from(root),
            type_name: ::core::option::Option::None,
            message: error.to_string(),
        })?;
    ::core::result::Result::Ok(value)
}
/// Finds a member name's index in a generated decoder's list of known members of a
/// type; an unknown member gives the list's length, or an error in a strict decode.
#[doc(hidden)]
pub struct MemberIndex(pub &'static [&'static str], pub &'static str);
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
        match self.0.iter().position(|known| *known == name) {
            ::core::option::Option::Some(index) => ::core::result::Result::Ok(index),
            ::core::option::Option::None if strict() => {
                ::core::result::Result::Err(
                    E::custom(
                        ::std::format!("unexpected member `{name}` in {}", self.1),
                    ),
                )
            }
            ::core::option::Option::None => ::core::result::Result::Ok(self.0.len()),
        }
    }
}
/// Like [`MemberIndex`], but an unknown member gives its name, to be kept.
#[doc(hidden)]
pub struct MemberKey(pub &'static [&'static str]);
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
        ::core::result::Result::Ok(
            self
                .0
                .iter()
                .position(|known| *known == name)
                .ok_or_else(|| name.to_owned()),
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
        return ::core::result::Result::Err(
            A::Error::custom(
                ::std::format!("duplicate member `{name}` in {type_name}"),
            ),
        );
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
    slot.ok_or_else(|| E::custom(
        ::std::format!("missing member `{name}` of {type_name}"),
    ))
}
/// Decodes an array, reporting the index of an element that fails.
#[doc(hidden)]
pub struct List<T>(pub ::core::marker::PhantomData<T>);
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
        _ => {
            ::core::result::Result::Err(
                Err::custom(::std::format!("unknown value `{name}`")),
            )
        }
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
            Buffered::Array(elements) => {
                let mut seq = ::serde::de::value::SeqDeserializer::new(
                    elements.into_iter(),
                );
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                ::core::result::Result::Ok(value)
            }
            Buffered::Object(members) => {
                let mut map = ::serde::de::value::MapDeserializer::new(
                    members.into_iter(),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                ::core::result::Result::Ok(value)
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
    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}
/// What a generated union decoder knows of its union: the members outside the
/// branches (the tag among them), kept in slots while the members arrive, and how
/// the branch chosen by the tag decodes.
#[doc(hidden)]
pub trait UnionBase<'de>: ::core::default::Default + ::core::marker::Sized {
    type Union;
    type Tag: ::core::clone::Clone;
    const TYPE_NAME: &'static str;
    /// The wire names of the members outside the branches.
    const MEMBERS: &'static [&'static str];
    /// The tag's index in `MEMBERS`.
    const TAG: usize;
    /// Decodes member `MEMBERS[index]` into its slot.
    fn member<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> ::core::result::Result<(), A::Error>;
    /// The tag, once decoded.
    fn tag(&self) -> ::core::option::Option<&Self::Tag>;
    /// Decodes the branch `tag` chooses, then the union.
    fn finish<E: ::serde::de::Error>(
        self,
        tag: Self::Tag,
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
            let mut base = B::default();
            let mut members = ::std::vec::Vec::new();
            while let ::core::option::Option::Some(key) = map.next_key::<Key<'de>>()? {
                match B::MEMBERS.iter().position(|known| *known == key.as_str()) {
                    ::core::option::Option::Some(index) => base.member(index, &mut map)?,
                    ::core::option::Option::None => {
                        members.push((key, map.next_value()?));
                    }
                }
            }
            let ::core::option::Option::Some(tag) = base.tag().cloned() else {
                return required(
                    ::core::option::Option::None,
                    B::TYPE_NAME,
                    B::MEMBERS[B::TAG],
                );
            };
            base.finish(tag, Branch { members })
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
                    A::Error::custom(
                        ::std::format!("duplicate member `data` in {type_name}"),
                    ),
                );
            };
            member(&mut map, &mut slot, seed, type_name, "data")?;
        }
        required(slot, type_name, "data")
    }
}
