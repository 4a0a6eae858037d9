"""Benchmark of the progress table's Excel reader and consolidated writer.

    .venv/bin/python bench/progress_excel.py [--rows 10000] [--export-rows 200000]

Builds, in a temporary folder, a filled 10,000-row table (text and date cells mixed the way
units fill them) and measures, each in its own subprocess so that peak RSS is that of the
measurement alone:

- read + validate with the project's reader (python-calamine in its child process,
  overlapped with the guard's XML measurement), no save, against the same reader fed by
  openpyxl read-only in process (target: < 0.5 s and >= 2.5x faster); the peak RSS of
  the reader's child is shown apart;
- the consolidated workbook of 200,000 activities in 14 unit sheets written by
  excel_out.write_consolidated from an in-memory iterator, against plain XlsxWriter
  constant_memory writing the same 200,000 rows x 12 cells from a Python list (target:
  within 1.3x, peak < 200 MB).

The database side of the export is measured by bench/progress_export_db.py; this measures
the writer.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402

from campaigndesk.progress import excel_in, excel_out  # noqa: E402
from campaigndesk.progress.excel.books import SheetInfo  # noqa: E402
from campaigndesk.progress.table import COLUMNS, ActivityRow, SummaryRow  # noqa: E402

UNITS = ["呼和浩特市", "包头市", "呼伦贝尔市", "兴安盟", "通辽市", "赤峰市", "锡林郭勒盟",
         "乌兰察布市", "鄂尔多斯市", "巴彦淖尔市", "乌海市", "阿拉善盟", "满洲里市", "二连浩特市"]
AREAS = ["老年人", "残疾人", "妇女", "儿童青少年", "困难群体"]
CONTEXT = excel_in.ReadContext(year=2022, start=date(2022, 3, 17), end=date(2022, 3, 31))


# ---------------------------------------------------------------- data


def sample_rows(n: int, seed: int = 7) -> list[ActivityRow]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        start = date(2022, 3, 17) + timedelta(days=rnd.randrange(15))
        end = start + timedelta(days=rnd.choice([0, 0, 0, 1, 2]))
        if end > date(2022, 3, 31):
            end = start
        areas = sorted(rnd.sample(AREAS, rnd.randint(1, 2)), key=AREAS.index)
        rows.append(ActivityRow(
            name=f"“五社联动聚合力 社工服务暖基层”主题宣传进社区第{i + 1}场",
            organizations=[f"{rnd.choice(UNITS)}社会工作服务中心", "XX街道社工站"][
                : rnd.randint(1, 2)],
            participants=rnd.randint(5, 300),
            start=start, end=end,
            location=f"{rnd.choice(UNITS)}XX街道XX社区党群服务中心",
            content="通过发放宣传折页、现场咨询、展板展示等形式，向居民宣传社会工作知识和"
                    "“五社联动”政策，介绍社工站服务内容。",
            service_areas=areas,
            beneficiaries=rnd.randint(10, 2000),
            funds_fen=rnd.choice([0, 0, 50000, 123450, 1500000]),
            materials_fen=rnd.choice([0, 20000, 35050]),
            remarks=rnd.choice(["", "", "线上线下结合", "联合妇联开展"]),
        ))
    return rows


def filled_cells(n: int) -> list[list[object]]:
    """A 10,000-row table as a unit fills it: the template's lines, a two-row header,
    dates as date cells and as text, some counts and amounts written with units. Cells are
    str, int, float or date (a date cell, shown as yyyy年m月d日); None is empty."""
    rows = sample_rows(n)
    header = ["序号"] + ["链接资源情况" if c.key == "funds" else
                         None if c.key == "materials" else c.header for c in COLUMNS]
    sheet: list[list[object]] = [
        ["附件 1"], ["盟市社会工作主题宣传活动工作进展情况统计表"],
        ["盟市民政局慈善社工相关科室：呼和浩特市民政局慈善社工科"],
        ["填报人及手机号码：王芳 138 0000 1234"], ["填报时间： 2022年3月24日"],
        header, [None] * 9 + ["链接资金（元）", "链接物资折价（元）"],
    ]
    for i, row in enumerate(rows):
        kind = i % 5
        if row.end != row.start:
            when: object = (f"{row.start.month}月{row.start.day}日-"
                            f"{row.end.month}月{row.end.day}日")
        elif kind in (0, 1):
            when = row.start
        elif kind == 2:
            when = f"{row.start.month}月{row.start.day}日"
        elif kind == 3:
            when = f"2022.{row.start.month}.{row.start.day}"
        else:
            when = f"2022-{row.start.month}-{row.start.day}"
        sheet.append([
            i + 1, row.name, "、".join(row.organizations),
            f"{row.participants}人次" if i % 10 == 3 else row.participants,
            when, row.location, row.content, "、".join(row.service_areas), row.beneficiaries,
            "1.5万元" if row.funds_fen == 1500000 and i % 2 else row.funds_fen / 100,
            "无" if row.materials_fen == 0 else row.materials_fen / 100, row.remarks])
    sheet.append(["合计", None, None, sum(x.participants for x in rows)])
    sheet.append(["说明： 此表于3月24日、31日下午17:00前报至自治区民政厅慈善社工处。"])
    return sheet


def build_filled_table(path: Path, n: int) -> None:
    """filled_cells as an .xlsx (XlsxWriter's inline strings: the guard's worst case)."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("Sheet1")
    datefmt = wb.add_format({"num_format": "yyyy年m月d日"})
    for r, cells in enumerate(filled_cells(n)):
        for c, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                ws.write_datetime(r, c, value, datefmt)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    wb.close()


# ---------------------------------------------------------------- openpyxl as a Book


class OpenpyxlBook:
    """The reader's Book interface over openpyxl read-only: same cells, other parser."""

    def __init__(self, data: bytes, kind: str, caps: object) -> None:
        import openpyxl

        self.wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)

    def sheets(self) -> list[SheetInfo]:
        return [SheetInfo(i, ws.title, ws.sheet_state == "visible")
                for i, ws in enumerate(self.wb.worksheets)]

    def rows(self, sheet: SheetInfo) -> list[list[object]]:
        ws = self.wb.worksheets[sheet.index]
        return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]

    def merged(self, sheet: SheetInfo) -> list:
        return []  # read-only mode does not give merged ranges; the bench table has none


# ---------------------------------------------------------------- measurements (children)


def measure_read(path: str, engine: str, repeat: int) -> dict:
    data = Path(path).read_bytes()
    opener = OpenpyxlBook if engine == "openpyxl" else None
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = excel_in.read_progress(data, context=CONTEXT, opener=opener)
        best = min(best, time.perf_counter() - t0)
    return {"seconds": best, "rows": len(result.rows), "errors": len(result.errors),
            "warnings": len(result.warnings)}


def _pool() -> list[ActivityRow]:
    return sample_rows(1000, seed=11)


def _unit_rows(n: int):
    pool = _pool()
    per_unit = n // len(UNITS)
    sizes = [per_unit + (1 if i < n % len(UNITS) else 0) for i in range(len(UNITS))]
    return pool, sizes


def measure_export(path: str, n: int) -> dict:
    pool, sizes = _unit_rows(n)
    summary = [SummaryRow(unit, size, 0, 0, 0, 0, ["按时", "迟报（2小时30分钟）"])
               for unit, size in zip(UNITS, sizes, strict=True)]
    sheets = ((unit, "王芳 13800001234", "2022-03-24",
               itertools.islice(itertools.cycle(pool), size))
              for unit, size in zip(UNITS, sizes, strict=True))
    t0 = time.perf_counter()
    excel_out.write_consolidated(path, campaign_title="2022年社会工作主题宣传活动",
                                 deadlines=["3月24日17:00", "3月31日17:00"], summary=summary,
                                 unit_sheets=sheets)
    return {"seconds": time.perf_counter() - t0}


def measure_export_baseline(path: str, n: int) -> dict:
    pool, sizes = _unit_rows(n)
    cells = [excel_out.activity_cells(r, 1) for r in pool]
    for c in cells:
        c[9], c[10] = c[9] / 100, c[10] / 100
    data = [cells[i % len(cells)] for i in range(n)]  # the plain Python list
    t0 = time.perf_counter()
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    start = 0
    for unit, size in zip(UNITS, sizes, strict=True):
        ws = wb.add_worksheet(unit)
        for r, row in enumerate(data[start:start + size]):
            ws.write_row(r, 0, row)
        start += size
    wb.close()
    return {"seconds": time.perf_counter() - t0}


def child(args: argparse.Namespace) -> None:
    if args.measure in ("read-calamine", "read-openpyxl"):
        out = measure_read(args.file, args.measure.split("-")[1], args.repeat)
    elif args.measure == "export":
        out = measure_export(args.file, args.export_rows)
    else:
        out = measure_export_baseline(args.file, args.export_rows)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["child_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out))


def run_child(measure: str, file: Path, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--measure", measure, "--file", str(file),
           "--export-rows", str(args.export_rows), "--repeat", str(args.repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--export-rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="reads: best of N")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "filled.xlsx"
        build_filled_table(table, args.rows)
        size = table.stat().st_size / 1024 / 1024
        print(f"filled table: {args.rows} rows, {size:.1f} MB; "
              f"export: {args.export_rows} rows in {len(UNITS)} unit sheets\n")
        ours = run_child("read-calamine", table, args)
        base = run_child("read-openpyxl", table, args)
        exp = run_child("export", Path(tmp) / "consolidated.xlsx", args)
        exp_base = run_child("export-baseline", Path(tmp) / "baseline.xlsx", args)
    check = f"{ours['rows']} rows read, {ours['errors']} errors, {ours['warnings']} warnings"
    read_ratio = base["seconds"] / ours["seconds"]
    write_ratio = exp["seconds"] / exp_base["seconds"]
    lines = [
        ("import 10k: calamine (project)", ours, "< 0.5 s"),
        ("import 10k: openpyxl (baseline)", base, ""),
        ("export 200k: write_consolidated", exp, "< 200 MB"),
        ("export 200k: plain XlsxWriter", exp_base, ""),
    ]
    print(f"{'measurement':36} {'seconds':>9} {'peak RSS':>10}  target")
    for label, m, target in lines:
        peak = m["child_peak_mb"]
        reader = f" (reader's child {peak:.0f} MB)" if peak else ""
        print(f"{label:36} {m['seconds']:9.3f} {m['peak_mb']:8.0f} MB  {target}{reader}")
    print()
    print(f"import: {check}; openpyxl / calamine = {read_ratio:.2f}x (target >= 2.5x)")
    print(f"export: project / plain XlsxWriter = {write_ratio:.2f}x (target <= 1.3x)")
    ok = (ours["seconds"] < 0.5 and read_ratio >= 2.5 and write_ratio <= 1.3
          and exp["peak_mb"] < 200 and ours["errors"] == 0)
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
