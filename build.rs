//! The commit ferry is built from, for `ferry --version`: `FERRY_BUILD_COMMIT` when the
//! build says (a container or tarball build without `.git`), else git's own answer, else
//! "unknown". Written by hand: a few lines of `git rev-parse` need no build dependency.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=FERRY_BUILD_COMMIT");
    let git = Path::new(".git");
    if git.is_dir() {
        // A new commit or checkout moves HEAD or the branch it names.
        println!("cargo:rerun-if-changed=.git/HEAD");
        println!("cargo:rerun-if-changed=.git/packed-refs");
        if let Ok(head) = std::fs::read_to_string(git.join("HEAD")) {
            if let Some(reference) = head.trim().strip_prefix("ref: ") {
                println!("cargo:rerun-if-changed=.git/{reference}");
            }
        }
    }
    let commit = std::env::var("FERRY_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            let out = Command::new("git")
                .args(["rev-parse", "--short=12", "HEAD"])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
                .filter(|c| !c.is_empty())
        })
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=FERRY_COMMIT={commit}");
}
