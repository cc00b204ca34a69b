//! `ferry shadow status|clean`: the shadow's cache — where it is, the clusters ferry made
//! there and the templates they hold (or those on a `--shadow` URL's server) — and
//! removing it.

use serde_json::json;

use super::ctx::Ctx;
use crate::cli::args::{Format, OutputArgs, ShadowCommand};
use crate::shadow::{Choice, Shadow};

pub(crate) fn run(ctx: &Ctx, command: ShadowCommand) -> anyhow::Result<()> {
    match command {
        ShadowCommand::Status(args) => status(ctx, &args),
        ShadowCommand::Clean => clean(ctx),
    }
}

fn status(ctx: &Ctx, args: &OutputArgs) -> anyhow::Result<()> {
    let config = &ctx.config.shadow;
    let clusters = crate::shadow::cache::clusters(&config.cache_dir);
    let templates = match (&config.choice, clusters.is_empty()) {
        // Nothing cached and no server named: nothing to start a server for.
        (Choice::Url(_), _) | (_, false) => {
            let mut shadow = Shadow::open(config, None, &[], &ctx.events())?;
            shadow.templates()?
        }
        _ => Vec::new(),
    };
    if args.format == Format::Json {
        ctx.report.document(&json!({
            "cache": config.cache_dir,
            "clusters": clusters.iter().map(|(p, bytes)| json!({"path": p, "bytes": bytes})).collect::<Vec<_>>(),
            "templates": templates.iter().map(|t| json!({"name": t.name, "about": t.about, "bytes": t.bytes})).collect::<Vec<_>>(),
        }));
        return Ok(());
    }
    ctx.report
        .result(&format!("cache: {}", config.cache_dir.display()));
    for (path, bytes) in &clusters {
        ctx.report.result(&format!(
            "  cluster {} ({} MB)",
            path.display(),
            bytes / 1_000_000
        ));
    }
    if templates.is_empty() {
        ctx.report
            .result("no templates: the next run that needs one replays the migrations");
    }
    for t in &templates {
        ctx.report.result(&format!(
            "  {} ({} MB): {}",
            t.name,
            t.bytes / 1_000_000,
            t.about
        ));
    }
    Ok(())
}

fn clean(ctx: &Ctx) -> anyhow::Result<()> {
    let config = &ctx.config.shadow;
    if let Choice::Url(_) = config.choice {
        let mut shadow = Shadow::open(config, None, &[], &ctx.events())?;
        let dropped = shadow.drop_templates()?;
        crate::shadow::cache::remove_snapshots(&config.cache_dir);
        ctx.report.result(&format!(
            "dropped {dropped} database(s) of ferry's from the shadow server (templates, and what killed runs left)"
        ));
        return Ok(());
    }
    let removed = crate::shadow::cache::remove_clusters(&config.cache_dir)?;
    let schemas = crate::shadow::cache::remove_snapshots(&config.cache_dir);
    ctx.report.result(&format!(
        "removed {} shadow cluster(s) and {schemas} kept schema(s) from {}",
        removed,
        config.cache_dir.display()
    ));
    Ok(())
}
