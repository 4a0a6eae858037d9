"""The region's side: comments, the named steps, the review queue and the outputs."""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign
from campaigndesk.params import whole_number, whole_numbers
from campaigndesk.progress.exports import XLSX
from campaigndesk.units.permissions import Action, require

from . import outputs, review_list, services
from .access import not_post, reviewable_or_404
from .counts import totals, unit_counts
from .forms import CommentForm, PublishForm, ReturnForm
from .models import ACCEPTED_STATES, Article, Channel, State
from .review_list import ListFilters


@require(Action.REVIEW_ARTICLES)
def article_comment(request, pk: int):
    article = reviewable_or_404(request.user, pk)
    if refused := not_post(request):
        return refused
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请先在正文中选中文字，再填写意见"))
        return redirect("article_detail", pk=article.pk)
    try:
        services.add_comment(request.user, article, **form.cleaned_data)
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("意见已添加"))
    return redirect("article_detail", pk=article.pk)


def _publish(by, article, post):
    form = PublishForm(post)
    if not form.is_valid():
        raise services.TransitionRefused(_("请选择发布渠道并填写发布日期"))
    services.publish_article(by, article, form.cleaned_data["channel"],
                             form.cleaned_data["date"])


def _return(by, article, post):
    form = ReturnForm(post)
    if not form.is_valid():
        raise services.TransitionRefused(_("请填写退回修改意见"))
    services.return_article(by, article, reason=form.cleaned_data["reason"])


def _confirmed(post) -> int:
    """The open errors the reviewer ticked as seen (the box carries their number), 0 if
    not ticked."""
    return whole_number(post.get("open_errors_confirmed")) or 0


STEPS = {
    "return": (_return, gettext_lazy("已退回修改")),
    "accept": (lambda by, a, post: services.accept_article(
        by, a, open_errors_confirmed=_confirmed(post)), gettext_lazy("已采用")),
    "typical": (lambda by, a, post: services.select_typical(by, a),
                gettext_lazy("已评为典型案例")),
    "publish": (_publish, gettext_lazy("已发布")),
    "recommend": (lambda by, a, post: services.recommend_to_ministry(
        by, a, open_errors_confirmed=_confirmed(post)),
                  gettext_lazy("已推荐至民政部")),
}


@require(Action.REVIEW_ARTICLES)
def article_step(request, pk: int, step: str):
    article = reviewable_or_404(request.user, pk)
    if refused := not_post(request):
        return refused
    if step not in STEPS:
        return HttpResponse(status=404)
    run, done = STEPS[step]
    try:
        run(request.user, article, request.POST)
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done))
    return redirect("article_detail", pk=article.pk)


@require(Action.REVIEW_ARTICLES)
def campaign_articles(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    filters = ListFilters.from_query(request.GET)
    return render(request, "articles/campaign_list.html", {
        "campaign": campaign,
        "articles": review_list.briefs(campaign, filters),
        "states": [c for c in State.choices if c[0] != State.DRAFT],
        "filters": filters,
        "query": filters.query(),
        "units": campaign.participants.order_by("code"),
        "counts": _counts(campaign),
        "accepted": Article.objects.live().filter(campaign=campaign, state__in=ACCEPTED_STATES)
        .select_related("unit").order_by("unit__code", "pk"),
    })


@require(Action.REVIEW_ARTICLES)
@require_GET
def campaign_articles_xlsx(request, pk: int):
    """The list as filtered on the page, every row, as .xlsx."""
    campaign = get_object_or_404(Campaign, pk=pk)
    filters = ListFilters.from_query(request.GET)
    out = io.BytesIO()
    count = review_list.write_list(out, campaign, filters)
    record(request.user, "article.list_export", campaign, changes={"articles": count},
           message=f"导出稿件列表（Excel）：{filters.describe(campaign)}")
    return _download(out.getvalue(), f"{campaign.title}-宣传稿件列表.xlsx", XLSX)


def _counts(campaign) -> dict:
    rows = unit_counts(campaign)
    return {"rows": rows, "total": totals(rows), "channels": Channel.choices}


@require(Action.REVIEW_ARTICLES)
def article_wechat(request, pk: int):
    """The WeChat layout: shown to copy, or (?download=html) as an .html file to keep."""
    article = reviewable_or_404(request.user, pk)
    html = outputs.wechat_html(article, request.build_absolute_uri)
    if request.GET.get("download") == "html":
        record(request.user, "article.wechat_download", article,
               message="下载微信公众号排版（HTML）")
        return _download(outputs.wechat_page(article, html).encode("utf-8"),
                         f"{outputs.safe_name(article.title)}-微信排版.html",
                         "text/html; charset=utf-8")
    return render(request, "articles/wechat.html", {"article": article, "html": html})


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = outputs.attachment(filename)
    return response


@require(Action.REVIEW_ARTICLES)
def campaign_magazine(request, pk: int):
    """The selected briefs (ticked on the review page; by default the typical cases)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    chosen = Article.objects.live().filter(campaign=campaign, state__in=ACCEPTED_STATES)
    ids = whole_numbers(request.GET.getlist("ids"))
    chosen = chosen.filter(pk__in=ids) if ids else chosen.filter(typical_at__isnull=False)
    chosen = list(chosen.select_related("unit").prefetch_related("photos", "publications")
                  .order_by("unit__code", "pk"))
    if not chosen:
        messages.error(request, _("没有选中可编入杂志的稿件（已采用的稿件）"))
        return redirect("campaign_articles", pk=campaign.pk)
    data = outputs.magazine_docx(campaign, chosen)
    # Downloads of briefs (names, places, people) are audited like other exports.
    record(request.user, "article.export", campaign, changes={"articles": len(chosen)},
           message="下载杂志稿件汇编")
    return _download(data, f"{campaign.title}-杂志稿件汇编-{timezone.localdate():%Y%m%d}.docx",
                     outputs.DOCX_TYPE)
