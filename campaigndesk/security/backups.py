"""Consistent online backups: the database (SQLite's backup API, or pg_dump) plus the
uploaded files, into one timestamped folder with a manifest of row counts."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
SQLITE_FILE = "campaigndesk.sqlite3"
PG_FILE = "campaigndesk.pgdump"


class BackupError(Exception):
    pass


def row_counts(conn: sqlite3.Connection | None = None) -> dict[str, int]:
    """Rows per model table: through Django, or straight from a SQLite file."""
    counts = {}
    existing = set(connection.introspection.table_names()) if conn is None else set()
    for model in apps.get_models():
        table = model._meta.db_table
        if conn is not None:
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                                  (table,)).fetchone()
            if exists:
                counts[table] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        elif table in existing:
            counts[table] = model._base_manager.count()
    return counts


def _pg_binary(name: str) -> str:
    # The newest installed server version (16 after 9: by number, not as text).
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                       key=lambda path: [int(part) for part in
                                         re.findall(r"\d+", Path(path).parts[-3])])
    found = shutil.which(name) or (installed[-1] if installed else None)
    if not found:
        raise BackupError(
            _("找不到 %(name)s，请安装 PostgreSQL 客户端（postgresql-client）") % {"name": name})
    return found


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["-d", db["NAME"]]
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def backup(dest: Path) -> Path:
    """Write a backup folder under `dest`; returns it."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(dest) / f"campaigndesk-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    if vendor == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        copy = sqlite3.connect(str(target))
        try:
            # The backup API copies a consistent snapshot page by page while others write.
            source.backup(copy, pages=1024)
            integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
            counts = row_counts(copy)
        finally:
            copy.close()
            source.close()
        if integrity != "ok":
            raise BackupError(_("备份文件完整性检查失败：%(result)s") % {"result": integrity})
    elif vendor == "postgresql":
        args, env = _pg_env()
        # One snapshot for the manifest's counts and the dump: this transaction exports
        # its snapshot and pg_dump reads from it while the transaction stays open.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts()
            subprocess.run([_pg_binary("pg_dump"), "--format=custom", "--no-owner",
                            f"--snapshot={snapshot}", "-f", str(folder / PG_FILE), *args],
                           env=env, check=True)
    else:
        raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": vendor})
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, folder / "media")
    (folder / MANIFEST).write_text(json.dumps({
        "created": timezone.now().isoformat(), "vendor": vendor, "rows": counts,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def restore(source: Path) -> dict:
    """Bring a backup folder back: database and media. Returns the manifest."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(_("备份来自 %(source)s，当前数据库是 %(vendor)s") % {
            "source": manifest["vendor"], "vendor": vendor})
    connections.close_all()
    if vendor == "sqlite":
        backup_file = sqlite3.connect(str(source / SQLITE_FILE))
        live = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        try:
            backup_file.backup(live)
            integrity = live.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            live.close()
            backup_file.close()
        if integrity != "ok":
            raise BackupError(
                _("恢复后的数据库完整性检查失败：%(result)s") % {"result": integrity})
    else:
        args, env = _pg_env()
        subprocess.run([_pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner",
                        "--single-transaction", *args, str(source / PG_FILE)],
                       env=env, check=True)
    media = Path(settings.MEDIA_ROOT)
    if (source / "media").exists():
        if media.exists():
            shutil.rmtree(media)
        shutil.copytree(source / "media", media)
    return manifest
