//! Base-protocol framing over stdio (`Content-Length` headers, JSON bodies). The reader keeps
//! going after a body that is not a valid JSON-RPC message (the main loop answers it with a
//! JSON-RPC error), which `lsp-server`'s own stdio transport does not: it stops at the first.

use std::io::{BufRead, Write};
use std::sync::mpsc::{Receiver, Sender};

use lsp_server::Message;

/// What the reader passes to the main loop.
pub enum Incoming {
    Message(Message),
    /// A framed body that is not a JSON-RPC message: the parse error, and the request id if
    /// the body was JSON with an `id`.
    Malformed {
        error: String,
        id: Option<serde_json::Value>,
        is_json: bool,
    },
    /// End of input, or framing that cannot be recovered from.
    Closed(Option<String>),
}

/// Reads one framed body; `Ok(None)` at a clean end of input.
fn read_frame(input: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        let (name, value) = header.split_once(':').ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("malformed header {header:?}"),
            )
        })?;
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<usize>().map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("bad Content-Length: {e}"),
                )
            })?);
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn classify(body: &[u8]) -> Incoming {
    match serde_json::from_slice::<Message>(body) {
        Ok(message) => Incoming::Message(message),
        Err(error) => match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value) => Incoming::Malformed {
                error: format!("not a JSON-RPC message: {error}"),
                id: value
                    .get("id")
                    .cloned()
                    .filter(|id| id.is_number() || id.is_string()),
                is_json: true,
            },
            Err(error) => Incoming::Malformed {
                error: format!("invalid JSON: {error}"),
                id: None,
                is_json: false,
            },
        },
    }
}

/// Reads messages from `input` until it ends, sending each to the main loop.
pub fn read_loop(mut input: impl BufRead, to_main: Sender<Incoming>) {
    loop {
        let incoming = match read_frame(&mut input) {
            Ok(Some(body)) => classify(&body),
            Ok(None) => Incoming::Closed(None),
            Err(e) => Incoming::Closed(Some(e.to_string())),
        };
        let closed = matches!(incoming, Incoming::Closed(_));
        let is_exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if to_main.send(incoming).is_err() || closed || is_exit {
            return;
        }
    }
}

/// Writes each JSON body the main loop sends, framed, until the channel closes.
pub fn write_loop(mut output: impl Write, from_main: Receiver<String>) {
    for body in from_main {
        let framed = write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| output.flush());
        if framed.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_frames_and_survives_a_bad_body() {
        let input = b"Content-Length: 5\r\n\r\n{bad}Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}";
        let (send, receive) = std::sync::mpsc::channel();
        read_loop(&input[..], send);
        let got: Vec<Incoming> = receive.into_iter().collect();
        assert!(matches!(
            &got[0],
            Incoming::Malformed { is_json: false, .. }
        ));
        assert!(
            matches!(&got[1], Incoming::Message(Message::Notification(n)) if n.method == "initialized")
        );
        assert!(matches!(&got[2], Incoming::Closed(None)));
    }
}
