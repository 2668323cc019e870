//! The core's modules form layers (listed at the top of `src/lib.rs`): a module imports only
//! from layers below its own. This reads every source file and fails on an import that points
//! sideways or up, so a cycle cannot creep back in.

use std::path::{Path, PathBuf};

/// Each top-level module of the core and its layer, bottom (1) to top. Modules on one layer
/// do not import each other either.
const LAYERS: &[(&str, u32)] = &[
    ("text", 1),
    ("registry", 2),
    ("diagnostic", 3),
    ("yaml", 3),
    ("spec", 3),
    ("catalog", 3),
    ("gcp", 4),
    ("rules", 5),
    ("schema_check", 6),
    ("check", 7),
    ("render", 8),
    ("schema_gen", 8),
    ("documents", 9),
    ("editor", 9),
];

fn layer(module: &str) -> Option<u32> {
    LAYERS
        .iter()
        .find_map(|(name, layer)| (*name == module).then_some(*layer))
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules `source` names through `crate::` (macro `$crate::` paths too).
fn imported_modules(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in source.match_indices("crate::") {
        let rest = &source[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::b, c}`: the first segment of each item at the group's top level.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && depth == 0 && (c.is_alphabetic() || c == '_') => {
                        found.push(identifier(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(identifier(rest));
        }
    }
    found
}

/// The source without comments and without its `#[cfg(test)]` module: tests may drive the
/// whole pipeline, and prose may name any module.
fn code_outside_tests(source: &str) -> String {
    let code = source
        .find("#[cfg(test)]\nmod tests")
        .map_or(source, |at| &source[..at]);
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn no_module_imports_from_its_own_layer_or_above() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" {
            continue;
        }
        let own = layer(&module)
            .unwrap_or_else(|| panic!("src/{module}: add the new module to LAYERS (and lib.rs)"));
        let source = std::fs::read_to_string(file).unwrap();
        for imported in imported_modules(&code_outside_tests(&source)) {
            // Crate-root items (`crate::check(..)`, `crate::VERSION`) are re-exports or
            // constants of lib.rs; the modules they come from are checked by name below.
            let Some(theirs) = layer(&imported) else {
                continue;
            };
            if imported != module && theirs >= own {
                violations.push(format!(
                    "src/{}: `{module}` (layer {own}) imports `crate::{imported}` (layer {theirs})",
                    relative.display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports that point sideways or up (see the layers in src/lib.rs):\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_import_scanner_sees_groups_and_paths() {
    assert_eq!(
        imported_modules("use crate::{text::ByteSpan, rules};\nlet x = crate::gcp::names::neg;"),
        ["text", "rules", "gcp"]
    );
    assert_eq!(imported_modules("use crate::{a::{b, c}, d};"), ["a", "d"]);
}

#[test]
fn lib_rs_lists_every_layer() {
    let lib = include_str!("../src/lib.rs");
    for (module, _) in LAYERS {
        assert!(
            lib.contains(&format!("`{module}`")),
            "src/lib.rs's layer list does not name `{module}`"
        );
    }
}
