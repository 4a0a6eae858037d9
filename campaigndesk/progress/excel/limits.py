"""What an uploaded table may be, and how a refusal is told: shared by the guard, the XML
measurements and the reader's child process."""

from __future__ import annotations

from dataclasses import dataclass


class UnreadableFile(Exception):
    """The file cannot be read at all; ``message`` is one Chinese sentence for the user.

    ``reason`` is a stable code for programs: empty, too_large, not_spreadsheet, encrypted,
    corrupt, bomb, crashed (the reader died), timeout (the reader took too long).
    """

    def __init__(self, message: str, reason: str = "corrupt") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Caps:
    """Limits on an uploaded table. The defaults fit a cumulative table of a whole region."""

    max_bytes: int = 10 * 1024 * 1024
    # People paste activity photos into the table; the reader never opens them, so an
    # .xlsx/.ods may be this big when what is over max_bytes is pictures.
    max_bytes_with_pictures: int = 25 * 1024 * 1024
    max_sheets: int = 20
    # Activities (data rows) one table may hold (settings.PROGRESS_IMPORT_MAX_ROWS). A
    # sheet's extent may pass it by header_rows: attachment 1's title, unit line, header
    # and notes (7 rows above the data in the template) do not count.
    max_rows: int = 50_000
    header_rows: int = 30
    # Cells of the rectangle A1..last used cell, i.e. what calamine allocates: room for
    # max_rows rows of attachment 1's 13 columns and a few more.
    max_cells: int = 1_000_000
    max_zip_entries: int = 1_000
    max_unzipped_bytes: int = 100 * 1024 * 1024
    # Only for entries bigger than ratio_floor once unzipped: small XML compresses well.
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024
    # The child process that runs calamine: address space and wall-clock time. A 10,000-row
    # table needs about 150 MB and 0.2 s; what goes past these dies alone.
    reader_memory: int = 1024 * 1024 * 1024
    reader_seconds: float = 20.0


CORRUPT = "文件已损坏或不完整，无法读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传"
ENCRYPTED = "文件已加密（设置了打开密码），无法读取。请在 Excel 或 WPS 中取消密码后另存再上传"
NOT_TABLE = "文件不是 Excel 或 WPS 表格，请上传 .xlsx、.xls、.ods 或 .csv 文件"
CRASHED = ("文件无法读取：读取时超出了内存上限或读取程序异常退出，可能是恶意构造的文件，"
           "已拒绝读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传")
UNMEASURABLE = ("工作表“{sheet}”中{what}，无法确定表格的大小，可能是恶意构造的文件，已拒绝读取。"
                "请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传")


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_extent(sheet: str, rows: int, cols: int, caps: Caps) -> None:
    """``sheet`` "" is a file without sheets (a CSV): the message says 表格."""
    where = f"工作表“{sheet}”" if sheet else "表格"
    if rows > caps.max_rows + caps.header_rows:
        raise UnreadableFile(
            f"{where}的行数过多（共 {rows} 行，一次最多导入 {caps.max_rows} 行活动，"
            f"另加不超过 {caps.header_rows} 行表头和说明），请分批导入", "too_large")
    if rows * cols > caps.max_cells:
        raise UnreadableFile(
            f"{where}的数据区域过大（{rows} 行 × {cols} 列，约 {rows * cols} 个单元格，"
            f"上限 {caps.max_cells} 个）", "too_large")


def too_many_rows(count: int, caps: Caps) -> UnreadableFile:
    return UnreadableFile(f"表中共有 {count} 行活动，一次最多导入 {caps.max_rows} 行，请分批导入",
                          "too_large")


def unmeasurable(sheet: str, what: str) -> UnreadableFile:
    return UnreadableFile(UNMEASURABLE.format(sheet=sheet, what=what), "bomb")
