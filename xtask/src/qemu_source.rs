//! Locating, and if needed fetching and unpacking, the QEMU source tree whose
//! QAPI schemas, test cases and Python front end we compare ourselves with.
//!
//! The tree lives in a per-user cache outside the repository. When it is
//! missing, the Debian "orig" tarball is downloaded with `apt-get source`
//! and only the directories we use are extracted from it.

use std::env;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The QEMU release the test expectations come from.
pub const QEMU_VERSION: &str = "10.0.2";

/// Name of the directory at the top of the tarball, and of the cache entry.
const TREE_NAME: &str = "qemu-10.0.2";

/// Debian source package version whose upstream tarball is QEMU 10.0.2.
const APT_SOURCE: &str = "qemu=1:10.0.2+ds-2+deb13u1~bpo12+1";

/// File name of the upstream tarball that `apt-get source` downloads.
const ORIG_TARBALL: &str = "qemu_10.0.2+ds.orig.tar.xz";

/// Parts of the tree we need, relative to [`TREE_NAME`].
const WANTED: [&str; 7] = [
    "qapi/*",
    "qga/*",
    "storage-daemon/*",
    "tests/qapi-schema/*",
    "scripts/*",
    "docs/devel/*",
    "VERSION",
];

/// Where the unpacked tree is (or will be) kept: `$QAPI_QEMU_SRC` if set,
/// otherwise `qapi-toolchain/qemu-10.0.2` inside the user's cache directory.
pub fn source_dir() -> Result<PathBuf, String> {
    if let Some(dir) = non_empty_var("QAPI_QEMU_SRC") {
        return std::path::absolute(&dir)
            .map_err(|err| format!("bad QAPI_QEMU_SRC {}: {err}", dir.display()));
    }
    let cache = match (non_empty_var("XDG_CACHE_HOME"), non_empty_var("HOME")) {
        (Some(cache), _) => cache,
        (None, Some(home)) => home.join(".cache"),
        (None, None) => {
            return Err(
                "cannot pick a cache directory: set QAPI_QEMU_SRC, XDG_CACHE_HOME or HOME"
                    .to_owned(),
            );
        }
    };
    Ok(cache.join("qapi-toolchain").join(TREE_NAME))
}

/// Makes sure the source tree exists and returns its path.
pub fn ensure() -> Result<PathBuf, String> {
    let dir = source_dir()?;
    if dir.join("VERSION").is_file() {
        warn_on_version_mismatch(&dir);
        return Ok(dir);
    }

    let cache = dir
        .parent()
        .ok_or_else(|| format!("{} has no parent directory", dir.display()))?;
    fs::create_dir_all(cache).map_err(|err| format!("cannot create {}: {err}", cache.display()))?;

    let tarball = cache.join(ORIG_TARBALL);
    if !tarball.is_file() {
        download(cache, &tarball)?;
    }
    unpack(&tarball, &dir)?;
    Ok(dir)
}

/// Reads an environment variable, treating an empty value as unset.
fn non_empty_var(name: &str) -> Option<PathBuf> {
    env::var_os(name)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

fn warn_on_version_mismatch(dir: &Path) {
    let found = fs::read_to_string(dir.join("VERSION")).unwrap_or_default();
    if found.trim() != QEMU_VERSION {
        eprintln!(
            "xtask: warning: {} contains QEMU {} but the expectations assume {QEMU_VERSION}",
            dir.display(),
            found.trim()
        );
    }
}

/// Fetches the orig tarball into `cache` with `apt-get source`.
fn download(cache: &Path, tarball: &Path) -> Result<(), String> {
    eprintln!(
        "xtask: downloading QEMU {QEMU_VERSION} sources into {}",
        cache.display()
    );
    // apt-get's chatter goes to our stderr so that stdout stays reserved for
    // the path that `fetch-qemu` prints.
    let status = Command::new("apt-get")
        .args(["source", "--download-only", APT_SOURCE])
        .current_dir(cache)
        .stdin(Stdio::null())
        .stdout(io::stderr())
        .status()
        .map_err(|err| format!("cannot run apt-get: {err}"))?;

    // The .dsc and Debian tarball may be unavailable, which makes apt-get
    // fail; only the upstream tarball matters to us.
    if tarball.is_file() {
        return Ok(());
    }
    Err(format!(
        "`apt-get source --download-only {APT_SOURCE}` did not produce {} ({status}); \
         it needs a deb-src entry for bookworm-backports (see .ci/run)",
        tarball.display()
    ))
}

/// Extracts the parts of the tarball we need into `dest`.
///
/// Extraction happens in a scratch directory next to `dest`, which is renamed
/// into place only once tar has succeeded, so an interrupted run never leaves
/// behind something that looks like a complete tree.
fn unpack(tarball: &Path, dest: &Path) -> Result<(), String> {
    let cache = dest.parent().unwrap_or(Path::new("."));
    let scratch = cache.join(format!(".{TREE_NAME}.unpacking-{}", std::process::id()));
    let result = unpack_via(tarball, &scratch, dest);
    if scratch.exists() {
        let _ = fs::remove_dir_all(&scratch);
    }
    result
}

fn unpack_via(tarball: &Path, scratch: &Path, dest: &Path) -> Result<(), String> {
    eprintln!(
        "xtask: unpacking {} into {}",
        tarball.display(),
        dest.display()
    );
    fs::create_dir_all(scratch)
        .map_err(|err| format!("cannot create {}: {err}", scratch.display()))?;
    let status = Command::new("tar")
        .arg("xf")
        .arg(tarball)
        .arg("-C")
        .arg(scratch)
        .arg("--wildcards")
        .args(WANTED.iter().map(|part| format!("{TREE_NAME}/{part}")))
        .stdin(Stdio::null())
        .status()
        .map_err(|err| format!("cannot run tar: {err}"))?;
    if !status.success() {
        return Err(format!(
            "extracting {} failed ({status})",
            tarball.display()
        ));
    }

    let unpacked = scratch.join(TREE_NAME);
    if !unpacked.join("VERSION").is_file() {
        return Err(format!("{} has no {TREE_NAME}/VERSION", tarball.display()));
    }
    fs::rename(&unpacked, dest).map_err(|err| {
        format!(
            "cannot move the unpacked tree to {}: {err} (if that directory exists \
             without a VERSION file, remove it and try again)",
            dest.display()
        )
    })
}
