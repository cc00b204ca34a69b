//! Pointing a libpq program (psql, pg_dump, pg_restore) at the connection
//! ferry resolved, through its environment and never its argv.
//!
//! A child's command line is visible to every user of the machine (`ps`,
//! `/proc/<pid>/cmdline`), and often ends up in logs and error messages; its
//! environment is readable only by the same user. So the child gets no
//! `--dbname=postgres://…` but `PGHOST`, `PGPASSWORD`, `PGSSLMODE` and the
//! rest. Inherited libpq variables that could redirect or change the
//! connection are removed first, so the child reaches exactly the server
//! ferry would, whatever the shell had set.

use std::process::Command;

use super::params::ConnParams;

/// libpq variables that decide where and how a child connects. Each is
/// removed from a child's environment before ferry's own are set, so that a
/// stale `PGSERVICE` or `PGHOSTADDR` cannot send it elsewhere.
const LIBPQ_CONNECTION_VARS: [&str; 33] = [
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGOPTIONS",
    "PGAPPNAME",
    "PGSSLMODE",
    "PGREQUIRESSL",
    "PGSSLNEGOTIATION",
    "PGSSLCOMPRESSION",
    "PGSSLCERT",
    "PGSSLKEY",
    "PGSSLCERTMODE",
    "PGSSLROOTCERT",
    "PGSSLCRL",
    "PGSSLCRLDIR",
    "PGSSLSNI",
    "PGREQUIREPEER",
    "PGSSLMINPROTOCOLVERSION",
    "PGSSLMAXPROTOCOLVERSION",
    "PGGSSENCMODE",
    "PGKRBSRVNAME",
    "PGGSSLIB",
    "PGGSSDELEGATION",
    "PGCONNECT_TIMEOUT",
    "PGTARGETSESSIONATTRS",
    "PGLOADBALANCEHOSTS",
    "PGCHANNELBINDING",
];

/// The libpq variables that make a child connect as `params` does.
///
/// The password goes in `PGPASSWORD` whatever its origin (so a password
/// found in the password file is not looked up twice); with none, the
/// password file ferry consulted is passed as `PGPASSFILE`, so the child
/// agrees with ferry about it. `sslrootcert` is passed only when given:
/// without it ferry checks against the system store, while libpq reads
/// `~/.postgresql/root.crt`, and older libpq does not understand
/// `sslrootcert=system`. golang-migrate's statement timeout is a
/// migration setting and is not passed on.
pub(crate) fn libpq_env(params: &ConnParams) -> Vec<(&'static str, String)> {
    let (hosts, ports): (Vec<&str>, Vec<String>) = params
        .servers()
        .map(|(host, port)| (host, port.to_string()))
        .unzip();
    let mut vars = vec![
        ("PGHOST", hosts.join(",")),
        ("PGPORT", ports.join(",")),
        ("PGUSER", params.user.clone()),
        ("PGDATABASE", params.dbname.clone()),
        ("PGSSLMODE", params.sslmode.as_str().to_string()),
        ("PGAPPNAME", params.application_name.clone()),
        // libpq takes whole seconds; round up so a sub-second timeout does
        // not become 0, which means "forever".
        (
            "PGCONNECT_TIMEOUT",
            params
                .connect_timeout
                .as_secs()
                .saturating_add(u64::from(params.connect_timeout.subsec_nanos() > 0))
                .to_string(),
        ),
    ];
    match (&params.password, &params.passfile) {
        (Some(password), _) => vars.push(("PGPASSWORD", password.clone())),
        (None, Some(file)) => vars.push(("PGPASSFILE", file.display().to_string())),
        (None, None) => {}
    }
    if let Some(root) = &params.sslrootcert {
        vars.push(("PGSSLROOTCERT", root.display().to_string()));
    }
    if let Some(cert) = &params.sslcert {
        vars.push(("PGSSLCERT", cert.display().to_string()));
    }
    if let Some(key) = &params.sslkey {
        vars.push(("PGSSLKEY", key.display().to_string()));
    }
    if let Some(attrs) = params.target_session_attrs {
        vars.push((
            "PGTARGETSESSIONATTRS",
            super::params::attrs_str(attrs).to_string(),
        ));
    }
    if params.load_balance_hosts {
        vars.push(("PGLOADBALANCEHOSTS", "random".to_string()));
    }
    if let Some(addr) = params.hostaddr {
        vars.push(("PGHOSTADDR", addr.to_string()));
    }
    if let Some(options) = &params.options {
        vars.push(("PGOPTIONS", options.clone()));
    }
    vars
}

/// Set up `command`'s environment to connect as `params` (see
/// [`libpq_env`]), after removing every inherited libpq connection
/// variable. Adds nothing to its arguments.
pub(crate) fn configure(command: &mut Command, params: &ConnParams) {
    for var in LIBPQ_CONNECTION_VARS {
        command.env_remove(var);
    }
    command.envs(libpq_env(params));
}

/// Stops the child (SIGTERM) when ferry dies, however it dies (a second Ctrl-C, SIGTERM,
/// SIGKILL): a pg_dump or psql left running would go on reading or writing the database
/// for nobody. Linux only (prctl's `PR_SET_PDEATHSIG`); elsewhere a no-op.
pub(crate) fn dies_with_ferry(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs in the child between fork and exec and calls only
        // prctl, which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::params::SslMode;
    use std::ffi::OsStr;
    use std::path::PathBuf;
    use std::time::Duration;

    fn params() -> ConnParams {
        ConnParams {
            host: "db.example.com".to_string(),
            port: 6543,
            user: "alice".to_string(),
            password: Some("hunter2".to_string()),
            dbname: "app".to_string(),
            sslmode: SslMode::VerifyFull,
            sslrootcert: Some(PathBuf::from("/etc/ca.pem")),
            sslcert: Some(PathBuf::from("/home/a/client.crt")),
            sslkey: Some(PathBuf::from("/home/a/client.key")),
            hostaddr: Some("10.1.2.3".parse().unwrap()),
            connect_timeout: Duration::from_millis(1500),
            options: Some("-c search_path=app".to_string()),
            ..ConnParams::default()
        }
    }

    fn env_of(command: &Command) -> Vec<(String, Option<String>)> {
        command
            .get_envs()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.map(|v| v.to_string_lossy().into_owned()),
                )
            })
            .collect()
    }

    fn get(env: &[(String, Option<String>)], name: &str) -> Option<String> {
        env.iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.clone())
    }

    #[test]
    fn every_setting_goes_through_the_environment_and_none_through_argv() {
        let mut command = Command::new("pg_dump");
        command.arg("--schema-only");
        configure(&mut command, &params());
        let args: Vec<&OsStr> = command.get_args().collect();
        assert_eq!(args, ["--schema-only"]);
        let env = env_of(&command);
        for (name, value) in [
            ("PGHOST", "db.example.com"),
            ("PGPORT", "6543"),
            ("PGUSER", "alice"),
            ("PGPASSWORD", "hunter2"),
            ("PGDATABASE", "app"),
            ("PGSSLMODE", "verify-full"),
            ("PGSSLROOTCERT", "/etc/ca.pem"),
            ("PGSSLCERT", "/home/a/client.crt"),
            ("PGSSLKEY", "/home/a/client.key"),
            ("PGHOSTADDR", "10.1.2.3"),
            ("PGCONNECT_TIMEOUT", "2"),
            ("PGAPPNAME", "ferry"),
            ("PGOPTIONS", "-c search_path=app"),
        ] {
            assert_eq!(get(&env, name).as_deref(), Some(value), "{name}");
        }
    }

    #[test]
    fn inherited_libpq_variables_are_removed() {
        let mut command = Command::new("psql");
        configure(&mut command, &ConnParams::default());
        let env = env_of(&command);
        for name in ["PGSERVICE", "PGHOSTADDR", "PGSSLCERT", "PGREQUIRESSL"] {
            assert!(
                env.iter().any(|(k, v)| k == name && v.is_none()),
                "{name} not removed"
            );
        }
        // Set, not removed: the set value is what the child sees.
        assert_eq!(get(&env, "PGHOST").as_deref(), Some("localhost"));
    }

    #[test]
    fn without_a_password_the_consulted_password_file_is_passed() {
        let mut p = params();
        p.password = None;
        p.passfile = Some(PathBuf::from("/home/alice/.pgpass"));
        let env = libpq_env(&p);
        assert!(!env.iter().any(|(k, _)| *k == "PGPASSWORD"));
        assert!(env.contains(&("PGPASSFILE", "/home/alice/.pgpass".to_string())));
        p.passfile = None;
        assert!(!libpq_env(&p)
            .iter()
            .any(|(k, _)| *k == "PGPASSWORD" || *k == "PGPASSFILE"));
    }

    #[test]
    fn socket_hosts_and_whole_second_timeouts() {
        let mut p = params();
        p.host = "/var/run/postgresql".to_string();
        p.connect_timeout = Duration::from_secs(10);
        p.sslrootcert = None;
        let env = libpq_env(&p);
        assert!(env.contains(&("PGHOST", "/var/run/postgresql".to_string())));
        assert!(env.contains(&("PGCONNECT_TIMEOUT", "10".to_string())));
        assert!(!env.iter().any(|(k, _)| *k == "PGSSLROOTCERT"));
        p.connect_timeout = Duration::ZERO;
        assert!(libpq_env(&p).contains(&("PGCONNECT_TIMEOUT", "0".to_string())));
    }
}
