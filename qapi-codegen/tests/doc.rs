//! Snapshot tests of the documentation backends over the project's own schemas, determinism,
//! and escaping of hostile text. (That the site's links resolve is checked in `qapi-tests`,
//! on these schemas and QEMU's.)

use std::path::Path;

use qapi_compiler::doc::{Options, html, man, rst};

fn parse(relative: &str) -> qapi_schema::Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    qapi_schema::parse_file(&path).unwrap_or_else(|error| panic!("{error}"))
}

const SCHEMAS: [(&str, &str); 2] = [
    ("demo", "schemas/demo.json"),
    ("kitchen_sink", "schemas/kitchen-sink/kitchen-sink.json"),
];

/// A documentation backend that renders one text.
type TextBackend = fn(&qapi_schema::Schema, &Options) -> String;

#[test]
fn rst_and_man_snapshots() {
    let backends: [(&str, TextBackend); 2] = [("rst", rst::generate), ("man", man::generate)];
    for (name, path) in SCHEMAS {
        let schema = parse(path);
        for (format, generate) in backends {
            insta::assert_snapshot!(
                format!("{name}_{format}"),
                generate(&schema, &Options::default())
            );
        }
    }
}

/// The site's pages in one text; the fixed style sheet and script are left out.
#[test]
fn html_snapshots() {
    for (name, path) in SCHEMAS {
        let files = html::generate(&parse(path), &Options::default());
        let mut text = String::new();
        for (file, bytes) in &files {
            if file == "style.css" || file == "search.js" {
                continue;
            }
            text.push_str(&format!(
                "===== {file}\n{}\n",
                String::from_utf8_lossy(bytes)
            ));
        }
        insta::assert_snapshot!(format!("{name}_html"), text);
    }
}

#[test]
fn output_is_deterministic() {
    let schema = parse("schemas/kitchen-sink/kitchen-sink.json");
    let options = Options::default();
    assert_eq!(
        rst::generate(&schema, &options),
        rst::generate(&schema, &options)
    );
    assert_eq!(
        man::generate(&schema, &options),
        man::generate(&schema, &options)
    );
    assert_eq!(
        html::generate(&schema, &options),
        html::generate(&schema, &options)
    );
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let directory = std::env::temp_dir().join(format!("qapi-doc-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("hostile.json");
    std::fs::write(
        &path,
        "##\n# = <script>alert(1)</script>\n##\n\n##\n# @Evil:\n#\n# <img src=x onerror=alert(2)> `x <javascript:alert(3)>`_\n# .TH injected\n#\n# @a: ``<b>`` \\fB *\n##\n{ 'struct': 'Evil', 'data': { 'a': 'str' } }\n",
    )
    .unwrap();
    let schema = qapi_schema::parse_file(&path).unwrap_or_else(|error| panic!("{error}"));
    let _ = std::fs::remove_dir_all(&directory);
    let options = Options::default();
    for (file, bytes) in html::generate(&schema, &options) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{file}");
        assert!(!text.contains("<img"), "{file}");
        assert!(!text.contains("href=\"javascript"), "{file}");
    }
    let page = man::generate(&schema, &options);
    assert!(!page.lines().any(|line| line.starts_with(".TH injected")));
    assert!(!page.contains("\\fB *"));
    let text = rst::generate(&schema, &options);
    assert!(text.contains("Object Evil"));
}

#[test]
fn undocumented_definitions_stay_in_their_chapter() {
    let directory = std::env::temp_dir().join(format!("qapi-doc-order-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("order.json");
    std::fs::write(
        &path,
        "##\n# = First\n##\n{ 'pragma': { 'doc-required': false } }\n\n{ 'struct': 'Plain', 'data': { 'a': 'int' } }\n\n##\n# = Second\n##\n{ 'pragma': { 'doc-required': false } }\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n",
    )
    .unwrap();
    let schema = qapi_schema::parse_file(&path).unwrap_or_else(|error| panic!("{error}"));
    let _ = std::fs::remove_dir_all(&directory);
    let reference = qapi_compiler::doc::Reference::new(&schema, &Options::default());
    let order: Vec<String> = reference
        .items
        .iter()
        .map(|item| match item {
            qapi_compiler::doc::Item::Heading { text, .. } => format!("= {text}"),
            qapi_compiler::doc::Item::Text(text) => text.clone(),
            qapi_compiler::doc::Item::Definition(definition) => definition.heading(),
        })
        .collect();
    assert_eq!(
        order,
        ["= First", "Object Plain", "= Second", "Enum Colour"]
    );
}

#[test]
fn releases_from_10_1_show_an_undescribed_return() {
    let text = "##\n# @Tally:\n#\n# @total: how many\n##\n\
                { 'struct': 'Tally', 'data': { 'total': 'int' } }\n\
                ##\n# @count:\n#\n# Count the things.\n#\n# @kind: which things\n##\n\
                { 'command': 'count', 'data': { 'kind': 'str' }, 'returns': 'Tally' }\n";
    let page = |release: &str| {
        let dialect = qapi_schema::Dialect::Release(release.parse().unwrap());
        let mut read = |_: &Path| Ok(text.as_bytes().to_vec());
        let schema = qapi_schema::parse_with("count.json", &mut read, dialect)
            .unwrap_or_else(|error| panic!("{error}"));
        rst::generate(&schema, &Options::default())
    };
    let newer = page("10.2");
    let arguments = newer.find("**Arguments**").expect("arguments");
    let returns = newer.find("**Return** ").expect("a return");
    assert!(arguments < returns, "{newer}");
    assert!(!page("10.0").contains("**Return**"));
}
