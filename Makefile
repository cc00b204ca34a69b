# ferry's everyday targets. `make dev` brings up a local PostgreSQL and migrates
# migrations/; `make test` runs the whole suite against a scratch cluster.

DATABASE_URL ?= postgres://rekko:rekko@localhost:5433/rekko_dev?sslmode=disable
export DATABASE_URL

.PHONY: help build test lint dev dev-stop bench bench-chores

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## release build: target/release/ferry
	cargo build --release

test: ## every test, against a scratch PostgreSQL (or TEST_DATABASE_URL)
	cargo test

lint: ## formatting and clippy, warnings are errors
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings

dev: ## start a local PostgreSQL (Docker, or this machine's binaries) and migrate it
	scripts/dev-db.sh
	cargo run --quiet -- up
	cargo run --quiet -- status

dev-stop: ## stop the local PostgreSQL started by `make dev` without Docker
	scripts/dev-db.sh stop

bench: ## time `up` of 1,000 migrations against psql
	scripts/bench-up.sh

bench-chores: ## seed and restore throughput on 250 MB against psql/pg_restore, and peak memory
	scripts/bench-chores.sh
