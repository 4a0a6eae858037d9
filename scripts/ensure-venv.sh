#!/usr/bin/env bash
# Debian splits `python3 -m venv` into the python3-venv package; a fresh machine may lack it.
# Installs it (as root, or through sudo) when the interpreter cannot make a virtualenv.
set -euo pipefail
python=${1:-python3}
if "$python" -c "import ensurepip, venv" 2>/dev/null; then
    exit 0
fi
version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
echo "$python cannot create a virtualenv; installing Debian's python${version}-venv" >&2
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y \
    "python${version}-venv" >/dev/null 2>&1 \
    || "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y python3-venv
