//! Generates `$OUT_DIR/qga.rs` from QEMU 9.1's guest-agent schema: only the commands this
//! client sends, with the types they reach, no server side, and plugged into `qapi-client`.

fn main() {
    // A crate of your own would name its copy of the schema here, e.g. a path into a QEMU
    // checkout. This one reads the schema the `qapi-qga` crate ships, which cargo downloads.
    let schema = qapi_tests::crate_dir("qapi-qga", "0.13.0").join("schema/qga/qapi-schema.json");
    qapi_compiler::Builder::new(schema)
        .file_name("qga.rs")
        .keep([
            "guest-info",
            "guest-get-host-name",
            "guest-get-osinfo",
            "guest-get-timezone",
        ])
        .server(false)
        .runtime(true)
        .generate()
        .unwrap();
}
