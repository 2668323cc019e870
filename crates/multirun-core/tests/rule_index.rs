//! `docs/rules/README.md` is the rule index, generated from the registry. A test keeps it in
//! sync; `MULTIRUN_UPDATE_GENERATED=1` rewrites it.

use multirun_core::rules;

fn index() -> String {
    let mut text = String::from(
        "# Rules\n\n<!-- Generated from the rule registry by crates/multirun-core/tests/rule_index.rs; do not edit. -->\n\n\
         Every diagnostic has a permanent code. `multirun explain CODE` prints the page. Warnings can be silenced per spec with `lint.allow`; errors cannot.\n\n\
         | Code | Name | Severity | What it checks |\n|---|---|---|---|\n",
    );
    for rule in rules::all() {
        text.push_str(&format!(
            "| [{}]({}) | `{}` | {} | {} |\n",
            rule.code,
            rule.doc_file_name(),
            rule.name,
            rule.severity.as_str(),
            rule.summary.replace('|', "\\|")
        ));
    }
    text
}

#[test]
fn rule_index_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules/README.md");
    let fresh = index();
    if std::env::var_os("MULTIRUN_UPDATE_GENERATED").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(current == fresh, "docs/rules/README.md is stale: run `MULTIRUN_UPDATE_GENERATED=1 cargo test -p multirun-core --test rule_index`");
}
