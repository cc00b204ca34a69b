//! Invariants of ferry's parsers, checked on arbitrary input: by proptest in the normal
//! suite (`tests/properties.rs`, which also replays the fuzzers' corpus) and by the
//! cargo-fuzz targets in `fuzz/`, which include this file. None may panic.

use ferry::internals::classify::{non_transactional, transaction_control};
use ferry::internals::pgpass::{example_line, find, Key};
use ferry::internals::split::split;
use ferry::internals::version_of;
use ferry::internals::ConnParams;

/// The statements are in order, inside the input, on character boundaries, non-empty and
/// trimmed; the pieces between and around them, joined back with them, give the input.
pub(crate) fn split_invariants(input: &str) {
    let Ok(statements) = split(input) else {
        return;
    };
    let mut joined = String::with_capacity(input.len());
    let mut at = 0;
    for s in &statements {
        assert!(
            at <= s.start && s.start < s.end && s.end <= input.len(),
            "{s:?} out of order in {input:?}"
        );
        assert!(input.is_char_boundary(s.start) && input.is_char_boundary(s.end));
        let text = s.text(input);
        // PostgreSQL's whitespace is ASCII only; U+205F and friends are part of a token.
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        assert_eq!(trimmed, text, "statement not trimmed: {text:?}");
        joined.push_str(&input[at..s.start]);
        joined.push_str(text);
        at = s.end;
        let _ = transaction_control(text);
        let _ = non_transactional(text);
    }
    joined.push_str(&input[at..]);
    assert_eq!(joined, input);
}

/// Any file name: a version, or a clear no; never a panic.
pub(crate) fn file_name_invariants(name: &str) {
    if let Some((version, width)) = version_of(name) {
        assert!(version >= 0);
        assert!(width >= 1 && width <= name.len());
    }
}

/// Any connection string: parsed or refused, and the password never shows. What ferry
/// renders of it masks the password field only (a user or database named like the
/// password is shown as it is): the rendering has `****` where the password was.
pub(crate) fn conninfo_invariants(input: &str) {
    let Ok(params) = ConnParams::parse(input) else {
        return;
    };
    let shown = params.display_url();
    let Some(password) = params.password.as_deref() else {
        assert!(!shown.contains(":****@"), "{input:?} shown as {shown}");
        return;
    };
    let (userinfo, rest) = shown
        .strip_prefix("postgres://")
        .and_then(|s| s.split_once('@'))
        .unwrap_or_else(|| panic!("{input:?} shown as {shown}"));
    assert!(userinfo.ends_with(":****"), "{input:?} shown as {shown}");
    // The rest is built from the other settings, none of them a secret; the password
    // itself is not among them.
    assert!(!rest.contains(":****@"), "{input:?} shown as {shown}");
    let debug = format!("{params:?}");
    assert!(
        !debug.contains(&format!("password: Some({password:?})")),
        "password in Debug for {input:?}"
    );
}

/// Any password file: a lookup never panics, and the line ferry suggests for a connection
/// is found again for it (escapes and all).
pub(crate) fn pgpass_invariants(input: &str) {
    let mut fields = input.splitn(4, '\n');
    let host = fields.next().unwrap_or_default();
    let dbname = fields.next().unwrap_or_default();
    let user = fields.next().unwrap_or_default();
    let rest = fields.next().unwrap_or_default();
    let key = Key {
        host,
        port: 5432,
        dbname,
        user,
    };
    let _ = find(rest, &key);
    if dbname.is_empty() || user.is_empty() {
        return; // a connection always has both; libpq looks nothing up without them
    }
    let password = "pw-7f3a";
    let suggested = example_line(&key);
    let line = format!(
        "{}{password}",
        suggested.strip_suffix("<password>").unwrap_or(&suggested)
    );
    assert_eq!(
        find(&line, &key).as_deref(),
        Some(password),
        "suggested line {line:?} does not match"
    );
}
