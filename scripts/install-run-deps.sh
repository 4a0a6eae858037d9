#!/usr/bin/env bash
# Installs, only when missing, the Debian packages the product itself needs beyond Python
# (run by `make install`):
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint lays out the place posters with Pango
#   fonts-noto-cjk                     the Chinese font the posters embed
# Never fails the set-up: when a package cannot be installed (no network, no apt, no root)
# it says what will not work; everything else does, and the poster download says why not.
set -euo pipefail

missing=()
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

cannot() {
    echo "run dependencies: COULD NOT INSTALL ${missing[*]} ($1); the place posters (PDF)" \
         "cannot be generated until they are installed." >&2
    exit 0
}
command -v apt-get >/dev/null 2>&1 || cannot "apt-get is not available, not a Debian system?"
as_root=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [[ -t 0 ]]; }; then
        as_root=(sudo)
    else
        cannot "not root and sudo is not available without a password"
    fi
fi
apt() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o=Dpkg::Use-Pty=0 "$@"
}
log=$(mktemp -t campaigndesk-apt.XXXXXX)
trap 'rm -f "$log"' EXIT
echo "run dependencies: installing ${missing[*]} with apt-get ..."
apt update >"$log" 2>&1 || { tail -n 5 "$log" >&2; cannot "apt-get update failed, no network?"; }
apt install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1 \
    || { tail -n 5 "$log" >&2; cannot "apt-get install failed"; }
echo "run dependencies: installed ${missing[*]}"
