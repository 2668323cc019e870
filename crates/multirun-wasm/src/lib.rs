//! The WebAssembly boundary of multirun: the same validation and rendering as the CLI, for the
//! browser playground in `web/`. Only glue lives here; every result is built by
//! `multirun-core` (the JSON documents by `multirun_core::documents`), so the playground and
//! `multirun validate --format json` / `multirun render` agree byte for byte.
//!
//! Findings are data, never errors: `JsError` is thrown only when a call cannot run at all
//! (bad options).

use multirun_core::documents::{self, ValidateDocument};
use multirun_core::render::{self, RenderOptions, TARGETS};
use multirun_core::{Checked, Diagnostic, PositionEncoding};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Positions in `span`, `column` and `endColumn`: UTF-8 bytes and Unicode scalar values
 * (the CLI's, the default), or UTF-16 code units (what browser editors count). */
export type PositionEncoding = "utf-8" | "utf-16";
export interface ValidateOptions { positionEncoding?: PositionEncoding }
/** `targets`: the targets to render (all when absent or empty), plus the targets their files
 * read unless `exactTargets` (then exactly those named). */
export interface RenderOptions { positionEncoding?: PositionEncoding; targets?: string[]; exactTargets?: boolean }
export interface Diagnostic {
  code: string; name: string; severity: "error" | "warning" | "info"; message: string;
  file: string; path: string; line: number; column: number; endLine: number; endColumn: number;
  span: { start: number; end: number }; help?: string; suggestion?: string; url: string;
  related?: { message: string; path: string; line: number; column: number; endLine: number; endColumn: number; span: { start: number; end: number } }[];
}
/** Exactly `multirun validate --format json` (schemas/validate-output.schema.json). */
export interface ValidateOutput {
  version: 1;
  files: { file: string; diagnostics: Diagnostic[] }[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}
/** `target`: the target that produced the file (a name from `targets()`). */
export interface RenderedFile { path: string; contents: string; target: string }
/** A target, as `multirun render --list-templates` names and describes it. */
export interface TargetInfo { name: string; description: string }
/** `files` are exactly what `multirun render` writes; empty when `error` is set. */
export interface RenderOutput { validation: ValidateOutput; files: RenderedFile[]; error: string | null }
export interface RuleInfo { code: string; name: string; severity: "error" | "warning" | "info"; summary: string; url: string }
export interface RegionInfo { name: string; location: string; continent: string; tier: number; lowCo2: boolean }
export interface RegionCatalog { checked: string; source: string; note: string; regions: RegionInfo[] }
"#;

#[wasm_bindgen(start)]
fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    pub position_encoding: PositionEncoding,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub exact_targets: bool,
}

/// A generated file, with the target that produced it.
#[derive(Debug, Serialize)]
pub struct TaggedFile {
    pub path: String,
    pub contents: String,
    pub target: &'static str,
}

/// A target, as `multirun render --list-templates` names and describes it.
#[derive(Debug, Serialize)]
pub struct TargetInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// What `render` returns: the validation, and the files when the spec could be rendered.
#[derive(Debug, Serialize)]
pub struct RenderDocument<'a> {
    pub validation: ValidateDocument<'a>,
    pub files: Vec<TaggedFile>,
    pub error: Option<String>,
}

/// Checks one file: its diagnostics with positions counted in `encoding`, and the outcome.
fn check(source: &str, encoding: PositionEncoding, file: &str) -> (Vec<Diagnostic>, Checked) {
    let checked = multirun_core::check(source, file);
    (checked.diagnostics_in(source, encoding), checked)
}

fn validate_document<'a>(file: &'a str, diagnostics: &'a [Diagnostic]) -> ValidateDocument<'a> {
    ValidateDocument::new([(file, diagnostics)])
}

/// Checks, and renders when the spec has no error; hands the document to `emit`.
fn with_render_document<T>(
    source: &str,
    file: &str,
    options: &Options,
    emit: impl FnOnce(&RenderDocument) -> T,
) -> T {
    let (diagnostics, checked) = check(source, options.position_encoding, file);
    let rendered = checked
        .renderable(file)
        .map_err(|refusal| refusal.to_string())
        .and_then(|spec| {
            let options = RenderOptions {
                targets: options.targets.clone(),
                exact_targets: options.exact_targets,
                ..RenderOptions::default()
            };
            render::render_tagged(spec, &options).map_err(|e| e.to_string())
        });
    let (files, error) = match rendered {
        Ok(files) => (
            files
                .into_iter()
                .map(|(target, file)| TaggedFile {
                    path: file.path,
                    contents: file.contents,
                    target: target.name,
                })
                .collect(),
            None,
        ),
        Err(error) => (Vec::new(), Some(error)),
    };
    emit(&RenderDocument {
        validation: validate_document(file, &diagnostics),
        files,
        error,
    })
}

fn options(value: JsValue) -> Result<Options, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("invalid options: {e}")))
}

fn to_js(value: &impl Serialize) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("JSON values convert to JS")
}

/// The multirun version, as `multirun --version` prints it (without the name).
#[wasm_bindgen]
pub fn version() -> String {
    multirun_core::VERSION.to_string()
}

/// `multirun validate --format json` for one file.
#[wasm_bindgen(unchecked_return_type = "ValidateOutput")]
pub fn validate(
    source: &str,
    #[wasm_bindgen(js_name = fileName)] file_name: &str,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] options_value: JsValue,
) -> Result<JsValue, JsError> {
    let options = options(options_value)?;
    let (diagnostics, _) = check(source, options.position_encoding, file_name);
    Ok(to_js(&validate_document(file_name, &diagnostics)))
}

/// Checks and, when there is no error, renders: `files` are what `multirun render` writes.
#[wasm_bindgen(unchecked_return_type = "RenderOutput")]
pub fn render(
    source: &str,
    #[wasm_bindgen(js_name = fileName)] file_name: &str,
    #[wasm_bindgen(unchecked_param_type = "RenderOptions | undefined")] options_value: JsValue,
) -> Result<JsValue, JsError> {
    let options = options(options_value)?;
    Ok(with_render_document(source, file_name, &options, |d| {
        to_js(d)
    }))
}

/// A rule's documentation page (Markdown, as `multirun explain` prints it), by code or name;
/// `undefined` for an unknown rule.
#[wasm_bindgen]
pub fn explain(rule: &str) -> Option<String> {
    multirun_core::rules::find(rule).map(|r| r.doc.to_string())
}

/// `multirun rules --format json`.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> JsValue {
    to_js(&documents::rules_document())
}

/// The render targets, in the order `multirun render --list-templates` lists them.
#[wasm_bindgen(unchecked_return_type = "TargetInfo[]")]
pub fn targets() -> JsValue {
    let targets: Vec<TargetInfo> = TARGETS
        .iter()
        .map(|t| TargetInfo {
            name: t.name,
            description: t.description,
        })
        .collect();
    to_js(&targets)
}

/// `multirun regions --format json`.
#[wasm_bindgen(unchecked_return_type = "RegionCatalog")]
pub fn regions() -> JsValue {
    to_js(&documents::regions_document())
}

/// The spec's JSON Schema text, exactly as `multirun schema` prints it.
#[wasm_bindgen]
pub fn schema() -> String {
    multirun_core::SCHEMA_JSON.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn render_json(source: &str, file: &str) -> Value {
        with_render_document(source, file, &Options::default(), |d| {
            serde_json::to_value(d).unwrap()
        })
    }

    #[test]
    fn utf8_document_is_the_cli_shape_and_utf16_moves_only_positions() {
        let source = "# é😀\nversion: 2\n";
        let validate = |encoding| {
            let (diagnostics, _) = check(source, encoding, "spec.yaml");
            serde_json::to_value(validate_document("spec.yaml", &diagnostics)).unwrap()
        };
        let (utf8, utf16) = (
            validate(PositionEncoding::Utf8),
            validate(PositionEncoding::Utf16),
        );
        assert_eq!(utf8["version"], 1);
        assert_eq!(utf8["files"][0]["file"], "spec.yaml");
        let (a, b) = (
            utf8["files"][0]["diagnostics"].as_array().unwrap(),
            utf16["files"][0]["diagnostics"].as_array().unwrap(),
        );
        assert!(!a.is_empty());
        for (a, b) in a.iter().zip(b) {
            assert_eq!(a["code"], b["code"]);
            assert_eq!(a["line"], b["line"]);
            let start = a["span"]["start"].as_u64().unwrap() as usize;
            assert_eq!(
                b["span"]["start"].as_u64().unwrap() as usize,
                PositionEncoding::Utf16.offset(source, start)
            );
        }
    }

    #[test]
    fn files_carry_their_target_and_exact_targets_render_only_those() {
        let source = include_str!("../../../examples/weighted.yaml");
        let render = |options: &Options| {
            with_render_document(source, "w.yaml", options, |d| {
                serde_json::to_value(d).unwrap()
            })
        };
        let all = render(&Options::default());
        let files = all["files"].as_array().unwrap();
        assert!(files.iter().any(|f| f["target"] == "diagram"));
        assert!(files.iter().all(|f| f["target"].is_string()));
        let terraform = render(&Options {
            targets: vec!["terraform".into()],
            exact_targets: true,
            ..Options::default()
        });
        let files = terraform["files"].as_array().unwrap();
        assert!(!files.is_empty());
        assert!(files.iter().all(|f| f["target"] == "terraform"));
    }

    #[test]
    fn render_reports_errors_as_data() {
        let out = render_json("version: 1\n", "x.yaml");
        assert_eq!(out["files"], serde_json::json!([]));
        assert_eq!(out["error"], "x.yaml has errors; nothing was rendered");
        assert!(out["validation"]["summary"]["errors"].as_u64().unwrap() > 0);
    }
}
