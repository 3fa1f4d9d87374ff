//! Generates the Rust modules this crate compiles: our own schemas always; the QMP,
//! guest-agent and storage-daemon schemas of every QEMU release whose source tree is fetched
//! (`cargo xtask fetch-qemu`; cfg `qemu_source` for 10.0.2, `qemu_5_2`, `qemu_7_2` and
//! `qemu_10_2` for the others), each read by its release's rules; QEMU 9.1's QMP schema
//! from the `qapi-qmp` crate, which `qapi-tests` makes cargo download; and the demo schema
//! again with the `runtime` option. QEMU 10.0.2's modules, which the live tests drive
//! through `qapi-client`, have the `runtime` option; the other releases' do not.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let schemas = manifest.join("../../schemas");
    generate("demo", &schemas.join("demo.json"), None);
    let kitchen_sink = schemas.join("kitchen-sink/kitchen-sink.json");
    generate("kitchen_sink", &kitchen_sink, None);
    generate_variants(&kitchen_sink);
    generate_runtime(&schemas.join("demo.json"));
    generate_corpus(&schemas.join("corpus"));
    generate(
        "workshop",
        &schemas.join("legacy/workshop.json"),
        Some("5.2"),
    );
    for (release, _, variable) in qapi_tests::QEMU_RELEASES {
        let suffix = if release == "10.0" {
            String::new()
        } else {
            format!("_{}", release.replace('.', "_"))
        };
        let cfg = if release == "10.0" {
            "qemu_source".to_string()
        } else {
            format!("qemu{suffix}")
        };
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={variable}");
        watch_source(release);
        let Some(qemu) = qapi_tests::qemu_source_of(release) else {
            continue;
        };
        println!("cargo::rustc-cfg={cfg}");
        let runtime = release == "10.0";
        let release = Some(release);
        generate_with(
            &format!("qmp{suffix}"),
            &qemu.join("qapi/qapi-schema.json"),
            release,
            runtime,
        );
        generate_with(
            &format!("qga{suffix}"),
            &qemu.join("qga/qapi-schema.json"),
            release,
            runtime,
        );
        generate_with(
            &format!("storage_daemon{suffix}"),
            &qemu.join("storage-daemon/qapi/qapi-schema.json"),
            release,
            runtime,
        );
    }
    // `cargo metadata` (run by `crate_dir`) downloads and unpacks the crate if needed.
    let qmp_9_1 = qapi_tests::crate_dir("qapi-qmp", "0.15.0").join("schema/qapi/qapi-schema.json");
    generate("qmp_9_1", &qmp_9_1, None);
}

/// Tells cargo to run this script again when the source tree of `release` appears, changes
/// or goes: it watches the tree where it is, and the directory it would appear in where it
/// is not (watching a missing path would rerun the script on every build).
fn watch_source(release: &str) {
    let Some(tree) = qapi_tests::qemu_source_dir(release) else {
        return;
    };
    if tree.is_dir() {
        println!("cargo::rerun-if-changed={}", tree.display());
    } else if let Some(parent) = tree.parent() {
        if std::fs::create_dir_all(parent).is_ok() {
            println!("cargo::rerun-if-changed={}", parent.display());
        }
    }
}

/// Writes the module for `schema` to `$OUT_DIR/NAME.rs`, read by the rules of `release`
/// (by those of any release without one).
fn generate(name: &str, schema: &Path, release: Option<&str>) {
    generate_with(name, schema, release, false);
}

/// [`generate`], plugged into the `qapi-client` runtime where `runtime` is true.
fn generate_with(name: &str, schema: &Path, release: Option<&str>, runtime: bool) {
    let mut builder = qapi_compiler::Builder::new(schema);
    builder.file_name(format!("{name}.rs")).runtime(runtime);
    if let Some(release) = release {
        builder.qemu(release);
    }
    builder.generate().unwrap();
}

/// A module for every schema of the corpus of accepted schemas, and `corpus.rs`, which
/// declares them (a schema added to the directory gets its module on the next build).
fn generate_corpus(corpus: &Path) {
    println!("cargo::rerun-if-changed={}", corpus.display());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    let mut schemas: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    schemas.sort();
    std::fs::create_dir_all(out_dir.join("corpus")).unwrap();
    let mut index = String::new();
    for schema in &schemas {
        let stem = schema.file_stem().unwrap().to_string_lossy();
        // Not the stem alone: `commands.json` would give a `commands` module in `commands`.
        let module = format!("{}_schema", stem.replace('-', "_"));
        qapi_compiler::Builder::new(schema)
            .out_dir(out_dir.join("corpus"))
            .generate()
            .unwrap();
        index.push_str(&format!(
            "/// `schemas/corpus/{stem}.json`.\npub mod {module} {{\n    \
             include!(concat!(env!(\"OUT_DIR\"), \"/corpus/{stem}.rs\"));\n}}\n"
        ));
    }
    std::fs::write(out_dir.join("corpus.rs"), index).unwrap();
}

/// The demo schema plugged into the `qapi-client` runtime, as a server and as a client only.
fn generate_runtime(demo: &Path) {
    qapi_compiler::Builder::new(demo)
        .file_name("demo_runtime.rs")
        .runtime(true)
        .generate()
        .unwrap();
    qapi_compiler::Builder::new(demo)
        .file_name("demo_runtime_client.rs")
        .runtime(true)
        .server(false)
        .forward_compatible(false)
        .generate()
        .unwrap();
}

/// The kitchen sink again under the options that change the shape of the output.
fn generate_variants(kitchen_sink: &Path) {
    qapi_compiler::Builder::new(kitchen_sink)
        .file_name("kitchen_sink_strict.rs")
        .forward_compatible(false)
        .server(false)
        .docs(false)
        .generate()
        .unwrap();
    // Cargo features of this crate decide some conditions (`fuel-cell` and `health-model`
    // are on by default, the others off); `CONFIG_TETHER` is defined and every other symbol
    // undefined.
    qapi_compiler::Builder::new(kitchen_sink)
        .file_name("kitchen_sink_features.rs")
        .cfg("CONFIG_TETHER")
        .feature("CONFIG_FUEL_CELL", "fuel-cell")
        .feature("CONFIG_HEALTH_MODEL", "health-model")
        .feature("CONFIG_NO_PAYLOADS", "no-payloads")
        .feature("CONFIG_SPACE_WEATHER", "space-weather")
        .feature("CONFIG_PAYLOAD_MATCH", "payload-match")
        .generate()
        .unwrap();
    qapi_compiler::Builder::new(kitchen_sink)
        .file_name("kitchen_sink_kept.rs")
        .keep(["query-power", "BUS_MODE_CHANGED"])
        .type_attribute("SolarArray", "#[derive(Eq, Hash)]")
        .type_attribute("*", "#[doc(alias = \"kitchen\")]")
        .type_path("BatteryBus.x-health-model", "crate::Opaque")
        .type_path("Timestamp", "crate::Opaque")
        .generate()
        .unwrap();
}
