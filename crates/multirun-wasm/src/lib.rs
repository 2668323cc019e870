//! The WebAssembly boundary of multirun: the same validation and rendering as the CLI, for the
//! browser playground in `web/`. Only glue lives here; every result is built by
//! `multirun-core` (the JSON documents by `multirun_core::json_output`), so the playground and
//! `multirun validate --format json` / `multirun render` agree byte for byte.
//!
//! Findings are data, never errors: `JsError` is thrown only when a call cannot run at all
//! (bad options).

use multirun_core::json_output;
use multirun_core::render::{self, RenderOptions};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Positions in `span`, `column` and `endColumn`: UTF-8 bytes and Unicode scalar values
 * (the CLI's, the default), or UTF-16 code units (what browser editors count). */
export type PositionEncoding = "utf-8" | "utf-16";
export interface ValidateOptions { positionEncoding?: PositionEncoding }
export interface RenderOptions { positionEncoding?: PositionEncoding; targets?: string[] }
export interface Diagnostic {
  code: string; name: string; severity: "error" | "warning" | "info"; message: string;
  file: string; path: string; line: number; column: number; endLine: number; endColumn: number;
  span: { start: number; end: number }; help?: string; suggestion?: string; url: string;
}
/** Exactly `multirun validate --format json` (schemas/validate-output.schema.json). */
export interface ValidateOutput {
  version: 1;
  files: { file: string; diagnostics: Diagnostic[] }[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}
export interface RenderedFile { path: string; contents: string }
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

/// Where diagnostics' positions are counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum PositionEncoding {
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-16")]
    Utf16,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    pub position_encoding: PositionEncoding,
    #[serde(default)]
    pub targets: Vec<String>,
}

/// The validate document for one file, positions in `encoding`.
pub fn validate_value(source: &str, file: &str, encoding: PositionEncoding) -> Value {
    let checked = multirun_core::check(source, file);
    validation(source, file, &checked, encoding)
}

fn validation(
    source: &str,
    file: &str,
    checked: &multirun_core::Checked,
    encoding: PositionEncoding,
) -> Value {
    let mut document = json_output::validate_document([(file, checked.diagnostics.as_slice())]);
    if encoding == PositionEncoding::Utf16 {
        for d in document["files"][0]["diagnostics"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            to_utf16(source, d);
        }
    }
    document
}

/// `{validation, files, error}`: the spec is checked once, and rendered when it has no error.
pub fn render_value(source: &str, file: &str, options: &Options) -> Value {
    let checked = multirun_core::check(source, file);
    let validation = validation(source, file, &checked, options.position_encoding);
    let (files, error) = match checked.spec.as_ref().filter(|_| !checked.has_errors()) {
        None => (
            Vec::new(),
            Some(format!("{file} has errors; nothing was rendered")),
        ),
        Some(spec) => match render::render(
            spec,
            &RenderOptions {
                targets: options.targets.clone(),
                ..RenderOptions::default()
            },
        ) {
            Ok(files) => (files, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        },
    };
    json!({"validation": validation, "files": files, "error": error})
}

/// Rewrites a serialized diagnostic's byte span and scalar-value columns as UTF-16 offsets
/// and columns.
fn to_utf16(source: &str, diagnostic: &mut Value) {
    let start = diagnostic["span"]["start"].as_u64().unwrap_or(0) as usize;
    let end = diagnostic["span"]["end"].as_u64().unwrap_or(0) as usize;
    diagnostic["span"]["start"] = utf16_offset(source, start).into();
    diagnostic["span"]["end"] = utf16_offset(source, end).into();
    diagnostic["column"] = utf16_column(source, start).into();
    diagnostic["endColumn"] = utf16_column(source, end).into();
}

fn floor_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// UTF-16 code units before byte `offset`.
pub fn utf16_offset(source: &str, offset: usize) -> usize {
    source[..floor_boundary(source, offset)]
        .encode_utf16()
        .count()
}

/// 1-based UTF-16 column of byte `offset`.
pub fn utf16_column(source: &str, offset: usize) -> usize {
    let offset = floor_boundary(source, offset);
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    source[line_start..offset].encode_utf16().count() + 1
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
    Ok(to_js(&validate_value(
        source,
        file_name,
        options.position_encoding,
    )))
}

/// Checks and, when there is no error, renders: `files` are what `multirun render` writes.
#[wasm_bindgen(unchecked_return_type = "RenderOutput")]
pub fn render(
    source: &str,
    #[wasm_bindgen(js_name = fileName)] file_name: &str,
    #[wasm_bindgen(unchecked_param_type = "RenderOptions | undefined")] options_value: JsValue,
) -> Result<JsValue, JsError> {
    let options = options(options_value)?;
    Ok(to_js(&render_value(source, file_name, &options)))
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
    to_js(&json_output::rules_document())
}

/// `multirun regions --format json`.
#[wasm_bindgen(unchecked_return_type = "RegionCatalog")]
pub fn regions() -> JsValue {
    to_js(&json_output::regions_document())
}

/// The spec's JSON Schema text, exactly as `multirun schema` prints it.
#[wasm_bindgen]
pub fn schema() -> String {
    multirun_core::SCHEMA_JSON.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_count_code_units() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
        let source = "a: é😀\nb: x\n";
        assert_eq!(utf16_offset(source, 3), 3);
        assert_eq!(utf16_offset(source, 5), 4);
        assert_eq!(utf16_offset(source, 9), 6);
        assert_eq!(utf16_column(source, 9), 7);
        assert_eq!(utf16_offset(source, 10), 7);
        assert_eq!(utf16_column(source, 10), 1);
        // Inside a character: floors to its start.
        assert_eq!(utf16_offset(source, 6), 4);
    }

    #[test]
    fn utf8_document_is_the_cli_shape_and_utf16_moves_only_positions() {
        let source = "# é😀\nversion: 2\n";
        let utf8 = validate_value(source, "spec.yaml", PositionEncoding::Utf8);
        let utf16 = validate_value(source, "spec.yaml", PositionEncoding::Utf16);
        assert_eq!(utf8["version"], 1);
        assert_eq!(utf8["files"][0]["file"], "spec.yaml");
        let (a, b) = (
            &utf8["files"][0]["diagnostics"],
            &utf16["files"][0]["diagnostics"],
        );
        assert!(!a.as_array().unwrap().is_empty());
        for (a, b) in a.as_array().unwrap().iter().zip(b.as_array().unwrap()) {
            assert_eq!(a["code"], b["code"]);
            assert_eq!(a["line"], b["line"]);
            let start = a["span"]["start"].as_u64().unwrap() as usize;
            assert_eq!(
                b["span"]["start"].as_u64().unwrap() as usize,
                utf16_offset(source, start)
            );
        }
    }

    #[test]
    fn render_reports_errors_as_data() {
        let out = render_value("version: 1\n", "x.yaml", &Options::default());
        assert_eq!(out["files"], json!([]));
        assert!(out["error"].as_str().unwrap().contains("has errors"));
        assert!(out["validation"]["summary"]["errors"].as_u64().unwrap() > 0);
    }
}
