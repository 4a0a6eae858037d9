"""The command as a user runs it: JSON shape, exit codes, .docx titles, unreadable files."""

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from campaigndesk.proofing.cli import main
from campaigndesk.proofing.corpus import load_clean

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_txt(tmp_path):
    b = load_clean()[0]
    p = tmp_path / "brief.txt"
    p.write_text(b.title + "\n" + b.body + "\n", encoding="utf-8")
    return p


def test_json_shape_and_exit_0(clean_txt, capsys):
    assert main([str(clean_txt), "--json", "--today", "2022-04-05"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"title", "length", "elements", "findings"}
    assert set(out["elements"]) == {"time", "place", "recipients", "participants"}
    assert all(isinstance(x, str) for v in out["elements"].values() for x in v)
    assert out["title"].startswith("赛罕区")


def test_error_exit_1_and_finding_fields(tmp_path, capsys):
    p = tmp_path / "bad.txt"
    p.write_text("标题\n3月18日，社工为老年人服务，习总书记说,要再接再励。\n", encoding="utf-8")
    assert main([str(p), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    text = out["title"] + "\n" + (p.read_text(encoding="utf-8").split("\n", 1)[1].rstrip("\n"))
    keys = {"category", "severity", "start", "end", "text", "suggestion", "message",
            "confidence", "score_written", "score_suggested"}
    for f in out["findings"]:
        assert set(f) == keys
        assert text[f["start"]:f["end"]] == f["text"]
    assert {"wording", "typo", "punctuation"} <= {f["category"] for f in out["findings"]}


def test_readable_report_highlights(tmp_path, capsys):
    p = tmp_path / "bad.txt"
    p.write_text("标题\n3月18日，社工为老年人服务，要再接再励。\n", encoding="utf-8")
    main([str(p)])
    out = capsys.readouterr().out
    assert "【再接再励】" in out and "再接再厉" in out


def test_docx_title_is_first_heading(tmp_path, capsys):
    b = load_clean()[0]
    d = docx.Document()
    d.add_paragraph("内部稿件 请审阅")  # a line before the heading is body, not title
    d.add_heading(b.title, level=1)
    for para in b.body.split("\n"):
        d.add_paragraph(para)
    p = tmp_path / "brief.docx"
    d.save(str(p))
    main([str(p), "--json"])
    assert json.loads(capsys.readouterr().out)["title"] == b.title


def test_docx_without_heading_uses_first_paragraph(tmp_path, capsys):
    d = docx.Document()
    d.add_paragraph("第一段是标题")
    d.add_paragraph("3月18日，社工为老年人服务。")
    p = tmp_path / "plain.docx"
    d.save(str(p))
    main([str(p), "--json"])
    assert json.loads(capsys.readouterr().out)["title"] == "第一段是标题"


@pytest.mark.parametrize("name", ["missing.txt", "corrupt.docx", "binary.txt"])
def test_unreadable_exit_2(tmp_path, capsys, name):
    p = tmp_path / name
    if name == "corrupt.docx":
        p.write_bytes(b"PK\x03\x04 not really a zip")
    elif name == "binary.txt":
        p.write_bytes(b"\xff\x00\xff\x80 neither UTF-8 nor GB18030")
    assert main([str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(p) in err


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig", "utf-8"])
def test_text_as_chinese_office_pcs_save_it(tmp_path, capsys, encoding):
    # Notepad's ANSI (GBK on a Chinese PC), "Unicode" (UTF-16 with BOM), UTF-8 with BOM.
    p = tmp_path / "简讯.txt"
    p.write_bytes("社工宣传进社区\r\n3月18日，赛罕区开展活动。\r\n".encode(encoding))
    assert main([str(p), "--json"]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    assert report["title"] == "社工宣传进社区"


def test_module_entry_point(clean_txt):
    r = subprocess.run([sys.executable, "-m", "campaigndesk.proofing", str(clean_txt), "--json"],
                       capture_output=True, text=True, cwd=ROOT, check=False)
    assert r.returncode in (0, 1)
    assert json.loads(r.stdout)["title"]


def test_package_never_imports_django():
    code = ("import sys, campaigndesk.proofing as p; p.warm_up(); "
            "import campaigndesk.proofing.cli, campaigndesk.proofing.evaluate; "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       check=False)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "", "importing the engine must be quiet"
