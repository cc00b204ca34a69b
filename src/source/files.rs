//! Reading a migrations directory: file names, pairing up and down halves, the three file
//! forms, and every check that can be made without a database. All problems are
//! collected, so one run shows them all, and for migrating commands they are found
//! before any connection (read-only `status` and `validate` read while connecting).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::markers::{self, Section, NO_TRANSACTION_DIRECTIVE};
use super::template::{self, Vars};
use crate::error;
use crate::migration::{checksums, Migration, Problem, Repeatable, Script, REPEATABLE_PREFIX};
use crate::sql::classify;
use crate::sql::split::{self, Statement};

/// Every migration that could be read, and every problem found.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub migrations: Vec<Migration>,
    /// `R__name.sql` files, in name order.
    pub repeatables: Vec<Repeatable>,
    pub problems: Vec<Problem>,
    /// `.sql` files in subdirectories of the migrations directory, which ferry does not
    /// read (a file moved into `archive/` by hand, a tool's layout): said, not run.
    pub nested: Vec<PathBuf>,
}

impl Loaded {
    /// The warning about [`nested`](Self::nested) files, if there are any.
    pub(crate) fn nested_warning(&self) -> Option<String> {
        let (first, rest) = self.nested.split_first()?;
        let more = match rest.len() {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        Some(format!(
            "{}{more} is in a subdirectory of the migrations directory, which ferry does not \
             read: move the migrations it holds up into the directory, or out of it if they are \
             not migrations",
            first.display()
        ))
    }
}

/// Loads and checks a directory; a missing directory is a usage error, an empty one is fine.
/// `vars` fill the placeholders of template files (see [`super::template`]).
pub(crate) fn load(dir: &Path, vars: &Vars) -> anyhow::Result<Loaded> {
    load_entries(dir, open_dir(dir)?, vars)
}

/// [`load`] on another thread, for a read-only command that connects meanwhile: reading
/// thousands of files and opening a connection both take a while and neither needs the
/// other. A directory that cannot be opened is still reported at once, before connecting.
pub(crate) fn load_in_background(dir: &Path, vars: &Vars) -> anyhow::Result<Loading> {
    let entries = open_dir(dir)?;
    let dir = dir.to_path_buf();
    let vars = vars.clone();
    Ok(Loading(std::thread::spawn(move || {
        load_entries(&dir, entries, &vars)
    })))
}

/// A directory being loaded by [`load_in_background`].
pub(crate) struct Loading(std::thread::JoinHandle<anyhow::Result<Loaded>>);

impl Loading {
    pub(crate) fn wait(self) -> anyhow::Result<Loaded> {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

fn open_dir(dir: &Path) -> anyhow::Result<std::fs::ReadDir> {
    std::fs::read_dir(dir).map_err(|e| {
        error::usage(format!(
            "cannot read migrations directory {}: {}; create it or point --path (or FERRY_PATH) at yours",
            dir.display(),
            error::io_reason(&e, "directory")
        ))
    })
}

fn load_entries(dir: &Path, entries: std::fs::ReadDir, vars: &Vars) -> anyhow::Result<Loaded> {
    let mut found = Found::default();
    let mut nested = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| anyhow::anyhow!("reading {}: {e}", dir.display()))?;
        let os_name = entry.file_name();
        let Some(file_name) = os_name.to_str() else {
            // Not skipped in silence: a migration ferry cannot name is still a migration.
            let lossy = os_name.to_string_lossy();
            if lossy.ends_with(".sql") && !lossy.starts_with('.') {
                found.problems.push(Problem {
                    file: shown(&entry.path().display().to_string()),
                    line: None,
                    message: "its name is not valid UTF-8: rename the file".to_string(),
                });
            }
            continue;
        };
        // A directory named like a migration (`2_x.sql/`) is reported as one that cannot
        // be read; any other holds files ferry does not read.
        if !file_name.starts_with('.')
            && !file_name.ends_with(".sql")
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            // What `ferry squash` replaced with a baseline: kept for reference, not read.
            if file_name == crate::migration::SQUASHED_DIR {
                continue;
            }
            sql_files_under(&entry.path(), &mut nested);
            continue;
        }
        // `NNNNNN_name.test.sql` is a data test for `ferry test` (`datatest`), not a migration.
        if file_name.ends_with(".test.sql") {
            continue;
        }
        if file_name.ends_with(".sql") && !file_name.starts_with('.') {
            if let Some(why) = not_a_regular_file(&entry) {
                found.problems.push(Problem {
                    file: shown(&entry.path().display().to_string()),
                    line: None,
                    message: format!("{why}: a migration is a regular file"),
                });
                continue;
            }
        }
        found.add(file_name, entry.path(), None);
    }
    nested.sort();
    let mut loaded = found.assemble(vars);
    loaded.nested = nested;
    Ok(loaded)
}

/// Why a directory entry is no file to read as a migration (a FIFO would block ferry, a
/// link to `/dev/zero` would never end), or None for a regular file or a link to one. The
/// type comes with the directory listing; only a symbolic link costs a look at its target.
fn not_a_regular_file(entry: &std::fs::DirEntry) -> Option<&'static str> {
    let kind = entry.file_type().ok()?;
    let kind = if kind.is_symlink() {
        match std::fs::metadata(entry.path()) {
            Ok(target) => target.file_type(),
            Err(_) => return Some("it is a link to nothing"),
        }
    } else {
        kind
    };
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        // Named like a migration: reported where it cannot be read, as before.
        None
    } else {
        Some("it is not a regular file (a pipe, socket or device)")
    }
}

/// A name as shown in messages: control characters (a newline could forge a log line)
/// escaped.
pub(crate) fn shown(name: &str) -> String {
    if !name.chars().any(char::is_control) {
        return name.to_string();
    }
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The `.sql` files in `dir` and below (hidden entries left out), into `out`.
fn sql_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => sql_files_under(&entry.path(), out),
            Ok(_) if name.ends_with(".sql") => out.push(entry.path()),
            _ => {}
        }
    }
}

/// Migrations compiled into the binary (`embed_migrations!`): the same names, pairing and
/// checks as a directory, without touching the file system.
pub(crate) fn load_embedded(
    files: &[crate::source::embedded::EmbeddedFile],
    vars: &Vars,
) -> Loaded {
    let mut found = Found::default();
    for file in files {
        found.add(
            file.name,
            Path::new("embedded").join(file.name),
            Some(Cow::Borrowed(file.contents)),
        );
    }
    found.assemble(vars)
}

/// Migrations read back from the files the history keeps (`db::state::StoredSql`): each
/// (file name, text as it ran), with the same names, pairing and checks as a directory;
/// labelled `history/<file>`. Templates were rendered when they ran: nothing is rendered
/// again.
pub(crate) fn load_kept(files: Vec<(String, String)>) -> Loaded {
    let mut found = Found::default();
    for (name, text) in files {
        let path = Path::new("history").join(&name);
        found.add(&name, path, Some(Cow::Owned(text)));
    }
    found.assemble(&Vars::default())
}

/// Migration files seen so far, grouped by version, and the names that did not parse.
#[derive(Default)]
struct Found {
    halves: BTreeMap<i64, Vec<Half>>,
    repeatables: Vec<Half>,
    problems: Vec<Problem>,
}

impl Found {
    fn add(&mut self, file_name: &str, path: PathBuf, embedded: Option<Cow<'static, str>>) {
        if !file_name.ends_with(".sql")
            || file_name.starts_with('.')
            || file_name.ends_with(".test.sql")
        {
            return;
        }
        let label = shown(&path.display().to_string());
        if file_name.chars().any(char::is_control) {
            self.problems.push(Problem {
                file: label,
                line: None,
                message: "its name holds a control character (a newline, a tab, …): rename the \
                          file"
                    .to_string(),
            });
            return;
        }
        if let Some(stem) = file_name.strip_prefix(REPEATABLE_PREFIX) {
            let name = stem.strip_suffix(".sql").unwrap_or(stem);
            if name.is_empty() {
                self.problems.push(Problem {
                    file: label,
                    line: None,
                    message: "a repeatable migration needs a name: R__<name>.sql".to_string(),
                });
            } else {
                self.repeatables.push(Half {
                    kind: FileKind::Single,
                    name: name.to_string(),
                    path,
                    label,
                    embedded,
                });
            }
            return;
        }
        match parse_name(file_name) {
            Ok((version, name, kind)) => self.halves.entry(version).or_default().push(Half {
                kind,
                name: name.to_string(),
                path,
                label,
                embedded,
            }),
            Err(message) => self.problems.push(Problem {
                file: label,
                line: None,
                message,
            }),
        }
    }

    fn assemble(self, vars: &Vars) -> Loaded {
        let mut problems = self.problems;
        let mut repeatables: Vec<Repeatable> = Vec::new();
        let mut buf = Vec::new();
        for half in self.repeatables {
            let Some(text) = read_text(&half, &mut buf, &mut problems, vars) else {
                continue;
            };
            let section = markers::parse_half(&text.0);
            let script = script(&half, text, section, false, &mut problems);
            if script.no_transaction {
                problems.push(Problem {
                    file: half.label.clone(),
                    line: None,
                    message: "a repeatable migration runs in a transaction of its own; make what \
                              needs none a versioned no-transaction migration"
                        .to_string(),
                });
            }
            repeatables.push(Repeatable {
                name: half.name,
                script,
            });
        }
        repeatables.sort_by(|a, b| a.name.cmp(&b.name));
        let jobs: Vec<Job> = self
            .halves
            .into_iter()
            .map(|(version, mut group)| {
                group.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.label.cmp(&b.label)));
                pair(version, group).map(|(up, down)| (version, up, down))
            })
            .collect();
        let mut migrations = Vec::with_capacity(jobs.len());
        for read in read_all(jobs, vars) {
            match read {
                Ok(m) => migrations.push(m),
                Err(mut found) => problems.append(&mut found),
            }
        }
        Loaded {
            migrations,
            repeatables,
            problems,
            nested: Vec::new(),
        }
    }
}

impl Loaded {
    /// Version and name of each file that has a problem, as far as its name tells.
    pub(crate) fn invalid_versions(&self) -> Vec<(i64, String)> {
        let mut found: Vec<(i64, String)> = self
            .problems
            .iter()
            .filter_map(|p| {
                let file = Path::new(&p.file).file_name()?.to_str()?;
                let (version, name, _) = parse_name(file).ok()?;
                Some((version, name.to_string()))
            })
            .collect();
        found.dedup_by_key(|(v, _)| *v);
        found
    }

    /// The migrations and the repeatable ones, or every problem in one error (exit 5);
    /// `origin` names where they came from.
    pub(crate) fn valid(self, origin: &str) -> anyhow::Result<(Vec<Migration>, Vec<Repeatable>)> {
        let lines: Vec<String> = self.problems.iter().map(Problem::to_string).collect();
        let message = match lines.as_slice() {
            [] => return Ok((self.migrations, self.repeatables)),
            [one] => one.clone(),
            many => format!(
                "{} problems in {origin}:\n  {}",
                many.len(),
                many.join("\n  ")
            ),
        };
        Err(error::problems(lines, message))
    }
}

/// One version to read: its paired files, or why they could not be paired.
type Job = Result<(i64, Half, Option<Half>), Problem>;

/// Below this many versions, reading on one thread is as fast as sharing it out.
const PARALLEL_FROM: usize = 256;
const MAX_THREADS: usize = 8;

/// Reads every job, results in the jobs' (version) order. Loading is mostly system calls
/// — open, read, close, for each of thousands of files — so `status` and `validate` over
/// a large directory spend their time here; a few threads, each reading a contiguous
/// share with its own buffer, divide that by the number of cores.
fn read_all(jobs: Vec<Job>, vars: &Vars) -> Vec<Result<Migration, Vec<Problem>>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS);
    if threads < 2 || jobs.len() < PARALLEL_FROM {
        return read_share(jobs, vars);
    }
    let per = jobs.len().div_ceil(threads);
    let mut shares = Vec::with_capacity(threads);
    let mut rest = jobs;
    while rest.len() > per {
        let tail = rest.split_off(per);
        shares.push(std::mem::replace(&mut rest, tail));
    }
    shares.push(rest);
    std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || read_share(share, vars)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn read_share(jobs: Vec<Job>, vars: &Vars) -> Vec<Result<Migration, Vec<Problem>>> {
    let mut buf = Vec::new();
    jobs.into_iter()
        .map(|job| match job {
            Ok((version, up, down)) => read_migration(version, up, down, &mut buf, vars),
            Err(problem) => Err(vec![problem]),
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FileKind {
    Up,
    Down,
    Single,
}

#[derive(Debug)]
struct Half {
    kind: FileKind,
    name: String,
    path: PathBuf,
    label: String,
    /// The contents, when compiled in (or kept in the history) rather than read from `path`.
    embedded: Option<Cow<'static, str>>,
}

/// The version of a migration file name and how many digits spell it, for any name
/// `load` would accept (even when the file itself has problems).
pub fn version_of(file_name: &str) -> Option<(i64, usize)> {
    let stem = file_name.strip_suffix(".sql")?;
    let (version, _, _) = parse_name(file_name).ok()?;
    Some((version, stem.bytes().take_while(u8::is_ascii_digit).count()))
}

/// `<digits>_<name>.sql`, `<digits>_<name>.up.sql` or `<digits>_<name>.down.sql`.
fn parse_name(file_name: &str) -> Result<(i64, &str, FileKind), String> {
    let stem = &file_name[..file_name.len() - ".sql".len()];
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let expected = "expected a version number, an underscore and a name, \
                    like 000001_create_users.up.sql or 20250214093000_add_index.sql";
    if digits == 0 || stem.as_bytes().get(digits) != Some(&b'_') {
        return Err(format!(
            "file name does not start with a version: {expected}"
        ));
    }
    let version = stem[..digits].parse::<i64>().map_err(|_| {
        format!(
            "version {} is too large: it must fit in a bigint",
            &stem[..digits]
        )
    })?;
    let rest = &stem[digits + 1..];
    let (name, kind) = if let Some(name) = rest.strip_suffix(".up") {
        (name, FileKind::Up)
    } else if let Some(name) = rest.strip_suffix(".down") {
        (name, FileKind::Down)
    } else {
        (rest, FileKind::Single)
    };
    Ok((version, name, kind))
}

fn pair(version: i64, mut group: Vec<Half>) -> Result<(Half, Option<Half>), Problem> {
    let kinds: Vec<FileKind> = group.iter().map(|h| h.kind).collect();
    let labels = || {
        group
            .iter()
            .map(|h| h.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kinds.as_slice() {
        [FileKind::Up] | [FileKind::Single] => Ok((group.remove(0), None)),
        // golang-migrate pairs by version and direction only: `1_create_t.up.sql` and
        // `1_drop_t.down.sql` are one migration, named after its up file.
        [FileKind::Up, FileKind::Down] => {
            let down = group.pop();
            Ok((group.remove(0), down))
        }
        [FileKind::Down] => Err(Problem {
            file: group[0].label.clone(),
            line: None,
            message: format!(
                "down file without its up file; add {}_{}.up.sql or remove it",
                &file_stem_version(&group[0]),
                group[0].name
            ),
        }),
        _ => Err(Problem {
            file: labels(),
            line: None,
            message: format!(
                "{} files share version {version}; give each migration its own version",
                group.len()
            ),
        }),
    }
}

fn file_stem_version(half: &Half) -> String {
    half.path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| {
            n.bytes()
                .take_while(u8::is_ascii_digit)
                .map(char::from)
                .collect()
        })
        .unwrap_or_default()
}

fn read_migration(
    version: i64,
    up: Half,
    down: Option<Half>,
    buf: &mut Vec<u8>,
    vars: &Vars,
) -> Result<Migration, Vec<Problem>> {
    let mut problems = Vec::new();
    let up_text = read_text(&up, buf, &mut problems, vars);
    let down_text = down
        .as_ref()
        .and_then(|d| read_text(d, buf, &mut problems, vars));
    let up_text = up_text.ok_or_else(|| problems.clone())?;

    let mut down_marker = None;
    let (up_section, down_section) = match (up.kind, &down) {
        (FileKind::Single, _) => match markers::parse_single(&up_text.0) {
            Ok(sections) => {
                down_marker = sections.down_marker;
                (
                    sections.up,
                    sections.down.map(|s| (s, up_text.clone(), &up)),
                )
            }
            Err(e) => {
                problems.push(Problem {
                    file: up.label.clone(),
                    line: Some(e.line),
                    message: e.message,
                });
                return Err(problems);
            }
        },
        (_, Some(d)) => {
            let Some(text) = down_text else {
                return Err(problems);
            };
            (
                markers::parse_half(&up_text.0),
                Some((markers::parse_half(&text.0), text, d)),
            )
        }
        (_, None) => (markers::parse_half(&up_text.0), None),
    };

    // A file in golang-migrate's form (no other tool's markers) may manage its own
    // transactions, as golang-migrate lets it.
    let own = down_marker.is_none();
    let up_script = script(&up, up_text, up_section, own, &mut problems);
    let down_script =
        down_section.map(|(section, text, half)| script(half, text, section, own, &mut problems));
    if !problems.is_empty() {
        return Err(problems);
    }
    let baseline = markers::baseline(&up_script.text);
    Ok(Migration {
        version,
        name: up.name,
        up: up_script,
        down: down_script,
        down_marker,
        baseline,
    })
}

/// The file's text (a template's rendered with `vars`) and checksums (of the file as
/// written), or a problem when it cannot be read, is not UTF-8 or uses a placeholder with
/// no value. `buf` is scratch space reused from file to file.
fn read_text(
    half: &Half,
    buf: &mut Vec<u8>,
    problems: &mut Vec<Problem>,
    vars: &Vars,
) -> Option<(Arc<str>, (String, String))> {
    let read = match &half.embedded {
        Some(text) => Ok(text.as_bytes()),
        None => read_file(&half.path, buf).map(|len| &buf[..len]),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            problems.push(Problem {
                file: half.label.clone(),
                line: None,
                message: format!("cannot read: {}", error::io_reason(&e, "file")),
            });
            return None;
        }
    };
    let checksum = checksums(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains('\0') => {
            let line = text[..text.find('\0').unwrap_or(0)].matches('\n').count() + 1;
            problems.push(Problem {
                file: half.label.clone(),
                line: Some(line),
                message: "contains a NUL byte, which PostgreSQL cannot receive; remove it"
                    .to_string(),
            });
            None
        }
        Ok(text) if markers::is_template(text) => match template::render(text, vars) {
            Ok(rendered) => Some((Arc::from(rendered), checksum)),
            Err(unset) => {
                problems.extend(unset.into_iter().map(|u| Problem {
                    file: half.label.clone(),
                    line: Some(u.line),
                    message: format!(
                        "`${{{name}}}` has no value: pass --var {name}=… or set {}{name}",
                        template::ENV_PREFIX,
                        name = u.name
                    ),
                }));
                None
            }
        },
        Ok(text) => Some((Arc::from(text), checksum)),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            problems.push(Problem {
                file: half.label.clone(),
                line: Some(line),
                message: format!("not valid UTF-8 (byte offset {offset}); save the file as UTF-8"),
            });
            None
        }
    }
}

/// The largest migration file ferry reads.
const MAX_FILE: usize = 256 << 20;

/// Reads a whole file into `buf` (grown as needed, never shrunk) and returns its length.
/// Unlike `std::fs::read` it asks for no metadata first: open, read, read, close — one
/// system call per file fewer, which is a fifth of loading a large directory.
fn read_file(path: &Path, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut file = File::open(path)?;
    let mut len = 0;
    loop {
        if len > MAX_FILE {
            return Err(std::io::Error::other(format!(
                "it is larger than {} MiB, more than a migration should be (data belongs in a \
                 seed or a restore)",
                MAX_FILE >> 20
            )));
        }
        if len == buf.len() {
            buf.resize((buf.len() * 2).max(16 * 1024), 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => return Ok(len),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The line of a BEGIN that no COMMIT or ROLLBACK after it ends, in a file that manages its
/// own transactions: the transaction would stay open after the file ran.
fn unended_begin(text: &str, statements: &[Statement]) -> Option<usize> {
    let mut open = None;
    for s in statements {
        match classify::transaction_control(s.text(text)) {
            Some(classify::TxControl::Begin) => open = open.or(Some(s.line)),
            Some(_) => open = None,
            None => {}
        }
    }
    open
}

/// One direction's script. `own_transactions`: the file may manage its own transactions
/// (see [`Script::own_transactions`]) rather than have its BEGIN and COMMIT refused.
fn script(
    half: &Half,
    (text, (checksum, checksum_raw)): (Arc<str>, (String, String)),
    section: Section,
    own_transactions: bool,
    problems: &mut Vec<Problem>,
) -> Script {
    let mut problem = |line: usize, message: String| {
        problems.push(Problem {
            file: half.label.clone(),
            line: Some(line),
            message,
        })
    };
    let statements = section_statements(&text, &section, &mut problem);
    let alone_outside_transaction = match statements.as_slice() {
        [only] if !section.no_transaction => classify::non_transactional(only.text(&text)),
        _ => None,
    };
    let (statements, own) = if section.no_transaction || alone_outside_transaction.is_some() {
        (statements, None)
    } else {
        in_transaction(&text, statements, own_transactions, &mut problem)
    };
    let sets_string_syntax = statements
        .iter()
        .any(|s| classify::standard_strings_after(s.text(&text)).is_some());
    let changes_session = statements
        .iter()
        .any(|s| classify::may_change_session(s.text(&text)));
    let lock_timeout = markers::lock_timeout(&text).unwrap_or_else(|e| {
        problem(e.line, e.message);
        None
    });
    Script {
        path: half.path.clone(),
        label: half.label.clone(),
        text,
        statements,
        no_transaction: section.no_transaction
            || alone_outside_transaction.is_some()
            || own.is_some(),
        alone_outside_transaction,
        own_transactions: own,
        sets_string_syntax,
        changes_session,
        lock_timeout,
        checksum,
        checksum_raw,
    }
}

/// The statements of one section, placed in the whole file (offsets and lines).
fn section_statements(
    text: &str,
    section: &Section,
    problem: &mut dyn FnMut(usize, String),
) -> Vec<Statement> {
    let base_line = text[..section.range.start].matches('\n').count();
    match split::split(&text[section.range.clone()]) {
        Ok(found) => found
            .into_iter()
            .map(|s| Statement {
                start: s.start + section.range.start,
                end: s.end + section.range.start,
                line: s.line + base_line,
            })
            .collect(),
        Err(e) => {
            problem(e.line + base_line, e.message);
            Vec::new()
        }
    }
}

/// The statements of a section that runs in a transaction: ferry's (a file wrapped whole
/// in BEGIN … COMMIT runs in it instead), or — for a golang-migrate file that manages
/// its own — the file's, with the line of its first transaction control. A statement
/// that cannot run in a transaction, or transaction control where it does not belong, is
/// a problem.
fn in_transaction(
    text: &str,
    statements: Vec<Statement>,
    own_transactions: bool,
    problem: &mut dyn FnMut(usize, String),
) -> (Vec<Statement>, Option<usize>) {
    let control = |s: &Statement| classify::transaction_control(s.text(text)).is_some();
    let inner = split::unwrap_transaction(text, &statements);
    let (statements, own) = if own_transactions && inner.iter().any(control) {
        let own = statements.iter().find(|s| control(s)).map(|s| s.line);
        if let Some(line) = unended_begin(text, &statements) {
            problem(
                line,
                "this BEGIN opens a transaction the file never ends: end it with COMMIT, or \
                 remove it so that ferry's transaction holds the file"
                    .to_string(),
            );
        }
        (statements, own)
    } else {
        (inner.to_vec(), None)
    };
    for s in &statements {
        if let Some(what) = classify::non_transactional(s.text(text)) {
            problem(
                s.line,
                format!(
                    "{what} cannot run inside a transaction; add `{NO_TRANSACTION_DIRECTIVE}` as \
                     the file's first line to run this migration statement by statement without one"
                ),
            );
        } else if own.is_none() && control(s) {
            problem(
                s.line,
                format!(
                    "transaction control inside a migration; ferry runs each migration in its \
                     own transaction: remove this statement, or add `{NO_TRANSACTION_DIRECTIVE}` \
                     as the file's first line to manage transactions yourself"
                ),
            );
        }
    }
    (statements, own)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migration::checksums;
    use crate::migration::same_file;
    use crate::migration::LINE_ENDING_PROOF;

    #[test]
    fn crlf_and_a_bom_do_not_change_the_checksum_but_an_edit_does() {
        let (lf, lf_raw) = checksums(b"SELECT 1;\nSELECT 2;\n");
        let (crlf, crlf_raw) = checksums(b"\xef\xbb\xbfSELECT 1;\r\nSELECT 2;\r\n");
        assert_eq!(lf, crlf);
        assert!(lf.starts_with(LINE_ENDING_PROOF) && lf.ends_with(&lf_raw));
        assert_ne!(lf_raw, crlf_raw);
        // A lone CR is content, not a line ending.
        assert_ne!(checksums(b"SELECT 1;\rSELECT 2;\n").0, lf);
        assert_ne!(checksums(b"SELECT 1;\nSELECT 3;\n").0, lf);
        // Earlier rows: the raw bytes' hash, or the LF text's (the file is CRLF now).
        assert!(same_file(&lf_raw, &crlf, &crlf_raw));
        assert!(same_file(&crlf_raw, &crlf, &crlf_raw));
        assert!(same_file(&crlf, &crlf, &crlf_raw));
        assert!(!same_file("0000", &crlf, &crlf_raw));
    }

    fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }

    fn problems(files: &[(&str, &[u8])]) -> Vec<String> {
        let dir = dir_with(files);
        load(dir.path(), &Vars::default())
            .unwrap()
            .problems
            .iter()
            .map(|p| {
                p.to_string()
                    .replace(&dir.path().display().to_string(), "D")
            })
            .collect()
    }

    #[test]
    fn names_parse_in_all_forms() {
        assert_eq!(
            parse_name("000001_init.up.sql"),
            Ok((1, "init", FileKind::Up))
        );
        assert_eq!(
            parse_name("000001_init.down.sql"),
            Ok((1, "init", FileKind::Down))
        );
        assert_eq!(
            parse_name("20250214_complete.sql"),
            Ok((20250214, "complete", FileKind::Single))
        );
        assert!(parse_name("init.sql").is_err());
        assert!(parse_name("1init.sql").is_err());
        assert!(parse_name("99999999999999999999_x.sql")
            .unwrap_err()
            .contains("bigint"));
    }

    #[test]
    fn sorted_numerically_and_paired() {
        let dir = dir_with(&[
            ("10_c.sql", b"SELECT 3;"),
            ("9_b.up.sql", b"SELECT 2;"),
            ("9_b.down.sql", b"SELECT -2;"),
            ("1_a.sql", b"SELECT 1;"),
            ("README.md", b"# notes"),
            (".gitkeep", b""),
        ]);
        let loaded = load(dir.path(), &Vars::default()).unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let versions: Vec<i64> = loaded.migrations.iter().map(|m| m.version).collect();
        assert_eq!(versions, [1, 9, 10]);
        assert!(loaded.migrations[1].down.is_some());
        assert!(loaded.migrations[0].down.is_none());
    }

    #[test]
    fn duplicate_versions_name_both_files() {
        let p = problems(&[("1_a.sql", b""), ("0001_b.up.sql", b"")]);
        assert_eq!(p.len(), 1);
        assert!(
            p[0].contains("0001_b.up.sql") && p[0].contains("1_a.sql"),
            "{p:?}"
        );
    }

    #[test]
    fn down_without_up_is_a_problem() {
        let p = problems(&[("2_x.down.sql", b"")]);
        assert!(
            p[0].contains("down file without its up file; add 2_x.up.sql"),
            "{p:?}"
        );
    }

    #[test]
    fn misnamed_and_non_utf8_files_are_problems() {
        let p = problems(&[
            ("create_users.sql", b""),
            ("3_bad.sql", b"SELECT 1;\nSELECT '\xff';"),
        ]);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p.iter().any(|m| m.contains("3_bad.sql:2: not valid UTF-8")),
            "{p:?}"
        );
        assert!(p
            .iter()
            .any(|m| m.contains("create_users.sql: file name does not start with a version")));
    }

    #[test]
    fn concurrent_index_needs_the_directive() {
        let sql = b"CREATE TABLE t (a int);\n\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n";
        let p = problems(&[("1_idx.sql", sql)]);
        assert!(
            p[0].contains("1_idx.sql:3: CREATE INDEX CONCURRENTLY"),
            "{p:?}"
        );
        assert!(p[0].contains("-- ferry:no-transaction"), "{p:?}");
        let mut with = b"-- ferry:no-transaction\n".to_vec();
        with.extend_from_slice(sql);
        assert!(problems(&[("1_idx.sql", &with)]).is_empty());
    }

    #[test]
    fn a_lone_concurrent_statement_runs_outside_a_transaction() {
        let dir = dir_with(&[
            ("1_idx.up.sql", b"CREATE INDEX CONCURRENTLY t_a ON t (a);\n"),
            (
                "1_idx.down.sql",
                b"-- a comment\nDROP INDEX CONCURRENTLY t_a",
            ),
            ("2_vac.sql", b"VACUUM t;"),
        ]);
        let loaded = load(dir.path(), &Vars::default()).unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let m = &loaded.migrations[0];
        assert!(m.up.no_transaction);
        assert_eq!(
            m.up.alone_outside_transaction,
            Some(crate::sql::classify::NonTransactional::CreateIndexConcurrently)
        );
        assert!(m.down.as_ref().unwrap().no_transaction);
        assert!(loaded.migrations[1].up.no_transaction);
        // Wrapped in a transaction by hand, it fails on the server too: still refused.
        let p = problems(&[(
            "1_idx.sql",
            b"BEGIN;\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nCOMMIT;",
        )]);
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn up_and_down_pair_by_version_whatever_their_names() {
        let dir = dir_with(&[
            ("1_create_t1.up.sql", b"SELECT 1;"),
            ("1_drop_t1.down.sql", b"SELECT 2;"),
        ]);
        let loaded = load(dir.path(), &Vars::default()).unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert_eq!(loaded.migrations[0].name, "create_t1");
        assert!(loaded.migrations[0].down.is_some());
    }

    #[test]
    fn self_wrapping_transaction_is_unwrapped() {
        let dir = dir_with(&[("1_a.up.sql", b"BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n")]);
        let loaded = load(dir.path(), &Vars::default()).unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let up = &loaded.migrations[0].up;
        assert_eq!(up.statements.len(), 1);
        assert_eq!(&up.text[up.body()], "CREATE TABLE t (a int)");
    }

    #[test]
    fn stray_commit_in_a_file_with_another_tools_markers_is_a_problem() {
        let p = problems(&[(
            "1_a.sql",
            b"-- migrate:up\nCREATE TABLE t (a int);\nCOMMIT;\nSELECT 1;\n-- migrate:down\nSELECT 2;",
        )]);
        assert!(p[0].contains("1_a.sql:3: transaction control"), "{p:?}");
    }

    #[test]
    fn a_golang_migrate_file_may_manage_its_own_transactions() {
        let dir = dir_with(&[
            (
                "1_a.up.sql",
                b"ALTER TABLE t ADD c int;\nBEGIN;\nUPDATE t SET c = 1;\nCOMMIT;\n" as &[u8],
            ),
            // Wrapped whole but in two blocks: not one transaction ferry can hold.
            (
                "2_b.sql",
                b"BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;\n",
            ),
            // Wrapped whole in one block: ferry's transaction holds it instead.
            ("3_c.sql", b"BEGIN;\nSELECT 3;\nCOMMIT;\n"),
        ]);
        let loaded = load(dir.path(), &Vars::default()).unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let [a, b, c] = &loaded.migrations[..] else {
            panic!("three migrations")
        };
        assert_eq!(a.up.own_transactions, Some(2));
        assert!(a.up.no_transaction);
        assert_eq!(a.up.statements.len(), 4);
        assert_eq!(b.up.own_transactions, Some(1));
        assert_eq!(b.up.statements.len(), 6);
        assert_eq!(c.up.own_transactions, None);
        assert!(!c.up.no_transaction);
        assert_eq!(&c.up.text[c.up.body()], "SELECT 3");
    }

    #[test]
    fn marker_file_splits_into_up_and_down() {
        let dir = dir_with(&[(
            "20250101000000_t.sql",
            b"-- migrate:up\nCREATE TABLE t (a int);\n\n-- migrate:down\nDROP TABLE t;\n",
        )]);
        let m = &load(dir.path(), &Vars::default()).unwrap().migrations[0];
        let down = m.down.as_ref().expect("down section");
        assert_eq!(down.statements[0].text(&down.text), "DROP TABLE t");
        assert_eq!(down.statements[0].line, 5);
        assert_eq!(m.up.statements[0].line, 2);
    }

    #[test]
    fn many_files_load_in_version_order_on_several_threads() {
        // Enough versions for the parallel path; problems keep their version order too.
        let mut files: Vec<(String, Vec<u8>)> = (1..=PARALLEL_FROM as i64 * 2)
            .map(|v| (format!("{v}_m{v}.sql"), format!("SELECT {v};").into_bytes()))
            .collect();
        files.push(("7_dup.up.sql".to_string(), b"SELECT 0;".to_vec()));
        files[299].1 = b"SELECT 'unterminated;".to_vec();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect();
        let dir = dir_with(&refs);
        let loaded = load(dir.path(), &Vars::default()).unwrap();
        let versions: Vec<i64> = loaded.migrations.iter().map(|m| m.version).collect();
        let expected: Vec<i64> = (1..=PARALLEL_FROM as i64 * 2)
            .filter(|v| *v != 7 && *v != 300)
            .collect();
        assert_eq!(versions, expected);
        let problems: Vec<String> = loaded.problems.iter().map(|p| p.file.clone()).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("7_dup.up.sql"), "{problems:?}");
        assert!(problems[1].ends_with("300_m300.sql"), "{problems:?}");
        let m = &loaded.migrations[41];
        assert_eq!(&m.up.text[m.up.body()], "SELECT 43");
    }

    #[test]
    fn missing_directory_is_a_usage_error() {
        let err = load(Path::new("/nonexistent/migrations"), &Vars::default()).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert!(err.to_string().contains("/nonexistent/migrations"));
    }

    #[test]
    fn empty_directory_is_fine() {
        let dir = dir_with(&[]);
        let loaded = load(dir.path(), &Vars::default()).unwrap();
        assert!(loaded.valid("the directory").unwrap().0.is_empty());
    }
}
