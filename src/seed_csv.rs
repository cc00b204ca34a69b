//! What a CSV seed file says before any row is read: the table it loads into, from its
//! file name, and the columns, from its header record. Pure functions over names and
//! bytes, so every rule is unit-tested without a database; `commands::seed` does the
//! loading.

use std::io::{BufRead, Read};

use crate::lines::{Rewrite, Rewritten};
use crate::sql::quote::quote_ident;

/// A header row longer than this is a file that is not CSV, or an unclosed quote.
const MAX_HEADER: usize = 1024 * 1024;

/// The table a CSV file loads into, quoted: `tenants.csv`, `002_tenants.csv` → "tenants";
/// `app.tenants.csv` → "app"."tenants".
pub(crate) fn table_of(file_name: &str) -> Result<String, String> {
    let stem = match file_name.rfind('.') {
        Some(dot) => &file_name[..dot],
        None => file_name,
    };
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let name = match stem.as_bytes().get(digits) {
        Some(b'_') if digits > 0 => &stem[digits + 1..],
        _ => stem,
    };
    let parts: Vec<&str> = name.split('.').collect();
    let usage = "name a CSV seed after its table: tenants.csv, app.tenants.csv or 002_tenants.csv";
    if parts.iter().any(|p| p.is_empty()) || parts.len() > 2 {
        return Err(format!("cannot tell which table it loads into; {usage}"));
    }
    Ok(parts
        .iter()
        .map(|p| quote_ident(p))
        .collect::<Vec<_>>()
        .join("."))
}

/// The column names in a CSV file's first record (RFC 4180: quoted fields may hold
/// commas, doubled quotes and newlines). A UTF-8 byte order mark is skipped; spaces
/// around an unquoted name are not part of it.
pub(crate) fn header(mut reader: impl BufRead) -> Result<Vec<String>, String> {
    let mut record = Vec::new();
    let mut in_quotes = false;
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take((MAX_HEADER + 1 - record.len().min(MAX_HEADER)) as u64)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read its header row: {e}"))?;
        if n == 0 {
            break;
        }
        for &b in &line {
            if b == b'"' {
                in_quotes = !in_quotes;
            }
        }
        record.extend_from_slice(&line);
        if !in_quotes || record.len() > MAX_HEADER {
            break;
        }
    }
    if in_quotes {
        return Err("its header row has an unclosed quote".to_string());
    }
    let text = String::from_utf8(record).map_err(|_| "its header row is not UTF-8".to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Err("it has no header row: the first line must name the columns".to_string());
    }
    let mut columns = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) => {
                quoted = true;
                was_quoted = true;
            }
            (',', false) => {
                columns.push(finish_field(&mut field, was_quoted, columns.len())?);
                was_quoted = false;
            }
            (c, _) => field.push(c),
        }
    }
    columns.push(finish_field(&mut field, was_quoted, columns.len())?);
    Ok(columns)
}

fn finish_field(field: &mut String, quoted: bool, index: usize) -> Result<String, String> {
    let name = std::mem::take(field);
    let name = if quoted {
        name
    } else {
        name.trim().to_string()
    };
    if name.is_empty() {
        return Err(format!(
            "column {} of its header row is empty: the first line must name every column",
            index + 1
        ));
    }
    Ok(name)
}

/// A CSV file as COPY should get it. PostgreSQL up to 17 ends COPY data at a line `\.`
/// even in CSV, so a record that is just `\.` would silently end the load there, the rows
/// after it never read: such a line (outside a quoted field) goes as `"\."`, the same value
/// quoted. Everything else passes unchanged.
pub(crate) struct CopySafe {
    in_quotes: bool,
}

impl CopySafe {
    /// `source` as COPY should read it.
    pub(crate) fn reading<R: BufRead>(source: R) -> Rewritten<R, CopySafe> {
        Rewritten::new(source, CopySafe { in_quotes: false })
    }
}

impl Rewrite for CopySafe {
    fn line(&mut self, line: &mut Vec<u8>) -> std::io::Result<()> {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if !self.in_quotes && body == b"\\." {
            let end = line[2..].to_vec();
            line.clear();
            line.extend_from_slice(b"\"\\.\"");
            line.extend_from_slice(&end);
        }
        let quotes = line.iter().filter(|&&b| b == b'"').count();
        self.in_quotes ^= quotes % 2 == 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_from_file_names() {
        assert_eq!(table_of("tenants.csv").unwrap(), "\"tenants\"");
        assert_eq!(table_of("002_tenants.csv").unwrap(), "\"tenants\"");
        assert_eq!(table_of("app.tenants.csv").unwrap(), "\"app\".\"tenants\"");
        assert_eq!(
            table_of("10_app.Tenants.csv").unwrap(),
            "\"app\".\"Tenants\""
        );
        assert_eq!(table_of("2024data.csv").unwrap(), "\"2024data\"");
        assert_eq!(table_of("we\"ird.csv").unwrap(), "\"we\"\"ird\"");
        for bad in ["a.b.c.csv", ".csv", "001_.csv", "a..csv"] {
            assert!(table_of(bad).is_err(), "{bad} accepted");
        }
    }

    fn cols(text: &str) -> Result<Vec<String>, String> {
        header(text.as_bytes())
    }

    #[test]
    fn headers_are_csv_records() {
        assert_eq!(cols("id,name\n1,x\n").unwrap(), ["id", "name"]);
        assert_eq!(cols("id, name \r\n").unwrap(), ["id", "name"]);
        assert_eq!(
            cols("\u{feff}\"Full, Name\",\"say \"\"hi\"\"\",\"multi\nline\"\n1,2,3\n").unwrap(),
            ["Full, Name", "say \"hi\"", "multi\nline"]
        );
        assert_eq!(cols("only").unwrap(), ["only"]);
    }

    #[test]
    fn a_line_that_would_end_copy_goes_quoted_and_nothing_else_changes() {
        let csv = "v\na\n\\.\r\n\"x\n\\.\n\"\nb\n\\.";
        let mut out = String::new();
        CopySafe::reading(csv.as_bytes())
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "v\na\n\"\\.\"\r\n\"x\n\\.\n\"\nb\n\"\\.\"");
    }

    #[test]
    fn bad_headers_are_explained() {
        assert!(cols("").unwrap_err().contains("no header row"));
        assert!(cols("a,,c\n").unwrap_err().contains("column 2"));
        assert!(cols("\"open\n1\n").unwrap_err().contains("unclosed quote"));
    }
}
