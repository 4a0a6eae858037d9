"""What the brief page shows: the version read, its comments, the diff a reviewer needs,
photo warnings and the steps the user may take now."""

from __future__ import annotations

from campaigndesk.params import whole_number
from campaigndesk.units.permissions import Action, allows

from . import photos, services
from .anchors import anchor_all
from .display import Span, diff_html, marked, word_diff
from .findings import placed_findings
from .forms import CommentForm, PublishForm, ReturnForm
from .models import ACCEPTED_STATES, IN_REVIEW, Article, Channel, State


def _version(article: Article, request):
    versions = list(article.versions.select_related("submitted_by", "returned_by"))
    wanted = request.GET.get("version", "")
    chosen = next((v for v in versions if str(v.number) == wanted), None)
    return versions, chosen or (versions[-1] if versions else None)


def photo_rows(article: Article, *, reviewer: bool) -> list[dict]:
    rows = []
    article_photos = list(article.photos.all())
    # Other briefs may belong to other units: only region users get the links.
    duplicates = photos.near_duplicates_for(article_photos) if reviewer else {}
    for photo in article_photos:
        notes = list(photo.warnings)
        if date_note := photos.date_warning(photo, article):
            notes.append(date_note)
        rows.append({
            "photo": photo,
            "warnings": notes,
            "duplicates": duplicates.get(photo.pk, []),
        })
    return rows


def _steps(article: Article, reviewer: bool, published: set[str]) -> dict[str, bool]:
    return {
        "return": reviewer and article.state in IN_REVIEW,
        "accept": reviewer and article.state in IN_REVIEW,
        "typical": reviewer and article.state in {State.ACCEPTED, State.PUBLISHED}
        and not article.is_typical,
        "publish": reviewer and article.state in ACCEPTED_STATES
        and len(published) < len(Channel.choices),
        "recommend": reviewer and article.state in ACCEPTED_STATES
        and not article.is_recommended,
    }


def ordered_comments(article: Article) -> list:
    """The latest version's comments first, each version's in reading order."""
    comments = article.comments.select_related("version", "author")
    return sorted(comments, key=lambda c: (-c.version.number, c.start, c.pk))


def return_note(article: Article, versions: list | None = None):
    """The version whose return the unit has to answer now, with its 退回修改意见."""
    if article.state != State.RETURNED:
        return None
    versions = versions if versions is not None else list(
        article.versions.select_related("returned_by"))
    returned = [v for v in versions if v.return_reason]
    return returned[-1] if returned else None


def _beside(finding_spans: list[Span], comment_spans: list[Span],
            items: list[dict]) -> list[Span]:
    """The findings' marks that do not overlap a comment (one mark cannot half-contain
    another, and the reviewer's own comment matters more here); a finding left unmarked
    links to the comment that covers its words instead."""
    kept, moved = [], {}
    for span in finding_spans:
        over = next((c for c in comment_spans if c.start < span.end and span.start < c.end),
                    None)
        if over is None:
            kept.append(span)
        else:
            moved[span.ident] = over.ident
    for item in items:
        for spot in item["places"]:
            spot["anchor"] = moved.get(spot["anchor"], spot["anchor"])
        item["anchor"] = moved.get(item["anchor"], item["anchor"])
    return kept


def _open_errors(versions: list) -> dict:
    latest = versions[-1] if versions else None
    if latest is None:
        return {"count": 0, "explained": False}
    return {"count": len(latest.open_errors), "explained": bool(latest.justification.strip())}


def review_context(request, article: Article) -> dict:
    user = request.user
    reviewer = allows(user, Action.REVIEW_ARTICLES)
    # A closed campaign is read-only: its briefs are shown without any step to take.
    is_open = not article.campaign.is_closed
    versions, version = _version(article, request)
    diff = None
    if reviewer and versions:
        base, latest = services.mark_read(user, article, versions[-1].number)
        # The diff is offered against the version this reviewer read before the latest.
        wanted = whole_number(request.GET.get("from"))
        if wanted is not None:
            base = wanted
        old = next((v for v in versions if v.number == base), None)
        if old is not None and version is not None and old.number != version.number:
            diff = {"from": old, "to": version,
                    "title": diff_html(word_diff(old.title, version.title)),
                    "body": diff_html(word_diff(old.body, version.body))}
    comments = ordered_comments(article)
    body_html, title_html, anchored, findings = None, None, [], []
    if version is not None:
        # Every comment, whichever version it was made on, is shown where its words are in
        # the version read now (or as 原文已修改 when they are gone).
        anchored = anchor_all(comments, version.body)
        spans = [Span(a.start, a.end, "comment", a.comment.text, f"comment-{a.comment.pk}")
                 for a in anchored if a.found]
        # The findings this version was sent with, marked where they are, so that the
        # reviewer reads them in place instead of hunting for them.
        placed = placed_findings(version.findings, version.title, version.body)
        findings = placed["items"]
        spans += _beside(placed["body_spans"], spans, findings)
        body_html = marked(version.body, spans, focusable=False)
        title_html = marked(version.title, placed["title_spans"])
    note = return_note(article, versions)
    publications = list(article.publications.all())
    done = {p.channel for p in publications}
    publish_form = PublishForm()
    publish_form.fields["channel"].choices = [c for c in Channel.choices if c[0] not in done]
    return {
        "article": article,
        "versions": versions,
        "version": version,
        "body_html": body_html,
        "title_html": title_html,
        "findings": findings,
        "diff": diff,
        "comments": anchored,
        "return_note": note,
        # What was asked before: the reviewer checks the resubmission against it.
        "earlier_returns": [v for v in reversed(versions) if v.return_reason and v != note],
        "photo_rows": photo_rows(article, reviewer=reviewer),
        "publications": publications,
        "campaign": article.campaign,
        "reviewer": reviewer,
        "can_comment": reviewer and is_open,
        "is_accepted": article.state in ACCEPTED_STATES,
        "can_write": allows(user, Action.WRITE_ARTICLES, article.unit) and is_open,
        "steps": _steps(article, reviewer and is_open, done),
        # The latest version's, whichever one is read: it is the one a step acts on.
        "open_errors": _open_errors(versions),
        "comment_form": CommentForm(),
        "return_form": ReturnForm(),
        "publish_form": publish_form,
    }
