"""The region's package for 民政部 (issue 17 point 2): the briefs it recommended with their
photos, the province's figures (submitted rows only, through progress.reported), and its
own summary, as one .zip with manifest.json (format in package_format, documented in
docs/ministry-package/README.md).

The Word files people read (the covering list, each brief, the summary) are in the same
.zip beside the JSON: one package for the ministry's software and for its staff.

`build_package` is a plain function with a progress callback: the background job
(package_job, issue 17 point 4) runs it and shows its steps.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.utils import timezone

from campaigndesk.articles import outputs
from campaigndesk.articles.counts import totals as article_totals
from campaigndesk.articles.counts import unit_counts
from campaigndesk.articles.models import Article
from campaigndesk.articles.photos import media_path
from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign, DeadlineKind
from campaigndesk.oversight import dashboard, summaries
from campaigndesk.oversight.draft import build_draft
from campaigndesk.oversight.models import FinalSummary
from campaigndesk.progress.reported import TOTAL_SUMS, campaign_figures, reported, totals_from
from campaigndesk.progress.table import Totals
from campaigndesk.units.models import Level, Unit

from . import package_format as fmt

Progress = Callable[[int, int, str], None]
PRODUCER = "Campaign Desk（社会工作主题宣传活动管理系统）"
COVER = "00-推荐稿件报送单.docx"
SUMMARY_STEM = "00-活动总结"


def _quiet(done: int, total: int, step: str) -> None:
    """The callback when nobody watches."""


def _totals_json(t: Totals) -> dict:
    return {"activities": t.activities, "participants": t.participants,
            "beneficiaries": t.beneficiaries, "funds_fen": t.funds_fen,
            "materials_fen": t.materials_fen}


def _when(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def recommended_briefs(campaign: Campaign) -> list[Article]:
    return list(Article.objects.live().filter(campaign=campaign, recommended_at__isnull=False)
                .select_related("unit").prefetch_related("photos", "publications")
                .order_by("recommended_at", "pk"))


def figures_json(campaign: Campaign) -> dict:
    """Per participating unit and progress round, the submitted rows' sums; the totals are
    campaign_figures', the headline of every other page and document."""
    rounds = list(campaign.deadlines.filter(kind=DeadlineKind.PROGRESS).order_by("due_at", "pk"))
    number = {deadline.pk: n for n, deadline in enumerate(rounds, start=1)}
    participants = list(campaign.participants.order_by("code"))
    codes = {unit.pk: unit.code for unit in participants}
    grouped = (reported(campaign).filter(unit__in=participants, deadline__in=rounds)
               .values("unit_id", "deadline_id").annotate(**TOTAL_SUMS)
               .order_by("deadline__due_at", "unit__code"))
    rows = [{"unit": codes[row["unit_id"]], "round": number[row["deadline_id"]],
             **_totals_json(totals_from(row))} for row in grouped]
    reporting, total = campaign_figures(campaign)
    return {
        "rounds": [{"number": number[d.pk], "title": d.title, "due_at": _when(d.due_at)}
                   for d in rounds],
        "units": [{"code": unit.code, "name": unit.name} for unit in participants],
        "rows": rows, "totals": _totals_json(total), "reporting_units": reporting,
    }


@dataclass
class Document:
    name: str
    data: bytes
    source: str


def summary_document(campaign: Campaign) -> tuple[str, Document]:
    """(text, document): the region's own final summary when it sent one, else the draft
    the system writes from the reported figures (oversight.draft), marked as such."""
    own = (FinalSummary.objects.filter(deadline__campaign=campaign, unit__level=Level.REGION)
           .order_by("-deadline__due_at").first())
    version = own.latest_version() if own else None
    if version is not None and version.file_key:
        path = summaries.file_path(version)
        if path.is_file():
            return version.text, Document(f"{SUMMARY_STEM}.{version.file_kind}",
                                          path.read_bytes(), "department")
    text = version.text if version is not None else ""
    return text, Document(f"{SUMMARY_STEM}（系统草稿）.docx", build_draft(campaign),
                          "generated_draft")


def summary_json(campaign: Campaign, text: str, document: Document, recommended: int) -> dict:
    participants = campaign.participants.all()
    briefs = article_totals(unit_counts(campaign))
    return {
        "participating_units": participants.count(),
        "reporting_units": campaign_figures(campaign)[0],
        "rounds": [{"title": r.deadline.title, "expected": r.expected,
                    "submitted": r.submitted, "on_time": r.on_time, "late": r.late}
                   for r in dashboard.rates(campaign, participants)],
        "briefs": {"submitted": briefs.submitted, "accepted": briefs.accepted,
                   "typical": briefs.typical, "recommended": recommended},
        "text": text,
        "document": {"path": document.name, "source": document.source},
    }


def _brief_json(number: int, article: Article, document: str, photos: list[dict]) -> dict:
    return {
        "number": number, "title": article.title,
        "unit": {"code": article.unit.code, "name": article.unit.name},
        "time": article.time_text, "place": article.place_text,
        "recipients": article.recipients_text, "participants": article.participants_text,
        "body": article.body, "typical": article.is_typical,
        "submitted_at": _when(article.submitted_at), "accepted_at": _when(article.accepted_at),
        "recommended_at": _when(article.recommended_at),
        "publications": [{"channel": str(p.get_channel_display()), "date": p.date.isoformat()}
                         for p in article.publications.all()],
        "document": document, "photos": photos,
    }


class _Writer:
    """Adds entries to the .zip and keeps each one's checksum and size for the manifest."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive, self.files = archive, []

    def add(self, name: str, data: bytes, media_type: str, *, stored: bool = False) -> None:
        # JPEGs are already compressed: storing them saves time for nothing lost.
        self.archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored
                              else zipfile.ZIP_DEFLATED)
        self.files.append({"path": name, "sha256": hashlib.sha256(data).hexdigest(),
                           "size": len(data), "media_type": media_type})

    def add_json(self, name: str, content: dict) -> None:
        self.add(name, json.dumps(content, ensure_ascii=False, indent=1).encode(),
                 "application/json")


def region_of(campaign: Campaign) -> Unit:
    """The province: the root of the unit tree (the one unit of level 自治区/省)."""
    return Unit.objects.get(level=Level.REGION)


def build_package(campaign: Campaign, *, exported_by: str = "",
                  progress: Progress = _quiet) -> bytes:
    articles = recommended_briefs(campaign)
    photo_count = sum(len(a.photos.all()) for a in articles)
    total = 5 + len(articles) + photo_count  # cover, figures, summary, briefs.json, manifest
    done = 0

    def step(text: str) -> None:
        nonlocal done
        done += 1
        progress(done, total, text)

    province = region_of(campaign)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive)
        writer.add(COVER, outputs.cover_docx(campaign, articles), outputs.DOCX_TYPE)
        step("推荐稿件报送单（Word）")
        briefs = []
        for number, article in enumerate(articles, start=1):
            stem = f"{number:02d}-{outputs.safe_name(article.title)}"
            writer.add(f"{stem}.docx", outputs.brief_docx(article), outputs.DOCX_TYPE)
            step(f"第{number}/{len(articles)}篇稿件")
            photos = []
            for index, photo in enumerate(article.photos.all(), start=1):
                path = media_path(photo.relative_path)
                if not path.is_file():
                    continue  # a photo whose file is gone (see verify_backup) is left out
                label = outputs.safe_name(photo.caption, 30) if photo.caption else "照片"
                name = f"{stem}-照片/{index:02d}-{label}.jpg"
                writer.add(name, path.read_bytes(), "image/jpeg", stored=True)
                photos.append({"path": name, "caption": photo.caption,
                               "width": photo.width, "height": photo.height})
                step(f"第{number}篇稿件的照片{index}")
            briefs.append(_brief_json(number, article, f"{stem}.docx", photos))
        writer.add_json(fmt.BRIEFS, {"briefs": briefs})
        step("稿件清单")
        writer.add_json(fmt.FIGURES, figures_json(campaign))
        step("工作进展统计")
        text, document = summary_document(campaign)
        writer.add(document.name, document.data, outputs.DOCX_TYPE if document.name.endswith(
            ".docx") else "application/octet-stream")
        writer.add_json(fmt.SUMMARY, summary_json(campaign, text, document, len(articles)))
        step("活动总结")
        manifest = {
            "format": fmt.FORMAT_NAME, "format_version": fmt.FORMAT_VERSION,
            "producer": {"name": PRODUCER, "organization": f"{province.name}民政厅",
                         "exported_by": exported_by},
            "province": {"code": province.code, "name": province.name},
            "campaign": {"year": campaign.year, "title": campaign.title,
                         "document_number": campaign.document_number,
                         "slogan": campaign.slogan,
                         "start_date": campaign.start_date.isoformat(),
                         "end_date": campaign.end_date.isoformat()},
            "created_at": _when(timezone.now()),
            "files": writer.files,
        }
        # Written last: it lists the checksums of everything before it.
        archive.writestr(fmt.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        step("文件清单（manifest.json）")
    return out.getvalue()


def export_package(by, campaign: Campaign, *, progress: Progress = _quiet) -> bytes:
    """The package, and the audit entry of its making (briefs name places and people)."""
    data = build_package(campaign, exported_by=by.get_username(), progress=progress)
    record(by, "article.ministry_package", campaign,
           changes={"articles": len(recommended_briefs(campaign)), "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest()},
           message="生成推荐至民政部材料包（后台任务）")
    return data
