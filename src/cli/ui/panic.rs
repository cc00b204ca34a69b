//! What a crash prints. A panic is a bug, but its message can still carry a value that
//! holds the password (a URL in an `expect`, a server message in a `Debug`), and Rust's
//! default hook prints it verbatim. This hook sends it through the same redaction as
//! every other message, once the password is known.

use std::any::Any;
use std::panic::{self, PanicHookInfo};

use crate::conn::redact::redact;

/// Replace the panic hook with one that prints `error: ferry crashed …` with the
/// message redacted for `password` (URL userinfo and `password=` are masked even
/// without it). Call again when the password becomes known.
pub(crate) fn install(password: Option<&str>) {
    let password = password.map(str::to_string);
    panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
        eprintln!(
            "{}",
            describe(info.payload(), info.location(), password.as_deref())
        );
    }));
}

fn describe(
    payload: &(dyn Any + Send),
    location: Option<&panic::Location<'_>>,
    password: Option<&str>,
) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string());
    let at = location.map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
    redact(
        &format!(
            "error: ferry crashed{at}: {message} — this is a bug; please report it with the command that caused it"
        ),
        password,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_masked_in_a_panic_message() {
        let payload: Box<dyn Any + Send> =
            Box::new("connect to postgres://u:hunter2@h/db failed: hunter2 rejected".to_string());
        let text = describe(payload.as_ref(), None, Some("hunter2"));
        assert_eq!(
            text,
            "error: ferry crashed: connect to postgres://u:****@h/db failed: **** rejected — this is a bug; please report it with the command that caused it"
        );
    }

    #[test]
    fn url_passwords_are_masked_before_the_password_is_known() {
        let payload: Box<dyn Any + Send> = Box::new("bad url postgres://u:s3cret@h/db");
        let text = describe(payload.as_ref(), None, None);
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("postgres://u:****@h/db"), "{text}");
    }
}
