//! Statement classes, recognised by their leading words: the ones PostgreSQL refuses in a
//! transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`…), transaction control
//! (`BEGIN`, `COMMIT`), statements that change the session, and the identifiers a
//! statement names.

use crate::sql::lexer::{Lexer, Token, TokenKind};

/// Top-level transaction control, as found by [`transaction_control`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxControl {
    Begin,
    Commit,
    Rollback,
}

impl TxControl {
    pub fn keyword(self) -> &'static str {
        match self {
            TxControl::Begin => "BEGIN",
            TxControl::Commit => "COMMIT",
            TxControl::Rollback => "ROLLBACK",
        }
    }
}

/// One element of a statement's leading words in [`NON_TRANSACTIONAL`].
#[derive(Clone, Copy)]
pub(crate) enum W {
    /// This keyword.
    Is(&'static str),
    /// Any one word: a name.
    Name,
    /// An optional parenthesised option list, `(VERBOSE, …)`.
    Parens,
    /// This keyword, or nothing.
    Maybe(&'static str),
}

/// What must hold of the rest of the statement once its leading words matched.
#[derive(Clone, Copy)]
pub(crate) enum Rest {
    Anything,
    /// Nothing follows.
    Nothing,
    /// None of these boolean options is set to false (`WITH (refresh = false)`).
    NotFalse(&'static [&'static str]),
    /// It is `… DETACH PARTITION name CONCURRENTLY`.
    DetachConcurrently,
}

/// A statement PostgreSQL refuses inside a transaction block, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonTransactional {
    CreateIndexConcurrently,
    CreateDatabase,
    CreateTablespace,
    CreateSubscription,
    DropIndexConcurrently,
    DropDatabase,
    DropTablespace,
    DropSubscription,
    ReindexSchema,
    ReindexDatabase,
    ReindexSystem,
    ReindexConcurrently,
    Vacuum,
    AlterSystem,
    AlterDatabaseSetTablespace,
    AlterSubscriptionRefreshPublication,
    AlterSubscriptionSetPublication,
    AlterSubscriptionAddPublication,
    AlterSubscriptionDropPublication,
    AlterTableDetachPartitionConcurrently,
    Cluster,
    DiscardAll,
    CommitPrepared,
    RollbackPrepared,
}

impl std::fmt::Display for NonTransactional {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl NonTransactional {
    /// The statement's name, as messages show it: "CREATE INDEX CONCURRENTLY".
    pub fn name(self) -> &'static str {
        match self {
            NonTransactional::CreateIndexConcurrently => "CREATE INDEX CONCURRENTLY",
            NonTransactional::CreateDatabase => "CREATE DATABASE",
            NonTransactional::CreateTablespace => "CREATE TABLESPACE",
            NonTransactional::CreateSubscription => "CREATE SUBSCRIPTION",
            NonTransactional::DropIndexConcurrently => "DROP INDEX CONCURRENTLY",
            NonTransactional::DropDatabase => "DROP DATABASE",
            NonTransactional::DropTablespace => "DROP TABLESPACE",
            NonTransactional::DropSubscription => "DROP SUBSCRIPTION",
            NonTransactional::ReindexSchema => "REINDEX SCHEMA",
            NonTransactional::ReindexDatabase => "REINDEX DATABASE",
            NonTransactional::ReindexSystem => "REINDEX SYSTEM",
            NonTransactional::ReindexConcurrently => "REINDEX CONCURRENTLY",
            NonTransactional::Vacuum => "VACUUM",
            NonTransactional::AlterSystem => "ALTER SYSTEM",
            NonTransactional::AlterDatabaseSetTablespace => "ALTER DATABASE SET TABLESPACE",
            NonTransactional::AlterSubscriptionRefreshPublication => {
                "ALTER SUBSCRIPTION REFRESH PUBLICATION"
            }
            NonTransactional::AlterSubscriptionSetPublication => {
                "ALTER SUBSCRIPTION SET PUBLICATION"
            }
            NonTransactional::AlterSubscriptionAddPublication => {
                "ALTER SUBSCRIPTION ADD PUBLICATION"
            }
            NonTransactional::AlterSubscriptionDropPublication => {
                "ALTER SUBSCRIPTION DROP PUBLICATION"
            }
            NonTransactional::AlterTableDetachPartitionConcurrently => {
                "ALTER TABLE DETACH PARTITION CONCURRENTLY"
            }
            NonTransactional::Cluster => "CLUSTER",
            NonTransactional::DiscardAll => "DISCARD ALL",
            NonTransactional::CommitPrepared => "COMMIT PREPARED",
            NonTransactional::RollbackPrepared => "ROLLBACK PREPARED",
        }
    }

    /// Whether it builds, rebuilds or drops an index concurrently (or detaches a partition
    /// so): given up part way, it leaves an INVALID index (or a pending detach) behind —
    /// never something to try again without a person looking.
    pub fn is_concurrent(self) -> bool {
        matches!(
            self,
            NonTransactional::CreateIndexConcurrently
                | NonTransactional::DropIndexConcurrently
                | NonTransactional::ReindexConcurrently
                | NonTransactional::AlterTableDetachPartitionConcurrently
        )
    }
}

/// Statements PostgreSQL refuses inside a transaction block, by their leading words, with
/// their kind. Statements whose restriction depends on catalog state rather
/// than on their text (REINDEX or CLUSTER of a partitioned table) cannot be here.
#[rustfmt::skip]
pub(crate) const NON_TRANSACTIONAL: &[(&[W], Rest, NonTransactional)] = {
    use NonTransactional as N;
    use Rest::*;
    use W::*;
    &[
        (&[Is("create"), Is("index"), Is("concurrently")], Anything, N::CreateIndexConcurrently),
        (&[Is("create"), Is("unique"), Is("index"), Is("concurrently")], Anything, N::CreateIndexConcurrently),
        (&[Is("create"), Is("database")], Anything, N::CreateDatabase),
        (&[Is("create"), Is("tablespace")], Anything, N::CreateTablespace),
        // Only creating the replication slot forbids a transaction block; without a
        // connection no slot is created either.
        (&[Is("create"), Is("subscription")], NotFalse(&["create_slot", "connect"]), N::CreateSubscription),
        (&[Is("drop"), Is("index"), Is("concurrently")], Anything, N::DropIndexConcurrently),
        (&[Is("drop"), Is("database")], Anything, N::DropDatabase),
        (&[Is("drop"), Is("tablespace")], Anything, N::DropTablespace),
        // Whether a slot is attached is catalog state; assume it is, as it is by default.
        (&[Is("drop"), Is("subscription")], Anything, N::DropSubscription),
        (&[Is("reindex"), Parens, Is("schema")], Anything, N::ReindexSchema),
        (&[Is("reindex"), Parens, Is("database")], Anything, N::ReindexDatabase),
        (&[Is("reindex"), Parens, Is("system")], Anything, N::ReindexSystem),
        (&[Is("reindex"), Parens, Is("index"), Is("concurrently")], Anything, N::ReindexConcurrently),
        (&[Is("reindex"), Parens, Is("table"), Is("concurrently")], Anything, N::ReindexConcurrently),
        (&[Is("vacuum")], Anything, N::Vacuum),
        (&[Is("alter"), Is("system")], Anything, N::AlterSystem),
        (&[Is("alter"), Is("database"), Name, Is("set"), Is("tablespace")], Anything, N::AlterDatabaseSetTablespace),
        (&[Is("alter"), Is("subscription"), Name, Is("refresh"), Is("publication")], Anything, N::AlterSubscriptionRefreshPublication),
        // These refresh the subscription unless told not to, and refreshing is what cannot
        // happen inside a transaction block.
        (&[Is("alter"), Is("subscription"), Name, Is("set"), Is("publication")], NotFalse(&["refresh"]), N::AlterSubscriptionSetPublication),
        (&[Is("alter"), Is("subscription"), Name, Is("add"), Is("publication")], NotFalse(&["refresh"]), N::AlterSubscriptionAddPublication),
        (&[Is("alter"), Is("subscription"), Name, Is("drop"), Is("publication")], NotFalse(&["refresh"]), N::AlterSubscriptionDropPublication),
        (&[Is("alter"), Is("table")], DetachConcurrently, N::AlterTableDetachPartitionConcurrently),
        // Only the form that reclusters every table runs in its own transactions.
        (&[Is("cluster"), Parens, Maybe("verbose")], Nothing, N::Cluster),
        (&[Is("discard"), Is("all")], Anything, N::DiscardAll),
        (&[Is("commit"), Is("prepared")], Anything, N::CommitPrepared),
        (&[Is("rollback"), Is("prepared")], Anything, N::RollbackPrepared),
    ]
};

/// If this statement cannot run inside a transaction block, which kind it is. `text` is one
/// statement as returned by split.
pub fn non_transactional(text: &str) -> Option<NonTransactional> {
    // The first two words, read once, rule out almost every rule, and the rest is matched
    // from where they end: this runs for every statement of every migration as the files
    // are loaded.
    let mut w = Words::new(text);
    let word = |t: Option<Token>| {
        t.filter(|t| t.kind == TokenKind::Word)
            .map(|t| &text[t.start..t.end])
    };
    let first = word(w.next())?;
    let after_first = w.clone();
    let second = word(w.next());
    let after_second = w;
    let is = |word: Option<&str>, kw: &str| word.is_some_and(|w| w.eq_ignore_ascii_case(kw));
    let head = |words: &[W]| matches!(words[0], W::Is(kw) if is(Some(first), kw));
    // The rules are grouped by their first word.
    NON_TRANSACTIONAL
        .iter()
        .skip_while(|(words, _, _)| !head(words))
        .take_while(|(words, _, _)| head(words))
        .find(|(words, rest, _)| match words.get(1) {
            Some(W::Is(kw)) => {
                is(second, kw) && statement_matches(after_second.clone(), &words[2..], *rest)
            }
            _ => statement_matches(after_first.clone(), &words[1..], *rest),
        })
        .map(|(_, _, name)| *name)
}

/// Whether the statement, from where `w` stands, goes on with `words` and then `rest`.
pub(crate) fn statement_matches(mut w: Words<'_>, words: &[W], rest: Rest) -> bool {
    for word in words {
        match *word {
            W::Is(kw) => match w.next() {
                Some(t) if w.is(t, kw) => {}
                _ => return false,
            },
            W::Name => {
                if w.next().is_none() {
                    return false;
                }
            }
            W::Parens => w.skip_parens(),
            W::Maybe(kw) => {
                w.eat(kw);
            }
        }
    }
    match rest {
        Rest::Anything => true,
        Rest::Nothing => w.next().is_none(),
        Rest::NotFalse(options) => !w.option_is_false(options),
        Rest::DetachConcurrently => w.detach_partition_concurrently(),
    }
}

/// The names a script mentions, as the catalog spells them: unquoted words folded to lower
/// case, quoted identifiers as written. Keywords come along; they match no table.
pub fn identifiers(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut names: Vec<String> = Lexer::new(bytes)
        .map_while(Result::ok)
        .filter_map(|t| match t.kind {
            TokenKind::Word => Some(text[t.start..t.end].to_ascii_lowercase()),
            TokenKind::QuotedIdent => Some(text[t.start + 1..t.end - 1].replace("\"\"", "\"")),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Whether this statement may change a setting of the session it runs in, beyond its own
/// transaction: `SET` (but not `SET LOCAL`, `SET CONSTRAINTS` or `SET TRANSACTION`),
/// `RESET`, `DISCARD`, a `set_config` call, or a `DO` block that mentions `SET`. ferry puts
/// the session's settings back after a migration holding one; a function that sets
/// something when called cannot be seen from here.
pub fn may_change_session(text: &str) -> bool {
    let mut w = Words::new(text);
    let Some(first) = w.next() else {
        return false;
    };
    if w.is(first, "set") {
        return !(w.peek_is("local") || w.peek_is("constraints") || w.peek_is("transaction"));
    }
    if w.is(first, "reset") || w.is(first, "discard") {
        return true;
    }
    // A call of set_config at the top level is a query's; spelled in lower or upper case,
    // as people write SQL.
    let has = |lower: &str| text.contains(lower) || text.contains(&lower.to_ascii_uppercase());
    if w.is(first, "do") {
        return has("set ") || has("set_config");
    }
    ["select", "with", "values", "call"]
        .iter()
        .any(|kw| w.is(first, kw))
        && has("set_config")
}

/// Whether this statement turns `standard_conforming_strings` on or off (`SET [SESSION |
/// LOCAL] standard_conforming_strings {TO | =} value`, `SET … TO DEFAULT`, `RESET` of it
/// or of everything); None when it leaves it alone.
pub fn standard_strings_after(text: &str) -> Option<bool> {
    let mut w = Words::new(text);
    let first = w.next()?;
    if w.is(first, "reset") {
        let what = w.next()?;
        return (w.is(what, "all") || w.is(what, "standard_conforming_strings")).then_some(true);
    }
    if !w.is(first, "set") {
        return None;
    }
    let mut name = w.next()?;
    if w.is(name, "session") || w.is(name, "local") {
        name = w.next()?;
    }
    if !w.is(name, "standard_conforming_strings") {
        return None;
    }
    let to = w.next()?;
    if !(w.is(to, "to") || w.is_punct(to, b'=')) {
        return None;
    }
    let value = w.next()?;
    let raw = &text.as_bytes()[value.start..value.end];
    let word = match value.kind {
        TokenKind::String => raw.get(1..raw.len().saturating_sub(1)).unwrap_or(b""),
        _ => raw,
    };
    if word.eq_ignore_ascii_case(b"default") {
        return Some(true);
    }
    let on = ["on", "true", "yes", "1"]
        .iter()
        .any(|v| word.eq_ignore_ascii_case(v.as_bytes()));
    let off = is_false_word(word) || word.eq_ignore_ascii_case(b"no") || word == b"0";
    (on || off).then_some(on)
}

/// If the statement is top-level transaction control (BEGIN, START TRANSACTION, COMMIT,
/// END, ROLLBACK, ABORT), which one. SAVEPOINT, RELEASE, ROLLBACK TO SAVEPOINT and the
/// two-phase COMMIT/ROLLBACK PREPARED are not: they neither open nor close the block.
pub fn transaction_control(text: &str) -> Option<TxControl> {
    let mut w = Words::new(text);
    let first = w.next()?;
    if w.is(first, "begin") {
        return Some(TxControl::Begin);
    }
    if w.is(first, "start") {
        return w.eat("transaction").then_some(TxControl::Begin);
    }
    if w.is(first, "end") {
        return Some(TxControl::Commit);
    }
    if w.is(first, "commit") {
        return (!w.peek_is("prepared")).then_some(TxControl::Commit);
    }
    if w.is(first, "rollback") || w.is(first, "abort") {
        if w.peek_is("prepared") {
            return None;
        }
        if !w.eat("work") {
            w.eat("transaction");
        }
        return (!w.peek_is("to")).then_some(TxControl::Rollback);
    }
    None
}

/// Significant tokens of one statement, for recognising its leading keywords.
#[derive(Clone)]
pub(crate) struct Words<'a> {
    pub(crate) src: &'a [u8],
    pub(crate) lexer: Lexer<'a>,
    pub(crate) peeked: Option<Option<Token>>,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        Words {
            src: text.as_bytes(),
            lexer: Lexer::new(text.as_bytes()),
            peeked: None,
        }
    }

    fn next(&mut self) -> Option<Token> {
        if let Some(peeked) = self.peeked.take() {
            return peeked;
        }
        // A lexing error ends the statement for classification: whatever was recognised
        // before it stands, and split reports the error itself.
        self.lexer
            .by_ref()
            .map_while(Result::ok)
            .find(|t| !matches!(t.kind, TokenKind::LineComment | TokenKind::BlockComment))
    }

    fn peek(&mut self) -> Option<Token> {
        if self.peeked.is_none() {
            let next = self.next();
            self.peeked = Some(next);
        }
        self.peeked.flatten()
    }

    /// Whether `tok` is the unquoted keyword `kw` (given in lower case).
    fn is(&self, tok: Token, kw: &str) -> bool {
        tok.kind == TokenKind::Word
            && self.src[tok.start..tok.end].eq_ignore_ascii_case(kw.as_bytes())
    }

    fn is_punct(&self, tok: Token, c: u8) -> bool {
        tok.kind == TokenKind::Punct && self.src[tok.start] == c
    }

    fn peek_is(&mut self, kw: &str) -> bool {
        self.peek().is_some_and(|t| self.is(t, kw))
    }

    /// Consumes the next token if it is the keyword `kw`.
    fn eat(&mut self, kw: &str) -> bool {
        let found = self.peek_is(kw);
        if found {
            self.next();
        }
        found
    }

    /// Skips a parenthesised option list such as `(VERBOSE, TABLESPACE x)` if one is next.
    fn skip_parens(&mut self) {
        if !self.peek().is_some_and(|t| self.is_punct(t, b'(')) {
            return;
        }
        let mut depth = 0usize;
        while let Some(t) = self.next() {
            if self.is_punct(t, b'(') {
                depth += 1;
            } else if self.is_punct(t, b')') {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// Whether the rest of the statement sets one of the boolean options `names` to false,
    /// as in `WITH (refresh = false)`. Option values are only ever spelled as words,
    /// strings or numbers, and the option names cannot appear elsewhere followed by `=`.
    fn option_is_false(&mut self, names: &[&str]) -> bool {
        while let Some(t) = self.next() {
            if !names.iter().any(|n| self.is(t, n)) {
                continue;
            }
            if !self.peek().is_some_and(|t| self.is_punct(t, b'=')) {
                continue;
            }
            self.next();
            if let Some(value) = self.peek() {
                let raw = &self.src[value.start..value.end];
                let falsy = match value.kind {
                    TokenKind::Word => is_false_word(raw),
                    TokenKind::String => is_false_word(raw.get(1..raw.len() - 1).unwrap_or(b"")),
                    TokenKind::Number => raw == b"0",
                    _ => false,
                };
                if falsy {
                    return true;
                }
            }
        }
        false
    }

    /// After `ALTER TABLE`: whether the statement is `… DETACH PARTITION name CONCURRENTLY`.
    fn detach_partition_concurrently(&mut self) -> bool {
        while let Some(t) = self.next() {
            if !(self.is(t, "detach") && self.eat("partition")) {
                continue;
            }
            // The partition name, possibly schema-qualified.
            loop {
                match self.next() {
                    Some(t) if matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent) => {}
                    _ => return false,
                }
                match self.peek() {
                    Some(t) if self.is_punct(t, b'.') => {
                        self.next();
                    }
                    _ => break,
                }
            }
            return self.eat("concurrently");
        }
        false
    }
}

pub(crate) fn is_false_word(w: &[u8]) -> bool {
    w.eq_ignore_ascii_case(b"false") || w.eq_ignore_ascii_case(b"off")
}
