//! What a fleet runs on every target: the command, read once from the arguments, and the
//! plan it makes on each target's files and state.

use crate::cli::args::Command;
use crate::error;
use crate::plan::{self, Known, Step, View};

/// What runs on each target.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Call {
    Up {
        limit: Option<usize>,
        allow_out_of_order: bool,
    },
    Down {
        count: usize,
        allow_missing_down: bool,
    },
    Goto {
        version: i64,
        allow_out_of_order: bool,
        allow_missing_down: bool,
    },
    Version,
    Status {
        fail_on_pending: bool,
    },
}

impl Call {
    pub(crate) fn of(command: &Command) -> anyhow::Result<(Call, &'static str)> {
        let refuse_dry_run = |dry_run: bool| {
            if dry_run {
                Err(error::usage(
                    "--dry-run is not available with --targets: run it on one target first",
                ))
            } else {
                Ok(())
            }
        };
        Ok(match command {
            Command::Up(args) => {
                refuse_dry_run(args.dry_run)?;
                if args.single_transaction {
                    return Err(error::usage(
                        "--single-transaction is not available with --targets",
                    ));
                }
                (
                    Call::Up {
                        limit: args.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
                        allow_out_of_order: args.allow_out_of_order,
                    },
                    "up",
                )
            }
            Command::Down(args) => {
                refuse_dry_run(args.dry_run)?;
                if args.all {
                    return Err(error::usage(
                        "down --all is not available with --targets: give the number to roll back (down N)",
                    ));
                }
                (
                    Call::Down {
                        count: args
                            .count
                            .map_or(1, |n| usize::try_from(n).unwrap_or(usize::MAX)),
                        allow_missing_down: args.allow_missing_down,
                    },
                    "down",
                )
            }
            Command::Goto(args) => {
                refuse_dry_run(args.dry_run)?;
                (
                    Call::Goto {
                        version: i64::try_from(args.target).unwrap_or(i64::MAX),
                        allow_out_of_order: args.allow_out_of_order,
                        allow_missing_down: args.allow_missing_down,
                    },
                    "goto",
                )
            }
            Command::Version(_) => (Call::Version, "version"),
            Command::Status(args) => (
                Call::Status {
                    fail_on_pending: args.fail_on_pending,
                },
                "status",
            ),
            _ => {
                return Err(error::usage(
                    "--targets and --targets-query work with up, down N, goto, version and status",
                ))
            }
        })
    }

    pub(crate) fn migrates(self) -> bool {
        !matches!(self, Call::Version | Call::Status { .. })
    }

    pub(crate) fn plan(self, files: &[Known<'_>], view: &View) -> anyhow::Result<Vec<Step>> {
        match self {
            Call::Up {
                limit,
                allow_out_of_order,
            } => plan::plan_up(files, view, limit, allow_out_of_order),
            Call::Down {
                count,
                allow_missing_down,
            } => plan::plan_down(files, view, Some(count), allow_missing_down),
            Call::Goto {
                version,
                allow_out_of_order,
                allow_missing_down,
            } => plan::plan_goto(files, view, version, allow_out_of_order, allow_missing_down),
            Call::Version | Call::Status { .. } => Ok(Vec::new()),
        }
    }
}
