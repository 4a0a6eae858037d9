"""Rebuild the committed fixtures of tests/progress/files (needs LibreOffice; tests don't).

    .venv/bin/python tests/progress/files/make_fixtures.py

- messy.xlsx / messy.xls / messy.ods: builders.messy_table(), converted by LibreOffice
  the way WPS and LibreOffice users save it (.xls is BIFF8, WPS's default);
- one_row_header.xlsx: the header in one row with other wordings, an unknown column;
- cumulative.xlsx: a cumulative table whose 合计 row disagrees with its rows;
- merged.xls: builders.merged_table() (cells merged down over activities) as BIFF8;
- sparse.xls: one cell in A1 and one in IV65536 (calamine would allocate the rectangle);
- encrypted.xls: saved with an opening password ("x") through LibreOffice's UNO API run
  by Debian's /usr/bin/python3 (python3-uno): BIFF8 with a FILEPASS record;
- encrypted.xlsx: cumulative.xlsx encrypted with password "x" by msoffcrypto-tool (an
  OLE2 file holding EncryptionInfo and EncryptedPackage, as Excel and WPS write it;
  LibreOffice 7.4 ignores the password for OOXML). Not a project dependency:
  ``pip install --target /tmp/mso msoffcrypto-tool`` and run with PYTHONPATH=/tmp/mso.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.progress.builders import merged_table, messy_table, workbook_bytes  # noqa: E402


def one_row_header() -> bytes:
    rows = [
        ["盟市社会工作主题宣传活动工作进展情况统计表"],
        ["填报人：李强  手机：139 1234 5678    填报时间：2022-03-31"],
        ["编号", "名称", "参与单位", "参与人数", "活动时间", "地点", "内容", "服务领域",
         "受益人数", "资金(元)", "物资折价(元)", "联系人", "备注"],
        [1, "社工宣传", "甲机构、乙机构", "３０", date(2022, 3, 21), "甲地", "宣传",
         "老年人/残疾人", "１００", "2万元", "500", "张三", ""],
        [2, "社工讲座", "丙机构", 15, "2022年3月22日至3月23日", "乙地", "讲座", "妇女 儿童",
         50, "１，５００．５０", "无", "", "补报"],
    ]
    return workbook_bytes({"进展": rows})


def cumulative() -> bytes:
    rows = [
        ["附件 1"],
        ["盟市社会工作主题宣传活动工作进展情况统计表"],
        ["盟市民政局慈善社工相关科室：赤峰市民政局"],
        ["填报人及手机号码：赵敏13700001111"],
        ["填报时间：2022.3.31"],
        ["序号", "活动名称", "参与活动的单位或社会组织（团队）名称", "参与人次", "活动开展时间",
         "活动地点", "活动内容", "服务领域", "受益人次", "链接资金（元）", "链接物资折价（元）",
         "备注"],
        [1, "第一周活动", "甲", 10, "3月18日", "甲", "甲", "老年人", 20, 100, 50, "上周已报"],
        [2, "第二周活动", "乙", 15, "3月28日", "乙", "乙", "儿童青少年", 30, 200.5, 0, ""],
        ["合计", "", "", 30, "", "", "", "", 50, 300.5, 40, ""],
    ]
    return workbook_bytes({"Sheet1": rows})


UNO_SAVE = r"""
import sys, time, subprocess, uno
from com.sun.star.beans import PropertyValue
src, dst, flt, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
proc = subprocess.Popen(["soffice", "--headless", "--norestore",
    f"--accept=socket,host=localhost,port={port};urp;"])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext(
    "com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(60):
    try:
        ctx = resolver.resolve(
            f"uno:socket,host=localhost,port={port};urp;StarOffice.ComponentContext")
        break
    except Exception:
        time.sleep(0.5)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
def prop(n, v):
    p = PropertyValue(); p.Name = n; p.Value = v; return p
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                   (prop("Hidden", True),))
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", flt), prop("Password", "x")))
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass
proc.wait(timeout=30)
"""


def encrypt_xlsx(src: Path, dst: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as plain, dst.open("wb") as out:
        OOXMLFile(plain).encrypt("x", out)


def convert(src: Path, fmt: str, out_dir: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", fmt,
                    "--outdir", str(out_dir), str(src)], check=True, capture_output=True)
    return out_dir / f"{src.stem}.{fmt.split(':')[0]}"


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    try:
        messy = HERE / "messy.xlsx"
        messy.write_bytes(messy_table())
        for fmt in ("xls:MS Excel 97", "ods"):
            made = convert(messy, fmt, tmp)
            shutil.copy(made, HERE / made.name)
        (HERE / "one_row_header.xlsx").write_bytes(one_row_header())
        merged = tmp / "merged.xlsx"
        merged.write_bytes(merged_table())
        shutil.copy(convert(merged, "xls:MS Excel 97", tmp), HERE / "merged.xls")
        sparse = tmp / "sparse.xlsx"
        far = [["活动名称"]] + [[]] * 65534 + [[None] * 255 + [1]]  # A1 and IV65536
        sparse.write_bytes(workbook_bytes({"S": far}))
        shutil.copy(convert(sparse, "xls:MS Excel 97", tmp), HERE / "sparse.xls")
        (HERE / "cumulative.xlsx").write_bytes(cumulative())
        subprocess.run(["/usr/bin/python3", "-c", UNO_SAVE, str(HERE / "cumulative.xlsx"),
                        str(HERE / "encrypted.xls"), "MS Excel 97", "2202"],
                       check=True, timeout=120)
        encrypt_xlsx(HERE / "cumulative.xlsx", HERE / "encrypted.xlsx")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path in sorted(HERE.iterdir()):
        print(f"{path.name:24} {path.stat().st_size:8} bytes")


if __name__ == "__main__":
    main()
