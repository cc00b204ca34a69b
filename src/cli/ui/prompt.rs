//! Confirmation for destructive commands: asked on a terminal (default no), refused
//! without one unless `--yes` was given, so a script never hangs on a hidden prompt.

use std::io::IsTerminal;

use crate::error;

/// Ok when confirmed; a Refused error (exit 2) otherwise. `what` completes "This will …".
pub(crate) fn confirm(what: &str, yes: bool) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(error::refused(format!(
            "this would {what}; no terminal to ask for confirmation, so nothing was changed: pass --yes to go ahead"
        )));
    }
    let confirmed = dialoguer::Confirm::new()
        .with_prompt(format!("This will {what}. Continue?"))
        .default(false)
        .interact()
        .unwrap_or(false);
    if confirmed {
        Ok(())
    } else {
        Err(error::refused("not confirmed; nothing was changed"))
    }
}
