//! ferry's integration tests: the real binary against a real PostgreSQL, one fresh
//! database per test (see `common`).

mod auth;
mod common;
mod connection;
mod engine;
mod files;
mod safety;
mod tls;
