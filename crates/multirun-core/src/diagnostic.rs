//! The one diagnostic shape shared by the CLI's outputs, the JSON contract and the wasm API.

use serde::{Deserialize, Serialize};

use crate::registry::{RuleMeta, Severity};
use crate::text::{ByteSpan, LineIndex, PositionEncoding};

/// One finding. Positions are stored as a byte span and exposed 1-based (line, and column
/// counted in Unicode scalar values) so every output format agrees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    /// JSON Pointer (RFC 6901) into the spec, `""` for the whole document.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub span: ByteSpan,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// A replacement for the text under `span` that fixes the finding, when one is certain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    pub url: String,
    /// Other places the finding involves (the first entry of a duplicated region, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// A second place a diagnostic points at, with what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Related {
    pub message: String,
    /// JSON Pointer into the spec.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub span: ByteSpan,
}

impl Related {
    pub(crate) fn new(message: String, path: String, span: ByteSpan, index: &LineIndex) -> Self {
        let (line, column) = index.line_col(span.start);
        let (end_line, end_column) = index.line_col(span.end);
        Related {
            message,
            path,
            line,
            column,
            end_line,
            end_column,
            span,
        }
    }
}

impl Diagnostic {
    pub(crate) fn new(
        meta: &RuleMeta,
        message: String,
        path: String,
        span: ByteSpan,
        index: &LineIndex,
    ) -> Self {
        let (line, column) = index.line_col(span.start);
        let (end_line, end_column) = index.line_col(span.end);
        Diagnostic {
            code: meta.code.to_string(),
            name: meta.name.to_string(),
            severity: meta.severity,
            message,
            file: String::new(),
            path,
            line,
            column,
            end_line,
            end_column,
            span,
            help: None,
            suggestion: None,
            url: meta.url(),
            related: Vec::new(),
        }
    }

    /// This diagnostic with its span and columns counted in `encoding` (lines don't change).
    /// `source` is the text it was found in.
    pub fn encoded(mut self, source: &str, encoding: PositionEncoding) -> Self {
        if encoding != PositionEncoding::Utf8 {
            let (start, end) = (self.span.start, self.span.end);
            self.span = ByteSpan::new(encoding.offset(source, start), encoding.offset(source, end));
            self.column = encoding.column(source, start);
            self.end_column = encoding.column(source, end);
            for related in &mut self.related {
                let (start, end) = (related.span.start, related.span.end);
                related.span =
                    ByteSpan::new(encoding.offset(source, start), encoding.offset(source, end));
                related.column = encoding.column(source, start);
                related.end_column = encoding.column(source, end);
            }
        }
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn suggest(&mut self, replacement: impl Into<String>) -> &mut Self {
        self.suggestion = Some(replacement.into());
        self
    }
}

/// Orders diagnostics by position, then code, then message, so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            &b.code,
            &b.message,
        ))
    });
}
