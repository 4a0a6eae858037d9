"""Every unit's final summary in one .zip, for the department to read or forward at once.

For each unit and summary deadline the latest version: the uploaded file as it was sent
(.docx, .doc or .pdf), and text written on the web as a .docx in the department's format.
`00-报送情况.xlsx` lists every participating unit with its state, so a missing summary is
seen, not just absent from the archive. The archive is written by the background worker
straight into the job's file (campaigndesk.jobs), never held in memory: a campaign with many
units and 10 MB files stays small on the server.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.utils import timezone

from campaigndesk import officedoc
from campaigndesk.articles.outputs import safe_name
from campaigndesk.campaigns.models import Campaign, Submission
from campaigndesk.campaigns.status import DeadlineStatus
from campaigndesk.jobs.registry import Step
from campaigndesk.progress.excel.sheet import Book
from campaigndesk.progress.excel_out import write_text

from . import summaries
from .models import FinalSummaryVersion


def latest_versions(deadlines) -> dict[tuple[int, int], FinalSummaryVersion]:
    """(unit pk, deadline pk) -> the latest version of that unit's summary."""
    latest: dict[tuple[int, int], FinalSummaryVersion] = {}
    for version in (FinalSummaryVersion.objects.filter(summary__deadline__in=deadlines)
                    .select_related("summary__unit", "summary__deadline__campaign")
                    .order_by("number")):
        latest[(version.summary.unit_id, version.summary.deadline_id)] = version
    return latest


def text_docx(title: str, text: str) -> bytes:
    document = officedoc.official_document()
    officedoc.title(document, title)
    for line in (line.strip() for line in text.split("\n")):
        if line:
            officedoc.para(document, line)
    return officedoc.to_bytes(document)


def _list_xlsx(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    book = Book(out)  # unit names and file names stay text, never formulas
    sheet = book.add_worksheet("报送情况")
    head = book.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    cell = book.add_format({"border": 1})
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            write_text(sheet, r, c, value, head if r == 0 else cell)
    for col, width in enumerate((16, 18, 32, 8, 17, 44)):
        sheet.set_column(col, col, width)
    sheet.set_paper(9)  # A4 landscape, one page wide, the header on every page
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    book.close()
    return out.getvalue()


def write(campaign: Campaign, out: IO[bytes], step: Step | None = None) -> int:
    """The archive into `out`; returns how many summaries it holds. `step(percent, text)`
    hears each unit begun (a unit's files can be 10 MB each)."""
    deadlines = summaries.summary_deadlines(campaign)
    latest = latest_versions(deadlines)
    submissions = {(s.unit_id, s.deadline_id): s for s in
                   Submission.objects.filter(deadline__in=deadlines)}
    now = timezone.now()
    rows = [["单位", "报送节点", "状态", "版本", "报送时间", "文件"]]
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        units = list(campaign.participants.order_by("code"))
        for number, unit in enumerate(units, start=1):
            if step is not None:
                step(95 * (number - 1) / len(units),
                     f"正在打包第{number}/{len(units)}个单位的总结：{unit.name}")
            for deadline in deadlines:
                status = DeadlineStatus(deadline, unit, submissions.get((unit.pk, deadline.pk)),
                                        now)
                version = latest.get((unit.pk, deadline.pk))
                names = _add_version(archive, number, version) if version else []
                count += bool(names)
                rows.append([unit.name, deadline.title, f"{status.label}（{status.detail}）",
                             f"第{version.number}版" if version else "",
                             f"{timezone.localtime(version.submitted_at):%Y-%m-%d %H:%M}"
                             if version else "", "、".join(names)])
        if step is not None:
            step(96, "正在写入报送情况表")
        archive.writestr("00-报送情况.xlsx", _list_xlsx(rows))
    return count


def _add_version(archive: zipfile.ZipFile, number: int,
                 version: FinalSummaryVersion) -> list[str]:
    """Put one version in the archive; returns the names it was stored under."""
    unit, deadline = version.summary.unit, version.summary.deadline
    stem = f"{number:02d}-{safe_name(unit.name, 30)}-{safe_name(deadline.title, 30)}"
    names = []
    path = summaries.file_path(version) if version.file_key else None
    if path is not None and path.is_file():
        name = f"{stem}.{version.file_kind}"
        # .docx and .pdf are compressed already; storing them costs nothing in size.
        archive.write(path, name, compress_type=zipfile.ZIP_STORED)
        names.append(name)
    if version.text:
        name = f"{stem}-网页填写正文.docx" if names else f"{stem}.docx"
        title = f"{unit.name}{deadline.campaign.title}总结"
        archive.writestr(name, text_docx(title, version.text))
        names.append(name)
    return names
