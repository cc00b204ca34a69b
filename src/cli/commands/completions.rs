//! `ferry completions SHELL`: the completion script clap_complete generates from the same
//! definitions the parser uses, so it cannot drift from the real flags. The scripts in
//! `completions/` are this output, committed (`make completions`), and a test keeps them
//! current. `ferry man DIR` (hidden; `make dist` runs it) writes the man pages from the
//! same model with clap_mangen.

use clap::CommandFactory;

use crate::cli::args::{Cli, CompletionsArgs, ManArgs};
use crate::error;

pub(crate) fn run(args: CompletionsArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut Cli::command(), "ferry", &mut out);
    Ok(())
}

/// `ferry.1`, and `ferry-<command>.1` for each command shown in `--help`.
pub(crate) fn man(args: &ManArgs) -> anyhow::Result<()> {
    let cannot = |path: &std::path::Path, e: std::io::Error| {
        error::usage(format!(
            "could not write {}: {}",
            path.display(),
            error::io_reason(&e, "directory")
        ))
    };
    std::fs::create_dir_all(&args.dir).map_err(|e| cannot(&args.dir, e))?;
    let mut cli = Cli::command().version(crate::cli::args::VERSION);
    cli.build();
    let mut pages = vec![("ferry.1".to_string(), cli.clone())];
    for sub in cli
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        // clap names commands with static strings; this runs once, then the process ends.
        let name: &'static str = Box::leak(format!("ferry-{}", sub.get_name()).into_boxed_str());
        pages.push((
            format!("{name}.1"),
            sub.clone().name(name).version(crate::cli::args::VERSION),
        ));
    }
    for (file, command) in pages {
        let path = args.dir.join(file);
        let mut out = Vec::new();
        clap_mangen::Man::new(command).render(&mut out)?;
        std::fs::write(&path, out).map_err(|e| cannot(&path, e))?;
    }
    Ok(())
}
