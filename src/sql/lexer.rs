//! PostgreSQL's lexical rules, byte by byte: quoted identifiers, string constants (with
//! `E''` escapes and `standard_conforming_strings`), dollar quotes, nested block
//! comments, psql variables. The splitter and the statement classes read tokens from
//! here; nothing else knows the rules.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Identifier or keyword, unquoted.
    Word,
    QuotedIdent,
    /// Any single-quoted string: plain, E'', U&'', B'', X'', N''.
    String,
    DollarString,
    /// `$1`.
    Param,
    Number,
    /// `--` to the end of the line, excluding the line break.
    LineComment,
    BlockComment,
    /// Any other single byte: operators, punctuation, `;`.
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unterminated {
    String,
    EscapeString,
    QuotedIdent,
    /// The delimiter spans from the error offset to this end offset.
    DollarQuote {
        delimiter_end: usize,
    },
    BlockComment,
}

/// A construct opened at `offset` and never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) offset: usize,
    pub(crate) what: Unterminated,
}

/// The UTF-8 byte-order mark some editors put first.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Clone)]
pub(crate) struct Lexer<'a> {
    pub(crate) src: &'a [u8],
    pub(crate) pos: usize,
    /// `standard_conforming_strings` is off: a backslash escapes in `'…'` strings too.
    pub(crate) backslash_strings: bool,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a [u8]) -> Self {
        // Editors on Windows like to save a byte-order mark. The server would read it as
        // part of the first word, so it is skipped as if it were whitespace.
        let pos = if src.starts_with(BOM) { BOM.len() } else { 0 };
        Lexer {
            src,
            pos,
            backslash_strings: false,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    fn fail(&mut self, offset: usize, what: Unterminated) -> Option<Result<Token, LexError>> {
        // Everything after an unterminated construct belongs to it, so nothing more can
        // be tokenised; ending the iteration keeps it fused.
        self.pos = self.src.len();
        Some(Err(LexError { offset, what }))
    }

    /// Position just past the closing quote of a `'...'` string whose opening quote is at
    /// `open`; `backslash` escapes the next byte as E'' strings do.
    fn quoted(&self, open: usize, quote: u8, backslash: bool) -> Option<usize> {
        let src = self.src;
        let mut i = open + 1;
        while i < src.len() {
            let b = src[i];
            if b == quote {
                // A doubled quote is an escaped quote, in every kind of string.
                if src.get(i + 1) == Some(&quote) {
                    i += 2;
                    continue;
                }
                return Some(i + 1);
            }
            i += if backslash && b == b'\\' { 2 } else { 1 };
        }
        None
    }

    fn block_comment(&self, open: usize) -> Option<usize> {
        let src = self.src;
        let mut depth = 0usize;
        let mut i = open;
        while i + 1 < src.len() {
            match (src[i], src[i + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    i += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => i += 1,
            }
        }
        None
    }

    fn number(&self, start: usize) -> usize {
        let src = self.src;
        let digits = |mut i: usize| {
            while i < src.len() && src[i].is_ascii_digit() {
                i += 1;
            }
            i
        };
        let mut i = digits(start);
        // `1.` is a complete numeric literal, so `THEN 1. END` must not read END as a
        // label after a dot. `1..2` is an integer and `..`, as in PostgreSQL.
        if self.at(i) == b'.' && self.at(i + 1) != b'.' {
            i = digits(i + 1);
        }
        if matches!(self.at(i), b'e' | b'E') {
            let sign = usize::from(matches!(self.at(i + 1), b'+' | b'-'));
            if self.at(i + 1 + sign).is_ascii_digit() {
                i = digits(i + 1 + sign);
            }
        }
        i
    }
}

pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// PostgreSQL treats every byte >= 0x80 as an identifier character, whatever the encoding.
pub(crate) fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

pub(crate) fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Dollar-quote tags are identifiers without `$`, so the tag cannot swallow its delimiter.
pub(crate) fn is_tag_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

pub(crate) fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        i += hay[i..].iter().position(|&b| b == first)?;
        if hay[i..].starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

impl Iterator for Lexer<'_> {
    type Item = Result<Token, LexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let src = self.src;
        while self.pos < src.len() && is_space(src[self.pos]) {
            self.pos += 1;
        }
        let start = self.pos;
        let b = *src.get(start)?;
        let next = self.at(start + 1);
        let (kind, end) = match b {
            b'-' if next == b'-' => {
                // PostgreSQL ends a line comment at either line-break byte.
                let len = src[start..]
                    .iter()
                    .position(|&c| c == b'\n' || c == b'\r')
                    .unwrap_or(src.len() - start);
                (TokenKind::LineComment, start + len)
            }
            b'/' if next == b'*' => match self.block_comment(start) {
                Some(end) => (TokenKind::BlockComment, end),
                None => return self.fail(start, Unterminated::BlockComment),
            },
            b'\'' => match self.quoted(start, b'\'', self.backslash_strings) {
                Some(end) => (TokenKind::String, end),
                None => return self.fail(start, Unterminated::String),
            },
            b'"' => match self.quoted(start, b'"', false) {
                Some(end) => (TokenKind::QuotedIdent, end),
                None => return self.fail(start, Unterminated::QuotedIdent),
            },
            b'$' if next.is_ascii_digit() => {
                let mut i = start + 1;
                while i < src.len() && src[i].is_ascii_digit() {
                    i += 1;
                }
                (TokenKind::Param, i)
            }
            b'$' => {
                let mut i = start + 1;
                if is_ident_start(next) {
                    while i < src.len() && is_tag_cont(src[i]) {
                        i += 1;
                    }
                }
                if self.at(i) == b'$' {
                    let delimiter = &src[start..=i];
                    match find(src, i + 1, delimiter) {
                        Some(close) => (TokenKind::DollarString, close + delimiter.len()),
                        None => {
                            let what = Unterminated::DollarQuote {
                                delimiter_end: i + 1,
                            };
                            return self.fail(start, what);
                        }
                    }
                } else {
                    // A lone `$` is an operator character to the server; let it say so.
                    (TokenKind::Punct, start + 1)
                }
            }
            b'0'..=b'9' => (TokenKind::Number, self.number(start)),
            b'.' if next.is_ascii_digit() => (TokenKind::Number, self.number(start + 1)),
            _ if is_ident_start(b) => {
                let mut i = start + 1;
                while i < src.len() && is_ident_cont(src[i]) {
                    i += 1;
                }
                // Only the one-letter word E opens an escape string; `some'x'` is the
                // identifier `some` followed by a standard string.
                if i == start + 1 && (b == b'e' || b == b'E') && self.at(i) == b'\'' {
                    match self.quoted(i, b'\'', true) {
                        Some(end) => (TokenKind::String, end),
                        None => return self.fail(start, Unterminated::EscapeString),
                    }
                } else {
                    (TokenKind::Word, i)
                }
            }
            _ => (TokenKind::Punct, start + 1),
        };
        self.pos = end;
        Some(Ok(Token { kind, start, end }))
    }
}
