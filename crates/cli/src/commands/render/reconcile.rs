//! What a render means for an output directory: the files to write with the manifest, and the
//! files an earlier render wrote that this one no longer generates (orphans).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use multirun_core::render::{RenderedFile, Target};

use super::error;
use super::plan::Job;
use crate::exit;
use crate::manifest::{self, Manifest};

/// What a render means for one output directory.
pub(super) struct Generated {
    /// The generated files and the manifest, sorted by path.
    pub(super) files: Vec<RenderedFile>,
    /// Files the previous render listed in the manifest that this one no longer generates, by
    /// relative path, with where they are: only regular files inside the directory.
    pub(super) orphans: Vec<(String, PathBuf)>,
}

/// Adds the manifest to the rendered files and finds the orphans: the files the old manifest
/// lists under a target rendered now that it no longer generates. The files of targets not
/// rendered now (another `--target`) stay listed, and are not touched.
pub(super) fn reconcile(
    out: &Path,
    grouped: Vec<(&'static Target, Vec<RenderedFile>)>,
) -> Generated {
    let (old, ignored) = manifest::read(out);
    for reason in ignored {
        eprintln!("warning: {}: {reason}", out.join(manifest::NAME).display());
    }
    let generated: BTreeSet<String> = grouped
        .iter()
        .flat_map(|(_, files)| files.iter().map(|f| f.path.clone()))
        .collect();
    let mut new = Manifest::default();
    for (target, files) in &grouped {
        new.sections.insert(
            target.name.to_string(),
            files.iter().map(|f| f.path.clone()).collect(),
        );
    }
    let mut orphans = BTreeMap::new();
    for (target, paths) in old.sections {
        let rendered_now = grouped.iter().any(|(t, _)| t.name == target);
        for path in paths.into_iter().filter(|p| !generated.contains(p)) {
            if !rendered_now {
                new.sections.entry(target.clone()).or_default().insert(path);
            } else if let Some(file) = crate::fs::regular_file_inside(out, &path) {
                orphans.insert(path, file);
            }
        }
    }
    let mut files: Vec<RenderedFile> = grouped.into_iter().flat_map(|(_, files)| files).collect();
    files.push(RenderedFile {
        path: manifest::NAME.to_string(),
        contents: new.to_text(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Generated {
        files,
        orphans: orphans.into_iter().collect(),
    }
}

pub(super) fn destinations<'a>(
    out: &Path,
    files: &'a [RenderedFile],
) -> Result<Vec<(PathBuf, &'a RenderedFile)>, i32> {
    files
        .iter()
        .map(|f| crate::fs::safe_join(out, &f.path).map(|p| (p, f)))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| {
            let bad = files
                .iter()
                .find(|f| crate::fs::safe_join(out, &f.path).is_none())
                .map_or("", |f| f.path.as_str());
            error(format!(
                "refusing to write outside the output directory: {bad}"
            ));
            exit::FAILURE
        })
}

pub(super) fn write_files(out: &Path, targets: &[(PathBuf, &RenderedFile)]) -> Result<(), i32> {
    let plan: Vec<(PathBuf, &str, bool)> = targets
        .iter()
        .map(|(path, f)| (path.clone(), f.contents.as_str(), f.path.ends_with(".sh")))
        .collect();
    crate::fs::write_all_atomically(&plan).map_err(|e| {
        error(format!("cannot write to {}: {e}", out.display()));
        exit::FAILURE
    })
}

/// Deletes the orphans (after every write succeeded) and the directories that leaves empty,
/// saying so on stderr.
pub(super) fn remove_orphans(job: &Job, orphans: &[(String, PathBuf)]) -> Result<(), i32> {
    let mut failed = false;
    for (_, file) in orphans {
        match crate::fs::remove_file_and_empty_parents(&job.out, file) {
            Ok(dirs) => {
                eprintln!("removed {}: no longer generated", file.display());
                for dir in dirs {
                    eprintln!("removed {}/: left empty", dir.display());
                }
            }
            Err(e) => {
                error(format!(
                    "cannot remove {}, which is no longer generated: {e}",
                    file.display()
                ));
                failed = true;
            }
        }
    }
    if failed {
        Err(exit::FAILURE)
    } else {
        Ok(())
    }
}

pub(super) fn write(job: &Job, generated: &Generated) -> Result<i32, i32> {
    let targets = destinations(&job.out, &generated.files)?;
    write_files(&job.out, &targets)?;
    eprintln!(
        "wrote {} files to {}",
        generated.files.len(),
        job.out.display()
    );
    remove_orphans(job, &generated.orphans)?;
    Ok(exit::CLEAN)
}
