//! The core's results as LSP types: ranges in the negotiated encoding, diagnostics, symbols,
//! completion items.

use lsp_types as lsp;
use multirun_core::editor::{self, Completion, CompletionKind, Symbol, SymbolKind};
use multirun_core::{ByteSpan, Diagnostic, PositionEncoding, Severity};

/// A document's text with what converting positions needs: the start of each line, so that a
/// position costs one line's length, not the document's.
pub struct Text<'a> {
    pub source: &'a str,
    pub encoding: PositionEncoding,
    line_starts: Vec<usize>,
}

impl<'a> Text<'a> {
    pub fn new(source: &'a str, encoding: PositionEncoding) -> Self {
        let mut line_starts = vec![0];
        // `match_indices` searches with the standard library's optimized code, so even a
        // debug build indexes a 50 MB document quickly.
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Text {
            source,
            encoding,
            line_starts,
        }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        // Positions within the line; `position_of` floors an offset inside a character.
        let (_, character) = editor::position_of(
            &self.source[start..],
            offset.min(self.source.len()) - start,
            self.encoding,
        );
        lsp::Position::new(line as u32, character as u32)
    }

    pub fn range(&self, span: ByteSpan) -> lsp::Range {
        lsp::Range::new(self.position(span.start), self.position(span.end))
    }

    pub fn offset(&self, position: lsp::Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return self.source.len();
        };
        start
            + editor::offset_at(
                &self.source[start..],
                0,
                position.character as usize,
                self.encoding,
            )
    }
}

fn severity(severity: Severity, deny_warnings: bool) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning if deny_warnings => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// A core diagnostic (byte spans) as an LSP diagnostic. The help follows the message, as
/// `validate`'s human output prints it under the finding.
pub fn diagnostic(
    text: &Text,
    uri: &lsp::Uri,
    d: &Diagnostic,
    deny_warnings: bool,
) -> lsp::Diagnostic {
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), text.range(r.span)),
            message: r.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: text.range(d.span),
        severity: Some(severity(d.severity, deny_warnings)),
        code: Some(lsp::NumberOrString::String(d.code.clone())),
        code_description: d.url.parse().ok().map(|href| lsp::CodeDescription { href }),
        source: Some("multirun".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written, as `None`.
pub fn symbol(text: &Text, symbol: &Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: symbol.name.clone(),
        detail: symbol.detail.clone(),
        kind: match symbol.kind {
            SymbolKind::Service => lsp::SymbolKind::CLASS,
            SymbolKind::Regions => lsp::SymbolKind::ARRAY,
            SymbolKind::Region => lsp::SymbolKind::OBJECT,
            SymbolKind::LoadBalancer => lsp::SymbolKind::INTERFACE,
        },
        tags: None,
        deprecated: None,
        range: text.range(symbol.span),
        selection_range: text.range(symbol.selection),
        children: (!symbol.children.is_empty()).then(|| {
            symbol
                .children
                .iter()
                .map(|c| self::symbol(text, c))
                .collect()
        }),
    }
}

pub fn completion(text: &Text, c: Completion) -> lsp::CompletionItem {
    lsp::CompletionItem {
        kind: Some(match c.kind {
            CompletionKind::Key => lsp::CompletionItemKind::PROPERTY,
            CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
            CompletionKind::Region => lsp::CompletionItemKind::VALUE,
        }),
        detail: c.detail,
        documentation: c.documentation.map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            })
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            text.range(c.replace),
            c.insert_text,
        ))),
        label: c.label,
        ..Default::default()
    }
}
