#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server from Debian's packages: a new cluster
# in a temporary folder, listening on a Unix socket there only, removed afterwards. The
# command finds it in ENROLLSTATION_TEST_POSTGRES.
set -euo pipefail

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ]; then
  echo "with-postgres: PostgreSQL is not installed (make setup-test installs it)" >&2
  exit 1
fi
dir="$(mktemp -d /tmp/enrollstation-pg.XXXXXX)"
as=()
if [ "$(id -u)" -eq 0 ]; then
  # The server refuses to run as root; Debian's package made its own user.
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
stop() {
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses='' -c max_connections=300" start >/dev/null
"${as[@]}" "$bindir/createdb" -h "$dir" -U postgres enrollstation
export ENROLLSTATION_TEST_POSTGRES="postgres://postgres@/enrollstation?host=$dir"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $dir"
"$@"
