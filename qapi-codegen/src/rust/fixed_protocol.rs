//! The fixed part of every generated module's `protocol` submodule: protocol types (`Empty`,
//! `ErrorClass`, `Error`, `Timestamp`, `DecodeError`) and the helpers the generated serde
//! impls call; the helpers of union decoders are in `fixed_unions.rs`. It is not a module
//! of this crate: `support.rs` copies its items, and those of `fixed_unions.rs` in place of
//! the `unions` submodule, into the generated module, leaving out the four types the
//! `runtime` option takes from `qapi-client`, and `tests/generated` compiles and lints it
//! as written. It is laid out as
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
                    .next_key_seed(MemberIndex(&[], "an empty object", no_member))?
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
    Unrecognized(::std::string::String),
}
impl ErrorClass {
    fn wire(&self) -> &str {
        match self {
            ErrorClass::GenericError => "GenericError",
            ErrorClass::CommandNotFound => "CommandNotFound",
            ErrorClass::DeviceNotActive => "DeviceNotActive",
            ErrorClass::DeviceNotFound => "DeviceNotFound",
            ErrorClass::KVMMissingCap => "KVMMissingCap",
            ErrorClass::Unrecognized(name) => name,
        }
    }
    fn from_wire(name: &str) -> ErrorClass {
        match name {
            "GenericError" => ErrorClass::GenericError,
            "CommandNotFound" => ErrorClass::CommandNotFound,
            "DeviceNotActive" => ErrorClass::DeviceNotActive,
            "DeviceNotFound" => ErrorClass::DeviceNotFound,
            "KVMMissingCap" => ErrorClass::KVMMissingCap,
            _ => ErrorClass::Unrecognized(name.to_owned()),
        }
    }
}
impl Serialize for ErrorClass {
    fn serialize<S: Serializer>(
        &self,
        serializer: S,
    ) -> ::core::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.wire())
    }
}
// Not through `deserialize_enum`: a class this module does not know is kept even in a
// strict decode, since error classes are not the schema's to define.
impl<'de> Deserialize<'de> for ErrorClass {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error> {
        struct ClassVisitor;
        impl<'de> Visitor<'de> for ClassVisitor {
            type Value = ErrorClass;
            fn expecting(
                &self,
                f: &mut ::core::fmt::Formatter,
            ) -> ::core::fmt::Result {
                f.write_str("an error class")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                name: &str,
            ) -> ::core::result::Result<ErrorClass, E> {
                ::core::result::Result::Ok(ErrorClass::from_wire(name))
            }
        }
        deserializer.deserialize_str(ClassVisitor)
    }
}
/// A QMP error response's `error` member.
#[derive(Clone, Debug, PartialEq, Eq)]
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
impl SerializeFields for Error {
    fn serialize_fields<M: SerializeMap>(
        &self,
        map: &mut M,
    ) -> ::core::result::Result<(), M::Error> {
        map.serialize_entry("class", &self.class)?;
        map.serialize_entry("desc", &self.desc)
    }
}
impl Serialize for Error {
    fn serialize<S: Serializer>(
        &self,
        serializer: S,
    ) -> ::core::result::Result<S::Ok, S::Error> {
        serialize_object(self, serializer)
    }
}
impl<'de> Deserialize<'de> for Error {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error> {
        let (class, desc) = decode_pair(
            deserializer,
            "Error",
            &["class", "desc"],
            |name| match name {
                "class" => 0,
                "desc" => 1,
                _ => 2,
            },
        )?;
        ::core::result::Result::Ok(Error { class, desc })
    }
}
/// When an event happened: seconds and microseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Whole seconds.
    pub seconds: i64,
    /// Microseconds within the second.
    pub microseconds: i64,
}
impl SerializeFields for Timestamp {
    fn serialize_fields<M: SerializeMap>(
        &self,
        map: &mut M,
    ) -> ::core::result::Result<(), M::Error> {
        map.serialize_entry("seconds", &self.seconds)?;
        map.serialize_entry("microseconds", &self.microseconds)
    }
}
impl Serialize for Timestamp {
    fn serialize<S: Serializer>(
        &self,
        serializer: S,
    ) -> ::core::result::Result<S::Ok, S::Error> {
        serialize_object(self, serializer)
    }
}
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error> {
        let (seconds, microseconds) = decode_pair(
            deserializer,
            "Timestamp",
            &["seconds", "microseconds"],
            |name| match name {
                "seconds" => 0,
                "microseconds" => 1,
                _ => 2,
            },
        )?;
        ::core::result::Result::Ok(Timestamp {
            seconds,
            microseconds,
        })
    }
}
/// Reads an object of two required members named `names`, found by `lookup`, of
/// the protocol type `type_name`; other members are ignored, even in a strict decode.
#[doc(hidden)]
pub fn decode_pair<'de, D: Deserializer<'de>, A: Deserialize<'de>, B: Deserialize<'de>>(
    deserializer: D,
    type_name: &'static str,
    names: &'static [&'static str; 2],
    lookup: Lookup,
) -> ::core::result::Result<(A, B), D::Error> {
    struct PairVisitor<A, B>(
        &'static str,
        &'static [&'static str; 2],
        Lookup,
        ::core::marker::PhantomData<(A, B)>,
    );
    impl<'de, A: Deserialize<'de>, B: Deserialize<'de>> Visitor<'de>
    for PairVisitor<A, B> {
        type Value = (A, B);
        fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
            ::core::write!(f, "an object ({})", self.0)
        }
        fn visit_map<M: MapAccess<'de>>(
            self,
            mut map: M,
        ) -> ::core::result::Result<(A, B), M::Error> {
            let (type_name, names, lookup) = (self.0, self.1, self.2);
            let mut first = ::core::option::Option::None;
            let mut second = ::core::option::Option::None;
            while let ::core::option::Option::Some(key) = map
                .next_key_seed(MemberKey(names, lookup))?
            {
                match key {
                    ::core::result::Result::Ok(0) => {
                        member(
                            &mut map,
                            &mut first,
                            ::core::marker::PhantomData::<A>,
                            type_name,
                            names[0],
                        )?
                    }
                    ::core::result::Result::Ok(_) => {
                        member(
                            &mut map,
                            &mut second,
                            ::core::marker::PhantomData::<B>,
                            type_name,
                            names[1],
                        )?
                    }
                    ::core::result::Result::Err(_) => {
                        map.next_value::<::serde::de::IgnoredAny>()?;
                    }
                }
            }
            ::core::result::Result::Ok((
                required(first, type_name, names[0])?,
                required(second, type_name, names[1])?,
            ))
        }
    }
    deserializer
        .deserialize_map(
            PairVisitor(type_name, names, lookup, ::core::marker::PhantomData),
        )
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
    record_step(step);
    error
}
/// The part of [`record`] that does not depend on the error type, compiled once.
#[cold]
#[inline(never)]
fn record_step(step: PathStep) {
    ERROR_PATH
        .with(|path| {
            let mut path = path.borrow_mut();
            if path.len() < MAX_PATH_STEPS {
                path.push(step);
            }
        });
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
    let was_strict = begin_decode(strict);
    let decoded = seed.deserialize(deserializer);
    STRICT.with(|cell| cell.set(was_strict));
    match decoded {
        ::core::result::Result::Ok(value) => ::core::result::Result::Ok(value),
        ::core::result::Result::Err(error) => {
            ::core::result::Result::Err(located(error, root))
        }
    }
}
/// Starts a decode: forgets the last error's path and sets the strict flag,
/// returning the one to restore.
fn begin_decode(strict: bool) -> bool {
    ERROR_PATH.with(|path| path.borrow_mut().clear());
    STRICT.with(|cell| cell.replace(strict))
}
/// The error of a failed decode below `root`, located by the steps its decoders
/// recorded. Kept out of [`decode`], so that it is compiled once, not once per type.
#[cold]
#[inline(never)]
fn located(error: ::serde_json::Error, root: &str) -> DecodeError {
    let steps = ERROR_PATH.with(|path| ::core::mem::take(&mut *path.borrow_mut()));
    let mut path = ::std::string::String::from(root);
    for step in steps.iter().rev() {
        match step {
            PathStep::Member(name, _) => {
                path.push('.');
                path.push_str(name);
            }
            PathStep::Index(index) => path.push_str(&::std::format!("[{index}]")),
        }
    }
    let type_name = steps
        .iter()
        .find_map(|step| match step {
            PathStep::Member(_, owner) => ::core::option::Option::Some(*owner),
            PathStep::Index(_) => ::core::option::Option::None,
        });
    DecodeError {
        path,
        type_name,
        message: error.to_string(),
    }
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
    text_end(deserializer, root)?;
    ::core::result::Result::Ok(value)
}
/// Checks that nothing but white space follows the value [`decode_text`] read.
fn text_end(
    mut deserializer: ::serde_json::Deserializer<::serde_json::de::StrRead<'_>>,
    root: &str,
) -> ::core::result::Result<(), DecodeError> {
    deserializer
        .end()
        .map_err(|error| DecodeError {
            path: ::std::string::String::from(root),
            type_name: ::core::option::Option::None,
            message: error.to_string(),
        })
}
/// Where a member name is in its type's list of member names, the list's length for
/// a name not in it: a generated decoder's `match` on the name, compiled per type,
/// which is much faster than searching the list.
#[doc(hidden)]
pub type Lookup = fn(&str) -> usize;
/// The [`Lookup`] of a type without members.
fn no_member(_: &str) -> usize {
    0
}
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
/// Error messages of the generic decoders, each compiled once rather than once per
/// type it serves.
#[cold]
#[inline(never)]
fn duplicate(type_name: &str, name: &str) -> ::std::string::String {
    ::std::format!("duplicate member `{name}` in {type_name}")
}
#[cold]
#[inline(never)]
fn missing(type_name: &str, name: &str) -> ::std::string::String {
    ::std::format!("missing member `{name}` of {type_name}")
}
#[cold]
#[inline(never)]
fn unexpected(type_name: &str, name: &str) -> ::std::string::String {
    ::std::format!("unexpected member `{name}` in {type_name}")
}
#[cold]
#[inline(never)]
fn unknown_value(name: &str) -> ::std::string::String {
    ::std::format!("unknown value `{name}`")
}
/// Decodes an array, reporting the index of an element that fails.
#[doc(hidden)]
pub struct List<T>(pub ::core::marker::PhantomData<T>);
impl<T> ::core::default::Default for List<T> {
    fn default() -> Self {
        List(::core::marker::PhantomData)
    }
}
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
/// Decoding unions: the items of `fixed_unions.rs`, which the generator puts in this
/// module itself, not in a submodule.
#[path = "fixed_unions.rs"]
pub mod unions;
