#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a throwaway PostgreSQL server (Debian's binaries under /usr/lib/postgresql/*/bin,
# the highest version), runs CMD with
#     DATABASE_URL=postgres://postgres@127.0.0.1:PORT/campaigndesk
# exported, then stops the server and deletes its data folder (also on failure or
# interrupt), and exits with CMD's status. Django's test runner creates test_campaigndesk
# itself through the postgres superuser; nothing else is set up.
#
# No PostgreSQL binaries: prints "PostgreSQL leg SKIPPED: <reason>", writes the same line
# to $PG_SKIP_FILE when that is set, and exits 0 without running CMD.
#
# Environment: PG_PORT (first port tried, default 54329), PG_SKIP_FILE.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

skip() {
    local line="PostgreSQL leg SKIPPED: $*"
    echo "$line" >&2
    if [[ -n ${PG_SKIP_FILE:-} ]]; then
        printf '%s\n' "$line" >"$PG_SKIP_FILE"
    fi
    exit 0
}

bindir=$(for dir in /usr/lib/postgresql/*/bin; do
    if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then echo "$dir"; fi
done | sort -V | tail -n 1)
if [[ -z $bindir ]]; then
    skip "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin;" \
        "install Debian's postgresql package (scripts/install-test-deps.sh does)"
fi

# As root, initdb refuses to run: the server runs as the postgres system user.
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
    if ! id -u postgres >/dev/null 2>&1; then
        skip "running as root and there is no postgres system user to run the server as"
    fi
    if command -v runuser >/dev/null 2>&1; then
        as_pg=(runuser -u postgres --)
    else
        skip "running as root and runuser (util-linux) is missing"
    fi
fi

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

locale=C
if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale=C.UTF-8
fi

# /tmp rather than $TMPDIR: the postgres user must be able to reach the folder.
workdir=$(mktemp -d /tmp/campaigndesk-pg.XXXXXX)
datadir=$workdir/data
logfile=$workdir/server.log
started=0

# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    local status=$?
    if [[ $started -eq 1 ]]; then
        (cd "$workdir" && "${as_pg[@]}" "$bindir/pg_ctl" stop -D "$datadir" -m fast -w -t 30 \
            >/dev/null 2>&1) \
            || (cd "$workdir" && "${as_pg[@]}" "$bindir/pg_ctl" stop -D "$datadir" \
                -m immediate -w >/dev/null 2>&1) \
            || echo "with-postgres: could not stop the server in $datadir" >&2
    fi
    rm -rf "$workdir"
    return "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ ${#as_pg[@]} -gt 0 ]]; then
    chown postgres: "$workdir"
fi
chmod 700 "$workdir"

if ! (cd "$workdir" && "${as_pg[@]}" "$bindir/initdb" -D "$datadir" -U postgres -A trust \
        --encoding=UTF8 --locale="$locale" --no-sync >"$workdir/initdb.log" 2>&1); then
    cat "$workdir/initdb.log" >&2
    echo "with-postgres: initdb failed" >&2
    exit 1
fi

port=${PG_PORT:-54329}
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    while port_busy "$port"; do
        port=$((port + 1))
    done
    # Test server: no durability needed, so no fsync; socket inside the throwaway folder.
    if (cd "$workdir" && "${as_pg[@]}" "$bindir/pg_ctl" start -D "$datadir" -l "$logfile" \
            -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c max_connections=200" >/dev/null 2>&1); then
        started=1
        break
    fi
    # Lost a race for the port, or a real failure: try the next port, show the log at the end.
    if [[ $attempt -eq 10 ]]; then
        cat "$logfile" >&2 || true
        echo "with-postgres: the PostgreSQL server did not start" >&2
        exit 1
    fi
    port=$((port + 1))
done

version=$("$bindir/postgres" --version 2>/dev/null || echo PostgreSQL)
echo "with-postgres: $version on 127.0.0.1:$port (data in $datadir, removed afterwards)"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/campaigndesk"

set +e
"$@"
status=$?
set -e
exit "$status"
