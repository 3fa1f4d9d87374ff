//! The fixed part of every generated module's `protocol` submodule: protocol types (`Empty`,
//! `ErrorClass`, `Error`, `Timestamp`, `DecodeError`), the decode entry points that locate a
//! failure, and the error messages of the generic decoders. Those decoders are in
//! `fixed_objects.rs` (objects, lists, enums) and `fixed_unions.rs` (unions). It is not a
//! module of this crate: `support.rs` copies its items, and those of the two others in place
//! of the `objects` and `unions` submodules, into the generated module, leaving out the four
//! types the `runtime` option takes from `qapi-client`, and `tests/generated` compiles and
//! lints it as written. It is laid out as the generator prints it; rustfmt leaves it alone,
//! since its trailing commas would change the tokens.

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
/// The [`Lookup`] of a type without members.
fn no_member(_: &str) -> usize {
    0
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
///
/// The text is read once with unions decoded speculatively (see [`speculating`]),
/// and, only if that fails, once more the ordinary way, whose result or error is
/// the one returned: either way the result is what the ordinary decode gives.
pub fn decode_text<'de, S: ::serde::de::DeserializeSeed<'de> + ::core::clone::Clone>(
    seed: S,
    json: &'de str,
    root: &str,
    strict: bool,
) -> ::core::result::Result<S::Value, DecodeError> {
    let speculated = {
        let _speculation = Speculation::begin(true);
        decode_text_once(seed.clone(), json, root, strict)
    };
    match speculated {
        ::core::result::Result::Ok(value) => ::core::result::Result::Ok(value),
        ::core::result::Result::Err(_) => {
            let _speculation = Speculation::begin(false);
            decode_text_once(seed, json, root, strict)
        }
    }
}
/// One read of [`decode_text`]'s text, in the speculation mode set around it.
#[doc(hidden)]
pub fn decode_text_once<'de, S: ::serde::de::DeserializeSeed<'de>>(
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
::std::thread_local! {
    static SPECULATE : ::core::cell::Cell < bool > = const {
    ::core::cell::Cell::new(false) };
}
/// Whether union decoders may decode the members of a union's branches before its
/// tag says which branch they belong to, each by the one type every branch gives a
/// member of its name (or, for arrays of objects, a type merging theirs), and then
/// build the branch from them. Such a decode fails rather than differ from the
/// ordinary one in any way, so only [`decode_text`], which can read its text again,
/// turns it on; everywhere else unions keep their branch's members on a tape until
/// the tag comes.
#[doc(hidden)]
pub fn speculating() -> bool {
    SPECULATE.with(::core::cell::Cell::get)
}
/// Sets the speculation flag for as long as it lives, then restores the one before,
/// also when a decoder panics.
#[doc(hidden)]
pub struct Speculation(bool);
impl Speculation {
    /// Turns speculation on or off until the value is dropped.
    pub fn begin(on: bool) -> Speculation {
        Speculation(SPECULATE.with(|cell| cell.replace(on)))
    }
}
impl ::core::ops::Drop for Speculation {
    fn drop(&mut self) {
        SPECULATE.with(|cell| cell.set(self.0));
    }
}
/// The error of a speculative union decode whose members do not make the branch its
/// tag chose exactly as the ordinary decode would; [`decode_text`] then reads the text
/// again the ordinary way.
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn not_speculated<E: ::serde::de::Error>() -> E {
    E::custom("the members read ahead of the union's tag do not fit its branch")
}
/// In a speculative decode, whether members the chosen branch does not have may be
/// passed over: yes when the decode is lenient, as the branch's own decoder passes
/// over unknown members; a strict one fails instead, to report them the ordinary way.
#[doc(hidden)]
pub fn foreign_members<E: ::serde::de::Error>(present: bool) -> ::core::result::Result<(), E> {
    if present && strict() {
        ::core::result::Result::Err(not_speculated())
    } else {
        ::core::result::Result::Ok(())
    }
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
/// The generic decoders and encoders of objects, lists and enums: the items of
/// `fixed_objects.rs`, which the generator puts in this module itself.
#[path = "fixed_objects.rs"]
pub mod objects;
use objects::*;
/// Decoding unions: the items of `fixed_unions.rs`, which the generator puts in this
/// module itself, not in a submodule.
#[path = "fixed_unions.rs"]
pub mod unions;
