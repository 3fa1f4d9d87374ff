//! Writing outputs so that a failure never leaves half of one: files through a temporary
//! file and a rename, directories through a staging directory.

use std::path::{Path, PathBuf};

/// A hidden name beside `path` for this process, ending in `.suffix`: `dir/.name.PID.suffix`.
fn beside(path: &Path, suffix: &str) -> std::io::Result<PathBuf> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the output path {} names no file", path.display()),
        )
    })?;
    let mut hidden = std::ffi::OsString::from(".");
    hidden.push(name);
    hidden.push(format!(".{}.{suffix}", std::process::id()));
    Ok(parent.join(hidden))
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`, so `path`
/// never holds half an output.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = beside(path, "tmp")?;
    let result = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Writes `files` (relative path, bytes) into a fresh directory beside `directory`, then
/// puts it in place of `directory`, so a failure never leaves a half-written site there.
pub fn write_directory_atomically(
    directory: &Path,
    files: &[(String, Vec<u8>)],
) -> std::io::Result<()> {
    let staging = beside(directory, "tmp")?;
    let old = beside(directory, "old")?;
    let write_all = || -> std::io::Result<()> {
        std::fs::create_dir_all(&staging)?;
        for (relative, bytes) in files {
            let path = staging.join(relative);
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder)?;
            }
            std::fs::write(path, bytes)?;
        }
        // A directory cannot be renamed over a non-empty one: move the old one aside first.
        let had_old = match std::fs::symlink_metadata(directory) {
            Ok(metadata) if metadata.is_dir() => {
                std::fs::rename(directory, &old)?;
                true
            }
            Ok(_) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a directory", directory.display()),
                ));
            }
            Err(_) => false,
        };
        if let Err(error) = std::fs::rename(&staging, directory) {
            if had_old {
                let _ = std::fs::rename(&old, directory);
            }
            return Err(error);
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    };
    let result = write_all();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
