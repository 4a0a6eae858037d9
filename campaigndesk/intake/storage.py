"""The attachments' files: DATA_DIR/imports/mail/<random>.mail, never the sender's name.

Under imports/ (the folder of tables awaiting confirmation) so that `backup` copies them
with the rest; the upload previews' clean-up there removes only its own *.upload files.
"""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings

_SUFFIX = ".mail"


def folder() -> Path:
    return Path(settings.DATA_DIR) / "imports" / "mail"


def path_of(key: str) -> Path:
    if not key or not key.isalnum():  # keys are ours (token_hex); never a path from outside
        raise ValueError(key)
    return folder() / f"{key}{_SUFFIX}"


def store(data: bytes) -> tuple[str, str]:
    """(key, sha256) of the bytes written under a new random name."""
    key = secrets.token_hex(16)
    path = path_of(key)
    path.parent.mkdir(parents=True, exist_ok=True)  # only where a file is written
    path.write_bytes(data)
    return key, hashlib.sha256(data).hexdigest()


def read(key: str) -> bytes:
    return path_of(key).read_bytes()


def remove(key: str) -> None:
    path_of(key).unlink(missing_ok=True)
