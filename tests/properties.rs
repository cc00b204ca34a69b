//! Properties of ferry's parsers on generated input, and a replay of the fuzzers' corpus
//! (`fuzz/corpus/<target>/`) so every input a fuzzer kept runs in the normal suite.

mod invariants;

use proptest::prelude::*;

/// SQL-ish text: the characters that matter to the lexer, much more often than chance.
fn sqlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "'",
        "''",
        "\"",
        "$",
        "$$",
        "$a$",
        "$1",
        "E'",
        "\\",
        "--",
        "\n",
        "/*",
        "*/",
        ";",
        " ",
        "BEGIN",
        "ATOMIC",
        "END",
        "CASE",
        "CREATE FUNCTION f() ",
        "SELECT 1",
        "é",
        "\r\n",
        "(",
        ")",
    ]);
    prop::collection::vec(
        prop_oneof![
            pieces.prop_map(String::from),
            any::<char>().prop_map(String::from)
        ],
        0..64,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn splitter_pieces_join_back_to_the_input(input in sqlish()) {
        invariants::split_invariants(&input);
    }

    #[test]
    fn splitter_survives_any_text(input in any::<String>()) {
        invariants::split_invariants(&input);
    }

    #[test]
    fn well_formed_statements_are_found_one_by_one(n in 1usize..20) {
        let script: String = (0..n).map(|i| format!("SELECT '{i};' AS \"a;{i}\"; -- ;\n")).collect();
        let statements = ferry::internals::split::split(&script).unwrap();
        prop_assert_eq!(statements.len(), n);
    }

    #[test]
    fn file_names_never_panic(name in "[0-9]{0,25}[_.a-z]{0,6}(\\.up|\\.down)?\\.sql") {
        invariants::file_name_invariants(&name);
    }

    #[test]
    fn conninfo_never_panics_nor_shows_the_password(
        user in "[a-z]{1,8}",
        password in "[A-Za-z0-9@:/?#%=&' ]{4,16}",
        host in "[a-z0-9.:\\[\\]%]{0,15}",
        rest in "[a-z0-9=&?/ ._-]{0,20}",
    ) {
        let encoded: String = password.bytes().map(|b| format!("%{b:02X}")).collect();
        invariants::conninfo_invariants(&format!("postgres://{user}:{encoded}@{host}/{rest}"));
        invariants::conninfo_invariants(&format!("host={host} user={user} password='{}' {rest}", password.replace('\'', "\\'")));
    }

    #[test]
    fn conninfo_survives_any_text(input in any::<String>()) {
        invariants::conninfo_invariants(&input);
    }

    #[test]
    fn pgpass_suggestions_match_their_own_connection(
        host in "[a-z0-9.:\\\\/*]{1,12}",
        db in "[a-z0-9:\\\\*]{1,8}",
        user in "[a-z0-9:\\\\*]{1,8}",
        file in any::<String>(),
    ) {
        invariants::pgpass_invariants(&format!("{host}\n{db}\n{user}\n{file}"));
    }
}

/// Every input the fuzzers kept, replayed.
#[test]
fn fuzz_corpus_replays() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus");
    type Check = fn(&str);
    let targets: [(&str, Check); 4] = [
        ("split", invariants::split_invariants),
        ("file_name", invariants::file_name_invariants),
        ("conninfo", invariants::conninfo_invariants),
        ("pgpass", invariants::pgpass_invariants),
    ];
    for (target, check) in targets {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            check(&String::from_utf8_lossy(&bytes));
        }
    }
}
