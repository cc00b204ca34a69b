//! golang-migrate's command line, accepted as is: `ferry -path DIR -database URL up 2`.
//!
//! golang-migrate uses Go's flag package, where long flags take one dash. Before clap sees
//! the arguments, those single-dash spellings are rewritten to ferry's flags. Only the
//! exact names below are touched, so ferry's own short flags (`-v`, `-q`, `-y`) and
//! values after `--` are left alone.

use std::ffi::OsString;
use std::sync::OnceLock;

use clap::CommandFactory;

/// golang-migrate flag → ferry flag.
const FLAGS: &[(&str, &str)] = &[
    ("path", "--path"),
    ("source", "--source"),
    ("database", "--database-url"),
    ("verbose", "--verbose"),
    ("lock-timeout", "--lock-timeout"),
    ("help", "--help"),
    ("version", "--version"),
    // down -all
    ("all", "--all"),
    // create -ext sql -dir DIR -seq -digits 6 NAME
    ("ext", "--ext"),
    ("dir", "--path"),
    ("seq", "--seq"),
    ("digits", "--digits"),
];

/// golang-migrate's flags made ferry's, and `--format` given before the command moved
/// after it (see [`format_after_command`]).
pub(crate) fn rewrite(args: Vec<OsString>) -> Vec<OsString> {
    format_after_command(golang_flags(args))
}

/// `ferry --format json status` as `ferry status --format json`: `--format` is an option of
/// the commands that print results (with a meaning of its own for `dump` and `lint`), and
/// scripts write it before the command as often as after.
fn format_after_command(args: Vec<OsString>) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::with_capacity(args.len());
    let mut moved: Vec<OsString> = Vec::new();
    let mut args = args.into_iter();
    out.extend(args.next());
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if text == "--" || is_flag_value(&out) {
            out.push(arg);
            continue;
        }
        if text == "--format" {
            moved.push(arg);
            moved.extend(args.next());
            continue;
        }
        if text.starts_with("--format=") {
            moved.push(arg);
            continue;
        }
        if !text.starts_with('-') {
            // The command: what was moved goes right after it (after its subcommand, for
            // `schema` and `shadow`), the rest as it was.
            let grouped = matches!(text, "schema" | "shadow");
            out.push(arg);
            if grouped {
                let mut rest = args.by_ref().peekable();
                if rest
                    .peek()
                    .and_then(|a| a.to_str())
                    .is_some_and(|a| !a.starts_with('-'))
                {
                    out.extend(rest.next());
                }
                out.append(&mut moved);
                out.extend(rest);
                return out;
            }
            out.append(&mut moved);
            out.extend(args);
            return out;
        }
        out.push(arg);
    }
    out.append(&mut moved);
    out
}

fn golang_flags(args: Vec<OsString>) -> Vec<OsString> {
    // Most command lines are ferry's own: nothing single-dash but short flags. They pass
    // untouched, without building the command definition `value_flags` reads.
    let golang_style = |a: &OsString| {
        a.to_str().is_some_and(|t| {
            t.starts_with('-') && !t.starts_with("--") && (t.len() > 2 || t == "-f")
        })
    };
    if !args.iter().skip(1).any(golang_style) {
        return args;
    }
    let mut out = Vec::with_capacity(args.len());
    let mut command: Option<String> = None;
    let mut rest_verbatim = false;
    for (i, arg) in args.into_iter().enumerate() {
        let Some(text) = arg.to_str().filter(|_| i > 0 && !rest_verbatim) else {
            out.push(arg);
            continue;
        };
        if text == "--" {
            rest_verbatim = true;
            out.push(arg);
            continue;
        }
        let is_value = is_flag_value(&out);
        // golang-migrate's `down -all` never asks: it means `--all --yes`.
        if text == "-all" && command.as_deref() == Some("down") && !is_value {
            out.extend(["--all", "--yes"].map(OsString::from));
            continue;
        }
        if let Some(rewritten) = rewrite_one(text, command.as_deref()).filter(|_| !is_value) {
            out.push(OsString::from(rewritten));
            continue;
        }
        if command.is_none() && !text.starts_with('-') && !is_value {
            command = Some(text.to_string());
        }
        out.push(arg);
    }
    out
}

fn rewrite_one(arg: &str, command: Option<&str>) -> Option<String> {
    // `drop -f`: golang-migrate's "don't ask".
    if arg == "-f" && command == Some("drop") {
        return Some("--yes".to_string());
    }
    let body = arg.strip_prefix('-').filter(|b| !b.starts_with('-'))?;
    let (name, value) = match body.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (body, None),
    };
    let (_, ferry) = FLAGS.iter().find(|(go, _)| *go == name)?;
    Some(match value {
        Some(v) => format!("{ferry}={v}"),
        None => (*ferry).to_string(),
    })
}

/// Whether the previous argument was a flag that takes a value, so this one is that value
/// and not the command name.
fn is_flag_value(previous: &[OsString]) -> bool {
    previous
        .last()
        .and_then(|p| p.to_str())
        .is_some_and(|p| p.starts_with("--") && value_flags().iter().any(|f| f == p))
}

/// Every `--flag` (and alias) of ferry's command line that takes a value, read from the
/// clap definition itself, so a new option cannot be forgotten here.
fn value_flags() -> &'static [String] {
    static FLAGS: OnceLock<Vec<String>> = OnceLock::new();
    FLAGS.get_or_init(|| {
        let cli = crate::cli::args::Cli::command();
        let mut flags = Vec::new();
        for command in std::iter::once(&cli).chain(cli.get_subcommands()) {
            for arg in command.get_arguments() {
                if !arg.get_action().takes_values() || arg.is_positional() {
                    continue;
                }
                let names = arg
                    .get_long()
                    .into_iter()
                    .chain(arg.get_all_aliases().into_iter().flatten());
                flags.extend(names.map(|n| format!("--{n}")));
            }
        }
        flags.sort();
        flags.dedup();
        flags
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &str) -> String {
        let args = args.split(' ').map(OsString::from).collect();
        rewrite(args)
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn flags_that_take_values_come_from_the_command_definition() {
        for flag in [
            "--path",
            "--source",
            "--database-url",
            "--database",
            "--table",
            "--format",
            "--lock-timeout",
            "--ext",
            "--digits",
        ] {
            assert!(
                value_flags().iter().any(|f| f == flag),
                "{flag}: {:?}",
                value_flags()
            );
        }
        for flag in ["--yes", "--dry-run", "--all", "--quiet"] {
            assert!(!value_flags().iter().any(|f| f == flag), "{flag}");
        }
    }

    #[test]
    fn golang_migrate_invocations_become_ferry_flags() {
        assert_eq!(
            run("ferry -path ./m -database postgres://h/db up 2"),
            "ferry --path ./m --database-url postgres://h/db up 2"
        );
        assert_eq!(
            run("ferry -source=file://m -verbose up"),
            "ferry --source=file://m --verbose up"
        );
        assert_eq!(
            run("ferry -lock-timeout 5 down -all"),
            "ferry --lock-timeout 5 down --all --yes"
        );
        assert_eq!(
            run("ferry create -ext sql -dir db/m -seq -digits 6 add_users"),
            "ferry create --ext sql --path db/m --seq --digits 6 add_users"
        );
    }

    #[test]
    fn drop_f_means_yes_only_for_drop() {
        assert_eq!(
            run("ferry -database u drop -f"),
            "ferry --database-url u drop --yes"
        );
        assert_eq!(run("ferry up -f"), "ferry up -f");
    }

    #[test]
    fn format_before_the_command_goes_after_it() {
        assert_eq!(
            run("ferry --format json status"),
            "ferry status --format json"
        );
        assert_eq!(
            run("ferry --path m --format=json -v version"),
            "ferry --path m -v version --format=json"
        );
        assert_eq!(
            run("ferry --format json --targets t.txt status --fail-on-pending"),
            "ferry --targets t.txt status --format json --fail-on-pending"
        );
        assert_eq!(
            run("ferry status --format json"),
            "ferry status --format json"
        );
        // A value that looks like the flag is a value.
        assert_eq!(
            run("ferry --table --format up"),
            "ferry --table --format up"
        );
        assert_eq!(run("ferry --format json"), "ferry --format json");
        assert_eq!(
            run("ferry --format json schema diff --from a --to b"),
            "ferry schema diff --format json --from a --to b"
        );
        assert_eq!(
            run("ferry --format=json shadow status"),
            "ferry shadow status --format=json"
        );
    }

    #[test]
    fn ferry_flags_and_values_are_left_alone() {
        assert_eq!(run("ferry -v -q up --path x"), "ferry -v -q up --path x");
        assert_eq!(run("ferry create -- -path"), "ferry create -- -path");
        assert_eq!(run("ferry --table -all up"), "ferry --table -all up");
    }
}
