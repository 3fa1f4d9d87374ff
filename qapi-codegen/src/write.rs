//! Writing outputs so that a failure never leaves half of one: files through a temporary
//! file and a rename, directories through a staging directory.

use std::path::Path;

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`, so `path`
/// never holds half an output.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the output path names no file",
        )
    })?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary = directory.join(temporary_name);
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
    let parent = match directory.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = directory.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the output path names no directory",
        )
    })?;
    let with_suffix = |suffix: &str| {
        let mut temporary_name = std::ffi::OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".{}.{suffix}", std::process::id()));
        parent.join(temporary_name)
    };
    let staging = with_suffix("tmp");
    let old = with_suffix("old");
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
