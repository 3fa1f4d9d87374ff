//! The module `qapi-gen rust` writes, built the way a user without this project's crates
//! builds it: in a crate of its own whose only dependencies are `serde`, without its `derive`
//! feature, and `serde_json`, with every warning denied.

use std::path::Path;
use std::process::Command;

mod run;

use run::{qapi_gen, scratch, status};

#[test]
fn generated_modules_build_with_serde_without_derive() {
    let dir = scratch("standalone");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"standalone-bindings\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n",
    )
    .unwrap();
    // The workspace's lock file pins the versions already downloaded, so no network is needed.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut lib = String::from("#![deny(warnings)]\n");
    // The demo and the kitchen sink hold boxed commands and events, whose wrappers once
    // derived their serde traits.
    for (module, schema) in [
        ("demo", "schemas/demo.json"),
        ("kitchen_sink", "schemas/kitchen-sink/kitchen-sink.json"),
    ] {
        let out = dir.join("src").join(format!("{module}.rs"));
        let output = qapi_gen(&["rust", schema, "-o", out.to_str().unwrap()]);
        assert_eq!(
            status(&output),
            0,
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        lib.push_str(&format!(
            "pub mod {module} {{\n    include!(\"{module}.rs\");\n}}\n"
        ));
    }
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args(["check", "--offline", "--quiet", "--target-dir"])
        .arg(root.join("target/standalone-check"))
        .current_dir(&dir)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The dependency graph as built, without the optional dependencies a lock file lists.
    let tree = Command::new(&cargo)
        .args(["tree", "--offline", "--prefix", "none"])
        .current_dir(&dir)
        .output()
        .expect("cargo runs");
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    let tree = String::from_utf8_lossy(&tree.stdout);
    assert!(tree.contains("serde_json"), "{tree}");
    assert!(
        !tree.contains("serde_derive"),
        "the crate should build without serde's derive macros:\n{tree}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
