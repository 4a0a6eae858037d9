"""Issue 12 point 9, second pass: the data folder is the product's account's only.

The tester found DATA_DIR and media/ at 755 and the SQLite file, imports/*/*.upload and the
photos at 644 (password hashes, TOTP keys, sessions, bureaus' tables readable by any local
account), a restore writing the database back 644, and a restore that overwrote the
database first and only then failed with "数据库已恢复，但…缺失"."""

import hashlib
import shutil
import sqlite3
import stat
from pathlib import Path

from tests.security.test_backup_contents import RESTORE, backed_up, run  # noqa: F401


def loose(folder: Path) -> dict[str, str]:
    """Everything under `folder` that is not owner-only (700 folders, 600 files)."""
    return {str(p.relative_to(folder)) or ".": oct(stat.S_IMODE(p.stat().st_mode))
            for p in [folder, *folder.rglob("*")]
            if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)}


def test_migrate_uploads_and_photos_leave_an_owner_only_data_folder(backed_up):  # noqa: F811
    live, _dest, _folder = backed_up
    assert (live / "campaigndesk.sqlite3").is_file()
    assert any((live / "media" / "photos").rglob("*.jpg"))
    assert loose(live) == {}


def test_an_older_installation_is_tightened_at_start(tmp_path):
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    (data / "campaigndesk.sqlite3").write_bytes(b"")
    for path, mode in ((data, 0o755), (data / "media", 0o755),
                       (data / "campaigndesk.sqlite3", 0o644)):
        path.chmod(mode)
    run("import django; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)",
        data)
    assert loose(data) == {}


def test_restore_writes_the_data_back_owner_only(backed_up, tmp_path):  # noqa: F811
    _live, _dest, folder = backed_up
    fresh = tmp_path / "fresh"
    assert run(RESTORE, fresh, str(folder)) == "RESTORED"
    assert loose(fresh) == {}


AFTER_BACKUP = ("import django; django.setup()\n"
                "from campaigndesk.audit.services import record\n"
                "record(None, 'test.entry', message='备份之后的记录')")


def test_a_backup_missing_a_photo_leaves_the_current_database_untouched(backed_up, tmp_path):  # noqa: F811
    live, _dest, folder = backed_up
    current = tmp_path / "current"
    shutil.copytree(live, current)
    run(AFTER_BACKUP, current)
    database = current / "campaigndesk.sqlite3"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    photo = next((damaged / "media" / "photos").rglob("*.jpg"))
    photo.unlink()
    outcome = run(RESTORE, current, str(damaged))
    assert outcome.startswith("REFUSED") and "缺失" in outcome
    assert "当前数据库和文件未改动" in outcome
    assert photo.relative_to(damaged / "media").as_posix() in outcome
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(*) FROM audit_auditentry "
                             "WHERE message = '备份之后的记录'").fetchone() == (1,)


