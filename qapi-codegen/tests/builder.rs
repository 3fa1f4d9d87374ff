//! The build.rs door: what `Builder::generate` writes, and what its errors say.

use std::path::PathBuf;

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qapi-builder-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn writes_the_module_named_after_the_schema() {
    let dir = scratch("writes");
    let schema = dir.join("probe-schema.json");
    std::fs::write(
        &schema,
        "{ 'include': 'types.json' }\n{ 'command': 'read-probe', 'returns': 'Probe' }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("types.json"),
        "{ 'struct': 'Probe', 'data': { 'volts': 'number' } }\n",
    )
    .unwrap();
    let written = qapi_compiler::Builder::new(&schema)
        .out_dir(&dir)
        .type_attribute("Probe", "#[derive(Default)]")
        .generate()
        .unwrap();
    assert_eq!(written, dir.join("probe-schema.rs"));
    let code = std::fs::read_to_string(&written).unwrap();
    // Compact: an item per line, the items of a module too.
    assert!(
        code.contains("#[derive(Default)]#[derive(Clone,Debug,PartialEq)]#[allow(deprecated)]pub struct Probe{"),
        "the struct is not on a line of its own"
    );
    assert!(code.contains("]pub struct ReadProbe;\n"));
    assert!(code.contains("]pub mod commands {\n"));
    // Nothing but the module is left in the directory.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["probe-schema.json", "probe-schema.rs", "types.json"]
    );
}

/// The names of a file's items, and of the items of its modules, in order.
fn item_names(items: &[syn::Item], names: &mut Vec<String>) {
    for item in items {
        let name = match item {
            syn::Item::Struct(item) => item.ident.to_string(),
            syn::Item::Enum(item) => item.ident.to_string(),
            syn::Item::Fn(item) => item.sig.ident.to_string(),
            syn::Item::Trait(item) => item.ident.to_string(),
            syn::Item::Const(item) => item.ident.to_string(),
            syn::Item::Impl(item) => {
                format!("impl {}", quote::ToTokens::to_token_stream(&item.self_ty))
            }
            syn::Item::Mod(item) => {
                names.push(format!("mod {}", item.ident));
                item_names(&item.content.as_ref().expect("inline").1, names);
                continue;
            }
            other => format!("{:?}", std::mem::discriminant(other)),
        };
        names.push(name);
    }
}

#[test]
fn both_layouts_hold_the_same_items() {
    let dir = scratch("layouts");
    let schema = dir.join("probe.json");
    std::fs::write(
        &schema,
        "{ 'union': 'Probe', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind',\n  \
         'data': { 'volts': 'Volts' } }\n\
         { 'enum': 'Kind', 'data': [ 'volts', 'amps' ] }\n\
         { 'struct': 'Volts', 'data': { 'value': 'number' } }\n\
         { 'command': 'read-probe', 'returns': 'Probe' }\n",
    )
    .unwrap();
    let read = |layout| {
        let written = qapi_compiler::Builder::new(&schema)
            .out_dir(&dir)
            .layout(layout)
            .generate()
            .unwrap();
        let code = std::fs::read_to_string(written).unwrap();
        let file: syn::File = syn::parse_file(&code).unwrap();
        let mut names = Vec::new();
        item_names(&file.items, &mut names);
        (code, names)
    };
    let (compact, compact_items) = read(qapi_compiler::rust::Layout::Compact);
    let (formatted, formatted_items) = read(qapi_compiler::rust::Layout::Formatted);
    assert_eq!(compact_items, formatted_items);
    assert!(compact_items.len() > 40);
    assert!(compact.len() < formatted.len());
    assert!(formatted.contains("    pub struct ReadProbe;\n"));
    // An item per line.
    assert!(compact.lines().count() > compact_items.len());
}

#[test]
fn errors_render_the_diagnostics_and_write_nothing() {
    let dir = scratch("errors");
    let schema = dir.join("broken.json");
    std::fs::write(
        &schema,
        "{ 'struct': 'Probe', 'data': { 'volts': 'Voltage' } }\n",
    )
    .unwrap();
    let error = qapi_compiler::Builder::new(&schema)
        .out_dir(&dir)
        .generate()
        .unwrap_err();
    let shown = format!("{error:?}");
    assert_eq!(shown, error.to_string(), "unwrap() shows the same report");
    assert!(shown.starts_with("error: member 'volts' refers to the unknown type 'Voltage'"));
    assert!(shown.contains("broken.json:1:1"), "{shown}");
    assert!(!dir.join("broken.rs").exists());

    std::fs::write(
        &schema,
        "{ 'struct': 'Probe', 'data': { 'volts': 'number' } }\n",
    )
    .unwrap();
    let error = qapi_compiler::Builder::new(&schema)
        .out_dir(&dir)
        .keep(["read-probe"])
        .type_path("Probe", "not a type")
        .generate()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("type_path: `not a type` is not a Rust type")
    );
    let error = qapi_compiler::Builder::new(&schema)
        .out_dir(&dir)
        .keep(["read-probe"])
        .generate()
        .unwrap_err();
    assert_eq!(error.to_string(), "keep: no definition named `read-probe`");
    assert!(!dir.join("broken.rs").exists());
}

#[test]
fn types_the_generated_code_takes_apart_cannot_be_replaced() {
    let dir = scratch("replace");
    let schema = dir.join("union.json");
    std::fs::write(
        &schema,
        "{ 'enum': 'Kind', 'data': [ 'a', 'b' ] }\n\
         { 'struct': 'Branch', 'data': { 'x': 'int' } }\n\
         { 'union': 'Thing', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind',\n\
         \x20 'data': { 'a': 'Branch' } }\n",
    )
    .unwrap();
    let error = qapi_compiler::Builder::new(&schema)
        .out_dir(&dir)
        .type_path("Kind", "crate::Kind")
        .type_path("Branch", "crate::Branch")
        .generate()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "type_path: `Kind` selects the branches of a union, so it stays generated\n\
         type_path: `Branch` is a union branch, whose members the union writes inline, so it \
         stays generated"
    );
}
