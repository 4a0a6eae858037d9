"""The unit's side: listing, writing, checking, photos, submitting; the brief page itself."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigndesk.audit.services import record
from campaigndesk.campaigns import legacy, urgency
from campaigndesk.campaigns.models import Campaign
from campaigndesk.campaigns.services import CLOSED_MESSAGE
from campaigndesk.core import kept
from campaigndesk.core.concurrency import EditConflict, show_conflict
from campaigndesk.core.textforms import checks_text, say_removed
from campaigndesk.params import whole_number
from campaigndesk.proofing.text import canonical, count_chars, nth_counted_offset
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, login_only, unit_or_404

from . import checking, docx_import, limits, photos, services
from .access import article_or_404, not_post, photo_or_404
from .anchors import anchor_all
from .findings import findings_context
from .forms import ArticleForm, DeleteForm, ImportForm, PhotoForm, SubmitForm
from .models import Article, Notice, State
from .review import ordered_comments, return_note, review_context


@login_only
def articles_home(request):
    """Where the 宣传稿件 link leads from a page without a campaign: the review queue or the
    unit's briefs of the most urgent open campaign (pages of a campaign link to their own)."""
    user = request.user
    if allows(user, Action.REVIEW_ARTICLES):
        campaign = urgency.most_urgent_for(user)
        if campaign is None:
            raise Http404
        return redirect("campaign_articles", pk=campaign.pk)
    if user.unit_id and allows(user, Action.VIEW_UNIT, user.unit):
        return legacy.redirect_to_campaign(request, user.unit.code, "campaign_unit_articles")
    raise Http404


@login_only
@require_GET
def unit_articles_latest(request, code: str):
    return legacy.redirect_to_campaign(request, code, "campaign_unit_articles")


@login_only
@require_GET
def article_create_latest(request, code: str):
    return legacy.redirect_to_campaign(request, code, "campaign_article_create",
                                       Action.WRITE_ARTICLES)


def _campaign_or_404(unit: Unit, campaign_pk: int) -> Campaign:
    campaign = Campaign.objects.of_unit(unit, campaign_pk)
    if campaign is None:
        raise Http404
    return campaign


@login_only
@require_GET
def unit_articles(request, campaign_pk: int, code: str):
    """The briefs of the unit (and the units under it) in one campaign."""
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaign = _campaign_or_404(unit, campaign_pk)
    articles = (Article.objects.live()
                .filter(campaign=campaign, unit__in=Unit.objects.under(unit))
                .select_related("campaign", "unit").prefetch_related("publications"))
    return render(request, "articles/unit_list.html", {
        "unit": unit,
        "articles": articles,
        "campaign": campaign,
        "can_write": allows(request.user, Action.WRITE_ARTICLES, unit) and not campaign.is_closed,
        "import_form": ImportForm(),
    })


@checks_text
@login_only
@require_http_methods(["GET", "POST"])
def article_create(request, campaign_pk: int, code: str):
    unit = unit_or_404(request.user, Action.WRITE_ARTICLES, code=code)
    campaign = _campaign_or_404(unit, campaign_pk)
    if campaign.is_closed:
        messages.error(request, str(CLOSED_MESSAGE))
        return redirect("campaign_unit_articles", campaign_pk=campaign.pk, code=unit.code)
    activities = services.unit_activities(campaign, unit)
    form = ArticleForm(request.POST or None, activities=activities)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            article = services.create_article(request.user, campaign=campaign, unit=unit,
                                              **fields)
        except services.TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, saved_message(article, _("请上传照片并核对四要素")))
            say_removed(request, form.invisible_removed)
            return kept.saved(redirect("article_edit", pk=article.pk), kept.keep_token(request))
    return render(request, "articles/edit.html", {"form": form, "unit": unit,
                                                  "campaign": campaign, "article": None})


@login_only
def article_import(request, campaign_pk: int, code: str):
    unit = unit_or_404(request.user, Action.WRITE_ARTICLES, code=code)
    if refused := not_post(request):
        return refused
    campaign = _campaign_or_404(unit, campaign_pk)
    back = redirect("campaign_unit_articles", campaign_pk=campaign.pk, code=unit.code)
    if campaign.is_closed:
        messages.error(request, str(CLOSED_MESSAGE))
        return back
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.refusal())
        return back
    try:
        article, problems = docx_import.import_docx(request.user, campaign, unit,
                                                    form.cleaned_data["file"])
    except docx_import.DocxRefused as exc:
        messages.error(request, str(exc))
        return back
    for problem in problems:
        messages.warning(request, problem)
    messages.success(request, _("已从 Word 文档导入“%(title)s”，照片 %(photos)s 张，请核对") % {
        "title": article.title, "photos": article.photos.count()})
    return redirect("article_edit", pk=article.pk)


@checks_text
@login_only
@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int):
    article = article_or_404(request.user, pk, Action.WRITE_ARTICLES)
    if article.campaign.is_closed:
        messages.warning(request, str(CLOSED_MESSAGE))
        return redirect("article_detail", pk=article.pk)
    if not article.is_editable:
        messages.warning(request, _("稿件当前为“%(state)s”，不能修改") % {
            "state": article.get_state_display()})
        return redirect("article_detail", pk=article.pk)
    activities = services.unit_activities(article.campaign, article.unit)
    form = ArticleForm(request.POST or None, instance=Article.objects.get(pk=article.pk),
                       activities=activities)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version", None)
        try:
            saved = services.update_draft(request.user, article, expected_version=version,
                                          **fields)
        except EditConflict as exc:
            # What the writer typed stays in the form; saving again is a deliberate merge.
            show_conflict(form, exc)
            status = 409
        except services.TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, saved_message(saved))
            say_removed(request, form.invisible_removed)
            return kept.saved(redirect("article_edit", pk=article.pk), kept.keep_token(request))
    return _edit_page(request, article, form, status)


def saved_message(article: Article, then: str = "") -> SafeString:
    """"草稿已保存；校对：N 处错误、M 处提示" with a link to the findings: on a phone they
    are more than a screen below the message, under the form."""
    report = checking.proofread_article(article)
    errors = sum(1 for f in report.findings if f.severity == "error")
    return format_html(
        '{}<a href="#findings" class="jump">{}</a>{}',
        _("草稿已保存；校对：%(errors)s 处错误、%(warnings)s 处提示 ") % {
            "errors": errors, "warnings": len(report.findings) - errors},
        _("查看校对结果"), f"。{then}" if then else "")


def _edit_page(request, article, form, status: int = 200, submit_form=None):
    return render(request, "articles/edit.html", {
        "form": form,
        "unit": article.unit,
        "campaign": article.campaign,
        "article": article,
        "photos": article.photos.all(),
        "photo_form": PhotoForm(),
        # Checked in the browser before sending (site.js), so a phone's large selection is
        # refused with the sizes at once instead of after a long upload.
        "upload_max_bytes": settings.REQUEST_MAX_BYTES,
        "upload_max_mb": settings.REQUEST_MAX_BYTES // 1024 // 1024,
        "photo_max_bytes": photos.MAX_BYTES,
        "submit_form": submit_form or SubmitForm(initial={"justification": article.justification}),
        "min_photos": article.campaign.min_photos,
        # The reason for the return and the span comments, found in the draft as it is now.
        "return_note": return_note(article),
        "comments": anchor_all(ordered_comments(article), article.body),
        "delete_form": DeleteForm(),
    }, status=status)


@login_only
def article_check(request, pk: int):
    """htmx: the findings for the text being typed, highlighted, with their suggestions."""
    article = article_or_404(request.user, pk, Action.WRITE_ARTICLES)
    if refused := not_post(request):
        return refused
    # The text as it will be saved (LF, NFC, no invisible characters): the offsets sent
    # back are counted on it.
    title = canonical(request.POST.get("title", "")).strip()[:200]
    body = canonical(request.POST.get("body", ""))
    # A body over the bound cannot be saved; the part within it is checked, and said so.
    length = count_chars(body)
    cut = nth_counted_offset(body, limits.BODY_MAX_CHARS)
    if cut is not None:
        body = body[:cut]
    activity = article.activity
    if chosen := whole_number(request.POST.get("activity")):
        activity = (services.unit_activities(article.campaign, article.unit)
                    .filter(pk=chosen).first())
    # The element fields as typed: one that no longer matches the body is said as it is typed.
    elements = {name: canonical(request.POST.get(name, "")).strip()[:checking.ELEMENT_MAX]
                for name in checking.ELEMENT_LABELS}
    report = checking.proofread(title, body, campaign=article.campaign, unit=article.unit,
                                activity=activity, elements=elements)
    context = findings_context(report, checking.length_bounds(article.campaign))
    if cut is not None:
        context["length"] = length
        context["unchecked"] = _(
            "正文共 %(count)s 字，超过 %(limit)s 字的上限：只检查了前 %(limit)s 字，其后的 "
            "%(rest)s 字没有检查；这样的正文保存时会被拒绝") % {
            "count": f"{length:,}", "limit": f"{limits.BODY_MAX_CHARS:,}",
            "rest": f"{length - limits.BODY_MAX_CHARS:,}"}
    return render(request, "articles/_findings.html", context)


@checks_text
@login_only
def article_submit(request, pk: int):
    article = article_or_404(request.user, pk, Action.WRITE_ARTICLES)
    if refused := not_post(request):
        return refused
    # Both forms are checked before anything is saved, and a refusal shows the page again
    # with every field as typed and each field's own message: a control character in the
    # explanation read as "please tick the box", and a refused title wiped the explanation.
    form = SubmitForm(request.POST)
    submit_ok = form.is_valid()
    if "title" in request.POST:
        # The submit button belongs to the writing form: what is on screen is what is sent.
        edits = ArticleForm(request.POST, instance=Article.objects.get(pk=article.pk),
                            activities=services.unit_activities(article.campaign, article.unit))
        if not edits.is_valid() or not submit_ok:
            messages.error(request, _("未报送，也未保存：请按提示修改后再报送"))
            return _edit_page(request, article, edits, 400, submit_form=form)
        fields = dict(edits.cleaned_data)
        version = fields.pop("version", None)
        try:
            services.update_draft(request.user, article, expected_version=version, **fields)
            say_removed(request, edits.invisible_removed + form.invisible_removed)
        except EditConflict as exc:
            show_conflict(edits, exc)
            return _edit_page(request, article, edits, 409, submit_form=form)
        except services.TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("article_edit", pk=article.pk)
    elif not submit_ok:
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
        return redirect("article_edit", pk=article.pk)
    # From here the brief's fields are saved: the copy kept in the browser can go.
    token = kept.keep_token(request) if "title" in request.POST else ""
    submit = (services.resubmit_article if article.state == State.RETURNED
              else services.submit_article)
    try:
        version = submit(request.user, article,
                         justification=form.cleaned_data["justification"])
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
        return kept.saved(redirect("article_edit", pk=article.pk), token)
    messages.success(request, _("已报送（第%(number)s版），等待审核") % {"number": version.number})
    return kept.saved(redirect("article_detail", pk=article.pk), token)


@login_only
def photo_add(request, pk: int):
    """One or several photos (chosen together, or taken with the phone's camera), each
    checked and stored on its own; every refusal names its file."""
    article = article_or_404(request.user, pk, Action.WRITE_ARTICLES)
    if refused := not_post(request):
        return refused
    form = PhotoForm(request.POST)
    uploads = request.FILES.getlist("image")
    if not uploads:
        messages.error(request, _("请选择照片文件"))
        return redirect("article_edit", pk=article.pk)
    if not form.is_valid():
        messages.error(request, _("图片说明不能超过200字，照片未上传"))
        return redirect("article_edit", pk=article.pk)
    try:
        batch = services.add_photos(request.user, article, uploads,
                                    caption=form.cleaned_data["caption"])
    except services.TransitionRefused as exc:
        messages.error(request, _("照片未保存：%(error)s") % {"error": exc})
        return redirect("article_edit", pk=article.pk)
    for name, reason in batch.refused:
        messages.error(request, _("照片“%(name)s”未保存：%(error)s") % {
            "name": _file_label(name), "error": reason})
    for photo in batch.added:
        # With several files a warning says which photo it is about.
        about = (_("“%(name)s”：") % {"name": _file_label(photo.original_name)}
                 if len(uploads) > 1 else "")
        for warning in photo.warnings:
            messages.warning(request, about + warning)
        if photos.near_duplicates(photo, limit=1):
            messages.warning(request, about + _(
                "这张照片与其他稿件中的照片非常相似，审核员会看到提示"))
    if len(batch.added) == 1:
        messages.success(request, _("照片已上传"))
    elif batch.added:
        messages.success(request, _("照片已上传（%(n)d 张）") % {"n": len(batch.added)})
    return redirect("article_edit", pk=article.pk)


def _file_label(name: str) -> str:
    return (name or _("未命名文件"))[:80]


@login_only
def photo_edit(request, pk: int):
    """Change a caption, or delete the photo when the delete button was pressed."""
    photo = photo_or_404(request.user, pk, Action.WRITE_ARTICLES)
    if refused := not_post(request):
        return refused
    try:
        if request.POST.get("delete"):
            services.delete_photo(request.user, photo)
            messages.success(request, _("照片已删除"))
        else:
            services.update_photo(request.user, photo, caption=request.POST.get("caption", ""))
            messages.success(request, _("图片说明已保存"))
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("article_edit", pk=photo.article_id)


@login_only
def photo_file(request, pk: int, size: str):
    photo = photo_or_404(request.user, pk)
    response = serve_photo(photo, size)
    if size == "full":  # the original; thumbnails are only the pages' pictures
        record(request.user, "article.photo_download", photo.article,
               changes={"photo": photo.original_name or photo.key})
    return response


def serve_photo(photo, size: str) -> FileResponse:
    if size not in ("full", "thumb"):
        raise Http404
    relative = photo.relative_path if size == "full" else photo.thumb_relative_path
    path = photos.media_path(relative)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_only
def article_detail(request, pk: int):
    article = article_or_404(request.user, pk)
    return render(request, "articles/detail.html", review_context(request, article))


@login_only
def notices(request):
    mine = Notice.objects.for_user(request.user)
    if request.method == "POST":
        mine.unread().update(read_at=timezone.now())
        return redirect("notices")
    return render(request, "articles/notices.html", {"notices": mine[:100]})


@login_only
def notice_open(request, pk: int):
    """A notice is read once its link is followed: the unread count in the top bar is what
    still waits for the user."""
    notice = Notice.objects.for_user(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    # Links are written by the product; anything else goes to the list, never off-site.
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect(notice.link)
    return redirect("notices")
