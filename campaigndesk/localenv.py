"""The local run environment: what `make install` sets up for the demo on this machine.

`make install` writes it to <data folder>/local.env (owner-only, 0600) with `python -m
campaigndesk.localenv write <data folder>`; `make run` sources it, and the `campaigndesk`
console script reads it so that `.venv/bin/campaigndesk check_article FILE` works in the
project folder with nothing set by hand.

It is used only when the environment does not configure the server itself, i.e. has no
SECRET_KEY (every production environment sets one, README "Production"), and a variable set
in the environment always wins over the file. Production has no such file, so a server
started without its SECRET_KEY still stops with "SECRET_KEY is not set". The web server
(wsgi) never reads it. Plain Python: it runs before Django is configured.
"""

import os
import secrets
import shlex
import sys
from pathlib import Path

from campaigndesk import filemodes

FILE_NAME = "local.env"
# Plain HTTP and the demo accounts: the demo on 127.0.0.1, never a server. DEBUG stays off:
# people trying the product must meet the Chinese error pages, not Django's technical ones
# (URL list, settings). Static files come from the app folders through WhiteNoise.
LOCAL_SETTINGS = {"DEBUG": "0", "HTTPS": "0", "CAMPAIGNDESK_DEMO": "1",
                  "ALLOWED_HOSTS": "127.0.0.1,localhost", "WHITENOISE_USE_FINDERS": "1"}
HEADER = """\
# Campaign Desk: the local run environment, written by `make install` (campaigndesk/localenv.py).
# Plain HTTP, demo accounts, no debug pages: for this machine only, never for a server.
# The `campaigndesk` command reads it when SECRET_KEY is not set; the environment wins.
"""


def location(environ=os.environ, cwd: Path | None = None) -> Path:
    """<CAMPAIGNDESK_DATA_DIR>/local.env, or var/local.env in the current (project) folder."""
    folder = environ.get("CAMPAIGNDESK_DATA_DIR") or (cwd or Path.cwd()) / "var"
    return Path(folder) / FILE_NAME


def parse(text: str) -> dict[str, str]:
    """KEY=value lines as the shell reads them (quotes allowed, # comments)."""
    values = {}
    for number, line in enumerate(text.splitlines(), start=1):
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if len(words) != 1 or "=" not in words[0]:
            raise ValueError(f"{FILE_NAME} line {number}: expected KEY=value, got {line!r}")
        key, value = words[0].split("=", 1)
        values[key] = value
    return values


def load(environ=os.environ, cwd: Path | None = None) -> Path | None:
    """Fill `environ` from the local run environment; returns the file used, or None."""
    if environ.get("SECRET_KEY"):
        return None  # configured by its operator: production, CI or a hand-set shell
    path = location(environ, cwd)
    if not path.is_file():
        return None
    for key, value in parse(path.read_text(encoding="utf-8")).items():
        environ.setdefault(key, value)
    return path


def write(data_dir: Path) -> Path:
    """Write <data_dir>/local.env, owner-only, with the secret key kept in <data_dir>/secret_key
    (made here when missing)."""
    data_dir = filemodes.private_folder(data_dir.resolve())
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        _write_private(key_file, secrets.token_urlsafe(50) + "\n")
    values = dict(LOCAL_SETTINGS, CAMPAIGNDESK_DATA_DIR=str(data_dir),
                  SECRET_KEY=key_file.read_text(encoding="utf-8").strip())
    path = data_dir / FILE_NAME
    _write_private(path, HEADER + "".join(f"{k}={shlex.quote(v)}\n" for k, v in values.items()))
    return path


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # also when the file was already there with looser rights
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "write":
        sys.exit("usage: python -m campaigndesk.localenv write DATA_DIR")
    print(f"本地运行环境：{write(Path(sys.argv[2]))}")
