use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(ferry::internals::run(std::env::args_os()))
}
