# ferry's everyday targets. `make dev` brings up a local PostgreSQL and migrates
# migrations/; `make test` runs the whole suite against a scratch cluster.
# `make help` lists everything.

# The local server's settings (scripts/dev-db.sh and docker-compose.yml read them too), and
# the URL that follows from them unless DATABASE_URL is given.
POSTGRES_PORT ?= 5433
POSTGRES_USER ?= rekko
POSTGRES_PASSWORD ?= rekko
POSTGRES_DB ?= rekko_dev
export POSTGRES_PORT POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB
DATABASE_URL ?= postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@localhost:$(POSTGRES_PORT)/$(POSTGRES_DB)?sslmode=disable
export DATABASE_URL
FERRY ?= cargo run --quiet --
N ?= 1

.DEFAULT_GOAL := help
.PHONY: help dev dev-stop dev-clean docker-up docker-down docker-logs docker-clean \
	db-status db-psql db-seed db-dump db-restore db-migrate-up db-migrate-down \
	db-migrate-reset db-migrate-version db-migrate-create build test lint install \
	completions bench bench-chores dist

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

dev: ## start a local PostgreSQL (Docker, or this machine's binaries) and migrate it
	scripts/dev-db.sh
	@echo "building ferry (the first build takes a few minutes)…" >&2
	cargo build
	$(FERRY) up
	$(FERRY) status

dev-stop: ## stop the local PostgreSQL that `make dev` started without Docker
	scripts/dev-db.sh stop

dev-clean: ## stop the local PostgreSQL and delete its data (.pgdata or .pgdata-pg18, or the Docker volume)
	scripts/dev-db.sh clean

docker-up: ## start PostgreSQL with docker compose and wait until it is healthy
	docker compose up -d --wait

docker-down: ## stop the docker compose PostgreSQL, keeping its data
	docker compose down

docker-logs: ## follow the docker compose PostgreSQL's log
	docker compose logs -f postgres

docker-clean: ## stop the docker compose PostgreSQL and delete its volume
	docker compose down -v

db-status: ## ferry status: connection and every migration's state
	$(FERRY) status

db-psql: ## open psql on DATABASE_URL
	$(FERRY) psql

db-seed: ## load ./seeds into the database
	$(FERRY) seed

db-dump: ## dump the database to backups/<db>-<time>.sql
	$(FERRY) dump

db-restore: ## restore a dump: make db-restore FILE=backups/x.sql
	$(if $(FILE),,$(error give the dump to restore: make db-restore FILE=backups/x.sql))
	$(FERRY) restore $(FILE)

db-migrate-up: ## apply pending migrations
	$(FERRY) up

db-migrate-down: ## roll back N migrations (default 1): make db-migrate-down N=2
	$(FERRY) down $(N)

db-migrate-reset: ## drop everything and migrate from scratch (asks first)
	$(FERRY) reset

db-migrate-version: ## print the current version
	$(FERRY) version

db-migrate-create: ## new migration files: make db-migrate-create NAME=add_users
	$(if $(NAME),,$(error name the migration: make db-migrate-create NAME=add_users))
	$(FERRY) create $(NAME)

build: ## release build: target/release/ferry
	cargo build --release

test: ## every test, against a scratch PostgreSQL (or TEST_DATABASE_URL)
	cargo test --manifest-path benches/kit/Cargo.toml --target-dir target/bench-kit
	cargo test --workspace --all-features

lint: ## formatting, clippy and rustdoc, warnings are errors (ferry and the benchmark kit)
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features --quiet
	cargo fmt --manifest-path benches/kit/Cargo.toml -- --check
	cargo clippy --manifest-path benches/kit/Cargo.toml --target-dir target/bench-kit --all-targets -- -D warnings

dist: ## ferry for machines without Rust, into dist/: static binary, .tar.gz, Python wheel, npm tarball, SHA256SUMS
	scripts/dist.sh

install: ## install ferry into ~/.cargo/bin
	cargo install --locked --path .

completions: ## regenerate the shell completion scripts in completions/
	$(FERRY) completions bash > completions/ferry.bash
	$(FERRY) completions zsh > completions/_ferry
	$(FERRY) completions fish > completions/ferry.fish
	$(FERRY) completions powershell > completions/_ferry.ps1
	$(FERRY) completions elvish > completions/ferry.elv

bench: ## every performance target against its baseline, side by side (several minutes; BENCHMARKS.md)
	benches/run.sh

bench-chores: ## seed and restore throughput on 250 MB against psql/pg_restore, and peak memory
	scripts/bench-chores.sh
