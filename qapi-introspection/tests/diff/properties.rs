//! Properties over every case of `kinds.rs` (the mirror, identical and masked schemas), shared
//! and recursive types, and the JSON form.

use super::kinds::*;
use super::*;

/// Every minimal case above, old then new.
fn cases() -> Vec<(&'static str, (Introspection, Introspection))> {
    vec![
        ("command added", command_added()),
        ("event added", event_added()),
        ("mandatory argument added", mandatory_argument_added()),
        ("optional argument added", optional_argument_added()),
        ("reply member added", reply_member_added()),
        ("reply member now optional", reply_member_now_optional()),
        ("argument now mandatory", argument_now_mandatory()),
        ("value added", value_added()),
        ("string now enum", string_now_enum()),
        ("branch added", branch_added()),
        ("tag changed", tag_changed()),
        ("alternative added", alternative_added()),
        ("now alternate", now_alternate()),
        ("type changed", type_changed()),
        ("deprecated everywhere", deprecated_everywhere()),
        ("oob allowed", oob_allowed()),
    ]
}

/// The change that undoing `what` makes. A removed member's mirror is an added member
/// whose optionality the removal does not tell (see [`comparable`]).
fn mirror(what: &What) -> What {
    match what.clone() {
        What::CommandAdded => What::CommandRemoved,
        What::CommandRemoved => What::CommandAdded,
        What::EventAdded => What::EventRemoved,
        What::EventRemoved => What::EventAdded,
        What::MemberAdded { .. } => What::MemberRemoved,
        What::MemberRemoved => What::MemberAdded { optional: false },
        What::MemberNowOptional => What::MemberNowMandatory,
        What::MemberNowMandatory => What::MemberNowOptional,
        What::ValueAdded => What::ValueRemoved,
        What::ValueRemoved => What::ValueAdded,
        What::BranchAdded => What::BranchRemoved,
        What::BranchRemoved => What::BranchAdded,
        What::TagChanged { old, new } => What::TagChanged { old: new, new: old },
        What::AlternativeAdded(kind) => What::AlternativeRemoved(kind),
        What::AlternativeRemoved(kind) => What::AlternativeAdded(kind),
        What::NowAlternate => What::NoLongerAlternate,
        What::NoLongerAlternate => What::NowAlternate,
        What::StringNowEnum => What::EnumNowString,
        What::EnumNowString => What::StringNowEnum,
        What::TypeChanged { old, new } => What::TypeChanged { old: new, new: old },
        What::FeatureAdded(feature) => What::FeatureRemoved(feature),
        What::FeatureRemoved(feature) => What::FeatureAdded(feature),
        What::OobAllowed => What::OobNoLongerAllowed,
        What::OobNoLongerAllowed => What::OobAllowed,
        What::MemberMovedToBranches { .. } => panic!("a move into branches has no mirror"),
    }
}

/// A change with an added member's optionality forgotten.
fn comparable(what: What) -> What {
    match what {
        What::MemberAdded { .. } => What::MemberAdded { optional: false },
        other => other,
    }
}

/// Changes as (what, uses in path order), sorted, to compare lists whatever their order.
fn sorted(changes: impl Iterator<Item = (What, Vec<Use>)>) -> Vec<(What, Vec<Use>)> {
    let mut changes: Vec<(What, Vec<Use>)> = changes
        .map(|(what, mut uses)| {
            uses.sort_by(|a, b| a.path.cmp(&b.path));
            (comparable(what), uses)
        })
        .collect();
    changes.sort_by_key(|(what, uses)| (uses[0].path.clone(), what.code()));
    changes
}

#[test]
fn diffing_backwards_gives_the_mirror_changes_at_the_same_paths() {
    for (name, (old, new)) in cases() {
        let forward = changes(&old, &new);
        let backward = changes(&new, &old);
        assert!(!forward.is_empty(), "{name}: no change");
        let expected = sorted(
            forward
                .into_iter()
                .map(|change| (mirror(&change.what), change.uses)),
        );
        let found = sorted(
            backward
                .into_iter()
                .map(|change| (change.what, change.uses)),
        );
        assert_eq!(found, expected, "{name}");
    }
}

#[test]
fn identical_schemas_have_no_changes() {
    for (name, (old, new)) in cases() {
        assert_eq!(changes(&old, &old), [], "{name}: old against itself");
        assert_eq!(changes(&new, &new), [], "{name}: new against itself");
        assert!(!Diff::between(&new, &new).is_breaking());
    }
}

#[test]
fn masked_names_do_not_matter() {
    let old = common::schema(json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
        {"name": "0", "meta-type": "object", "members": [{"name": "mode", "type": "2"}]},
        {"name": "1", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "enum", "values": ["fast"]},
    ]));
    let new = common::schema(json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "7", "ret-type": "3"},
        {"name": "3", "meta-type": "object", "members": []},
        {"name": "5", "meta-type": "enum", "values": ["fast"]},
        {"name": "7", "meta-type": "object", "members": [{"name": "mode", "type": "5"}]},
    ]));
    assert_eq!(changes(&old, &new), []);
}

// Shared and recursive types.

/// A type `2` returned by `get` and taken by `set` (listed after `get`).
fn shared(members: Value) -> Introspection {
    common::schema(json!([
        {"name": "get", "meta-type": "command", "arg-type": "1", "ret-type": "2"},
        {"name": "set", "meta-type": "command", "arg-type": "2", "ret-type": "1"},
        {"name": "1", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "object", "members": members},
    ]))
}

#[test]
fn a_type_reached_from_two_commands_is_one_change_sending_use_first() {
    let old = shared(json!([]));
    let new = shared(json!([{"name": "size", "type": "int", "default": null}]));
    assert_eq!(
        changes(&old, &new),
        [change(
            What::MemberAdded { optional: true },
            &[("set/arg-type/size", Send), ("get/ret-type/size", Receive)],
        )]
    );
}

#[test]
fn a_shared_change_is_reported_first_where_it_breaks() {
    let old = shared(json!([{"name": "size", "type": "int"}]));
    let new = shared(json!([{"name": "size", "type": "int", "default": null}]));
    let found = changes(&old, &new);
    assert_eq!(
        found,
        [change(
            What::MemberNowOptional,
            &[("get/ret-type/size", Receive), ("set/arg-type/size", Send)],
        )]
    );
    assert_eq!(found[0].path(), "get/ret-type/size");
    assert!(found[0].breaks_receivers());
    assert!(!found[0].breaks_senders());
    assert_eq!(found[0].verdict(), Breaking);
}

/// A list node `0` that refers to itself, taken by `cmd`.
fn recursive(members: Value) -> Introspection {
    let mut all = vec![json!({"name": "next", "type": "0", "default": null})];
    all.extend(
        members
            .as_array()
            .expect("a list of members")
            .iter()
            .cloned(),
    );
    common::schema(json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
        {"name": "0", "meta-type": "object", "members": all},
        {"name": "1", "meta-type": "object", "members": []},
    ]))
}

#[test]
fn recursive_types_terminate_and_report_each_change_once() {
    let old = recursive(json!([]));
    let new = recursive(json!([{"name": "value", "type": "int"}]));
    assert_eq!(
        changes(&old, &new),
        [change(
            What::MemberAdded { optional: false },
            &[("cmd/arg-type/value", Send)],
        )]
    );
    assert_eq!(changes(&new, &new), []);
}

/// `get` returns an object that holds, through another object, an object like itself; `set`
/// takes that other object. A change to the inner member reaches both.
fn mutually_recursive(x_optional: bool) -> Introspection {
    let x = if x_optional {
        json!({"name": "x", "type": "int", "default": null})
    } else {
        json!({"name": "x", "type": "int"})
    };
    common::schema(json!([
        {"name": "get", "meta-type": "command", "arg-type": "0", "ret-type": "2"},
        {"name": "set", "meta-type": "command", "arg-type": "3", "ret-type": "0"},
        {"name": "0", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "object",
         "members": [{"name": "b", "type": "3", "default": null}, x]},
        {"name": "3", "meta-type": "object",
         "members": [{"name": "a", "type": "2", "default": null}]},
    ]))
}

#[test]
fn a_change_inside_a_cycle_keeps_every_use() {
    let old = mutually_recursive(true);
    let new = mutually_recursive(false);
    assert_eq!(
        changes(&old, &new),
        [change(
            What::MemberNowMandatory,
            &[("set/arg-type/a/x", Send), ("get/ret-type/x", Receive)],
        )]
    );
    assert!(Diff::between(&old, &new).is_breaking());
}

#[test]
fn is_breaking_looks_at_every_change() {
    let (old, new) = optional_argument_added();
    assert!(!Diff::between(&old, &new).is_breaking());
    let (old, new) = mandatory_argument_added();
    assert!(Diff::between(&old, &new).is_breaking());
    let (old, new) = reply_member_now_optional();
    assert!(Diff::between(&old, &new).is_breaking());
}

#[test]
fn the_json_form_of_a_change() {
    let old = shared(json!([]));
    let new = shared(json!([{"name": "size", "type": "int"}]));
    assert_eq!(
        Diff::between(&old, &new).to_json(),
        json!([{
            "change": "member-added",
            "path": "set/arg-type/size",
            "also": ["get/ret-type/size"],
            "breaks": {"send": true, "receive": false},
            "deprecation": false,
            "description": "mandatory member added",
            "optional": false,
        }])
    );
}

#[test]
fn the_json_form_of_details_and_deprecation() {
    let (old, new) = type_changed();
    assert_eq!(
        Diff::between(&old, &new).to_json(),
        json!([{
            "change": "type-changed",
            "path": "cmd/arg-type/size",
            "also": [],
            "breaks": {"send": true, "receive": false},
            "deprecation": false,
            "description": "type changed from 'int' to 'str'",
            "old": "'int'",
            "new": "'str'",
        }])
    );
    let (old, new) = deprecated_everywhere();
    assert_eq!(
        Diff::between(&old, &new).to_json()[0],
        json!({
            "change": "feature-added",
            "path": "cmd",
            "also": [],
            "breaks": {"send": false, "receive": false},
            "deprecation": true,
            "description": "deprecated",
            "feature": "deprecated",
        })
    );
}
