"""The command line after `make install`: var/local.env stands in for unset variables (11.5).

The real console script runs in a subprocess, from a temporary project folder, with an
environment that has no SECRET_KEY — as a user's shell after `make install`.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from campaigndesk import localenv

CHECKOUT = Path(__file__).resolve().parents[1]
SCRIPT = shutil.which("campaigndesk", path=str(Path(sys.executable).parent))
BRIEF = ("3月18日上午，赛罕区民政局在敕勒川路街道社工站开展“五社联动聚合力 社工服务暖基层”"
         "主题宣传活动，12名社工为辖区老年人提供政策咨询服务，共服务群众200余人次。")


def bare_shell() -> dict:
    """A user's login shell: no SECRET_KEY, DEBUG or data folder, no settings module."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    # The code of this checkout (a worktree), not whichever one the venv was installed from.
    return {k: v for k, v in os.environ.items() if k in keep} | {"PYTHONPATH": str(CHECKOUT)}


def run(args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], cwd=cwd, env=env or bare_shell(),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder after `make install`: var/ with secret_key and local.env, written by
    the same command the Makefile runs."""
    folder = tmp_path / "project"
    folder.mkdir()
    subprocess.run([sys.executable, "-m", "campaigndesk.localenv", "write", "var"], cwd=folder,
                   env=bare_shell(), check=True, capture_output=True, timeout=60)
    (folder / "brief.txt").write_text(BRIEF, encoding="utf-8")
    return folder


def test_check_article_works_in_the_project_folder_without_variables(project):
    result = run(["check_article", "brief.txt", "--json"], cwd=project)

    assert result.returncode in {0, 1}, result.stderr  # 1: the brief has findings
    report = json.loads(result.stdout)
    assert "findings" in report
    # The data folder is the project's var/, not the package's.
    assert (project / "var" / "media").is_dir()


def test_the_file_is_private_and_holds_the_local_settings(project):
    path = project / "var" / "local.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((project / "var" / "secret_key").stat().st_mode) == 0o600
    values = localenv.parse(path.read_text(encoding="utf-8"))
    assert values["SECRET_KEY"] == (project / "var" / "secret_key").read_text().strip()
    assert len(values["SECRET_KEY"]) >= 32
    assert values["CAMPAIGNDESK_DATA_DIR"] == str((project / "var").resolve())
    assert {k: values[k] for k in ("DEBUG", "HTTPS", "CAMPAIGNDESK_DEMO")} == {
        "DEBUG": "0", "HTTPS": "0", "CAMPAIGNDESK_DEMO": "1"}


def test_writing_again_keeps_the_secret_key(project):
    before = (project / "var" / "local.env").read_text()
    localenv.write(project / "var")
    assert (project / "var" / "local.env").read_text() == before


def test_without_the_file_it_still_stops_with_the_clear_message(tmp_path):
    result = run(["check_article", "brief.txt"], cwd=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


SHOW = ("from django.conf import settings; "
        "print(settings.DEBUG, settings.DEMO_MODE, settings.DATA_DIR)")


def test_an_operator_environment_is_never_mixed_with_the_file(project, tmp_path):
    # With its own SECRET_KEY the environment is the server's: debug and demo stay off
    # although the folder has a local.env.
    server = dict(bare_shell(), SECRET_KEY="s" * 50, CAMPAIGNDESK_DATA_DIR=str(tmp_path / "srv"))
    result = run(["shell", "-v", "0", "-c", SHOW], cwd=project, env=server)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", str(tmp_path / "srv")]

    local = run(["shell", "-v", "0", "-c", SHOW], cwd=project)
    assert local.stdout.split() == ["False", "True", str((project / "var").resolve())]


def test_a_variable_set_by_hand_wins_over_the_file(project):
    environ = {"CAMPAIGNDESK_DEMO": "0"}
    used = localenv.load(environ, cwd=project)
    assert used == project / "var" / "local.env"
    assert environ["CAMPAIGNDESK_DEMO"] == "0" and environ["DEBUG"] == "0"


def test_a_malformed_line_is_named():
    with pytest.raises(ValueError, match="line 2"):
        localenv.parse("DEBUG=1\nnot a setting\n")
    assert localenv.parse("# comment\nA='x y'  # note\n\nB=\n") == {"A": "x y", "B": ""}
