//! What changed between two schemas, as a client sees it on the wire, and whom each change
//! breaks by QEMU's compatibility rules.
//!
//! Type names are not part of the wire protocol (introspection masks them), so the comparison
//! starts at the commands and events, matched by name, and walks their types side by side:
//! members by name, enum values, union branches by tag value, alternatives by JSON kind.
//! Each pair of types is compared once; a change inside a type that many commands use is one
//! [`Change`] with every path that reaches it.
//!
//! Whether a change breaks anyone depends on the direction it is used in: what clients send
//! (a command's arguments) tolerates additions of optional things, what they receive (a
//! reply, an event) tolerates additions of members and losing values it will no longer see.
//! Paths are written in the query syntax of [`Introspection::query`].

mod walk;

use std::fmt;

use serde_json::{Value, json};

use crate::model::{Introspection, Kind};

/// The changes between two schemas, in the order of the commands and events that reach them.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    /// Every change.
    pub changes: Vec<Change>,
}

/// One change, with every place where a client meets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What changed.
    pub what: What,
    /// The paths that reach it: first those where it breaks clients, then sent before
    /// received, each group in command and event order.
    pub uses: Vec<Use>,
}

/// One path to a change, and whether clients send or receive what it leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    /// The path, in query syntax (`blockdev-add/arg-type/+qcow2/data-file`).
    pub path: String,
    /// Sent or received.
    pub direction: Direction,
}

/// Which way data travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From client to QEMU: a command and its arguments.
    Send,
    /// From QEMU to client: a reply, an event.
    Receive,
}

/// What a change is. The path of its [`Use`]s says where.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum What {
    /// A new command.
    CommandAdded,
    /// A command is gone.
    CommandRemoved,
    /// A new event.
    EventAdded,
    /// An event is gone.
    EventRemoved,
    /// A new member, optional or not.
    MemberAdded {
        /// Whether it may be left out.
        optional: bool,
    },
    /// A member is gone.
    MemberRemoved,
    /// A member of every object is now a member of some union branches only.
    MemberMovedToBranches {
        /// The tag values of the branches that have it.
        cases: Vec<String>,
    },
    /// A mandatory member became optional.
    MemberNowOptional,
    /// An optional member became mandatory.
    MemberNowMandatory,
    /// A new enum value.
    ValueAdded,
    /// An enum value is gone.
    ValueRemoved,
    /// A new union branch.
    BranchAdded,
    /// A union branch is gone.
    BranchRemoved,
    /// The union's tag is another member.
    TagChanged {
        /// The old tag member.
        old: String,
        /// The new one.
        new: String,
    },
    /// An alternate accepts a new kind of value.
    AlternativeAdded(Kind),
    /// An alternate no longer accepts a kind of value.
    AlternativeRemoved(Kind),
    /// A type became an alternate that still accepts the old type's values.
    NowAlternate,
    /// An alternate became one of its alternatives.
    NoLongerAlternate,
    /// A string became an enum: only its values are accepted or sent now.
    StringNowEnum,
    /// An enum became a string.
    EnumNowString,
    /// The type is another one.
    TypeChanged {
        /// The old type, as messages describe it.
        old: String,
        /// The new one.
        new: String,
    },
    /// A special feature appeared.
    FeatureAdded(String),
    /// A special feature went.
    FeatureRemoved(String),
    /// The command may now be sent with `exec-oob`.
    OobAllowed,
    /// The command may no longer be sent with `exec-oob`.
    OobNoLongerAllowed,
}

/// How a change affects clients that use it in one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Clients keep working.
    Compatible,
    /// Clients keep working, but are told to stop using it.
    Deprecation,
    /// Clients that use it break.
    Breaking,
}

impl What {
    /// How the change affects clients that use it in `direction`.
    pub fn verdict(&self, direction: Direction) -> Verdict {
        use Verdict::{Breaking, Compatible, Deprecation};
        let send = direction == Direction::Send;
        match self {
            What::CommandAdded | What::EventAdded | What::ValueAdded | What::BranchAdded => {
                Compatible
            }
            What::OobAllowed | What::FeatureRemoved(_) => Compatible,
            What::FeatureAdded(feature) if feature == "deprecated" => Deprecation,
            What::FeatureAdded(_) => Compatible,
            What::CommandRemoved | What::EventRemoved | What::MemberRemoved => Breaking,
            What::MemberMovedToBranches { .. } => Breaking,
            What::TypeChanged { .. } | What::TagChanged { .. } | What::OobNoLongerAllowed => {
                Breaking
            }
            What::MemberAdded { optional } => {
                if send && !optional {
                    Breaking
                } else {
                    Compatible
                }
            }
            // What clients send may widen; what they receive may narrow.
            What::MemberNowOptional | What::AlternativeAdded(_) | What::NowAlternate => {
                if send {
                    Compatible
                } else {
                    Breaking
                }
            }
            What::EnumNowString => Compatible,
            What::MemberNowMandatory
            | What::StringNowEnum
            | What::ValueRemoved
            | What::BranchRemoved
            | What::AlternativeRemoved(_)
            | What::NoLongerAlternate => {
                if send {
                    Breaking
                } else {
                    Compatible
                }
            }
        }
    }

    /// A short name for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            What::CommandAdded => "command-added",
            What::CommandRemoved => "command-removed",
            What::EventAdded => "event-added",
            What::EventRemoved => "event-removed",
            What::MemberAdded { .. } => "member-added",
            What::MemberRemoved => "member-removed",
            What::MemberMovedToBranches { .. } => "member-moved-to-branches",
            What::MemberNowOptional => "member-now-optional",
            What::MemberNowMandatory => "member-now-mandatory",
            What::ValueAdded => "value-added",
            What::ValueRemoved => "value-removed",
            What::BranchAdded => "branch-added",
            What::BranchRemoved => "branch-removed",
            What::TagChanged { .. } => "tag-changed",
            What::AlternativeAdded(_) => "alternative-added",
            What::AlternativeRemoved(_) => "alternative-removed",
            What::NowAlternate => "now-alternate",
            What::NoLongerAlternate => "no-longer-alternate",
            What::StringNowEnum => "string-now-enum",
            What::EnumNowString => "enum-now-string",
            What::TypeChanged { .. } => "type-changed",
            What::FeatureAdded(_) => "feature-added",
            What::FeatureRemoved(_) => "feature-removed",
            What::OobAllowed => "oob-allowed",
            What::OobNoLongerAllowed => "oob-no-longer-allowed",
        }
    }
}

impl fmt::Display for What {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::CommandAdded => f.write_str("command added"),
            What::CommandRemoved => f.write_str("command removed"),
            What::EventAdded => f.write_str("event added"),
            What::EventRemoved => f.write_str("event removed"),
            What::MemberAdded { optional: true } => f.write_str("optional member added"),
            What::MemberAdded { optional: false } => f.write_str("mandatory member added"),
            What::MemberRemoved => f.write_str("member removed"),
            What::MemberMovedToBranches { cases } => {
                let cases: Vec<String> = cases.iter().map(|case| format!("'{case}'")).collect();
                write!(
                    f,
                    "member now only in the branches for {}",
                    cases.join(", ")
                )
            }
            What::MemberNowOptional => f.write_str("member became optional"),
            What::MemberNowMandatory => f.write_str("member became mandatory"),
            What::ValueAdded => f.write_str("enum value added"),
            What::ValueRemoved => f.write_str("enum value removed"),
            What::BranchAdded => f.write_str("union branch added"),
            What::BranchRemoved => f.write_str("union branch removed"),
            What::TagChanged { old, new } => write!(f, "union tag changed from '{old}' to '{new}'"),
            What::AlternativeAdded(kind) => write!(f, "now also accepts {}", kind.name()),
            What::AlternativeRemoved(kind) => write!(f, "no longer accepts {}", kind.name()),
            What::NowAlternate => f.write_str("became an alternate that accepts the old type"),
            What::NoLongerAlternate => f.write_str("is no longer an alternate"),
            What::StringNowEnum => f.write_str("string became an enum"),
            What::EnumNowString => f.write_str("enum became a string"),
            What::TypeChanged { old, new } => write!(f, "type changed from {old} to {new}"),
            What::FeatureAdded(feature) if feature == "deprecated" => f.write_str("deprecated"),
            What::FeatureAdded(feature) => write!(f, "feature '{feature}' added"),
            What::FeatureRemoved(feature) if feature == "deprecated" => {
                f.write_str("no longer deprecated")
            }
            What::FeatureRemoved(feature) => write!(f, "feature '{feature}' removed"),
            What::OobAllowed => f.write_str("exec-oob now allowed"),
            What::OobNoLongerAllowed => f.write_str("exec-oob no longer allowed"),
        }
    }
}

impl Change {
    /// The path where the change is reported: the first of [`Change::uses`], where it
    /// matters most.
    pub fn path(&self) -> &str {
        &self.uses[0].path
    }

    /// The worst verdict over every use.
    pub fn verdict(&self) -> Verdict {
        self.uses
            .iter()
            .map(|used| self.what.verdict(used.direction))
            .max()
            .unwrap_or(Verdict::Compatible)
    }

    /// Whether clients that send what it changes break.
    pub fn breaks_senders(&self) -> bool {
        self.breaks(Direction::Send)
    }

    /// Whether clients that receive what it changes break.
    pub fn breaks_receivers(&self) -> bool {
        self.breaks(Direction::Receive)
    }

    fn breaks(&self, direction: Direction) -> bool {
        self.what.verdict(direction) == Verdict::Breaking
            && self.uses.iter().any(|used| used.direction == direction)
    }
}

impl Diff {
    /// Compares `old` with `new`.
    pub fn between(old: &Introspection, new: &Introspection) -> Diff {
        Diff {
            changes: walk::changes(old, new),
        }
    }

    /// Whether any change breaks clients.
    pub fn is_breaking(&self) -> bool {
        self.changes
            .iter()
            .any(|change| change.verdict() == Verdict::Breaking)
    }

    /// The changes as JSON: a list of objects with `change`, `path`, `also`, `breaks`
    /// (`send`, `receive`), `deprecation` and the change's own details.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.changes
                .iter()
                .map(|change| {
                    let mut object = json!({
                        "change": change.what.code(),
                        "path": change.path(),
                        "also": change.uses[1..].iter().map(|used| &used.path).collect::<Vec<_>>(),
                        "breaks": {
                            "send": change.breaks_senders(),
                            "receive": change.breaks_receivers(),
                        },
                        "deprecation": change.verdict() == Verdict::Deprecation,
                        "description": change.what.to_string(),
                    });
                    let details = match &change.what {
                        What::TypeChanged { old, new } | What::TagChanged { old, new } => {
                            json!({ "old": old, "new": new })
                        }
                        What::FeatureAdded(feature) | What::FeatureRemoved(feature) => {
                            json!({ "feature": feature })
                        }
                        What::AlternativeAdded(kind) | What::AlternativeRemoved(kind) => {
                            json!({ "kind": kind.name() })
                        }
                        What::MemberAdded { optional } => json!({ "optional": optional }),
                        What::MemberMovedToBranches { cases } => json!({ "cases": cases }),
                        _ => json!({}),
                    };
                    if let (Value::Object(object), Value::Object(details)) = (&mut object, details)
                    {
                        object.extend(details);
                    }
                    object
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(enum_type: Value) -> Introspection {
        let entries = json!([
            {"name": "set-mode", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
            {"name": "0", "meta-type": "object",
             "members": [{"name": "mode", "type": "2"}]},
            {"name": "1", "meta-type": "object", "members": []},
            enum_type,
        ]);
        Introspection::from_json(&entries.to_string()).expect("a valid schema")
    }

    /// A reply from before QEMU 6.2 lists enum values without `members`; a value that carries
    /// `deprecated` in a later reply became deprecated.
    #[test]
    fn values_without_members_have_no_features() {
        let old = schema(json!({"name": "2", "meta-type": "enum", "values": ["fast", "slow"]}));
        let new = schema(
            json!({"name": "2", "meta-type": "enum", "values": ["fast", "slow"],
            "members": [{"name": "fast"}, {"name": "slow", "features": ["deprecated"]}]}),
        );
        let diff = Diff::between(&old, &new);
        assert_eq!(diff.changes.len(), 1, "{:?}", diff.changes);
        assert_eq!(
            diff.changes[0].what,
            What::FeatureAdded("deprecated".into())
        );
        assert_eq!(diff.changes[0].path(), "set-mode/arg-type/mode/^slow");
        assert!(Diff::between(&old, &old).changes.is_empty());
    }
}
