//! Snapshot tests of the documentation backends over the project's own schemas, and checks
//! of the HTML site that hold for any schema: unique ids, links that resolve, escaped text.

use std::collections::BTreeSet;
use std::path::Path;

use qapi_codegen::doc::{Options, html, man, rst};

fn parse(relative: &str) -> qapi_parser::Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    qapi_parser::parse_file(&path).unwrap_or_else(|error| panic!("{error}"))
}

const SCHEMAS: [(&str, &str); 2] = [
    ("demo", "schemas/demo.json"),
    ("kitchen_sink", "schemas/kitchen-sink/kitchen-sink.json"),
];

#[test]
fn rst_snapshots() {
    for (name, path) in SCHEMAS {
        insta::assert_snapshot!(
            format!("{name}_rst"),
            rst::generate(&parse(path), &Options::default())
        );
    }
}

#[test]
fn man_snapshots() {
    for (name, path) in SCHEMAS {
        insta::assert_snapshot!(
            format!("{name}_man"),
            man::generate(&parse(path), &Options::default())
        );
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

/// Every id is unique within its page, and every local link names an existing page and id.
#[test]
fn site_links_resolve() {
    for (_, path) in SCHEMAS {
        let files = html::generate(&parse(path), &Options::default());
        check_site(&files);
    }
}

/// Checks the links and ids of a generated site.
fn check_site(files: &[(String, Vec<u8>)]) {
    let mut ids = BTreeSet::new();
    for (file, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        let mut seen = BTreeSet::new();
        for id in attribute_values(&text, " id=\"") {
            assert!(seen.insert(id.clone()), "id {id} twice in {file}");
            ids.insert(format!("{file}#{id}"));
        }
    }
    let names: BTreeSet<&str> = files.iter().map(|(file, _)| file.as_str()).collect();
    for (file, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        for href in attribute_values(&text, " href=\"") {
            if href.starts_with("http") || href.starts_with("mailto:") {
                continue;
            }
            let target = if href.starts_with('#') {
                format!("{file}{href}")
            } else {
                href.clone()
            };
            match target.split_once('#') {
                Some(_) => assert!(ids.contains(&target), "{file} links to missing {target}"),
                None => assert!(
                    names.contains(target.as_str()),
                    "{file} links to missing {target}"
                ),
            }
        }
    }
}

fn attribute_values(text: &str, prefix: &str) -> Vec<String> {
    text.split(prefix)
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('"')
                .map(|(value, _)| value.replace("&amp;", "&"))
        })
        .collect()
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
    let schema = qapi_parser::parse_file(&path).unwrap_or_else(|error| panic!("{error}"));
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
