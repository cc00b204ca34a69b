//! What a fleet runs on every target: the command, read once from the arguments, and the
//! plan it makes on each target's files and state.

use crate::cli::args::Command;
use crate::error;
use crate::plan::Operation;

/// What runs on each target.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Call {
    Migrate(Operation),
    Version,
    Status { fail_on_pending: bool },
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
        let call = match command {
            Command::Up(args) => {
                refuse_dry_run(args.dry_run)?;
                if args.check_drift || args.rehearse || args.trace {
                    return Err(error::usage(
                        "--check-drift, --rehearse and --trace are not available with --targets: run \
                         `ferry drift --targets …` first, or up --rehearse (or --trace) on one target",
                    ));
                }
                if args.single_transaction {
                    return Err(error::usage(
                        "--single-transaction is not available with --targets",
                    ));
                }
                Call::Migrate(Operation::Up {
                    limit: args.count.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
                    allow_out_of_order: args.allow_out_of_order,
                })
            }
            Command::Down(args) => {
                refuse_dry_run(args.dry_run)?;
                if args.all {
                    return Err(error::usage(
                        "down --all is not available with --targets: give the number to roll back (down N)",
                    ));
                }
                Call::Migrate(Operation::Down {
                    count: Some(
                        args.count
                            .map_or(1, |n| usize::try_from(n).unwrap_or(usize::MAX)),
                    ),
                    allow_missing_down: args.allow_missing_down,
                })
            }
            Command::Goto(args) => {
                refuse_dry_run(args.dry_run)?;
                Call::Migrate(Operation::Goto {
                    version: i64::try_from(args.target).unwrap_or(i64::MAX),
                    allow_out_of_order: args.allow_out_of_order,
                    allow_missing_down: args.allow_missing_down,
                })
            }
            Command::Version(_) => Call::Version,
            Command::Status(args) => Call::Status {
                fail_on_pending: args.fail_on_pending,
            },
            _ => {
                return Err(error::usage(
                    "--targets and --targets-query work with up, down N, goto, version and status",
                ))
            }
        };
        let name = match call {
            Call::Migrate(operation) => operation.command(),
            Call::Version => "version",
            Call::Status { .. } => "status",
        };
        Ok((call, name))
    }

    pub(crate) fn migrates(self) -> bool {
        matches!(self, Call::Migrate(_))
    }

    /// Repeatable migrations follow `up`, as on one database.
    pub(crate) fn runs_repeatables(self) -> bool {
        matches!(self, Call::Migrate(operation) if operation.runs_repeatables())
    }
}
