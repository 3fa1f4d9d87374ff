//! `qapi-gen doc`: the three formats, where output goes, and that a failed write leaves
//! nothing half-written behind.

use std::path::Path;
use std::process::Output;

mod run;

use run::{qapi_gen, scratch, status};

const DEMO: &str = "schemas/demo.json";

/// Writes the demo schema's site to `site`.
fn write_site(site: &Path) -> Output {
    qapi_gen(&[
        "doc",
        DEMO,
        "--format",
        "html",
        "-o",
        site.to_str().unwrap(),
    ])
}

/// The names in a directory.
fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect()
}

#[test]
fn rst_and_man_go_to_stdout_or_a_file() {
    let rst = qapi_gen(&["doc", DEMO, "--format", "rst"]);
    assert_eq!(status(&rst), 0);
    assert!(String::from_utf8_lossy(&rst.stdout).contains(".. rubric:: Command "));
    let dir = scratch("man");
    let page = dir.join("demo.7");
    let man = qapi_gen(&[
        "doc",
        DEMO,
        "--format",
        "man",
        "--page-name",
        "coffee",
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(status(&man), 0);
    assert!(man.stdout.is_empty());
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.starts_with(".TH \"COFFEE\" \"7\""));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn html_needs_a_directory_and_replaces_it_whole() {
    assert_eq!(status(&qapi_gen(&["doc", DEMO, "--format", "html"])), 2);
    assert_eq!(
        status(&qapi_gen(&["doc", DEMO, "--format", "pdf", "-o", "x"])),
        2
    );
    let dir = scratch("html");
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("stale.html"), "old").unwrap();
    let output = write_site(&site);
    assert_eq!(
        status(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(site.join("index.html").is_file());
    assert!(site.join("search-index.js").is_file());
    assert!(
        !site.join("stale.html").exists(),
        "the old site is replaced, not merged"
    );
    let leftovers = entries(&dir);
    assert_eq!(leftovers, ["site"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_failed_write_leaves_no_partial_output() {
    let dir = scratch("fail");
    // The output path is a file: the site cannot go there, and the file stays as it was.
    let blocker = dir.join("site");
    std::fs::write(&blocker, "keep me").unwrap();
    let output = write_site(&blocker);
    assert_eq!(status(&output), 2);
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "keep me");
    let remaining = entries(&dir);
    assert_eq!(remaining, ["site"], "no staging directory is left behind");
    // A broken schema writes nothing at all.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{ 'struct': 'x' }\n").unwrap();
    let target = dir.join("out.7");
    let output = qapi_gen(&[
        "doc",
        bad.to_str().unwrap(),
        "--format",
        "man",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 1);
    assert!(!target.exists());
    let _ = std::fs::remove_dir_all(dir);
}
