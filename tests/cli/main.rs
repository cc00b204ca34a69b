//! ferry's integration tests: the real binary against a real PostgreSQL, one fresh
//! database per test (see `common`).

#[cfg(feature = "tokio")]
mod asynchronous;
mod auth;
mod bad_inputs;
mod chores;
mod common;
mod connection;
mod differential;
mod dist;
mod drift;
mod engine;
mod error_messages;
mod faults;
mod files;
mod fleet;
mod history;
mod library;
mod lint;
mod pipelined;
mod production;
mod project;
mod roundtrip;
mod safety;
mod schema;
mod squash;
mod switching;
mod terminal;
mod tls;
mod trace;
