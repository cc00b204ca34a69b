//! What commands ask the catalogs and the server, beside the bookkeeping: the tables a dump
//! lists, whether a database holds anything, the schemas a fleet runs on, another tool's
//! state, a user's targets query. Every command's SQL goes through the session here, so
//! no command speaks SQL itself.

use anyhow::Context;

use super::foreign::{self, Tool, ToolState};
use super::session::Session;
use super::state::quote_literal;
use super::wire::{first_row, Message, Wire};
use crate::sql::quote::quote_ident;

/// Every table and sequence outside the system schemas, as an exact pg_dump pattern, and
/// whether it is (or belongs to) a bookkeeping table.
const RELATIONS: &str = "\
WITH bk AS (SELECT unnest(ARRAY[to_regclass({versions}), to_regclass({history})]) AS oid)
SELECT format('\"%s\".\"%s\"', replace(n.nspname, '\"', '\"\"'), replace(c.relname, '\"', '\"\"')),
       c.oid IN (SELECT oid FROM bk WHERE oid IS NOT NULL)
       OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.deptype IN ('a', 'i') AND d.refobjid IN (SELECT oid FROM bk WHERE oid IS NOT NULL))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm', 'S') AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'";

impl Session<'_> {
    /// Whether the database holds tables, views or sequences of its own (outside the system
    /// schemas): a restore into it is likely to meet them.
    pub(crate) fn has_relations(&mut self) -> anyhow::Result<bool> {
        let messages = self
            .client
            .simple_query(
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
                 AND n.nspname NOT LIKE 'pg\\_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f'))",
            )
            .context("looking for tables in the database")?;
        Ok(first_row(&messages).and_then(|row| row.get(0)) == Some("t"))
    }

    /// Every table and sequence to dump (see [`RELATIONS`]), each with whether it is (or
    /// belongs to) a bookkeeping table.
    pub(crate) fn relations_to_dump(&mut self) -> anyhow::Result<Vec<(String, bool)>> {
        // A simple query, with the names as literals: one round trip, and no prepared
        // statement for a transaction pooler to lose between its steps.
        let sql = RELATIONS
            .replace("{versions}", &quote_literal(&self.tables.versions()))
            .replace("{history}", &quote_literal(&self.tables.history()));
        let messages = self
            .client
            .simple_query(&sql)
            .context("listing the tables to dump")?;
        Ok(messages
            .iter()
            .filter_map(|m| match m {
                Message::Row(r) => Some((
                    r.get(0).unwrap_or_default().to_string(),
                    r.get(1) == Some("t"),
                )),
                _ => None,
            })
            .collect())
    }

    /// Creates each of `names` as a schema unless it exists (`--schemas … --create-schema`).
    pub(crate) fn create_schemas(&mut self, names: &[&String]) -> anyhow::Result<()> {
        let sql: String = names
            .iter()
            .map(|name| format!("CREATE SCHEMA IF NOT EXISTS {};\n", quote_ident(name)))
            .collect();
        self.client
            .batch_execute(&sql)
            .context("creating the schemas named in --schemas")
    }

    /// The schemas (outside the system ones) whose names match any of the regular
    /// expressions `regexes`, in name order.
    pub(crate) fn schemas_matching(&mut self, regexes: &[String]) -> anyhow::Result<Vec<String>> {
        let regexes: Vec<String> = regexes.iter().map(|r| quote_literal(r)).collect();
        let sql = format!(
            "SELECT nspname FROM pg_namespace WHERE nspname ~ ANY (ARRAY[{}]::text[]) \
               AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
            regexes.join(", ")
        );
        self.first_column(&sql)
            .context("listing the schemas for --schemas")
    }

    /// The first column of every row `sql` returns (a user's `--targets-query`).
    pub(crate) fn first_column(&mut self, sql: &str) -> anyhow::Result<Vec<String>> {
        let messages = self.client.simple_query(sql)?;
        Ok(messages
            .iter()
            .filter_map(|m| match m {
                Message::Row(row) => row.get(0).map(str::to_string),
                Message::Complete => None,
            })
            .collect())
    }

    /// What `tool` recorded in this database's schema (`ferry adopt`).
    pub(crate) fn foreign_state(&mut self, tool: Tool) -> anyhow::Result<ToolState> {
        let schema = self.tables.schema.clone();
        foreign::read(&mut self.client, &schema, tool)
    }

    /// The connection itself, for COPY (`ferry seed`): a direct connection only.
    pub(crate) fn direct_client(&mut self) -> anyhow::Result<&mut postgres::Client> {
        self.client.postgres()
    }
}
