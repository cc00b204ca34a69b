//! Placeholders in migration files, opt-in per file with `-- ferry:template` among its
//! leading comments: `${NAME}` is replaced everywhere in the file — strings and
//! dollar-quoted function bodies included — by the value `--var NAME=VALUE` gives, else the
//! environment variable `FERRY_VAR_NAME`; `$${NAME}` stays a literal `${NAME}`. A name with
//! no value is an error naming it and the file, found when the files are read, so before
//! anything runs. The checksum is taken over the file as written, so changing a value does
//! not make an applied file "edited".

use std::collections::BTreeMap;

/// The values placeholders take: `--var` first, then `FERRY_VAR_*`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vars {
    given: BTreeMap<String, String>,
    env: BTreeMap<String, String>,
    /// The names whose values are secrets (`--secret-var`, `FERRY_SECRET_VAR_*`): masked
    /// wherever ferry prints the rendered SQL or an error excerpt.
    secret: Vec<String>,
}

/// The prefix of the environment variables that give values: `FERRY_VAR_TENANT`.
pub(crate) const ENV_PREFIX: &str = "FERRY_VAR_";
/// The prefix of those that give secret values (a password): `FERRY_SECRET_VAR_APP_PASSWORD`.
pub(crate) const SECRET_ENV_PREFIX: &str = "FERRY_SECRET_VAR_";

impl Vars {
    /// From `--var` pairs and the environment's `FERRY_VAR_*` and `FERRY_SECRET_VAR_*`
    /// variables (`env`: name and value of each, prefix included).
    pub(crate) fn new(given: Vec<(String, String)>, env: Vec<(String, String)>) -> Self {
        let mut secret = Vec::new();
        let env = env
            .into_iter()
            .filter_map(|(k, v)| {
                if let Some(name) = k.strip_prefix(SECRET_ENV_PREFIX) {
                    secret.push(name.to_string());
                    return Some((name.to_string(), v));
                }
                Some((k.strip_prefix(ENV_PREFIX)?.to_string(), v))
            })
            .collect();
        Vars {
            given: given.into_iter().collect(),
            env,
            secret,
        }
    }

    /// `--secret-var` pairs: values like `--var`'s, masked in what ferry prints.
    pub(crate) fn with_secrets(mut self, secrets: Vec<(String, String)>) -> Self {
        for (name, value) in secrets {
            self.secret.push(name.clone());
            self.given.insert(name, value);
        }
        self
    }

    /// The values to mask: those of the secret names, as they will be used.
    pub(crate) fn secret_values(&self) -> Vec<&str> {
        self.secret
            .iter()
            .filter_map(|name| self.get(name))
            .filter(|value| !value.is_empty())
            .collect()
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.given
            .get(name)
            .or_else(|| self.env.get(name))
            .map(String::as_str)
    }
}

/// `--var NAME=VALUE`.
pub(crate) fn parse_var(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))?;
    if !is_name(name) {
        return Err(format!(
            "`{name}` is not a placeholder name: use letters, digits and underscores, not \
             starting with a digit"
        ));
    }
    Ok((name.to_string(), value.to_string()))
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A placeholder with no value: its name and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unset {
    pub name: String,
    pub line: usize,
}

/// `text` with its placeholders replaced, or every one that has no value. `${` not
/// followed by a name and `}` is left as it is.
pub(crate) fn render(text: &str, vars: &Vars) -> Result<String, Vec<Unset>> {
    let mut out = String::with_capacity(text.len());
    let mut unset: Vec<Unset> = Vec::new();
    let mut rest = text;
    let mut consumed = 0;
    while let Some(at) = rest.find("${") {
        let escaped = at > 0 && rest.as_bytes()[at - 1] == b'$';
        let after = &rest[at + 2..];
        let name = after
            .find('}')
            .map(|end| &after[..end])
            .filter(|n| is_name(n));
        match name {
            Some(name) if escaped => {
                // `$${NAME}`: the `$` that escapes goes, `${NAME}` stays.
                out.push_str(&rest[..at - 1]);
                out.push_str("${");
                out.push_str(name);
                out.push('}');
            }
            Some(name) => {
                out.push_str(&rest[..at]);
                match vars.get(name) {
                    Some(value) => out.push_str(value),
                    None => {
                        let line = text[..consumed + at].matches('\n').count() + 1;
                        if !unset.iter().any(|u| u.name == name) {
                            unset.push(Unset {
                                name: name.to_string(),
                                line,
                            });
                        }
                    }
                }
            }
            None => {
                out.push_str(&rest[..at + 2]);
                consumed += at + 2;
                rest = &rest[at + 2..];
                continue;
            }
        }
        let len = at + 2 + name.map_or(0, str::len) + 1;
        consumed += len;
        rest = &rest[len..];
    }
    out.push_str(rest);
    if unset.is_empty() {
        Ok(out)
    } else {
        Err(unset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        Vars::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            vec![("FERRY_VAR_SCHEMA".into(), "from_env".into())],
        )
    }

    #[test]
    fn placeholders_are_replaced_everywhere_and_escapes_kept() {
        let v = vars(&[("TENANT", "acme")]);
        let text = "CREATE SCHEMA ${TENANT};\nSELECT '${TENANT}';\n\
                    CREATE FUNCTION f() RETURNS text AS $$ SELECT '${TENANT}' $$ LANGUAGE sql;\n\
                    SELECT '$${TENANT}', '${SCHEMA}', '${ not a name }', '${', 'a$b';";
        assert_eq!(
            render(text, &v).unwrap(),
            "CREATE SCHEMA acme;\nSELECT 'acme';\n\
             CREATE FUNCTION f() RETURNS text AS $$ SELECT 'acme' $$ LANGUAGE sql;\n\
             SELECT '${TENANT}', 'from_env', '${ not a name }', '${', 'a$b';"
        );
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        let v = vars(&[("SCHEMA", "from_flag")]);
        assert_eq!(render("${SCHEMA}", &v).unwrap(), "from_flag");
    }

    #[test]
    fn every_unset_name_is_reported_once_with_its_first_line() {
        let err = render("SELECT 1;\n${A} ${B}\n${A}", &vars(&[])).unwrap_err();
        assert_eq!(
            err,
            [
                Unset {
                    name: "A".into(),
                    line: 2
                },
                Unset {
                    name: "B".into(),
                    line: 2
                }
            ]
        );
    }

    #[test]
    fn var_flags_are_checked() {
        assert_eq!(parse_var("A=b=c").unwrap(), ("A".into(), "b=c".into()));
        assert_eq!(parse_var("A=").unwrap(), ("A".into(), String::new()));
        assert!(parse_var("A").unwrap_err().contains("NAME=VALUE"));
        assert!(parse_var("1A=x").unwrap_err().contains("placeholder name"));
    }
}
