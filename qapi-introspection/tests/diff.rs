//! Diffs between two schemas: one minimal old/new pair per kind of change, with its path,
//! direction and verdicts; the mirror property (new→old gives the opposite change at the same
//! path); shared and recursive types; identical schemas; the JSON form.

mod common;

use qapi_introspection::Direction::{Receive, Send};
use qapi_introspection::Verdict::{Breaking, Compatible, Deprecation};
use qapi_introspection::{Change, Diff, Direction, Introspection, Kind, Use, Verdict, What};
use serde_json::{Value, json};

/// Command `cmd` taking object `0` with `args` and returning object `1` with `ret`, with
/// the other entries `rest`.
fn cmd(args: Value, ret: Value, rest: Value) -> Introspection {
    let mut entries = vec![
        json!({"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "1"}),
        json!({"name": "0", "meta-type": "object", "members": args}),
        json!({"name": "1", "meta-type": "object", "members": ret}),
    ];
    entries.extend(rest.as_array().expect("a list of entries").iter().cloned());
    common::schema(Value::Array(entries))
}

/// Command `cmd` whose arguments are a union with tag `driver` (enum `2` of `a` and `b`),
/// the common members `extra`, and branches with members `a` and `b`; a null `b` leaves
/// branch `b` out.
fn union(extra: Value, a: Value, b: Value) -> Introspection {
    let mut members = vec![json!({"name": "driver", "type": "2"})];
    members.extend(extra.as_array().expect("a list of members").iter().cloned());
    let mut variants = vec![json!({"case": "a", "type": "3"})];
    if !b.is_null() {
        variants.push(json!({"case": "b", "type": "4"}));
    }
    common::schema(json!([
        {"name": "cmd", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
        {"name": "0", "meta-type": "object", "members": members,
         "tag": "driver", "variants": variants},
        {"name": "1", "meta-type": "object", "members": []},
        {"name": "2", "meta-type": "enum", "values": ["a", "b"]},
        {"name": "3", "meta-type": "object", "members": a},
        {"name": "4", "meta-type": "object", "members": if b.is_null() { json!([]) } else { b }},
    ]))
}

/// Command `cmd` returning member `x` of type `ty` (with the other entries `rest`).
fn returning(ty: &str, rest: Value) -> Introspection {
    cmd(json!([]), json!([{"name": "x", "type": ty}]), rest)
}

fn changes(old: &Introspection, new: &Introspection) -> Vec<Change> {
    Diff::between(old, new).changes
}

fn change(what: What, uses: &[(&str, Direction)]) -> Change {
    Change {
        what,
        uses: uses
            .iter()
            .map(|&(path, direction)| Use {
                path: path.into(),
                direction,
            })
            .collect(),
    }
}

/// The verdicts for senders and for receivers.
fn verdicts(what: &What) -> (Verdict, Verdict) {
    (what.verdict(Send), what.verdict(Receive))
}

/// Asserts that `old` → `new` is exactly one change, and returns it.
fn only(old: &Introspection, new: &Introspection, expected: Change) -> Change {
    let found = changes(old, new);
    assert_eq!(found, std::slice::from_ref(&expected));
    expected
}

// Commands and events.

fn command_added() -> (Introspection, Introspection) {
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

fn event_added() -> (Introspection, Introspection) {
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

fn mandatory_argument_added() -> (Introspection, Introspection) {
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

fn optional_argument_added() -> (Introspection, Introspection) {
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

fn reply_member_added() -> (Introspection, Introspection) {
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

fn member_moved_to_branches() -> (Introspection, Introspection) {
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

fn reply_member_now_optional() -> (Introspection, Introspection) {
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

fn argument_now_mandatory() -> (Introspection, Introspection) {
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

fn value_added() -> (Introspection, Introspection) {
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

fn string_now_enum() -> (Introspection, Introspection) {
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

fn branch_added() -> (Introspection, Introspection) {
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

fn tag_changed() -> (Introspection, Introspection) {
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

fn alternative_added() -> (Introspection, Introspection) {
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

fn now_alternate() -> (Introspection, Introspection) {
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

fn type_changed() -> (Introspection, Introspection) {
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

fn deprecated_everywhere() -> (Introspection, Introspection) {
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

fn oob_allowed() -> (Introspection, Introspection) {
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

// Properties over every case.

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
