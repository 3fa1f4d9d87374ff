//! `cargo xtask docs`: regenerates the reference site of QEMU 10.0.2's QMP, guest-agent and
//! storage-daemon schemas with the release `qapi-gen`, into `target/doc-site/` (one HTML site
//! per schema, plus its man page and reST), with an `index.html` linking the three.
//!
//! The schemas come from the fetched QEMU source tree (`fetch-qemu`); nothing is committed.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::process::{build_cli, run_captured, target_dir};
use crate::qemu_source;

/// The three schemas: directory name, schema path in QEMU's tree, title, man page name.
const SCHEMAS: [(&str, &str, &str, &str); 3] = [
    (
        "qmp",
        "qapi/qapi-schema.json",
        "QEMU QMP reference",
        "qemu-qmp-ref",
    ),
    (
        "qga",
        "qga/qapi-schema.json",
        "QEMU guest agent protocol reference",
        "qemu-ga-ref",
    ),
    (
        "storage-daemon",
        "storage-daemon/qapi/qapi-schema.json",
        "QEMU storage daemon QMP reference",
        "qemu-storage-daemon-qmp-ref",
    ),
];

/// Generates the site and prints the path of its index page.
pub fn run() -> Result<(), String> {
    let source = qemu_source::ensure()?;
    let cli = build_cli()?;
    let site = target_dir().join("doc-site");
    std::fs::create_dir_all(&site)
        .map_err(|error| format!("cannot create {}: {error}", site.display()))?;
    let mut index = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>QEMU 10.0.2 QAPI references</title>\n</head>\n<body>\n\
         <h1>QEMU 10.0.2 QAPI references</h1>\n<ul>\n",
    );
    for (name, schema, title, page) in SCHEMAS {
        let schema = source.join(schema);
        let html = site.join(name);
        generate(&cli, &schema, "html", title, page, &html)?;
        generate(
            &cli,
            &schema,
            "man",
            title,
            page,
            &site.join(format!("{page}.7")),
        )?;
        generate(
            &cli,
            &schema,
            "rst",
            title,
            page,
            &site.join(format!("{page}.rst")),
        )?;
        let _ = writeln!(
            index,
            "<li><a href=\"{name}/index.html\">{title}</a> (man page <code>{page}.7</code>, \
             reST <code>{page}.rst</code>)</li>"
        );
        eprintln!("xtask: {title}: {}", html.display());
    }
    index.push_str("</ul>\n</body>\n</html>\n");
    let index_path = site.join("index.html");
    std::fs::write(&index_path, index)
        .map_err(|error| format!("cannot write {}: {error}", index_path.display()))?;
    println!("{}", index_path.display());
    Ok(())
}

fn generate(
    cli: &Path,
    schema: &Path,
    format: &str,
    title: &str,
    page: &str,
    output: &Path,
) -> Result<(), String> {
    let mut command = Command::new(cli);
    command
        .args([
            "doc",
            "--format",
            format,
            "--title",
            title,
            "--page-name",
            page,
            "-o",
        ])
        .arg(output)
        .arg(schema);
    let captured = run_captured(&mut command, Duration::from_secs(120))?;
    if captured.status.is_some_and(|status| status.success()) {
        Ok(())
    } else {
        Err(format!(
            "qapi-gen doc --format {format} {} failed ({}):\n{}",
            schema.display(),
            captured.describe_end(),
            captured.stderr
        ))
    }
}
