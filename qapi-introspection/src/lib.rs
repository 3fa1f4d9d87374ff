//! QEMU's introspection data (the reply of `query-qmp-schema`) as a typed model, and three
//! tools built on it:
//!
//! - [`Diff`]: what changed between two schemas on the wire, and whom each change breaks;
//! - validation of QMP commands, replies and events ([`Introspection::validate_command`] and
//!   its siblings), every problem with its JSON path;
//! - capability questions in libvirt's query syntax ([`Introspection::query`]).
//!
//! ```
//! use qapi_introspection::Introspection;
//!
//! let schema = Introspection::from_json(r#"[
//!     {"name": "query-status", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
//!     {"name": "0", "meta-type": "object", "members": []},
//!     {"name": "1", "meta-type": "object",
//!      "members": [{"name": "running", "type": "bool"}]},
//!     {"name": "bool", "meta-type": "builtin", "json-type": "boolean"}
//! ]"#)?;
//! assert!(schema.query("query-status/ret-type/running/!boolean")?.is_yes());
//! let problems = schema.validate_command(&serde_json::json!({"execute": "query-stat"}));
//! assert_eq!(problems[0].message, "there is no command 'query-stat'");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod diff;
mod model;
mod query;
mod validate;

pub use diff::{Change, Diff, Direction, Use, Verdict, What};
pub use model::{
    Alternative, EnumValue, Introspection, JsonType, Kind, LoadError, Member, Meta, SchemaInfo,
    Variant,
};
pub use query::{Answer, QueryError};
pub use validate::Problem;
