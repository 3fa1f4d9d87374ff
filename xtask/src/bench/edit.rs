//! `cargo xtask bench edit`: how long an incremental `cargo check` takes after an edit
//! elsewhere in a crate that holds the generated QMP module, against the same crate without
//! it: what a user waits for in their editor after every keystroke that saves.
//!
//! Each scratch crate under `target/bench/edit/` is a library with a function whose body the
//! benchmark rewrites before every timed `cargo check` (default dev profile). `bindings` is
//! not timed: it is the library the `separate` crate depends on.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use super::build::{
    KEPT_COMMANDS, SERDE, cargo, generate, read, resolve, size, succeed, write_crate,
};
use super::{Measured, machine_description, min_and_median, rustc_version};
use crate::{process, qemu_source};

/// The function each crate's edit rewrites, with the number that changes.
fn edited_function(generation: usize) -> String {
    format!(
        "/// The function the benchmark edits.\npub fn edited() -> u64 {{\n    {generation}\n}}\n"
    )
}

/// One scratch crate and its timings.
struct Scratch {
    label: &'static str,
    dir: PathBuf,
    /// `src/lib.rs` without the edited function.
    lib: String,
    checks: Vec<Duration>,
}

/// Sets up the crates, times `runs` edits of each and returns the section's body.
pub fn run(runs: usize) -> Result<Measured, String> {
    let qemu = qemu_source::ensure()?;
    let cli = process::build_cli()?;
    let root = process::target_dir().join("bench").join("edit");
    let schema = qemu.join("qapi").join("qapi-schema.json");
    let header = "//! A crate of `cargo xtask bench edit`.\n\n#![allow(missing_docs)]\n\n";

    let module = |dir: &Path, options: &[&str]| -> Result<String, String> {
        generate(&cli, &qemu, dir, options)?;
        let generated = dir.join("src").join("lib.rs");
        let qmp = dir.join("src").join("qmp.rs");
        fs::rename(&generated, &qmp)
            .map_err(|err| format!("cannot rename {}: {err}", generated.display()))?;
        read(&qmp)
    };

    let plain = root.join("plain");
    write_crate(&plain, "qapi-bench-edit-plain", SERDE, "")?;

    let included = root.join("include");
    write_crate(&included, "qapi-bench-edit-include", SERDE, "")?;
    let whole = module(&included, &["--layout", "compact"])?;

    // The floor of any module giving each type the standard derives: the whole module's
    // top-level type definitions, with their derives and docs, and nothing else.
    let types = root.join("types");
    write_crate(&types, "qapi-bench-edit-types", SERDE, "")?;
    let types_module = type_definitions(&whole);
    let types_path = types.join("src").join("qmp.rs");
    fs::write(&types_path, &types_module)
        .map_err(|err| format!("cannot write {}: {err}", types_path.display()))?;

    let kept = root.join("kept");
    write_crate(&kept, "qapi-bench-edit-kept", SERDE, "")?;
    let keep: Vec<&str> = KEPT_COMMANDS
        .iter()
        .flat_map(|name| ["--keep", name])
        .collect();
    let kept_module = module(&kept, &[&keep[..], &["--layout", "compact"]].concat())?;

    let macro_dir = root.join("macro");
    let macros = process::workspace_root().join("qapi-macros");
    write_crate(
        &macro_dir,
        "qapi-bench-edit-macro",
        &format!(
            "{SERDE}qapi-macros = {{ path = {:?} }}\n",
            macros.display().to_string()
        ),
        "",
    )?;

    let bindings = root.join("bindings");
    write_crate(&bindings, "qapi-bench-edit-bindings", SERDE, "")?;
    generate(&cli, &qemu, &bindings, &["--layout", "compact"])?;
    let separate = root.join("separate");
    write_crate(
        &separate,
        "qapi-bench-edit-separate",
        "qapi-bench-edit-bindings = { path = \"../bindings\" }\n",
        "",
    )?;

    let mut crates = [
        Scratch {
            label: "no module",
            dir: plain,
            lib: header.to_owned(),
            checks: Vec::new(),
        },
        Scratch {
            label: "whole module as build.rs writes it, `mod qmp;`",
            dir: included,
            lib: format!("{header}pub mod qmp;\n\n"),
            checks: Vec::new(),
        },
        Scratch {
            label: "whole module through `include_qapi!`",
            dir: macro_dir,
            lib: format!(
                "{header}pub mod qmp {{\n    qapi_macros::include_qapi!({:?});\n}}\n\n",
                schema.display().to_string()
            ),
            checks: Vec::new(),
        },
        Scratch {
            label: "the whole module's type definitions alone, with their derives, no impls",
            dir: types,
            lib: format!("{header}pub mod qmp;\n\n"),
            checks: Vec::new(),
        },
        Scratch {
            label: "10 commands kept, `mod qmp;`",
            dir: kept,
            lib: format!("{header}pub mod qmp;\n\n"),
            checks: Vec::new(),
        },
        Scratch {
            label: "whole module in a bindings crate it depends on",
            dir: separate,
            lib: format!("{header}pub use qapi_bench_edit_bindings as qmp;\n\n"),
            checks: Vec::new(),
        },
    ];
    let mut generation = 0;
    for scratch in &crates {
        edit(scratch, generation)?;
        resolve(&scratch.dir)?;
        // Untimed: the first check builds the dependencies, the second is a first edit.
        eprintln!("xtask: warm-up checks of {}", scratch.dir.display());
        check(&scratch.dir)?;
        generation += 1;
        edit(scratch, generation)?;
        check(&scratch.dir)?;
    }
    for round in 0..runs {
        eprintln!("xtask: edit round {} of {runs}", round + 1);
        for offset in 0..crates.len() {
            let scratch = &mut crates[(round + offset) % crates.len()];
            generation += 1;
            edit(scratch, generation)?;
            let time = check(&scratch.dir)?;
            scratch.checks.push(time);
        }
    }

    let median = |scratch: &Scratch| min_and_median(&scratch.checks).1.as_secs_f64();
    let extra = median(&crates[1]) - median(&crates[0]);
    let data = json!({ "figures": [{
        "label": "incremental check: 0.5 s vs. time the module adds",
        "speed_up": 0.5 / extra.max(0.001),
        "goal": 1.0,
    }]});
    let body = format!(
        "- crates, each a library and a workspace of its own under `target/bench/edit/`, \
         each with a function `edited` that the benchmark rewrites (a new number in its body) \
         before every timed check: `plain` holds nothing else; `include` holds our module \
         for QEMU {}'s QMP schema as `mod qmp;` ({}), written by `qapi-gen rust --layout \
         compact` as the build.rs `Builder` writes it, which costs what `include!` of the \
         file costs; `macro` holds the same module through `include_qapi!`; \
         `types` holds only the module's top-level struct and enum definitions ({}), with \
         their docs and standard derives but not a single impl: what any module that gives \
         each type the standard derives costs at least; \
         `kept` holds the module with `--keep` for the same 10 commands as the build \
         section ({}); `separate` depends on a library holding the whole module and \
         re-exports it. All depend on serde and serde_json.\n\
         - runs: {runs} edits per crate, interleaved, after two untimed checks each; \
         `cargo check --frozen` wall time in the default dev profile, {}\n\
         - machine: {}\n\n{}",
        qemu_source::QEMU_VERSION,
        size(&whole),
        size(&types_module),
        size(&kept_module),
        rustc_version(),
        machine_description(),
        table(&crates),
    );
    Ok(Measured { body, data })
}

/// The top-level struct and enum definitions of a module in the compact layout (an item
/// per line, its attributes on the same line), one per line: the items before the
/// `commands` module whose first tokens after their attributes are `pub struct` or
/// `pub enum`.
fn type_definitions(module: &str) -> String {
    let mut definitions = String::new();
    for line in module.lines() {
        let item = after_attributes(line);
        if item.starts_with("pub mod commands") {
            break;
        }
        if item.starts_with("pub struct ") || item.starts_with("pub enum ") {
            definitions.push_str(line);
            definitions.push('\n');
        }
    }
    definitions
}

/// `line` after its leading `#[…]` attributes, whose string literals may hold brackets.
fn after_attributes(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(attribute) = rest.strip_prefix("#[") {
        let mut depth = 1;
        let mut end = attribute.len();
        let mut chars = attribute.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + 1;
                        break;
                    }
                }
                // A raw string (`r"…"`, as some rustdoc is written) has no escapes.
                'r' if attribute[at + 1..].starts_with('"') => {
                    chars.next();
                    chars.by_ref().find(|&(_, c)| c == '"');
                }
                '"' => {
                    while let Some((_, c)) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '"' => break,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        rest = attribute[end..].trim_start();
    }
    rest
}

/// Rewrites the crate's `src/lib.rs` with the edited function's body at `generation`.
fn edit(scratch: &Scratch, generation: usize) -> Result<(), String> {
    let path = scratch.dir.join("src").join("lib.rs");
    let text = format!("{}{}", scratch.lib, edited_function(generation));
    fs::write(&path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
}

fn check(dir: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    succeed(&mut cargo(dir, &["check", "--frozen"]), "cargo check")?;
    Ok(started.elapsed())
}

/// The markdown table: one row per crate, with what it adds to the crate without a module.
fn table(crates: &[Scratch]) -> String {
    let s = |time: Duration| format!("{:.2}", time.as_secs_f64());
    let plain = min_and_median(&crates[0].checks).1;
    let mut table = String::from(
        "| crate | min (s) | median (s) | median over `plain` (s) | goal |\n\
         | --- | ---: | ---: | ---: | --- |\n",
    );
    for (index, scratch) in crates.iter().enumerate() {
        let (min, median) = min_and_median(&scratch.checks);
        let extra = median.as_secs_f64() - plain.as_secs_f64();
        let goal = match index {
            1 | 2 if extra <= 0.5 => "≤ 0.5 s more: met",
            1 | 2 => "≤ 0.5 s more: missed",
            _ => "",
        };
        table.push_str(&format!(
            "| {} | {} | {} | {} | {goal} |\n",
            scratch.label,
            s(min),
            s(median),
            if index == 0 {
                String::new()
            } else {
                format!("{extra:+.2}")
            },
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_definitions_are_the_top_level_structs_and_enums() {
        let module = concat!(
            "// @generated\n",
            "#[doc=\" a ] in \\\" a doc\"]#[derive(Clone)]pub struct A{pub x:u8,}\n",
            "#[allow(deprecated)]impl ::serde::Serialize for A{}\n",
            "#[doc=r\" raw ] doc \\\"]#[derive(Debug)]pub enum B{C,}\n",
            "#[doc=\"pub struct Fake\"]#[allow(deprecated)]pub mod commands {\n",
            "#[derive(Clone)]pub struct D{}\n",
        );
        assert_eq!(
            type_definitions(module),
            concat!(
                "#[doc=\" a ] in \\\" a doc\"]#[derive(Clone)]pub struct A{pub x:u8,}\n",
                "#[doc=r\" raw ] doc \\\"]#[derive(Debug)]pub enum B{C,}\n",
            )
        );
    }
}
