//! The fixed part of every generated module: protocol types (`Empty`, `Error`, `ErrorClass`,
//! `Timestamp`) and the helpers the generated serde impls call, so each type's own code
//! stays a few lines.

use proc_macro2::TokenStream;
use quote::quote;

/// The `protocol` submodule, the same for every schema.
pub fn protocol_module() -> TokenStream {
    quote! {
        /// QMP protocol types shared by every schema, and helpers of the generated code.
        pub mod protocol {
            use ::serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
            use ::serde::ser::{Serialize, SerializeMap, Serializer};

            /// The empty object `{}`: the reply of commands that return nothing, and the
            /// arguments of commands that take none.
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct Empty;

            impl Serialize for Empty {
                fn serialize<S: Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_map(::core::option::Option::Some(0))?.end()
                }
            }

            impl<'de> Deserialize<'de> for Empty {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    struct EmptyVisitor;
                    impl<'de> Visitor<'de> for EmptyVisitor {
                        type Value = Empty;
                        fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                            f.write_str("an object")
                        }
                        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Empty, A::Error> {
                            while map.next_entry::<::serde::de::IgnoredAny, ::serde::de::IgnoredAny>()?.is_some() {}
                            ::core::result::Result::Ok(Empty)
                        }
                    }
                    deserializer.deserialize_map(EmptyVisitor)
                }
            }

            /// The classes of QMP errors.
            #[derive(Clone, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
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
                    Error { class: ErrorClass::GenericError, desc: desc.to_string() }
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
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
            pub struct Timestamp {
                /// Whole seconds.
                pub seconds: i64,
                /// Microseconds within the second.
                pub microseconds: i64,
            }

            /// Decodes a present optional member: `Some` even for `null`.
            #[doc(hidden)]
            pub fn deserialize_some<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<::core::option::Option<T>, D::Error> {
                T::deserialize(deserializer).map(::core::option::Option::Some)
            }

            /// An enumeration with its wire names.
            #[doc(hidden)]
            pub trait WireEnum: ::core::marker::Sized {
                /// The value for a wire name; unknown names give the catch-all variant.
                fn from_wire(name: &str) -> Self;
                /// The wire name.
                fn wire(&self) -> &str;
            }

            #[doc(hidden)]
            pub fn serialize_enum<E: WireEnum, S: Serializer>(value: &E, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(value.wire())
            }

            #[doc(hidden)]
            pub fn deserialize_enum<'de, E: WireEnum, D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<E, D::Error> {
                struct EnumVisitor<E>(::core::marker::PhantomData<E>);
                impl<'de, E: WireEnum> Visitor<'de> for EnumVisitor<E> {
                    type Value = E;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<Err: ::serde::de::Error>(self, name: &str) -> ::core::result::Result<E, Err> {
                        ::core::result::Result::Ok(E::from_wire(name))
                    }
                }
                deserializer.deserialize_str(EnumVisitor(::core::marker::PhantomData))
            }

            /// An object type that can write its members into a map being serialized, so
            /// unions can inline their branch.
            #[doc(hidden)]
            pub trait SerializeFields {
                fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> ::core::result::Result<(), M::Error>;
            }

            #[doc(hidden)]
            pub fn serialize_object<T: SerializeFields, S: Serializer>(value: &T, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                value.serialize_fields(&mut map)?;
                map.end()
            }

            impl SerializeFields for Empty {
                fn serialize_fields<M: SerializeMap>(&self, _: &mut M) -> ::core::result::Result<(), M::Error> {
                    ::core::result::Result::Ok(())
                }
            }

            impl SerializeFields for ::serde_json::Map<::std::string::String, ::serde_json::Value> {
                fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> ::core::result::Result<(), M::Error> {
                    for (key, value) in self {
                        map.serialize_entry(key, value)?;
                    }
                    ::core::result::Result::Ok(())
                }
            }

            /// A JSON object being taken apart by a generated union decoder.
            #[doc(hidden)]
            pub struct Object {
                value: ::serde_json::Value,
                type_name: &'static str,
            }

            impl Object {
                pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D, type_name: &'static str) -> ::core::result::Result<Object, D::Error> {
                    let value = ::serde_json::Value::deserialize(deserializer)?;
                    if !value.is_object() {
                        return ::core::result::Result::Err(D::Error::custom(::std::format!("invalid type: expected an object for {type_name}")));
                    }
                    ::core::result::Result::Ok(Object { value, type_name })
                }

                fn get(&self, name: &str) -> ::core::option::Option<&::serde_json::Value> {
                    self.value.as_object().and_then(|map| map.get(name))
                }

                pub fn required<T: ::serde::de::DeserializeOwned, E: ::serde::de::Error>(&self, name: &str) -> ::core::result::Result<T, E> {
                    match self.get(name) {
                        ::core::option::Option::Some(value) => T::deserialize(value).map_err(|error| E::custom(::std::format!("{}.{name}: {error}", self.type_name))),
                        ::core::option::Option::None => ::core::result::Result::Err(E::custom(::std::format!("{}: missing field `{name}`", self.type_name))),
                    }
                }

                pub fn optional<T: ::serde::de::DeserializeOwned, E: ::serde::de::Error>(&self, name: &str) -> ::core::result::Result<::core::option::Option<T>, E> {
                    match self.get(name) {
                        ::core::option::Option::Some(value) => T::deserialize(value).map(::core::option::Option::Some).map_err(|error| E::custom(::std::format!("{}.{name}: {error}", self.type_name))),
                        ::core::option::Option::None => ::core::result::Result::Ok(::core::option::Option::None),
                    }
                }

                pub fn branch<T: ::serde::de::DeserializeOwned, E: ::serde::de::Error>(&self) -> ::core::result::Result<T, E> {
                    T::deserialize(&self.value).map_err(|error| E::custom(::std::format!("{}: {error}", self.type_name)))
                }

                /// The members not named in `known`.
                pub fn rest(self, known: &[&str]) -> ::serde_json::Map<::std::string::String, ::serde_json::Value> {
                    match self.value {
                        ::serde_json::Value::Object(mut map) => {
                            map.retain(|key, _| !known.contains(&key.as_str()));
                            map
                        }
                        _ => ::serde_json::Map::new(),
                    }
                }
            }
        }
    }
}
