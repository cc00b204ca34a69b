//! Migration files: reading the directory (`files`), a file's directives and sections
//! (`markers`), splitting SQL into statements (`split`), and deciding what to run (`plan`).

pub mod files;
pub mod markers;
pub mod plan;
pub mod split;
