"""Benchmark of the CSV reader against the .xlsx reader, on the same table in the same run.

    .venv/bin/python bench/progress_csv.py [--rows 10000] [--repeat 3]

The filled table of bench/progress_excel.py (10,000 rows, text and date cells mixed the way
units fill them) is saved twice in a temporary folder: as .xlsx (XlsxWriter) and as the
CSV that Excel's 另存为 "CSV (逗号分隔)" makes of it on a Chinese Windows (GBK, dates as
shown, quoted cells, CRLF). Each file is read and checked by read_progress — guard, reader
and every cell check, nothing saved — in its own subprocess, best of N, with peak RSS: the
.xlsx through calamine in its child process, the CSV through Python's csv module in
process. Both must give the same rows; the ratio is CSV time / .xlsx time (target: the
CSV no slower than the .xlsx, <= 1.0x).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from progress_excel import CONTEXT, build_filled_table, filled_cells  # noqa: E402

from campaigndesk.progress import excel_in  # noqa: E402


def csv_cell(value: object) -> str:
    """As Excel writes a cell to CSV: what it shows (the date format yyyy年m月d日)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def build_filled_csv(path: Path, n: int) -> None:
    rows = filled_cells(n)
    width = max(len(r) for r in rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row] + [""] * (width - len(row)))
    path.write_bytes(out.getvalue().encode("gb18030"))


def measure(path: str, repeat: int) -> dict:
    data = Path(path).read_bytes()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = excel_in.read_progress(data, context=CONTEXT)
        best = min(best, time.perf_counter() - t0)
    return {"seconds": best, "rows": len(result.rows), "errors": len(result.errors),
            "format": result.format,
            "digest": hashlib.sha256(repr([(r.name, r.participants, r.start, r.funds_fen)
                                           for r in result.rows]).encode()).hexdigest(),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def run_child(file: Path, repeat: int) -> dict:
    cmd = [sys.executable, __file__, "--measure", str(file), "--repeat", str(repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        xlsx, gbk = Path(tmp) / "filled.xlsx", Path(tmp) / "filled.csv"
        build_filled_table(xlsx, args.rows)
        build_filled_csv(gbk, args.rows)
        sizes = {p.suffix: p.stat().st_size / 1024 / 1024 for p in (xlsx, gbk)}
        print(f"filled table: {args.rows} rows; .xlsx {sizes['.xlsx']:.1f} MB, "
              f"GBK .csv {sizes['.csv']:.1f} MB\n")
        book = run_child(xlsx, args.repeat)
        text = run_child(gbk, args.repeat)
    print(f"{'measurement':34} {'seconds':>9} {'peak RSS':>10}")
    for label, m in (("import 10k: .xlsx (calamine child)", book),
                     ("import 10k: GBK .csv (csv module)", text)):
        child = f" (reader's child {m['child_peak_mb']:.0f} MB)" if m["child_peak_mb"] else ""
        print(f"{label:34} {m['seconds']:9.3f} {m['peak_mb']:8.0f} MB{child}")
    same = book["digest"] == text["digest"] and book["rows"] == text["rows"]
    ratio = text["seconds"] / book["seconds"]
    print(f"\nrows read: .xlsx {book['rows']} ({book['errors']} errors), "
          f".csv {text['rows']} ({text['errors']} errors), same rows: {same}")
    print(f"CSV / .xlsx = {ratio:.2f}x (target <= 1.0x)")
    print("targets met" if same and ratio <= 1.0 and not text["errors"] else "TARGETS MISSED")


if __name__ == "__main__":
    main()
