//! The code generation options at work: the kitchen sink generated without forward
//! compatibility, with conditions decided by cargo features, and cut down with `keep`, extra
//! attributes and user types (see `build.rs`).

use qapi_generated_tests::kitchen_sink_strict as strict;
use qapi_generated_tests::{Opaque, kitchen_sink, kitchen_sink_features, kitchen_sink_kept};
use serde_json::json;

/// Without forward compatibility an enum has exactly the schema's values: this match needs
/// no catch-all arm, and an unknown value is an error rather than `Unrecognized`.
#[test]
fn strict_enums_have_only_the_schema_values() {
    let name = |source: strict::PowerSource| match source {
        strict::PowerSource::Solar => "solar",
        strict::PowerSource::Battery => "battery",
        strict::PowerSource::FuelCell => "fuel-cell",
        strict::PowerSource::Tether => "tether",
        #[allow(deprecated)]
        strict::PowerSource::GroundUmbilical => "ground-umbilical",
    };
    assert_eq!(name(strict::PowerSource::Tether), "tether");
    let error = serde_json::from_value::<strict::PowerSource>(json!("wind")).unwrap_err();
    assert_eq!(error.to_string(), "unknown value `wind`");
    // The lenient module keeps the value.
    let lenient: kitchen_sink::PowerSource = serde_json::from_value(json!("wind")).unwrap();
    assert_eq!(
        lenient,
        kitchen_sink::PowerSource::Unrecognized("wind".into())
    );
}

#[test]
fn strict_replies_reject_unknown_members_branches_and_events() {
    let reply = json!([{ "source": "solar", "watts": 1.0, "wings": 2, "sun-angle": 3,
                         "colour": "blue" }]);
    let error = strict::commands::decode_return("query-power", reply.clone()).unwrap_err();
    assert_eq!(error.path, "return[0]");
    assert!(
        error.message.contains("unexpected member `colour`"),
        "{error}"
    );
    assert!(kitchen_sink::commands::decode_return("query-power", reply).is_ok());

    let unknown_branch = json!([{ "source": "wind", "watts": 1.0 }]);
    let error = strict::commands::decode_return("query-power", unknown_branch.clone());
    assert!(error.unwrap_err().message.contains("unknown value `wind`"));
    assert!(kitchen_sink::commands::decode_return("query-power", unknown_branch).is_ok());

    let error = strict::events::Event::from_parts("SOLAR_WIND", None).unwrap_err();
    assert_eq!(error.to_string(), "event: unknown event SOLAR_WIND");
    let lenient = kitchen_sink::events::Event::from_parts("SOLAR_WIND", None).unwrap();
    assert_eq!(lenient.name(), "SOLAR_WIND");
}

/// `fuel-cell` and `health-model` are default features of this crate; `space-weather` is
/// not (the test holds with it too), and `CONFIG_TETHER` is a defined symbol.
#[cfg(feature = "fuel-cell")]
#[test]
fn cargo_features_decide_conditions() {
    use kitchen_sink_features as features;
    let fuel_cell = features::PowerSource::FuelCell;
    assert_eq!(fuel_cell.as_str(), "fuel-cell");
    assert!(features::PowerSource::ALL.contains(&features::PowerSource::Tether));

    let reply = json!([{ "source": "fuel-cell", "watts": 5.0, "hydrogen-kg": 1.5 }]);
    let features::commands::Return::QueryPower(sources) =
        features::commands::decode_return("query-power", reply).unwrap()
    else {
        panic!("query-power returns its own variant")
    };
    assert_eq!(
        sources[0].source,
        features::PowerSourceInfoSource::FuelCell(features::FuelCell { hydrogen_kg: 1.5 })
    );

    // The event that needs `space-weather` is left out without it, so it decodes as
    // unrecognized; with it, as itself.
    let data = json!({ "expected": { "seconds": 1, "microseconds": 0 }, "class": "X2" });
    let event = features::events::Event::from_parts("SOLAR_FLARE_WARNING", Some(&data)).unwrap();
    let unrecognized = matches!(event, features::events::Event::Unrecognized { .. });
    assert_eq!(unrecognized, !cfg!(feature = "space-weather"));
    assert_eq!(event.name(), "SOLAR_FLARE_WARNING");
}

/// The introspection data follows the cargo features too: it is what the introspection
/// backend gives for the symbols of this build, `CONFIG_TETHER` and those of the features on.
/// `.ci/run` checks the opposite feature set as well.
#[test]
fn cargo_features_decide_the_introspection_data() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema =
        qapi_schema::parse_file(manifest.join("../../schemas/kitchen-sink/kitchen-sink.json"))
            .unwrap();
    let features = [
        ("CONFIG_FUEL_CELL", cfg!(feature = "fuel-cell")),
        ("CONFIG_HEALTH_MODEL", cfg!(feature = "health-model")),
        ("CONFIG_NO_PAYLOADS", cfg!(feature = "no-payloads")),
        ("CONFIG_SPACE_WEATHER", cfg!(feature = "space-weather")),
        ("CONFIG_PAYLOAD_MATCH", cfg!(feature = "payload-match")),
    ];
    let symbols = qapi_compiler::Symbols::new(
        features
            .iter()
            .filter(|(_, on)| *on)
            .map(|(symbol, _)| *symbol)
            .chain(["CONFIG_TETHER"]),
    );
    let expected =
        qapi_compiler::introspect::Introspection::new(&schema, false).to_json(Some(&symbols));
    assert_eq!(kitchen_sink_features::introspection::SCHEMA_JSON, expected);

    // With every feature on, the data would list the event that needs `space-weather`.
    let all_on = qapi_compiler::Symbols::new(
        features
            .iter()
            .map(|(symbol, _)| *symbol)
            .chain(["CONFIG_TETHER"]),
    );
    let with_every_feature =
        qapi_compiler::introspect::Introspection::new(&schema, false).to_json(Some(&all_on));
    assert!(with_every_feature.contains("SOLAR_FLARE_WARNING"));
    assert_eq!(
        kitchen_sink_features::introspection::SCHEMA_JSON.contains("SOLAR_FLARE_WARNING"),
        cfg!(feature = "space-weather")
    );
}

#[test]
fn keep_leaves_out_what_the_kept_items_do_not_reach() {
    use kitchen_sink_kept as kept;
    let request = kept::commands::Request::from_parts("query-power", &json!({})).unwrap();
    assert_eq!(request.name(), "query-power");
    let error = kept::commands::Request::from_parts("emergency-stop", &json!({})).unwrap_err();
    assert_eq!(error.class, kept::protocol::ErrorClass::CommandNotFound);
    let event = kept::events::Event::from_parts(
        "BUS_MODE_CHANGED",
        Some(&json!({ "name": "harmony", "bus": 1, "mode": "nominal", "volts": 28.0 })),
    )
    .unwrap();
    assert_eq!(event.name(), "BUS_MODE_CHANGED");

    // The introspection data describes the kept commands and events only.
    let introspection: Vec<serde_json::Value> =
        serde_json::from_str(kept::introspection::SCHEMA_JSON).unwrap();
    let operations: Vec<&str> = introspection
        .iter()
        .filter(|entry| entry["meta-type"] == "command" || entry["meta-type"] == "event")
        .map(|entry| entry["name"].as_str().unwrap())
        .collect();
    assert_eq!(operations, ["query-power", "BUS_MODE_CHANGED"]);
}

#[test]
fn user_types_and_attributes_are_used() {
    use kitchen_sink_kept as kept;
    // `type_attribute("SolarArray", "#[derive(Eq, Hash)]")`.
    let mut set = std::collections::HashSet::new();
    set.insert(kept::SolarArray {
        wings: 2,
        sun_angle: -4,
    });
    assert_eq!(set.len(), 1);

    // `type_path("Timestamp", "crate::Opaque")` and
    // `type_path("BatteryBus.x-health-model", "crate::Opaque")`.
    let reply = json!([{ "source": "battery", "watts": 2.0, "since": { "seconds": 1 },
                         "name": "harmony", "bus": 1, "mode": "nominal", "volts": 28.0,
                         "charge-percent": 90, "cells": [3.7],
                         "x-health-model": { "score": 0.9 } }]);
    // The only command kept, so the only variant of `Return`.
    let kept::commands::Return::QueryPower(sources) =
        kept::commands::decode_return("query-power", reply.clone()).unwrap();
    let since: &Option<Opaque> = &sources[0].since;
    assert_eq!(since, &Some(Opaque(json!({ "seconds": 1 }))));
    let kept::PowerSourceInfoSource::Battery(battery) = &sources[0].source else {
        panic!("a battery branch")
    };
    let health: &Option<Opaque> = &battery.x_health_model;
    assert_eq!(health, &Some(Opaque(json!({ "score": 0.9 }))));
    assert_eq!(serde_json::to_value(&sources).unwrap(), reply);
}
