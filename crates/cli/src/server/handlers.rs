//! Request handlers: hover, completion, code actions, document symbols. Each reads the
//! document's current text and findings and returns the LSP result as JSON.

use lsp_server::ErrorCode;
use lsp_types as lsp;
use multirun_core::editor;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::convert::{self, Text};
use super::{Document, Failure, Server};

/// The "fix all" code action's kind (`source.fixAll`, as ESLint's and ruff's servers name theirs).
pub const FIX_ALL_KIND: lsp::CodeActionKind = lsp::CodeActionKind::new("source.fixAll.multirun");

fn params<P: DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_json(value: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

impl Server {
    pub(super) fn handle(&mut self, method: &str, raw: Value) -> Result<Value, Failure> {
        // Debug builds only: lets the tests prove that a panic in a request is contained.
        #[cfg(debug_assertions)]
        if std::env::var_os("MULTIRUN_DEBUG_PANIC_ON").is_some_and(|m| m == method) {
            panic!("forced by MULTIRUN_DEBUG_PANIC_ON");
        }
        match method {
            "textDocument/hover" => {
                let p: lsp::HoverParams = params(raw)?;
                let at = p.text_document_position_params;
                to_json(self.spec(&at.text_document.uri).and_then(|doc| {
                    let text = Text::new(&doc.text, self.encoding);
                    let offset = text.offset(at.position);
                    let hover = editor::hover_at(&doc.text, offset, &doc.diagnostics)?;
                    Some(lsp::Hover {
                        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                            kind: lsp::MarkupKind::Markdown,
                            value: hover.markdown,
                        }),
                        range: Some(text.range(hover.span)),
                    })
                }))
            }
            "textDocument/completion" => {
                let p: lsp::CompletionParams = params(raw)?;
                let at = p.text_document_position;
                to_json(self.spec(&at.text_document.uri).map(|doc| {
                    let text = Text::new(&doc.text, self.encoding);
                    let offset = text.offset(at.position);
                    let items: Vec<lsp::CompletionItem> = editor::completions(&doc.text, offset)
                        .into_iter()
                        .map(|c| convert::completion(&text, c))
                        .collect();
                    lsp::CompletionResponse::Array(items)
                }))
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = params(raw)?;
                to_json(self.code_actions(&p))
            }
            "textDocument/documentSymbol" => {
                let p: lsp::DocumentSymbolParams = params(raw)?;
                to_json(self.spec(&p.text_document.uri).map(|doc| {
                    let text = Text::new(&doc.text, self.encoding);
                    let symbols: Vec<lsp::DocumentSymbol> = editor::outline(&doc.text)
                        .iter()
                        .map(|s| convert::symbol(&text, s))
                        .collect();
                    lsp::DocumentSymbolResponse::Nested(symbols)
                }))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method {method}"),
            )),
        }
    }

    /// The open document at `uri`, if it is a spec.
    fn spec(&self, uri: &lsp::Uri) -> Option<&Document> {
        self.docs
            .get(uri.as_str())
            .filter(|_| self.settings.is_spec(uri.as_str()))
    }

    /// A quick fix for each finding with a suggestion in the range, and "fix all" for the file.
    fn code_actions(&self, p: &lsp::CodeActionParams) -> Option<Vec<lsp::CodeActionOrCommand>> {
        let doc = self.spec(&p.text_document.uri)?;
        let text = Text::new(&doc.text, self.encoding);
        let wanted = |kind: &lsp::CodeActionKind| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let (start, end) = (text.offset(p.range.start), text.offset(p.range.end));
        let edit = |edits: Vec<lsp::TextEdit>| lsp::WorkspaceEdit {
            changes: Some([(doc.uri.clone(), edits)].into_iter().collect()),
            ..Default::default()
        };
        let mut actions = Vec::new();
        if wanted(&lsp::CodeActionKind::QUICKFIX) {
            for d in &doc.diagnostics {
                let touches = d.span.start <= end && start <= d.span.end;
                let Some(fix) = editor::edit_for(&doc.text, d).filter(|_| touches) else {
                    continue;
                };
                let before = &doc.text[fix.span.start..fix.span.end];
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: format!(
                        "Fix {}: replace `{before}` with `{}`",
                        d.code, fix.replacement
                    ),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![convert::diagnostic(
                        &text,
                        &doc.uri,
                        d,
                        self.settings.deny_warnings,
                    )]),
                    edit: Some(edit(vec![lsp::TextEdit::new(
                        text.range(fix.span),
                        fix.replacement,
                    )])),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
        }
        let fixable = doc.diagnostics.iter().any(|d| d.suggestion.is_some());
        if fixable && wanted(&FIX_ALL_KIND) {
            if let Ok(outcome) = editor::fix_all(&doc.text, doc.uri.as_str()) {
                if !outcome.applied.is_empty() {
                    let whole = multirun_core::ByteSpan::new(0, doc.text.len());
                    actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                        title: format!(
                            "Fix all multirun findings with a fix ({})",
                            outcome.applied.len()
                        ),
                        kind: Some(FIX_ALL_KIND),
                        edit: Some(edit(vec![lsp::TextEdit::new(
                            text.range(whole),
                            outcome.source,
                        )])),
                        ..Default::default()
                    }));
                }
            }
        }
        Some(actions)
    }
}
