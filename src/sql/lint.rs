//! Lint: the statements that lock or break a live database, found before they run. Each
//! rule has an id, a severity, a one-line reason and the safe pattern to use instead; it
//! reads the statement's words (comments and strings never match), knowing ferry's own
//! semantics: a migration is one transaction, so what it does to a table it created itself
//! locks nobody and is exempt. `-- ferry:allow RULE-ID[, RULE-ID…]` in a file silences those
//! rules for it.
//!
//! A [`Linter`] reads migrations in version order and carries what the earlier ones did: a
//! `CHECK (c IS NOT NULL)` added `NOT VALID` and validated later makes a `SET NOT NULL` on
//! `c` safe.

use std::collections::{HashMap, HashSet};

use super::lexer::{Lexer, TokenKind};
use super::split::Statement;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One rule. `reason` has `{}` where the table (or column) goes.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub reason: &'static str,
    pub instead: &'static str,
}

/// Every rule, as `ferry lint` reports them.
pub(crate) const RULES: &[Rule] = &[
    Rule {
        id: "index-not-concurrent",
        severity: Severity::Error,
        reason: "CREATE INDEX on {} blocks writes to it until the index is built",
        instead: "CREATE INDEX CONCURRENTLY, alone in a migration with `-- ferry:no-transaction`",
    },
    Rule {
        id: "add-column-not-null",
        severity: Severity::Error,
        reason: "ADD COLUMN {} NOT NULL without a DEFAULT fails on a table that has rows",
        instead: "add the column with a DEFAULT, or add it nullable, backfill, then add a CHECK (… IS NOT NULL) NOT VALID and validate it",
    },
    Rule {
        id: "add-column-volatile-default",
        severity: Severity::Error,
        reason: "ADD COLUMN {} with a volatile DEFAULT (or a stored generated value) rewrites the whole table under an exclusive lock",
        instead: "add the column without a default (or with a constant one), then backfill in batches and set the default",
    },
    Rule {
        id: "set-not-null",
        severity: Severity::Error,
        reason: "SET NOT NULL on {} scans the whole table under an exclusive lock",
        instead: "ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, then SET NOT NULL (PostgreSQL 12+ uses the check)",
    },
    Rule {
        id: "constraint-not-valid",
        severity: Severity::Error,
        reason: "adding a FOREIGN KEY or CHECK on {} without NOT VALID checks every row under a lock that blocks writes",
        instead: "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration (it takes a weaker lock)",
    },
    Rule {
        id: "foreign-key-locks-referenced",
        severity: Severity::Warning,
        reason: "a FOREIGN KEY to {} takes a SHARE ROW EXCLUSIVE lock on it: writes to it wait until the migration commits",
        instead: "keep the migration that adds it short (a migration of its own), so the lock is held for a moment",
    },
    Rule {
        id: "constraint-builds-index",
        severity: Severity::Error,
        reason: "a UNIQUE, PRIMARY KEY or EXCLUDE constraint on {} builds its index while writes are blocked",
        instead: "CREATE UNIQUE INDEX CONCURRENTLY first (its own `-- ferry:no-transaction` migration), then ADD CONSTRAINT … UNIQUE USING INDEX",
    },
    Rule {
        id: "alter-column-type",
        severity: Severity::Warning,
        reason: "ALTER COLUMN {} TYPE may rewrite the table and its indexes under an exclusive lock",
        instead: "add a new column, backfill it, switch the code over, then drop the old one (a varchar made longer, or made text, is safe)",
    },
    Rule {
        id: "drop-column",
        severity: Severity::Warning,
        reason: "dropping column {} breaks code still reading it",
        instead: "deploy code that no longer uses the column first, then drop it",
    },
    Rule {
        id: "drop-table",
        severity: Severity::Warning,
        reason: "dropping table {} breaks code still using it",
        instead: "deploy code that no longer uses the table first, then drop it",
    },
    Rule {
        id: "rename-column",
        severity: Severity::Warning,
        reason: "renaming column {} breaks code still using the old name",
        instead: "add the new column, write both, switch reads, then drop the old one (or use a view)",
    },
    Rule {
        id: "rename-table",
        severity: Severity::Warning,
        reason: "renaming table {} breaks code still using the old name",
        instead: "rename, then create a view with the old name until the code has moved",
    },
    Rule {
        id: "truncate",
        severity: Severity::Warning,
        reason: "TRUNCATE {} deletes every row, and takes an exclusive lock",
        instead: "DELETE in batches if the rows matter; keep TRUNCATE for tables that are truly scratch",
    },
    Rule {
        id: "vacuum-full",
        severity: Severity::Error,
        reason: "VACUUM FULL rewrites {} under an exclusive lock: no reads or writes until done",
        instead: "plain VACUUM, or pg_repack outside the migration",
    },
    Rule {
        id: "cluster",
        severity: Severity::Error,
        reason: "CLUSTER rewrites {} under an exclusive lock: no reads or writes until done",
        instead: "pg_repack outside the migration",
    },
    Rule {
        id: "reindex-not-concurrent",
        severity: Severity::Error,
        reason: "REINDEX of {} blocks writes (and reads that use the index) until done",
        instead: "REINDEX … CONCURRENTLY, alone in a migration with `-- ferry:no-transaction`",
    },
    Rule {
        id: "not-atomic",
        severity: Severity::Warning,
        reason: "the migration manages its own transactions ({} here), so it is not atomic: a failure after one of its COMMITs leaves what came before committed and the database dirty",
        instead: "remove its BEGIN and COMMIT so that ferry's one transaction holds the whole file, or split it into a migration per block",
    },
    Rule {
        id: "drop-index-not-concurrent",
        severity: Severity::Warning,
        reason: "DROP INDEX {} takes an ACCESS EXCLUSIVE lock on its table: every read and write waits, and queues behind any long query",
        instead: "DROP INDEX CONCURRENTLY, alone in a migration with `-- ferry:no-transaction`",
    },
    Rule {
        id: "detach-partition-not-concurrent",
        severity: Severity::Warning,
        reason: "DETACH PARTITION from {} takes an ACCESS EXCLUSIVE lock on the partitioned table: every read and write of it waits",
        instead: "DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), alone in a migration with `-- ferry:no-transaction`",
    },
    Rule {
        id: "whole-table-dml",
        severity: Severity::Warning,
        reason: "{} touches every row in the migration's one transaction: each row stays locked until COMMIT, and every row gets a new version",
        instead: "change the rows in batches (a `-- ferry:no-transaction` migration of batched statements, or a job outside migrations), or add a WHERE",
    },
    Rule {
        id: "enum-add-value",
        severity: Severity::Warning,
        reason: "ALTER TYPE {} ADD VALUE: the new value cannot be used until the migration commits, and before PostgreSQL 12 it cannot run in a transaction at all",
        instead: "add the value in a migration of its own (`-- ferry:no-transaction` on PostgreSQL 11 and older) and use it from a later one",
    },
    Rule {
        id: "lock-table",
        severity: Severity::Warning,
        reason: "LOCK TABLE {} holds its lock until the migration commits, queueing every query behind it",
        instead: "let each statement take the lock it needs; keep migrations that must lock short",
    },
];

/// Rules only a trace (`ferry lint --trace`, `shadow::trace`) can find: what PostgreSQL
/// did, not what the words say.
pub(crate) const TRACE_RULES: &[Rule] = &[
    Rule {
        id: "table-rewrite",
        severity: Severity::Error,
        reason: "the statement rewrites {} under an ACCESS EXCLUSIVE lock: every read and write waits until the migration commits",
        instead: "a change that keeps the table's file (see the other rules' safe forms), or the new shape in a new table filled in batches",
    },
    Rule {
        id: "lock-held-through",
        severity: Severity::Warning,
        reason: "{}: every read and write waits for all of them, not only the statement that needs the lock",
        instead: "put the statement that takes the lock last in its migration, or in a migration of its own",
    },
];

/// Every rule: the linter's and the trace's.
pub(crate) fn every_rule() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(TRACE_RULES)
}

pub(crate) fn rule(id: &str) -> &'static Rule {
    every_rule()
        .find(|r| r.id == id)
        .expect("a rule the linter names exists")
}

/// What a rule found, in one statement.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub rule: &'static Rule,
    /// 1-based line of the statement.
    pub line: usize,
    /// The rule's reason with the table or column filled in.
    pub message: String,
}

/// The directive that silences rules for a file.
pub(crate) const ALLOW_DIRECTIVE: &str = "ferry:allow";

/// Reads migrations in version order (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Linter {
    /// `CHECK (col IS NOT NULL)` constraints by name: table and column, and whether
    /// validated.
    checks: HashMap<String, (String, String, bool)>,
    /// Tables made by the migrations of one run so far ([`Linter::one_run`]): new, so as
    /// exempt as a table the migration makes itself.
    run_created: Option<HashSet<String>>,
    /// Columns' types as the migrations wrote them (`table.column` → the type's words,
    /// lower case, without spaces): a varchar made longer, or made text, rewrites nothing.
    types: HashMap<String, String>,
}

impl Linter {
    /// The findings in one migration's script (`text` and its `statements`), allowed
    /// rules left out; what it does is remembered for the migrations after it.
    /// For the migrations one run applies one after another (a fresh database's first
    /// `up`): a table an earlier one of them made is new to this run too, and exempt.
    pub(crate) fn one_run() -> Self {
        Linter {
            run_created: Some(HashSet::new()),
            ..Linter::default()
        }
    }

    pub(crate) fn migration(&mut self, text: &str, statements: &[Statement]) -> Vec<Finding> {
        let allowed = allowed(text);
        // The tables this migration makes (and, in one run, the earlier ones made).
        let carried = self.run_created.take();
        let one_run = carried.is_some();
        let mut created = carried.unwrap_or_default();
        let mut found = Vec::new();
        let mut own_transactions = false;
        for statement in statements {
            if !own_transactions && !allowed.iter().any(|a| a == "not-atomic") {
                if let Some(control) = super::classify::transaction_control(statement.text(text)) {
                    own_transactions = true;
                    let rule = rule("not-atomic");
                    found.push(Finding {
                        rule,
                        line: statement.line,
                        message: rule.reason.replace("{}", control.keyword()),
                    });
                }
            }
            let tokens = tokens(statement.text(text));
            for (id, subject) in self.statement(&tokens, &mut created) {
                if allowed.iter().any(|a| a == id) {
                    continue;
                }
                let rule = rule(id);
                found.push(Finding {
                    rule,
                    line: statement.line,
                    message: rule.reason.replace("{}", &subject),
                });
            }
        }
        if one_run {
            self.run_created = Some(created);
        }
        found
    }

    /// What a migration that is not being linted does that matters to the ones after it
    /// (its `CHECK … IS NOT NULL` constraints and their validation, the types it gives
    /// columns): cheaper than
    /// [`migration`](Self::migration), reading only the statements that can matter.
    pub(crate) fn remember(&mut self, text: &str, statements: &[Statement]) {
        for statement in statements {
            let sql = statement.text(text);
            let starts = |word: &str| {
                sql.get(..word.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(word))
            };
            // Checks and their validation; columns' types (tables made, columns added or
            // changed).
            let matters = (starts("alter") || starts("create")) && {
                let lower = sql.to_ascii_lowercase();
                ["check", "validate", "type", "add", "table"]
                    .iter()
                    .any(|k| lower.contains(k))
            };
            if matters {
                let tokens = tokens(sql);
                self.statement(&tokens, &mut HashSet::new());
            }
        }
    }

    fn statement(
        &mut self,
        t: &[Tok<'_>],
        created: &mut HashSet<String>,
    ) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let Some(first) = t.first() else {
            return out;
        };
        if first.is("create") {
            self.create(t, created, &mut out);
        } else if first.is("alter") && t.get(1).is_some_and(|w| w.is("table")) {
            self.alter_table(t, created, &mut out);
        } else if first.is("drop") && t.get(1).is_some_and(|w| w.is("table")) {
            let mut i = 2;
            skip_words(t, &mut i, &["if", "exists"]);
            for name in name_list(t, i) {
                if !created.contains(&name) {
                    out.push(("drop-table", name));
                }
            }
        } else if first.is("truncate") {
            let mut i = 1;
            skip_words(t, &mut i, &["table", "only"]);
            let names = name_list(t, i);
            if names.iter().any(|n| !created.contains(n)) {
                out.push(("truncate", names.join(", ")));
            }
        } else if first.is("vacuum") {
            // `VACUUM FULL t` or `VACUUM (FULL, ANALYZE) t` (not `(FULL false)`).
            let full = match t.get(1) {
                Some(w) if w.is("full") => true,
                Some(w) if w.punct('(') => {
                    let options: Vec<&Tok<'_>> =
                        t[2..].iter().take_while(|w| !w.punct(')')).collect();
                    options.split(|w| w.punct(',')).any(|option| match option {
                        [name] => name.is("full"),
                        [name, value] => {
                            name.is("full")
                                && !(value.is("false") || value.is("off") || value.text == "0")
                        }
                        _ => false,
                    })
                }
                _ => false,
            };
            if full {
                out.push(("vacuum-full", subject_after_options(t, 1)));
            }
        } else if first.is("cluster") {
            out.push(("cluster", subject_after_options(t, 1)));
        } else if first.is("reindex") {
            if !t.iter().any(|w| w.is("concurrently")) {
                out.push(("reindex-not-concurrent", subject_after_options(t, 1)));
            }
        } else if first.is("drop") && t.get(1).is_some_and(|w| w.is("index")) {
            let mut i = 2;
            let concurrently = t.get(i).is_some_and(|w| w.is("concurrently"));
            skip_words(t, &mut i, &["concurrently", "if", "exists"]);
            if !concurrently {
                for name in name_list(t, i) {
                    if !created.contains(&name) {
                        out.push(("drop-index-not-concurrent", name));
                    }
                }
            }
        } else if first.is("update")
            || (first.is("delete") && t.get(1).is_some_and(|w| w.is("from")))
        {
            let mut i = if first.is("update") { 1 } else { 2 };
            skip_words(t, &mut i, &["only"]);
            let name = qualified(t, &mut i).unwrap_or_default();
            let whole = !top_level(&t[i..]).iter().any(|w| w.is("where"));
            if whole && !created.contains(&name) {
                let what = if first.is("update") {
                    "UPDATE of"
                } else {
                    "DELETE from"
                };
                out.push(("whole-table-dml", format!("{what} {name}")));
            }
        } else if first.is("alter") && t.get(1).is_some_and(|w| w.is("domain")) {
            // `ALTER DOMAIN d ADD [CONSTRAINT n] CHECK (…)` checks every column of the type.
            let mut i = 2;
            let name = qualified(t, &mut i).unwrap_or_default();
            let not_valid = t.windows(2).any(|w| w[0].is("not") && w[1].is("valid"));
            if t.get(i).is_some_and(|w| w.is("add")) && !not_valid && !created.contains(&name) {
                out.push((
                    "constraint-not-valid",
                    format!("every column of domain {name}"),
                ));
            }
        } else if first.is("alter") && t.get(1).is_some_and(|w| w.is("type")) {
            let mut i = 2;
            let name = qualified(t, &mut i).unwrap_or_default();
            if t.get(i).is_some_and(|w| w.is("add"))
                && t.get(i + 1).is_some_and(|w| w.is("value"))
                && !created.contains(&name)
            {
                out.push(("enum-add-value", name));
            }
        } else if first.is("lock") {
            let mut i = 1;
            skip_words(t, &mut i, &["table", "only"]);
            let name = qualified(t, &mut i).unwrap_or_default();
            if !created.contains(&name) {
                out.push(("lock-table", name));
            }
        }
        out
    }

    fn create(
        &mut self,
        t: &[Tok<'_>],
        created: &mut HashSet<String>,
        out: &mut Vec<(&'static str, String)>,
    ) {
        let mut i = 1;
        skip_words(
            t,
            &mut i,
            &[
                "or",
                "replace",
                "global",
                "local",
                "temp",
                "temporary",
                "unlogged",
            ],
        );
        if t.get(i)
            .is_some_and(|w| w.is("table") || w.is("type") || w.is("domain"))
        {
            let table = t[i].is("table");
            i += 1;
            skip_words(t, &mut i, &["if", "not", "exists"]);
            if let Some(name) = qualified(t, &mut i) {
                if table && t.get(i).is_some_and(|w| w.punct('(')) {
                    let end = t.len() - usize::from(t.last().is_some_and(|w| w.punct(')')));
                    for def in split_top(&t[i + 1..end.max(i + 1)], ',') {
                        self.column_type(&name, def);
                    }
                }
                created.insert(name);
            }
            return;
        }
        skip_words(t, &mut i, &["unique"]);
        if !t.get(i).is_some_and(|w| w.is("index")) {
            return;
        }
        let concurrently = t.get(i + 1).is_some_and(|w| w.is("concurrently"));
        // Its name, so that dropping it in the same migration is exempt.
        let mut k = i + 1;
        skip_words(t, &mut k, &["concurrently", "if", "not", "exists"]);
        if !t.get(k).is_some_and(|w| w.is("on")) {
            if let Some(name) = qualified(t, &mut k) {
                created.insert(name);
            }
        }
        let Some(on) = t.iter().position(|w| w.is("on")) else {
            return;
        };
        let mut j = on + 1;
        skip_words(t, &mut j, &["only"]);
        let table = qualified(t, &mut j).unwrap_or_default();
        if !concurrently && !created.contains(&table) {
            out.push(("index-not-concurrent", table));
        }
    }

    fn alter_table(
        &mut self,
        t: &[Tok<'_>],
        created: &mut HashSet<String>,
        out: &mut Vec<(&'static str, String)>,
    ) {
        let mut i = 2;
        skip_words(t, &mut i, &["if", "exists", "only"]);
        let Some(table) = qualified(t, &mut i) else {
            return;
        };
        if t.get(i).is_some_and(|w| w.punct('*')) {
            i += 1;
        }
        let fresh = created.contains(&table);
        if t.get(i).is_some_and(|w| w.is("rename")) {
            let mut j = i + 1;
            if t.get(j).is_some_and(|w| w.is("to")) {
                let new = qualified(t, &mut (j + 1)).unwrap_or_default();
                if fresh {
                    created.insert(new);
                } else {
                    out.push(("rename-table", table));
                }
            } else if !t.get(j).is_some_and(|w| w.is("constraint")) && !fresh {
                skip_words(t, &mut j, &["column"]);
                let column = qualified(t, &mut j).unwrap_or_default();
                out.push(("rename-column", format!("{table}.{column}")));
            }
            return;
        }
        for action in split_top(&t[i..], ',') {
            self.action(action, &table, fresh, out);
        }
    }

    fn action(
        &mut self,
        a: &[Tok<'_>],
        table: &str,
        fresh: bool,
        out: &mut Vec<(&'static str, String)>,
    ) {
        let Some(first) = a.first() else {
            return;
        };
        let word = |k: usize, kw: &str| a.get(k).is_some_and(|w| w.is(kw));
        if first.is("add") {
            let constraint_words = [
                "constraint",
                "check",
                "unique",
                "primary",
                "foreign",
                "exclude",
            ];
            let is_constraint = a
                .get(1)
                .is_some_and(|w| constraint_words.iter().any(|k| w.is(k)));
            if is_constraint {
                self.add_constraint(a, table, fresh, out);
            } else {
                let mut k = 1;
                skip_words(a, &mut k, &["column", "if", "not", "exists"]);
                self.column_type(table, &a[k..]);
                let column = qualified(a, &mut k).unwrap_or_default();
                if !fresh {
                    add_column(&a[k..], &format!("{table}.{column}"), out);
                }
            }
        } else if first.is("validate") && word(1, "constraint") {
            if let Some(name) = qualified(a, &mut 2) {
                if let Some(check) = self.checks.get_mut(&name) {
                    check.2 = true;
                }
            }
        } else if first.is("alter") {
            let mut k = 1;
            skip_words(a, &mut k, &["column"]);
            let column = qualified(a, &mut k).unwrap_or_default();
            let subject = format!("{table}.{column}");
            if word(k, "set") && word(k + 1, "not") && word(k + 2, "null") {
                let validated = self
                    .checks
                    .values()
                    .any(|(t, c, valid)| *valid && t == table && *c == column);
                if !fresh && !validated {
                    out.push(("set-not-null", subject));
                }
            } else if word(k, "type")
                || (word(k, "set") && word(k + 1, "data") && word(k + 2, "type"))
            {
                let at = if word(k, "type") { k + 1 } else { k + 3 };
                let new = type_words(&a[at..]);
                let using = a.iter().any(|w| w.is("using"));
                let old = self.types.insert(subject.clone(), new.clone());
                let keeps_file = !using && old.is_some_and(|old| widens(&old, &new));
                if !fresh && !keeps_file {
                    out.push(("alter-column-type", subject));
                }
            }
        } else if first.is("detach") && word(1, "partition") && !fresh {
            let concurrently = a.iter().any(|w| w.is("concurrently") || w.is("finalize"));
            if !concurrently {
                out.push(("detach-partition-not-concurrent", table.to_string()));
            }
        } else if first.is("drop") && !fresh {
            let mut k = 1;
            if ["constraint", "default", "not", "identity", "expression"]
                .iter()
                .any(|kw| word(1, kw))
            {
                return;
            }
            skip_words(a, &mut k, &["column", "if", "exists"]);
            let column = qualified(a, &mut k).unwrap_or_default();
            out.push(("drop-column", format!("{table}.{column}")));
        }
    }

    /// `name type …` of a column definition: remembered as `table.name`.
    fn column_type(&mut self, table: &str, def: &[Tok<'_>]) {
        let Some(first) = def.first() else {
            return;
        };
        let keywords = [
            "constraint",
            "primary",
            "unique",
            "check",
            "foreign",
            "exclude",
            "like",
        ];
        if keywords.iter().any(|k| first.is(k)) {
            return;
        }
        let column = first.name();
        self.types
            .insert(format!("{table}.{column}"), type_words(&def[1..]));
    }

    fn add_constraint(
        &mut self,
        a: &[Tok<'_>],
        table: &str,
        fresh: bool,
        out: &mut Vec<(&'static str, String)>,
    ) {
        let mut k = 1;
        let mut name = None;
        if a.get(k).is_some_and(|w| w.is("constraint")) {
            k += 1;
            name = qualified(a, &mut k);
        }
        let kind = a
            .get(k)
            .map(|w| w.text.to_ascii_lowercase())
            .unwrap_or_default();
        let not_valid = a.windows(2).any(|w| w[0].is("not") && w[1].is("valid"));
        match kind.as_str() {
            "check" => {
                if let (Some(name), Some(column)) = (&name, not_null_check(&a[k + 1..])) {
                    self.checks
                        .insert(name.clone(), (table.to_string(), column, !not_valid));
                }
                if !not_valid && !fresh {
                    out.push(("constraint-not-valid", table.to_string()));
                }
            }
            "foreign" if !not_valid && !fresh => {
                out.push(("constraint-not-valid", table.to_string()));
            }
            "unique" | "primary" | "exclude" => {
                let using_index = a.windows(2).any(|w| w[0].is("using") && w[1].is("index"));
                if !using_index && !fresh {
                    out.push(("constraint-builds-index", table.to_string()));
                }
            }
            _ => {}
        }
    }
}

/// The rest of an `ADD COLUMN name …` after the name: its type and constraints.
fn add_column(def: &[Tok<'_>], subject: &str, out: &mut Vec<(&'static str, String)>) {
    let top: Vec<&Tok<'_>> = top_level(def);
    let has = |kw: &str| top.iter().any(|w| w.is(kw));
    let not_null = top.windows(2).any(|w| w[0].is("not") && w[1].is("null"));
    let default = top.iter().position(|w| w.is("default"));
    let volatile = default.is_some_and(|d| {
        def.iter()
            .skip_while(|w| !std::ptr::eq(*w, top[d]))
            .skip(1)
            .take_while(|w| !is_constraint_word(w))
            .any(|w| VOLATILE.iter().any(|f| w.is(f)))
    });
    let stored = has("generated") && has("stored") || has("generated") && has("identity");
    if not_null && default.is_none() && !has("generated") {
        out.push(("add-column-not-null", subject.to_string()));
    }
    if volatile || stored {
        out.push(("add-column-volatile-default", subject.to_string()));
    }
    let table = subject.split('.').next().unwrap_or(subject).to_string();
    if has("unique") || has("primary") {
        out.push(("constraint-builds-index", table.clone()));
    }
    // A column constraint cannot be NOT VALID: a check reads every row under the lock. A
    // foreign key on a new column without a default is not checked (every value is NULL),
    // but it locks the table it references.
    if has("check") || (has("references") && default.is_some()) {
        out.push(("constraint-not-valid", table));
    } else if let Some(i) = top.iter().position(|w| w.is("references")) {
        let mut k = def
            .iter()
            .position(|w| std::ptr::eq(w, top[i]))
            .map_or(def.len(), |k| k + 1);
        out.push((
            "foreign-key-locks-referenced",
            qualified(def, &mut k).unwrap_or_default(),
        ));
    }
}

/// A column's type as written, up to its constraints (or `USING`, `COLLATE`): lower case,
/// without spaces, `character varying` as `varchar`.
fn type_words(t: &[Tok<'_>]) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for w in t {
        if depth == 0 && (is_constraint_word(w) || w.is("default") || w.is("using")) {
            break;
        }
        if w.punct('(') {
            depth += 1;
        } else if w.punct(')') {
            depth = depth.saturating_sub(1);
        }
        out.push_str(&w.text.to_ascii_lowercase());
    }
    out.replace("charactervarying", "varchar")
}

/// Whether changing a column from type `old` to `new` keeps the table's file, as
/// PostgreSQL documents it for the text types: a varchar made longer or unbounded, or text.
fn widens(old: &str, new: &str) -> bool {
    let length = |t: &str, base: &str| -> Option<Option<u32>> {
        let rest = t.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(None);
        }
        rest.strip_prefix('(')?
            .strip_suffix(')')?
            .parse()
            .ok()
            .map(Some)
    };
    let old_len = if old == "text" {
        Some(None)
    } else {
        length(old, "varchar")
    };
    let Some(old_len) = old_len else {
        return false;
    };
    if new == "text" {
        return true;
    }
    match (old_len, length(new, "varchar")) {
        (_, Some(None)) => true,
        (Some(o), Some(Some(n))) => n >= o,
        _ => false,
    }
}

/// Functions whose value differs per row: a DEFAULT calling one rewrites the table.
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
];

fn is_constraint_word(w: &Tok<'_>) -> bool {
    [
        "not",
        "null",
        "constraint",
        "check",
        "unique",
        "primary",
        "references",
        "generated",
        "collate",
    ]
    .iter()
    .any(|k| w.is(k))
}

/// `(col IS NOT NULL)` as a CHECK's expression: the column.
fn not_null_check(t: &[Tok<'_>]) -> Option<String> {
    let inner: Vec<&Tok<'_>> = t
        .iter()
        .skip_while(|w| !w.punct('('))
        .skip(1)
        .take_while(|w| !w.punct(')'))
        .collect();
    match inner.as_slice() {
        [col, is, not, null] if is.is("is") && not.is("not") && null.is("null") => Some(col.name()),
        _ => None,
    }
}

/// The names after `-- ferry:allow` comments anywhere in the file.
pub(crate) fn allowed(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for tok in Lexer::new(text.as_bytes()).map_while(Result::ok) {
        if tok.kind != TokenKind::LineComment {
            continue;
        }
        let body = text[tok.start..tok.end].trim_start_matches('-').trim();
        let Some(rest) = body
            .get(..ALLOW_DIRECTIVE.len())
            .filter(|p| p.eq_ignore_ascii_case(ALLOW_DIRECTIVE))
            .map(|_| &body[ALLOW_DIRECTIVE.len()..])
        else {
            continue;
        };
        ids.extend(
            rest.split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_ascii_lowercase),
        );
    }
    ids
}

/// Rule ids a `-- ferry:allow` names that no rule has: a typo would silence nothing.
pub(crate) fn unknown_allowed(text: &str) -> Vec<String> {
    allowed(text)
        .into_iter()
        .filter(|id| !every_rule().any(|r| r.id == id))
        .collect()
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    kind: TokenKind,
    text: &'a str,
}

impl Tok<'_> {
    fn is(&self, kw: &str) -> bool {
        self.kind == TokenKind::Word && self.text.eq_ignore_ascii_case(kw)
    }

    fn punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct && self.text.len() == 1 && self.text.starts_with(c)
    }

    /// An identifier as PostgreSQL reads it: folded unless quoted.
    fn name(&self) -> String {
        match self.kind {
            TokenKind::QuotedIdent => self.text[1..self.text.len() - 1].replace("\"\"", "\""),
            _ => self.text.to_ascii_lowercase(),
        }
    }
}

fn tokens(sql: &str) -> Vec<Tok<'_>> {
    Lexer::new(sql.as_bytes())
        .map_while(Result::ok)
        .filter(|t| !matches!(t.kind, TokenKind::LineComment | TokenKind::BlockComment))
        .map(|t| Tok {
            kind: t.kind,
            text: &sql[t.start..t.end],
        })
        .collect()
}

/// Moves `i` past any of `words`, in any order.
fn skip_words(t: &[Tok<'_>], i: &mut usize, words: &[&str]) {
    while t.get(*i).is_some_and(|w| words.iter().any(|k| w.is(k))) {
        *i += 1;
    }
}

/// `name` or `schema.name` at `i` (moving past it): the last part, as PostgreSQL reads it.
fn qualified(t: &[Tok<'_>], i: &mut usize) -> Option<String> {
    let mut name = None;
    loop {
        let w = t.get(*i)?;
        if !matches!(w.kind, TokenKind::Word | TokenKind::QuotedIdent) {
            return name;
        }
        name = Some(w.name());
        *i += 1;
        if t.get(*i).is_some_and(|w| w.punct('.')) {
            *i += 1;
        } else {
            return name;
        }
    }
}

/// `a, b.c, d` from `i`: each name's last part.
fn name_list(t: &[Tok<'_>], mut i: usize) -> Vec<String> {
    let mut names = Vec::new();
    while let Some(name) = qualified(t, &mut i) {
        if ["cascade", "restrict", "restart", "continue"].contains(&name.as_str()) {
            break;
        }
        names.push(name);
        if t.get(i).is_some_and(|w| w.punct(',')) {
            i += 1;
        } else {
            break;
        }
    }
    names
}

/// The table (or index) a VACUUM/CLUSTER/REINDEX names, after its options; `everything`
/// when it names none.
fn subject_after_options(t: &[Tok<'_>], mut i: usize) -> String {
    if t.get(i).is_some_and(|w| w.punct('(')) {
        while t.get(i).is_some_and(|w| !w.punct(')')) {
            i += 1;
        }
        i += 1;
    }
    skip_words(
        t,
        &mut i,
        &[
            "full",
            "freeze",
            "verbose",
            "analyze",
            "index",
            "table",
            "schema",
            "database",
            "system",
            "concurrently",
        ],
    );
    qualified(t, &mut i).unwrap_or_else(|| "every table".to_string())
}

/// The tokens outside parentheses.
fn top_level<'a, 'b>(t: &'b [Tok<'a>]) -> Vec<&'b Tok<'a>> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for w in t {
        if w.punct('(') {
            depth += 1;
        } else if w.punct(')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 {
            out.push(w);
        }
    }
    out
}

/// `t` split at `sep` outside parentheses.
fn split_top<'a, 'b>(t: &'b [Tok<'a>], sep: char) -> Vec<&'b [Tok<'a>]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, w) in t.iter().enumerate() {
        if w.punct('(') {
            depth += 1;
        } else if w.punct(')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && w.punct(sep) {
            parts.push(&t[start..i]);
            start = i + 1;
        }
    }
    parts.push(&t[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::split::split;

    fn ids(sql: &str) -> Vec<&'static str> {
        let statements = split(sql).expect("splits");
        Linter::default()
            .migration(sql, &statements)
            .iter()
            .map(|f| f.rule.id)
            .collect()
    }

    /// Each rule: a statement that triggers it, and its safe rewrite that does not.
    #[test]
    fn every_rule_fires_on_its_example_and_not_on_the_safe_rewrite() {
        let cases: &[(&str, &str, &str)] = &[
            ("index-not-concurrent", "CREATE INDEX users_email ON users (email);", "CREATE INDEX CONCURRENTLY users_email ON users (email);"),
            ("index-not-concurrent", "CREATE UNIQUE INDEX IF NOT EXISTS u ON public.users (email);", "CREATE TABLE users (email text);\nCREATE UNIQUE INDEX u ON users (email);"),
            ("add-column-not-null", "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;", "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;"),
            ("add-column-volatile-default", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();", "ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();"),
            ("set-not-null", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;"),
            ("constraint-not-valid", "ALTER TABLE posts ADD CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id);", "ALTER TABLE posts ADD CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"),
            ("constraint-not-valid", "ALTER TABLE posts ADD CHECK (length(title) < 200);", "ALTER TABLE posts ADD CHECK (length(title) < 200) NOT VALID;"),
            ("constraint-builds-index", "ALTER TABLE users ADD CONSTRAINT users_email UNIQUE (email);", "ALTER TABLE users ADD CONSTRAINT users_email UNIQUE USING INDEX users_email_idx;"),
            ("alter-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint;", "ALTER TABLE users ALTER COLUMN id SET DEFAULT 0;"),
            ("drop-column", "ALTER TABLE users DROP COLUMN legacy;", "ALTER TABLE users DROP CONSTRAINT users_legacy;"),
            ("drop-table", "DROP TABLE IF EXISTS old_sessions;", "CREATE TABLE scratch (id int);\nDROP TABLE scratch;"),
            ("rename-column", "ALTER TABLE users RENAME COLUMN mail TO email;", "ALTER TABLE users RENAME CONSTRAINT a TO b;"),
            ("rename-table", "ALTER TABLE users RENAME TO accounts;", "CREATE TABLE t (id int);\nALTER TABLE t RENAME TO u;"),
            ("truncate", "TRUNCATE sessions;", "DELETE FROM sessions WHERE id < 1000;"),
            ("vacuum-full", "VACUUM FULL users;", "VACUUM users;"),
            ("cluster", "CLUSTER users USING users_pkey;", "SELECT 'CLUSTER users';"),
            ("reindex-not-concurrent", "REINDEX INDEX users_email;", "REINDEX INDEX CONCURRENTLY users_email;"),
            ("lock-table", "LOCK TABLE users IN ACCESS EXCLUSIVE MODE;", "-- LOCK TABLE users\nSELECT 1;"),
            ("constraint-not-valid", "ALTER TABLE users ADD COLUMN org_id bigint DEFAULT 1 REFERENCES orgs (id);", "ALTER TABLE users ADD COLUMN org_id bigint;\nALTER TABLE users ADD CONSTRAINT users_org FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;"),
            ("constraint-not-valid", "ALTER TABLE users ADD COLUMN age int CHECK (age > 0);", "ALTER TABLE users ADD COLUMN age int;"),
            ("foreign-key-locks-referenced", "ALTER TABLE users ADD COLUMN org_id bigint REFERENCES orgs (id);", "ALTER TABLE users ADD COLUMN org_id bigint;"),
            ("drop-index-not-concurrent", "DROP INDEX IF EXISTS users_name;", "DROP INDEX CONCURRENTLY IF EXISTS users_name;"),
            ("drop-index-not-concurrent", "DROP INDEX users_name, users_email;", "CREATE INDEX users_tmp ON users_new (a);\nDROP INDEX users_tmp;"),
            ("whole-table-dml", "UPDATE users SET email = lower(email);", "UPDATE users SET email = lower(email) WHERE id < 1000;"),
            ("whole-table-dml", "DELETE FROM sessions;", "DELETE FROM sessions WHERE id IN (SELECT id FROM old WHERE x);"),
            ("whole-table-dml", "UPDATE users SET a = (SELECT max(b) FROM t WHERE t.id = 1);", "CREATE TABLE t2 (a int);\nUPDATE t2 SET a = 1;"),
            ("constraint-not-valid", "ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0);", "ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0) NOT VALID;"),
            ("detach-partition-not-concurrent", "ALTER TABLE logs DETACH PARTITION logs_2025;", "ALTER TABLE logs DETACH PARTITION logs_2025 CONCURRENTLY;"),
            ("enum-add-value", "ALTER TYPE mood ADD VALUE 'happy';", "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';"),
            ("not-atomic", "UPDATE users SET a = 1;\nCOMMIT;\nUPDATE users SET b = 1;", "UPDATE users SET a = 1;\nSAVEPOINT s;\nUPDATE users SET b = 1;"),
        ];
        for (rule, bad, safe) in cases {
            assert!(ids(bad).contains(rule), "{rule} on {bad:?}: {:?}", ids(bad));
            assert!(
                !ids(safe).contains(rule),
                "{rule} on the safe {safe:?}: {:?}",
                ids(safe)
            );
        }
        // Every rule has an example above.
        for r in RULES {
            assert!(
                cases.iter().any(|(id, _, _)| *id == r.id),
                "no example for {}",
                r.id
            );
        }
    }

    #[test]
    fn a_table_created_in_the_same_migration_is_exempt() {
        let sql = "CREATE TABLE faces (id bigint, tenant text);\n\
                   CREATE INDEX faces_tenant ON faces (tenant);\n\
                   ALTER TABLE faces ADD COLUMN score real NOT NULL, ADD CONSTRAINT u UNIQUE (id);\n\
                   ALTER TABLE faces ALTER COLUMN tenant SET NOT NULL;";
        assert_eq!(ids(sql), Vec::<&str>::new());
    }

    #[test]
    fn in_one_run_a_table_an_earlier_migration_made_is_exempt_too() {
        let first = "CREATE TABLE users (id int, email text);";
        let second = "CREATE INDEX users_email ON users (email);";
        let mut run = Linter::one_run();
        run.migration(first, &split(first).unwrap());
        assert!(run.migration(second, &split(second).unwrap()).is_empty());
        // Against a database that has the table already: a finding.
        let mut each = Linter::default();
        each.migration(first, &split(first).unwrap());
        assert_eq!(each.migration(second, &split(second).unwrap()).len(), 1);
    }

    #[test]
    fn allow_silences_a_rule_for_the_file() {
        let sql = "-- ferry:allow index-not-concurrent, truncate\nCREATE INDEX i ON t (a);\nTRUNCATE t;\nVACUUM FULL t;";
        assert_eq!(ids(sql), ["vacuum-full"]);
        assert_eq!(
            unknown_allowed("-- ferry:allow index-not-concurent\nSELECT 1;"),
            ["index-not-concurent"]
        );
    }

    #[test]
    fn a_check_validated_in_an_earlier_migration_makes_set_not_null_safe() {
        let mut linter = Linter::default();
        let first =
            "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;";
        let second = "ALTER TABLE users VALIDATE CONSTRAINT email_nn;";
        let third = "ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
        for sql in [first, second] {
            assert!(
                linter.migration(sql, &split(sql).unwrap()).is_empty(),
                "{sql}"
            );
        }
        assert!(linter.migration(third, &split(third).unwrap()).is_empty());
        // Not validated: still a finding.
        let mut fresh = Linter::default();
        fresh.migration(first, &split(first).unwrap());
        let found = fresh.migration(third, &split(third).unwrap());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "SET NOT NULL on users.email scans the whole table under an exclusive lock"
        );
    }

    #[test]
    fn a_varchar_made_longer_or_text_is_not_a_type_change_that_rewrites() {
        let mut linter = Linter::default();
        let first = "CREATE TABLE users (id int PRIMARY KEY, name varchar(20) NOT NULL, email character varying(50), bio text);";
        linter.remember(first, &split(first).unwrap());
        let found = |linter: &mut Linter, sql: &str| -> Vec<&'static str> {
            linter
                .migration(sql, &split(sql).unwrap())
                .iter()
                .map(|f| f.rule.id)
                .collect()
        };
        assert!(found(
            &mut linter,
            "ALTER TABLE users ALTER COLUMN name TYPE varchar(40);"
        )
        .is_empty());
        assert!(found(
            &mut linter,
            "ALTER TABLE users ALTER COLUMN name TYPE text;"
        )
        .is_empty());
        assert!(found(
            &mut linter,
            "ALTER TABLE users ALTER COLUMN email SET DATA TYPE varchar;"
        )
        .is_empty());
        assert!(found(
            &mut linter,
            "ALTER TABLE users ALTER COLUMN bio TYPE varchar;"
        )
        .is_empty());
        // Shorter, another type, a USING, or a column whose type is unknown: a finding.
        let mut again = Linter::default();
        again.remember(first, &split(first).unwrap());
        assert_eq!(
            found(
                &mut again,
                "ALTER TABLE users ALTER COLUMN name TYPE varchar(10);"
            ),
            ["alter-column-type"]
        );
        assert_eq!(
            found(&mut again, "ALTER TABLE users ALTER COLUMN id TYPE bigint;"),
            ["alter-column-type"]
        );
        assert_eq!(
            found(
                &mut again,
                "ALTER TABLE users ALTER COLUMN bio TYPE text USING trim(bio);"
            ),
            ["alter-column-type"]
        );
        assert_eq!(
            found(&mut again, "ALTER TABLE users ALTER COLUMN nick TYPE text;"),
            ["alter-column-type"]
        );
        assert_eq!(
            found(
                &mut again,
                "ALTER TABLE users ALTER COLUMN bio TYPE varchar(10);"
            ),
            ["alter-column-type"]
        );
        // A column added later is known too.
        let added = "ALTER TABLE users ADD COLUMN code varchar(5);";
        again.remember(added, &split(added).unwrap());
        assert!(found(
            &mut again,
            "ALTER TABLE users ALTER COLUMN code TYPE varchar(8);"
        )
        .is_empty());
    }

    #[test]
    fn vacuum_full_is_found_among_options_but_not_when_turned_off() {
        assert_eq!(ids("VACUUM (ANALYZE, FULL) users;"), ["vacuum-full"]);
        assert_eq!(ids("VACUUM (FULL true, VERBOSE) users;"), ["vacuum-full"]);
        assert!(ids("VACUUM (FULL false) users;").is_empty());
        assert!(ids("VACUUM (ANALYZE) users;").is_empty());
    }

    #[test]
    fn words_in_strings_and_comments_never_match() {
        assert!(ids(
            "SELECT 'CREATE INDEX i ON t (a)'; -- TRUNCATE t\n/* VACUUM FULL */ SELECT 1;"
        )
        .is_empty());
    }
}
