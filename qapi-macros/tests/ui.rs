//! The macro's errors, as the compiler shows them (trybuild `compile_fail` cases in `ui/`).

use std::path::Path;

#[test]
fn macro_errors() {
    // trybuild compiles the cases as a crate of its own under
    // `<target>/tests/trybuild/qapi-macros`, and the macro reads schemas relative to that
    // crate's manifest directory; the schemas the cases name are copied there.
    let target = std::env::current_exe()
        .unwrap()
        .ancestors()
        .nth(3)
        .unwrap()
        .to_path_buf();
    let schemas = Path::new("tests/ui/schemas");
    let copy = target.join("tests/trybuild/qapi-macros").join(schemas);
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(schemas).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
