//! The `commands` and `events` submodules: a type per command and event, the `Command`
//! trait, the `Request` and `Return` enums, `decode_return`, the `Server` trait with
//! `dispatch`, and the `Event` enum with `EventMessage`.
//!
//! With the `runtime` option, `Command` is `qapi_client::Command` re-exported (the impls are
//! the same text), `Event` implements `qapi_client::Event`, and `Service` wraps a `Server` as
//! a `qapi_client::Service`.
//!
//! The functions over every command or event (`Request::from_parts`, `decode_return`,
//! `Event::from_parts`, …) are `#[inline]`: like generic code, they are then compiled in the
//! crate that calls them, so the crate holding the bindings does not compile a decoder for
//! every type up front, and its users pay for the entry points they use.
//!
//! A command's or event's type holds its arguments: a struct with a field per argument when
//! the schema lists them inline, a newtype around the named type when it names one, a unit
//! struct (encoded as `{}`) when there are none.

use proc_macro2::{Ident, TokenStream};
use qapi_schema::{Entity, EntityId, EntityKind};
use quote::{format_ident, quote};

use super::generator::{Generator, Scope};
use super::names::{self, Namespace};

/// A command or event with the Rust names it gets.
struct Operation<'s> {
    entity: &'s Entity,
    /// The type holding its arguments.
    ident: Ident,
    arg_type: Option<EntityId>,
    /// `#[cfg]` when a cargo feature decides whether it exists.
    cfg: TokenStream,
}

impl<'s> Generator<'s> {
    /// Kept commands (`events` false) or events, named in their own namespace.
    fn operations(&self, events: bool, reserved: &[&str]) -> Vec<Operation<'s>> {
        let mut namespace = Namespace::with_reserved(reserved);
        self.kept_entities()
            .filter_map(|(_, entity)| {
                let arg_type = match (&entity.kind, events) {
                    (EntityKind::Command(command), false) => command.arg_type,
                    (EntityKind::Event(event), true) => event.arg_type,
                    _ => return None,
                };
                Some(Operation {
                    entity,
                    ident: format_ident!("{}", namespace.claim(names::upper_camel(&entity.name))),
                    arg_type,
                    cfg: self.cfg(entity.ifcond.as_ref()),
                })
            })
            .collect()
    }

    /// The type holding an operation's arguments, with its impls.
    fn arguments_type(&self, operation: &Operation) -> TokenStream {
        super::generator::with_cfg(&operation.cfg, self.arguments_items(operation))
    }

    fn arguments_items(&self, operation: &Operation) -> TokenStream {
        let entity = operation.entity;
        let ident = &operation.ident;
        let doc = self.schema.doc_of(entity);
        let attributes = self.definition_attributes(entity);
        match operation.arg_type {
            None => quote! {
                #attributes
                #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
                pub struct #ident;

                impl ::serde::Serialize for #ident {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                        ::serde::Serialize::serialize(&super::protocol::Empty, serializer)
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #ident {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                        <super::protocol::Empty as ::serde::Deserialize>::deserialize(deserializer).map(|_| #ident)
                    }
                }
            },
            Some(arg_type) if self.entity(arg_type).is_implicit() => {
                let EntityKind::Object(object) = &self.entity(arg_type).kind else {
                    unreachable!("implicit argument types are objects")
                };
                let members = self.kept_members(&object.members);
                let open = match &entity.kind {
                    EntityKind::Command(command) => !command.generate,
                    _ => false,
                };
                super::types::object_struct(
                    self,
                    super::types::StructDef {
                        owner: None,
                        qapi_name: &entity.name,
                        name: ident,
                        attributes,
                        doc,
                        members: &members,
                        scope: Scope::Sub,
                        open,
                    },
                )
            }
            Some(arg_type) => {
                let ty = self.type_ref(arg_type, Scope::Sub);
                quote! {
                    #attributes
                    #[derive(Clone, Debug, PartialEq)]
                    pub struct #ident(pub #ty);
                    #[allow(deprecated)]
                    impl ::serde::Serialize for #ident {
                        fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                            ::serde::Serialize::serialize(&self.0, serializer)
                        }
                    }
                    #[allow(deprecated)]
                    impl<'de> ::serde::Deserialize<'de> for #ident {
                        fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                            ::serde::Deserialize::deserialize(deserializer).map(#ident)
                        }
                    }
                }
            }
        }
    }
}

/// Names the `commands` module defines besides the command types. `Service` is reserved
/// whether or not the options generate it, so that no option changes a command's name.
const COMMANDS_RESERVED: [&str; 6] = [
    "Command",
    "Request",
    "RequestMessage",
    "Return",
    "Server",
    "Service",
];

/// The `commands` submodule.
pub fn commands_module(generator: &Generator) -> TokenStream {
    let commands = generator.operations(false, &COMMANDS_RESERVED);
    // Without forward compatibility, replies are checked as strictly as requests.
    let strict = !generator.options.forward_compatible;
    let mut methods = Namespace::with_reserved(&["decode_return", "dispatch"]);
    let mut types = Vec::new();
    let mut impls = Vec::new();
    let mut request_variants = Vec::new();
    let mut names = Vec::new();
    let mut from_parts = Vec::new();
    let mut return_variants = Vec::new();
    let mut return_serialize = Vec::new();
    let mut decode_return = Vec::new();
    let mut server_methods = Vec::new();
    let mut dispatch_arms = Vec::new();
    let mut arguments_arms = Vec::new();
    for operation in &commands {
        let EntityKind::Command(command) = &operation.entity.kind else {
            unreachable!("commands are commands")
        };
        let ident = &operation.ident;
        let wire = &operation.entity.name;
        let cfg = &operation.cfg;
        types.push(generator.arguments_type(operation));
        let (returns, return_seed) = match command.ret_type {
            Some(ret_type) => {
                let returns = generator.type_ref(ret_type, Scope::Sub);
                let seed = generator.decode_seed(ret_type, &returns, Scope::Sub);
                (returns, seed)
            }
            None => (
                quote!(super::protocol::Empty),
                quote!(::core::marker::PhantomData),
            ),
        };
        let (success_response, allow_oob, allow_preconfig) = (
            command.success_response,
            command.allow_oob,
            command.allow_preconfig,
        );
        impls.push(quote! {
            #cfg
            #[allow(deprecated)]
            impl Command for #ident {
                const NAME: &'static str = #wire;
                type Returns = #returns;
                const SUCCESS_RESPONSE: bool = #success_response;
                const ALLOW_OOB: bool = #allow_oob;
                const ALLOW_PRECONFIG: bool = #allow_preconfig;

                // Inline, as the other entry points to the decoders: compiled where it is
                // called, not for every command in the crate that holds the module.
                #[inline]
                fn decode_returns(json: &str) -> ::core::result::Result<Self::Returns, super::protocol::DecodeError> {
                    super::protocol::decode_text(#return_seed, json, "return", #strict)
                }
            }
        });
        impls.push(quote! {
            #cfg
            impl ::core::convert::From<#ident> for Request {
                fn from(command: #ident) -> Request {
                    Request::#ident(command)
                }
            }
        });
        let variant_doc = format!(" `{wire}`");
        request_variants.push(quote!(#cfg #[doc = #variant_doc] #ident(#ident),));
        names.push(quote!(#cfg Request::#ident(_) => #wire,));
        arguments_arms
            .push(quote!(#cfg Request::#ident(arguments) => ::serde_json::to_value(arguments),));
        from_parts.push(quote! {
            #cfg #wire => super::protocol::decode(::core::marker::PhantomData, arguments, "arguments", true).map(Request::#ident),
        });
        return_variants.push(quote!(#cfg #[doc = #variant_doc] #ident(#returns),));
        return_serialize.push(
            quote!(#cfg Return::#ident(value) => ::serde::Serialize::serialize(value, serializer),),
        );
        decode_return.push(quote! {
            #cfg #wire => super::protocol::decode(#return_seed, &value, "return", #strict).map(Return::#ident),
        });
        let method = names::ident(&methods.claim(names::snake(wire)));
        let method_doc =
            format!(" Runs `{wire}`. By default it reports that the command is not found.");
        let (parameter, argument) = match operation.arg_type {
            None => (quote!(), quote!()),
            Some(_) => (quote!(, arguments: #ident), quote!(arguments)),
        };
        let default_body = if wire == "query-qmp-schema" {
            quote!(
                ::serde_json::from_str(super::introspection::SCHEMA_JSON)
                    .map_err(super::protocol::Error::generic)
            )
        } else {
            quote!(::core::result::Result::Err(super::protocol::Error::command_not_found(#wire)))
        };
        let unused = operation.arg_type.map(|_| quote!(let _ = arguments;));
        server_methods.push(quote! {
            #cfg
            #[doc = #method_doc]
            fn #method(&mut self #parameter) -> ::core::result::Result<#returns, super::protocol::Error> {
                #unused
                #default_body
            }
        });
        let call = if operation.arg_type.is_some() {
            quote!(server.#method(#argument))
        } else {
            quote!({ let _ = arguments; server.#method() })
        };
        dispatch_arms.push(quote! {
            #cfg Request::#ident(arguments) => respond(#call, #success_response),
        });
    }
    // A schema without commands has empty `Request` and `Return` enums: a match on a
    // reference to one needs a dereference to be exhaustive without arms, and code that would
    // handle a command is left out, or it is unreachable and its inputs unused.
    let no_commands = commands.is_empty();
    let name_body = if no_commands {
        quote!(match *self {})
    } else {
        quote!(match self { #(#names)* })
    };
    let from_parts_body = if no_commands {
        quote! {
            let _ = arguments;
            ::core::result::Result::Err(super::protocol::Error::command_not_found(name))
        }
    } else {
        quote! {
            let decoded: ::core::result::Result<Request, super::protocol::DecodeError> = match name {
                #(#from_parts)*
                _ => return ::core::result::Result::Err(super::protocol::Error::command_not_found(name)),
            };
            decoded.map_err(|error| super::protocol::Error::generic(::std::format!("Invalid arguments for {name}: {error}")))
        }
    };
    let arguments_body = if no_commands {
        quote!(match *self {})
    } else {
        quote! {
            let arguments = match self {
                #(#arguments_arms)*
            };
            arguments.unwrap_or_default()
        }
    };
    let return_serialize_body = if no_commands {
        quote!(let _ = serializer; match *self {})
    } else {
        quote!(match self { #(#return_serialize)* })
    };
    let unknown_command = quote! {
        ::core::result::Result::Err(super::protocol::DecodeError {
            path: "return".to_owned(),
            type_name: ::core::option::Option::None,
            message: ::std::format!("unknown command {command}"),
        })
    };
    let decode_return_body = if no_commands {
        quote!(let _ = value; #unknown_command)
    } else {
        quote! {
            match command {
                #(#decode_return)*
                _ => #unknown_command,
            }
        }
    };
    let respond = (!no_commands).then(|| {
        quote! {
            fn respond<T: ::serde::Serialize>(result: ::core::result::Result<T, super::protocol::Error>, success_response: bool) -> ::core::option::Option<::core::result::Result<::serde_json::Value, super::protocol::Error>> {
                match result {
                    ::core::result::Result::Ok(_) if !success_response => ::core::option::Option::None,
                    ::core::result::Result::Ok(value) => ::core::option::Option::Some(::serde_json::to_value(value).map_err(super::protocol::Error::generic)),
                    ::core::result::Result::Err(error) => ::core::option::Option::Some(::core::result::Result::Err(error)),
                }
            }
        }
    });
    let unused_server = no_commands.then(|| quote!(let _ = server;));
    let runtime = generator.options.runtime;
    // With the runtime, a `Server` also serves as the runtime's `Service`.
    let service = runtime.then(|| {
        quote! {
            /// A [`Server`] as a service of the `qapi-client` runtime, which hands it every
            /// request object through [`dispatch`].
            #[derive(Clone, Debug, Default)]
            pub struct Service<S>(pub S);

            impl<S: Server + ::core::marker::Send> ::qapi_client::Service for Service<S> {
                fn dispatch(&mut self, message: &::serde_json::Value) -> ::core::option::Option<::serde_json::Value> {
                    dispatch(&mut self.0, message)
                }
            }
        }
    });
    let server = generator.options.server.then(|| {
        quote! {
            /// A server: one method per command, each reporting `CommandNotFound` unless
            /// implemented.
            pub trait Server {
                #(#server_methods)*
            }

            /// Runs the request object `message` on `server` and returns the response object
            /// (`return` or `error`, with the request's `id`), or `None` for a command that
            /// does not respond on success.
            #[inline]
            pub fn dispatch<S: Server + ?::core::marker::Sized>(server: &mut S, message: &::serde_json::Value) -> ::core::option::Option<::serde_json::Value> {
                #respond
                #unused_server
                let id = message.get("id").cloned();
                let outcome = match RequestMessage::from_value(message) {
                    ::core::result::Result::Ok(RequestMessage { request, .. }) => match request {
                        #(#dispatch_arms)*
                    },
                    ::core::result::Result::Err(error) => ::core::option::Option::Some(::core::result::Result::Err(error)),
                }?;
                let mut response = ::serde_json::Map::new();
                match outcome {
                    ::core::result::Result::Ok(value) => {
                        response.insert("return".to_owned(), value);
                    }
                    ::core::result::Result::Err(error) => {
                        response.insert("error".to_owned(), ::serde_json::to_value(error).unwrap_or_default());
                    }
                }
                if let ::core::option::Option::Some(id) = id {
                    response.insert("id".to_owned(), id);
                }
                ::core::option::Option::Some(::serde_json::Value::Object(response))
            }

            #service
        }
    });
    // With the runtime, the runtime's trait; without, one of the same shape.
    let command_trait = if runtime {
        quote!(
            pub use ::qapi_client::Command;
        )
    } else {
        quote! {
            /// What a command type tells about its command.
            pub trait Command: ::serde::Serialize + ::serde::de::DeserializeOwned + ::core::marker::Send + 'static {
                /// The wire name.
                const NAME: &'static str;
                /// The type of a successful reply's `return` value.
                type Returns: ::serde::Serialize + ::serde::de::DeserializeOwned + ::core::marker::Send + 'static;
                /// Whether the server replies on success (`success-response`).
                const SUCCESS_RESPONSE: bool;
                /// Whether the command may run out of band (`allow-oob`).
                const ALLOW_OOB: bool;
                /// Whether the command is allowed before machine set-up (`allow-preconfig`).
                const ALLOW_PRECONFIG: bool;

                /// Decodes a reply's `return` value from its JSON text, as
                /// [`decode_return`] decodes it.
                fn decode_returns(json: &str) -> ::core::result::Result<Self::Returns, super::protocol::DecodeError>;
            }
        }
    };
    quote! {
        /// A type per command, holding its arguments, and what it takes to send or serve
        /// them.
        #[allow(deprecated)]
        pub mod commands {
            #command_trait

            #(#types)*
            #(#impls)*

            /// Any command with its arguments: the `execute` and `arguments` members of a
            /// request.
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum Request {
                #(#request_variants)*
            }

            impl Request {
                /// The command's wire name.
                #[inline]
                pub fn name(&self) -> &'static str {
                    #name_body
                }

                /// The request for command `name` with `arguments` (an object), checked as
                /// strictly as QEMU checks it: an unknown name gives `CommandNotFound`;
                /// arguments that are missing, of the wrong type, not in the schema, or of an
                /// unknown enum value give `GenericError`.
                #[inline]
                pub fn from_parts(name: &str, arguments: &::serde_json::Value) -> ::core::result::Result<Request, super::protocol::Error> {
                    #from_parts_body
                }

                /// The arguments as a JSON object.
                #[inline]
                pub fn arguments(&self) -> ::serde_json::Value {
                    #arguments_body
                }
            }

            /// A whole request object: the command, the optional `id`, and whether it was
            /// sent with `exec-oob`.
            #[derive(Clone, Debug, PartialEq)]
            pub struct RequestMessage {
                /// The command and its arguments.
                pub request: Request,
                /// The `id` to echo in the response.
                pub id: ::core::option::Option<::serde_json::Value>,
                /// Whether the request used `exec-oob` instead of `execute`.
                pub oob: bool,
            }

            impl RequestMessage {
                /// Decodes a request object.
                #[inline]
                pub fn from_value(message: &::serde_json::Value) -> ::core::result::Result<RequestMessage, super::protocol::Error> {
                    let object = message.as_object().ok_or_else(|| super::protocol::Error::generic("QMP input must be a JSON object"))?;
                    let (name, oob) = match (object.get("execute"), object.get("exec-oob")) {
                        (::core::option::Option::Some(::serde_json::Value::String(name)), ::core::option::Option::None) => (name, false),
                        (::core::option::Option::None, ::core::option::Option::Some(::serde_json::Value::String(name))) => (name, true),
                        _ => return ::core::result::Result::Err(super::protocol::Error::generic("QMP input needs a string 'execute' or 'exec-oob' member")),
                    };
                    if let ::core::option::Option::Some(key) = object.keys().find(|key| !["execute", "exec-oob", "arguments", "id"].contains(&key.as_str())) {
                        return ::core::result::Result::Err(super::protocol::Error::generic(::std::format!("unexpected member '{key}' in the request")));
                    }
                    let empty = ::serde_json::Value::Object(::serde_json::Map::new());
                    let arguments = object.get("arguments").unwrap_or(&empty);
                    ::core::result::Result::Ok(RequestMessage {
                        request: Request::from_parts(name, arguments)?,
                        id: object.get("id").cloned(),
                        oob,
                    })
                }
            }

            impl ::serde::Serialize for RequestMessage {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeMap as _;
                    let mut map = serializer.serialize_map(::core::option::Option::None)?;
                    map.serialize_entry(if self.oob { "exec-oob" } else { "execute" }, self.request.name())?;
                    let arguments = self.request.arguments();
                    if arguments.as_object().is_none_or(|arguments| !arguments.is_empty()) {
                        map.serialize_entry("arguments", &arguments)?;
                    }
                    if let ::core::option::Option::Some(id) = &self.id {
                        map.serialize_entry("id", id)?;
                    }
                    map.end()
                }
            }

            impl<'de> ::serde::Deserialize<'de> for RequestMessage {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    RequestMessage::from_value(&value).map_err(<D::Error as ::serde::de::Error>::custom)
                }
            }

            /// Any command's `return` value; encodes as the bare value.
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum Return {
                #(#return_variants)*
            }

            impl ::serde::Serialize for Return {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    #return_serialize_body
                }
            }

            /// Decodes the `return` value of a reply to `command`.
            #[inline]
            pub fn decode_return(command: &str, value: ::serde_json::Value) -> ::core::result::Result<Return, super::protocol::DecodeError> {
                #decode_return_body
            }

            #server
        }
    }
}

/// Names the `events` module defines besides the event types.
const EVENTS_RESERVED: [&str; 2] = ["Event", "EventMessage"];

/// The `events` submodule.
pub fn events_module(generator: &Generator) -> TokenStream {
    let events = generator.operations(true, &EVENTS_RESERVED);
    let types = events.iter().map(|event| generator.arguments_type(event));
    let forward_compatible = generator.options.forward_compatible;
    let strict = !forward_compatible;
    let variants = events.iter().map(|event| {
        let (ident, cfg) = (&event.ident, &event.cfg);
        let doc = format!(" `{}`", event.entity.name);
        quote!(#cfg #[doc = #doc] #ident(#ident),)
    });
    let names = events.iter().map(|event| {
        let (ident, wire, cfg) = (&event.ident, &event.entity.name, &event.cfg);
        quote!(#cfg Event::#ident(_) => #wire,)
    });
    let decode = events.iter().map(|event| {
        let (ident, wire, cfg) = (&event.ident, &event.entity.name, &event.cfg);
        quote!(#cfg #wire => super::protocol::decode(::core::marker::PhantomData, data, "data", #strict).map(Event::#ident),)
    });
    let unknown = if forward_compatible {
        quote! {
            ::core::result::Result::Ok(Event::Unrecognized {
                name: name.to_owned(),
                data: ::core::option::Option::Some(data.clone()).filter(|data| data != &empty),
            })
        }
    } else {
        quote! {
            ::core::result::Result::Err(super::protocol::DecodeError {
                path: "event".to_owned(),
                type_name: ::core::option::Option::None,
                message: ::std::format!("unknown event {name}"),
            })
        }
    };
    let decode = if events.is_empty() {
        quote!(let _ = data; #unknown)
    } else {
        quote!(match name {
            #(#decode)*
            _ => #unknown,
        })
    };
    let data = events.iter().map(|event| {
        let (ident, cfg) = (&event.ident, &event.cfg);
        if event.arg_type.is_some() {
            quote!(#cfg Event::#ident(data) => ::serde_json::to_value(data).ok(),)
        } else {
            quote!(#cfg Event::#ident(_) => ::core::option::Option::None,)
        }
    });
    let (unrecognized_variant, unrecognized_name, unrecognized_data) = if forward_compatible {
        (
            quote! {
                /// An event this version of the schema does not know.
                Unrecognized {
                    /// The event's name.
                    name: ::std::string::String,
                    /// Its `data` member, if any.
                    data: ::core::option::Option<::serde_json::Value>,
                },
            },
            quote!(Event::Unrecognized { name, .. } => name,),
            quote!(Event::Unrecognized { data, .. } => data.clone(),),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    // Without events and without a catch-all, `Event` has no variants.
    let matched = if events.is_empty() && !forward_compatible {
        quote!(*self)
    } else {
        quote!(self)
    };
    // The runtime's trait, by the inherent methods (which a path through the type finds
    // before the trait's, so these do not call themselves).
    let runtime_event = generator.options.runtime.then(|| {
        quote! {
            impl ::qapi_client::Event for Event {
                #[inline]
                fn from_parts(name: &str, data: ::core::option::Option<&::serde_json::Value>) -> ::core::result::Result<Event, super::protocol::DecodeError> {
                    Event::from_parts(name, data)
                }

                #[inline]
                fn name(&self) -> &str {
                    Event::name(self)
                }

                #[inline]
                fn data(&self) -> ::core::option::Option<::serde_json::Value> {
                    Event::data(self)
                }
            }
        }
    });
    quote! {
        /// A type per event, holding its data, and the `Event` enum over all of them.
        #[allow(deprecated)]
        pub mod events {
            #(#types)*

            /// Any event with its data: the `event` and `data` members of an event message.
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum Event {
                #(#variants)*
                #unrecognized_variant
            }

            impl Event {
                /// The event's wire name.
                #[inline]
                pub fn name(&self) -> &str {
                    match #matched {
                        #(#names)*
                        #unrecognized_name
                    }
                }

                /// Decodes the event `name` with its `data` member (absent is `{}`).
                #[inline]
                pub fn from_parts(name: &str, data: ::core::option::Option<&::serde_json::Value>) -> ::core::result::Result<Event, super::protocol::DecodeError> {
                    let empty = ::serde_json::Value::Object(::serde_json::Map::new());
                    let data = data.unwrap_or(&empty);
                    #decode
                }

                /// The `data` member, or `None` for an event without data.
                #[inline]
                pub fn data(&self) -> ::core::option::Option<::serde_json::Value> {
                    match #matched {
                        #(#data)*
                        #unrecognized_data
                    }
                }
            }

            #runtime_event

            /// A whole event message: the event and when it happened.
            #[derive(Clone, Debug, PartialEq)]
            pub struct EventMessage {
                /// The event and its data.
                pub event: Event,
                /// The `timestamp` member.
                pub timestamp: ::core::option::Option<super::protocol::Timestamp>,
            }

            impl ::serde::Serialize for EventMessage {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeMap as _;
                    let mut map = serializer.serialize_map(::core::option::Option::None)?;
                    map.serialize_entry("event", self.event.name())?;
                    // QEMU leaves `data` out when it is empty, even for events with a data
                    // type (all members optional and absent, or an empty struct).
                    let data = self.event.data().filter(|data| data.as_object().is_none_or(|data| !data.is_empty()));
                    if let ::core::option::Option::Some(data) = data {
                        map.serialize_entry("data", &data)?;
                    }
                    if let ::core::option::Option::Some(timestamp) = &self.timestamp {
                        map.serialize_entry("timestamp", timestamp)?;
                    }
                    map.end()
                }
            }

            impl<'de> ::serde::Deserialize<'de> for EventMessage {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    use ::serde::de::Error as _;
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    let name = value.get("event").and_then(::serde_json::Value::as_str).ok_or_else(|| D::Error::custom("an event needs a string 'event' member"))?;
                    let event = Event::from_parts(name, value.get("data")).map_err(|error| D::Error::custom(::std::format!("event {name}: {error}")))?;
                    let timestamp = match value.get("timestamp") {
                        ::core::option::Option::Some(timestamp) => ::core::option::Option::Some(::serde::Deserialize::deserialize(timestamp).map_err(D::Error::custom)?),
                        ::core::option::Option::None => ::core::option::Option::None,
                    };
                    ::core::result::Result::Ok(EventMessage { event, timestamp })
                }
            }
        }
    }
}
