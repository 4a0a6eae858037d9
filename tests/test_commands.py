import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from campaigndesk.units.models import Unit


def test_console_script_is_installed_and_is_manage_py():
    script = shutil.which("campaigndesk", path=str(Path(sys.executable).parent))
    assert script, "the package installs a `campaigndesk` console script"
    result = subprocess.run([script, "help"], capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "k" * 50, "DEBUG": "1",
                                 "CAMPAIGNDESK_DATA_DIR": "/tmp/campaigndesk-help"})
    assert result.returncode == 0, result.stderr
    for command in ("migrate", "runserver", "load_demo", "load_units"):
        assert command in result.stdout


@pytest.mark.django_db
def test_demo_is_refused_unless_demo_mode_is_on(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="演示模式未开启"):
        call_command("load_demo")
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_demo_loads_once_and_prints_the_logins(settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "已加载演示数据" in first and "region-admin" in first and "Demo#2022" in first
    call_command("load_demo")
    assert "未重复加载" in capsys.readouterr().out
    assert Unit.objects.count() == 116
    # sample first-week reports: 赤峰市 and 二连浩特市 on time, 乌海市 the next morning
    from campaigndesk.campaigns.models import Submission

    late = {s.unit.code: s.is_late for s in Submission.objects.filter(
        deadline__campaign__year=2022).select_related("unit", "deadline")}
    assert late == {"150400": False, "152501": False, "150300": True}


@pytest.mark.django_db
def test_load_units_reports_a_bad_file_clearly(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,geo_parent,reports_to,short_names\n"
                   "150000,内蒙古自治区,region,,,\n,某旗,county,159999,159999,\n",
                   encoding="utf-8")
    with pytest.raises(CommandError, match="第 3 行"):
        call_command("load_units", str(bad))
    assert not Unit.objects.exists()
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("load_units", str(tmp_path / "missing.csv"))


def test_a_real_sqlite_file_is_in_wal_mode(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "k" * 50, "DEBUG": "1",
           "CAMPAIGNDESK_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "campaigndesk", "migrate", "-v", "0"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "campaigndesk.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_check_article_command_reports_findings_and_exit_status(tmp_path, capsys):
    import json

    brief = tmp_path / "brief.txt"
    brief.write_text("赛罕区开展社会工作宣传活动\n3月18日上午，赛罕区民政局在昭乌达路社区开展活动，"
                     "12名社工向服务对像讲解社会工作知识。", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        call_command("check_article", str(brief), "--json")
    report = json.loads(capsys.readouterr().out)
    assert done.value.code in (0, 1)
    assert any(f["category"] == "typo" and f["text"] == "服务对像" for f in report["findings"])
    assert report["elements"]["time"] == ["3月18日上午"]
    with pytest.raises(SystemExit) as missing:
        call_command("check_article", str(tmp_path / "missing.txt"))
    assert missing.value.code == 2
