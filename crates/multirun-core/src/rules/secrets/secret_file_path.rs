use crate::gcp::secrets;
use crate::rules::{Context, Report};

rule! {
    code: "MR426",
    name: "secret-file-path",
    severity: Error,
    summary: "A secret file's path is absolute, in a directory other than `/`, with no `:` and no empty segment.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for entry in super::entries(cx.spec) {
        if !entry.file || secrets::split_file_path(entry.key).is_some() {
            continue;
        }
        let path = entry.key;
        let problem = if !path.starts_with('/') {
            "is not absolute"
        } else if path.contains(':') {
            "contains `:`"
        } else if path.contains("//") || path.ends_with('/') {
            "has an empty segment"
        } else {
            "is directly in `/`, which Cloud Run would have to mount over"
        };
        report
            .at_key(&RULE, entry.pointer.clone(), format!("secret file path `{path}` {problem}"))
            .help("write the file's absolute path in its own directory, such as `/secrets/api-key`: Cloud Run mounts the directory (`/secrets`) and puts the file in it");
    }
}
