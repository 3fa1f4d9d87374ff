//! Diffs between two schemas: one minimal old/new pair per kind of change, with its path,
//! direction and verdicts; the mirror property (new→old gives the opposite change at the same
//! path); shared and recursive types; identical schemas; the JSON form.

#[path = "../common/mod.rs"]
mod common;
mod kinds;
mod properties;

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
