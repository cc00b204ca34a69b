//! Constants the connection modules share: libpq's defaults and the characters a URL
//! component escapes. A leaf, so the parser, the password file and the redaction
//! helper can each use them without importing one another.

use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// libpq's default port.
pub(crate) const DEFAULT_PORT: u16 = 5432;
/// How long to wait for a connection unless told otherwise.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// `application_name` reported to the server unless told otherwise.
pub(crate) const DEFAULT_APPLICATION_NAME: &str = "ferry";
/// The user when neither the settings nor `$USER` name one.
pub(crate) const FALLBACK_USER: &str = "postgres";
/// Where libpq looks for a local server's socket, in order.
pub(crate) const SOCKET_DIRS: [&str; 2] = ["/var/run/postgresql", "/tmp"];

/// Characters escaped when writing a URL component (user, password, database,
/// query values): everything but RFC 3986's unreserved set. The redaction
/// helper uses it too, to find a password's percent-encoded spelling.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// Query values may keep `/`, so socket directories read naturally.
pub(crate) const QUERY_VALUE: &AsciiSet = &COMPONENT.remove(b'/');
