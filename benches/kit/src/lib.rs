//! Shared pieces of ferry's benchmark kit: just enough of the PostgreSQL wire protocol to
//! count round trips honestly (`wire`), and the statistics the reports use (`stats`).
//! Standard library only, so the kit builds anywhere ferry does, offline.

pub mod stats;
pub mod wire;
