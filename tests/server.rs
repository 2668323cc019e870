//! `multirun server` at the protocol level: the lifecycle, every feature, and what a client
//! must never be able to do to it (malformed JSON-RPC, unknown methods, a 50 MB document,
//! 1,000 changes at once, a panic inside a request).

#[path = "../bench/lsp_client.rs"]
mod lsp_client;

use lsp_client::Client;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_multirun");
const URI: &str = "file:///work/deploy/api.multirun.yaml";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/rules/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn started() -> Client {
    let mut client = Client::spawn(BIN, &[]);
    client.initialize(json!({}), Value::Null);
    client
}

fn codes(diagnostics: &[Value]) -> Vec<(String, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn lifecycle_and_diagnostics_on_open_change_and_close() {
    let mut client = Client::spawn(BIN, &[]);
    let init = client.initialize(json!({}), Value::Null);
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16", "{init}");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1);
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(init["result"]["serverInfo"]["name"], "multirun");

    client.open(URI, &fixture("MR103-weights-sum/invalid.yaml"));
    let diagnostics = client.diagnostics(URI, Some(1));
    assert_eq!(codes(&diagnostics), [("MR103".to_string(), 12)]);
    let d = &diagnostics[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "multirun");
    assert_eq!(
        d["range"],
        json!({"start": {"line": 12, "character": 12}, "end": {"line": 12, "character": 14}})
    );
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("docs/rules/MR103-weights-sum.md"));
    assert!(d["message"].as_str().unwrap().contains("\nhelp: "), "{d}");

    client.change(URI, 2, &fixture("MR103-weights-sum/valid.yaml"));
    assert_eq!(client.diagnostics(URI, Some(2)), Vec::<Value>::new());
    client.change(URI, 3, "version: 1\nregions: [\n");
    assert_eq!(codes(&client.diagnostics(URI, Some(3)))[0].0, "MR001");

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(client.diagnostics(URI, None), Vec::<Value>::new());
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1_and_requests_after_shutdown_fail() {
    let client = started();
    assert_eq!(client.exit_without_shutdown().code(), Some(1));
    let mut client = started();
    assert_eq!(
        client.request("shutdown", Value::Null)["result"],
        Value::Null
    );
    let late = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(late["error"]["code"], -32600, "{late}");
}

#[test]
fn negotiates_utf8_and_counts_utf16_by_default() {
    // "é" and "😀" before the finding: 2 + 2 UTF-16 units, 2 + 4 bytes.
    let spec =
        fixture("MR103-weights-sum/invalid.yaml").replace("version: 1\n", "version: 1\n# é😀\n");
    let spec = spec.replace("    weight: 10", "    weight: 10 # é😀");
    let line = |client: &mut Client| {
        client.open(URI, &spec);
        let d = client.diagnostics(URI, Some(1)).remove(0);
        (
            d["range"]["start"]["line"].as_u64().unwrap(),
            d["range"]["start"]["character"].as_u64().unwrap(),
        )
    };
    let mut utf16 = started();
    assert_eq!(line(&mut utf16), (13, 12));
    let mut utf8 = Client::spawn(BIN, &[]);
    let init = utf8.initialize(
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        Value::Null,
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(line(&mut utf8), (13, 12));
    // Where the encodings differ: a hover on the comment's character after the emoji.
    let unicode = "version: 1\nproject: \"é😀x\"\n";
    utf16.change(URI, 2, unicode);
    utf16.diagnostics(URI, Some(2));
    let hover = utf16.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 13}}),
    );
    assert_eq!(hover["result"]["range"]["end"]["character"], 15, "{hover}");
    utf8.change(URI, 2, unicode);
    utf8.diagnostics(URI, Some(2));
    let hover = utf8.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 13}}),
    );
    assert_eq!(hover["result"]["range"]["end"]["character"], 18, "{hover}");
}

#[test]
fn a_duplicate_region_points_at_both_entries() {
    let mut client = started();
    client.open(URI, &fixture("MR202-duplicate-region/invalid.yaml"));
    let diagnostics = client.diagnostics(URI, Some(1));
    let d = diagnostics.iter().find(|d| d["code"] == "MR202").unwrap();
    assert_eq!(d["range"]["start"]["line"], 9);
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], URI);
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": 7, "character": 10})
    );
    assert!(related["message"].as_str().unwrap().contains("entry 1"));
}

#[test]
fn hover_on_a_key_and_on_a_finding() {
    let mut client = started();
    client.open(URI, &fixture("MR103-weights-sum/invalid.yaml"));
    client.diagnostics(URI, Some(1));
    let hover = |client: &mut Client, line: u32, character: u32| {
        client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}))["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let routing = hover(&mut client, 14, 4);
    assert!(routing.starts_with("**`traffic.routing`**"), "{routing}");
    assert!(
        routing.contains("Default: `nearest`") && routing.contains("- `weighted`"),
        "{routing}"
    );
    let finding = hover(&mut client, 12, 13);
    assert!(
        finding.starts_with("**MR103** `weights-sum` (error)"),
        "{finding}"
    );
    assert!(finding.contains("**`regions[].weight`**"), "{finding}");
}

#[test]
fn completes_keys_enum_values_and_regions() {
    let mut client = started();
    let text = "version: 1\ntraffic:\n  routing: \nregions:\n  - name: eu\n";
    client.open(URI, text);
    client.diagnostics(URI, Some(1));
    let complete = |client: &mut Client, line: u32, character: u32| {
        client.request("textDocument/completion", json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}))["result"]
            .as_array()
            .unwrap()
            .clone()
    };
    let keys = complete(&mut client, 1, 0);
    assert!(
        keys.iter()
            .any(|k| k["label"] == "loadBalancer" && k["kind"] == 10),
        "{keys:?}"
    );
    let values = complete(&mut client, 2, 11);
    let labels: Vec<&str> = values
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["nearest", "weighted"]);
    let regions = complete(&mut client, 4, 12);
    let west1 = regions
        .iter()
        .find(|r| r["label"] == "europe-west1")
        .unwrap();
    assert!(
        west1["detail"]
            .as_str()
            .unwrap()
            .starts_with("tier 1 · low CO₂"),
        "{west1}"
    );
    assert_eq!(
        west1["textEdit"]["range"]["start"],
        json!({"line": 4, "character": 10})
    );
}

#[test]
fn quick_fix_and_fix_all() {
    let mut client = started();
    let spec = fixture("MR103-weights-sum/invalid.yaml").replace("us-central1", "US-Central1");
    client.open(URI, &spec);
    let found = codes(&client.diagnostics(URI, Some(1)));
    assert!(
        found.contains(&("MR201".to_string(), 7)) && found.contains(&("MR103".to_string(), 12)),
        "{found:?}"
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 12, "character": 12}, "end": {"line": 12, "character": 12}}, "context": {"diagnostics": []}}),
    )["result"]
        .as_array()
        .unwrap()
        .clone();
    let quick = &actions[0];
    assert_eq!(quick["kind"], "quickfix");
    assert_eq!(quick["title"], "Fix MR103: replace `10` with `20`");
    assert_eq!(quick["diagnostics"][0]["code"], "MR103");
    assert_eq!(
        quick["edit"]["changes"][URI],
        json!([{"range": {"start": {"line": 12, "character": 12}, "end": {"line": 12, "character": 14}}, "newText": "20"}])
    );
    let all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.multirun")
        .unwrap();
    assert_eq!(all["title"], "Fix all multirun findings with a fix (2)");
    let fixed = all["edit"]["changes"][URI][0]["newText"].as_str().unwrap();
    assert_eq!(
        fixed,
        fixture("MR103-weights-sum/invalid.yaml").replace("weight: 10", "weight: 20")
    );
    // `only` narrows the kinds.
    let only = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let kinds: Vec<&str> = only["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["source.fixAll.multirun"]);
}

#[test]
fn document_symbols() {
    let mut client = started();
    client.open(URI, &fixture("MR103-weights-sum/invalid.yaml"));
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    )["result"]
        .clone();
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["service my-app", "regions", "load balancer"]);
    let regions: Vec<&str> = symbols[1]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(regions, ["us-central1", "europe-west1", "asia-east1"]);
    assert_eq!(symbols[1]["children"][0]["detail"], "weight 50");
}

#[test]
fn only_specs_get_diagnostics_and_settings_add_patterns_and_deny_warnings() {
    let mut client = Client::spawn(BIN, &[]);
    client.initialize(json!({"workspace": {"configuration": true}}), Value::Null);
    let request = client
        .wait_for(|m| m["method"] == "workspace/configuration")
        .expect("the server asks for its settings");
    assert_eq!(request["params"]["items"][0]["section"], "multirun");
    let other = "file:///work/deploy/api.cloudrun.yaml";
    // A warning: an image in gcr.io.
    let spec = fixture("MR103-weights-sum/valid.yaml");
    client.open(other, &spec);
    client.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": [{"denyWarnings": true, "extraSpecPatterns": ["*.cloudrun.yaml"]}]}));
    assert_eq!(client.diagnostics(other, Some(1)), Vec::<Value>::new());
    client.change(
        other,
        2,
        &spec.replace(
            "us-docker.pkg.dev/my-project/apps/my-app:v1.0.0",
            "gcr.io/my-project/my-app:v1",
        ),
    );
    let diagnostics = client.diagnostics(other, Some(2));
    assert!(!diagnostics.is_empty());
    assert!(
        diagnostics.iter().all(|d| d["severity"] == 1),
        "{diagnostics:?}"
    );
    // Not a spec by any pattern: no diagnostics are ever published for it.
    client.open("file:///work/values.yaml", "kubernetes: [\n");
    client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(client
        .take_all(|m| m["params"]["uri"] == "file:///work/values.yaml")
        .is_empty());
}

#[test]
fn malformed_json_rpc_gets_errors_and_the_server_keeps_serving() {
    let mut client = Client::spawn(BIN, &[]);
    // Before `initialize`, requests are refused.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.initialize(json!({}), Value::Null);
    client.send_raw(b"{this is not json");
    let parse_error = client.wait_for(|m| m["error"]["code"] == -32700).unwrap();
    assert_eq!(parse_error["id"], Value::Null);
    client.send_raw(br#"{"jsonrpc":"2.0","id":77,"method":5}"#);
    let invalid = client.response(&json!(77));
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    let bad_params = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");
    let unknown = client.request("workspace/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    client.notify("$/unknownNotification", json!({}));
    client.notify("textDocument/didChange", json!({"nonsense": true}));
    client.open(URI, &fixture("MR103-weights-sum/invalid.yaml"));
    assert_eq!(codes(&client.diagnostics(URI, Some(1))).len(), 1);
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_panic_in_a_request_is_an_error_response() {
    let mut client = Client::spawn(BIN, &[("MULTIRUN_DEBUG_PANIC_ON", "textDocument/hover")]);
    client.initialize(json!({}), Value::Null);
    client.open(URI, &fixture("MR103-weights-sum/invalid.yaml"));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover["error"]["code"], -32603, "{hover}");
    assert!(hover["error"]["message"]
        .as_str()
        .unwrap()
        .contains("forced by MULTIRUN_DEBUG_PANIC_ON"));
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(symbols["result"].as_array().unwrap().len(), 3);
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_50_mb_document_is_refused_with_a_diagnostic() {
    let mut client = started();
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    let huge = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    assert!(huge.len() >= 50 * 1024 * 1024);
    client.open(URI, &huge);
    let diagnostics = client.diagnostics(URI, Some(1));
    assert_eq!(codes(&diagnostics), [("MR008".to_string(), 0)]);
    // Every feature still answers, quickly, on the huge text.
    let start = std::time::Instant::now();
    for method in ["textDocument/hover", "textDocument/completion"] {
        let response = client.request(
            method,
            json!({"textDocument": {"uri": URI}, "position": {"line": 400000, "character": 3}}),
        );
        assert!(response.get("error").is_none(), "{response}");
    }
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(symbols["result"], json!([]));
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    client.change(URI, 2, &fixture("MR103-weights-sum/valid.yaml"));
    assert_eq!(client.diagnostics(URI, Some(2)), Vec::<Value>::new());
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_thousand_rapid_changes_end_with_the_last_texts_diagnostics() {
    let mut client = started();
    let valid = fixture("MR103-weights-sum/valid.yaml");
    client.open(URI, &valid);
    client.diagnostics(URI, Some(1));
    for version in 2..=1001 {
        // Every other version is wrong; the last one (1001) is.
        let text = if version % 2 == 0 {
            valid.clone()
        } else {
            valid.replace("weight: 10", &format!("weight: {}", version % 7))
        };
        client.change(URI, version, &text);
    }
    let last = client.diagnostics(URI, Some(1001));
    assert_eq!(codes(&last), [("MR103".to_string(), 12)]);
    let published = client.take_all(|m| m["method"] == "textDocument/publishDiagnostics");
    // Intermediate versions may have been skipped (coalesced), never reordered after the last.
    assert!(published.len() <= 1000);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(symbols["result"].as_array().unwrap().len(), 3);
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}
