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
    std::fs::File::open(path)?
        .take(multirun_core::MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A relative output path that stays inside the output directory.
pub fn safe_join(root: &Path, relative: &str) -> Option<PathBuf> {
    let rel = Path::new(relative);
    let ok = !relative.is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| root.join(rel))
}

/// How staged files are named until they are renamed into place (`.multirun-tmp-XXXXXX`).
pub const STAGING_PREFIX: &str = ".multirun-tmp-";

/// The regular file at `relative` inside `root`, if there is one and nothing on the way to it
/// (directories inside `root`, the file itself) is a symbolic link. For deciding what may be
/// deleted: `relative` may come from an untrusted file, and a link could lead out of `root`.
pub fn regular_file_inside(root: &Path, relative: &str) -> Option<PathBuf> {
    let path = safe_join(root, relative)?;
    let components: Vec<Component> = Path::new(relative).components().collect();
    let mut current = root.to_path_buf();
    for (i, component) in components.iter().enumerate() {
        current.push(component);
        let kind = std::fs::symlink_metadata(&current).ok()?.file_type();
        let wanted = if i + 1 == components.len() {
            kind.is_file()
        } else {
            kind.is_dir()
        };
        if !wanted || kind.is_symlink() {
            return None;
        }
    }
    Some(path)
}

/// Removes a file, then each directory between it and `root` that this leaves empty (never
/// `root` itself, never a directory that still holds anything). Returns the directories removed.
pub fn remove_file_and_empty_parents(root: &Path, file: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::remove_file(file)?;
    let mut removed = Vec::new();
    let mut dir = file.parent();
    while let Some(current) = dir.filter(|d| *d != root && d.starts_with(root)) {
        // `remove_dir` fails on a directory that is not empty: that is where we stop.
        if std::fs::remove_dir(current).is_err() {
            break;
        }
        removed.push(current.to_path_buf());
        dir = current.parent();
    }
    Ok(removed)
}

/// Writes every file, or none: each is staged in a temporary file next to its destination,
/// and only when all are staged are they renamed into place (rename is atomic per file).
pub fn write_all_atomically(files: &[(PathBuf, &str, bool)]) -> std::io::Result<()> {
    let mut staged: Vec<(tempfile::NamedTempFile, &Path)> = Vec::new();
    for (path, contents, executable) in files {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut temp = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempfile_in(dir)?;
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

/// Replaces an existing file's contents atomically (staged next to it, then renamed over it),
/// keeping its permissions. A symbolic link is followed: the file it points to is replaced.
pub fn replace_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempfile_in(dir)?;
    temp.write_all(contents.as_bytes())?;
    temp.as_file().sync_all()?;
    std::fs::set_permissions(temp.path(), permissions)?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        path,
        std::fs::Permissions::from_mode(if executable { 0o755 } else { 0o644 }),
    )
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
        assert_eq!(
            safe_join(root, "terraform/main.tf"),
            Some(PathBuf::from("/out/terraform/main.tf"))
        );
        assert_eq!(safe_join(root, "../etc/passwd"), None);
        assert_eq!(safe_join(root, "/etc/passwd"), None);
        assert_eq!(safe_join(root, "a/./b"), Some(PathBuf::from("/out/a/b")));
        assert_eq!(safe_join(root, ""), None);
    }

    #[test]
    fn only_regular_files_inside_the_root_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir_all(root.join("gcloud")).unwrap();
        std::fs::write(root.join("gcloud/a.yaml"), "a").unwrap();
        std::fs::write(dir.path().join("outside.txt"), "mine").unwrap();
        assert_eq!(
            regular_file_inside(&root, "gcloud/a.yaml"),
            Some(root.join("gcloud/a.yaml"))
        );
        assert_eq!(regular_file_inside(&root, "gcloud"), None, "a directory");
        assert_eq!(regular_file_inside(&root, "gcloud/missing.yaml"), None);
        assert_eq!(regular_file_inside(&root, "../outside.txt"), None);
        assert_eq!(
            regular_file_inside(&root, dir.path().join("outside.txt").to_str().unwrap()),
            None
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), root.join("link")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("outside.txt"), root.join("file-link"))
                .unwrap();
            assert_eq!(
                regular_file_inside(&root, "link/outside.txt"),
                None,
                "through a linked directory"
            );
            assert_eq!(
                regular_file_inside(&root, "file-link"),
                None,
                "a link to a file"
            );
        }
    }

    #[test]
    fn removing_a_file_removes_the_directories_it_empties_and_no_more() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::write(root.join("a/keep.txt"), "mine").unwrap();
        std::fs::write(root.join("a/b/c/x.yaml"), "x").unwrap();
        let removed = remove_file_and_empty_parents(&root, &root.join("a/b/c/x.yaml")).unwrap();
        assert_eq!(removed, [root.join("a/b/c"), root.join("a/b")]);
        assert!(root.join("a/keep.txt").is_file());
        std::fs::write(root.join("only.yaml"), "x").unwrap();
        assert!(
            remove_file_and_empty_parents(&root, &root.join("only.yaml"))
                .unwrap()
                .is_empty()
        );
        assert!(root.is_dir(), "the output directory itself stays");
    }
}
