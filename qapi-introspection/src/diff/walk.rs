//! The walk behind [`Diff::between`](super::Diff::between): commands and events matched by
//! name, their types compared in pairs, each pair once (unless a cycle cut its comparison
//! short), and the changes found grouped by identity with every path that reaches them.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{Change, Direction, Use, What};
use crate::model::{Introspection, JsonType, Kind, Meta, SchemaInfo};

/// Every change between `old` and `new`, each with every path that reaches it.
pub(super) fn changes(old: &Introspection, new: &Introspection) -> Vec<Change> {
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
                    let features = differ.features(origin, None, &entry.features, &other.features);
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
    changes
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
