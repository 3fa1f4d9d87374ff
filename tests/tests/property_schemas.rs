//! Property tests over random valid schemas from our own generator (`schema_gen`): the front
//! end accepts them, `dump` is deterministic and does not depend on how the schema is spelled,
//! and, for a few sampled schemas, the Rust backend's output compiles with warnings denied and
//! round-trips random values of every type, command request, return value and event.
//!
//! The seed is fixed, so a run is reproducible; `QAPI_PROPERTY_SEED=N` tries other schemas and
//! `QAPI_PROPERTY_CASES=N` changes how many (the compiled property samples fewer). A failure
//! is shrunk and reported with the schema's files.

mod schema_gen;

use std::collections::BTreeMap;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use qapi_schema::Format;
use schema_gen::{Rng, Schema, Style, Tape};
use serde_json::Value;

/// The default seed of both properties.
const DEFAULT_SEED: u64 = 0x5eed_0a91;

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    Some(
        text.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {text:?}")),
    )
}

fn seed() -> u64 {
    env_number("QAPI_PROPERTY_SEED").unwrap_or(DEFAULT_SEED)
}

/// A runner with `cases` cases (scaled by `QAPI_PROPERTY_CASES` relative to 256), no
/// persistence files, and the fixed seed.
fn runner(cases: u32, max_shrink_iters: u32) -> TestRunner {
    let cases = match env_number("QAPI_PROPERTY_CASES") {
        Some(wanted) => ((u64::from(cases) * wanted).div_ceil(256)).max(1) as u32,
        None => cases,
    };
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed()),
        max_shrink_iters,
        ..Config::default()
    })
}

/// The generator's tape: the choices a schema is built from. A longer tape makes a larger
/// schema; about 60 numbers make one definition.
fn tapes(min_length: usize) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), min_length..3000)
}

/// Lexically normalized `path` (`sub/../types.json` is `types.json`).
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// Runs the front end on in-memory `files`, rooted at `root.json`.
fn check(files: &BTreeMap<String, String>) -> Result<qapi_schema::Schema, String> {
    let mut read = |path: &Path| -> io::Result<Vec<u8>> {
        files
            .get(&normalize(path))
            .map(|text| text.as_bytes().to_vec())
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    };
    qapi_schema::parse_with(schema_gen::MODULES[0], &mut read, qapi_schema::Dialect::Any)
        .map_err(|error| error.render(Format::Human, false))
}

/// Fails the case with `message` and the schema's files.
fn fail(message: impl std::fmt::Display, files: &BTreeMap<String, String>) -> TestCaseError {
    TestCaseError::fail(format!("{message}\n\nschema:\n{}", Schema::listing(files)))
}

/// Checks one generated schema: accepted, dump stable and independent of the spelling, and
/// the Rust backend runs twice to the same text. Returns the checked schema.
fn front_end_property(
    model: &Schema,
) -> Result<(qapi_schema::Schema, BTreeMap<String, String>), TestCaseError> {
    let files = model.files(Style::CANONICAL);
    let schema = check(&files).map_err(|error| fail(format!("rejected:\n{error}"), &files))?;
    let dump = qapi_compiler::dump::generate(&schema);
    let again = check(&files).map_err(|error| fail(format!("rejected once:\n{error}"), &files))?;
    if qapi_compiler::dump::generate(&again) != dump {
        return Err(fail("dump differs between two runs", &files));
    }
    if qapi_compiler::dump::generate(&schema) != dump {
        return Err(fail("dump differs for the same IR", &files));
    }
    for style in Style::VARIANTS {
        let respelled = model.files(style);
        let other = check(&respelled).map_err(|error| {
            fail(
                format!("the {style:?} spelling is rejected:\n{error}"),
                &respelled,
            )
        })?;
        let other_dump = qapi_compiler::dump::generate(&other);
        if other_dump != dump {
            return Err(fail(
                format!(
                    "the {style:?} spelling dumps differently:\n{}\n\ncanonical spelling:\n{}",
                    first_line_difference(&dump, &other_dump),
                    Schema::listing(&files)
                ),
                &respelled,
            ));
        }
    }
    let rust = rust_module(&schema, &files)?;
    if rust != rust_module(&again, &files)? {
        return Err(fail("the Rust output differs between two runs", &files));
    }
    Ok((schema, files))
}

/// Panics with the minimal failing case's message (not the tape, which says nothing).
fn report(result: Result<(), TestError<Vec<u32>>>) {
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, _)) => panic!("seed {}: {reason}", seed()),
        Err(TestError::Abort(reason)) => panic!("seed {}: aborted: {reason}", seed()),
    }
}

/// The Rust backend's output for `schema` with the default options; a panic is a failure
/// that shows the schema.
fn rust_module(
    schema: &qapi_schema::Schema,
    files: &BTreeMap<String, String>,
) -> Result<String, TestCaseError> {
    let options = qapi_compiler::rust::Options::default();
    match std::panic::catch_unwind(|| qapi_compiler::rust::generate(schema, &options)) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(error)) => Err(fail(format!("the Rust backend refused: {error}"), files)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            Err(fail(format!("the Rust backend panicked: {message}"), files))
        }
    }
}

/// The first line where two texts differ, with its number.
fn first_line_difference(ours: &str, theirs: &str) -> String {
    let mut a = ours.lines();
    let mut b = theirs.lines();
    for number in 1.. {
        match (a.next(), b.next()) {
            (None, None) => break,
            (x, y) if x == y => continue,
            (x, y) => return format!("line {number}: {x:?} vs {y:?}"),
        }
    }
    "no difference".to_string()
}

#[test]
fn random_schemas_are_accepted_and_dump_stably() {
    let mut runner = runner(256, 2048);
    let result = runner.run(&tapes(0), |tape| {
        let model = schema_gen::generate(&mut Tape::new(tape));
        front_end_property(&model).map(|_| ())
    });
    report(result);
}

/// The generator makes what it promises: a good share of the cases have each construct,
/// so the property above does not pass by testing small schemas only.
#[test]
fn the_generator_covers_the_language() {
    let mut runner = runner(64, 0);
    let mut texts = String::new();
    for _ in 0..64 {
        let tape = tapes(0).new_tree(&mut runner).expect("a tape").current();
        let model = schema_gen::generate(&mut Tape::new(tape));
        texts.push_str(&Schema::listing(&model.files(Style::CANONICAL)));
    }
    for needle in [
        "'enum'",
        "'struct'",
        "'union'",
        "'alternate'",
        "'command'",
        "'event'",
        "'base'",
        "'*",
        "'if'",
        "'features'",
        "'boxed': true",
        "'returns'",
        "{ 'include': 'types.json' }",
        "{ 'include': 'sub/more.json' }",
        "{ 'include': '../types.json' }",
        "# Features:",
        "'any'",
        "'null'",
        "'QType'",
        "x-",
        "__org.acme_",
        "'prefix'",
        "'gen': false",
    ] {
        assert!(
            texts.matches(needle).count() >= 3,
            "fewer than 3 uses of {needle} in 64 schemas"
        );
    }
}

/// A cargo package under the target directory that compiles generated modules (with warnings
/// denied) and, for one schema, a program that round-trips values through it. Packages share a
/// target directory, kept between runs, so serde and serde_json are compiled once; each test
/// has its own package, so tests running at once do not overwrite each other's files.
struct Harness {
    name: String,
    dir: PathBuf,
    target: PathBuf,
}

/// `Cargo.toml` of the harness: outside the workspace, with the workspace's versions of serde
/// and serde_json (the workspace's `Cargo.lock` is copied in, and cargo runs offline).
const HARNESS_MANIFEST: &str = r#"[package]
name = "NAME"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
"#;

/// The top of the harness's `lib.rs`; a `pub mod` per generated module follows.
const HARNESS_LIB: &str = r#"//! Generated modules, compiled as a user would, with warnings denied.
#![deny(warnings)]
#![warn(missing_docs)]
"#;

impl Harness {
    /// The package `qapi-property-NAME`.
    fn new(name: &str) -> Harness {
        let name = format!("qapi-property-{name}");
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("property-schemas");
        let dir = root.join(&name);
        std::fs::create_dir_all(dir.join("src")).expect("creates the harness directory");
        std::fs::write(
            dir.join("Cargo.toml"),
            HARNESS_MANIFEST.replace("NAME", &name),
        )
        .expect("writes Cargo.toml");
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        std::fs::copy(lock, dir.join("Cargo.lock")).expect("copies the workspace's Cargo.lock");
        Harness {
            name,
            dir,
            target: root.join("target"),
        }
    }

    /// The program: reads `KIND\tNAME\tJSON` lines and answers each with `ok\tJSON` (the
    /// value decoded and encoded again) or `error\tMESSAGE`. Types are named by the Rust names
    /// the documented naming rules give.
    fn main_rs(&self, model: &Schema) -> String {
        let library = self.name.replace('-', "_");
        let mut arms = String::new();
        for (qapi, rust) in model.rust_types() {
            arms.push_str(&format!(
                "        {qapi:?} => round_trip::<schema::{rust}>(json),\n"
            ));
        }
        format!(
            r#"//! Round-trips JSON values through the generated module's types.
use std::io::{{BufRead as _, Write as _}};

use {library}::schema;

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(json: &str) -> Result<String, String> {{
    let value: T = serde_json::from_str(json).map_err(|error| error.to_string())?;
    serde_json::to_string(&value).map_err(|error| error.to_string())
}}

#[allow(deprecated)]
fn by_type(name: &str, json: &str) -> Result<String, String> {{
    match name {{
{arms}        _ => Err(format!("no type {{name}}")),
    }}
}}

fn decode_return(name: &str, json: &str) -> Result<String, String> {{
    let value = serde_json::from_str(json).map_err(|error| error.to_string())?;
    let decoded = schema::commands::decode_return(name, value).map_err(|error| error.to_string())?;
    serde_json::to_string(&decoded).map_err(|error| error.to_string())
}}

fn main() {{
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {{
        let line = line.expect("reads a line");
        let mut parts = line.splitn(3, '\t');
        let (kind, name, json) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let result = match kind {{
            "type" => by_type(name, json),
            "request" => round_trip::<schema::commands::RequestMessage>(json),
            "return" => decode_return(name, json),
            "event" => round_trip::<schema::events::EventMessage>(json),
            _ => Err(format!("unknown kind {{kind}}")),
        }};
        match result {{
            Ok(json) => writeln!(out, "ok\t{{json}}"),
            Err(error) => writeln!(out, "error\t{{}}", error.replace('\n', " ")),
        }}
        .expect("writes");
    }}
}}
"#
        )
    }

    /// Builds the harness for `model`, whose generated module is `rust`, with the program.
    fn build_program(&self, model: &Schema, rust: &str) -> Result<(), String> {
        self.build(&[("schema", rust)], Some(&self.main_rs(model)))
    }

    /// Builds the library of `modules` (name and text), and the program `main` if given.
    fn build(&self, modules: &[(&str, &str)], main: Option<&str>) -> Result<(), String> {
        let write = |path: &str, text: &str| {
            std::fs::write(self.dir.join(path), text).map_err(|error| format!("{path}: {error}"))
        };
        let mut lib = HARNESS_LIB.to_string();
        for (name, text) in modules {
            write(&format!("src/{name}.rs"), text)?;
            lib.push_str(&format!(
                "\n/// Generated.\npub mod {name} {{\n    include!(\"{name}.rs\");\n}}\n"
            ));
        }
        write("src/lib.rs", &lib)?;
        let main_path = self.dir.join("src/main.rs");
        match main {
            Some(main) => write("src/main.rs", main)?,
            None if main_path.exists() => {
                std::fs::remove_file(&main_path).map_err(|error| format!("main.rs: {error}"))?
            }
            None => {}
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--offline", "--quiet", "--manifest-path"])
            .arg(self.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&self.target)
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        if output.status.success() {
            return Ok(());
        }
        let mut stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if stderr.len() > 12_000 {
            let mut cut = 12_000;
            while !stderr.is_char_boundary(cut) {
                cut -= 1;
            }
            stderr.truncate(cut);
            stderr.push_str("\n[…]");
        }
        Err(format!(
            "the generated module does not compile ({}; the code is in {}):\n{stderr}",
            output.status,
            self.dir.join("src").display()
        ))
    }

    /// The built program.
    fn program(&self) -> PathBuf {
        self.target.join("debug").join(&self.name)
    }

    /// Runs the built program on `lines`; returns one answer per line.
    fn run(&self, lines: &[(String, String, Value)]) -> Result<Vec<String>, String> {
        let program = self.program();
        let mut child = Command::new(&program)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot run {}: {error}", program.display()))?;
        let mut input = String::new();
        for (kind, name, value) in lines {
            input.push_str(&format!("{kind}\t{name}\t{value}\n"));
        }
        let mut stdin = child.stdin.take().expect("piped stdin");
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child
            .wait_with_output()
            .map_err(|error| format!("the program failed: {error}"))?;
        writer
            .join()
            .expect("the writer thread ends")
            .map_err(|error| format!("cannot write to the program: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "the program failed ({}):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let answers: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        if answers.len() != lines.len() {
            return Err(format!(
                "{} answers to {} lines",
                answers.len(),
                lines.len()
            ));
        }
        Ok(answers)
    }
}

/// A seed for the values of a case, from its tape, so a case always gets the same values.
fn value_seed(tape: &[u32]) -> u64 {
    tape.iter().fold(seed(), |hash, &word| {
        (hash ^ u64::from(word)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// How many values of each type, request, return value and event a compiled case checks.
const VALUES_PER_ITEM: usize = 4;

#[test]
fn sampled_schemas_compile_and_round_trip_values() {
    let harness = Harness::new("check");
    // Each case compiles a crate, so only a few are sampled, and shrinking is short.
    let mut runner = runner(4, 12);
    let checked = std::cell::Cell::new((0, 0));
    // Sampled schemas are larger than most of the property above.
    let result = runner.run(&tapes(1500), |tape| {
        let values_seed = value_seed(&tape);
        let model = schema_gen::generate(&mut Tape::new(tape));
        let (schema, files) = front_end_property(&model)?;
        let rust = rust_module(&schema, &files)?;
        harness
            .build_program(&model, &rust)
            .map_err(|error| fail(error, &files))?;
        let lines = model.value_lines(&mut Rng::new(values_seed), VALUES_PER_ITEM);
        let answers = harness.run(&lines).map_err(|error| fail(error, &files))?;
        for ((kind, name, value), answer) in lines.iter().zip(&answers) {
            let what = format!("{kind} {name}: {value}");
            let Some(json) = answer.strip_prefix("ok\t") else {
                return Err(fail(format!("{what}\ndoes not decode: {answer}"), &files));
            };
            let again: Value = serde_json::from_str(json)
                .map_err(|error| fail(format!("{what}\nencodes to bad JSON {json}: {error}"), &files))?;
            if let Some(difference) = qapi_tests::first_difference(&again, value) {
                return Err(fail(
                    format!("{what}\nencodes back as {json}\nfirst difference (ours is the re-encoded value): {difference}"),
                    &files,
                ));
            }
        }
        let (definitions, values) = checked.get();
        checked.set((definitions + model.defs.len(), values + lines.len()));
        Ok(())
    });
    report(result);
    let (definitions, values) = checked.get();
    eprintln!("compiled {definitions} definitions; {values} values round-tripped");
    // The sampled schemas are not all trivial.
    assert!(definitions >= 20 && values >= 100, "too little was checked");
}

/// Minimal schemas of bugs the properties found, compiled and run on their own.
mod regressions {
    use super::*;

    /// Parses one in-memory schema file and generates its Rust module.
    fn generate(text: &str) -> String {
        let files = BTreeMap::from([(schema_gen::MODULES[0].to_string(), text.to_string())]);
        let schema = check(&files).unwrap_or_else(|error| panic!("rejected:\n{error}"));
        rust_module(&schema, &files).unwrap_or_else(|error| panic!("{error}"))
    }

    /// The enum value `self` was the variant `Self`, which is a keyword that cannot be a raw
    /// identifier: the backend panicked on its own output. Commands and events named `self`
    /// take the same path.
    const SELF_NAMES: &str = "{ 'enum': 'Mode', 'data': [ 'self' ] }
{ 'command': 'self', 'data': { 'mode': 'Mode' } }
{ 'event': 'SELF' }
";

    /// A schema without commands had empty `Request` and `Return` enums matched by reference
    /// with no arms, which does not compile, and unused variables.
    const NO_COMMANDS: &str = "{ 'struct': 'Point', 'data': { 'x': 'int' } }\n";

    /// An event whose data came out empty was re-encoded with `"data": {}`, which QEMU never
    /// sends: an empty struct as data, or optional members all absent.
    const EMPTY_EVENT_DATA: &str = "{ 'struct': 'Nothing', 'data': {} }
{ 'event': 'PING', 'data': 'Nothing' }
{ 'event': 'PONG', 'data': { '*late': 'bool' } }
{ 'command': 'ping' }
";

    const MAIN: &str = r##"//! Checks the regression modules at run time.
use qapi_property_regressions::{empty_event_data, self_names};

fn main() {
    let mode: self_names::Mode = serde_json::from_str("\"self\"").unwrap();
    assert_eq!(mode, self_names::Mode::Self_);
    assert_eq!(serde_json::to_string(&mode).unwrap(), "\"self\"");
    for text in [
        r#"{"event":"PING","timestamp":{"seconds":1,"microseconds":2}}"#,
        r#"{"event":"PONG","timestamp":{"seconds":1,"microseconds":2}}"#,
        r#"{"event":"PONG","data":{"late":true},"timestamp":{"seconds":1,"microseconds":2}}"#,
    ] {
        let message: empty_event_data::events::EventMessage = serde_json::from_str(text).unwrap();
        let again = serde_json::to_value(&message).unwrap();
        let expected: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(again, expected, "{text}");
    }
    println!("regressions pass");
}
"##;

    #[test]
    fn a_value_named_self_is_self_underscore() {
        let rust = generate(SELF_NAMES);
        assert!(rust.contains("Self_,"), "no variant Self_");
        assert!(rust.contains("pub struct Self_"), "no command type Self_");
    }

    #[test]
    fn minimal_schemas_of_found_bugs_compile_and_run() {
        let harness = Harness::new("regressions");
        let modules = [
            ("self_names", generate(SELF_NAMES)),
            ("no_commands", generate(NO_COMMANDS)),
            ("empty_event_data", generate(EMPTY_EVENT_DATA)),
        ];
        let modules: Vec<(&str, &str)> = modules
            .iter()
            .map(|(name, text)| (*name, text.as_str()))
            .collect();
        harness
            .build(&modules, Some(MAIN))
            .unwrap_or_else(|error| panic!("{error}"));
        let output = Command::new(harness.program())
            .output()
            .expect("runs the program");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
