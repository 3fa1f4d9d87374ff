//! One minimal old/new pair per kind of change, with its path, direction and verdicts.

use super::*;

pub(super) fn command_added() -> (Introspection, Introspection) {
    let old = cmd(json!([]), json!([]), json!([]));
    let new = cmd(
        json!([]),
        json!([]),
        json!([{"name": "cont", "meta-type": "command", "arg-type": "1", "ret-type": "1"}]),
    );
    (old, new)
}

#[test]
fn a_new_command_breaks_nobody() {
    let (old, new) = command_added();
    let change = only(&old, &new, change(What::CommandAdded, &[("cont", Send)]));
    assert_eq!(verdicts(&change.what), (Compatible, Compatible));
}

#[test]
fn a_removed_command_breaks_senders() {
    let (new, old) = command_added();
    let change = only(&old, &new, change(What::CommandRemoved, &[("cont", Send)]));
    assert_eq!(verdicts(&change.what), (Breaking, Breaking));
    assert!(change.breaks_senders());
    assert!(!change.breaks_receivers());
}

pub(super) fn event_added() -> (Introspection, Introspection) {
    let old = cmd(json!([]), json!([]), json!([]));
    let new = cmd(
        json!([]),
        json!([]),
        json!([{"name": "RESUME", "meta-type": "event", "arg-type": "1"}]),
    );
    (old, new)
}

#[test]
fn a_new_event_breaks_nobody() {
    let (old, new) = event_added();
    let change = only(&old, &new, change(What::EventAdded, &[("RESUME", Receive)]));
    assert_eq!(verdicts(&change.what), (Compatible, Compatible));
}

#[test]
fn a_removed_event_breaks_receivers() {
    let (new, old) = event_added();
    let change = only(
        &old,
        &new,
        change(What::EventRemoved, &[("RESUME", Receive)]),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Breaking));
    assert!(change.breaks_receivers());
    assert!(!change.breaks_senders());
}

#[test]
fn a_command_that_became_an_event_is_removed_and_added() {
    let old = cmd(json!([]), json!([]), json!([]));
    let new = common::schema(json!([
        {"name": "cmd", "meta-type": "event", "arg-type": "0"},
        {"name": "0", "meta-type": "object", "members": []},
    ]));
    assert_eq!(
        changes(&old, &new),
        [
            change(What::CommandRemoved, &[("cmd", Send)]),
            change(What::EventAdded, &[("cmd", Receive)]),
        ]
    );
}

// Members.

pub(super) fn mandatory_argument_added() -> (Introspection, Introspection) {
    let old = cmd(json!([]), json!([]), json!([]));
    let new = cmd(
        json!([{"name": "force", "type": "bool"}]),
        json!([]),
        json!([]),
    );
    (old, new)
}

#[test]
fn a_new_mandatory_argument_breaks_senders() {
    let (old, new) = mandatory_argument_added();
    let what = What::MemberAdded { optional: false };
    let change = only(&old, &new, change(what, &[("cmd/arg-type/force", Send)]));
    assert_eq!(verdicts(&change.what), (Breaking, Compatible));
    assert!(change.breaks_senders());
}

pub(super) fn optional_argument_added() -> (Introspection, Introspection) {
    let old = cmd(json!([]), json!([]), json!([]));
    let new = cmd(
        json!([{"name": "force", "type": "bool", "default": null}]),
        json!([]),
        json!([]),
    );
    (old, new)
}

#[test]
fn a_new_optional_argument_breaks_nobody() {
    let (old, new) = optional_argument_added();
    let what = What::MemberAdded { optional: true };
    let change = only(&old, &new, change(what, &[("cmd/arg-type/force", Send)]));
    assert_eq!(verdicts(&change.what), (Compatible, Compatible));
    assert!(!change.breaks_senders());
}

pub(super) fn reply_member_added() -> (Introspection, Introspection) {
    let old = cmd(json!([]), json!([]), json!([]));
    let new = cmd(
        json!([]),
        json!([{"name": "size", "type": "int"}]),
        json!([]),
    );
    (old, new)
}

#[test]
fn a_new_reply_member_breaks_nobody() {
    let (old, new) = reply_member_added();
    let what = What::MemberAdded { optional: false };
    let change = only(&old, &new, change(what, &[("cmd/ret-type/size", Receive)]));
    assert!(!change.breaks_receivers());
    assert_eq!(change.verdict(), Compatible);
}

#[test]
fn a_removed_reply_member_breaks_receivers() {
    let (new, old) = reply_member_added();
    let change = only(
        &old,
        &new,
        change(What::MemberRemoved, &[("cmd/ret-type/size", Receive)]),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Breaking));
    assert!(change.breaks_receivers());
}

#[test]
fn a_removed_argument_breaks_senders() {
    let (new, old) = optional_argument_added();
    let change = only(
        &old,
        &new,
        change(What::MemberRemoved, &[("cmd/arg-type/force", Send)]),
    );
    assert!(change.breaks_senders());
}

pub(super) fn member_moved_to_branches() -> (Introspection, Introspection) {
    let old = union(
        json!([{"name": "size", "type": "int"}]),
        json!([]),
        json!([]),
    );
    let new = union(
        json!([]),
        json!([{"name": "size", "type": "int"}]),
        json!([]),
    );
    (old, new)
}

#[test]
fn a_member_moved_into_some_branches_breaks_both_sides() {
    let (old, new) = member_moved_to_branches();
    let what = What::MemberMovedToBranches {
        cases: vec!["a".into()],
    };
    let change = only(&old, &new, change(what, &[("cmd/arg-type/size", Send)]));
    assert_eq!(verdicts(&change.what), (Breaking, Breaking));
}

#[test]
fn a_member_moved_out_of_a_branch_is_added_for_the_others() {
    let (new, old) = member_moved_to_branches();
    // Nothing changes for tag value 'a': only the common member is reported.
    let what = What::MemberAdded { optional: false };
    only(&old, &new, change(what, &[("cmd/arg-type/size", Send)]));
}

pub(super) fn reply_member_now_optional() -> (Introspection, Introspection) {
    let old = cmd(
        json!([]),
        json!([{"name": "size", "type": "int"}]),
        json!([]),
    );
    let new = cmd(
        json!([]),
        json!([{"name": "size", "type": "int", "default": null}]),
        json!([]),
    );
    (old, new)
}

#[test]
fn a_reply_member_made_optional_breaks_receivers() {
    let (old, new) = reply_member_now_optional();
    let change = only(
        &old,
        &new,
        change(What::MemberNowOptional, &[("cmd/ret-type/size", Receive)]),
    );
    assert_eq!(verdicts(&change.what), (Compatible, Breaking));
    assert!(change.breaks_receivers());
}

pub(super) fn argument_now_mandatory() -> (Introspection, Introspection) {
    let old = cmd(
        json!([{"name": "force", "type": "bool", "default": null}]),
        json!([]),
        json!([]),
    );
    let new = cmd(
        json!([{"name": "force", "type": "bool"}]),
        json!([]),
        json!([]),
    );
    (old, new)
}

#[test]
fn an_argument_made_mandatory_breaks_senders() {
    let (old, new) = argument_now_mandatory();
    let change = only(
        &old,
        &new,
        change(What::MemberNowMandatory, &[("cmd/arg-type/force", Send)]),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Compatible));
    assert!(change.breaks_senders());
}

// Enums.

/// Enum `2` with `values` used by an argument and by a reply member of `cmd`.
fn mode_enum(values: Value) -> Introspection {
    cmd(
        json!([{"name": "mode", "type": "2"}]),
        json!([{"name": "mode", "type": "2"}]),
        json!([{"name": "2", "meta-type": "enum", "values": values}]),
    )
}

pub(super) fn value_added() -> (Introspection, Introspection) {
    (
        mode_enum(json!(["fast", "slow"])),
        mode_enum(json!(["fast", "slow", "turbo"])),
    )
}

#[test]
fn a_new_enum_value_breaks_nobody() {
    let (old, new) = value_added();
    let change = only(
        &old,
        &new,
        change(
            What::ValueAdded,
            &[
                ("cmd/arg-type/mode/^turbo", Send),
                ("cmd/ret-type/mode/^turbo", Receive),
            ],
        ),
    );
    assert_eq!(verdicts(&change.what), (Compatible, Compatible));
}

#[test]
fn a_removed_enum_value_breaks_senders_but_not_receivers() {
    let (new, old) = value_added();
    let change = only(
        &old,
        &new,
        change(
            What::ValueRemoved,
            &[
                ("cmd/arg-type/mode/^turbo", Send),
                ("cmd/ret-type/mode/^turbo", Receive),
            ],
        ),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Compatible));
    assert!(change.breaks_senders());
    assert!(!change.breaks_receivers());
}

pub(super) fn string_now_enum() -> (Introspection, Introspection) {
    (
        cmd(
            json!([{"name": "mode", "type": "str"}]),
            json!([]),
            json!([]),
        ),
        cmd(
            json!([{"name": "mode", "type": "2"}]),
            json!([]),
            json!([{"name": "2", "meta-type": "enum", "values": ["fast"]}]),
        ),
    )
}

#[test]
fn a_string_that_became_an_enum_breaks_senders_only() {
    let (old, new) = string_now_enum();
    let change = only(
        &old,
        &new,
        change(What::StringNowEnum, &[("cmd/arg-type/mode", Send)]),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Compatible));
}

#[test]
fn an_enum_that_became_a_string_breaks_nobody() {
    let (new, old) = string_now_enum();
    let change = only(
        &old,
        &new,
        change(What::EnumNowString, &[("cmd/arg-type/mode", Send)]),
    );
    assert_eq!(verdicts(&change.what), (Compatible, Compatible));
}

// Unions.

pub(super) fn branch_added() -> (Introspection, Introspection) {
    (
        union(json!([]), json!([]), Value::Null),
        union(
            json!([]),
            json!([]),
            json!([{"name": "size", "type": "int"}]),
        ),
    )
}

#[test]
fn a_new_branch_breaks_nobody() {
    let (old, new) = branch_added();
    let change = only(
        &old,
        &new,
        change(What::BranchAdded, &[("cmd/arg-type/+b", Send)]),
    );
    assert_eq!(verdicts(&change.what), (Compatible, Compatible));
}

#[test]
fn a_removed_branch_breaks_senders() {
    let (new, old) = branch_added();
    let change = only(
        &old,
        &new,
        change(What::BranchRemoved, &[("cmd/arg-type/+b", Send)]),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Compatible));
}

/// A union whose tag is member `tag` of the two enum members `kind` and `type`.
fn tagged_by(tag: &str) -> Introspection {
    common::schema(json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
        {"name": "0", "meta-type": "object",
         "members": [{"name": "kind", "type": "2"}, {"name": "type", "type": "2"}],
         "tag": tag, "variants": [{"case": "a", "type": "1"}]},
        {"name": "1", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "enum", "values": ["a"]},
    ]))
}

pub(super) fn tag_changed() -> (Introspection, Introspection) {
    (tagged_by("kind"), tagged_by("type"))
}

#[test]
fn another_tag_breaks_both_sides() {
    let (old, new) = tag_changed();
    let what = What::TagChanged {
        old: "kind".into(),
        new: "type".into(),
    };
    let change = only(&old, &new, change(what, &[("cmd/arg-type", Send)]));
    assert_eq!(verdicts(&change.what), (Breaking, Breaking));
}

// Alternates.

fn alternate(types: &[&str]) -> Introspection {
    let members: Vec<Value> = types.iter().map(|ty| json!({ "type": ty })).collect();
    returning(
        "2",
        json!([{"name": "2", "meta-type": "alternate", "members": members}]),
    )
}

pub(super) fn alternative_added() -> (Introspection, Introspection) {
    (
        alternate(&["str", "bool"]),
        alternate(&["str", "bool", "int"]),
    )
}

#[test]
fn a_new_alternative_breaks_receivers_only() {
    let (old, new) = alternative_added();
    let change = only(
        &old,
        &new,
        change(
            What::AlternativeAdded(Kind::Number),
            &[("cmd/ret-type/x", Receive)],
        ),
    );
    assert_eq!(verdicts(&change.what), (Compatible, Breaking));
    assert!(change.breaks_receivers());
}

#[test]
fn a_removed_alternative_breaks_senders_only() {
    let (new, old) = alternative_added();
    let change = only(
        &old,
        &new,
        change(
            What::AlternativeRemoved(Kind::Number),
            &[("cmd/ret-type/x", Receive)],
        ),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Compatible));
    assert!(!change.breaks_receivers());
}

pub(super) fn now_alternate() -> (Introspection, Introspection) {
    (returning("str", json!([])), alternate(&["str", "int"]))
}

#[test]
fn a_type_that_became_an_alternate_of_itself_breaks_receivers_only() {
    let (old, new) = now_alternate();
    let change = only(
        &old,
        &new,
        change(What::NowAlternate, &[("cmd/ret-type/x", Receive)]),
    );
    assert_eq!(verdicts(&change.what), (Compatible, Breaking));
}

#[test]
fn an_alternate_that_became_one_of_its_alternatives_breaks_senders_only() {
    let (new, old) = now_alternate();
    let change = only(
        &old,
        &new,
        change(What::NoLongerAlternate, &[("cmd/ret-type/x", Receive)]),
    );
    assert_eq!(verdicts(&change.what), (Breaking, Compatible));
}

#[test]
fn an_alternate_without_the_old_type_is_another_type() {
    let old = returning("bool", json!([]));
    let new = alternate(&["str", "int"]);
    let what = What::TypeChanged {
        old: "'bool'".into(),
        new: "an alternate".into(),
    };
    only(&old, &new, change(what, &[("cmd/ret-type/x", Receive)]));
}

// Other types, features, out-of-band execution.

pub(super) fn type_changed() -> (Introspection, Introspection) {
    (
        cmd(
            json!([{"name": "size", "type": "int"}]),
            json!([]),
            json!([]),
        ),
        cmd(
            json!([{"name": "size", "type": "str"}]),
            json!([]),
            json!([]),
        ),
    )
}

#[test]
fn another_type_breaks_both_sides() {
    let (old, new) = type_changed();
    let what = What::TypeChanged {
        old: "'int'".into(),
        new: "'str'".into(),
    };
    let change = only(&old, &new, change(what, &[("cmd/arg-type/size", Send)]));
    assert_eq!(verdicts(&change.what), (Breaking, Breaking));
}

#[test]
fn types_are_described_by_kind() {
    let old = returning(
        "2",
        json!([{"name": "2", "meta-type": "object", "members": []}]),
    );
    let new = returning(
        "2",
        json!([{"name": "2", "meta-type": "array", "element-type": "int"}]),
    );
    let what = What::TypeChanged {
        old: "an object".into(),
        new: "an array of 'int'".into(),
    };
    only(&old, &new, change(what, &[("cmd/ret-type/x", Receive)]));
}

/// `cmd` with `features` on the command, on argument `mode`, on its enum value `slow` and on
/// the argument type.
fn featured(features: Value) -> Introspection {
    common::schema(json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "1",
         "features": features},
        {"name": "0", "meta-type": "object", "features": features,
         "members": [{"name": "mode", "type": "2", "features": features}]},
        {"name": "1", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "enum", "values": ["fast", "slow"],
         "members": [{"name": "fast"}, {"name": "slow", "features": features}]},
    ]))
}

pub(super) fn deprecated_everywhere() -> (Introspection, Introspection) {
    (featured(json!([])), featured(json!(["deprecated"])))
}

#[test]
fn a_new_deprecated_feature_is_a_deprecation_wherever_it_is() {
    let (old, new) = deprecated_everywhere();
    let what = What::FeatureAdded("deprecated".into());
    assert_eq!(
        changes(&old, &new),
        [
            change(what.clone(), &[("cmd", Send)]),
            change(what.clone(), &[("cmd/arg-type", Send)]),
            change(what.clone(), &[("cmd/arg-type/mode", Send)]),
            change(what.clone(), &[("cmd/arg-type/mode/^slow", Send)]),
        ]
    );
    assert_eq!(verdicts(&what), (Deprecation, Deprecation));
    assert!(!Diff::between(&old, &new).is_breaking());
}

#[test]
fn other_features_break_nobody() {
    let added = What::FeatureAdded("unstable".into());
    let removed = What::FeatureRemoved("deprecated".into());
    assert_eq!(verdicts(&added), (Compatible, Compatible));
    assert_eq!(verdicts(&removed), (Compatible, Compatible));
    let (new, old) = deprecated_everywhere();
    let found = changes(&old, &new);
    assert_eq!(found.len(), 4);
    assert!(found.iter().all(|change| change.what == removed));
    let old = featured(json!([]));
    let new = featured(json!(["unstable"]));
    assert!(
        changes(&old, &new)
            .iter()
            .all(|change| change.what == added && change.verdict() == Compatible)
    );
}

/// `cmd`, allowed with `exec-oob` or not.
fn oob(allowed: bool) -> Introspection {
    common::schema(json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "0",
         "allow-oob": allowed},
        {"name": "0", "meta-type": "object", "members": []},
    ]))
}

pub(super) fn oob_allowed() -> (Introspection, Introspection) {
    (oob(false), oob(true))
}

#[test]
fn exec_oob_allowed_breaks_nobody() {
    let (old, new) = oob_allowed();
    let change = only(&old, &new, change(What::OobAllowed, &[("cmd", Send)]));
    assert_eq!(change.verdict(), Compatible);
    assert_eq!(verdicts(&change.what), (Compatible, Compatible));
}

#[test]
fn exec_oob_no_longer_allowed_breaks_senders() {
    let (new, old) = oob_allowed();
    let change = only(
        &old,
        &new,
        change(What::OobNoLongerAllowed, &[("cmd", Send)]),
    );
    assert_eq!(change.what.verdict(Send), Breaking);
    assert!(change.breaks_senders());
    assert!(!change.breaks_receivers());
}

#[test]
fn a_missing_allow_oob_means_false() {
    let mut entries = json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
        {"name": "0", "meta-type": "object", "members": []},
    ]);
    let without = common::schema(entries.clone());
    entries[0]["allow-oob"] = json!(false);
    assert_eq!(changes(&without, &common::schema(entries)), []);
}

// Events are received.

#[test]
fn event_data_is_received() {
    let event = |members: Value| {
        common::schema(json!([
            {"name": "SHUTDOWN", "meta-type": "event", "arg-type": "0"},
            {"name": "0", "meta-type": "object", "members": members},
        ]))
    };
    let old = event(json!([{"name": "guest", "type": "bool"}]));
    let new = event(json!([]));
    let change = only(
        &old,
        &new,
        change(What::MemberRemoved, &[("SHUTDOWN/arg-type/guest", Receive)]),
    );
    assert!(change.breaks_receivers());
    assert!(!change.breaks_senders());
}
