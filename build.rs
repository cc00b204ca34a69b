//! Embeds the example migrations for `examples/health_server.rs`, with the same helper a
//! service's build script uses (`ferry::embed::embed_migrations`). Skipped when the
//! directory is absent, so ferry still builds as a dependency without it.

#[allow(dead_code)]
#[path = "src/embed.rs"]
mod embed;

fn main() {
    if !std::path::Path::new("migrations").is_dir() {
        return;
    }
    if let Err(e) = embed::embed_migrations("migrations") {
        panic!("embedding migrations/: {e}");
    }
}
