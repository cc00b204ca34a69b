//! ferry's integration tests: the real binary against a real PostgreSQL, one fresh
//! database per test (see `common`).

mod chores;
mod common;
mod connection;
mod engine;
mod files;
mod safety;
