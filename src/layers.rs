//! The architecture, as a test: which layer each file of `src/` is in, and the checks
//! that keep dependencies pointing one way. It reads the source as text (`crate::`,
//! `super::` and child-module paths outside comments and test modules), so a new import
//! against the direction, a cycle between two files, or a `println!` below the front end
//! fails here with the file and the line. `CONTRIBUTING.md` draws the same map in words;
//! a test below keeps the two in step.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every file's layer, by path prefix under `src/` (the longest prefix wins). A file may
/// import files of a lower layer, and files of its own group (same prefix) as long as no
/// two files import each other, directly or round about. Groups on the same layer stay
/// apart.
const LAYERS: &[(&str, u8)] = &[
    // Leaves: plain helpers every layer may use.
    ("error.rs", 0),
    ("duration.rs", 0),
    ("lines.rs", 0),
    ("conn/defaults.rs", 0),
    ("pool.rs", 0),
    // SQL text: lexer, splitter, statement classes, lint, quoting, server errors, carets.
    ("sql/", 1),
    // What a migration is: scripts, checksums, history rows.
    ("migration.rs", 2),
    // What the engine and the session report while they work.
    ("events.rs", 3),
    // Files into migrations; seed files into COPY data.
    ("source/", 3),
    ("seed_csv.rs", 3),
    // Pure decisions over migrations and history rows.
    ("plan.rs", 4),
    // Connection settings into an open connection; the pg tools.
    ("conn/", 4),
    // The session: bookkeeping tables, locks, server queries.
    ("db/", 5),
    // A database's schema as data: catalog snapshots, canonical SQL, differences.
    ("schema/", 5),
    // The run: steps, retries, windows, failures.
    ("engine/", 6),
    // The shadow PostgreSQL: migrations replayed where they harm nothing, and its cache.
    ("shadow/", 7),
    // The public library.
    ("api/", 8),
    // The binary's front end.
    ("cli/", 9),
    ("lib.rs", 10),
    ("main.rs", 10),
];

/// Where reading the environment or printing is part of the contract: the front end, and
/// the library's documented `FERRY_VAR_*` placeholders.
/// `api/testing.rs` finds its shadow server as the CLI does (`FERRY_SHADOW`,
/// `FERRY_CACHE_DIR`, `PG_BINDIR`).
const MAY_READ_ENVIRONMENT: &[&str] = &["cli/", "api/mod.rs", "api/testing.rs", "main.rs"];
const MAY_PRINT: &[&str] = &["cli/"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, as a path relative to it with `/` separators.
fn files() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/ is readable")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("layers.rs") {
                let rel = path.strip_prefix(base).expect("under src/");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(&src(), &src(), &mut out);
    out
}

/// The layer and the group (the prefix that matched) of `file`.
fn layer(file: &str) -> Option<(u8, &'static str)> {
    LAYERS
        .iter()
        .filter(|(prefix, _)| {
            file == *prefix || (prefix.ends_with('/') && file.starts_with(prefix))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(prefix, layer)| (*layer, *prefix))
}

/// The lines of `text` that are code: comments, and `#[cfg(test)]` modules, left out.
/// Each line keeps its 1-based number.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let next = lines.get(i + 1).map_or("", |l| l.trim_start());
        if line.trim() == "#[cfg(test)]"
            && (next.starts_with("mod ") || next.starts_with("pub(crate) mod "))
            && next.ends_with('{')
        {
            let mut depth = 0i32;
            i += 1;
            while i < lines.len() {
                depth += lines[i].matches('{').count() as i32;
                depth -= lines[i].matches('}').count() as i32;
                i += 1;
                if depth <= 0 {
                    break;
                }
            }
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        if !code.trim().is_empty() {
            out.push((i + 1, code.to_string()));
        }
        i += 1;
    }
    out
}

/// The file a module path names, if it is one of `known`: `crate::a::b::item` is
/// `a/b.rs` or `a/b/mod.rs` or, failing those, `a.rs` or `a/mod.rs`.
fn module_file(segments: &[&str], known: &BTreeSet<String>) -> Option<String> {
    for len in (1..=segments.len()).rev() {
        let dir = segments[..len].join("/");
        for candidate in [format!("{dir}.rs"), format!("{dir}/mod.rs")] {
            if known.contains(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// The directory (as module segments) whose children `file`'s `mod x;` declares.
fn module_dir(file: &str) -> Vec<String> {
    let stem = file.trim_end_matches(".rs");
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    if stem == "lib" || stem == "main" {
        return Vec::new();
    }
    stem.split('/').map(str::to_string).collect()
}

/// Each file `file` imports, with the line that does.
fn imports(file: &str, text: &str, known: &BTreeSet<String>) -> Vec<(String, usize)> {
    let own = module_dir(file);
    // `super` of `a/b.rs` and of `a/b/mod.rs` alike is `a`.
    let parent: Vec<String> = own[..own.len().saturating_sub(1)].to_vec();
    let children: BTreeSet<String> = code_lines(text)
        .iter()
        .filter_map(|(_, l)| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            l.strip_prefix("mod ")
                .and_then(|rest| rest.strip_suffix(';'))
                .map(str::to_string)
        })
        .collect();
    let mut out = Vec::new();
    for (number, words) in paths(text) {
        for word in words {
            let segments: Vec<&str> = word.split("::").filter(|s| !s.is_empty()).collect();
            let path: Vec<String> = match segments.first() {
                Some(&"crate") => segments[1..].iter().map(|s| s.to_string()).collect(),
                Some(&"super") => {
                    let mut base = parent.clone();
                    let mut rest = &segments[1..];
                    while rest.first() == Some(&"super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    base.extend(rest.iter().map(|s| s.to_string()));
                    base
                }
                Some(&"self") => own
                    .iter()
                    .cloned()
                    .chain(segments[1..].iter().map(|s| s.to_string()))
                    .collect(),
                Some(first) if children.contains(*first) => own
                    .iter()
                    .cloned()
                    .chain(segments.iter().map(|s| s.to_string()))
                    .collect(),
                _ => continue,
            };
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            let target = module_file(&refs, known).or_else(|| {
                // `super::item` from a top-level file: an item of the crate root.
                (refs.len() <= 1).then(|| "lib.rs".to_string())
            });
            if let Some(target) = target {
                if target != file {
                    out.push((target, number));
                }
            }
        }
    }
    out
}

/// Every path each code line of `text` names: a `use` statement's tree expanded into
/// whole paths (`use a::{b, c::d}` is `a::b` and `a::c::d`, however many lines it spans),
/// and any other `x::y` word.
fn paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut statement: Option<(usize, String)> = None;
    for (number, line) in code_lines(text) {
        let trimmed = line.trim();
        let bare = trimmed
            .strip_prefix("pub(crate) ")
            .or_else(|| trimmed.strip_prefix("pub "))
            .unwrap_or(trimmed);
        if statement.is_none() {
            if let Some(rest) = bare.strip_prefix("use ") {
                statement = Some((number, String::new()));
                if let Some((_, text)) = statement.as_mut() {
                    text.push_str(rest);
                }
            }
        } else if let Some((_, text)) = statement.as_mut() {
            text.push_str(trimmed);
        }
        if let Some((start, text)) = statement.take() {
            if let Some(tree) = text.strip_suffix(';') {
                let mut found = Vec::new();
                // `a as b` keeps `a`: marked before the blanks go.
                expand("", &tree.replace(" as ", "@").replace(' ', ""), &mut found);
                out.push((start, found));
            } else {
                statement = Some((start, text));
            }
            continue;
        }
        let words = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .filter(|w| w.contains("::"))
            .map(str::to_string)
            .collect();
        out.push((number, words));
    }
    out
}

/// `tree` (a `use` tree without blanks) under `prefix`, as whole paths.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let Some(open) = tree.find('{') else {
        let path = format!("{prefix}{tree}");
        out.push(path.split('@').next().unwrap_or(&path).to_string());
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = tree[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&tree[open + 1..]);
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&head, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < inner.len() {
        expand(&head, &inner[start..], out);
    }
}

struct Graph {
    edges: BTreeMap<String, BTreeMap<String, usize>>,
}

fn graph() -> Graph {
    let all = files();
    let known: BTreeSet<String> = all.iter().cloned().collect();
    let mut edges = BTreeMap::new();
    for file in &all {
        let text = std::fs::read_to_string(src().join(file)).expect("a readable source file");
        let mut to: BTreeMap<String, usize> = BTreeMap::new();
        for (target, line) in imports(file, &text, &known) {
            to.entry(target).or_insert(line);
        }
        edges.insert(file.clone(), to);
    }
    Graph { edges }
}

#[test]
fn every_file_has_a_layer() {
    let missing: Vec<String> = files().into_iter().filter(|f| layer(f).is_none()).collect();
    assert!(
        missing.is_empty(),
        "files with no layer (add them to LAYERS in src/layers.rs): {missing:?}"
    );
}

#[test]
fn imports_point_down() {
    let graph = graph();
    let mut wrong = Vec::new();
    for (from, targets) in &graph.edges {
        let (from_layer, from_group) = layer(from).expect("every file has a layer");
        for (to, line) in targets {
            let (to_layer, to_group) = layer(to).expect("every file has a layer");
            let same_group = from_group == to_group && from_group.ends_with('/');
            // The crate root declares every module; only its own items count against it.
            if to == "lib.rs" || same_group || to_layer < from_layer {
                continue;
            }
            wrong.push(format!(
                "src/{from}:{line} (layer {from_layer}) imports src/{to} (layer {to_layer})"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the direction:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_imports_itself_round_about() {
    let graph = graph();
    let mut cycles = Vec::new();
    // A cycle is a strongly connected set of two or more files: find each by asking,
    // for every edge a -> b, whether b reaches a.
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(f) = stack.pop() {
            if f == to {
                return true;
            }
            if seen.insert(f.clone()) {
                if let Some(next) = graph.edges.get(&f) {
                    stack.extend(next.keys().filter(|k| *k != "lib.rs").cloned());
                }
            }
        }
        false
    };
    for (from, targets) in &graph.edges {
        for (to, line) in targets {
            if to != "lib.rs" && reaches(to, from) {
                cycles.push(format!(
                    "src/{from}:{line} imports src/{to}, which imports it back"
                ));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn nothing_below_the_front_end_prints_or_reads_the_environment() {
    let allowed = |file: &str, list: &[&str]| {
        list.iter()
            .any(|p| file == *p || (p.ends_with('/') && file.starts_with(p)))
    };
    let mut wrong = Vec::new();
    for file in files() {
        let text = std::fs::read_to_string(src().join(&file)).expect("a readable source file");
        for (number, line) in code_lines(&text) {
            // The debugging macro's name is spelt in two pieces, so this line is not a
            // leftover call itself for anything that searches the source.
            let debug_macro = concat!("dbg", "!(");
            let prints = ["println!", "eprintln!", "print!(", "eprint!(", debug_macro]
                .iter()
                .any(|m| line.contains(m));
            let reads_env = ["env::var", "env::vars", "env::args"]
                .iter()
                .any(|m| line.contains(m));
            if prints && !allowed(&file, MAY_PRINT) {
                wrong.push(format!("src/{file}:{number} prints: {}", line.trim()));
            }
            if reads_env && !allowed(&file, MAY_READ_ENVIRONMENT) {
                wrong.push(format!(
                    "src/{file}:{number} reads the environment: {}",
                    line.trim()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_test_sees_imports_it_must() {
    // The reader itself, on the shapes it must understand.
    let known: BTreeSet<String> = ["db/mod.rs", "db/state.rs", "sql/quote.rs", "engine/mod.rs"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let text = "use crate::sql::quote::quote_ident;\n// use crate::engine::x;\nmod state;\n\
                fn f() { state::read(); super::engine::run(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::engine::y;\n}\n";
    let found: Vec<String> = imports("db/mod.rs", text, &known)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(found, ["sql/quote.rs", "db/state.rs", "engine/mod.rs"]);
}

#[test]
fn the_contributors_map_names_every_file() {
    let map =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("CONTRIBUTING.md"))
            .expect("CONTRIBUTING.md is readable");
    let unnamed: Vec<String> = files()
        .into_iter()
        .filter(|file| {
            let name = file.rsplit('/').next().unwrap_or(file);
            let stem = name.trim_end_matches(".rs");
            let folder = file.strip_suffix("mod.rs").map(|dir| format!("src/{dir}"));
            !(map.contains(&format!("src/{file}"))
                || map.contains(&format!("`{name}`"))
                || map.contains(&format!("`{stem}`"))
                || folder.is_some_and(|dir| map.contains(&dir)))
        })
        .collect();
    assert!(
        unnamed.is_empty(),
        "CONTRIBUTING.md's map does not name {unnamed:?}: say there what each owns"
    );
}

#[test]
fn commands_send_no_sql_of_their_own() {
    // A command asks the session (db/) for what it needs; the SQL lives there, beside the
    // rest of what ferry says to the server.
    let mut wrong = Vec::new();
    for file in files().into_iter().filter(|f| f.starts_with("cli/")) {
        let text = std::fs::read_to_string(src().join(&file)).expect("a readable source file");
        for (number, line) in code_lines(&text) {
            let touches = line.match_indices(".client").any(|(at, found)| {
                !line[at + found.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            if touches {
                wrong.push(format!("src/{file}:{number}: {}", line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "commands using the session's connection directly:\n{}",
        wrong.join("\n")
    );
}
