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

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

use serde_json::{Value, json};

use crate::model::{Introspection, JsonType, Kind, Meta, SchemaInfo};

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
        let mut differ = Differ {
            old,
            new,
            memo: HashMap::new(),
            walking: Vec::new(),
            lowest_reentered: usize::MAX,
            ids: HashMap::new(),
        };
        let mut found: Vec<(Found, String, Direction)> = Vec::new();
        for (kind, old_entries, new_entries) in [
            (
                Root::Command,
                old.commands().collect::<Vec<_>>(),
                new.commands().collect::<Vec<_>>(),
            ),
            (Root::Event, old.events().collect(), new.events().collect()),
        ] {
            let direction = match kind {
                Root::Command => Direction::Send,
                Root::Event => Direction::Receive,
            };
            for entry in &old_entries {
                let name = &entry.name;
                match new.get(name).filter(|other| same_root(entry, other)) {
                    None => {
                        let what = match kind {
                            Root::Command => What::CommandRemoved,
                            Root::Event => What::EventRemoved,
                        };
                        let origin = (name.as_str(), name.as_str());
                        found.push((differ.found(origin, None, what), name.clone(), direction));
                    }
                    Some(other) => {
                        let origin = (name.as_str(), name.as_str());
                        let features =
                            differ.features(origin, None, &entry.features, &other.features);
                        for local in &features {
                            found.push((local.clone(), local.path(name), direction));
                        }
                        differ.root(entry, other, &mut found);
                    }
                }
            }
            let old_names: HashSet<&str> = old_entries.iter().map(|e| e.name.as_str()).collect();
            for entry in new_entries
                .iter()
                .filter(|entry| !old_names.contains(entry.name.as_str()))
            {
                let what = match kind {
                    Root::Command => What::CommandAdded,
                    Root::Event => What::EventAdded,
                };
                let origin = (entry.name.as_str(), entry.name.as_str());
                found.push((
                    differ.found(origin, None, what),
                    entry.name.clone(),
                    direction,
                ));
            }
        }
        // One change per id, with every path in the order found.
        let mut changes: Vec<Change> = Vec::new();
        let mut index_of: HashMap<usize, usize> = HashMap::new();
        for (local, path, direction) in found {
            let used = Use { path, direction };
            match index_of.get(&local.id) {
                Some(&index) => {
                    if !changes[index].uses.contains(&used) {
                        changes[index].uses.push(used);
                    }
                }
                None => {
                    index_of.insert(local.id, changes.len());
                    changes.push(Change {
                        what: (*local.what).clone(),
                        uses: vec![used],
                    });
                }
            }
        }
        // Report each change where it matters most: where it breaks, or where it is sent.
        for change in &mut changes {
            let what = &change.what;
            change.uses.sort_by_key(|used| {
                let sent = used.direction == Direction::Send;
                (std::cmp::Reverse(what.verdict(used.direction)), !sent)
            });
        }
        Diff { changes }
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

#[derive(Clone, Copy)]
enum Root {
    Command,
    Event,
}

/// Whether two entries of the same name are both commands or both events.
fn same_root(old: &SchemaInfo, new: &SchemaInfo) -> bool {
    matches!(
        (&old.meta, &new.meta),
        (Meta::Command { .. }, Meta::Command { .. }) | (Meta::Event { .. }, Meta::Event { .. })
    )
}

/// A change found inside a pair of types: its identity, and the steps from that pair down
/// to it (in reverse, so callers can add theirs cheaply).
#[derive(Clone, Debug)]
struct Found {
    id: usize,
    what: Rc<What>,
    reversed_steps: Vec<Rc<str>>,
}

impl Found {
    fn path(&self, prefix: &str) -> String {
        let mut path = prefix.to_owned();
        for step in self.reversed_steps.iter().rev() {
            path.push('/');
            path.push_str(step);
        }
        path
    }

    fn under(&self, step: &Rc<str>) -> Found {
        let mut found = self.clone();
        found.reversed_steps.push(step.clone());
        found
    }
}

/// A pair of entries: two types compared, or a command or event with itself.
type Pair<'a> = (&'a str, &'a str);

/// Walks two schemas side by side.
struct Differ<'a> {
    old: &'a Introspection,
    new: &'a Introspection,
    /// The changes of each pair whose comparison was complete.
    memo: HashMap<Pair<'a>, Rc<Vec<Found>>>,
    /// The pairs being compared, outermost first.
    walking: Vec<Pair<'a>>,
    /// The outermost place in `walking` that the current comparison came back to.
    lowest_reentered: usize,
    /// The identity of each change: where it was found (the pair and the step from it)
    /// and what it is. A pair compared twice finds the same changes again.
    ids: HashMap<(Pair<'a>, Option<Rc<str>>, What), usize>,
}

impl<'a> Differ<'a> {
    /// The change `what` found in comparing `origin`, at `step` from it.
    fn found(&mut self, origin: Pair<'a>, step: Option<&Rc<str>>, what: What) -> Found {
        let next = self.ids.len();
        let id = *self
            .ids
            .entry((origin, step.cloned(), what.clone()))
            .or_insert(next);
        Found {
            id,
            what: Rc::new(what),
            reversed_steps: step.into_iter().cloned().collect(),
        }
    }

    /// Compares a command or event present on both sides, adding what it finds to `found`.
    fn root(
        &mut self,
        old: &'a SchemaInfo,
        new: &'a SchemaInfo,
        found: &mut Vec<(Found, String, Direction)>,
    ) {
        let name = &old.name;
        let origin = (name.as_str(), name.as_str());
        let mut add = |changes: &[Found], prefix: String, direction: Direction| {
            for local in changes {
                found.push((local.clone(), local.path(&prefix), direction));
            }
        };
        match (&old.meta, &new.meta) {
            (
                Meta::Command {
                    arg_type: old_args,
                    ret_type: old_ret,
                    allow_oob: old_oob,
                },
                Meta::Command {
                    arg_type: new_args,
                    ret_type: new_ret,
                    allow_oob: new_oob,
                },
            ) => {
                if old_oob != new_oob {
                    let what = if *new_oob {
                        What::OobAllowed
                    } else {
                        What::OobNoLongerAllowed
                    };
                    let local = self.found(origin, None, what);
                    add(&[local], name.clone(), Direction::Send);
                }
                let args = self.compare(old_args, new_args);
                add(&args, format!("{name}/arg-type"), Direction::Send);
                let ret = self.compare(old_ret, new_ret);
                add(&ret, format!("{name}/ret-type"), Direction::Receive);
            }
            (Meta::Event { arg_type: old_data }, Meta::Event { arg_type: new_data }) => {
                let data = self.compare(old_data, new_data);
                add(&data, format!("{name}/arg-type"), Direction::Receive);
            }
            _ => {}
        }
    }

    /// The features gained and lost by what `step` leads to from `origin`.
    fn features(
        &mut self,
        origin: Pair<'a>,
        step: Option<&Rc<str>>,
        old: &[String],
        new: &[String],
    ) -> Vec<Found> {
        let mut changes = Vec::new();
        for feature in new.iter().filter(|feature| !old.contains(feature)) {
            changes.push(self.found(origin, step, What::FeatureAdded(feature.clone())));
        }
        for feature in old.iter().filter(|feature| !new.contains(feature)) {
            changes.push(self.found(origin, step, What::FeatureRemoved(feature.clone())));
        }
        changes
    }

    /// The changes between two types, each found once however often the pair is reached.
    ///
    /// A recursive type comes back to a pair still being compared; that pair's changes are
    /// reported where the walk first entered it, so the inner visit finds nothing. The
    /// result of a comparison cut short that way holds for this walk only: it is not kept,
    /// and the pair is compared again when reached from elsewhere.
    fn compare(&mut self, old_ty: &'a str, new_ty: &'a str) -> Rc<Vec<Found>> {
        let pair = (old_ty, new_ty);
        if let Some(changes) = self.memo.get(&pair) {
            return changes.clone();
        }
        if let Some(depth) = self.walking.iter().position(|walking| *walking == pair) {
            self.lowest_reentered = self.lowest_reentered.min(depth);
            return Rc::new(Vec::new());
        }
        let depth = self.walking.len();
        self.walking.push(pair);
        let outer_reentered = std::mem::replace(&mut self.lowest_reentered, usize::MAX);
        let old = self.old.ty(old_ty);
        let new = self.new.ty(new_ty);
        let mut changes = self.features(pair, None, &old.features, &new.features);
        self.compare_meta(old, new, &mut changes);
        let changes = Rc::new(changes);
        self.walking.pop();
        let reentered = self.lowest_reentered;
        if reentered < depth {
            self.lowest_reentered = outer_reentered.min(reentered);
        } else {
            self.lowest_reentered = outer_reentered;
            self.memo.insert(pair, changes.clone());
        }
        changes
    }

    fn compare_meta(&mut self, old: &'a SchemaInfo, new: &'a SchemaInfo, out: &mut Vec<Found>) {
        let origin = (old.name.as_str(), new.name.as_str());
        match (&old.meta, &new.meta) {
            (Meta::Builtin { json_type: a }, Meta::Builtin { json_type: b }) if a == b => {}
            (
                Meta::Enum {
                    values: a,
                    members: am,
                },
                Meta::Enum {
                    values: b,
                    members: bm,
                },
            ) => {
                for value in b.iter().filter(|value| !a.contains(value)) {
                    let step: Rc<str> = format!("^{value}").into();
                    out.push(self.found(origin, Some(&step), What::ValueAdded));
                }
                for value in a.iter().filter(|value| !b.contains(value)) {
                    let step: Rc<str> = format!("^{value}").into();
                    out.push(self.found(origin, Some(&step), What::ValueRemoved));
                }
                // Replies before QEMU 6.2 have no `members`: their values have no features.
                let features_of = |members: &'a [crate::model::EnumValue], value: &str| {
                    members
                        .iter()
                        .find(|member| member.name == value)
                        .map_or(&[][..], |member| &member.features[..])
                };
                for value in a.iter().filter(|value| b.contains(value)) {
                    let step: Rc<str> = format!("^{value}").into();
                    let (old_features, new_features) =
                        (features_of(am, value), features_of(bm, value));
                    out.extend(self.features(origin, Some(&step), old_features, new_features));
                }
            }
            (Meta::Array { element_type: a }, Meta::Array { element_type: b }) => {
                out.extend(self.compare(a, b).iter().cloned());
            }
            (
                Meta::Object {
                    members: old_members,
                    tag: old_tag,
                    variants: old_variants,
                },
                Meta::Object {
                    members: new_members,
                    tag: new_tag,
                    variants: new_variants,
                },
            ) => {
                if let (Some(a), Some(b)) = (old_tag, new_tag)
                    && a != b
                {
                    out.push(self.found(
                        origin,
                        None,
                        What::TagChanged {
                            old: a.clone(),
                            new: b.clone(),
                        },
                    ));
                }
                for member in new_members {
                    if !old_members.iter().any(|m| m.name == member.name) {
                        let step: Rc<str> = member.name.as_str().into();
                        let optional = member.optional;
                        out.push(self.found(origin, Some(&step), What::MemberAdded { optional }));
                    }
                }
                for member in old_members {
                    let step: Rc<str> = member.name.as_str().into();
                    let Some(other) = new_members.iter().find(|m| m.name == member.name) else {
                        let cases = self.branches_with(new_variants, &member.name);
                        let what = if cases.is_empty() {
                            What::MemberRemoved
                        } else {
                            What::MemberMovedToBranches { cases }
                        };
                        out.push(self.found(origin, Some(&step), what));
                        continue;
                    };
                    match (member.optional, other.optional) {
                        (false, true) => {
                            out.push(self.found(origin, Some(&step), What::MemberNowOptional))
                        }
                        (true, false) => {
                            out.push(self.found(origin, Some(&step), What::MemberNowMandatory));
                        }
                        _ => {}
                    }
                    out.extend(self.features(
                        origin,
                        Some(&step),
                        &member.features,
                        &other.features,
                    ));
                    for local in self.compare(&member.ty, &other.ty).iter() {
                        out.push(local.under(&step));
                    }
                }
                for variant in new_variants {
                    if !old_variants.iter().any(|v| v.case == variant.case) {
                        let step: Rc<str> = format!("+{}", variant.case).into();
                        out.push(self.found(origin, Some(&step), What::BranchAdded));
                    }
                }
                for variant in old_variants {
                    let step: Rc<str> = format!("+{}", variant.case).into();
                    let Some(other) = new_variants.iter().find(|v| v.case == variant.case) else {
                        out.push(self.found(origin, Some(&step), What::BranchRemoved));
                        continue;
                    };
                    // A member that moved between the common members and the branch is
                    // neither new nor gone for the branch's tag value: the common members
                    // report the move.
                    let moved = |local: &Found| match (&*local.what, &local.reversed_steps[..]) {
                        (What::MemberAdded { .. }, [name]) => {
                            old_members.iter().any(|m| m.name == **name)
                        }
                        (What::MemberRemoved, [name]) => {
                            new_members.iter().any(|m| m.name == **name)
                        }
                        _ => false,
                    };
                    for local in self.compare(&variant.ty, &other.ty).iter() {
                        if !moved(local) {
                            out.push(local.under(&step));
                        }
                    }
                }
            }
            (
                Meta::Builtin {
                    json_type: JsonType::String,
                },
                Meta::Enum { .. },
            ) => {
                out.push(self.found(origin, None, What::StringNowEnum));
            }
            (
                Meta::Enum { .. },
                Meta::Builtin {
                    json_type: JsonType::String,
                },
            ) => {
                out.push(self.found(origin, None, What::EnumNowString));
            }
            (Meta::Alternate { members: a }, Meta::Alternate { members: b }) => {
                let old_kinds = self.alternatives(self.old, a);
                let new_kinds = self.alternatives(self.new, b);
                for (kind, new_ty) in &new_kinds {
                    match old_kinds.iter().find(|(k, _)| k == kind) {
                        Some((_, old_ty)) => {
                            out.extend(self.compare(old_ty, new_ty).iter().cloned())
                        }
                        None => out.push(self.found(origin, None, What::AlternativeAdded(*kind))),
                    }
                }
                for (kind, _) in &old_kinds {
                    if !new_kinds.iter().any(|(k, _)| k == kind) {
                        out.push(self.found(origin, None, What::AlternativeRemoved(*kind)));
                    }
                }
            }
            (_, Meta::Alternate { members }) if self.old.kind(&old.name).is_some() => {
                let kind = self.old.kind(&old.name);
                let kinds = self.alternatives(self.new, members);
                match kinds.iter().find(|(k, _)| Some(*k) == kind) {
                    Some((_, new_ty)) => {
                        out.push(self.found(origin, None, What::NowAlternate));
                        out.extend(self.compare(&old.name, new_ty).iter().cloned());
                    }
                    None => out.push(self.type_changed(old, new)),
                }
            }
            (Meta::Alternate { members }, _) if self.new.kind(&new.name).is_some() => {
                let kind = self.new.kind(&new.name);
                let kinds = self.alternatives(self.old, members);
                match kinds.iter().find(|(k, _)| Some(*k) == kind) {
                    Some((_, old_ty)) => {
                        out.push(self.found(origin, None, What::NoLongerAlternate));
                        out.extend(self.compare(old_ty, &new.name).iter().cloned());
                    }
                    None => out.push(self.type_changed(old, new)),
                }
            }
            _ => out.push(self.type_changed(old, new)),
        }
    }

    /// The tag values of the new side's branches that have a member `name`.
    fn branches_with(&self, variants: &[crate::model::Variant], name: &str) -> Vec<String> {
        variants
            .iter()
            .filter(|variant| match &self.new.ty(&variant.ty).meta {
                Meta::Object { members, .. } => members.iter().any(|m| m.name == name),
                _ => false,
            })
            .map(|variant| variant.case.clone())
            .collect()
    }

    /// The alternatives of an alternate by kind.
    fn alternatives(
        &self,
        schema: &'a Introspection,
        members: &'a [crate::model::Alternative],
    ) -> Vec<(Kind, &'a str)> {
        members
            .iter()
            .filter_map(|alternative| {
                schema
                    .kind(&alternative.ty)
                    .map(|kind| (kind, alternative.ty.as_str()))
            })
            .collect()
    }

    fn type_changed(&mut self, old: &'a SchemaInfo, new: &'a SchemaInfo) -> Found {
        let what = What::TypeChanged {
            old: describe(self.old, old),
            new: describe(self.new, new),
        };
        self.found((&old.name, &new.name), None, what)
    }
}

/// A type as change messages describe it: its built-in name or its kind.
fn describe(schema: &Introspection, entry: &SchemaInfo) -> String {
    match &entry.meta {
        Meta::Builtin { .. } => format!("'{}'", entry.name),
        Meta::Enum { .. } => "an enum".into(),
        Meta::Array { element_type } => {
            format!("an array of {}", describe(schema, schema.ty(element_type)))
        }
        Meta::Object { .. } => "an object".into(),
        Meta::Alternate { .. } => "an alternate".into(),
        Meta::Command { .. } => "a command".into(),
        Meta::Event { .. } => "an event".into(),
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
