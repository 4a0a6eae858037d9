"""Consistent online backups: the database (SQLite's backup API, or pg_dump) plus every
folder where the product stores files (settings.STORAGE_FOLDERS), into one timestamped
folder with a manifest of row counts and the newest audit entry.

The copy holds password hashes, TOTP keys and sessions: the folder and everything in it
are readable by the owner only (700/600). A restore checks that every file the restored
database refers to is there."""

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

from campaigndesk import filemodes

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


def storage_folders() -> dict[str, Path]:
    """Name in the backup -> live folder, for every folder the product stores files in."""
    data = Path(settings.DATA_DIR)
    return {name: Path(settings.MEDIA_ROOT) if name == "media" else data / name
            for name in settings.STORAGE_FOLDERS}


def _owner_only(folder: Path) -> None:
    filemodes.private_tree(folder)


def _sqlite_head(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute("SELECT id, hash FROM audit_auditentry ORDER BY id DESC LIMIT 1").fetchone()
    return {"id": row[0], "hash": row[1]} if row else None


def _audit_count(counts: dict[str, int]) -> int:
    # verify_audit --manifest checks that the entries up to the head still number this,
    # less what later purges say they removed.
    return counts.get("audit_auditentry", 0)


def backup(dest: Path) -> Path:
    """Write a backup folder under `dest`; returns it."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    # Everything created from here on (folders, the database copy, pg_dump's file) starts
    # as owner-only; the copied files are set so at the end, whatever their source mode.
    umask = os.umask(0o077)
    try:
        Path(dest).mkdir(parents=True, exist_ok=True)
        folder = Path(dest) / f"campaigndesk-{stamp}"
        folder.mkdir(mode=0o700, exist_ok=False)
        counts, head, referenced = _backup_database(folder)
        files = {}
        for name, source in storage_folders().items():
            if source.exists():
                shutil.copytree(source, folder / name)
                files[name] = sum(1 for p in (folder / name).rglob("*") if p.is_file())
        (folder / MANIFEST).write_text(json.dumps({
            "created": timezone.now().isoformat(), "vendor": connection.vendor, "rows": counts,
            "files": files, "audit_head": head, "audit_count": _audit_count(counts),
            "referenced": referenced,
        }, ensure_ascii=False, indent=1), encoding="utf-8")
        _owner_only(folder)
    finally:
        os.umask(umask)
    return folder


def _backup_database(folder: Path) -> tuple[dict[str, int], dict | None, list]:
    """Copy the database; its row counts, newest audit entry and the files it refers to."""
    vendor = connection.vendor
    if vendor == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        copy = sqlite3.connect(str(target))
        try:
            # The backup API copies a consistent snapshot page by page while others write.
            source.backup(copy, pages=1024)
            integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
            counts, head = row_counts(copy), _sqlite_head(copy)
        finally:
            copy.close()
            source.close()
        if integrity != "ok":
            raise BackupError(_("备份文件完整性检查失败：%(result)s") % {"result": integrity})
        return counts, head, referenced_in_backup()
    if vendor == "postgresql":
        from campaigndesk.audit.models import AuditEntry

        args, env = _pg_env()
        # One snapshot for the manifest's counts and the dump: this transaction exports
        # its snapshot and pg_dump reads from it while the transaction stays open.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts()
            head = AuditEntry.objects.order_by("-id").values("id", "hash").first()
            subprocess.run([_pg_binary("pg_dump"), "--format=custom", "--no-owner",
                            f"--snapshot={snapshot}", "-f", str(folder / PG_FILE), *args],
                           env=env, check=True)
            referenced = referenced_in_backup()
        return counts, head, referenced
    raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": vendor})


def restore(source: Path) -> dict:
    """Bring a backup folder back: database and stored files. Returns the manifest; raises
    BackupError naming the files the restored database refers to but the backup lacks."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(_("备份来自 %(source)s，当前数据库是 %(vendor)s") % {
            "source": manifest["vendor"], "vendor": vendor})
    # Before anything is replaced: a backup that lacks a file its database refers to
    # leaves the current data as it is.
    lacking = [what for what, relative in manifest.get("referenced", [])
               if not (source / relative).is_file()]
    if lacking:
        raise BackupError(_("备份中缺失其数据库引用的 %(count)s 个文件：%(files)s；"
                            "当前数据库和文件未改动") % {"count": len(lacking),
                                                "files": _listed(lacking)})
    connections.close_all()
    if vendor == "sqlite":
        live_path = Path(settings.DATABASES["default"]["NAME"])
        backup_file = sqlite3.connect(str(source / SQLITE_FILE))
        live = sqlite3.connect(str(live_path), timeout=30)
        try:
            backup_file.backup(live)
            integrity = live.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            live.close()
            backup_file.close()
        filemodes.private_sqlite(live_path)
        if integrity != "ok":
            raise BackupError(
                _("恢复后的数据库完整性检查失败：%(result)s") % {"result": integrity})
    else:
        args, env = _pg_env()
        subprocess.run([_pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner",
                        "--single-transaction", *args, str(source / PG_FILE)],
                       env=env, check=True)
    for name, live_folder in storage_folders().items():
        # A folder the backup lacks (an older backup) is left as it is; the check below
        # names whatever the restored database then misses.
        if (source / name).exists():
            if live_folder.exists():
                shutil.rmtree(live_folder)
            shutil.copytree(source / name, live_folder)
            filemodes.private_tree(live_folder)
    # An older backup names no files in its manifest: checked after the restore.
    missing = missing_files()
    if missing:
        raise BackupError(_("数据库已恢复，但它引用的 %(count)s 个文件在备份中缺失：%(files)s")
                          % {"count": len(missing), "files": _listed(missing)})
    return manifest


def _listed(names: list[str]) -> str:
    return "、".join(names[:10]) + ("……" if len(names) > 10 else "")


def referenced_in_backup() -> list[tuple[str, str]]:
    """(what, path inside the backup folder) of every file the database refers to."""
    folders = storage_folders()
    found = []
    for what, path in referenced_files():
        for name, live_folder in folders.items():
            if path.is_relative_to(live_folder):
                found.append((what, f"{name}/{path.relative_to(live_folder).as_posix()}"))
                break
    return found


def referenced_files() -> list[tuple[str, Path]]:
    """(what, path) of every file a database row refers to. Each app that keeps files
    names them (its AppConfig's ``stored_files``), so this layer imports no domain app and
    a new app's files cannot be forgotten by the backup."""
    found = []
    for config in apps.get_app_configs():
        stored_files = getattr(config, "stored_files", None)
        if stored_files is not None:
            found += stored_files()
    return found


def missing_files() -> list[str]:
    return [what for what, path in referenced_files() if not path.is_file()]
