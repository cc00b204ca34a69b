//! One migration file's directives and up/down sections. ferry reads files written for
//! dbmate, goose and sql-migrate as they are, so this module owns the question "which bytes
//! of this file run on up, which on down, and may they run inside a transaction". Getting
//! it wrong runs a down migration right after its up, so it is strict: markers are only
//! recognised where the server would see a comment (never inside a string, dollar quote or
//! block comment, which the shared lexer in `split` decides), anything that looks like a
//! marker but is not a valid one is an error rather than a comment, and the sections must
//! be laid out unambiguously.

use std::fmt;
use std::ops::Range;

use crate::sql::classify::standard_strings_after;
use crate::sql::lexer::{Lexer, Token, TokenKind, BOM};
use crate::sql::split::line_col;

/// The directive ferry suggests when a file needs to run outside a transaction.
pub(crate) const NO_TRANSACTION_DIRECTIVE: &str = "-- ferry:no-transaction";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Byte range of this section's SQL inside the file text (marker lines excluded).
    pub range: Range<usize>,
    /// Run statement by statement outside a transaction.
    pub no_transaction: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sections {
    pub up: Section,
    pub down: Option<Section>,
    /// The down marker of the tool whose markers the file uses, if any: what to add to a
    /// file that has no down section.
    pub down_marker: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkerError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for MarkerError {}

/// A single-file migration (no .up/.down in its name): if it has markers, split into up and
/// down; otherwise the whole file is `up` and `down` is None.
///
/// A file the lexer cannot read to the end (an unterminated string, quoted identifier,
/// dollar quote or block comment) is an error here too: where it ends decides whether a
/// later marker is a marker at all.
pub(crate) fn parse_single(text: &str) -> Result<Sections, MarkerError> {
    let bytes = text.as_bytes();
    let mut scan = Scan::new(text);
    let mut lexer = Lexer::new(bytes);
    // Where the text since the last `;` starts: a `SET standard_conforming_strings` there
    // changes how the strings after it are read, as in `split`.
    let mut since = 0;
    while let Some(tok) = lexer.next() {
        let tok = tok.map_err(|e| {
            let e = e.to_split_error(text);
            MarkerError {
                line: e.line,
                message: format!("{}, column {}", e.message, e.column),
            }
        })?;
        match tok.kind {
            TokenKind::BlockComment => {}
            TokenKind::LineComment if own_line(bytes, tok.start) => scan.comment(tok)?,
            TokenKind::LineComment => {}
            TokenKind::Punct if bytes[tok.start] == b';' => {
                if let Some(on) = standard_strings_after(&text[since..tok.start]) {
                    lexer.backslash_strings = !on;
                }
                since = tok.end;
                scan.sql(tok.start);
            }
            _ => scan.sql(tok.start),
        }
    }
    Ok(scan.finish())
}

/// One half of an up/down pair: the whole file is the section; only directives are read.
pub(crate) fn parse_half(text: &str) -> Section {
    Section {
        range: 0..text.len(),
        no_transaction: leading_no_transaction(text),
    }
}

/// The directive that gives a file its own lock timeout.
pub(crate) const LOCK_TIMEOUT_DIRECTIVE: &str = "ferry:lock-timeout";

/// `-- ferry:lock-timeout 30s` among the comments before the file's first SQL: how long
/// this migration may wait for a lock (`0`: forever), instead of `--ddl-lock-timeout`.
pub(crate) fn lock_timeout(text: &str) -> Result<Option<std::time::Duration>, MarkerError> {
    let Some((line, value)) = leading_directive(text, LOCK_TIMEOUT_DIRECTIVE) else {
        return Ok(None);
    };
    crate::duration::parse_duration(value.trim())
        .map(Some)
        .map_err(|e| MarkerError {
            line,
            message: format!("{e} in `-- {LOCK_TIMEOUT_DIRECTIVE}`"),
        })
}

/// The directive that makes a file a template (see [`super::template`]).
pub(crate) const TEMPLATE_DIRECTIVE: &str = "ferry:template";

/// Whether `-- ferry:template` sits among the comments before the file's first SQL.
pub(crate) fn is_template(text: &str) -> bool {
    leading_directive(text, TEMPLATE_DIRECTIVE).is_some_and(|(_, rest)| rest.trim().is_empty())
}

/// The directive that makes a file a baseline: it stands for every version up to its own
/// (see `ferry squash`). What follows it, when anything, is the checksum of the file it
/// replaced at that version, which a history written before the squash recorded.
pub(crate) const BASELINE_DIRECTIVE: &str = "ferry:baseline";

/// `-- ferry:baseline [CHECKSUM]` among the comments before the file's first SQL: the
/// checksum of the migration the baseline replaced at its version (empty when not given:
/// then any recorded checksum at that version is the baseline's).
pub(crate) fn baseline(text: &str) -> Option<String> {
    let (_, rest) = leading_directive(text, BASELINE_DIRECTIVE)?;
    // `-- ferry:baseline-ish` is another word, not this directive.
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(
        rest.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
    )
}

/// The first `-- <name>…` among the comments before the file's first SQL: its line, and
/// what follows the name.
fn leading_directive<'t>(text: &'t str, name: &str) -> Option<(usize, &'t str)> {
    for tok in Lexer::new(text.as_bytes()) {
        let Ok(tok) = tok else { return None };
        match tok.kind {
            TokenKind::BlockComment => {}
            TokenKind::LineComment => {
                let body = text[tok.start..tok.end].trim_start_matches('-').trim();
                if let Some(rest) = strip_prefix_ci(body, name) {
                    return Some((line_col(text, tok.start).0, rest));
                }
            }
            _ => return None,
        }
    }
    None
}

/// Whether a no-transaction directive sits among the comments before the first SQL.
fn leading_no_transaction(text: &str) -> bool {
    let bytes = text.as_bytes();
    for tok in Lexer::new(bytes) {
        // Only comments can precede the first SQL, and an unterminated block comment
        // leaves nothing after it to inspect.
        let Ok(tok) = tok else { return false };
        match tok.kind {
            TokenKind::BlockComment => {}
            TokenKind::LineComment => {
                if own_line(bytes, tok.start)
                    && matches!(
                        classify(&text[tok.start..tok.end]),
                        Ok(Annotation::NoTransaction | Annotation::GooseNoTransaction)
                    )
                {
                    return true;
                }
            }
            _ => return false,
        }
    }
    false
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Dbmate,
    Goose,
    SqlMigrate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Up,
    Down,
}

impl Family {
    fn marker(self, dir: SectionKind) -> &'static str {
        match (self, dir) {
            (Family::Dbmate, SectionKind::Up) => "-- migrate:up",
            (Family::Dbmate, SectionKind::Down) => "-- migrate:down",
            (Family::Goose, SectionKind::Up) => "-- +goose Up",
            (Family::Goose, SectionKind::Down) => "-- +goose Down",
            (Family::SqlMigrate, SectionKind::Up) => "-- +migrate Up",
            (Family::SqlMigrate, SectionKind::Down) => "-- +migrate Down",
        }
    }

    fn tool(self) -> &'static str {
        match self {
            Family::Dbmate => "dbmate",
            Family::Goose => "goose",
            Family::SqlMigrate => "sql-migrate",
        }
    }
}

/// What one own-line `--` comment says to ferry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Annotation {
    /// An ordinary comment.
    Plain,
    /// `-- ferry:no-transaction` or sqlx's `-- no-transaction`.
    NoTransaction,
    /// goose's `-- +goose NO TRANSACTION`, which goose applies to the whole file.
    GooseNoTransaction,
    Marker {
        family: Family,
        dir: SectionKind,
        no_transaction: bool,
    },
    /// `StatementBegin`/`StatementEnd`: ferry's lexer finds statement ends by itself, so
    /// these only tell which tool the file was written for.
    StatementBoundary(Family),
}

/// Reads one `--` comment. Anything in a tool's marker namespace that is not a valid
/// marker is an error: a mistyped down marker would otherwise leave the down SQL in the
/// up section, to run straight after it.
fn classify(comment: &str) -> Result<Annotation, String> {
    let body = comment.strip_prefix("--").unwrap_or(comment).trim();
    if body.eq_ignore_ascii_case("ferry:no-transaction")
        || body.eq_ignore_ascii_case("no-transaction")
    {
        return Ok(Annotation::NoTransaction);
    }
    if let Some(rest) = strip_prefix_ci(body, "migrate:") {
        // `-- Migrate: users table` is prose; markers have the word right after the colon.
        if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return dbmate(rest);
        }
    }
    if let Some(rest) = strip_tool_prefix(body, "+goose") {
        return goose(rest);
    }
    if let Some(rest) = strip_tool_prefix(body, "+migrate") {
        return sql_migrate(rest);
    }
    Ok(Annotation::Plain)
}

fn dbmate(rest: &str) -> Result<Annotation, String> {
    let mut words = rest.split_whitespace();
    let word = words.next().unwrap_or("");
    let dir = if word.eq_ignore_ascii_case("up") {
        SectionKind::Up
    } else if word.eq_ignore_ascii_case("down") {
        SectionKind::Down
    } else {
        return Err(format!(
            "unknown dbmate marker `-- migrate:{word}`; expected `-- migrate:up` or `-- migrate:down`"
        ));
    };
    let marker = Family::Dbmate.marker(dir);
    let no_transaction = match (words.next(), words.next()) {
        (None, _) => false,
        (Some(opt), None) if opt.eq_ignore_ascii_case("transaction:false") => true,
        // dbmate's default, spelled out.
        (Some(opt), None) if opt.eq_ignore_ascii_case("transaction:true") => false,
        (Some(opt), None) => {
            return Err(format!(
                "unknown option `{opt}` on `{marker}`; the only option is `transaction:false`"
            ))
        }
        (Some(_), Some(_)) => {
            return Err(format!(
                "too many options on `{marker}`; the only option is `transaction:false`"
            ))
        }
    };
    Ok(Annotation::Marker {
        family: Family::Dbmate,
        dir,
        no_transaction,
    })
}

fn goose(rest: &str) -> Result<Annotation, String> {
    let mut words = rest.split_whitespace();
    let annotation = match (words.next(), words.next(), words.next()) {
        (Some(w), None, _) if w.eq_ignore_ascii_case("up") => Some(SectionKind::Up),
        (Some(w), None, _) if w.eq_ignore_ascii_case("down") => Some(SectionKind::Down),
        (Some(w), None, _)
            if w.eq_ignore_ascii_case("statementbegin")
                || w.eq_ignore_ascii_case("statementend") =>
        {
            return Ok(Annotation::StatementBoundary(Family::Goose))
        }
        (Some(a), Some(b), None)
            if a.eq_ignore_ascii_case("no") && b.eq_ignore_ascii_case("transaction") =>
        {
            return Ok(Annotation::GooseNoTransaction)
        }
        _ => None,
    };
    match annotation {
        Some(dir) => Ok(Annotation::Marker {
            family: Family::Goose,
            dir,
            no_transaction: false,
        }),
        None => Err(format!(
            "unknown goose annotation `-- +goose {}`; expected `Up`, `Down`, `StatementBegin`, \
             `StatementEnd` or `NO TRANSACTION`",
            rest.trim()
        )),
    }
}

fn sql_migrate(rest: &str) -> Result<Annotation, String> {
    let mut words = rest.split_whitespace();
    let (first, option, extra) = (words.next(), words.next(), words.next());
    let dir = match first {
        Some(w) if w.eq_ignore_ascii_case("up") => SectionKind::Up,
        Some(w) if w.eq_ignore_ascii_case("down") => SectionKind::Down,
        Some(w)
            if option.is_none()
                && (w.eq_ignore_ascii_case("statementbegin")
                    || w.eq_ignore_ascii_case("statementend")) =>
        {
            return Ok(Annotation::StatementBoundary(Family::SqlMigrate))
        }
        _ => {
            return Err(format!(
                "unknown sql-migrate annotation `-- +migrate {}`; expected `Up`, `Down`, \
                 `StatementBegin` or `StatementEnd`",
                rest.trim()
            ))
        }
    };
    let marker = Family::SqlMigrate.marker(dir);
    let no_transaction = match (option, extra) {
        (None, _) => false,
        (Some(opt), None) if opt.eq_ignore_ascii_case("notransaction") => true,
        (Some(opt), None) => {
            return Err(format!(
                "unknown option `{opt}` on `{marker}`; the only option is `notransaction`"
            ))
        }
        (Some(_), Some(_)) => {
            return Err(format!(
                "too many options on `{marker}`; the only option is `notransaction`"
            ))
        }
    };
    Ok(Annotation::Marker {
        family: Family::SqlMigrate,
        dir,
        no_transaction,
    })
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `+goose Up` but not `+goosey`: the tool name must be a whole word.
fn strip_tool_prefix<'a>(body: &'a str, tool: &str) -> Option<&'a str> {
    let rest = strip_prefix_ci(body, tool)?;
    (rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace())).then_some(rest)
}

/// Whether only horizontal whitespace precedes `pos` on its line.
fn own_line(bytes: &[u8], pos: usize) -> bool {
    let start = line_start(bytes, pos);
    start == 0
        || matches!(bytes[start - 1], b'\n' | b'\r')
        || (start == BOM.len() && bytes.starts_with(BOM))
}

/// Where the run of horizontal whitespace before `pos` begins.
fn line_start(bytes: &[u8], pos: usize) -> usize {
    let mut i = pos;
    while i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | 0x0B | 0x0C) {
        i -= 1;
    }
    i
}

/// The offset just past the line break that ends a comment ending at `end`.
fn after_line_break(bytes: &[u8], end: usize) -> usize {
    match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => end + 2,
        (Some(b'\r' | b'\n'), _) => end + 1,
        _ => end,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// Before any marker: the whole file when it has none.
    Preamble,
    Up,
    Down,
}

#[derive(Debug, Clone, Copy)]
struct MarkerAt {
    line: usize,
    /// Start of the marker's line, where the previous section ends.
    line_start: usize,
    /// Just past the marker's line, where its section begins.
    body_start: usize,
}

/// The state of a `parse_single` pass over one file.
struct Scan<'a> {
    text: &'a str,
    zone: Zone,
    /// Whether the current zone has had SQL yet; directives count only before it.
    zone_has_sql: bool,
    /// The first SQL of the file, if it came before any marker.
    early_sql: Option<usize>,
    /// The tool whose annotations the file uses, and the line that first showed it.
    family: Option<(Family, usize)>,
    up: Option<MarkerAt>,
    down: Option<MarkerAt>,
    both_no_transaction: bool,
    up_no_transaction: bool,
    down_no_transaction: bool,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan {
            text,
            zone: Zone::Preamble,
            zone_has_sql: false,
            early_sql: None,
            family: None,
            up: None,
            down: None,
            both_no_transaction: false,
            up_no_transaction: false,
            down_no_transaction: false,
        }
    }

    fn line(&self, offset: usize) -> usize {
        line_col(self.text, offset).0
    }

    fn sql(&mut self, offset: usize) {
        if self.zone == Zone::Preamble && self.early_sql.is_none() {
            self.early_sql = Some(offset);
        }
        self.zone_has_sql = true;
    }

    fn comment(&mut self, tok: Token) -> Result<(), MarkerError> {
        let comment = &self.text[tok.start..tok.end];
        let annotation = classify(comment).map_err(|message| MarkerError {
            line: self.line(tok.start),
            message,
        })?;
        match annotation {
            Annotation::Plain => {}
            Annotation::NoTransaction => {
                if !self.zone_has_sql {
                    match self.zone {
                        Zone::Preamble => self.both_no_transaction = true,
                        Zone::Up => self.up_no_transaction = true,
                        Zone::Down => self.down_no_transaction = true,
                    }
                }
            }
            Annotation::GooseNoTransaction => {
                if self.zone == Zone::Preamble {
                    // A leading directive, honoured whichever tool's markers follow.
                    if !self.zone_has_sql {
                        self.both_no_transaction = true;
                    }
                } else {
                    // goose reads it anywhere in the file, and for the whole file.
                    self.note_family(Family::Goose, tok.start, comment)?;
                    self.both_no_transaction = true;
                }
            }
            Annotation::StatementBoundary(family) => {
                self.note_family(family, tok.start, comment)?;
            }
            Annotation::Marker {
                family,
                dir,
                no_transaction,
            } => {
                self.note_family(family, tok.start, comment)?;
                self.marker(tok, family, dir, no_transaction)?;
            }
        }
        Ok(())
    }

    fn note_family(
        &mut self,
        family: Family,
        offset: usize,
        comment: &str,
    ) -> Result<(), MarkerError> {
        match self.family {
            None => {
                self.family = Some((family, self.line(offset)));
                Ok(())
            }
            Some((known, _)) if known == family => Ok(()),
            Some((known, line)) => Err(MarkerError {
                line: self.line(offset),
                message: format!(
                    "`{}` is a {} annotation, but this file uses {} annotations (line {line}); \
                     use one tool's markers per file",
                    comment.trim(),
                    family.tool(),
                    known.tool()
                ),
            }),
        }
    }

    fn marker(
        &mut self,
        tok: Token,
        family: Family,
        dir: SectionKind,
        no_transaction: bool,
    ) -> Result<(), MarkerError> {
        let bytes = self.text.as_bytes();
        let at = MarkerAt {
            line: self.line(tok.start),
            line_start: line_start(bytes, tok.start),
            body_start: after_line_break(bytes, tok.end),
        };
        let up_marker = family.marker(SectionKind::Up);
        let fail = |line: usize, message: String| Err(MarkerError { line, message });
        if self.up.is_none() && self.down.is_none() {
            if let Some(sql) = self.early_sql {
                return fail(
                    self.line(sql),
                    format!(
                        "SQL before the first `{up_marker}` marker; only comments and blank \
                         lines may come before it"
                    ),
                );
            }
        }
        let marker = family.marker(dir);
        let expected = "expected one up marker and at most one down marker";
        match dir {
            SectionKind::Up => {
                if let Some(first) = self.up {
                    return fail(
                        at.line,
                        format!(
                            "second `{marker}` marker (the first is on line {}); {expected}",
                            first.line
                        ),
                    );
                }
                self.up = Some(at);
                self.zone = Zone::Up;
                self.up_no_transaction |= no_transaction;
            }
            SectionKind::Down => {
                if self.up.is_none() {
                    return fail(
                        at.line,
                        format!(
                            "`{marker}` marker before any `{up_marker}` marker; expected the up \
                             section first"
                        ),
                    );
                }
                if let Some(first) = self.down {
                    return fail(
                        at.line,
                        format!(
                            "second `{marker}` marker (the first is on line {}); {expected}",
                            first.line
                        ),
                    );
                }
                self.down = Some(at);
                self.zone = Zone::Down;
                self.down_no_transaction |= no_transaction;
            }
        }
        self.zone_has_sql = false;
        Ok(())
    }

    fn finish(self) -> Sections {
        let len = self.text.len();
        let both = self.both_no_transaction;
        let down_marker = self.family.map(|(f, _)| f.marker(SectionKind::Down));
        let Some(up) = self.up else {
            return Sections {
                up: Section {
                    range: 0..len,
                    no_transaction: both,
                },
                down: None,
                down_marker,
            };
        };
        Sections {
            up: Section {
                range: up.body_start..self.down.map_or(len, |d| d.line_start),
                no_transaction: both || self.up_no_transaction,
            },
            down: self.down.map(|down| Section {
                range: down.body_start..len,
                no_transaction: both || self.down_no_transaction,
            }),
            down_marker,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(text: &str) -> Sections {
        parse_single(text).unwrap_or_else(|e| panic!("parse_single failed: {e}"))
    }

    fn single_err(text: &str) -> MarkerError {
        match parse_single(text) {
            Ok(s) => panic!("expected an error, got {s:?}"),
            Err(e) => e,
        }
    }

    fn up_text<'a>(text: &'a str, s: &Sections) -> &'a str {
        &text[s.up.range.clone()]
    }

    fn down_text<'a>(text: &'a str, s: &Sections) -> &'a str {
        let down = s.down.as_ref().expect("a down section");
        &text[down.range.clone()]
    }

    // --- files without markers -------------------------------------------------------------

    #[test]
    fn a_baseline_directive_names_the_replaced_checksum_or_nothing() {
        assert_eq!(
            baseline("-- ferry:baseline sha256-lf:ab12\n-- more\nCREATE TABLE t ();"),
            Some("sha256-lf:ab12".to_string())
        );
        assert_eq!(
            baseline("-- ferry:baseline\nSELECT 1;"),
            Some(String::new())
        );
        assert_eq!(baseline("-- ferry:baselines\nSELECT 1;"), None);
        assert_eq!(baseline("SELECT 1;\n-- ferry:baseline\n"), None);
        assert_eq!(baseline("CREATE TABLE t ();"), None);
    }

    #[test]
    fn plain_file_is_all_up() {
        let text = "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n";
        let s = single(text);
        assert_eq!(
            s,
            Sections {
                up: Section {
                    range: 0..text.len(),
                    no_transaction: false
                },
                down: None,
                down_marker: None,
            }
        );
    }

    #[test]
    fn empty_file() {
        let s = single("");
        assert_eq!(s.up.range, 0..0);
        assert!(s.down.is_none());
    }

    #[test]
    fn leading_directives() {
        for directive in [
            "-- ferry:no-transaction",
            "--ferry:no-transaction",
            "--   FERRY:No-Transaction  ",
            "-- +goose NO TRANSACTION",
            "--+goose   no   transaction",
            "-- no-transaction",
        ] {
            let text = format!("-- first\n\n{directive}\nCREATE INDEX CONCURRENTLY i ON t (a);\n");
            assert!(single(&text).up.no_transaction, "{directive}");
            assert!(parse_half(&text).no_transaction, "{directive}");
        }
    }

    #[test]
    fn directive_lookalikes_are_not_directives() {
        for text in [
            "-- ferry: no-transaction\nSELECT 1;",
            "-- ferry:no-transaction please\nSELECT 1;",
            "-- no transaction\nSELECT 1;",
            "-- the ferry:no-transaction directive\nSELECT 1;",
            "/* -- ferry:no-transaction */ SELECT 1;",
            "SELECT 1; -- ferry:no-transaction",
        ] {
            assert!(!single(text).up.no_transaction, "{text}");
            assert!(!parse_half(text).no_transaction, "{text}");
        }
    }

    #[test]
    fn directives_after_sql_are_ignored() {
        let text = "SELECT 1;\n-- ferry:no-transaction\n-- +goose NO TRANSACTION\nSELECT 2;";
        assert!(!single(text).up.no_transaction);
        assert!(!parse_half(text).no_transaction);
    }

    #[test]
    fn directive_after_block_comment_and_indentation() {
        let text = "/* header\n   more */\n   -- ferry:no-transaction\nVACUUM;";
        assert!(single(text).up.no_transaction);
        assert!(parse_half(text).no_transaction);
    }

    #[test]
    fn directive_with_crlf_and_bom() {
        let text = "\u{FEFF}-- ferry:no-transaction\r\nVACUUM;\r\n";
        assert!(single(text).up.no_transaction);
        assert!(parse_half(text).no_transaction);
    }

    #[test]
    fn directive_constant() {
        assert_eq!(
            classify(NO_TRANSACTION_DIRECTIVE),
            Ok(Annotation::NoTransaction)
        );
    }

    #[test]
    fn parse_half_covers_the_whole_file_and_ignores_markers() {
        let text = "-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\nSELECT 2;";
        assert_eq!(
            parse_half(text),
            Section {
                range: 0..text.len(),
                no_transaction: false
            }
        );
        // Malformed annotations are not its business either.
        assert!(!parse_half("-- migrate:sideways\nSELECT 1;").no_transaction);
    }

    #[test]
    fn parse_half_survives_lexing_errors() {
        assert!(!parse_half("/* never closed").no_transaction);
        assert!(parse_half("-- ferry:no-transaction\nSELECT 'never closed").no_transaction);
        assert!(!parse_half("SELECT 'x\n-- ferry:no-transaction").no_transaction);
    }

    // --- dbmate ----------------------------------------------------------------------------

    #[test]
    fn dbmate_sections() {
        let text = "-- migrate:up\nCREATE TABLE t (a int);\n\n-- migrate:down\nDROP TABLE t;\n";
        let s = single(text);
        assert_eq!(up_text(text, &s), "CREATE TABLE t (a int);\n\n");
        assert_eq!(down_text(text, &s), "DROP TABLE t;\n");
        assert!(!s.up.no_transaction);
        assert!(!s.down.as_ref().unwrap().no_transaction);
    }

    #[test]
    fn dbmate_up_only() {
        let text = "-- comment\n-- migrate:up\nCREATE TABLE t (a int);";
        let s = single(text);
        assert_eq!(up_text(text, &s), "CREATE TABLE t (a int);");
        assert!(s.down.is_none());
    }

    #[test]
    fn dbmate_transaction_false_per_section() {
        let text = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\
                    -- migrate:down\nDROP INDEX i;\n";
        let s = single(text);
        assert!(s.up.no_transaction);
        assert!(!s.down.as_ref().unwrap().no_transaction);
        assert_eq!(up_text(text, &s), "CREATE INDEX CONCURRENTLY i ON t (a);\n");

        let text = "-- migrate:up\nCREATE INDEX i ON t (a);\n\
                    --   MIGRATE:DOWN   Transaction:False  \nDROP INDEX CONCURRENTLY i;\n";
        let s = single(text);
        assert!(!s.up.no_transaction);
        assert!(s.down.as_ref().unwrap().no_transaction);
        assert_eq!(down_text(text, &s), "DROP INDEX CONCURRENTLY i;\n");
    }

    #[test]
    fn dbmate_transaction_true_is_the_default() {
        let s = single("-- migrate:up transaction:true\nSELECT 1;");
        assert!(!s.up.no_transaction);
    }

    #[test]
    fn dbmate_unknown_option() {
        let e = single_err("-- migrate:up transaction:maybe\nSELECT 1;");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("transaction:maybe"), "{e}");
        assert!(e.message.contains("`transaction:false`"), "{e}");
        let e = single_err("-- migrate:up\nSELECT 1;\n-- migrate:down now\nSELECT 2;");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("`now`"), "{e}");
        let e = single_err("-- migrate:up transaction:false transaction:true\n");
        assert!(e.message.contains("too many options"), "{e}");
    }

    #[test]
    fn dbmate_misspelled_marker_is_an_error() {
        let e =
            single_err("-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:dwon\nDROP TABLE t;");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("-- migrate:dwon"), "{e}");
        assert!(
            e.message
                .contains("expected `-- migrate:up` or `-- migrate:down`"),
            "{e}"
        );
        assert_eq!(single_err("-- migrate:upgrade\nSELECT 1;").line, 1);
    }

    #[test]
    fn prose_that_starts_with_migrate_is_a_comment() {
        let text = "-- Migrate: the users table\n-- migrate\nSELECT 1;";
        let s = single(text);
        assert_eq!(s.up.range, 0..text.len());
    }

    // --- goose -----------------------------------------------------------------------------

    #[test]
    fn goose_sections() {
        let text =
            "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$\n\
                    SELECT 1;\n$$ LANGUAGE sql;\n-- +goose StatementEnd\n\n-- +goose Down\n\
                    DROP FUNCTION f();\n";
        let s = single(text);
        assert_eq!(
            up_text(text, &s),
            "-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n\
             $$ LANGUAGE sql;\n-- +goose StatementEnd\n\n"
        );
        assert_eq!(down_text(text, &s), "DROP FUNCTION f();\n");
        assert!(!s.up.no_transaction);
    }

    #[test]
    fn goose_case_insensitive() {
        let text = "--  +GOOSE up\nSELECT 1;\n-- +goose DOWN\nSELECT 2;";
        let s = single(text);
        assert_eq!(up_text(text, &s), "SELECT 1;\n");
        assert_eq!(down_text(text, &s), "SELECT 2;");
    }

    #[test]
    fn goose_no_transaction_applies_to_both() {
        let text =
            "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n\
                    -- +goose Down\nDROP INDEX CONCURRENTLY i;\n";
        let s = single(text);
        assert!(s.up.no_transaction);
        assert!(s.down.as_ref().unwrap().no_transaction);
        assert_eq!(up_text(text, &s), "CREATE INDEX CONCURRENTLY i ON t (a);\n");
    }

    #[test]
    fn goose_no_transaction_after_a_marker_still_applies_to_both() {
        let text = "-- +goose Up\nSELECT 1;\n-- +goose Down\n-- +goose NO TRANSACTION\nSELECT 2;";
        let s = single(text);
        assert!(s.up.no_transaction);
        assert!(s.down.as_ref().unwrap().no_transaction);
    }

    #[test]
    fn goose_unknown_annotation() {
        let e = single_err("-- +goose Up\nSELECT 1;\n-- +goose Dwn\nSELECT 2;");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("`-- +goose Dwn`"), "{e}");
        assert!(e.message.contains("NO TRANSACTION"), "{e}");
        assert!(parse_single("-- +goose ENVSUB ON\n-- +goose Up\nSELECT 1;").is_err());
        assert!(parse_single("-- +goose\nSELECT 1;").is_err());
        assert!(parse_single("-- +goose Up now\nSELECT 1;").is_err());
        // Not goose's namespace at all.
        assert!(parse_single("-- +goosey Up\nSELECT 1;").is_ok());
    }

    // --- sql-migrate -----------------------------------------------------------------------

    #[test]
    fn sql_migrate_sections() {
        let text = "-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n\
                    -- +migrate StatementBegin\nSELECT 1;\n-- +migrate StatementEnd\n\
                    -- +migrate Down\nDROP INDEX i;";
        let s = single(text);
        assert!(s.up.no_transaction);
        assert!(!s.down.as_ref().unwrap().no_transaction);
        assert_eq!(
            up_text(text, &s),
            "CREATE INDEX CONCURRENTLY i ON t (a);\n-- +migrate StatementBegin\nSELECT 1;\n\
             -- +migrate StatementEnd\n"
        );
        assert_eq!(down_text(text, &s), "DROP INDEX i;");
    }

    #[test]
    fn sql_migrate_down_notransaction() {
        let s = single("-- +migrate Up\nSELECT 1;\n-- +migrate down NoTransaction\nVACUUM;");
        assert!(!s.up.no_transaction);
        assert!(s.down.unwrap().no_transaction);
    }

    #[test]
    fn sql_migrate_unknown_option_or_annotation() {
        let e = single_err("-- +migrate Up notx\nSELECT 1;");
        assert!(e.message.contains("`notransaction`"), "{e}");
        assert!(e.message.contains("`notx`"), "{e}");
        let e = single_err("-- +migrate Up\nSELECT 1;\n-- +migrate Sideways\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("sql-migrate"), "{e}");
        assert!(parse_single("-- +migrate StatementBegin now\n").is_err());
    }

    // --- layout rules ----------------------------------------------------------------------

    #[test]
    fn second_up_marker() {
        let e = single_err("-- +goose Up\nSELECT 1;\n-- +goose Up\nSELECT 2;");
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "second `-- +goose Up` marker (the first is on line 1); expected one up marker and \
             at most one down marker"
        );
    }

    #[test]
    fn up_after_down() {
        let e = single_err("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n-- migrate:up\n");
        assert_eq!(e.line, 5);
        assert!(e.message.contains("second `-- migrate:up`"), "{e}");
    }

    #[test]
    fn second_down_marker() {
        let e = single_err("-- migrate:up\n-- migrate:down\nSELECT 1;\n-- migrate:down\n");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("second `-- migrate:down`"), "{e}");
    }

    #[test]
    fn down_before_up() {
        let e = single_err("-- +migrate Down\nDROP TABLE t;\n-- +migrate Up\nCREATE TABLE t ();");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("before any `-- +migrate Up`"), "{e}");
        let e = single_err("-- migrate:down\nDROP TABLE t;");
        assert!(e.message.contains("before any `-- migrate:up`"), "{e}");
    }

    #[test]
    fn sql_before_the_first_marker() {
        let e = single_err("-- intro\n\nCREATE TABLE t (a int);\n-- migrate:up\nSELECT 1;");
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "SQL before the first `-- migrate:up` marker; only comments and blank lines may \
             come before it"
        );
        // Block comments are comments.
        assert!(parse_single("/* intro\n */\n-- migrate:up\nSELECT 1;").is_ok());
    }

    #[test]
    fn mixing_families() {
        let e = single_err("-- migrate:up\nSELECT 1;\n-- +goose Down\nSELECT 2;");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("goose"), "{e}");
        assert!(e.message.contains("dbmate annotations (line 1)"), "{e}");
        let e = single_err("-- +goose Up\n-- +migrate StatementBegin\nSELECT 1;");
        assert_eq!(e.line, 2);
        let e = single_err("-- migrate:up\nSELECT 1;\n-- +goose NO TRANSACTION\n");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn leading_directive_with_any_markers() {
        for up in ["-- migrate:up", "-- +goose Up", "-- +migrate Up"] {
            for directive in [
                "-- ferry:no-transaction",
                "-- no-transaction",
                "-- +goose NO TRANSACTION",
            ] {
                let text = format!("{directive}\n{up}\nSELECT 1;\n");
                let s = single(&text);
                assert!(s.up.no_transaction, "{text}");
                assert_eq!(up_text(&text, &s), "SELECT 1;\n");
            }
        }
        let text =
            "-- ferry:no-transaction\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n";
        let s = single(text);
        assert!(s.up.no_transaction && s.down.unwrap().no_transaction);
    }

    #[test]
    fn section_leading_directive_applies_to_that_section() {
        let text =
            "-- migrate:up\n-- ferry:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n\
                    -- migrate:down\nDROP INDEX i;\n";
        let s = single(text);
        assert!(s.up.no_transaction);
        assert!(!s.down.as_ref().unwrap().no_transaction);

        let text =
            "-- migrate:up\nSELECT 1;\n-- ferry:no-transaction\n-- migrate:down\nSELECT 2;\n";
        let s = single(text);
        assert!(!s.up.no_transaction, "after SQL in up");
        assert!(!s.down.as_ref().unwrap().no_transaction);

        let text = "-- migrate:up\nSELECT 1;\n-- migrate:down\n\n-- no-transaction\nVACUUM;\n";
        let s = single(text);
        assert!(!s.up.no_transaction);
        assert!(s.down.as_ref().unwrap().no_transaction);
    }

    // --- where markers are recognised -------------------------------------------------------

    #[test]
    fn markers_inside_dollar_quotes_are_sql() {
        let text = "-- migrate:up\nCREATE FUNCTION f() RETURNS text AS $$\n-- migrate:down\n\
                    SELECT 'x';\n$$ LANGUAGE sql;\n-- migrate:down\nDROP FUNCTION f();\n";
        let s = single(text);
        assert!(up_text(text, &s).contains("$$\n-- migrate:down\nSELECT 'x';"));
        assert_eq!(down_text(text, &s), "DROP FUNCTION f();\n");
    }

    #[test]
    fn markers_inside_strings_identifiers_and_block_comments_are_not_markers() {
        let text = "-- +goose Up\nSELECT '\n-- +goose Down\n';\nSELECT \"\n-- +goose Down\n\";\n\
                    /*\n-- +goose Down\n/* nested */\n-- +goose Up\n*/\nSELECT E'\\'\n-- +goose Down\n';\n";
        let s = single(text);
        assert!(s.down.is_none());
        assert_eq!(s.up.range.end, text.len());
    }

    #[test]
    fn markers_must_be_on_their_own_line() {
        let text = "-- migrate:up\nSELECT 1; -- migrate:down\nSELECT 2;";
        let s = single(text);
        assert!(s.down.is_none());
        let text = "-- migrate:up\nSELECT 1;\n   \t-- migrate:down\nSELECT 2;";
        let s = single(text);
        assert_eq!(up_text(text, &s), "SELECT 1;\n");
        assert_eq!(down_text(text, &s), "SELECT 2;");
    }

    #[test]
    fn crlf_marker_lines() {
        let text = "-- migrate:up\r\nSELECT 1;\r\n-- migrate:down\r\nSELECT 2;\r\n";
        let s = single(text);
        assert_eq!(up_text(text, &s), "SELECT 1;\r\n");
        assert_eq!(down_text(text, &s), "SELECT 2;\r\n");
    }

    #[test]
    fn bare_carriage_return_lines() {
        let text = "-- migrate:up\rSELECT 1;\r-- migrate:down\rSELECT 2;";
        let s = single(text);
        assert_eq!(up_text(text, &s), "SELECT 1;\r");
        assert_eq!(down_text(text, &s), "SELECT 2;");
    }

    #[test]
    fn bom_before_the_first_marker() {
        let text = "\u{FEFF}-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;";
        let s = single(text);
        assert_eq!(up_text(text, &s), "SELECT 1;\n");
        assert_eq!(down_text(text, &s), "SELECT 2;");
    }

    #[test]
    fn marker_at_end_of_file_without_newline() {
        let text = "-- migrate:up\nSELECT 1;\n-- migrate:down";
        let s = single(text);
        assert_eq!(up_text(text, &s), "SELECT 1;\n");
        assert_eq!(s.down.unwrap().range, text.len()..text.len());
    }

    #[test]
    fn empty_sections() {
        let text = "-- migrate:up\n-- migrate:down\n";
        let s = single(text);
        assert_eq!(up_text(text, &s), "");
        assert_eq!(down_text(text, &s), "");
    }

    #[test]
    fn section_ranges_line_up_with_the_splitter() {
        let text = "-- +goose Up\nCREATE TABLE a (x int);\nCREATE TABLE b (y int);\n\
                    -- +goose Down\nDROP TABLE b;\nDROP TABLE a;\n";
        let s = single(text);
        let up = crate::sql::split::split(up_text(text, &s)).unwrap();
        assert_eq!(up.len(), 2);
        let down = crate::sql::split::split(down_text(text, &s)).unwrap();
        assert_eq!(down[0].text(down_text(text, &s)), "DROP TABLE b");
    }

    #[test]
    fn lexing_errors_are_reported() {
        let e = single_err("-- migrate:up\nSELECT 1;\nSELECT 'oops;\n-- migrate:down\nSELECT 2;");
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "unterminated quoted string (opened here), column 8"
        );
        let e = single_err("SELECT $fn$ never closed");
        assert!(e.message.contains("$fn$"), "{e}");
    }

    #[test]
    fn error_display() {
        let e = single_err("-- migrate:down\n");
        assert!(
            e.to_string()
                .starts_with("line 1: `-- migrate:down` marker"),
            "{e}"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().contains("expected the up section first"));
    }
}
