//! Generates the Rust modules this crate compiles: our own schemas always, QEMU 10.0.2's three
//! schemas when its source tree is fetched (`cargo xtask fetch-qemu`; cfg `qemu_source`), and
//! QEMU 9.1's QMP schema from the `qapi-qmp` crate in cargo's registry (cfg `qapi_qmp_9_1`).

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(qemu_source)");
    println!("cargo::rustc-check-cfg=cfg(qapi_qmp_9_1)");
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
    if let Some(crate_dir) = registry_crate("qapi-qmp-0.15.0") {
        println!("cargo::rustc-cfg=qapi_qmp_9_1");
        generate("qmp_9_1", &crate_dir.join("schema/qapi/qapi-schema.json"));
    }
}

/// Writes the module for `schema` to `$OUT_DIR/NAME.rs`.
fn generate(name: &str, schema: &Path) {
    let parsed = qapi_parser::parse_file(schema).unwrap_or_else(|error| panic!("{error}"));
    for file in parsed.sources.files() {
        println!("cargo::rerun-if-changed={}", file.absolute.display());
    }
    let code = qapi_codegen::rust::generate(&parsed, &qapi_codegen::rust::Options::default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join(format!("{name}.rs"));
    std::fs::write(&out, code).unwrap_or_else(|error| panic!("{}: {error}", out.display()));
}

/// A crate unpacked in cargo's registry (`$CARGO_HOME/registry/src/*/NAME`).
fn registry_crate(name: &str) -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    let registries = std::fs::read_dir(cargo_home.join("registry/src")).ok()?;
    let mut found: Vec<PathBuf> = registries
        .filter_map(|entry| Some(entry.ok()?.path().join(name)))
        .filter(|dir| dir.is_dir())
        .collect();
    found.sort();
    found.into_iter().next()
}
