//! `multirun server`: a Language Server Protocol server over stdio. Diagnostics on open and
//! change, hover, completion, quick fixes and "fix all", and the document outline, all from
//! `multirun_core` (its `editor` module); this module is only the protocol. Messages are
//! `lsp-server`'s types, handled on one thread: a check takes about a millisecond, so there is
//! nothing to gain from an async runtime, and changes that arrive faster than they are checked
//! are coalesced (only the latest text of a document is checked).

mod convert;
mod handlers;
mod settings;
mod transport;

use std::collections::{HashMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use multirun_core::{Diagnostic, PositionEncoding};

use self::convert::Text;
use self::settings::Settings;
use self::transport::Incoming;

/// Runs the server on stdin/stdout until the client says `exit` (or closes the input).
/// Returns the process exit code: 0 after `shutdown` then `exit`, 1 otherwise (as the
/// protocol asks).
pub fn run() -> i32 {
    let (to_main, from_reader) = mpsc::channel();
    let (to_writer, from_main) = mpsc::channel::<String>();
    // The reader blocks on stdin; it is not joined, since `exit` may come before EOF.
    std::thread::spawn(move || transport::read_loop(std::io::stdin().lock(), to_main));
    let writer =
        std::thread::spawn(move || transport::write_loop(std::io::stdout().lock(), from_main));
    let code = Server::new(to_writer).serve(&from_reader);
    // The server (and with it the writer's channel) is gone: the writer flushes and ends.
    let _ = writer.join();
    code
}

/// An open document.
struct Document {
    uri: lsp::Uri,
    text: String,
    version: i32,
    /// The findings for `text`, spans in bytes.
    diagnostics: Vec<Diagnostic>,
    /// Whether diagnostics were published for it (so clearing them is needed when it stops
    /// being a spec).
    published: bool,
}

#[derive(PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShuttingDown,
}

pub(crate) struct Server {
    out: Sender<String>,
    state: State,
    encoding: PositionEncoding,
    settings: Settings,
    /// Whether the client answers `workspace/configuration`.
    client_configuration: bool,
    pending_configuration: Option<RequestId>,
    next_id: i32,
    docs: HashMap<String, Document>,
    /// Messages read ahead while looking for newer changes of a document.
    queue: VecDeque<Incoming>,
}

/// A handler's failure: a JSON-RPC error code and message.
pub(crate) type Failure = (ErrorCode, String);

impl Server {
    fn new(out: Sender<String>) -> Self {
        Server {
            out,
            state: State::Uninitialized,
            encoding: PositionEncoding::Utf16,
            settings: Settings::default(),
            client_configuration: false,
            pending_configuration: None,
            next_id: 0,
            docs: HashMap::new(),
            queue: VecDeque::new(),
        }
    }

    fn send(&self, message: Message) {
        if let Ok(body) = serde_json::to_string(&message) {
            let _ = self.out.send(body);
        }
    }

    fn reply_error(&self, id: RequestId, (code, message): Failure) {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message,
        )));
    }

    fn serve(&mut self, input: &Receiver<Incoming>) -> i32 {
        loop {
            let incoming = match self.queue.pop_front() {
                Some(incoming) => incoming,
                None => match input.recv() {
                    Ok(incoming) => incoming,
                    Err(_) => return 1,
                },
            };
            match incoming {
                Incoming::Closed(error) => {
                    if let Some(error) = error {
                        eprintln!("multirun server: input closed: {error}");
                    }
                    return i32::from(self.state != State::ShuttingDown);
                }
                Incoming::Malformed { error, id, is_json } => {
                    // JSON-RPC: a parse error or an invalid request, with the request's id
                    // when it could be read (else null).
                    let code = if is_json {
                        ErrorCode::InvalidRequest
                    } else {
                        ErrorCode::ParseError
                    };
                    let body = serde_json::json!({
                        "jsonrpc": "2.0",
                        "id": id.unwrap_or(serde_json::Value::Null),
                        "error": { "code": code as i32, "message": error },
                    });
                    let _ = self.out.send(body.to_string());
                }
                Incoming::Message(Message::Request(request)) => self.on_request(request),
                Incoming::Message(Message::Notification(notification)) => {
                    if notification.method == "exit" {
                        return i32::from(self.state != State::ShuttingDown);
                    }
                    self.on_notification(notification, input);
                }
                Incoming::Message(Message::Response(response)) => self.on_response(response),
            }
        }
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        match (&self.state, request.method.as_str()) {
            (State::Uninitialized, "initialize") => {
                match serde_json::from_value::<lsp::InitializeParams>(request.params) {
                    Ok(params) => {
                        let result = self.initialize(&params);
                        self.state = State::Running;
                        self.send(Message::Response(Response::new_ok(id, result)));
                    }
                    Err(e) => self.reply_error(id, (ErrorCode::InvalidParams, e.to_string())),
                }
            }
            (State::Uninitialized, _) => self.reply_error(
                id,
                (ErrorCode::ServerNotInitialized, "initialize first".into()),
            ),
            (State::ShuttingDown, _) => self.reply_error(
                id,
                (
                    ErrorCode::InvalidRequest,
                    "the server is shutting down".into(),
                ),
            ),
            (State::Running, "initialize") => self.reply_error(
                id,
                (ErrorCode::InvalidRequest, "already initialized".into()),
            ),
            (State::Running, "shutdown") => {
                self.state = State::ShuttingDown;
                self.send(Message::Response(Response::new_ok(id, ())));
            }
            (State::Running, method) => {
                // One request's panic is that request's error; the server keeps serving.
                let method = method.to_string();
                let outcome =
                    catch_unwind(AssertUnwindSafe(|| self.handle(&method, request.params)));
                match outcome {
                    Ok(Ok(result)) => self.send(Message::Response(Response {
                        id,
                        response_result: Ok(result),
                    })),
                    Ok(Err(failure)) => self.reply_error(id, failure),
                    Err(panic) => {
                        let detail = panic
                            .downcast_ref::<&str>()
                            .map(ToString::to_string)
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        self.reply_error(
                            id,
                            (
                                ErrorCode::InternalError,
                                format!("multirun failed on {method}: {detail} (a bug; please report it)"),
                            ),
                        );
                    }
                }
            }
        }
    }

    fn initialize(&mut self, params: &lsp::InitializeParams) -> serde_json::Value {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        // UTF-8 when the client can take it (no conversion); UTF-16 otherwise, which every
        // client supports.
        let (encoding, kind) = if offered.contains(&lsp::PositionEncodingKind::UTF8) {
            (PositionEncoding::Utf8, lsp::PositionEncodingKind::UTF8)
        } else {
            (PositionEncoding::Utf16, lsp::PositionEncodingKind::UTF16)
        };
        self.encoding = encoding;
        self.client_configuration = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        if let Some(options) = &params.initialization_options {
            self.settings = Settings::from_value(options);
        }
        let result = lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                    lsp::TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(lsp::TextDocumentSyncKind::FULL),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                completion_provider: Some(lsp::CompletionOptions::default()),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    lsp::CodeActionOptions {
                        code_action_kinds: Some(vec![
                            lsp::CodeActionKind::QUICKFIX,
                            handlers::FIX_ALL_KIND,
                        ]),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo {
                name: "multirun".into(),
                version: Some(multirun_core::VERSION.into()),
            }),
        };
        serde_json::to_value(result).unwrap_or_default()
    }

    fn on_notification(&mut self, notification: Notification, input: &Receiver<Incoming>) {
        if self.state == State::Uninitialized {
            return;
        }
        let params = notification.params;
        match notification.method.as_str() {
            "initialized" => self.request_configuration(),
            "workspace/didChangeConfiguration" => {
                if self.client_configuration {
                    self.request_configuration();
                } else if let Some(settings) = params.get("settings") {
                    self.settings = Settings::from_value(settings);
                    self.publish_all();
                }
            }
            "textDocument/didOpen" => {
                let Ok(params) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(params)
                else {
                    return;
                };
                let doc = params.text_document;
                let key = doc.uri.as_str().to_string();
                self.docs.insert(
                    key.clone(),
                    Document {
                        uri: doc.uri,
                        text: doc.text,
                        version: doc.version,
                        diagnostics: Vec::new(),
                        published: false,
                    },
                );
                self.publish(&key);
            }
            "textDocument/didChange" => {
                let Ok(params) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let key = params.text_document.uri.as_str().to_string();
                let encoding = self.encoding;
                let Some(doc) = self.docs.get_mut(&key) else {
                    return;
                };
                for change in params.content_changes {
                    match change.range {
                        Some(range) => {
                            let text = Text::new(&doc.text, encoding);
                            let (start, end) = (text.offset(range.start), text.offset(range.end));
                            doc.text.replace_range(start..end.max(start), &change.text);
                        }
                        None => doc.text = change.text,
                    }
                }
                doc.version = params.text_document.version;
                if !self.newer_change_pending(&key, input) {
                    self.publish(&key);
                }
            }
            "textDocument/didClose" => {
                let Ok(params) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(params)
                else {
                    return;
                };
                if let Some(doc) = self.docs.remove(params.text_document.uri.as_str()) {
                    if doc.published {
                        self.send_diagnostics(doc.uri, Vec::new(), None);
                    }
                }
            }
            _ => {}
        }
    }

    /// Reads ahead what has already arrived; true if it holds a later change (or the close)
    /// of document `key`, whose diagnostics then supersede these.
    fn newer_change_pending(&mut self, key: &str, input: &Receiver<Incoming>) -> bool {
        while let Ok(incoming) = input.try_recv() {
            self.queue.push_back(incoming);
        }
        self.queue.iter().any(|incoming| match incoming {
            Incoming::Message(Message::Notification(n))
                if n.method == "textDocument/didChange" || n.method == "textDocument/didClose" =>
            {
                n.params
                    .get("textDocument")
                    .and_then(|d| d.get("uri"))
                    .and_then(serde_json::Value::as_str)
                    == Some(key)
            }
            _ => false,
        })
    }

    fn request_configuration(&mut self) {
        if !self.client_configuration {
            return;
        }
        self.next_id += 1;
        let id = RequestId::from(format!("multirun-configuration-{}", self.next_id));
        self.pending_configuration = Some(id.clone());
        let params = lsp::ConfigurationParams {
            items: vec![lsp::ConfigurationItem {
                scope_uri: None,
                section: Some("multirun".into()),
            }],
        };
        self.send(Message::Request(Request::new(
            id,
            "workspace/configuration".into(),
            params,
        )));
    }

    fn on_response(&mut self, response: Response) {
        if self.pending_configuration.as_ref() != Some(&response.id) {
            return;
        }
        self.pending_configuration = None;
        let first = response
            .response_result
            .as_ref()
            .ok()
            .and_then(|r| r.get(0))
            .cloned()
            .unwrap_or_default();
        let settings = Settings::from_value(&first);
        if settings != self.settings {
            self.settings = settings;
            self.publish_all();
        }
    }

    fn publish_all(&mut self) {
        let mut keys: Vec<String> = self.docs.keys().cloned().collect();
        keys.sort();
        for key in keys {
            self.publish(&key);
        }
    }

    /// Checks document `key` and publishes its diagnostics (none for a file that is not a
    /// spec, clearing any published before).
    fn publish(&mut self, key: &str) {
        let is_spec = self.settings.is_spec(key);
        let deny_warnings = self.settings.deny_warnings;
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(key) else {
            return;
        };
        if !is_spec {
            doc.diagnostics.clear();
            if std::mem::take(&mut doc.published) {
                let (uri, version) = (doc.uri.clone(), doc.version);
                self.send_diagnostics(uri, Vec::new(), Some(version));
            }
            return;
        }
        let checked = catch_unwind(AssertUnwindSafe(|| multirun_core::check(&doc.text, key)))
            .unwrap_or_else(|_| multirun_core::Checked::internal_error(key, "the check panicked"));
        doc.diagnostics = checked.diagnostics;
        doc.published = true;
        let text = Text::new(&doc.text, encoding);
        let diagnostics = doc
            .diagnostics
            .iter()
            .map(|d| convert::diagnostic(&text, &doc.uri, d, deny_warnings))
            .collect();
        let (uri, version) = (doc.uri.clone(), doc.version);
        self.send_diagnostics(uri, diagnostics, Some(version));
    }

    fn send_diagnostics(
        &self,
        uri: lsp::Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        )));
    }
}
