//! Generates the benchmark's client module: QEMU 10.0.2's QMP schema with the `runtime`
//! option, so its commands go straight to `qapi_client`'s clients. Only the commands the
//! benchmark sends are kept; the types they reach are generated as in the whole module.

fn main() {
    println!("cargo::rerun-if-env-changed=QAPI_QEMU_SRC");
    let qemu = qapi_tests::qemu_source_of("10.0")
        .expect("QEMU 10.0.2's source tree is missing: run `cargo xtask fetch-qemu` first");
    qapi_compiler::Builder::new(qemu.join("qapi/qapi-schema.json"))
        .file_name("qmp.rs")
        .runtime(true)
        .keep(["query-status", "query-name"])
        .generate()
        .unwrap_or_else(|error| panic!("{error}"));
}
