//! Backends of the QAPI schema compiler: each turns a checked [`Schema`] into an output.
//!
//! A backend is a plain function of the IR: no I/O, no environment, no clock, so the same
//! schema always renders to the same bytes.
//!
//! ```
//! # let dir = std::env::temp_dir().join("qapi-codegen-doctest");
//! # std::fs::create_dir_all(&dir).unwrap();
//! # let path = dir.join("demo.json");
//! std::fs::write(&path, "{ 'struct': 'Point', 'data': { 'x': 'int', '*y': 'int' } }\n").unwrap();
//! let schema = qapi_parser::parse_file(&path).unwrap();
//! let text = qapi_codegen::dump::generate(&schema);
//! assert!(text.contains("object Point\n    member x: int optional=False\n"));
//! ```

pub mod doc;
pub mod dump;
pub mod introspect;
pub mod rust;
mod symbols;

pub use symbols::{Symbols, keeps};

pub use qapi_parser::Schema;
