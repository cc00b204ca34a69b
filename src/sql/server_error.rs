//! Rendering a PostgreSQL error against the file it came from: `path:line:col`, the
//! source line with a caret under the reported position, then what the server said —
//! and [`ServerError`], what the server said, whichever driver carried it.

use postgres::error::{DbError, ErrorPosition, SqlState};

use crate::sql::split::{char_to_byte, line_col};

/// What the server said about an error, whichever driver carried it.
#[derive(Debug, Clone)]
pub(crate) struct ServerError {
    pub severity: String,
    pub code: SqlState,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// CONTEXT: where in a function or a `DO` block.
    pub where_: Option<String>,
    /// 1-based character position in the statement sent, when the server gives one.
    pub position: Option<u32>,
}

impl ServerError {
    pub(crate) fn code(&self) -> &SqlState {
        &self.code
    }
}

impl From<&DbError> for ServerError {
    fn from(db: &DbError) -> Self {
        ServerError {
            severity: db.severity().to_string(),
            code: db.code().clone(),
            message: db.message().to_string(),
            detail: db.detail().map(str::to_string),
            hint: db.hint().map(str::to_string),
            where_: db.where_().map(str::to_string),
            position: match db.position() {
                Some(ErrorPosition::Original(p)) => Some(*p),
                _ => None,
            },
        }
    }
}

/// Where in a file an error points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location<'a> {
    /// The file's path as shown.
    pub label: &'a str,
    /// The whole file.
    pub text: &'a str,
    /// Byte offset of the error in `text`.
    pub offset: usize,
}

/// Where in the file the server's error position falls. `sent` is the part of the file that
/// was sent, starting at byte `start` of the file, after `prefix_chars` characters ferry
/// put before it in the same message. PostgreSQL counts characters from 1; a position
/// outside `sent` (in ferry's own bookkeeping) is no place in the file.
pub(crate) fn reported_offset(
    db: &ServerError,
    sent: &str,
    start: usize,
    prefix_chars: usize,
) -> Option<usize> {
    let position = db.position?;
    let index = (position as usize).checked_sub(1 + prefix_chars)?;
    (index < sent.chars().count()).then(|| start + char_to_byte(sent, index))
}

/// `headline`, then the location block (if known), then the server's fields.
pub(crate) fn render(headline: &str, location: Option<Location<'_>>, err: &ServerError) -> String {
    let mut out = String::from(headline);
    if let Some(loc) = location {
        out.push('\n');
        out.push_str(&snippet(loc));
    }
    out.push_str(&format!("\n{}: {}", err.severity, err.message));
    if let Some(detail) = &err.detail {
        out.push_str(&format!("\nDETAIL: {detail}"));
    }
    if let Some(hint) = &err.hint {
        out.push_str(&format!("\nHINT: {hint}"));
    }
    if let Some(context) = &err.where_ {
        out.push_str(&format!("\nCONTEXT: {}", context.replace('\n', "\n  ")));
    }
    out.push_str(&format!("\nSQLSTATE: {}", err.code.code()));
    out
}

/// ```text
/// migrations/000003_faces.up.sql:7:3
///   7 |   embeding real[],
///     |   ^
/// ```
pub(crate) fn snippet(loc: Location<'_>) -> String {
    let offset = loc.offset.min(loc.text.len());
    let (line, column) = line_col(loc.text, offset);
    let line_start = loc.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = loc.text[offset..]
        .find('\n')
        .map_or(loc.text.len(), |i| offset + i);
    let source = loc.text[line_start..line_end].trim_end_matches('\r');
    let before = &loc.text[line_start..offset];
    let pad: usize = before.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    format!(
        "{}:{line}:{column}\n {number} | {}\n {gutter} | {}^",
        loc.label,
        source.replace('\t', "    "),
        " ".repeat(pad)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_reported_character() {
        let text = "CREATE TABLE t (\n  a int,\n  b nope\n);";
        let offset = text.find("nope").unwrap();
        let s = snippet(Location {
            label: "m/1_t.sql",
            text,
            offset,
        });
        assert_eq!(s, "m/1_t.sql:3:5\n 3 |   b nope\n   |     ^");
    }

    #[test]
    fn tabs_and_multibyte_characters_keep_the_caret_aligned() {
        let text = "\tSELECT 'é', x";
        let offset = text.find('x').unwrap();
        let s = snippet(Location {
            label: "f.sql",
            text,
            offset,
        });
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "f.sql:1:14");
        let caret = lines[2].find('^').unwrap();
        let x = lines[1].find('x').unwrap()
            - lines[1][..lines[1].find('x').unwrap()]
                .chars()
                .filter(|c| c.len_utf8() > 1)
                .count();
        assert_eq!(caret, x);
    }
}
