#!/usr/bin/env bash
# Usage: scripts/run-with-worker.sh BIN PORT
# `make run`: the background job worker beside the development server, one command. Ctrl+C
# (or the server stopping for any reason) stops both: the worker is sent SIGTERM and waited
# for, so a job it was running is finished or left for the next worker to take up.
set -uo pipefail
bin=$1
port=$2

"$bin/campaigndesk" run_worker &
worker=$!
stop_worker() {
    if kill -0 "$worker" 2>/dev/null; then
        kill -TERM "$worker" 2>/dev/null
        wait "$worker" 2>/dev/null
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

"$bin/campaigndesk" runserver "127.0.0.1:$port"
