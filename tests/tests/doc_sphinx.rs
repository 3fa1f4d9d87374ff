//! Sphinx builds the reST backend's output with warnings as errors (`sphinx-build -W`) and
//! no extension: our schemas, and the three schemas of QEMU 10.0.2, 7.2 (read as 7.2 reads
//! them, so in that release's manual layout) and 10.2.2 (read as 10.2 reads them) when their
//! sources are fetched.
//!
//! `sphinx-build` comes from `$QAPI_SPHINX_BUILD`, the virtual environment `.ci/run` makes
//! (`qapi-toolchain/sphinx-venv` in the user's cache directory), or `PATH`. Without it the
//! tests skip, unless `QAPI_REQUIRE_LIVE=1`.

use std::path::{Path, PathBuf};
use std::process::Command;

use qapi_compiler::doc;
use qapi_schema::{Dialect, Release};
use qapi_tests::{qemu_source, qemu_source_of, unavailable};

#[test]
fn project_schemas_build_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (name, path) in [
        ("demo", "schemas/demo.json"),
        ("kitchen-sink", "schemas/kitchen-sink/kitchen-sink.json"),
    ] {
        if !build(name, &root.join(path), Dialect::Any) {
            return;
        }
    }
}

#[test]
fn qemu_schemas_build_without_warnings() {
    let Some(source) = qemu_source() else {
        return unavailable("QEMU's source tree is not fetched (run `cargo xtask fetch-qemu`)");
    };
    build_release(&source, Dialect::Any);
}

#[test]
fn qemu_7_2_schemas_build_without_warnings() {
    let Some(source) = qemu_source_of("7.2") else {
        return unavailable("QEMU 7.2's source tree is not fetched (run `cargo xtask fetch-qemu`)");
    };
    build_release(&source, Dialect::Release(Release::new(7, 2)));
}

#[test]
fn qemu_10_2_schemas_build_without_warnings() {
    let Some(source) = qemu_source_of("10.2") else {
        return unavailable(
            "QEMU 10.2's source tree is not fetched (run `cargo xtask fetch-qemu`)",
        );
    };
    build_release(&source, Dialect::Release(Release::new(10, 2)));
}

/// Builds the three schemas of one QEMU source tree.
fn build_release(source: &Path, dialect: Dialect) {
    for (name, path) in [
        ("qga", "qga/qapi-schema.json"),
        ("storage-daemon", "storage-daemon/qapi/qapi-schema.json"),
        ("qmp", "qapi/qapi-schema.json"),
    ] {
        if !build(name, &source.join(path), dialect) {
            return;
        }
    }
}

/// Builds the reST of one schema as a Sphinx project; false when Sphinx is not there.
fn build(name: &str, schema_path: &Path, dialect: Dialect) -> bool {
    let Some(sphinx_build) = sphinx_build() else {
        unavailable("sphinx-build is not installed (.ci/run installs it in a virtual environment)");
        return false;
    };
    let schema =
        qapi_schema::parse_file_as(schema_path, dialect).unwrap_or_else(|error| panic!("{error}"));
    let text = doc::rst::generate(&schema, &doc::Options::default());
    let release = dialect.release().map(|release| release.to_string());
    let project = std::env::temp_dir().join(format!(
        "qapi-doc-sphinx-{name}-{}-{}",
        release.as_deref().unwrap_or("any"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&project);
    let source = project.join("source");
    std::fs::create_dir_all(&source).expect("temporary directory");
    std::fs::write(source.join("index.rst"), &text).expect("write index.rst");
    std::fs::write(
        source.join("conf.py"),
        "project = 'qapi-toolchain test'\nextensions = []\n",
    )
    .expect("write conf.py");
    let output = Command::new(&sphinx_build)
        .args(["-W", "--keep-going", "-q", "-E", "-b", "html"])
        .arg(&source)
        .arg(project.join("html"))
        .output()
        .expect("sphinx-build runs");
    let built = project.join("html").join("index.html").is_file();
    let _ = std::fs::remove_dir_all(&project);
    assert!(
        output.status.success() && built,
        "sphinx-build -W failed for {name}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    true
}

fn sphinx_build() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(path) = var("QAPI_SPHINX_BUILD") {
        return Some(PathBuf::from(path));
    }
    let cache = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")));
    if let Some(cache) = cache {
        let venv = cache.join("qapi-toolchain/sphinx-venv/bin/sphinx-build");
        if venv.is_file() {
            return Some(venv);
        }
    }
    Command::new("sphinx-build")
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|_| PathBuf::from("sphinx-build"))
}
