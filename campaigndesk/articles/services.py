"""The review workflow of a brief. Each transition is one named function in one transaction:
it checks who may make it and from which state, writes the audit entry and notifies the unit.

draft → submitted → (returned → resubmitted)* → accepted → typical → published (per channel);
recommended to the ministry is independent of typical and published. A county inside its
bureau's cascade (issue 17) goes through its bureau first: draft → for_bureau →
(`bureau_return_article` → returned → for_bureau)* → `forward_article` → submitted (or
resubmitted, for a corrected version) → the region's steps as above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import diff, record
from campaigndesk.campaigns.cascade import cascade_of
from campaigndesk.campaigns.models import Campaign
from campaigndesk.campaigns.services import ensure_open
from campaigndesk.core.concurrency import check_version
from campaigndesk.progress.models import Activity
from campaigndesk.proofing.text import canonical
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows

from . import checking, limits, photos
from .anchors import locate
from .models import (
    ACCEPTED_STATES,
    EDITABLE,
    IN_REVIEW,
    Article,
    ArticleVersion,
    Channel,
    ChannelPublication,
    Photo,
    ReadMark,
    ReviewComment,
    State,
)
from .notify import notify_unit

# 附件2 asks for 图文并茂; the number can be raised per installation.
MAX_PHOTOS = 20
DRAFT_FIELDS = ("title", "body", "activity", "time_text", "place_text", "recipients_text",
                "participants_text")


class TransitionRefused(Exception):
    """Shown to the user as it is: why the brief cannot make this step now."""


def _lock(article: Article) -> Article:
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to `activity`.
    return (Article.objects.select_for_update(of=("self",))
            .select_related("campaign", "unit", "activity").get(pk=article.pk))


def _may_write(by, article_or_unit) -> None:
    unit = getattr(article_or_unit, "unit", article_or_unit)
    if not allows(by, Action.WRITE_ARTICLES, unit):
        raise PermissionDenied


def _may_review(by) -> None:
    if not allows(by, Action.REVIEW_ARTICLES):
        raise PermissionDenied


def _bureau_of(article: Article) -> Unit | None:
    """The bureau a county's brief goes to first (issue 17), None when it goes to the region."""
    cascade = cascade_of(article.campaign_id, article.unit)
    return cascade.bureau if cascade is not None else None


def _bureau_name(article: Article) -> str:
    bureau = _bureau_of(article)
    return bureau.name if bureau is not None else _("自治区")


def _require_state(article: Article, allowed: set[str], doing: str) -> None:
    if article.deleted_at is not None:
        raise TransitionRefused(_("稿件已删除，不能%(doing)s") % {"doing": doing})
    if article.state not in allowed:
        raise TransitionRefused(_("稿件当前为“%(state)s”，不能%(doing)s") % {
            "state": article.get_state_display(), "doing": doing})


def _link(article: Article) -> str:
    return reverse("article_detail", kwargs={"pk": article.pk})


def _snapshot(article: Article) -> dict:
    data = {name: getattr(article, name) for name in DRAFT_FIELDS}
    data["activity"] = str(article.activity) if article.activity_id else None
    return data


def unit_activities(campaign: Campaign, unit: Unit):
    return Activity.objects.live().filter(campaign=campaign, unit=unit).order_by("start_date",
                                                                                  "pk")


def _check_activity(activity: Activity | None, campaign: Campaign, unit: Unit) -> None:
    if activity is not None and (activity.unit_id != unit.pk
                                 or activity.campaign_id != campaign.pk or activity.is_deleted):
        raise TransitionRefused(_("只能关联本单位在本次活动中的活动"))


def _prefill_elements(article: Article, report) -> None:
    """Empty element fields take what the engine found; the reporter confirms or corrects."""
    for name, value in checking.suggested_elements(report).items():
        if not getattr(article, name).strip():
            setattr(article, name, value)


def body_text(text: str) -> str:
    """A brief's text as kept: canonical, without blank lines before it or anything after
    it, but with the first paragraph's indent (　　): str.strip() took that off the first
    paragraph only."""
    lines = canonical(text).rstrip().split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def check_texts(fields: dict) -> None:
    """Every way a brief's text comes in (the form, a .docx, a mail, the API) ends here:
    control characters are refused naming the field, and so is a body over the bound."""
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        label = str(Article._meta.get_field(name).verbose_name)
        if problem := limits.text_problem(label, value):
            raise TransitionRefused(problem)
        if name == "body" and (problem := limits.body_too_long(canonical(value))):
            raise TransitionRefused(problem)


def create_article(by, *, campaign: Campaign, unit: Unit, title: str, body: str = "",
                   activity: Activity | None = None, **elements: str) -> Article:
    return save_new_article(by, new_article(by, campaign=campaign, unit=unit, title=title,
                                            body=body, activity=activity, **elements))


def new_article(by, *, campaign: Campaign, unit: Unit, title: str, body: str = "",
                activity: Activity | None = None, **elements: str) -> Article:
    """The checked, proofread brief, not yet saved. Proofreading happens here, before any
    transaction: its first run loads the dictionaries (about a second), which must not
    happen while holding the database's write lock."""
    _may_write(by, unit)
    ensure_open(campaign)
    if not Campaign.objects.taking_part(unit).filter(pk=campaign.pk).exists():
        raise TransitionRefused(_("本单位未参加该宣传活动"))
    _check_activity(activity, campaign, unit)
    check_texts({"title": title, "body": body, **elements})
    # Canonical text (LF, NFC) whichever way it came in: offsets of findings and comments
    # are counted on it, in the browser and here alike.
    article = Article(campaign=campaign, unit=unit, title=canonical(title).strip(),
                      body=body_text(body), activity=activity, created_by=by,
                      **{name: canonical(value).strip() for name, value in elements.items()})
    _prefill_elements(article, checking.proofread_article(article))
    return article


@transaction.atomic
def save_new_article(by, article: Article) -> Article:
    article.save()
    record(by, "article.create", article, changes=diff({}, _snapshot(article)))
    return article


@transaction.atomic
def update_draft(by, article: Article, *, expected_version: int | None = None,
                 **fields) -> Article:
    """Save the unit's edits of a draft or a returned brief."""
    _may_write(by, article)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, EDITABLE, _("修改"))
    check_version(article, expected_version)
    before = _snapshot(article)
    if "activity" in fields:
        _check_activity(fields["activity"], article.campaign, article.unit)
    check_texts({name: value for name, value in fields.items() if name in DRAFT_FIELDS})
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise ValueError(name)
        if name == "body" and isinstance(value, str):
            value = body_text(value)
        elif isinstance(value, str):
            value = canonical(value).strip()
        setattr(article, name, value)
    _prefill_elements(article, checking.proofread_article(article))
    changes = diff(before, _snapshot(article))
    if changes:
        article.version += 1
    article.save()
    if changes:
        record(by, "article.update", article, changes=changes)
    return article


@transaction.atomic
def delete_article(by, article: Article, *, reason: str) -> Article:
    """A soft delete: the brief leaves every list and the public site, nothing is erased."""
    _may_write(by, article)
    ensure_open(article.campaign_id)
    article = _lock(article)
    if article.deleted_at is not None:
        raise TransitionRefused(_("稿件已删除"))
    if not reason.strip():
        raise TransitionRefused(_("请填写删除原因"))
    article.deleted_at = timezone.now()
    article.deleted_by = by
    article.deleted_reason = reason.strip()[:300]
    article.save(update_fields=["deleted_at", "deleted_by", "deleted_reason"])
    record(by, "article.delete", article, changes={"state": article.state,
                                                   "deleted": [False, True]},
           message=article.deleted_reason)
    return article


@transaction.atomic
def restore_article(by, article: Article) -> Article:
    if not allows(by, Action.RESTORE_DELETED):
        raise PermissionDenied
    ensure_open(article.campaign_id)
    article = _lock(article)
    if article.deleted_at is None:
        raise TransitionRefused(_("稿件未被删除"))
    before = {"deleted_by": str(article.deleted_by), "deleted_reason": article.deleted_reason}
    article.deleted_at = None
    article.deleted_by = None
    article.deleted_reason = ""
    article.save(update_fields=["deleted_at", "deleted_by", "deleted_reason"])
    record(by, "article.restore", article, changes={"deleted": [True, False], **before})
    return article


def _freeze(by, article: Article, justification: str,
            now: datetime | None = None) -> ArticleVersion:
    """Check the brief once more and keep what is sent as the next version."""
    if not article.title.strip() or not article.body.strip():
        raise TransitionRefused(_("请填写标题和正文"))
    count, needed = article.photos.count(), article.campaign.min_photos
    if count < needed:
        raise TransitionRefused(_("图文并茂：至少需要 %(needed)s 张照片，目前 %(count)s 张") % {
            "needed": needed, "count": count})
    missing = [label for label, name in ((_("时间"), "time_text"), (_("地点"), "place_text"),
                                         (_("服务对象"), "recipients_text"),
                                         (_("参与人员"), "participants_text"))
               if not getattr(article, name).strip()]
    if missing:
        raise TransitionRefused(_("请填写四要素：%(missing)s") % {"missing": "、".join(missing)})
    report = checking.proofread_article(article)
    justification = justification.strip()
    if report.has_errors and not justification:
        count = sum(1 for f in report.findings if f.severity == "error")
        refusal = _("校对发现 %(count)s 处错误尚未修改，请修改，或填写不修改的说明") % {
            "count": count}
        # An element that no longer matches the text is named here: the reporter changed
        # the body, not the field below it, and looks for the reason in this message.
        if stale := checking.stale_elements(article.title, article.body,
                                            checking.article_elements(article)):
            refusal += _("。其中：") + "".join(f.message for f in stale)
        raise TransitionRefused(refusal)
    article.justification = justification if report.has_errors else ""
    number = article.latest_version_number() + 1
    return ArticleVersion.objects.create(
        article=article, number=number, title=article.title, body=article.body,
        elements={name: getattr(article, name) for name in checking.ELEMENT_FIELDS.values()},
        findings=checking.findings_json(report), justification=article.justification,
        submitted_by=by, submitted_at=now or timezone.now())


@transaction.atomic
def submit_article(by, article: Article, *, justification: str = "",
                   now: datetime | None = None) -> ArticleVersion:
    """``now``: when it was sent, for data entered afterwards (the demo); default now."""
    _may_write(by, article)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, {State.DRAFT}, _("报送"))
    version = _freeze(by, article, justification, now)
    # A county inside its bureau's cascade sends to the bureau first (issue 17).
    article.state = State.FOR_BUREAU if _bureau_of(article) else State.SUBMITTED
    article.submitted_at = version.submitted_at
    article.save()
    record(by, "article.submit", article, changes={"state": [State.DRAFT, article.state],
                                                   "version": version.number},
           message=article.justification)
    notify_unit(article.unit, _("稿件“%(title)s”已报送，等待%(who)s审核") % {
        "title": article.title, "who": _bureau_name(article)}, _link(article),
        campaign=article.campaign)
    return version


@transaction.atomic
def resubmit_article(by, article: Article, *, justification: str = "") -> ArticleVersion:
    _may_write(by, article)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, {State.RETURNED}, _("重新报送"))
    version = _freeze(by, article, justification)
    article.state = State.FOR_BUREAU if _bureau_of(article) else State.RESUBMITTED
    article.save()
    record(by, "article.resubmit", article,
           changes={"state": [State.RETURNED, article.state], "version": version.number},
           message=article.justification)
    notify_unit(article.unit, _("稿件“%(title)s”已修改后重新报送（第%(number)s版）") % {
        "title": article.title, "number": version.number}, _link(article),
        campaign=article.campaign)
    return version


def _send_back(by, article: Article, reason: str) -> ArticleVersion:
    """The brief returned with the reviewer's reason on its latest version (the region's
    return and its bureau's alike)."""
    article.state = State.RETURNED
    article.save()
    version = article.latest_version()
    version.return_reason = canonical(reason).strip()
    version.returned_by = by
    version.returned_at = timezone.now()
    version.save(update_fields=["return_reason", "returned_by", "returned_at"])
    return version


@transaction.atomic
def return_article(by, article: Article, *, reason: str) -> Article:
    _may_review(by)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, IN_REVIEW, _("退回"))
    if not reason.strip():
        raise TransitionRefused(_("请填写退回修改的意见"))
    before = article.state
    version = _send_back(by, article, reason)
    record(by, "article.return", article, changes={"state": [before, article.state],
                                                   "version": version.number},
           message=version.return_reason)
    notify_unit(article.unit, _("稿件“%(title)s”被退回修改：%(reason)s") % {
        "title": article.title, "reason": reason.strip()},
                _link(article), campaign=article.campaign)
    return article


def _open_errors_confirmed(article: Article, confirmed: int | None, doing: str) -> int:
    """The open errors of the version under review (sent with them, explained or not),
    which a reviewer taking the step from the page must have confirmed by their number:
    a brief with 3 errors was accepted and recommended to 民政部 with one click.
    ``confirmed`` None: a caller that asks nobody (the demo, a script)."""
    version = article.latest_version()
    count = len(version.open_errors) if version is not None else 0
    if confirmed is not None and count and confirmed != count:
        raise TransitionRefused(
            _("该稿件报送时仍有 %(count)s 处校对错误未修改：请勾选确认后再%(doing)s") % {
                "count": count, "doing": doing})
    return count


@transaction.atomic
def accept_article(by, article: Article, *, now: datetime | None = None,
                   open_errors_confirmed: int | None = None) -> Article:
    """``open_errors_confirmed``: the number of open errors the reviewer confirmed on the
    page (see _open_errors_confirmed)."""
    _may_review(by)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, IN_REVIEW, _("采用"))
    errors = _open_errors_confirmed(article, open_errors_confirmed, _("采用"))
    before = article.state
    article.state = State.ACCEPTED
    article.accepted_at = now or timezone.now()
    article.save()
    changes = {"state": [before, article.state]}
    if errors:
        changes["open_errors"] = errors
    record(by, "article.accept", article, changes=changes)
    notify_unit(article.unit, _("稿件“%(title)s”已采用") % {"title": article.title},
                _link(article), campaign=article.campaign)
    return article


@transaction.atomic
def select_typical(by, article: Article, *, now: datetime | None = None) -> Article:
    """A published brief stays published; being a typical case is kept as its own date."""
    _may_review(by)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, {State.ACCEPTED, State.PUBLISHED}, _("评为典型案例"))
    if article.is_typical:
        raise TransitionRefused(_("稿件已是典型案例"))
    before = article.state
    if article.state == State.ACCEPTED:
        article.state = State.TYPICAL
    article.typical_at = now or timezone.now()
    article.save()
    record(by, "article.typical", article, changes={"state": [before, article.state]})
    notify_unit(article.unit, _("稿件“%(title)s”被评为典型案例") % {"title": article.title},
                _link(article), campaign=article.campaign)
    return article


@transaction.atomic
def publish_article(by, article: Article, channel: str, date: date) -> ChannelPublication:
    _may_review(by)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, ACCEPTED_STATES, _("发布"))
    channel = Channel(channel)
    if article.publications.filter(channel=channel).exists():
        raise TransitionRefused(_("稿件已在%(channel)s发布") % {"channel": channel.label})
    publication = ChannelPublication.objects.create(article=article, channel=channel,
                                                    date=date, published_by=by)
    before = article.state
    article.state = State.PUBLISHED
    article.save()
    record(by, "article.publish", article,
           changes={"state": [before, article.state], "channel": channel.label,
                    "date": date.isoformat()})
    notify_unit(article.unit, _("稿件“%(title)s”已于%(date)s在%(channel)s发布") % {
        "title": article.title, "date": f"{date.year}年{date.month:02d}月{date.day:02d}日",
        "channel": channel.label}, _link(article), campaign=article.campaign)
    return publication


@transaction.atomic
def recommend_to_ministry(by, article: Article, *, now: datetime | None = None,
                          open_errors_confirmed: int | None = None) -> Article:
    _may_review(by)
    ensure_open(article.campaign_id)
    article = _lock(article)
    _require_state(article, ACCEPTED_STATES, _("推荐至民政部"))
    if article.is_recommended:
        raise TransitionRefused(_("稿件已推荐至民政部"))
    errors = _open_errors_confirmed(article, open_errors_confirmed, _("推荐至民政部"))
    article.recommended_at = now or timezone.now()
    article.save()
    changes: dict = {"recommended": [False, True]}
    if errors:
        changes["open_errors"] = errors
    record(by, "article.recommend", article, changes=changes)
    notify_unit(article.unit, _("稿件“%(title)s”已推荐至民政部") % {"title": article.title},
                _link(article), campaign=article.campaign)
    return article


@transaction.atomic
def add_comment(by, article: Article, *, start: int, end: int, text: str,
                quote: str = "") -> ReviewComment:
    """A remark on body[start:end] of the latest submitted version.

    start/end are code points into the body (the browser converts from UTF-16). ``quote``:
    the words the reviewer selected, as the browser read them; when given, the remark lands
    on those words — at start if they are there, else at their occurrence nearest to it —
    or is refused, never saved on other words."""
    _may_review(by)
    ensure_open(article.campaign_id)
    article = _lock(article)
    version = article.latest_version()
    if version is None:
        raise TransitionRefused(_("稿件尚未报送，不能提审核意见"))
    if not text.strip():
        raise TransitionRefused(_("请填写审核意见"))
    body = version.body
    if not (0 <= start < end <= len(body)):
        raise TransitionRefused(_("请先在正文中选中要提意见的文字"))
    quote = canonical(quote)
    if quote and body[start:end] != quote:
        at = locate(quote, start, body)
        if at is None:
            raise TransitionRefused(_("所选文字“%(quote)s”不在第%(number)s版正文中，请重新选择") % {
                "quote": quote[:30], "number": version.number})
        start, end = at, at + len(quote)
    comment = ReviewComment.objects.create(
        article=article, version=version, start=start, end=end,
        quote=body[start:end], text=text.strip(), author=by)
    record(by, "article.comment", article, changes={"quote": comment.quote[:500]},
           message=comment.text)
    return comment


def mark_read(user, article: Article, latest: int | None = None) -> tuple[int, int]:
    """Record that a reviewer opened the latest version; returns (diff base, latest).

    The base is the version they had read before the latest one, so reopening the page
    keeps showing the same diff until a newer version arrives. ``latest``: the latest
    version number when the caller has the versions at hand already.
    """
    if latest is None:
        latest = article.latest_version_number()
    mark, _ = ReadMark.objects.get_or_create(article=article, user=user)
    if mark.version != latest:
        mark.previous, mark.version = mark.version, latest
        mark.save(update_fields=["previous", "version"])
    return mark.previous, latest


# Photos -------------------------------------------------------------------------------


def too_many_photos() -> TransitionRefused:
    return TransitionRefused(_("每篇稿件最多 %(max)s 张照片") % {"max": MAX_PHOTOS})


def add_photo(by, article: Article, data: bytes | photos.ProcessedPhoto, *, caption: str = "",
              original_name: str = "") -> Photo:
    """Store an uploaded photo (already read into memory, at most 20 MB), or one that
    went through `photos.process` already (the Word import, the demo's drawn scenes).

    The photo is decoded and checked before the transaction: decoding takes up to a few
    seconds, and on SQLite a transaction holds the database's one write lock throughout."""
    _may_write(by, article)
    ensure_open(article.campaign_id)
    # Early, to spare the decoding; checked again under the lock.
    _require_state(article, EDITABLE, _("添加照片"))
    if isinstance(data, photos.ProcessedPhoto):
        processed = data
    else:
        try:
            processed = photos.process(data)
        except photos.PhotoRefused as exc:
            record(by, "article.photo_refused", article,
                   changes={"photo": original_name[:120], "size": len(data)}, message=str(exc))
            raise
    return _store_photo(by, article, processed, caption=caption, original_name=original_name)


@dataclass
class PhotoBatch:
    """What became of the files of one upload: the photos stored and, for each file refused,
    its name and the reason."""
    added: list[Photo] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def add_photos(by, article: Article, uploads: Iterable, *, caption: str = "") -> PhotoBatch:
    """Several photos chosen at once (a phone's gallery, its camera), each checked by content
    and size and stored on its own as `add_photo` does: a bad file, or one over the
    per-brief limit, is refused by name and costs only itself.

    Who may write and whether the brief can take photos at all is decided once, before any
    file is read."""
    _may_write(by, article)
    ensure_open(article.campaign_id)
    _require_state(article, EDITABLE, _("添加照片"))
    batch = PhotoBatch()
    for upload in uploads:
        name = upload.name or ""
        try:
            data = photos.read_upload(upload)
            batch.added.append(add_photo(by, article, data, caption=caption,
                                         original_name=name))
        except (photos.PhotoRefused, TransitionRefused) as exc:
            batch.refused.append((name, str(exc)))
    return batch


@transaction.atomic
def _store_photo(by, article: Article, processed: photos.ProcessedPhoto, *, caption: str,
                 original_name: str) -> Photo:
    article = _lock(article)
    _require_state(article, EDITABLE, _("添加照片"))
    if article.photos.count() >= MAX_PHOTOS:
        raise too_many_photos()
    position = (article.photos.order_by("-position").values_list("position", flat=True)
                .first() or 0) + 1
    photo = Photo(article=article, caption=caption.strip()[:200], position=position,
                  original_name=original_name[:120], source_format=processed.source_format,
                  width=processed.width, height=processed.height,
                  size_bytes=len(processed.jpeg), phash=processed.phash,
                  taken_at=processed.taken_at, warnings=processed.warnings, uploaded_by=by)
    photos.write_files(photo, processed)
    try:
        photo.save()
        record(by, "article.photo_add", article,
               changes={"photo": photo.original_name or photo.key, "caption": photo.caption})
    except Exception:
        photos.delete_files(photo)
        raise
    return photo


@transaction.atomic
def update_photo(by, photo: Photo, *, caption: str) -> Photo:
    _may_write(by, photo.article)
    ensure_open(photo.article.campaign_id)
    article = _lock(photo.article)
    _require_state(article, EDITABLE, _("修改照片"))
    before = photo.caption
    photo.caption = caption.strip()[:200]
    photo.save(update_fields=["caption"])
    if before != photo.caption:
        record(by, "article.photo_caption", article,
               changes={"caption": [before, photo.caption]})
    return photo


@transaction.atomic
def delete_photo(by, photo: Photo) -> None:
    _may_write(by, photo.article)
    ensure_open(photo.article.campaign_id)
    article = _lock(photo.article)
    _require_state(article, EDITABLE, _("删除照片"))
    record(by, "article.photo_delete", article, changes={"photo": str(photo)})
    photo.delete()
    # The files go only once the row is really gone.
    transaction.on_commit(lambda: photos.delete_files(photo))


def _may_review_for_bureau(by, article: Article) -> Unit:
    bureau = _bureau_of(article)
    if bureau is None or not allows(by, Action.REVIEW_CASCADE, article.unit) \
            or by.unit_id != bureau.pk:
        raise PermissionDenied
    return bureau


@transaction.atomic
def forward_article(by, article: Article) -> Article:
    """The bureau passes a county's brief on to the region, which reviews it as today."""
    ensure_open(article.campaign_id)
    article = _lock(article)
    bureau = _may_review_for_bureau(by, article)
    _require_state(article, {State.FOR_BUREAU}, _("转报自治区"))
    version = article.latest_version()
    # The region reads a first submission as 已报送 and a corrected one as 已重新报送.
    article.state = State.SUBMITTED if version.number == 1 else State.RESUBMITTED
    article.save()
    record(by, "article.forward", article, changes={
        "state": [State.FOR_BUREAU, article.state], "version": version.number},
        message=_("%(bureau)s审核后转报自治区") % {"bureau": bureau.name})
    notify_unit(article.unit, _("稿件“%(title)s”已由%(bureau)s转报自治区，等待审核") % {
        "title": article.title, "bureau": bureau.name}, _link(article),
        campaign=article.campaign)
    return article


@transaction.atomic
def bureau_return_article(by, article: Article, *, reason: str) -> Article:
    """The bureau sends a county's brief back for correction before it reaches the region."""
    ensure_open(article.campaign_id)
    article = _lock(article)
    bureau = _may_review_for_bureau(by, article)
    _require_state(article, {State.FOR_BUREAU}, _("退回"))
    if not reason.strip():
        raise TransitionRefused(_("请填写退回修改的意见"))
    version = _send_back(by, article, reason)
    record(by, "article.bureau_return", article, changes={
        "state": [State.FOR_BUREAU, article.state], "version": version.number},
        message=version.return_reason)
    notify_unit(article.unit, _("稿件“%(title)s”被%(bureau)s退回修改：%(reason)s") % {
        "title": article.title, "bureau": bureau.name, "reason": reason.strip()},
        _link(article), campaign=article.campaign)
    return article
