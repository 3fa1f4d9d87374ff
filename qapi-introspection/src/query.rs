//! Capability questions in libvirt's query syntax: `blockdev-add/arg-type/+qcow2/data-file`
//! asks whether `blockdev-add` accepts driver `qcow2` with member `data-file`.
//!
//! A query is a list of steps separated by `/`. The first names an entry (usually a command
//! or an event). Then:
//!
//! - `arg-type`, `ret-type`: a command's arguments or reply, an event's data (`arg-type`);
//! - `name`: the member `name` of an object; `*name`: the same, and it must be optional;
//! - `+case`: the branch of an object chosen by tag value `case`;
//! - `^value`: the enum has the value;
//! - `!json-type`: the built-in type has this JSON type (`string`, `int`, …);
//! - `$feature`: what the previous step reached (the entry, a member, an enum value) has the
//!   feature.
//!
//! Arrays are passed through to their element type. An alternate is passed through to its
//! alternative that fits the next step: the object for a member or branch, the enum for a
//! value, a built-in for a JSON type (libvirt's own reader stops at alternates). A name that
//! starts with one of the step characters is written after one space.

use std::fmt;

use crate::model::{Introspection, JsonType, Meta, SchemaInfo};

/// The answer to a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Everything the query asks for is there.
    Yes,
    /// It is not: the step that failed (counted from 0) and why.
    No {
        /// The index of the failing step.
        step: usize,
        /// What is missing.
        reason: String,
    },
}

impl Answer {
    /// Whether the answer is yes.
    pub fn is_yes(&self) -> bool {
        matches!(self, Answer::Yes)
    }
}

/// A query that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

/// One step of a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step<'q> {
    /// A member, maybe required to be optional.
    Member { name: &'q str, optional: bool },
    /// A branch of a union.
    Branch(&'q str),
    /// An enum value.
    Value(&'q str),
    /// A built-in's JSON type.
    JsonType(&'q str),
    /// A feature of what the previous step reached.
    Feature(&'q str),
}

impl<'q> Step<'q> {
    fn parse(text: &'q str) -> Result<Step<'q>, QueryError> {
        let (modifier, name) = match text.chars().next() {
            Some(c @ ('*' | '+' | '^' | '!' | '$' | ' ')) => (Some(c), &text[1..]),
            _ => (None, text),
        };
        if name.is_empty() {
            return Err(QueryError {
                message: format!("the step '{text}' names nothing"),
            });
        }
        Ok(match modifier {
            Some('*') => Step::Member {
                name,
                optional: true,
            },
            Some('+') => Step::Branch(name),
            Some('^') => Step::Value(name),
            Some('!') => Step::JsonType(name),
            Some('$') => Step::Feature(name),
            _ => Step::Member {
                name,
                optional: false,
            },
        })
    }
}

/// Where a walk stands: a type (or entry), and the features of the last thing reached.
struct Position<'s> {
    entry: &'s SchemaInfo,
    features: &'s [String],
}

impl Introspection {
    /// Answers `query` (see the module documentation for the syntax).
    pub fn query(&self, query: &str) -> Result<Answer, QueryError> {
        let mut parts = query.split('/');
        let first = parts.next().unwrap_or_default();
        let first = first.strip_prefix(' ').unwrap_or(first);
        if first.is_empty() {
            return Err(QueryError {
                message: "the query is empty".into(),
            });
        }
        // Every step is read first: whether a query can be read does not depend on the schema.
        let steps = parts
            .map(|text| Ok((text, Step::parse(text)?)))
            .collect::<Result<Vec<_>, QueryError>>()?;
        let Some(entry) = self.get(first) else {
            return Ok(Answer::No {
                step: 0,
                reason: format!("there is no command, event or type '{first}'"),
            });
        };
        let mut at = Position {
            entry,
            features: &entry.features,
        };
        for (index, &(text, step)) in steps.iter().enumerate() {
            let step_number = index + 1;
            let no = |reason: String| {
                Ok(Answer::No {
                    step: step_number,
                    reason,
                })
            };
            if let Meta::Command {
                arg_type, ret_type, ..
            } = &at.entry.meta
            {
                let ty = match text {
                    "arg-type" => arg_type,
                    "ret-type" => ret_type,
                    _ if matches!(step, Step::Feature(_)) => match self.step(&at, step) {
                        Ok(next) => {
                            at = next;
                            continue;
                        }
                        Err(reason) => return no(reason),
                    },
                    _ => {
                        return no(format!(
                            "command '{}' has 'arg-type' and 'ret-type', not '{text}'",
                            at.entry.name
                        ));
                    }
                };
                let entry = self.ty(ty);
                at = Position {
                    entry,
                    features: &entry.features,
                };
                continue;
            }
            if let Meta::Event { arg_type } = &at.entry.meta
                && text == "arg-type"
            {
                let entry = self.ty(arg_type);
                at = Position {
                    entry,
                    features: &entry.features,
                };
                continue;
            }
            match self.step(&at, step) {
                Ok(next) => at = next,
                Err(reason) => return no(reason),
            }
        }
        Ok(Answer::Yes)
    }

    /// Takes one step from `at`, passing through arrays and alternates.
    fn step<'s>(&'s self, at: &Position<'s>, step: Step<'_>) -> Result<Position<'s>, String> {
        let entry = self.through(at.entry, step);
        let fail = |what: String| Err(format!("{} {what}", describe(entry)));
        match step {
            Step::Member { name, optional } => {
                let Meta::Object { members, .. } = &entry.meta else {
                    return fail(format!("has no member '{name}': it is not an object"));
                };
                let Some(member) = members.iter().find(|member| member.name == name) else {
                    return fail(format!("has no member '{name}'"));
                };
                if optional && !member.optional {
                    return fail(format!("has member '{name}', but it is not optional"));
                }
                Ok(Position {
                    entry: self.ty(&member.ty),
                    features: &member.features,
                })
            }
            Step::Branch(case) => {
                let Meta::Object { variants, .. } = &entry.meta else {
                    return fail(format!("has no branch '{case}': it is not an object"));
                };
                let Some(variant) = variants.iter().find(|variant| variant.case == case) else {
                    return fail(format!("has no branch '{case}'"));
                };
                let entry = self.ty(&variant.ty);
                Ok(Position {
                    entry,
                    features: &entry.features,
                })
            }
            Step::Value(value) => {
                let Meta::Enum { values, members } = &entry.meta else {
                    return fail(format!("has no value '{value}': it is not an enum"));
                };
                if !values.iter().any(|known| known == value) {
                    return fail(format!("has no value '{value}'"));
                }
                let features = members
                    .iter()
                    .find(|member| member.name == value)
                    .map_or(&[][..], |member| &member.features);
                Ok(Position { entry, features })
            }
            Step::JsonType(wanted) => match &entry.meta {
                Meta::Builtin { json_type } if json_type_name(*json_type) == wanted => {
                    Ok(Position {
                        entry,
                        features: &entry.features,
                    })
                }
                _ => fail(format!("is not of JSON type '{wanted}'")),
            },
            Step::Feature(feature) => {
                if at.features.iter().any(|known| known == feature) {
                    Ok(Position {
                        entry: at.entry,
                        features: at.features,
                    })
                } else {
                    Err(format!("there is no feature '{feature}' here"))
                }
            }
        }
    }

    /// Passes through arrays to their elements and through alternates to the alternative that
    /// `step` can enter.
    fn through<'s>(&'s self, mut entry: &'s SchemaInfo, step: Step<'_>) -> &'s SchemaInfo {
        if matches!(step, Step::Feature(_)) {
            return entry;
        }
        loop {
            match &entry.meta {
                Meta::Array { element_type } => entry = self.ty(element_type),
                Meta::Alternate { members } => {
                    let fits = members.iter().map(|a| self.ty(&a.ty)).find(|alternative| {
                        match (step, &alternative.meta) {
                            (Step::Member { .. } | Step::Branch(_), Meta::Object { .. })
                            | (Step::Value(_), Meta::Enum { .. }) => true,
                            // An alternate may have several built-ins: the one asked for.
                            (Step::JsonType(wanted), Meta::Builtin { json_type }) => {
                                json_type_name(*json_type) == wanted
                            }
                            _ => false,
                        }
                    });
                    match fits {
                        Some(alternative) => entry = alternative,
                        None => return entry,
                    }
                }
                _ => return entry,
            }
        }
    }
}

/// How messages name an entry: its kind, and its name unless introspection masked it as a
/// number.
fn describe(entry: &SchemaInfo) -> String {
    let kind = match &entry.meta {
        Meta::Builtin { .. } => "type",
        Meta::Enum { .. } => "enum",
        Meta::Array { .. } => "array",
        Meta::Object { .. } => "object",
        Meta::Alternate { .. } => "alternate",
        Meta::Command { .. } => "command",
        Meta::Event { .. } => "event",
    };
    if entry.name.bytes().all(|byte| byte.is_ascii_digit()) {
        format!("the {kind}")
    } else {
        format!("{kind} '{}'", entry.name)
    }
}

/// The name of a JSON type as introspection writes it.
pub(crate) fn json_type_name(json_type: JsonType) -> &'static str {
    match json_type {
        JsonType::String => "string",
        JsonType::Int => "int",
        JsonType::Number => "number",
        JsonType::Boolean => "boolean",
        JsonType::Null => "null",
        JsonType::Object => "object",
        JsonType::Array => "array",
        JsonType::Value => "value",
    }
}
