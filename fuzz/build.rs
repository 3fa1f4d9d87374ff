//! Generates the Rust module of QEMU 10.0.2's QMP schema that the decoder targets fuzz. The
//! schema comes from QEMU's source tree as `cargo xtask fetch-qemu` unpacks it.

fn main() {
    println!("cargo::rerun-if-env-changed=QAPI_QEMU_SRC");
    let qemu =
        qapi_tests::qemu_source().expect("QEMU's source tree: run `cargo xtask fetch-qemu` first");
    qapi_compiler::Builder::new(qemu.join("qapi/qapi-schema.json"))
        .file_name("qmp.rs")
        .generate()
        .unwrap_or_else(|error| panic!("{error}"));
}
