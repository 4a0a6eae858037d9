"""The data folder is readable by the product's own account only (700 folders, 600 files).

It holds the SQLite file (password hashes, TOTP keys, sessions), photos, summaries and
tables being imported. The process's umask is set once at start-up (settings, wsgi, the
`campaigndesk` command) so that every folder and file it creates from then on is
owner-only, whichever code writes it; `private` also tightens files and folders that an
older version left readable by others. Kept free of Django imports: settings use it.
"""

from __future__ import annotations

import os
from pathlib import Path

UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def owner_only_from_now() -> None:
    os.umask(UMASK)


def private(path: Path) -> None:
    """Set `path` (if it exists) to 700 when a folder, 600 when a file."""
    if path.exists():
        path.chmod(FOLDER_MODE if path.is_dir() else FILE_MODE)


def private_folder(path: Path) -> Path:
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    private(path)
    return path


def private_tree(path: Path) -> None:
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        private(item)


def private_sqlite(path: Path) -> None:
    """The database file and its write-ahead log and shared-memory index."""
    for item in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        private(item)
