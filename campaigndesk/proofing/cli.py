"""`check_article FILE [--json]`: proofread one brief and report.

Exit status: 0 without error-severity findings, 1 with at least one, 2 when the file cannot
be read (with one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from . import check
from .elements import LABELS
from .reader import UnreadableFile, read_brief
from .report import ELEMENT_KINDS, Context, Report
from .text import sentence_bounds

CATEGORY_NAMES = {"length": "篇幅", "element": "要素", "typo": "错别字", "wording": "规范表述",
                  "sensitive": "敏感用语", "punctuation": "标点", "number": "数字"}
SEVERITY_NAMES = {"error": "错误", "warning": "提示"}


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="check_article",
                                 description="校对一篇宣传稿件（.txt 或 .docx）。")
    ap.add_argument("file",
                    help=".txt（UTF-8 或 GBK，第一行为标题）或 .docx（第一个标题段落为标题）")
    ap.add_argument("--json", action="store_true", help="输出 JSON")
    ap.add_argument("--unit", help="报送单位的区划代码，用于检查地点是否在辖区内")
    ap.add_argument("--today", type=date.fromisoformat, help="今天的日期（YYYY-MM-DD）")
    return ap


def _highlight(text: str, start: int, end: int, color: bool) -> str:
    if end - start > 80:  # a length finding covers a whole stretch of the body
        return f"{text[start:start + 30]}……（共{end - start}字）".replace("\n", " ⏎ ")
    s, e = sentence_bounds(text, start, end)
    s, e = max(s, start - 60), min(e, end + 60)
    on, off = ("\033[1;31m", "\033[0m") if color else ("【", "】")
    snippet = text[s:start] + on + text[start:end] + off + text[end:e]
    return snippet.replace("\n", " ⏎ ").strip()


def render(report: Report, color: bool = False) -> str:
    text = report.text
    lines = [f"标题：{report.title}", f"正文字数：{report.length}"]
    for kind in ELEMENT_KINDS:
        found = "、".join(dict.fromkeys(m.text for m in report.elements.get(kind, []))) or "（无）"
        lines.append(f"{LABELS[kind]}：{found}")
    errors = sum(f.severity == "error" for f in report.findings)
    lines.append(f"\n发现 {len(report.findings)} 处问题（错误 {errors}，提示 "
                 f"{len(report.findings) - errors}）")
    for n, f in enumerate(report.findings, 1):
        hint = f" → 建议：{f.suggestion}" if f.suggestion else ""
        lines.append(f"\n{n}. [{SEVERITY_NAMES[f.severity]}·{CATEGORY_NAMES[f.category]}] "
                     f"{f.message}{hint}")
        lines.append("   " + _highlight(text, f.start, f.end, color))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        title, body = read_brief(args.file)
    except UnreadableFile as exc:
        sys.stderr.write(f"check_article: 无法读取 {args.file}：{exc}\n")
        return 2
    context = Context(today=args.today or date.today(), unit_code=args.unit)
    report = check(title, body, context=context)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(report, color=sys.stdout.isatty()))
    return 1 if report.has_errors else 0
