"""Issue 12 point 9: what a backup holds, who can read it, and a restore that checks it.

DATA_DIR/summaries/ was not in the backup, so a restored summary pointed at a missing file;
the backup folder was 755 and the database copy 644 (password hashes, TOTP keys, sessions).

A child process on a real SQLite file stores one file of every kind the product keeps
(photos of the demo's briefs, a final summary, a table awaiting confirmation), backs up,
and the test compares every file of the data folder with the backup."""

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_settings import clean_environment

STORE_AND_BACKUP = textwrap.dedent('''
    import sys
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from campaigndesk.demo import load_demo
    load_demo(samples=True)
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.oversight import summaries
    from campaigndesk.progress import uploads
    from campaigndesk.units.models import User
    campaign = Campaign.objects.get(year=2022)
    reporter = User.objects.get(username="150100")
    deadline = summaries.summary_deadlines(campaign)[0]
    summaries.submit_summary(reporter, deadline, reporter.unit,
                             upload=summaries.Upload("总结.pdf", b"%PDF-1.7\\n%%EOF\\n"))
    (uploads.folder() / "0123456789abcdef.upload").write_bytes(b"a table being imported")
    call_command("backup", sys.argv[1])
''')

RESTORE = textwrap.dedent('''
    import sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    try:
        call_command("restore", sys.argv[1], no_input=True)
        call_command("verify_audit", manifest=sys.argv[1] + "/manifest.json")
    except CommandError as exc:
        print("REFUSED", exc)
    else:
        print("RESTORED")
''')

# Files in the data folder that are not stored data: the database itself (copied through
# SQLite's backup API, not as files), the secret key, collected static files.
NOT_DATA = ("campaigndesk.sqlite3", "secret_key", "static")


def run(code: str, data_dir: Path, *args: str) -> str:
    environment = clean_environment() | {"CAMPAIGNDESK_DATA_DIR": str(data_dir),
                                         "CAMPAIGNDESK_DEMO": "1"}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", code, *args], env=environment,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def stored_files(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*")
            if p.is_file() and not p.relative_to(data_dir).parts[0].startswith(NOT_DATA)}


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    live, dest = tmp_path_factory.mktemp("live"), tmp_path_factory.mktemp("dest") / "backups"
    run(STORE_AND_BACKUP, live, str(dest))
    (folder,) = dest.iterdir()
    return live, dest, folder


def test_every_stored_file_is_in_the_backup(backed_up):
    live, _dest, folder = backed_up
    stored = stored_files(live)
    kinds = {name.split("/")[0] for name in stored}
    # One file of each kind was stored, and only in the folders the settings list.
    assert kinds == set(settings.STORAGE_FOLDERS) == {"media", "summaries", "imports"}
    assert any(name.startswith("media/photos/") for name in stored)
    copied = {name: data for name, data in stored_files(folder).items()
              if name != "manifest.json"}
    assert copied == stored


def test_the_backup_is_readable_by_its_owner_only(backed_up):
    _live, dest, folder = backed_up
    assert stat.S_IMODE(dest.stat().st_mode) == 0o700  # made by the backup
    wrong = {str(p.relative_to(dest)): oct(stat.S_IMODE(p.stat().st_mode))
             for p in [folder, *folder.rglob("*")]
             if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)}
    assert wrong == {}
    assert (folder / "campaigndesk.sqlite3").is_file() and (folder / "media").is_dir()


def test_the_manifest_names_the_newest_audit_entry(backed_up):
    import sqlite3

    _live, _dest, folder = backed_up
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    copy = sqlite3.connect(folder / "campaigndesk.sqlite3")
    newest = copy.execute("SELECT id, hash FROM audit_auditentry ORDER BY id DESC LIMIT 1")
    assert tuple(manifest["audit_head"].values()) == newest.fetchone()
    copy.close()
    assert manifest["files"]["summaries"] == 1 and manifest["files"]["imports"] == 1


def test_restore_brings_every_file_back_and_checks_them(backed_up, tmp_path):
    _live, _dest, folder = backed_up
    fresh = tmp_path / "fresh"
    assert run(RESTORE, fresh, str(folder)) == "RESTORED"
    assert stored_files(fresh) == {name: data for name, data in stored_files(folder).items()
                                   if name != "manifest.json"}


def test_restore_of_a_backup_missing_a_file_says_which(backed_up, tmp_path):
    import shutil

    _live, _dest, folder = backed_up
    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    os.chmod(damaged, 0o700)
    (summary,) = (damaged / "summaries").iterdir()
    summary.unlink()
    outcome = run(RESTORE, tmp_path / "fresh", str(damaged))
    assert outcome.startswith("REFUSED") and "缺失" in outcome
    assert f"活动总结 summaries/{summary.name}" in outcome
