//! Fuzzes the whole front end: arbitrary bytes as the root schema file, with a fixed set of
//! files it may include, then the dump backend on whatever is accepted.
//!
//! The include set covers the interesting cases: a valid module, a module that includes the
//! root again (a cycle), a broken module, and anything else is a missing file.

#![no_main]

use std::io;
use std::path::Path;

use libfuzzer_sys::fuzz_target;

const VALID_MODULE: &str = "##\n# @Shared:\n#\n# A shared type.\n##\n{ 'struct': 'Shared', 'data': { 'id': 'int', '*tags': ['str'] } }\n{ 'enum': 'Mode', 'data': [ 'on', 'off' ] }\n";
const CYCLE_MODULE: &str = "{ 'include': 'root.json' }\n";
const BROKEN_MODULE: &str = "{ 'struct': 'Broken', 'data': { 'x': 'Nowhere' } }\n{ 'enum'\n";

fuzz_target!(|data: &[u8]| {
    let mut read = |path: &Path| -> io::Result<Vec<u8>> {
        match path.to_str() {
            Some("root.json") => Ok(data.to_vec()),
            Some("valid.json") => Ok(VALID_MODULE.as_bytes().to_vec()),
            Some("cycle.json") => Ok(CYCLE_MODULE.as_bytes().to_vec()),
            Some("broken.json") => Ok(BROKEN_MODULE.as_bytes().to_vec()),
            _ => Err(io::Error::from(io::ErrorKind::NotFound)),
        }
    };
    match qapi_schema::parse_with("root.json", &mut read, qapi_schema::Dialect::Any) {
        Ok(schema) => {
            let _ = qapi_compiler::dump::generate(&schema);
        }
        Err(error) => {
            for format in [
                qapi_schema::Format::Human,
                qapi_schema::Format::Short,
                qapi_schema::Format::Json,
            ] {
                let _ = error.render(format, false);
            }
        }
    }
});
