//! Locating, and if needed fetching and unpacking, the QEMU source trees whose
//! QAPI schemas, test cases and Python front ends we compare ourselves with:
//! one per release in [`RELEASES`].
//!
//! The trees live in a per-user cache outside the repository, where
//! `qapi_tests::qemu_source_dir` places them (so tests and build scripts find
//! the same trees). When one is missing, its Debian "orig" tarball is
//! downloaded with `apt-get source` and only the parts we use are extracted
//! from it. Nothing here knows what the trees are used for.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The QEMU release whose tree the benchmarks, the docs and the fuzz seeds use,
/// and whose Debian builds' symbol sets are in `tests/data`.
pub const QEMU_VERSION: &str = qapi_tests::QEMU_VERSION;

/// One QEMU release we test against, and where Debian keeps its source.
#[derive(Debug, PartialEq, Eq)]
pub struct Release {
    /// The name `qapi-gen --qemu` takes: `10.0`.
    pub name: &'static str,
    /// The Debian source package and version `apt-get source` is asked for.
    pub apt_source: &'static str,
    /// The Debian suite that has it, which needs a `deb-src` entry.
    pub suite: &'static str,
    /// File name of the upstream tarball that `apt-get source` downloads.
    pub orig_tarball: &'static str,
    /// The directory at the top of the tarball, and the cache entry: `qemu-10.0.2`.
    pub tree: &'static str,
    /// Documentation to extract besides [`WANTED`]: the pages that list
    /// deprecated and removed features.
    pub docs: &'static [&'static str],
}

impl Release {
    /// The full upstream version, as in the tree's `VERSION` file: `10.0.2`.
    pub fn version(&self) -> &'static str {
        self.tree.strip_prefix("qemu-").unwrap_or(self.tree)
    }
}

/// The releases, oldest first.
pub const RELEASES: [Release; 4] = [
    Release {
        name: "5.2",
        apt_source: "qemu=1:5.2+dfsg-11+deb11u3",
        suite: "bullseye",
        orig_tarball: "qemu_5.2+dfsg.orig.tar.xz",
        tree: "qemu-5.2.0",
        // Before 6.1 the deprecation page was part of the system manual and
        // there was no page of removed features.
        docs: &["docs/system/deprecated.rst"],
    },
    Release {
        name: "7.2",
        apt_source: "qemu=1:7.2+dfsg-7+deb12u18",
        suite: "bookworm",
        orig_tarball: "qemu_7.2+dfsg.orig.tar.xz",
        tree: "qemu-7.2.0",
        docs: &["docs/about/*"],
    },
    Release {
        name: "10.0",
        apt_source: "qemu=1:10.0.2+ds-2+deb13u1~bpo12+1",
        suite: "bookworm-backports",
        orig_tarball: "qemu_10.0.2+ds.orig.tar.xz",
        tree: "qemu-10.0.2",
        docs: &["docs/about/*"],
    },
    Release {
        name: "10.2",
        apt_source: "qemu=1:10.2.2+ds-1",
        suite: "unstable",
        orig_tarball: "qemu_10.2.2+ds.orig.tar.xz",
        tree: "qemu-10.2.2",
        docs: &["docs/about/*"],
    },
];

/// Parts of every tree we need, relative to [`Release::tree`].
const WANTED: [&str; 7] = [
    "qapi/*",
    "qga/*",
    "storage-daemon/*",
    "tests/qapi-schema/*",
    "scripts/*",
    "docs/devel/*",
    "VERSION",
];

/// The release called `name` (`5.2`, `10.0`, ...).
pub fn release(name: &str) -> Result<&'static Release, String> {
    RELEASES
        .iter()
        .find(|release| release.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = RELEASES.iter().map(|release| release.name).collect();
            format!("unknown QEMU release `{name}`; known: {}", names.join(", "))
        })
}

/// The release [`QEMU_VERSION`] names.
pub fn primary() -> &'static Release {
    RELEASES
        .iter()
        .find(|release| release.version() == QEMU_VERSION)
        .expect("QEMU_VERSION is in the release table")
}

/// Where a release's unpacked tree is (or will be) kept: the release's
/// variable (`$QAPI_QEMU_SRC` for 10.0, `$QAPI_QEMU_SRC_7_2` and so on) if
/// set, otherwise `qapi-toolchain/<tree>` inside the user's cache directory.
pub fn source_dir(release: &Release) -> Result<PathBuf, String> {
    let dir = qapi_tests::qemu_source_dir(release.name).ok_or_else(|| {
        "cannot pick a cache directory: set QAPI_QEMU_SRC, XDG_CACHE_HOME or HOME".to_owned()
    })?;
    std::path::absolute(&dir)
        .map_err(|err| format!("bad source directory {}: {err}", dir.display()))
}

/// Makes sure the [`primary`] release's tree exists and returns its path.
pub fn ensure() -> Result<PathBuf, String> {
    ensure_release(primary())
}

/// Makes sure a release's source tree exists and returns its path.
pub fn ensure_release(release: &Release) -> Result<PathBuf, String> {
    let dir = source_dir(release)?;
    if dir.join("VERSION").is_file() {
        warn_on_version_mismatch(release, &dir);
        return Ok(dir);
    }

    let cache = dir
        .parent()
        .ok_or_else(|| format!("{} has no parent directory", dir.display()))?;
    fs::create_dir_all(cache).map_err(|err| format!("cannot create {}: {err}", cache.display()))?;

    let tarball = cache.join(release.orig_tarball);
    if !tarball.is_file() {
        download(release, cache, &tarball)?;
    }
    unpack(release, &tarball, &dir)?;
    Ok(dir)
}

fn warn_on_version_mismatch(release: &Release, dir: &Path) {
    let found = fs::read_to_string(dir.join("VERSION")).unwrap_or_default();
    if found.trim() != release.version() {
        eprintln!(
            "xtask: warning: {} contains QEMU {} but the expectations assume {}",
            dir.display(),
            found.trim(),
            release.version()
        );
    }
}

/// Fetches the orig tarball into `cache` with `apt-get source`.
fn download(release: &Release, cache: &Path, tarball: &Path) -> Result<(), String> {
    eprintln!(
        "xtask: downloading QEMU {} sources into {}",
        release.version(),
        cache.display()
    );
    // apt-get's chatter goes to our stderr so that stdout stays reserved for
    // the paths that `fetch-qemu` prints.
    let status = Command::new("apt-get")
        .args([
            "source",
            "--download-only",
            "--tar-only",
            release.apt_source,
        ])
        .current_dir(cache)
        .stdin(Stdio::null())
        .stdout(io::stderr())
        .status()
        .map_err(|err| format!("cannot run apt-get: {err}"))?;

    // The .dsc may be unavailable, which makes apt-get fail; only the
    // upstream tarball matters to us.
    if tarball.is_file() {
        return Ok(());
    }
    Err(format!(
        "`apt-get source --download-only --tar-only {}` did not produce {} ({status}); \
         it needs a deb-src entry for {} (see .ci/run)",
        release.apt_source,
        tarball.display(),
        release.suite
    ))
}

/// Extracts the parts of the tarball we need into `dest`.
///
/// Extraction happens in a scratch directory next to `dest`, which is renamed
/// into place only once tar has succeeded, so an interrupted run never leaves
/// behind something that looks like a complete tree.
fn unpack(release: &Release, tarball: &Path, dest: &Path) -> Result<(), String> {
    let cache = dest.parent().unwrap_or(Path::new("."));
    let scratch = cache.join(format!(
        ".{}.unpacking-{}",
        release.tree,
        std::process::id()
    ));
    let result = unpack_via(release, tarball, &scratch, dest);
    if scratch.exists() {
        let _ = fs::remove_dir_all(&scratch);
    }
    result
}

fn unpack_via(
    release: &Release,
    tarball: &Path,
    scratch: &Path,
    dest: &Path,
) -> Result<(), String> {
    eprintln!(
        "xtask: unpacking {} into {}",
        tarball.display(),
        dest.display()
    );
    fs::create_dir_all(scratch)
        .map_err(|err| format!("cannot create {}: {err}", scratch.display()))?;
    let tree = release.tree;
    let status = Command::new("tar")
        .arg("xf")
        .arg(tarball)
        .arg("-C")
        .arg(scratch)
        .arg("--wildcards")
        .args(
            WANTED
                .iter()
                .chain(release.docs)
                .map(|part| format!("{tree}/{part}")),
        )
        .stdin(Stdio::null())
        .status()
        .map_err(|err| format!("cannot run tar: {err}"))?;
    if !status.success() {
        return Err(format!(
            "extracting {} failed ({status})",
            tarball.display()
        ));
    }

    let unpacked = scratch.join(tree);
    if !unpacked.join("VERSION").is_file() {
        return Err(format!("{} has no {tree}/VERSION", tarball.display()));
    }
    fs::rename(&unpacked, dest).map_err(|err| {
        format!(
            "cannot move the unpacked tree to {}: {err} (if that directory exists \
             without a VERSION file, remove it and try again)",
            dest.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_tests_crate() {
        let ours: Vec<(&str, &str)> = RELEASES
            .iter()
            .map(|release| (release.name, release.version()))
            .collect();
        let theirs: Vec<(&str, &str)> = qapi_tests::QEMU_RELEASES
            .iter()
            .map(|&(name, version, _)| (name, version))
            .collect();
        assert_eq!(ours, theirs);
        assert_eq!(primary().name, "10.0");
    }

    #[test]
    fn finds_releases_by_name() {
        assert_eq!(release("7.2").unwrap().tree, "qemu-7.2.0");
        assert_eq!(release("10.2").unwrap().version(), "10.2.2");
        let unknown = release("6.0").unwrap_err();
        assert!(unknown.contains("5.2, 7.2, 10.0, 10.2"), "{unknown}");
    }
}
