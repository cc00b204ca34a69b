//! Just enough of the PostgreSQL wire protocol (v3) to count round trips: message framing
//! in both directions, nothing decoded beyond a message's type.
//!
//! A round trip is a *flight* of client messages that the client sent only after the
//! server had answered something: messages pipelined without waiting for an answer are
//! one flight, one round trip. A flight holding nothing but `Terminate` is not counted —
//! nobody waits for its answer. Flights before the first `ReadyForQuery` are the
//! connection start-up (and authentication); the ones after it are what a command costs
//! "after connecting". Once the server agrees to TLS or GSS encryption the bytes are
//! opaque: flights are still counted, message types are not.

use std::collections::BTreeMap;

const SSL_REQUEST: u32 = 80_877_103;
const GSSENC_REQUEST: u32 = 80_877_104;
const CANCEL_REQUEST: u32 = 80_877_102;

/// A client message, by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frontend {
    Startup,
    SslRequest,
    GssEncRequest,
    CancelRequest,
    /// A typed message: `Q` simple query, `P` parse, `B` bind, `E` execute, `S` sync,
    /// `X` terminate, …
    Typed(u8),
}

/// Splits the client's byte stream into messages. Start-up messages have no type byte;
/// everything after the `StartupMessage` does.
#[derive(Debug, Default)]
pub struct FrontendFramer {
    typed: bool,
    header: Vec<u8>,
    skip: usize,
}

impl FrontendFramer {
    /// Feeds bytes as they arrive; each message is reported once its header is complete.
    pub fn feed(&mut self, mut data: &[u8], out: &mut Vec<Frontend>) {
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            let need = if self.typed { 5 } else { 8 };
            let take = (need - self.header.len()).min(data.len());
            self.header.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.header.len() < need {
                break;
            }
            let h = &self.header;
            let message = if self.typed {
                let len = u32::from_be_bytes([h[1], h[2], h[3], h[4]]) as usize;
                self.skip = len.saturating_sub(4);
                Frontend::Typed(h[0])
            } else {
                let len = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
                let code = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
                self.skip = len.saturating_sub(8);
                match code {
                    SSL_REQUEST => Frontend::SslRequest,
                    GSSENC_REQUEST => Frontend::GssEncRequest,
                    CANCEL_REQUEST => Frontend::CancelRequest,
                    _ => {
                        self.typed = true;
                        Frontend::Startup
                    }
                }
            };
            self.header.clear();
            out.push(message);
        }
    }
}

/// A server message, by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The one-byte answer to an encryption request: `S`/`G` yes, `N` no.
    Answer(u8),
    /// `Z` ready for query, `C` command complete, `D` data row, `E` error, …
    Typed(u8),
}

/// Splits the server's byte stream into messages.
#[derive(Debug, Default)]
pub struct BackendFramer {
    /// One-byte answers still owed to encryption requests, which come before any typed
    /// message.
    answers: usize,
    header: Vec<u8>,
    skip: usize,
}

impl BackendFramer {
    pub fn feed(&mut self, mut data: &[u8], out: &mut Vec<Backend>) {
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            if self.answers > 0 && self.header.is_empty() {
                self.answers -= 1;
                out.push(Backend::Answer(data[0]));
                data = &data[1..];
                continue;
            }
            let take = (5 - self.header.len()).min(data.len());
            self.header.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.header.len() < 5 {
                break;
            }
            let h = &self.header;
            self.skip = (u32::from_be_bytes([h[1], h[2], h[3], h[4]]) as usize).saturating_sub(4);
            out.push(Backend::Typed(h[0]));
            self.header.clear();
        }
    }
}

/// The accounting of one proxied connection.
#[derive(Debug)]
pub struct Conversation {
    front: FrontendFramer,
    back: BackendFramer,
    /// Encryption was agreed: the rest is opaque.
    pub encrypted: bool,
    /// The first ReadyForQuery has been seen: start-up is over.
    pub ready: bool,
    server_spoke: bool,
    flight_open: bool,
    /// Every round trip, start-up included.
    pub round_trips: u64,
    /// Round trips after the first ReadyForQuery: what the command itself cost.
    pub round_trips_after_ready: u64,
    /// Client messages after start-up, by type byte.
    pub messages_after_ready: BTreeMap<char, u64>,
    pub bytes_up: u64,
    pub bytes_down: u64,
    scratch_front: Vec<Frontend>,
    scratch_back: Vec<Backend>,
}

impl Default for Conversation {
    fn default() -> Self {
        Conversation {
            front: FrontendFramer::default(),
            back: BackendFramer::default(),
            encrypted: false,
            ready: false,
            // The very first client bytes open a flight.
            server_spoke: true,
            flight_open: false,
            round_trips: 0,
            round_trips_after_ready: 0,
            messages_after_ready: BTreeMap::new(),
            bytes_up: 0,
            bytes_down: 0,
            scratch_front: Vec::new(),
            scratch_back: Vec::new(),
        }
    }
}

impl Conversation {
    /// Bytes the client sent, in the order the proxy received them.
    pub fn client(&mut self, data: &[u8]) {
        self.bytes_up += data.len() as u64;
        if self.server_spoke {
            self.server_spoke = false;
            self.flight_open = true;
        }
        if self.encrypted {
            if self.flight_open {
                self.count();
            }
            return;
        }
        let mut messages = std::mem::take(&mut self.scratch_front);
        messages.clear();
        self.front.feed(data, &mut messages);
        for &message in &messages {
            if self.flight_open && message != Frontend::Typed(b'X') {
                self.count();
            }
            match message {
                Frontend::SslRequest | Frontend::GssEncRequest => self.back.answers += 1,
                Frontend::Typed(t) if self.ready => {
                    *self.messages_after_ready.entry(char::from(t)).or_default() += 1;
                }
                _ => {}
            }
        }
        self.scratch_front = messages;
    }

    /// Bytes the server sent.
    pub fn server(&mut self, data: &[u8]) {
        self.bytes_down += data.len() as u64;
        self.server_spoke = true;
        if self.encrypted {
            return;
        }
        let mut messages = std::mem::take(&mut self.scratch_back);
        messages.clear();
        self.back.feed(data, &mut messages);
        for &message in &messages {
            match message {
                Backend::Answer(b'S' | b'G') => {
                    self.encrypted = true;
                    break;
                }
                Backend::Typed(b'Z') => self.ready = true,
                _ => {}
            }
        }
        self.scratch_back = messages;
    }

    fn count(&mut self) {
        self.flight_open = false;
        self.round_trips += 1;
        if self.ready {
            self.round_trips_after_ready += 1;
        }
    }

    /// `Q:3 X:1`: client messages after start-up.
    pub fn messages_summary(&self) -> String {
        let parts: Vec<String> = self
            .messages_after_ready
            .iter()
            .map(|(t, n)| format!("{t}:{n}"))
            .collect();
        if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join(",")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(t: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![t];
        m.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        m.extend_from_slice(body);
        m
    }

    fn untyped(code: u32, body: &[u8]) -> Vec<u8> {
        let mut m = (body.len() as u32 + 8).to_be_bytes().to_vec();
        m.extend_from_slice(&code.to_be_bytes());
        m.extend_from_slice(body);
        m
    }

    fn startup() -> Vec<u8> {
        untyped(196_608, b"user\0postgres\0\0")
    }

    /// Start-up with an SSL request refused, authentication ok, ready.
    fn connected() -> Conversation {
        let mut c = Conversation::default();
        c.client(&untyped(SSL_REQUEST, b""));
        c.server(b"N");
        c.client(&startup());
        let mut answer = typed(b'R', &0u32.to_be_bytes());
        answer.extend(typed(b'S', b"server_version\x0015\0"));
        answer.extend(typed(b'Z', b"I"));
        c.server(&answer);
        c
    }

    #[test]
    fn start_up_is_not_counted_after_ready() {
        let c = connected();
        assert!(c.ready && !c.encrypted);
        assert_eq!((c.round_trips, c.round_trips_after_ready), (2, 0));
    }

    #[test]
    fn each_awaited_query_is_a_round_trip_and_terminate_is_free() {
        let mut c = connected();
        for _ in 0..2 {
            c.client(&typed(b'Q', b"SELECT 1\0"));
            c.server(&[typed(b'C', b"SELECT 1\0"), typed(b'Z', b"I")].concat());
        }
        c.client(&typed(b'X', b""));
        assert_eq!(c.round_trips_after_ready, 2);
        assert_eq!(c.messages_summary(), "Q:2,X:1");
    }

    #[test]
    fn pipelined_messages_are_one_round_trip() {
        let mut c = connected();
        // Parse/Describe/Sync then Bind/Execute/Sync sent without waiting: one flight, even
        // split across reads at awkward places.
        let flight = [
            typed(b'P', b"\0SELECT $1\0\0\0"),
            typed(b'S', b""),
            typed(b'B', b"\0\0\0\0\0\0\0\0"),
            typed(b'E', b"\0\0\0\0\0"),
            typed(b'S', b""),
        ]
        .concat();
        for chunk in flight.chunks(3) {
            c.client(chunk);
        }
        c.server(&typed(b'Z', b"I"));
        assert_eq!(c.round_trips_after_ready, 1);
        assert_eq!(c.messages_summary(), "B:1,E:1,P:1,S:2");
    }

    #[test]
    fn encryption_makes_the_rest_opaque() {
        let mut c = Conversation::default();
        c.client(&untyped(SSL_REQUEST, b""));
        c.server(b"S");
        c.client(b"\x16\x03\x01 tls hello");
        c.server(b"\x16\x03\x03 tls answer");
        c.client(b"more");
        assert!(c.encrypted && !c.ready);
        assert_eq!(c.round_trips, 3);
    }

    #[test]
    fn server_messages_split_across_reads_are_framed() {
        let mut framer = BackendFramer::default();
        let stream = [typed(b'D', b"row data"), typed(b'Z', b"I")].concat();
        let mut out = Vec::new();
        for byte in &stream {
            framer.feed(std::slice::from_ref(byte), &mut out);
        }
        assert_eq!(out, [Backend::Typed(b'D'), Backend::Typed(b'Z')]);
    }
}
