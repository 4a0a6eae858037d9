"""`campaigndesk import_progress` and `export_progress` on real files."""

import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from campaigndesk.progress.models import Activity, Report
from campaigndesk.progress.services import submit_report
from campaigndesk.units.models import User

FILES = Path(__file__).parent / "progress" / "files"


def run_import(capsys, *args) -> tuple[int, dict | str, str]:
    with pytest.raises(SystemExit) as done:
        call_command("import_progress", *args)
        raise SystemExit(0)
    out = capsys.readouterr()
    try:
        return done.value.code, json.loads(out.out), out.err
    except json.JSONDecodeError:
        return done.value.code, out.out, out.err


@pytest.mark.parametrize("name", ["messy.xlsx", "messy.xls", "messy.ods"])
def test_dry_run_prints_the_json_the_issue_describes(demo, capsys, name):
    code, payload, _ = run_import(capsys, str(FILES / name), "--unit", "呼市", "--dry-run",
                                  "--json")
    assert code in (0, 1)
    assert set(payload) == {"reporter", "rows", "errors", "warnings", "totals"}
    assert set(payload["reporter"]) == {"name", "phone"}
    row = payload["rows"][0]
    assert set(row) == {"row", "name", "organizations", "participants", "start", "end",
                        "location", "content", "service_areas", "beneficiaries", "funds",
                        "materials", "remarks"}
    assert len(row["start"]) == 10 and row["start"][4] == "-"
    assert "." in row["funds"] and len(row["funds"].split(".")[1]) == 2
    assert set(payload["totals"]) == {"activities", "participants", "beneficiaries", "funds",
                                      "materials"}
    assert payload["totals"]["activities"] == len(payload["rows"])
    for problem in payload["errors"] + payload["warnings"]:
        assert set(problem) == {"row", "column", "message"}
    assert not Activity.objects.exists()  # dry run


def test_import_saves_and_a_second_run_does_not_duplicate(demo, capsys):
    code, payload, _ = run_import(capsys, str(FILES / "one_row_header.xlsx"), "--unit", "150100",
                                  "--json")
    assert code == 0, payload["errors"]
    count = Activity.objects.count()
    assert count == len(payload["rows"]) > 0
    run_import(capsys, str(FILES / "one_row_header.xlsx"), "--unit", "呼和浩特市", "--json")
    assert Activity.objects.count() == count


def test_errors_give_exit_status_1_and_name_row_and_column(demo, capsys, tmp_path):
    from tests.progress.builders import workbook_bytes

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes({"Sheet1": [
        ["序号", "活动名称", "参与人次", "活动开展时间", "受益人次"],
        [1, "社工宣传", "十二", "2022-03-18", 10],
    ]}))
    code, payload, _ = run_import(capsys, str(bad), "--unit", "150100", "--json")
    assert code == 1
    assert payload["errors"][0]["row"] == 2
    assert payload["errors"][0]["column"] == "参与人次"
    assert not Activity.objects.exists()


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n" + b"0" * 100,
                                     b"PK\x03\x04 truncated"])
def test_unreadable_files_give_exit_status_2_and_one_line(demo, capsys, tmp_path, content):
    path = tmp_path / "table.xlsx"
    path.write_bytes(content)
    code, _, err = run_import(capsys, str(path), "--unit", "150100", "--json")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("无法读取")


def test_encrypted_file_gives_exit_status_2(demo, capsys):
    code, _, err = run_import(capsys, str(FILES / "encrypted.xlsx"), "--unit", "150100")
    assert code == 2 and "加密" in err


def test_unknown_unit_is_a_clear_error(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到唯一的单位"):
        call_command("import_progress", str(FILES / "messy.xlsx"), "--unit", "火星市")


def test_export_progress_writes_the_consolidated_workbook(demo, capsys, tmp_path):
    run_import(capsys, str(FILES / "one_row_header.xlsx"), "--unit", "150100", "--json")
    report = Report.objects.get(unit__code="150100")
    submit_report(User.objects.get(username="150100"), report, reporter_name="王芳",
                  reporter_phone="13800001234")
    out = tmp_path / "汇总.xlsx"
    call_command("export_progress", "--campaign", str(demo.pk), str(out))
    book = openpyxl.load_workbook(out)
    # 汇总, one sheet per bureau, then the service places' signage (issue 16).
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == 16
    assert book.sheetnames[-1] == "服务场所标识"
    hohhot = next(r for r in book["汇总"].iter_rows(values_only=True) if "呼和浩特市" in r)
    assert Activity.objects.count() in hohhot


def test_a_file_without_the_table_says_so_without_a_row_number(demo, capsys, tmp_path):
    # A fresh-shell run printed "错误：第None行 …" for a CSV without the template's header.
    table = tmp_path / "t.csv"
    table.write_bytes("名称,人数\n社区宣传,10\n".encode("gbk"))
    code, out, _ = run_import(capsys, str(table), "--unit", "呼市", "--dry-run")
    assert "None" not in out and "错误：“t.csv”中没有找到统计表的表头" in out
