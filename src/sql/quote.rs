//! Quoting for SQL text ferry writes itself: identifiers always quoted, literals that read
//! the same whatever `standard_conforming_strings` a migration left in force.

/// `"ident"` with embedded quotes doubled.
pub(crate) fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// `'text'` with embedded quotes doubled. Text with a backslash is written `E'…'` with the
/// backslashes doubled, which reads the same whatever `standard_conforming_strings` a
/// migration left in force.
pub(crate) fn quote_literal(text: &str) -> String {
    if text.contains('\\') {
        format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "E'a\\\\b'");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
