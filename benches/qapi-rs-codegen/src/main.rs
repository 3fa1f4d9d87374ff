//! Runs qapi-rs's code generator the way the `qapi-qmp` crate's build script does:
//! `qapi-rs-codegen-bench SCHEMA_DIR OUT_FILE` reads `SCHEMA_DIR/qapi-schema.json` and the files
//! it includes and writes the Rust module to `OUT_FILE`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [schema_dir, out_file] = args.as_slice() else {
        eprintln!("usage: qapi-rs-codegen-bench SCHEMA_DIR OUT_FILE");
        return ExitCode::from(2);
    };
    match qapi_codegen::codegen(schema_dir, out_file, "QmpCommand".into()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("qapi-codegen 0.11.3: {error}");
            ExitCode::FAILURE
        }
    }
}
