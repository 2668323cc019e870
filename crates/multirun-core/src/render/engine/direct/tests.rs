//! The direct renderer against the handlebars crate, construct by construct.

use handlebars::Handlebars;
use serde_json::{json, Value};

use super::compile::Compiler;
use crate::render::engine::context::TemplateContext;
use crate::render::engine::data::Arena;
use crate::render::engine::templates::registry as engine_registry;

/// The engine's registry with one template, `t`.
fn registry(source: &str) -> Handlebars<'static> {
    engine_registry([("t", source)]).unwrap()
}

/// Renders `source` both ways; `None` from the direct side means it declined.
fn both(source: &str, data: &Value) -> (Option<String>, Result<String, String>) {
    let registry = registry(source);
    let arena = Arena::new();
    let context = TemplateContext::new(&arena, data);
    let direct = Compiler::new(&registry)
        .compile(&[registry.get_template("t").unwrap()])
        .and_then(|program| program.render(&context).ok());
    let reference = registry.render("t", data).map_err(|e| e.to_string());
    (direct, reference)
}

#[track_caller]
fn same(source: &str, data: Value) -> String {
    let (direct, reference) = both(source, &data);
    let reference = reference.expect("the reference renders");
    assert_eq!(direct.as_deref(), Some(reference.as_str()), "{source}");
    reference
}

fn data() -> Value {
    json!({
        "name": "app", "n": 0, "x": 1.5, "yes": true, "no": false, "none": null, "empty": "", "list": [],
        "regions": [{"name": "a", "env": [{"k": "K1", "v": "1"}]}, {"name": "b", "env": []}, {"name": "c", "env": [{"k": "K2", "v": "x y"}]}],
        "labels": {"team": "web", "tier": "1"},
        "nested": {"deep": {"value": "v"}, "items": [1, 2]},
    })
}

#[test]
fn values_write_as_handlebars_writes_them() {
    let out = same("{{name}}|{{n}}|{{x}}|{{yes}}|{{none}}|{{empty}}|{{nested.items}}|{{nested}}|{{nested.deep.value}}|{{{name}}}", data());
    assert_eq!(out, "app|0|1.5|true|||[1, 2]|[object]|v|app");
    same("{{nested.items.1}} {{regions.2.name}}", data());
}

#[test]
fn loops_and_locals_match() {
    same("{{#each regions}}{{#unless @first}}, {{/unless}}{{@index}}:{{name}}{{#if @last}}.{{/if}}{{/each}}", data());
    same("{{#each regions}}{{#each env}}{{../name}}/{{../../name}}/{{k}}={{v}}@{{@index}}{{@../index}} {{/each}}{{/each}}", data());
    same(
        "{{#each labels}}{{@key}}={{this}} first={{@first}} last={{@last}};{{/each}}",
        data(),
    );
    same("{{#each list}}x{{else}}none{{/each}}|{{#each none}}x{{else}}null{{/each}}|{{#each list}}x{{/each}}", data());
    same("{{#each nested.items}}{{this}}{{sh this}}{{/each}}", data());
}

#[test]
fn conditions_match() {
    same("{{#if name}}a{{else}}b{{/if}}{{#if n}}c{{else}}d{{/if}}{{#if x}}e{{/if}}{{#if empty}}f{{else}}g{{/if}}{{#if list}}h{{else}}i{{/if}}", data());
    same("{{#unless no}}a{{/unless}}{{#unless yes}}b{{else}}c{{/unless}}{{#if none}}d{{else}}e{{/if}}{{#if labels}}f{{/if}}", data());
    same(
        r#"{{#if (eq name "app")}}a{{/if}}{{#if (ne name "app")}}b{{else}}c{{/if}}{{eq n 0}} {{len regions}} {{len labels}} {{len name}}"#,
        data(),
    );
}

#[test]
fn helpers_and_whitespace_control_match() {
    same(
        "{{sh name}} {{hcl nested.deep.value}} {{yaml empty}} {{json nested}} {{json_pretty labels}} {{xml name}} {{mermaid name}} {{cloudbuild name}}",
        data(),
    );
    same("a\n{{#each regions}}\n  - {{name}}\n{{/each}}\nb {{~ name ~}} c\n{{! comment }}\n{{!-- long --}}\nd", data());
}

#[test]
fn cases_outside_the_subset_are_left_to_handlebars() {
    let declined = |source: &str| {
        let (direct, _) = both(source, &data());
        assert_eq!(direct, None, "{source}");
    };
    // Missing values: strict mode's error is Handlebars' to word.
    declined("{{missing}}");
    declined("{{sh nested.nothing}}");
    declined("{{#if missing}}x{{/if}}");
    declined("{{#each missing}}x{{/each}}");
    declined("{{@index}}");
    declined("{{../name}}");
    // Constructs the subset doesn't have.
    declined("{{> partial}}");
    declined("{{#with nested}}{{deep.value}}{{/with}}");
    declined("{{#each regions as |r|}}{{r.name}}{{/each}}");
    declined("{{@root.name}}");
    declined("{{lookup regions 0}}");
    declined("{{#if yes}}a{{else if no}}b{{/if}}");
    declined("{{#if n includeZero=true}}a{{/if}}");
    declined("{{#each name}}x{{/each}}");
    declined("{{sh}}");
    declined("{{len}}");
    declined("{{this}}");
}

#[test]
fn a_declined_render_reports_handlebars_error() {
    let (_, reference) = both("{{missing}}", &data());
    assert!(reference.unwrap_err().contains("missing"));
}

#[test]
fn the_model_entries_resolve_through_the_context() {
    let registry =
        registry("{{deploy.file}} {{name}} {{#each regions}}{{../deploy.file}}{{/each}}");
    let arena = Arena::new();
    let context = TemplateContext::new(&arena, &json!({"name": "m", "regions": [1, 2]}))
        .with("deploy", &json!({"file": "f"}));
    let program = Compiler::new(&registry)
        .compile(&[registry.get_template("t").unwrap()])
        .unwrap();
    assert_eq!(program.render(&context).unwrap(), "f m ff");
    assert_eq!(registry.render("t", &context.to_json()).unwrap(), "f m ff");
}

/// The compiler walks the handlebars crate's parsed template tree (`handlebars::template`),
/// which is not a stable API, so crates/multirun-core/Cargo.toml pins the minor version it was
/// written for. After the pin is raised, this fails (rather than every template quietly falling
/// back to the slower crate) if the tree changed shape for any construct the compiler knows.
#[test]
fn the_pinned_handlebars_tree_is_the_one_the_compiler_knows() {
    let every_construct = concat!(
        "{{! comment }}{{!-- long --}}text {{name}} {{{name}}} {{nested.deep.value}}\n",
        "{{#each regions}}{{@index}}{{@first}}{{@last}}{{name}}{{../name}}",
        "{{#each env}}{{@index}}{{k}}={{../../name}}{{/each}}{{/each}}\n",
        "{{#each labels}}{{@key}}:{{this}}{{/each}}\n",
        "{{#if (eq name \"app\")}}a{{else}}b{{/if}}{{#unless (ne n 0)}}c{{/unless}}\n",
        "{{sh name}}{{hcl name}}{{yaml name}}{{json nested}}{{len regions}}\n",
        "  {{~ name ~}}  \n",
    );
    let (direct, reference) = both(every_construct, &data());
    let reference = reference.expect("the handlebars crate renders it");
    assert_eq!(
        direct.as_deref(),
        Some(reference.as_str()),
        "the handlebars crate's template tree no longer compiles as render/engine/direct/compile.rs \
         expects: update the compiler for the new tree, or keep the pin in \
         crates/multirun-core/Cargo.toml"
    );
}

/// A path step looks first where it found its field the last time: fields that sit elsewhere,
/// item after item and render after render, are still found, and a missing one still declines.
#[test]
fn fields_are_found_wherever_they_sit() {
    let source = "{{#each items}}{{v}}.{{w.v}};{{/each}}{{top}}";
    let registry = registry(source);
    let program = Compiler::new(&registry)
        .compile(&[registry.get_template("t").unwrap()])
        .unwrap();
    let first = json!({"top": "T", "items": [
        {"a": 1, "v": "1", "w": {"v": "x"}},
        {"v": "2", "w": {"b": 0, "c": 0, "v": "y"}, "a": 2},
        {"b": 0, "c": 0, "w": {"v": "z"}, "v": "3"},
    ]});
    let second = json!({"items": [{"w": {"v": "q"}, "v": "4"}], "a": 0, "top": "U"});
    for data in [&first, &second, &first] {
        let direct = program
            .render(&TemplateContext::new(&Arena::new(), data))
            .ok();
        assert_eq!(direct, registry.render("t", data).ok());
    }
    let missing = json!({"top": "T", "items": [{"v": "1", "w": {"v": "x"}}, {"w": {"v": "y"}}]});
    assert!(program
        .render(&TemplateContext::new(&Arena::new(), &missing))
        .is_err());
}
