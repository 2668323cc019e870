//! Which files are specs: the pre-commit hooks' pattern, plus patterns a user adds.

/// `multirun.yaml`/`.yml`, or a name ending in `.multirun.yaml`/`.yml`, in any directory: the
/// pattern of the pre-commit hooks (`(^|/)([^/]+\.)?multirun\.ya?ml$`).
pub fn looks_like_spec(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "multirun" || (stem.ends_with(".multirun") && stem.len() > ".multirun".len())
}

/// Whether `path` matches a glob `pattern`: `*` and `?` stay within one path segment, `**`
/// crosses segments. A pattern without `/` is matched against the file name only (as
/// `.gitignore` does), so `*.cloudrun.yaml` matches in every directory.
pub fn glob_matches(pattern: &str, path: &str) -> bool {
    let path = path.replace('\\', "/");
    if pattern.contains('/') {
        let pattern = pattern.trim_start_matches("./");
        // An absolute path matches a relative pattern by its tail.
        let candidates = std::iter::once(path.as_str())
            .chain(path.match_indices('/').map(|(at, _)| &path[at + 1..]));
        let mut any = false;
        for candidate in candidates {
            any |= matches(pattern.as_bytes(), candidate.as_bytes());
        }
        any
    } else {
        let name = path.rsplit('/').next().unwrap_or(&path);
        matches(pattern.as_bytes(), name.as_bytes())
    }
}

fn matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern {
        [] => text.is_empty(),
        [b'*', b'*', rest @ ..] => {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=text.len())
                .any(|at| (at == 0 || text[at - 1] == b'/') && matches(rest, &text[at..]))
        }
        [b'*', rest @ ..] => (0..=text.len())
            .take_while(|&at| at == 0 || text[at - 1] != b'/')
            .any(|at| matches(rest, &text[at..])),
        [b'?', rest @ ..] => text.first().is_some_and(|c| *c != b'/') && matches(rest, &text[1..]),
        [c, rest @ ..] => text.first() == Some(c) && matches(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_pattern() {
        for spec in [
            "multirun.yaml",
            "a/b/multirun.yml",
            "deploy/api.multirun.yaml",
            "C:\\x\\multirun.yaml",
        ] {
            assert!(looks_like_spec(spec), "{spec}");
        }
        for other in [
            "xmultirun.yaml",
            ".multirun.yaml",
            "multirun.json",
            "multirun.yaml/x.txt",
            "values.yaml",
        ] {
            assert!(!looks_like_spec(other), "{other}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob_matches(
            "*.cloudrun.yaml",
            "/home/u/p/deploy/api.cloudrun.yaml"
        ));
        assert!(!glob_matches(
            "*.cloudrun.yaml",
            "/home/u/p/deploy/api.yaml"
        ));
        assert!(glob_matches(
            "deploy/**/*.yaml",
            "/home/u/p/deploy/a/b/c.yaml"
        ));
        assert!(glob_matches("deploy/**/*.yaml", "deploy/c.yaml"));
        assert!(!glob_matches("deploy/*.yaml", "deploy/a/c.yaml"));
        assert!(glob_matches("spec?.yml", "spec1.yml"));
    }
}
