# ferry's container images.
#
#   docker build -t ferry .                    the static binary on an empty base, with CA
#                                              certificates (migrations: up, down, status, …)
#   docker build --target tools -t ferry:tools .
#                                              the same binary beside PostgreSQL's client
#                                              tools (pg_dump, psql, pg_restore) for dump,
#                                              restore and psql
#
# Usage (docs/install.md has more, and a Kubernetes init container):
#   docker run --rm -v "$PWD/migrations:/migrations" -e DATABASE_URL ferry up
# golang-migrate's flags work too:
#   docker run --rm -v "$PWD/migrations:/migrations" ferry -path=/migrations -database "$DATABASE_URL" up

# The static binary: glibc and OpenSSL linked in (as `make dist` builds it).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
ARG FERRY_BUILD_COMMIT=unknown
RUN RUSTFLAGS='-C target-feature=+crt-static --cfg getrandom_backend="linux_getrandom"' \
    FERRY_BUILD_COMMIT="$FERRY_BUILD_COMMIT" \
    cargo build --release --locked --target x86_64-unknown-linux-gnu \
        --features vendored-openssl --bin ferry \
 && cp target/x86_64-unknown-linux-gnu/release/ferry /ferry \
 && /ferry --version

FROM debian:bookworm-slim AS certs
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# With PostgreSQL's client tools of every supported major (ferry picks the server's own).
FROM debian:bookworm-slim AS tools
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends \
        postgresql-client-14 postgresql-client-15 postgresql-client-16 \
        postgresql-client-17 postgresql-client-18 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /ferry /usr/local/bin/ferry
ENV FERRY_PATH=/migrations
WORKDIR /work
ENTRYPOINT ["ferry"]
CMD ["--help"]

# The default image: nothing but the binary and the CA bundle (`sslmode=verify-full`
# checks the server against it; `sslrootcert` names another).
FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /ferry /ferry
ENV FERRY_PATH=/migrations HOME=/
ENTRYPOINT ["/ferry"]
CMD ["--help"]
