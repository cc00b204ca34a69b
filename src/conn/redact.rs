//! The one place that scrubs passwords out of text before it is shown.
//!
//! Every connection URL ferry prints and every connection error it reports
//! goes through [`redact`], so there is exactly one piece of code to audit
//! for the promise "the password never appears in output, logs, errors or
//! JSON". It works on plain text rather than on parsed settings because the
//! text it guards often comes from elsewhere: server error messages, I/O
//! errors, or a malformed URL the user typed that could not be parsed.

use percent_encoding::utf8_percent_encode;

use super::defaults::COMPONENT;

/// What a hidden password is replaced with.
pub(crate) const MASK: &str = "****";

/// Replace every trace of a password in `text` with `****`:
///
/// * the literal `password` (and its percent-encoded form), when given and
///   non-empty;
/// * the secret part of any `scheme://user:secret@` userinfo;
/// * the value of any `password=…` keyword (case-insensitive, so it also
///   covers `PGPASSWORD=…` and `DB_PASSWORD=…`), quoted or not.
///
/// The literal pass replaces every occurrence, even inside other words: a
/// password that happens to equal a user or database name is hidden there
/// too, because showing it would show the password. The one exception is a
/// URL scheme (`postgres` in `postgres://`): it is fixed text, never derived
/// from the password, and masking it would make every URL unreadable for the
/// common password `postgres`.
pub(crate) fn redact(text: &str, password: Option<&str>) -> String {
    redact_showing(text, password, &[])
}

/// [`redact`], but the password's text inside one of the `shown` names (the user, the
/// database, the host: names ferry prints on purpose) longer than it stays: with
/// `rekko:rekko@…/rekko_dev` the database `rekko_dev` and a dump `backups/rekko_dev-….sql`
/// read as they are, while `rekko` alone is masked. The password field of a URL and a
/// `password=` value are masked always.
pub(crate) fn redact_showing(text: &str, password: Option<&str>, shown: &[&str]) -> String {
    let mut out = text.to_string();
    if let Some(pw) = password.filter(|p| !p.is_empty() && *p != MASK) {
        out = replace_literal(&out, pw, shown);
        let encoded = utf8_percent_encode(pw, COMPONENT).to_string();
        if encoded != pw {
            out = replace_literal(&out, &encoded, shown);
        }
    }
    let out = redact_userinfo(&out);
    redact_keyword(&out)
}

/// `text` with every occurrence of `needle` masked, except inside a known
/// URL scheme (the password `postgres` in `postgresql://`). Only known
/// schemes: a password inside any other run of scheme-like characters before
/// `://` is masked (a fuzzer found one hiding in a host name that way).
fn replace_literal(text: &str, needle: &str, shown: &[&str]) -> String {
    let mut kept = scheme_ranges(text);
    // A name that is the password itself is no name to keep: where it stands alone, it
    // cannot be told from the password.
    for name in shown.iter().filter(|n| n.len() > needle.len()) {
        kept.extend(
            text.match_indices(name)
                .map(|(start, found)| (start, start + found.len())),
        );
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, found) in text.match_indices(needle) {
        let end = start + found.len();
        if kept.iter().any(|&(s, e)| s <= start && end <= e) {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(MASK);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Schemes whose letters are never a secret.
const KNOWN_SCHEMES: &[&str] = &["postgres", "postgresql", "file", "http", "https"];

/// Byte ranges of the `scheme` in each `scheme://` with a known scheme.
fn scheme_ranges(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    text.match_indices("://")
        .map(|(colon, _)| {
            let mut start = colon;
            while start > 0
                && (bytes[start - 1].is_ascii_alphanumeric()
                    || matches!(bytes[start - 1], b'+' | b'-' | b'.'))
            {
                start -= 1;
            }
            (start, colon)
        })
        .filter(|&(start, colon)| KNOWN_SCHEMES.contains(&&text[start..colon]))
        .collect()
}

/// Characters that end a URL embedded in free text. Whitespace and quotes
/// are how URLs are usually delimited in messages and JSON.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>')
}

fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(idx) = rest.find("://") {
        let after = idx + 3;
        out.push_str(&rest[..after]);
        let tail = &rest[after..];
        let token_len = tail.find(ends_url).unwrap_or(tail.len());
        let token = &tail[..token_len];
        // The userinfo ends at the last '@' before the query, mirroring the
        // URL parser, so that unencoded '@' or '/' in a password are still
        // covered. Without such an '@', fall back to the last '@' at all:
        // hiding too much is the safe failure.
        let query_at = token.find('?').unwrap_or(token.len());
        let at = token[..query_at].rfind('@').or_else(|| token.rfind('@'));
        match at.and_then(|at| token[..at].find(':').map(|colon| (colon, at))) {
            Some((colon, at)) if &token[colon + 1..at] != MASK => {
                out.push_str(&token[..=colon]);
                out.push_str(MASK);
                out.push_str(&token[at..]);
            }
            _ => out.push_str(token),
        }
        rest = &tail[token_len..];
    }
    out.push_str(rest);
    out
}

fn redact_keyword(text: &str) -> String {
    const KEY: &str = "password";
    // ASCII lowercasing keeps byte offsets identical to `text`.
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find(KEY) {
        let key_end = search + found + KEY.len();
        search = key_end;
        let mut i = skip_blanks(bytes, key_end);
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i = skip_blanks(bytes, i + 1);
        let value_start = i;
        let value_end = if bytes.get(i) == Some(&b'\'') {
            quoted_end(bytes, i + 1)
        } else {
            let mut j = i;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'&' {
                j += 1;
            }
            j
        };
        if value_end == value_start || &text[value_start..value_end] == MASK {
            continue;
        }
        out.push_str(&text[copied..value_start]);
        out.push_str(MASK);
        copied = value_end;
        search = value_end;
    }
    out.push_str(&text[copied..]);
    out
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    i
}

/// End (exclusive, after the closing quote) of a libpq single-quoted value
/// starting just after its opening quote. Understands `\x` and `''`; an
/// unterminated value runs to the end of the text.
fn quoted_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_password_is_masked_everywhere() {
        let text = "auth failed with hunter2; retry hunter2";
        assert_eq!(
            redact(text, Some("hunter2")),
            "auth failed with ****; retry ****"
        );
    }

    #[test]
    fn names_shown_on_purpose_keep_the_passwords_text_but_no_password_field_does() {
        let shown = ["rekko", "rekko_team", "localhost"];
        let text = "database \"rekko_team\" does not exist; dump: backups/rekko_team-x.sql; \
                    url: postgres://rekko:rekko@localhost/rekko_team; password=rekko rekko";
        assert_eq!(
            redact_showing(text, Some("rekko"), &shown),
            "database \"rekko_team\" does not exist; dump: backups/rekko_team-x.sql; \
             url: postgres://****:****@localhost/rekko_team; password=**** ****"
        );
        // A name shorter than the password cannot hold it.
        assert_eq!(
            redact_showing("user a, secret abc", Some("abc"), &["a"]),
            "user a, secret ****"
        );
        // Without names, the text is masked everywhere, as before.
        assert_eq!(
            redact("database rekko_team", Some("rekko")),
            "database ****_team"
        );
    }

    #[test]
    fn url_schemes_survive_a_password_named_postgres() {
        let text = "postgres://postgres:****@localhost:5432/postgres?sslmode=prefer";
        assert_eq!(
            redact(text, Some("postgres")),
            "postgres://****:****@localhost:5432/****?sslmode=prefer"
        );
        assert_eq!(
            redact("user postgres in postgresql://h", Some("postgres")),
            "user **** in postgresql://h"
        );
        // Only the scheme itself is spared.
        assert_eq!(redact("xpostgres://h", Some("postgres://")), "x****h");
    }

    #[test]
    fn percent_encoded_literal_is_masked() {
        let text = "postgres://u:p%40ss%2Fword@h/db failed";
        let out = redact(text, Some("p@ss/word"));
        assert!(!out.contains("p%40ss"), "{out}");
        assert!(out.contains("postgres://u:****@h/db"), "{out}");
    }

    #[test]
    fn empty_or_missing_password_changes_nothing_else() {
        let text = "could not connect to server at localhost:5432";
        assert_eq!(redact(text, Some("")), text);
        assert_eq!(redact(text, None), text);
    }

    #[test]
    fn userinfo_secret_is_masked_without_knowing_it() {
        let text = "bad url postgresql://alice:s3cret@db.example.com:5432/app?sslmode=require here";
        assert_eq!(
            redact(text, None),
            "bad url postgresql://alice:****@db.example.com:5432/app?sslmode=require here"
        );
    }

    #[test]
    fn userinfo_with_unencoded_at_and_slash_is_masked_whole() {
        let out = redact("postgres://bob:a/b@c@host/db", None);
        assert_eq!(out, "postgres://bob:****@host/db");
    }

    #[test]
    fn userinfo_without_password_is_untouched() {
        let text = "postgres://bob@host:5432/db and postgres://host/db?application_name=a@b";
        assert_eq!(redact(text, None), text);
    }

    #[test]
    fn several_urls_are_all_masked() {
        let text = "from 'postgres://a:one@h1/x' to \"postgres://b:two@h2/y\"";
        assert_eq!(
            redact(text, None),
            "from 'postgres://a:****@h1/x' to \"postgres://b:****@h2/y\""
        );
    }

    #[test]
    fn keyword_values_are_masked() {
        assert_eq!(
            redact("host=db password=s3cret user=me", None),
            "host=db password=**** user=me"
        );
        assert_eq!(
            redact("host=db password = 'it''s a \\'secret' dbname=x", None),
            "host=db password = **** dbname=x"
        );
        assert_eq!(
            redact("postgres://h/db?password=s3cret&sslmode=disable", None),
            "postgres://h/db?password=****&sslmode=disable"
        );
        assert_eq!(
            redact("PGPASSWORD=abc DB_PASSWORD=def", None),
            "PGPASSWORD=**** DB_PASSWORD=****"
        );
    }

    #[test]
    fn prose_about_passwords_is_not_mangled() {
        let text = "password authentication failed for user \"bob\"";
        assert_eq!(redact(text, None), text);
    }

    #[test]
    fn redaction_is_idempotent() {
        let once = redact("postgres://u:pw@h/d password=x", Some("pw"));
        assert_eq!(redact(&once, Some("pw")), once);
        assert_eq!(once, "postgres://u:****@h/d password=****");
    }

    #[test]
    fn non_ascii_text_survives() {
        let text = "bäd: postgres://ü:gëheim@höst/db — password=Straße ok";
        assert_eq!(
            redact(text, None),
            "bäd: postgres://ü:****@höst/db — password=**** ok"
        );
    }
}

#[cfg(test)]
mod fuzz_regressions {
    use super::*;

    #[test]
    fn password_inside_scheme_like_text_is_masked() {
        let text = "host=x..bbbbbbbbbbbb..://i";
        assert!(!redact(text, Some("bbbbbbbb")).contains("bbbbbbbb"));
        assert_eq!(
            redact("postgres://u@h/db", Some("postgres")),
            "postgres://u@h/db"
        );
    }
}
