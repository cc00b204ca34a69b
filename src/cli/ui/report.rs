//! The reporter: the one way ferry writes to the terminal. Results go to stdout (text or
//! one JSON document), human messages to stderr, and every byte passes through the
//! redaction helper so a password can never slip out.

use std::cell::Cell;
use std::io::{IsTerminal, Write};

use console::Style;

use crate::cli::args::Format;
use crate::cli::config::Output;
use crate::conn::redact::{redact, redact_showing};

#[derive(Debug, Clone)]
pub(crate) struct Reporter {
    output: Output,
    password: Option<String>,
    /// Other secrets masked like the password (an encrypted client key's `sslpassword`).
    others: Vec<String>,
    /// Names printed on purpose (user, database, hosts): the password's text inside them
    /// stays (see [`redact_showing`]).
    shown: Vec<String>,
    /// stdout holds one JSON document at most: a command that printed its own (validate,
    /// status --fail-on-pending) is not followed by an error document.
    documented: Cell<bool>,
    /// JSON lines were printed (a fleet's, one per target): a document after them is one
    /// line too, so that stdout stays one JSON value per line.
    streamed: Cell<bool>,
}

impl Reporter {
    pub(crate) fn new(output: Output, password: Option<&str>) -> Self {
        Reporter {
            output,
            password: password.map(str::to_string),
            others: Vec::new(),
            shown: Vec::new(),
            documented: Cell::new(false),
            streamed: Cell::new(false),
        }
    }

    /// Masks `secret` too, wherever it appears.
    pub(crate) fn hiding(mut self, secret: Option<&str>) -> Self {
        self.others.extend(secret.map(str::to_string));
        self
    }

    pub(crate) fn json(&self) -> bool {
        self.output.format == Format::Json
    }

    pub(crate) fn verbose(&self) -> bool {
        self.output.verbose > 0
    }

    /// Whether a progress bar may be drawn: a terminal, and nobody asked for quiet.
    pub(crate) fn interactive(&self) -> bool {
        !self.output.quiet && !self.json() && std::io::stderr().is_terminal()
    }

    /// Keeps the password's text inside these names (see [`redact_showing`]).
    pub(crate) fn showing(mut self, names: Vec<&str>) -> Self {
        self.shown = names.into_iter().map(str::to_string).collect();
        self
    }

    pub(crate) fn clean(&self, text: &str) -> String {
        self.scrub(text, self.password.as_deref())
    }

    /// `text` with `password` and the other secrets masked, the shown names kept.
    fn scrub(&self, text: &str, password: Option<&str>) -> String {
        let shown: Vec<&str> = self.shown.iter().map(String::as_str).collect();
        let text = redact_showing(text, password, &shown);
        self.others.iter().fold(text, |text, secret| {
            redact_showing(&text, Some(secret), &shown)
        })
    }

    /// A human message on stderr; silent with --quiet.
    pub(crate) fn info(&self, message: &str) {
        if !self.output.quiet {
            eprintln!("{}", self.clean(message));
        }
    }

    /// Only with -v.
    pub(crate) fn detail(&self, message: &str) {
        if self.verbose() && !self.output.quiet {
            eprintln!("{}", self.clean(message));
        }
    }

    pub(crate) fn warn(&self, message: &str) {
        if !self.output.quiet {
            eprintln!(
                "{} {}",
                self.paint(&Style::new().yellow().bold(), "warning:"),
                self.clean(message)
            );
        }
    }

    pub(crate) fn error(&self, message: &str) {
        eprintln!(
            "{} {}",
            self.paint(&Style::new().red().bold(), "error:"),
            self.clean(message)
        );
    }

    /// A text result line on stdout.
    pub(crate) fn result(&self, line: &str) {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`ferry status | head`) is not worth an error.
        let _ = writeln!(out, "{}", self.clean(line));
    }

    /// A text result line ferry composed itself from the connection settings and the
    /// names the server reported (`status`'s header): a URL's password field and
    /// `password=` values are masked, but not the password's text elsewhere, so a user or
    /// database named like the password (`rekko:rekko`) reads as it is. Anything holding
    /// text from elsewhere (a server's message) goes through [`result`](Self::result).
    pub(crate) fn built(&self, line: &str) {
        if self.json() {
            self.streamed.set(true);
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", redact(line, None));
    }

    /// The one JSON document on stdout.
    pub(crate) fn document(&self, value: &serde_json::Value) {
        self.write_document(value, self.password.as_deref());
    }

    /// [`document`](Self::document) for a document ferry composed itself, as
    /// [`built`](Self::built).
    pub(crate) fn document_built(&self, value: &serde_json::Value) {
        self.write_document(value, None);
    }

    fn write_document(&self, value: &serde_json::Value, password: Option<&str>) {
        if self.documented.replace(true) {
            return;
        }
        let text = if self.streamed.get() {
            serde_json::to_string(value)
        } else {
            serde_json::to_string_pretty(value)
        }
        .unwrap_or_else(|_| "null".to_string());
        let text = self.scrub(&text, password);
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
    }

    pub(crate) fn paint(&self, style: &Style, text: &str) -> String {
        if self.output.color {
            style.apply_to(text).force_styling(true).to_string()
        } else {
            text.to_string()
        }
    }
}

/// A SARIF 2.1.0 document, the format code-scanning UIs read: ferry as the tool, its
/// `rules`, and the `results` found (`lint`, `trace`, `drift`).
pub(crate) fn sarif(
    rules: Vec<serde_json::Value>,
    results: Vec<serde_json::Value>,
) -> serde_json::Value {
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ferry",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
