#!/usr/bin/env bash
# Installs, only when missing, what the proofreading engine needs beyond PyPI:
#   libime-data-language-model  fcitx5's Chinese word trigram model (zh_CN.lm, KenLM binary,
#                               LGPL), which the typo check scores candidates with
#   g++, zlib1g-dev              to build PyPI's kenlm module from source (it ships no wheel);
#                               it needs no Boost: the Python module builds the query code only
# Unlike the test dependencies this is not optional: without the model the typo check cannot
# run (the engine says so on every brief), so a failure here stops `make install`.
set -euo pipefail

missing=()
if ! compgen -G '/usr/lib/*/libime/zh_CN.lm' >/dev/null; then
    missing+=(libime-data-language-model)
fi
if ! command -v g++ >/dev/null 2>&1; then
    missing+=(g++)
fi
if ! dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q 'install ok installed'; then
    missing+=(zlib1g-dev)
fi
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
    as_root=(sudo)
fi
echo "proofreading: installing ${missing[*]} with apt-get ..."
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq update >/dev/null \
    || ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o=Dpkg::Use-Pty=0 \
        install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "proofreading: COULD NOT INSTALL ${missing[*]}. Install them with apt-get" \
         "(Debian/Ubuntu), or set CAMPAIGNDESK_LM_PATH to a copy of zh_CN.lm." >&2
    exit 1
fi
