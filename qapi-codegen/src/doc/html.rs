//! The HTML backend: a static reference site.

use super::{Options, Reference};
use qapi_parser::Schema;

/// Renders `schema`'s reference as files of a static site: (relative path, contents).
pub fn generate(schema: &Schema, options: &Options) -> Vec<(String, Vec<u8>)> {
    render(&Reference::new(schema, options))
}

/// Renders an already built reference as a static site.
pub fn render(reference: &Reference) -> Vec<(String, Vec<u8>)> {
    vec![("index.html".to_string(), reference.title.clone().into_bytes())]
}
