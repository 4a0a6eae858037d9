#!/usr/bin/env bash
# Installs, only when missing, the Debian packages the test suite needs beyond Python:
#   chromium        /usr/bin/chromium, driven headless by the Playwright browser tests
#   postgresql      server binaries (/usr/lib/postgresql/*/bin/initdb) for the PostgreSQL leg
#   fonts-noto-cjk  so pages and screenshots render Chinese
#   poppler-utils   pdftoppm, pdffonts, pdftotext: the place poster tests read the PDFs
#   zbar-tools      zbarimg: the poster tests decode the QR code
#   dovecot-imapd   /usr/sbin/dovecot, the real IMAP server the mail intake tests start
#   redis-server    /usr/bin/redis-server, the Redis leg of the background job tests
# Never fails the run: when a package cannot be installed (no network, no apt, no root),
# it says so and exits 0; the browser tests and the PostgreSQL leg then report themselves
# skipped with the reason, and the SQLite leg still runs.
set -euo pipefail

missing=()
if [[ ! -x /usr/bin/chromium ]]; then
    missing+=(chromium)
fi
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
    || ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    missing+=(postgresql)
fi
if ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed'; then
    missing+=(fonts-noto-cjk)
fi
if ! command -v pdftoppm >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1; then
    missing+=(poppler-utils)
fi
if ! command -v zbarimg >/dev/null 2>&1; then
    missing+=(zbar-tools)
fi

if [[ ! -x /usr/sbin/dovecot ]]; then
    missing+=(dovecot-imapd)
fi

if [[ ! -x /usr/bin/redis-server ]]; then
    missing+=(redis-server)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "test dependencies: chromium, postgresql, fonts-noto-cjk, poppler-utils, zbar-tools, dovecot-imapd and redis-server are installed"
    exit 0
fi

cannot() {
    local package
    for package in "$@"; do
        case $package in
            chromium) consequence="the browser tests will be reported as SKIPPED" ;;
            postgresql) consequence="the PostgreSQL leg will be reported as SKIPPED" ;;
            poppler-utils|zbar-tools) consequence="the poster tests will be reported as SKIPPED" ;;
            dovecot-imapd) consequence="the mail intake tests will be reported as SKIPPED" ;;
            redis-server) consequence="the Redis leg of the job tests will be reported as SKIPPED" ;;
            *) consequence="pages and screenshots may show boxes instead of Chinese" ;;
        esac
        echo "test dependencies: COULD NOT INSTALL $package ($reason); $consequence." >&2
    done
    exit 0
}

if ! command -v apt-get >/dev/null 2>&1; then
    reason="apt-get is not available, not a Debian system?"
    cannot "${missing[@]}"
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo)
    elif command -v sudo >/dev/null 2>&1 && [[ -t 0 ]]; then
        as_root=(sudo)  # interactive: sudo may ask for the password
    else
        reason="not root and sudo is not available without a password"
        cannot "${missing[@]}"
    fi
fi

apt() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o=Dpkg::Use-Pty=0 "$@"
}

log=$(mktemp -t campaigndesk-apt.XXXXXX)
trap 'rm -f "$log"' EXIT

echo "test dependencies: installing ${missing[*]} with apt-get ..."
if ! apt update >"$log" 2>&1; then
    tail -n 5 "$log" >&2
    reason="apt-get update failed, no network?"
    cannot "${missing[@]}"
fi

failed=()
for package in "${missing[@]}"; do
    if apt install -y --no-install-recommends "$package" >"$log" 2>&1; then
        echo "test dependencies: installed $package"
    else
        tail -n 5 "$log" >&2
        failed+=("$package")
    fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
    reason="apt-get install failed"
    cannot "${failed[@]}"
fi
