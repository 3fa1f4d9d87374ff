//! The HTML site's ids and links, for our schemas and the three of QEMU 10.0.2, 10.2.2 and
//! 7.2 (each read as its release reads it): every id is unique
//! on its page, and every local link names an existing page and id (so every type reference
//! and search entry lands somewhere). QEMU's schemas need its fetched source tree.

use std::collections::BTreeSet;
use std::path::Path;

use qapi_compiler::doc;
use qapi_schema::{Dialect, Release};
use qapi_tests::{qemu_source, qemu_source_of, unavailable};

#[test]
fn project_sites_link_correctly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for path in [
        "schemas/demo.json",
        "schemas/kitchen-sink/kitchen-sink.json",
    ] {
        check_site(&root.join(path), Dialect::Any);
    }
}

#[test]
fn qemu_sites_link_correctly() {
    let Some(source) = qemu_source() else {
        return unavailable("QEMU's source tree is not fetched (run `cargo xtask fetch-qemu`)");
    };
    for path in [
        "qapi/qapi-schema.json",
        "qga/qapi-schema.json",
        "storage-daemon/qapi/qapi-schema.json",
    ] {
        check_site(&source.join(path), Dialect::Any);
    }
}

#[test]
fn qemu_10_2_sites_link_correctly() {
    release_sites_link_correctly("10.2", Release::new(10, 2));
}

#[test]
fn qemu_7_2_sites_link_correctly() {
    release_sites_link_correctly("7.2", Release::new(7, 2));
}

fn release_sites_link_correctly(name: &str, release: Release) {
    let Some(source) = qemu_source_of(name) else {
        return unavailable(&format!(
            "QEMU {name}'s source tree is not fetched (run `cargo xtask fetch-qemu`)"
        ));
    };
    for path in [
        "qapi/qapi-schema.json",
        "qga/qapi-schema.json",
        "storage-daemon/qapi/qapi-schema.json",
    ] {
        check_site(&source.join(path), Dialect::Release(release));
    }
}

fn check_site(schema_path: &Path, dialect: Dialect) {
    let schema =
        qapi_schema::parse_file_as(schema_path, dialect).unwrap_or_else(|error| panic!("{error}"));
    let files = doc::html::generate(&schema, &doc::Options::default());
    let mut targets = BTreeSet::new();
    for (file, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let mut seen = BTreeSet::new();
        for id in quoted_after(&text, " id=\"") {
            assert!(seen.insert(id.clone()), "id {id} twice in {file}");
            targets.insert(format!("{file}#{id}"));
        }
    }
    let names: BTreeSet<&str> = files.iter().map(|(file, _)| file.as_str()).collect();
    let mut links = 0;
    for (file, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let mut hrefs = quoted_after(&text, " href=\"");
        if file == "search-index.js" {
            hrefs = search_index_hrefs(&text);
        }
        for href in hrefs {
            if href.starts_with("http") || href.starts_with("mailto:") {
                continue;
            }
            let target = if href.starts_with('#') {
                format!("{file}{href}")
            } else {
                href.clone()
            };
            let exists = match target.split_once('#') {
                Some(_) => targets.contains(&target),
                None => names.contains(target.as_str()),
            };
            assert!(exists, "{file} links to missing {target}");
            links += 1;
        }
    }
    assert!(links > 0);
}

/// The values of a double-quoted HTML attribute, unescaped.
fn quoted_after(text: &str, prefix: &str) -> Vec<String> {
    text.split(prefix)
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('"')
                .map(|(value, _)| value.replace("&amp;", "&"))
        })
        .collect()
}

/// The targets of the search index's entries (`[name, kind, href]`).
fn search_index_hrefs(text: &str) -> Vec<String> {
    let json = text
        .trim()
        .strip_prefix("window.QAPI_SEARCH_INDEX = ")
        .and_then(|rest| rest.strip_suffix(';'))
        .expect("the search index assigns one JSON list");
    let entries: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    entries
        .as_array()
        .expect("a list")
        .iter()
        .map(|entry| entry[2].as_str().expect("an href").replace("&amp;", "&"))
        .collect()
}
