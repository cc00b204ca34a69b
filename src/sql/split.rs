//! Splitting migration scripts into the statements PostgreSQL will see. ferry sends each
//! statement on its own (so errors point at a statement and non-transactional files can run
//! piece by piece), which means a `;` must end a statement exactly when the server's own
//! lexer would agree: never inside a string, quoted identifier, dollar quote, comment,
//! parenthesised rule action or SQL-standard `BEGIN ATOMIC` body. A naive split here runs
//! half a statement against production, so this is a real lexer, byte by byte and linear
//! in the input. The same lexer backs the statement classifiers below and the marker scan
//! in `markers`, so every part of ferry agrees on what is code and what is text.

use std::fmt;

use crate::sql::classify::{standard_strings_after, transaction_control, TxControl};
use crate::sql::lexer::{LexError, Lexer, Token, TokenKind, Unterminated};

/// One top-level statement of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Byte offset in the source text of the statement's first significant character
    /// (leading whitespace and comments before it are NOT part of the statement).
    pub start: usize,
    /// Byte offset just past the statement's last character, excluding the terminating `;`.
    /// Whitespace and comments between the last token and the `;` are excluded as well.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
}

impl Statement {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }
}

/// Why a script cannot be split, located at the construct that was left open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for SplitError {}

/// Splits `src` into its top-level statements, in order.
///
/// Like psql, it follows `SET standard_conforming_strings` within the script: while it is
/// off, a backslash escapes the next character in a plain `'…'` string too. A script
/// starts with it on, as every session ferry runs a migration in does.
pub fn split(src: &str) -> Result<Vec<Statement>, SplitError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut cur = StmtState::default();
    let mut lines = LineCounter::default();
    let mut lexer = Lexer::new(bytes);
    while let Some(tok) = lexer.next() {
        let tok = tok.map_err(|e| e.to_split_error(src))?;
        match tok.kind {
            TokenKind::LineComment | TokenKind::BlockComment => continue,
            TokenKind::Punct if bytes[tok.start] == b';' && cur.at_boundary() => {
                if let Some(start) = cur.start {
                    let statement = Statement {
                        start,
                        end: cur.end,
                        line: lines.line_of(bytes, start),
                    };
                    if let Some(on) = standard_strings_after(statement.text(src)) {
                        lexer.backslash_strings = !on;
                    }
                    out.push(statement);
                }
                cur = StmtState::default();
                continue;
            }
            _ => {}
        }
        cur.push(bytes, tok);
    }
    if cur.atomic_depth > 0 {
        return Err(error_at(
            src,
            cur.atomic_open,
            "unterminated BEGIN ATOMIC block: no matching END before the end of the script \
             (BEGIN ATOMIC here)"
                .to_string(),
        ));
    }
    if cur.paren_depth > 0 {
        return Err(error_at(
            src,
            cur.paren_open,
            "unclosed parenthesis: no matching `)` before the end of the script (opened here)"
                .to_string(),
        ));
    }
    if let Some(start) = cur.start {
        out.push(Statement {
            start,
            end: cur.end,
            line: lines.line_of(bytes, start),
        });
    }
    Ok(out)
}

/// The statements of a script without the `BEGIN; … COMMIT;` it may wrap itself in (as
/// many golang-migrate files and seed scripts do): ferry runs it in a transaction already,
/// so the wrapper is dropped rather than nested. Any other statements come back as they are.
pub fn unwrap_transaction<'a>(src: &str, statements: &'a [Statement]) -> &'a [Statement] {
    let control = |s: Option<&Statement>| s.and_then(|s| transaction_control(s.text(src)));
    match statements {
        [_, inner @ .., _]
            if control(statements.first()) == Some(TxControl::Begin)
                && control(statements.last()) == Some(TxControl::Commit) =>
        {
            inner
        }
        _ => statements,
    }
}

/// 1-based (line, column) of a byte offset in src; column counts characters, not bytes.
/// Offsets past the end are clamped to the end.
pub fn line_col(src: &str, byte_offset: usize) -> (usize, usize) {
    let bytes = &src.as_bytes()[..byte_offset.min(src.len())];
    let line = 1 + count_newlines(bytes);
    let line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    // Counting non-continuation bytes counts characters without needing `byte_offset` to
    // sit on a character boundary.
    let column = 1 + bytes[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

/// Byte offset of the n-th character (0-based char index) of `s`, clamped to s.len().
/// PostgreSQL reports error positions in characters; this maps them back.
pub fn char_to_byte(s: &str, char_index: usize) -> usize {
    s.char_indices().nth(char_index).map_or(s.len(), |(i, _)| i)
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

fn error_at(src: &str, offset: usize, message: String) -> SplitError {
    let (line, column) = line_col(src, offset);
    SplitError {
        line,
        column,
        message,
    }
}

/// Line numbers for statement starts, found by counting only the bytes since the previous
/// start, so numbering a whole script stays linear.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    newlines: usize,
}

impl LineCounter {
    fn line_of(&mut self, bytes: &[u8], offset: usize) -> usize {
        self.newlines += count_newlines(&bytes[self.pos..offset]);
        self.pos = offset;
        self.newlines + 1
    }
}

/// Where the statement being accumulated stands, which decides whether a `;` ends it.
#[derive(Default)]
struct StmtState {
    start: Option<usize>,
    end: usize,
    paren_depth: usize,
    /// Start of the outermost parenthesis still open, for the error at end of input.
    paren_open: usize,
    prefix: Prefix,
    /// Open `BEGIN ATOMIC` plus the `CASE`s inside it, each closed by one `END`.
    atomic_depth: usize,
    atomic_open: usize,
    prev: Prev,
}

/// How far the statement's first words match `CREATE [OR REPLACE] FUNCTION|PROCEDURE`,
/// the only statements that can carry a `BEGIN ATOMIC` body.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    #[default]
    Start,
    Create,
    CreateOr,
    CreateOrReplace,
    Routine,
    Other,
}

/// What the previous significant token means for the word that follows it.
#[derive(Default, Clone, Copy)]
enum Prev {
    #[default]
    Other,
    /// A `BEGIN` at parenthesis depth 0; `ATOMIC` next opens a body.
    Begin(usize),
    /// A `.` or `AS`: the next word is a column label, where even reserved words such as
    /// END or CASE are plain names (`t.end`, `SELECT 1 AS end`).
    Label,
}

impl StmtState {
    fn at_boundary(&self) -> bool {
        // A `;` inside parentheses belongs to a multi-action rule (`DO ALSO (...; ...)`).
        self.paren_depth == 0 && self.atomic_depth == 0
    }

    fn push(&mut self, bytes: &[u8], tok: Token) {
        if self.start.is_none() {
            self.start = Some(tok.start);
        }
        self.end = tok.end;
        let prev = std::mem::take(&mut self.prev);
        match tok.kind {
            TokenKind::Punct => match bytes[tok.start] {
                b'(' => {
                    if self.paren_depth == 0 {
                        self.paren_open = tok.start;
                    }
                    self.paren_depth += 1;
                }
                b')' => self.paren_depth = self.paren_depth.saturating_sub(1),
                b'.' => self.prev = Prev::Label,
                _ => {}
            },
            TokenKind::Word => {
                let word = &bytes[tok.start..tok.end];
                self.prefix = self.prefix.advance(Some(word));
                if self.prefix == Prefix::Routine {
                    self.routine_word(word, tok.start, prev);
                }
            }
            _ => {}
        }
        if tok.kind != TokenKind::Word {
            self.prefix = self.prefix.advance(None);
        }
    }

    fn routine_word(&mut self, word: &[u8], start: usize, prev: Prev) {
        if self.atomic_depth == 0 {
            if let Prev::Begin(begin) = prev {
                if word.eq_ignore_ascii_case(b"atomic") {
                    self.atomic_depth = 1;
                    self.atomic_open = begin;
                    return;
                }
            }
            if self.paren_depth == 0 && word.eq_ignore_ascii_case(b"begin") {
                self.prev = Prev::Begin(start);
                return;
            }
        } else if !matches!(prev, Prev::Label) {
            if word.eq_ignore_ascii_case(b"case") {
                self.atomic_depth += 1;
            } else if word.eq_ignore_ascii_case(b"end") {
                self.atomic_depth -= 1;
            }
        }
        if word.eq_ignore_ascii_case(b"as") {
            self.prev = Prev::Label;
        }
    }
}

impl Prefix {
    fn advance(self, word: Option<&[u8]>) -> Prefix {
        let is = |kw: &[u8]| word.is_some_and(|w| w.eq_ignore_ascii_case(kw));
        let routine = || is(b"function") || is(b"procedure");
        match self {
            Prefix::Routine | Prefix::Other => self,
            Prefix::Start if is(b"create") => Prefix::Create,
            Prefix::Create if routine() => Prefix::Routine,
            Prefix::Create if is(b"or") => Prefix::CreateOr,
            Prefix::CreateOr if is(b"replace") => Prefix::CreateOrReplace,
            Prefix::CreateOrReplace if routine() => Prefix::Routine,
            _ => Prefix::Other,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The lexer. It knows token boundaries only, not grammar: that is all splitting and
// keyword spotting need, and it keeps the hot loop to a byte match.

impl LexError {
    pub(crate) fn to_split_error(self, src: &str) -> SplitError {
        let message = match self.what {
            Unterminated::String => "unterminated quoted string (opened here)".to_string(),
            Unterminated::EscapeString => {
                "unterminated escape string E'...' (opened here)".to_string()
            }
            Unterminated::QuotedIdent => "unterminated quoted identifier (opened here)".to_string(),
            Unterminated::DollarQuote { delimiter_end } => {
                let delimiter = src.get(self.offset..delimiter_end).unwrap_or("$");
                format!("unterminated dollar-quoted string {delimiter} (opened here)")
            }
            Unterminated::BlockComment => "unterminated /* comment (opened here)".to_string(),
        };
        error_at(src, self.offset, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::classify::may_change_session;
    /// The kind's name: what the tests compare.
    fn non_transactional(text: &str) -> Option<&'static str> {
        crate::sql::classify::non_transactional(text).map(|n| n.name())
    }
    use crate::sql::classify::standard_strings_after;
    use crate::sql::classify::transaction_control;
    use crate::sql::classify::TxControl;

    #[test]
    fn statements_that_may_change_the_session_are_recognised() {
        for changes in [
            "SET search_path = app",
            "set session statement_timeout = 5",
            "RESET ALL",
            "SELECT set_config('search_path', 'app', false)",
            "DO $$ BEGIN EXECUTE 'SET role app'; END $$",
            "SET ROLE app_owner",
        ] {
            assert!(may_change_session(changes), "{changes}");
        }
        for keeps in [
            "SET LOCAL search_path = app",
            "SET CONSTRAINTS ALL DEFERRED",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "CREATE TABLE settings (id int)",
            "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
            "DO $$ BEGIN RAISE NOTICE 'x'; END $$",
        ] {
            assert!(!may_change_session(keeps), "{keeps}");
        }
    }

    #[test]
    fn backslashes_escape_while_standard_conforming_strings_is_off() {
        let src = "SET standard_conforming_strings = off;\n\
                   INSERT INTO t VALUES ('a\\'b; c');\n\
                   SET standard_conforming_strings TO 'on';\n\
                   INSERT INTO t VALUES ('d\\');\n\
                   SET LOCAL standard_conforming_strings = false;\n\
                   SELECT 'e\\';';\n\
                   RESET ALL;\n\
                   SELECT 'f\\';";
        assert_eq!(
            texts(src),
            [
                "SET standard_conforming_strings = off",
                "INSERT INTO t VALUES ('a\\'b; c')",
                "SET standard_conforming_strings TO 'on'",
                "INSERT INTO t VALUES ('d\\')",
                "SET LOCAL standard_conforming_strings = false",
                "SELECT 'e\\';'",
                "RESET ALL",
                "SELECT 'f\\'",
            ]
        );
        assert_eq!(standard_strings_after("SET search_path = off"), None);
        assert_eq!(
            standard_strings_after("set session standard_conforming_strings to default"),
            Some(true)
        );
        assert_eq!(
            standard_strings_after("RESET standard_conforming_strings"),
            Some(true)
        );
    }

    fn texts(src: &str) -> Vec<&str> {
        split(src)
            .unwrap_or_else(|e| panic!("split failed: {e}"))
            .iter()
            .map(|s| s.text(src))
            .collect()
    }

    fn err(src: &str) -> SplitError {
        match split(src) {
            Ok(s) => panic!("expected an error, got {s:?}"),
            Err(e) => e,
        }
    }

    // --- basic splitting -----------------------------------------------------------------

    #[test]
    fn splits_simple_statements() {
        assert_eq!(texts("SELECT 1; SELECT 2;"), ["SELECT 1", "SELECT 2"]);
    }

    #[test]
    fn final_statement_without_semicolon() {
        assert_eq!(texts("SELECT 1;\nSELECT 2"), ["SELECT 1", "SELECT 2"]);
        assert_eq!(texts("SELECT 2  \n\t"), ["SELECT 2"]);
    }

    #[test]
    fn empty_inputs_and_empty_statements() {
        assert!(texts("").is_empty());
        assert!(texts("   \n\t ").is_empty());
        assert!(texts(";;;").is_empty());
        assert!(texts("; ;\n;").is_empty());
        assert!(texts("-- only a comment").is_empty());
        assert!(texts("-- a\n/* b */\n-- c\n").is_empty());
        assert!(texts("/* x */ ; -- y\n;").is_empty());
        assert_eq!(texts(";;SELECT 1;;"), ["SELECT 1"]);
    }

    #[test]
    fn offsets_exclude_leading_and_trailing_comments() {
        let src = "-- header\n/* block */  SELECT 1 -- trailing\n /* more */ ;\n-- tail";
        let s = split(src).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].text(src), "SELECT 1");
        assert_eq!(s[0].start, src.find("SELECT").unwrap());
        assert_eq!(s[0].line, 2);
    }

    #[test]
    fn comments_inside_a_statement_are_kept() {
        assert_eq!(
            texts("SELECT /* a; */ 1 -- b;\n + 2;"),
            ["SELECT /* a; */ 1 -- b;\n + 2"]
        );
    }

    #[test]
    fn line_numbers() {
        let src = "SELECT 1;\n\nSELECT\n  2;\n-- c\n  SELECT 3; SELECT 4";
        let s = split(src).unwrap();
        let lines: Vec<usize> = s.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 3, 6, 6]);
    }

    #[test]
    fn crlf_line_endings() {
        let src = "SELECT 1;\r\n-- c\r\nSELECT 2;\r\n";
        let s = split(src).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].text(src), "SELECT 2");
        assert_eq!(s[1].line, 3);
    }

    #[test]
    fn statement_text_matches_offsets() {
        let src = "  INSERT INTO t VALUES (1);";
        let s = &split(src).unwrap()[0];
        assert_eq!(
            *s,
            Statement {
                start: 2,
                end: 26,
                line: 1
            }
        );
        assert_eq!(s.text(src), "INSERT INTO t VALUES (1)");
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let src = "\u{FEFF}SELECT 1;";
        let s = split(src).unwrap();
        assert_eq!(s[0].text(src), "SELECT 1");
        assert_eq!(s[0].start, 3);
        // Only a leading one: elsewhere it is an identifier character, as to the server.
        assert_eq!(texts("SELECT 1; \u{FEFF}x;"), ["SELECT 1", "\u{FEFF}x"]);
    }

    #[test]
    fn multibyte_text() {
        let src = "INSERT INTO t VALUES ('héllo; wörld'); SELECT 'ü';";
        assert_eq!(
            texts(src),
            ["INSERT INTO t VALUES ('héllo; wörld')", "SELECT 'ü'"]
        );
        assert_eq!(
            texts("SELECT ünïcödé;SELECT 2"),
            ["SELECT ünïcödé", "SELECT 2"]
        );
    }

    // --- strings ---------------------------------------------------------------------------

    #[test]
    fn plain_strings() {
        assert_eq!(
            texts("SELECT 'a;b'; SELECT 2"),
            ["SELECT 'a;b'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT 'it''s; fine'; SELECT 2"),
            ["SELECT 'it''s; fine'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT ''; SELECT ''''"),
            ["SELECT ''", "SELECT ''''"]
        );
        assert_eq!(texts("SELECT 'a\nb;\nc';"), ["SELECT 'a\nb;\nc'"]);
    }

    #[test]
    fn backslash_is_literal_in_plain_strings() {
        // standard_conforming_strings: 'a\' is the complete string `a\`.
        assert_eq!(
            texts("SELECT 'a\\'; SELECT 2"),
            ["SELECT 'a\\'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT '\\\\'; SELECT 2"),
            ["SELECT '\\\\'", "SELECT 2"]
        );
    }

    #[test]
    fn escape_strings() {
        assert_eq!(
            texts("SELECT E'it\\'s; ok'; SELECT 2"),
            ["SELECT E'it\\'s; ok'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT e'it\\'s; ok'; SELECT 2"),
            ["SELECT e'it\\'s; ok'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT E'a''b;'; SELECT 2"),
            ["SELECT E'a''b;'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT E'\\\\'; SELECT 2"),
            ["SELECT E'\\\\'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT E'\\\\\\''; SELECT 2"),
            ["SELECT E'\\\\\\''", "SELECT 2"]
        );
        assert_eq!(texts("SELECT (E'x\\';');"), ["SELECT (E'x\\';')"]);
    }

    #[test]
    fn escape_prefix_only_as_a_whole_word() {
        // `some'\'` is the identifier `some` and the standard string `\`.
        assert_eq!(
            texts("SELECT some'\\'; SELECT 2"),
            ["SELECT some'\\'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT xe'\\'; SELECT 2"),
            ["SELECT xe'\\'", "SELECT 2"]
        );
        // After a number, E is still its own word to the server.
        assert_eq!(
            texts("SELECT 1 E'\\';'; SELECT 2"),
            ["SELECT 1 E'\\';'", "SELECT 2"]
        );
    }

    #[test]
    fn prefixed_strings_behave_like_plain_ones() {
        assert_eq!(
            texts("SELECT U&'d\\0061t;\\+000061'; SELECT 2"),
            ["SELECT U&'d\\0061t;\\+000061'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT u&'\\'; SELECT 2"),
            ["SELECT u&'\\'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT B'10;1'; SELECT 2"),
            ["SELECT B'10;1'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT X'ff;'; SELECT 2"),
            ["SELECT X'ff;'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT N'a\\'; SELECT 2"),
            ["SELECT N'a\\'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT U&\"d;\\0061\"; SELECT 2"),
            ["SELECT U&\"d;\\0061\"", "SELECT 2"]
        );
    }

    #[test]
    fn quoted_identifiers() {
        assert_eq!(
            texts("SELECT \"a;b\" FROM \"t\"\"x;\"; SELECT 2"),
            ["SELECT \"a;b\" FROM \"t\"\"x;\"", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT \"it's\"; SELECT '\"'"),
            ["SELECT \"it's\"", "SELECT '\"'"]
        );
        assert_eq!(
            texts("SELECT \"a\\\"; SELECT 2"),
            ["SELECT \"a\\\"", "SELECT 2"]
        );
    }

    // --- dollar quoting --------------------------------------------------------------------

    #[test]
    fn dollar_quotes() {
        let src = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 2";
        assert_eq!(
            texts(src),
            [
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "SELECT 2"
            ]
        );
    }

    #[test]
    fn tagged_dollar_quotes() {
        let src = "DO $fn$ BEGIN PERFORM 'x'; RAISE NOTICE $$;$$; END $fn$; SELECT 2";
        assert_eq!(
            texts(src),
            [
                "DO $fn$ BEGIN PERFORM 'x'; RAISE NOTICE $$;$$; END $fn$",
                "SELECT 2"
            ]
        );
        // Tags are case-sensitive.
        assert_eq!(
            texts("SELECT $A$ ; $a$ ; $A$; SELECT 2"),
            ["SELECT $A$ ; $a$ ; $A$", "SELECT 2"]
        );
        // Tags with digits, underscores and non-ASCII letters.
        assert_eq!(
            texts("SELECT $t_1$;$t_1$; SELECT $é$;$é$; SELECT $_$;$_$"),
            ["SELECT $t_1$;$t_1$", "SELECT $é$;$é$", "SELECT $_$;$_$"]
        );
    }

    #[test]
    fn dollar_quote_contents_are_opaque() {
        let src = "SELECT $$ it's \"x -- /* $$; SELECT $q$ ' $$ \" $q$;";
        assert_eq!(
            texts(src),
            ["SELECT $$ it's \"x -- /* $$", "SELECT $q$ ' $$ \" $q$"]
        );
        // The closing delimiter may follow identifier characters or another `$`.
        assert_eq!(
            texts("SELECT $a$x$$a$; SELECT 2"),
            ["SELECT $a$x$$a$", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT $a$ foo$a$; SELECT 2"),
            ["SELECT $a$ foo$a$", "SELECT 2"]
        );
        assert_eq!(texts("SELECT $$$$; SELECT 2"), ["SELECT $$$$", "SELECT 2"]);
    }

    #[test]
    fn parameters_are_not_dollar_quotes() {
        assert_eq!(texts("SELECT $1; SELECT $2"), ["SELECT $1", "SELECT $2"]);
        assert_eq!(texts("SELECT $12 + $1;"), ["SELECT $12 + $1"]);
        // A tag cannot start with a digit.
        assert_eq!(texts("SELECT $1a$; SELECT 2"), ["SELECT $1a$", "SELECT 2"]);
    }

    #[test]
    fn dollar_inside_identifiers_is_not_a_quote() {
        assert_eq!(texts("SELECT a$b; SELECT 2"), ["SELECT a$b", "SELECT 2"]);
        assert_eq!(
            texts("SELECT a$b$; SELECT $b$x;$b$"),
            ["SELECT a$b$", "SELECT $b$x;$b$"]
        );
        assert_eq!(texts("SELECT x$$; SELECT 2"), ["SELECT x$$", "SELECT 2"]);
    }

    #[test]
    fn lone_dollar_is_an_operator() {
        assert_eq!(
            texts("SELECT $x FROM t; SELECT 2"),
            ["SELECT $x FROM t", "SELECT 2"]
        );
        assert_eq!(texts("SELECT $"), ["SELECT $"]);
        assert_eq!(texts("SELECT 1 $ ;"), ["SELECT 1 $"]);
    }

    #[test]
    fn dollar_quote_after_other_tokens() {
        assert_eq!(
            texts("SELECT 1$$;$$; SELECT 2"),
            ["SELECT 1$$;$$", "SELECT 2"]
        );
        assert_eq!(texts("SELECT \"a\"$$;$$;"), ["SELECT \"a\"$$;$$"]);
    }

    // --- comments --------------------------------------------------------------------------

    #[test]
    fn line_comments() {
        assert_eq!(
            texts("SELECT 1 -- it's; \"fine\" $$\n; SELECT 2"),
            ["SELECT 1", "SELECT 2"]
        );
        assert_eq!(texts("SELECT 1--2\n;"), ["SELECT 1"]);
        assert_eq!(texts("SELECT 1 -- no newline at end"), ["SELECT 1"]);
    }

    #[test]
    fn line_comment_ends_at_carriage_return() {
        assert_eq!(
            texts("-- c\rSELECT 1;\r-- d\rSELECT 2"),
            ["SELECT 1", "SELECT 2"]
        );
    }

    #[test]
    fn block_comments_nest() {
        assert_eq!(
            texts("/* a /* b */ ; still comment */ SELECT 1; SELECT 2"),
            ["SELECT 1", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT /* ' \" $$ -- */ 1; SELECT 2"),
            ["SELECT /* ' \" $$ -- */ 1", "SELECT 2"]
        );
        assert_eq!(texts("/*/ ; */ SELECT 1;"), ["SELECT 1"]);
        assert_eq!(texts("/**/SELECT 1;/***/"), ["SELECT 1"]);
        assert_eq!(texts("/* ** / * // ; **/ SELECT 1;"), ["SELECT 1"]);
        assert_eq!(texts("/* /* /* */ */ ; */SELECT 1"), ["SELECT 1"]);
    }

    #[test]
    fn slash_and_minus_operators() {
        assert_eq!(
            texts("SELECT 4/2; SELECT 3-1;"),
            ["SELECT 4/2", "SELECT 3-1"]
        );
        assert_eq!(texts("SELECT 2*/*x*/3;"), ["SELECT 2*/*x*/3"]);
    }

    // --- errors ----------------------------------------------------------------------------

    #[test]
    fn unterminated_string() {
        let e = err("SELECT 1;\nSELECT 'abc;\nSELECT 2;");
        assert_eq!((e.line, e.column), (2, 8));
        assert!(e.message.contains("unterminated quoted string"), "{e}");
        assert!(e.message.contains("opened here"), "{e}");
    }

    #[test]
    fn unterminated_escape_string() {
        let e = err("SELECT E'abc\\';");
        assert_eq!((e.line, e.column), (1, 8));
        assert!(e.message.contains("escape string"), "{e}");
        // A trailing backslash escapes nothing and must not run off the end.
        assert_eq!(err("SELECT E'\\").column, 8);
    }

    #[test]
    fn unterminated_quoted_identifier() {
        let e = err("SELECT \"abc;");
        assert_eq!((e.line, e.column), (1, 8));
        assert!(e.message.contains("quoted identifier"), "{e}");
    }

    #[test]
    fn unterminated_dollar_quote() {
        let e = err("SELECT 1;\n\nCREATE FUNCTION f() AS $fn$\nBEGIN\n");
        assert_eq!((e.line, e.column), (3, 24));
        assert_eq!(
            e.message,
            "unterminated dollar-quoted string $fn$ (opened here)"
        );
        let e = err("SELECT $$ x");
        assert_eq!(
            e.message,
            "unterminated dollar-quoted string $$ (opened here)"
        );
        // A differently tagged quote does not close it.
        assert!(split("SELECT $a$ x $b$").is_err());
    }

    #[test]
    fn unterminated_block_comment() {
        let e = err("SELECT 1;\n  /* a /* b */ c;\nSELECT 2;");
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("/*"), "{e}");
        assert!(split("/*").is_err());
        assert!(split("/*/").is_err());
    }

    #[test]
    fn error_column_counts_characters() {
        let e = err("SELECT 'ü', 'é");
        assert_eq!((e.line, e.column), (1, 13));
    }

    #[test]
    fn error_display() {
        let e = err("\n  'x");
        assert_eq!(
            e.to_string(),
            "line 2, column 3: unterminated quoted string (opened here)"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().starts_with("line 2"));
    }

    // --- parentheses -----------------------------------------------------------------------

    #[test]
    fn semicolons_inside_parentheses_do_not_split() {
        let src = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); \
                   INSERT INTO b VALUES (2)); SELECT 1;";
        assert_eq!(
            texts(src),
            [
                "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); \
                 INSERT INTO b VALUES (2))",
                "SELECT 1"
            ]
        );
    }

    #[test]
    fn unclosed_parenthesis_is_an_error() {
        let e = err("SELECT 1;\nSELECT (1 + (2);\nSELECT 3;");
        assert_eq!((e.line, e.column), (2, 8));
        assert!(e.message.contains("unclosed parenthesis"), "{e}");
    }

    #[test]
    fn stray_closing_parenthesis_does_not_break_splitting() {
        assert_eq!(texts("SELECT 1); SELECT (2);"), ["SELECT 1)", "SELECT (2)"]);
    }

    #[test]
    fn parentheses_in_strings_and_comments_do_not_count() {
        assert_eq!(
            texts("SELECT '(' /* ( */ -- (\n; SELECT \"(\"; SELECT $$($$;"),
            ["SELECT '('", "SELECT \"(\"", "SELECT $$($$"]
        );
    }

    // --- BEGIN ATOMIC ----------------------------------------------------------------------

    #[test]
    fn begin_atomic_function_body() {
        let f = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  \
                 INSERT INTO t VALUES (a);\n  SELECT a + 1;\nEND";
        let src = format!("{f};\nSELECT 2;");
        assert_eq!(texts(&src), [f, "SELECT 2"]);
    }

    #[test]
    fn begin_atomic_procedure_or_replace() {
        let p = "create or replace procedure p() language sql begin atomic \
                 delete from t; insert into t values (1); end";
        let src = format!("{p}; select 1");
        assert_eq!(texts(&src), [p, "select 1"]);
    }

    #[test]
    fn begin_atomic_with_case_expressions() {
        let f = "CREATE FUNCTION f(x int) RETURNS text BEGIN ATOMIC \
                 SELECT CASE WHEN x > 0 THEN 'pos' ELSE CASE WHEN x < 0 THEN 'neg' END END; \
                 SELECT (CASE x WHEN 1 THEN 'one' END); END";
        let src = format!("{f};SELECT 2;");
        assert_eq!(texts(&src), [f, "SELECT 2"]);
    }

    #[test]
    fn begin_atomic_words_separated_by_comments() {
        let f = "CREATE /* c */ OR -- c\n REPLACE FUNCTION f() RETURNS int BEGIN /* x */ ATOMIC \
                 SELECT 1; END";
        let src = format!("{f};SELECT 2;");
        assert_eq!(texts(&src), [f, "SELECT 2"]);
    }

    #[test]
    fn begin_atomic_ignores_keywords_in_strings_and_comments() {
        let f = "CREATE FUNCTION f() RETURNS text BEGIN ATOMIC SELECT 'end;'; \
                 SELECT \"end\" FROM t; -- end\n /* case */ SELECT $$end$$; END";
        let src = format!("{f};SELECT 2;");
        assert_eq!(texts(&src), [f, "SELECT 2"]);
    }

    #[test]
    fn begin_atomic_labels_named_end_or_case() {
        let f = "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT t.end, t . case FROM t; \
                 SELECT 1 AS end; SELECT CASE WHEN true THEN 1. END; END";
        let src = format!("{f};SELECT 2;");
        assert_eq!(texts(&src), [f, "SELECT 2"]);
    }

    #[test]
    fn begin_atomic_statement_continues_after_end() {
        // Anything between the closing END and the `;` is still the same statement.
        let f = "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END /* trailer */";
        let src = format!("{f}; SELECT 2");
        assert_eq!(
            texts(&src),
            [
                "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END",
                "SELECT 2"
            ]
        );
    }

    #[test]
    fn empty_begin_atomic_body() {
        assert_eq!(
            texts("CREATE PROCEDURE p() BEGIN ATOMIC END; SELECT 1"),
            ["CREATE PROCEDURE p() BEGIN ATOMIC END", "SELECT 1"]
        );
    }

    #[test]
    fn plain_begin_is_not_atomic() {
        assert_eq!(
            texts("BEGIN; CREATE TABLE t (a int); COMMIT;"),
            ["BEGIN", "CREATE TABLE t (a int)", "COMMIT"]
        );
        assert_eq!(
            texts("BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT 1; END;"),
            ["BEGIN ISOLATION LEVEL SERIALIZABLE", "SELECT 1", "END"]
        );
    }

    #[test]
    fn begin_atomic_only_in_routines() {
        // Not a CREATE FUNCTION/PROCEDURE: the words mean nothing special.
        assert_eq!(
            texts("SELECT begin atomic; SELECT 2; SELECT 3"),
            ["SELECT begin atomic", "SELECT 2", "SELECT 3"]
        );
        assert_eq!(
            texts("CREATE TABLE t (begin int, atomic int); SELECT 2"),
            ["CREATE TABLE t (begin int, atomic int)", "SELECT 2"]
        );
    }

    #[test]
    fn dollar_quoted_routines_are_not_atomic() {
        let f = "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  \
                 PERFORM 1;\nEND\n$$";
        let src = format!("{f};\nSELECT 2;");
        assert_eq!(texts(&src), [f, "SELECT 2"]);
    }

    #[test]
    fn routine_parameter_named_begin() {
        let f = "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS 'SELECT 1'";
        let src = format!("{f}; SELECT 2");
        assert_eq!(texts(&src), [f, "SELECT 2"]);
    }

    #[test]
    fn unterminated_begin_atomic() {
        let e = err("SELECT 1;\nCREATE FUNCTION f() RETURNS int\nBEGIN ATOMIC SELECT 1;\n");
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("BEGIN ATOMIC"), "{e}");
    }

    // --- robustness ------------------------------------------------------------------------

    /// A tiny deterministic generator, enough to throw tricky byte soup at the lexer.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn arbitrary_input_never_panics_and_offsets_are_sane() {
        const PIECES: &[&str] = &[
            "'", "\"", "$", "$$", "$a$", "$1", "E'", "e", "\\", "--", "/*", "*/", "\n", "\r", ";",
            "(", ")", " ", "a", "begin", "atomic", "case", "end", "create", "function", "1.", ".",
            "é", "\u{FEFF}", "as", "x",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let len = (rng.next() % 40) as usize;
            let src: String = (0..len)
                .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
                .collect();
            if let Ok(stmts) = split(&src) {
                let mut last_end = 0;
                for s in &stmts {
                    assert!(s.start >= last_end && s.start < s.end && s.end <= src.len());
                    assert!(src.is_char_boundary(s.start) && src.is_char_boundary(s.end));
                    assert_eq!(s.line, line_col(&src, s.start).0);
                    assert!(!s.text(&src).trim().is_empty());
                    last_end = s.end;
                }
            }
            let _ = non_transactional(&src);
            let _ = transaction_control(&src);
        }
    }

    #[test]
    fn large_input_is_linear() {
        let one = "INSERT INTO t VALUES (1, 'a;b', $$c;d$$); -- x\n";
        let src = one.repeat(50_000);
        let stmts = split(&src).unwrap();
        assert_eq!(stmts.len(), 50_000);
        assert_eq!(stmts[49_999].line, 50_000);
    }

    #[test]
    fn long_dollar_quote_body() {
        let body = "x$yy$ $ ; $Y$ $y ".repeat(100_000);
        let src = format!("SELECT $y$a{body}$y$; SELECT 2");
        assert_eq!(split(&src).unwrap().len(), 2);
    }

    // --- non_transactional -----------------------------------------------------------------

    #[test]
    fn concurrent_index_statements() {
        let nt = non_transactional;
        assert_eq!(
            nt("CREATE INDEX CONCURRENTLY i ON t (a)"),
            Some("CREATE INDEX CONCURRENTLY")
        );
        assert_eq!(
            nt("create unique index concurrently if not exists i on t (a)"),
            Some("CREATE INDEX CONCURRENTLY")
        );
        assert_eq!(
            nt("CREATE INDEX concurrently ON t (a)"),
            Some("CREATE INDEX CONCURRENTLY")
        );
        assert_eq!(
            nt("DROP INDEX CONCURRENTLY IF EXISTS i"),
            Some("DROP INDEX CONCURRENTLY")
        );
        assert_eq!(
            nt("-- why\nCREATE /* c */ INDEX\n  CONCURRENTLY i ON t (a)"),
            Some("CREATE INDEX CONCURRENTLY")
        );
    }

    #[test]
    fn ordinary_index_statements() {
        let nt = non_transactional;
        assert_eq!(nt("CREATE INDEX concurrently_idx ON t (a)"), None);
        assert_eq!(nt("CREATE INDEX \"concurrently\" ON t (a)"), None);
        assert_eq!(nt("CREATE INDEX \"CONCURRENTLY\" ON t (a)"), None);
        assert_eq!(nt("CREATE INDEX i ON t (concurrently)"), None);
        assert_eq!(nt("CREATE UNIQUE INDEX i ON t (a)"), None);
        assert_eq!(nt("DROP INDEX i"), None);
        assert_eq!(nt("DROP INDEX concurrently_idx"), None);
        assert_eq!(nt("CREATE TABLE concurrently (a int)"), None);
    }

    #[test]
    fn reindex() {
        let nt = non_transactional;
        assert_eq!(
            nt("REINDEX INDEX CONCURRENTLY i"),
            Some("REINDEX CONCURRENTLY")
        );
        assert_eq!(
            nt("REINDEX (VERBOSE) TABLE CONCURRENTLY t"),
            Some("REINDEX CONCURRENTLY")
        );
        assert_eq!(
            nt("reindex (verbose, tablespace ts) table concurrently t"),
            Some("REINDEX CONCURRENTLY")
        );
        assert_eq!(nt("REINDEX DATABASE app"), Some("REINDEX DATABASE"));
        assert_eq!(nt("REINDEX DATABASE"), Some("REINDEX DATABASE"));
        assert_eq!(nt("REINDEX (VERBOSE) SYSTEM app"), Some("REINDEX SYSTEM"));
        assert_eq!(nt("REINDEX SCHEMA public"), Some("REINDEX SCHEMA"));
        assert_eq!(
            nt("REINDEX SCHEMA CONCURRENTLY public"),
            Some("REINDEX SCHEMA")
        );
        assert_eq!(nt("REINDEX TABLE t"), None);
        assert_eq!(nt("REINDEX INDEX concurrently_idx"), None);
        assert_eq!(nt("REINDEX (VERBOSE) INDEX i"), None);
    }

    #[test]
    fn whole_statement_kinds() {
        let nt = non_transactional;
        assert_eq!(nt("VACUUM"), Some("VACUUM"));
        assert_eq!(nt("vacuum (analyze, verbose) t"), Some("VACUUM"));
        assert_eq!(nt("VACUUM FULL t"), Some("VACUUM"));
        assert_eq!(nt("CREATE DATABASE app"), Some("CREATE DATABASE"));
        assert_eq!(nt("DROP DATABASE IF EXISTS app"), Some("DROP DATABASE"));
        assert_eq!(
            nt("CREATE TABLESPACE ts LOCATION '/x'"),
            Some("CREATE TABLESPACE")
        );
        assert_eq!(nt("DROP TABLESPACE ts"), Some("DROP TABLESPACE"));
        assert_eq!(
            nt("ALTER SYSTEM SET work_mem = '64MB'"),
            Some("ALTER SYSTEM")
        );
        assert_eq!(nt("ALTER SYSTEM RESET ALL"), Some("ALTER SYSTEM"));
        assert_eq!(nt("DISCARD ALL"), Some("DISCARD ALL"));
        assert_eq!(nt("COMMIT PREPARED 'tx1'"), Some("COMMIT PREPARED"));
        assert_eq!(nt("ROLLBACK PREPARED 'tx1'"), Some("ROLLBACK PREPARED"));
    }

    #[test]
    fn whole_statement_kinds_negatives() {
        let nt = non_transactional;
        assert_eq!(nt("ANALYZE t"), None);
        assert_eq!(nt("ALTER TABLESPACE ts RENAME TO ts2"), None);
        assert_eq!(nt("DISCARD TEMP"), None);
        assert_eq!(nt("COMMIT"), None);
        assert_eq!(nt("ROLLBACK"), None);
        assert_eq!(nt("REFRESH MATERIALIZED VIEW CONCURRENTLY mv"), None);
        assert_eq!(nt("CREATE TABLE vacuum (a int)"), None);
        assert_eq!(nt(""), None);
        assert_eq!(nt("-- VACUUM"), None);
    }

    #[test]
    fn alter_database() {
        let nt = non_transactional;
        assert_eq!(
            nt("ALTER DATABASE app SET TABLESPACE fast"),
            Some("ALTER DATABASE SET TABLESPACE")
        );
        assert_eq!(
            nt("alter database \"My App\" set tablespace fast"),
            Some("ALTER DATABASE SET TABLESPACE")
        );
        assert_eq!(nt("ALTER DATABASE app SET work_mem = '1GB'"), None);
        assert_eq!(nt("ALTER DATABASE app SET default_tablespace = fast"), None);
        assert_eq!(nt("ALTER DATABASE app RENAME TO app2"), None);
    }

    #[test]
    fn cluster() {
        let nt = non_transactional;
        assert_eq!(nt("CLUSTER"), Some("CLUSTER"));
        assert_eq!(nt("CLUSTER VERBOSE"), Some("CLUSTER"));
        assert_eq!(nt("cluster (verbose)"), Some("CLUSTER"));
        assert_eq!(nt("CLUSTER /* all */ -- tables\n"), Some("CLUSTER"));
        assert_eq!(nt("CLUSTER t"), None);
        assert_eq!(nt("CLUSTER VERBOSE t USING i"), None);
        assert_eq!(nt("CLUSTER (VERBOSE) t"), None);
        assert_eq!(nt("CLUSTER i ON t"), None);
    }

    #[test]
    fn subscriptions() {
        let nt = non_transactional;
        assert_eq!(
            nt("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p"),
            Some("CREATE SUBSCRIPTION")
        );
        assert_eq!(
            nt("CREATE SUBSCRIPTION s CONNECTION 'create_slot = false' PUBLICATION p"),
            Some("CREATE SUBSCRIPTION")
        );
        assert_eq!(
            nt("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = true)"),
            Some("CREATE SUBSCRIPTION")
        );
        assert_eq!(
            nt("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p \
                WITH (slot_name = NONE, create_slot = false, enabled = false)"),
            None
        );
        assert_eq!(
            nt("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = off)"),
            None
        );
        assert_eq!(
            nt("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = 'false')"),
            None
        );
        assert_eq!(
            nt("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = 0)"),
            None
        );
        assert_eq!(nt("DROP SUBSCRIPTION s"), Some("DROP SUBSCRIPTION"));
        assert_eq!(
            nt("ALTER SUBSCRIPTION s REFRESH PUBLICATION"),
            Some("ALTER SUBSCRIPTION REFRESH PUBLICATION")
        );
        assert_eq!(
            nt("alter subscription \"S\" refresh publication with (copy_data = false)"),
            Some("ALTER SUBSCRIPTION REFRESH PUBLICATION")
        );
        assert_eq!(
            nt("ALTER SUBSCRIPTION s SET PUBLICATION p"),
            Some("ALTER SUBSCRIPTION SET PUBLICATION")
        );
        assert_eq!(
            nt("ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (copy_data = false)"),
            Some("ALTER SUBSCRIPTION ADD PUBLICATION")
        );
        assert_eq!(
            nt("ALTER SUBSCRIPTION s DROP PUBLICATION p"),
            Some("ALTER SUBSCRIPTION DROP PUBLICATION")
        );
        assert_eq!(
            nt("ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)"),
            None
        );
        assert_eq!(nt("ALTER SUBSCRIPTION s SET (slot_name = NONE)"), None);
        assert_eq!(nt("ALTER SUBSCRIPTION s DISABLE"), None);
        assert_eq!(nt("ALTER SUBSCRIPTION s CONNECTION 'x'"), None);
    }

    #[test]
    fn detach_partition_concurrently() {
        let nt = non_transactional;
        let name = Some("ALTER TABLE DETACH PARTITION CONCURRENTLY");
        assert_eq!(nt("ALTER TABLE t DETACH PARTITION p CONCURRENTLY"), name);
        assert_eq!(
            nt("alter table if exists only s.t detach partition s.p concurrently"),
            name
        );
        assert_eq!(
            nt("ALTER TABLE \"T\" DETACH PARTITION \"s\" . \"P\" /* c */ CONCURRENTLY"),
            name
        );
        assert_eq!(nt("ALTER TABLE t DETACH PARTITION p"), None);
        assert_eq!(nt("ALTER TABLE t DETACH PARTITION p FINALIZE"), None);
        assert_eq!(nt("ALTER TABLE t DETACH PARTITION concurrently"), None);
        assert_eq!(
            nt("ALTER TABLE t ATTACH PARTITION p FOR VALUES IN (1)"),
            None
        );
        assert_eq!(nt("ALTER TABLE t ADD COLUMN concurrently int"), None);
    }

    #[test]
    fn keywords_in_strings_and_comments_do_not_count() {
        let nt = non_transactional;
        assert_eq!(nt("COMMENT ON TABLE t IS 'run VACUUM later'"), None);
        assert_eq!(nt("SELECT 'CREATE DATABASE'"), None);
        assert_eq!(nt("/* VACUUM */ SELECT 1"), None);
        assert_eq!(nt("-- CREATE INDEX CONCURRENTLY\nSELECT 1"), None);
        assert_eq!(nt("CREATE INDEX /* CONCURRENTLY */ i ON t (a)"), None);
        assert_eq!(nt("\"vacuum\""), None);
        assert_eq!(nt("SELECT $$ALTER SYSTEM$$"), None);
        assert_eq!(nt("DO $$ BEGIN VACUUM; END $$"), None);
    }

    // --- unwrap_transaction --------------------------------------------------------------

    #[test]
    fn a_self_wrapping_script_loses_its_wrapper_only() {
        let src = "BEGIN;\nSELECT 1;\nSELECT 2;\nCOMMIT;";
        let statements = split(src).unwrap();
        let inner = unwrap_transaction(src, &statements);
        assert_eq!(
            inner.iter().map(|s| s.text(src)).collect::<Vec<_>>(),
            ["SELECT 1", "SELECT 2"]
        );
        let src = "SELECT 1;\nCOMMIT;";
        let statements = split(src).unwrap();
        assert_eq!(unwrap_transaction(src, &statements).len(), 2);
        let src = "BEGIN; COMMIT;";
        let statements = split(src).unwrap();
        assert!(unwrap_transaction(src, &statements).is_empty());
    }

    // --- transaction_control ---------------------------------------------------------------

    #[test]
    fn transaction_control_statements() {
        let tc = transaction_control;
        assert_eq!(tc("BEGIN"), Some(TxControl::Begin));
        assert_eq!(tc("begin work"), Some(TxControl::Begin));
        assert_eq!(
            tc("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
            Some(TxControl::Begin)
        );
        assert_eq!(tc("START TRANSACTION"), Some(TxControl::Begin));
        assert_eq!(
            tc("-- go\nstart /* c */ transaction read only"),
            Some(TxControl::Begin)
        );
        assert_eq!(tc("COMMIT"), Some(TxControl::Commit));
        assert_eq!(tc("COMMIT WORK"), Some(TxControl::Commit));
        assert_eq!(tc("commit and no chain"), Some(TxControl::Commit));
        assert_eq!(tc("END"), Some(TxControl::Commit));
        assert_eq!(tc("END TRANSACTION"), Some(TxControl::Commit));
        assert_eq!(tc("ROLLBACK"), Some(TxControl::Rollback));
        assert_eq!(tc("ROLLBACK TRANSACTION"), Some(TxControl::Rollback));
        assert_eq!(tc("ABORT"), Some(TxControl::Rollback));
        assert_eq!(tc("abort work"), Some(TxControl::Rollback));
    }

    #[test]
    fn not_transaction_control() {
        let tc = transaction_control;
        assert_eq!(tc("SAVEPOINT s"), None);
        assert_eq!(tc("RELEASE SAVEPOINT s"), None);
        assert_eq!(tc("ROLLBACK TO SAVEPOINT s"), None);
        assert_eq!(tc("ROLLBACK TO s"), None);
        assert_eq!(tc("ROLLBACK WORK TO SAVEPOINT s"), None);
        assert_eq!(tc("COMMIT PREPARED 'x'"), None);
        assert_eq!(tc("ROLLBACK PREPARED 'x'"), None);
        assert_eq!(tc("START"), None);
        assert_eq!(tc("SELECT 'BEGIN'"), None);
        assert_eq!(tc("\"begin\""), None);
        assert_eq!(tc("-- BEGIN"), None);
        assert_eq!(tc("CREATE TABLE begin (a int)"), None);
        assert_eq!(tc(""), None);
    }

    // --- positions -------------------------------------------------------------------------

    #[test]
    fn line_col_positions() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 2), (1, 3));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 5), (2, 3));
        assert_eq!(line_col(src, 7), (2, 4)); // after the two-byte é
        assert_eq!(line_col(src, 8), (3, 1));
        assert_eq!(line_col(src, 100), (3, 2));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn char_to_byte_offsets() {
        let s = "aéb✓c";
        assert_eq!(char_to_byte(s, 0), 0);
        assert_eq!(char_to_byte(s, 1), 1);
        assert_eq!(char_to_byte(s, 2), 3);
        assert_eq!(char_to_byte(s, 3), 4);
        assert_eq!(char_to_byte(s, 4), 7);
        assert_eq!(char_to_byte(s, 5), s.len());
        assert_eq!(char_to_byte(s, 99), s.len());
        assert_eq!(char_to_byte("", 0), 0);
    }
}
