//! ferry at home in a project: create, completions, golang-migrate's command line, the
//! Makefile and docker-compose.yml the README promises.

use std::path::Path;
use std::process::Command as Process;

use predicates::prelude::*;

use crate::common::{output, Files, TestDb};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn create_continues_the_sequence_at_the_directory_width() {
    let db = Files::new();
    db.write("000001_init.up.sql", "SELECT 1;");
    let a = db
        .ferry()
        .args(["create", "Add Faces Index"])
        .assert()
        .success();
    let (out, _) = output(&a);
    assert_eq!(out, "./migrations/000002_add_faces_index.up.sql\n./migrations/000002_add_faces_index.down.sql\n");
    assert_eq!(
        names(&db.migrations()),
        [
            "000001_init.up.sql",
            "000002_add_faces_index.down.sql",
            "000002_add_faces_index.up.sql"
        ]
    );
    db.ferry()
        .arg("validate")
        .env_remove("DATABASE_URL")
        .assert()
        .success();
}

#[test]
fn create_in_an_empty_or_missing_directory() {
    let db = Files::new();
    db.ferry().args(["create", "init"]).assert().success();
    assert_eq!(
        names(&db.migrations()),
        ["000001_init.down.sql", "000001_init.up.sql"]
    );
    db.ferry()
        .args(["create", "first", "--path", "db/new", "--single"])
        .assert()
        .success()
        .stdout("db/new/000001_first.sql\n");
}

#[test]
fn create_next_to_timestamps_writes_a_timestamp() {
    let db = Files::new();
    db.write("20250214093000_init.sql", "SELECT 1;");
    let a = db.ferry().args(["create", "next"]).assert().success();
    let (out, _) = output(&a);
    let file = out
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("./migrations/");
    let version: String = file.chars().take_while(char::is_ascii_digit).collect();
    assert_eq!(version.len(), 14, "{out}");
    assert!(version.as_str() > "20250214093000", "{out}");
    db.ferry()
        .args(["create", "--timestamp", "other"])
        .assert()
        .success();
}

#[test]
fn create_refuses_names_without_letters_and_other_extensions() {
    let db = Files::new();
    db.ferry()
        .args(["create", "!!!"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add_users_table"));
    db.ferry()
        .args(["create", "-ext", "go", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".sql"));
    assert!(names(&db.migrations()).is_empty());
}

#[test]
fn golang_migrate_command_line_is_accepted() {
    let db = TestDb::new();
    for v in 1..=3 {
        db.write(
            &format!("{v}_t{v}.up.sql"),
            &format!("CREATE TABLE t{v} (id int);"),
        );
        db.write(&format!("{v}_t{v}.down.sql"), &format!("DROP TABLE t{v};"));
    }
    db.ferry()
        .args(["-path", "./migrations", "-database", &db.url, "up", "2"])
        .env_remove("DATABASE_URL")
        .assert()
        .success();
    assert_eq!(db.version_row(), "2 f");
    db.ferry()
        .args([
            "-source",
            "file://migrations",
            "-database",
            &db.url,
            "-verbose",
            "-lock-timeout",
            "5",
            "up",
        ])
        .env_remove("DATABASE_URL")
        .assert()
        .success();
    assert_eq!(db.version_row(), "3 f");
    // golang-migrate's `down -all` never asks.
    db.ferry()
        .args(["-database", &db.url, "down", "-all"])
        .assert()
        .success();
    assert_eq!(db.version_row(), "empty");
    db.ferry().arg("up").assert().success();
    db.ferry().args(["down", "--all"]).assert().code(2);
    db.ferry().args(["up"]).assert().success();
    db.ferry()
        .args(["-database", &db.url, "drop", "-f"])
        .assert()
        .success();
    assert!(
        db.tables().is_empty(),
        "drop -f dropped everything: {:?}",
        db.tables()
    );
    db.ferry()
        .args([
            "create",
            "-ext",
            "sql",
            "-dir",
            "migrations",
            "-seq",
            "-digits",
            "6",
            "add_users",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("000004_add_users.up.sql"));
}

#[test]
fn completion_scripts_are_current_and_list_every_command() {
    let db = Files::new();
    let commands: Vec<String> = {
        use clap::CommandFactory;
        ferry::internals::Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect()
    };
    for (shell, file) in [
        ("bash", "ferry.bash"),
        ("zsh", "_ferry"),
        ("fish", "ferry.fish"),
        ("powershell", "_ferry.ps1"),
        ("elvish", "ferry.elv"),
    ] {
        let a = db.ferry().args(["completions", shell]).assert().success();
        let generated = output(&a).0;
        let committed =
            std::fs::read_to_string(Path::new(ROOT).join("completions").join(file)).unwrap();
        assert!(
            generated == committed,
            "completions/{file} is stale: run `make completions`"
        );
        for command in &commands {
            assert!(
                generated.contains(command.as_str()),
                "{shell} completion lacks `{command}`"
            );
        }
    }
}

/// The targets the README and issue promise, each with the variables it needs.
const TARGETS: &[&str] = &[
    "help",
    "dev",
    "dev-clean",
    "docker-up",
    "docker-down",
    "docker-logs",
    "docker-clean",
    "db-status",
    "db-psql",
    "db-seed",
    "db-dump",
    "db-restore FILE=backups/x.sql",
    "db-migrate-up",
    "db-migrate-down",
    "db-migrate-reset",
    "db-migrate-version",
    "db-migrate-create NAME=add_users",
    "build",
    "test",
    "lint",
    "install",
];

#[test]
fn every_makefile_target_resolves_and_is_described() {
    let help = Process::new("make")
        .arg("help")
        .current_dir(ROOT)
        .output()
        .expect("make help");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for target in TARGETS {
        let mut words = target.split(' ');
        let name = words.next().unwrap();
        let dry = Process::new("make")
            .arg("-n")
            .arg(name)
            .args(words)
            .current_dir(ROOT)
            .output()
            .expect("make -n");
        assert!(
            dry.status.success(),
            "make -n {target}: {}",
            String::from_utf8_lossy(&dry.stderr)
        );
        let described = help
            .lines()
            .any(|l| l.split_whitespace().next() == Some(name) && l.trim().len() > name.len());
        assert!(described, "`make help` does not describe {name}:\n{help}");
    }
}

#[test]
fn makefile_targets_needing_a_value_say_so() {
    for (target, hint) in [("db-restore", "FILE="), ("db-migrate-create", "NAME=")] {
        let out = Process::new("make")
            .args(["-n", target])
            .current_dir(ROOT)
            .output()
            .expect("make");
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(hint),
            "{target}"
        );
    }
}

#[test]
fn docker_compose_file_holds_what_the_readme_promises() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("docker-compose.yml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("docker-compose.yml parses");
    let pg = &docs[0]["services"]["postgres"];
    assert_eq!(pg["image"].as_str(), Some("pgvector/pgvector:pg16"));
    assert_eq!(pg["ports"][0].as_str(), Some("${POSTGRES_PORT:-5433}:5432"));
    let env = &pg["environment"];
    assert_eq!(
        env["POSTGRES_USER"].as_str(),
        Some("${POSTGRES_USER:-rekko}")
    );
    assert_eq!(
        env["POSTGRES_PASSWORD"].as_str(),
        Some("${POSTGRES_PASSWORD:-rekko}")
    );
    assert_eq!(
        env["POSTGRES_DB"].as_str(),
        Some("${POSTGRES_DB:-rekko_dev}")
    );
    assert!(pg["healthcheck"]["test"][1]
        .as_str()
        .unwrap_or_default()
        .contains("pg_isready"));
    assert_eq!(
        pg["volumes"][0].as_str(),
        Some("pgdata:/var/lib/postgresql/data")
    );
    assert!(!docs[0]["volumes"]["pgdata"].is_badvalue());
    // The Makefile's URL is the README's, and follows the server's settings.
    let url = |args: &[&str]| {
        let out = Process::new("make")
            .args([
                "-s",
                "--eval",
                "show-url: ; @echo $(DATABASE_URL)",
                "show-url",
            ])
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("POSTGRES_PORT")
            .current_dir(ROOT)
            .output()
            .expect("make");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(
        url(&[]),
        "postgres://rekko:rekko@localhost:5433/rekko_dev?sslmode=disable"
    );
    assert_eq!(
        url(&["POSTGRES_PORT=5434"]),
        "postgres://rekko:rekko@localhost:5434/rekko_dev?sslmode=disable"
    );
}

#[test]
fn dev_db_refuses_an_unknown_server_choice_before_doing_anything() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dev-db.sh");
    for (args, expected) in [
        (
            vec![],
            "FERRY_DEV_PG=podman: expected docker, local or wheel",
        ),
        (
            vec!["restart"],
            "usage: scripts/dev-db.sh [start|stop|clean]",
        ),
    ] {
        let out = Process::new("bash")
            .arg(&script)
            .args(&args)
            .env(
                "FERRY_DEV_PG",
                if args.is_empty() { "podman" } else { "auto" },
            )
            .env("POSTGRES_PORT", "1")
            .output()
            .expect("run dev-db.sh");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
}

#[test]
fn a_commands_help_shows_its_own_options_then_the_global_ones_then_examples() {
    let files = Files::new();
    let a = files.ferry().args(["help", "up"]).assert().success();
    let (out, _) = output(&a);
    let at = |text: &str| {
        out.find(text)
            .unwrap_or_else(|| panic!("`ferry help up` lacks {text:?}:\n{out}"))
    };
    // Its own options, then the ~30 global ones under their own heading, then examples.
    assert!(at("--single-transaction") < at("Global options:"), "{out}");
    assert!(at("Global options:") < at("--database-url"), "{out}");
    assert!(at("--database-url") < at("Examples:"), "{out}");
    assert!(out.contains("ferry up 1 --dry-run -v"), "{out}");
}
