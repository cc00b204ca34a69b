//! timeit: wall time of commands measured side by side, reported as medians.
//!
//! The commands are run in turns — run 1 of each, then run 2 of each, the order rotated
//! every round — so a burst of load from another process on a shared machine hits all of
//! them alike instead of one command's whole series. Each command is a shell line run with
//! `sh -c`, stdout discarded; `--prepare` (untimed) runs before every timed run, e.g. to
//! recreate a database. A command that fails stops everything, with its stderr shown.
//!
//! ```text
//! timeit --runs N [--warmup K] [--prepare CMD] [--out FILE.tsv] NAME=CMD [NAME=CMD …]
//! ```
//! Prints a table; `--out` appends one line per command: name, median, min, max (ms), then
//! every sample.

use std::fs::OpenOptions;
use std::io::Write;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use ferry_bench_kit::stats::median;

struct Args {
    runs: usize,
    warmup: usize,
    prepare: Option<String>,
    out: Option<String>,
    commands: Vec<(String, String)>,
}

const USAGE: &str =
    "usage: timeit --runs N [--warmup K] [--prepare CMD] [--out FILE] NAME=CMD [NAME=CMD ...]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        runs: 5,
        warmup: 1,
        prepare: None,
        out: None,
        commands: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--runs" => args.runs = value()?.parse().map_err(|_| "--runs: not a number")?,
            "--warmup" => args.warmup = value()?.parse().map_err(|_| "--warmup: not a number")?,
            "--prepare" => args.prepare = Some(value()?),
            "--out" => args.out = Some(value()?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ => match arg.split_once('=') {
                Some((name, cmd)) if !name.is_empty() && !name.starts_with('-') => {
                    args.commands.push((name.to_string(), cmd.to_string()));
                }
                _ => return Err(format!("not NAME=CMD: {arg}\n{USAGE}")),
            },
        }
    }
    if args.commands.is_empty() || args.runs == 0 {
        return Err(USAGE.to_string());
    }
    Ok(args)
}

fn sh(line: &str, what: &str) -> Result<(), String> {
    let out = Command::new("sh")
        .args(["-c", line])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{what}: cannot run sh: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {line}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Runs one command once and returns its wall time in milliseconds.
fn timed(prepare: Option<&str>, name: &str, line: &str) -> Result<f64, String> {
    if let Some(p) = prepare {
        sh(p, "--prepare")?;
    }
    let start = Instant::now();
    sh(line, name)?;
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

fn run(args: &Args) -> Result<(), String> {
    let n = args.commands.len();
    let prepare = args.prepare.as_deref();
    for round in 0..args.warmup {
        for i in 0..n {
            let (name, line) = &args.commands[(i + round) % n];
            timed(prepare, name, line)?;
        }
    }
    let mut samples = vec![Vec::with_capacity(args.runs); n];
    for round in 0..args.runs {
        for i in 0..n {
            let k = (i + round) % n;
            let (name, line) = &args.commands[k];
            samples[k].push(timed(prepare, name, line)?);
        }
    }

    println!(
        "{:<28} {:>10} {:>10} {:>10}  runs",
        "command", "median ms", "min", "max"
    );
    let mut tsv = String::new();
    for ((name, _), s) in args.commands.iter().zip(&samples) {
        let med = median(s).unwrap_or(f64::NAN);
        let min = s.iter().copied().fold(f64::INFINITY, f64::min);
        let max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        println!(
            "{name:<28} {med:>10.1} {min:>10.1} {max:>10.1}  {}",
            s.len()
        );
        let all: Vec<String> = s.iter().map(|x| format!("{x:.1}")).collect();
        tsv.push_str(&format!(
            "{name}\t{med:.1}\t{min:.1}\t{max:.1}\t{}\n",
            all.join("\t")
        ));
    }
    if let Some(path) = &args.out {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(tsv.as_bytes()))
            .map_err(|e| format!("writing {path}: {e}"))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            eprintln!("timeit: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("timeit: {message}");
            ExitCode::FAILURE
        }
    }
}
