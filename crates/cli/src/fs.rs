//! File access: reading inputs, and writing outputs so that nothing is left half-written.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// Reads a spec path, or standard input for `-`.
pub fn read_input(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    // Read at most one byte past the core's limit: a 100 MB file costs no more than a 1 MB one.
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(multirun_core::MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A relative output path that stays inside the output directory.
pub fn safe_join(root: &Path, relative: &str) -> Option<PathBuf> {
    let rel = Path::new(relative);
    let ok = !relative.is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| root.join(rel))
}

/// Writes every file, or none: each is staged in a temporary file next to its destination,
/// and only when all are staged are they renamed into place (rename is atomic per file).
pub fn write_all_atomically(files: &[(PathBuf, &str, bool)]) -> std::io::Result<()> {
    let mut staged: Vec<(tempfile::NamedTempFile, &Path)> = Vec::new();
    for (path, contents, executable) in files {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut temp = tempfile::Builder::new().prefix(".multirun-").tempfile_in(dir)?;
        temp.write_all(contents.as_bytes())?;
        temp.as_file().sync_all()?;
        set_mode(temp.path(), *executable)?;
        staged.push((temp, path.as_path()));
    }
    for (temp, path) in staged {
        temp.persist(path).map_err(|e| e.error)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(if executable { 0o755 } else { 0o644 }))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _executable: bool) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        let root = Path::new("/out");
        assert_eq!(safe_join(root, "terraform/main.tf"), Some(PathBuf::from("/out/terraform/main.tf")));
        assert_eq!(safe_join(root, "../etc/passwd"), None);
        assert_eq!(safe_join(root, "/etc/passwd"), None);
        assert_eq!(safe_join(root, "a/./b"), Some(PathBuf::from("/out/a/b")));
        assert_eq!(safe_join(root, ""), None);
    }
}
