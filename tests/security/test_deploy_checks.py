"""Issue 12 point 17: `check --deploy` passed with demo mode on and ALLOWED_HOSTS=*. The
project's checks fail on both; a proper production environment passes."""

import os
import secrets
import subprocess
import sys


def check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV"}
    environment = {k: v for k, v in os.environ.items() if k in keep}
    environment.update({
        "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0",
        "ALLOWED_HOSTS": "campaign.example.gov.cn", "CAMPAIGNDESK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "campaigndesk.settings"})
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True, timeout=120)


def test_production_settings_pass(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_mode_and_any_host_fail(tmp_path):
    result = check_deploy(tmp_path, CAMPAIGNDESK_DEMO="1",
                          ALLOWED_HOSTS="campaign.example.gov.cn,*")
    assert result.returncode != 0
    assert "campaigndesk.E001" in result.stderr and "演示模式已开启" in result.stderr
    assert "campaigndesk.E002" in result.stderr and "ALLOWED_HOSTS 含 *" in result.stderr
