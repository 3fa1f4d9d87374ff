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
    generate(
        "kitchen_sink",
        &schemas.join("kitchen-sink/kitchen-sink.json"),
    );
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
