//! Generates the Rust modules this crate compiles: our own schemas always, QEMU 10.0.2's three
//! schemas when its source tree is fetched (`cargo xtask fetch-qemu`; cfg `qemu_source`), and
//! QEMU 9.1's QMP schema from the `qapi-qmp` crate, which `qapi-tests` makes cargo download.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(qemu_source)");
    println!("cargo::rerun-if-env-changed=QAPI_QEMU_SRC");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let schemas = manifest.join("../../schemas");
    generate("demo", &schemas.join("demo.json"));
    let kitchen_sink = schemas.join("kitchen-sink/kitchen-sink.json");
    generate("kitchen_sink", &kitchen_sink);
    generate_variants(&kitchen_sink);
    if let Some(qemu) = qapi_tests::qemu_source() {
        println!("cargo::rustc-cfg=qemu_source");
        generate("qmp", &qemu.join("qapi/qapi-schema.json"));
        generate("qga", &qemu.join("qga/qapi-schema.json"));
        generate(
            "storage_daemon",
            &qemu.join("storage-daemon/qapi/qapi-schema.json"),
        );
    }
    // `cargo metadata` (run by `crate_dir`) downloads and unpacks the crate if needed.
    let qmp_9_1 = qapi_tests::crate_dir("qapi-qmp", "0.15.0").join("schema/qapi/qapi-schema.json");
    generate("qmp_9_1", &qmp_9_1);
}

/// Writes the module for `schema` to `$OUT_DIR/NAME.rs`.
fn generate(name: &str, schema: &Path) {
    qapi_codegen::Builder::new(schema)
        .file_name(format!("{name}.rs"))
        .generate()
        .unwrap();
}

/// The kitchen sink again under the options that change the shape of the output.
fn generate_variants(kitchen_sink: &Path) {
    qapi_codegen::Builder::new(kitchen_sink)
        .file_name("kitchen_sink_strict.rs")
        .forward_compatible(false)
        .server(false)
        .docs(false)
        .generate()
        .unwrap();
    // Cargo features of this crate decide some conditions (`fuel-cell` and `health-model`
    // are on by default, the others off); `CONFIG_TETHER` is defined and every other symbol
    // undefined.
    qapi_codegen::Builder::new(kitchen_sink)
        .file_name("kitchen_sink_features.rs")
        .cfg("CONFIG_TETHER")
        .feature("CONFIG_FUEL_CELL", "fuel-cell")
        .feature("CONFIG_HEALTH_MODEL", "health-model")
        .feature("CONFIG_NO_PAYLOADS", "no-payloads")
        .feature("CONFIG_SPACE_WEATHER", "space-weather")
        .feature("CONFIG_PAYLOAD_MATCH", "payload-match")
        .generate()
        .unwrap();
    qapi_codegen::Builder::new(kitchen_sink)
        .file_name("kitchen_sink_kept.rs")
        .keep(["query-power", "BUS_MODE_CHANGED"])
        .type_attribute("SolarArray", "#[derive(Eq, Hash)]")
        .type_attribute("*", "#[doc(alias = \"kitchen\")]")
        .type_path("BatteryBus.x-health-model", "crate::Opaque")
        .type_path("Timestamp", "crate::Opaque")
        .generate()
        .unwrap();
}
