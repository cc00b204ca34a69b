//! `ferry completions SHELL`: the completion script clap_complete generates from the same
//! definitions the parser uses, so it cannot drift from the real flags. The scripts in
//! `completions/` are this output, committed (`make completions`), and a test keeps them
//! current.

use clap::CommandFactory;

use crate::cli::args::{Cli, CompletionsArgs};

pub(crate) fn run(args: CompletionsArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut Cli::command(), "ferry", &mut out);
    Ok(())
}
