"""The bureau's pages for its cascade (issue 17 point 1). Thin: every rule is in
campaigns.cascade, cascade.services, articles.services; every permission in
units.permissions (FOLLOW_CASCADE to read, RUN_CASCADE to change, REMIND_CASCADE,
REVIEW_CASCADE). The region reads the same page as its drill-down from a bureau."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigndesk.articles import services as articles
from campaigndesk.articles.access import not_post
from campaigndesk.articles.models import Article, State
from campaigndesk.audit.services import record
from campaigndesk.campaigns.cascade import bureau_cascade, open_cascade
from campaigndesk.campaigns.models import Campaign, Cascade
from campaigndesk.core.concurrency import EditConflict
from campaigndesk.formerrors import problems
from campaigndesk.oversight import manual
from campaigndesk.params import whole_number
from campaigndesk.progress.exports import XLSX, _attachment
from campaigndesk.security import masking
from campaigndesk.units.permissions import Action, allows, login_only, unit_or_404

from . import figures, services
from .forms import AccountForm, CascadeForm


def _bureau(request, campaign_pk: int, code: str, action: Action):
    bureau = unit_or_404(request.user, action, code=code)
    campaign = Campaign.objects.filter(pk=campaign_pk, participants=bureau).first()
    if campaign is None:
        raise Http404
    return campaign, bureau


def _cascade_or_404(campaign, bureau) -> Cascade:
    cascade = bureau_cascade(campaign, bureau)
    if cascade is None:
        raise Http404
    return cascade


def _home(campaign, bureau):
    return redirect("cascade_home", campaign_pk=campaign.pk, code=bureau.code)


@login_only
@require_GET
def cascade_home(request, campaign_pk: int, code: str):
    campaign, bureau = _bureau(request, campaign_pk, code, Action.FOLLOW_CASCADE)
    cascade = bureau_cascade(campaign, bureau)
    user = request.user
    context = {"campaign": campaign, "bureau": bureau, "cascade": cascade,
               "can_run": allows(user, Action.RUN_CASCADE, bureau) and not campaign.is_closed}
    if cascade is not None:
        dues, rows, rates = figures.member_matrix(cascade)
        lines = figures.unit_totals(cascade)
        waiting = (Article.objects.live().filter(campaign=campaign, state=State.FOR_BUREAU,
                                                 unit__in=cascade.members.all())
                   .select_related("unit").order_by("submitted_at", "pk"))
        context.update({
            "dues": list(zip(dues, rates, strict=True)), "rows": rows, "lines": lines,
            "total": sum((t for _u, t in lines), figures.Totals()),
            "waiting": waiting,
            "can_remind": allows(user, Action.REMIND_CASCADE, bureau) and not campaign.is_closed,
            "can_review": allows(user, Action.REVIEW_CASCADE, cascade.members.first())
            and user.unit_id == bureau.pk and not campaign.is_closed,
            "remind_text": manual.DEFAULT_TEXT,
        })
    return render(request, "cascade/home.html", context)


@login_only
@require_http_methods(["GET", "POST"])
def cascade_setup(request, campaign_pk: int, code: str):
    campaign, bureau = _bureau(request, campaign_pk, code, Action.RUN_CASCADE)
    cascade = bureau_cascade(campaign, bureau)
    form = CascadeForm(request.POST or None, campaign=campaign, bureau=bureau, cascade=cascade)
    if request.method == "POST" and form.is_valid():
        try:
            open_cascade(request.user, campaign, bureau, members=form.cleaned_data["members"],
                         dues=form.dues(),
                         expected_version=whole_number(request.POST.get("version", "")))
        except EditConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存：参加的旗县区和内部截止时间"))
            return _home(campaign, bureau)
    return render(request, "cascade/setup.html", {
        "campaign": campaign, "bureau": bureau, "cascade": cascade, "form": form,
        "problems": problems(form)})


@login_only
@require_http_methods(["GET", "POST"])
def cascade_accounts(request, campaign_pk: int, code: str):
    campaign, bureau = _bureau(request, campaign_pk, code, Action.RUN_CASCADE)
    cascade = _cascade_or_404(campaign, bureau)
    form = AccountForm(request.POST or None, cascade=cascade)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.add_account(
                request.user, cascade, unit=data["unit"], username=data["username"],
                password=data["password"], role=data["role"], full_name=data["full_name"],
                phone=data["phone"], email=data["email"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:  # the password policy's sentences
                form.add_error("password", exc)
        else:
            messages.success(request, _("已添加账号 %(name)s（%(unit)s），首次登录时须修改密码") % {
                "name": account.username, "unit": account.unit.name})
            return redirect("cascade_accounts", campaign_pk=campaign.pk, code=bureau.code)
    return render(request, "cascade/accounts.html", {
        "campaign": campaign, "bureau": bureau, "cascade": cascade, "form": form,
        "problems": problems(form), "accounts": services.subtree_accounts(cascade)})


@login_only
def cascade_remind(request, campaign_pk: int, code: str):
    campaign, bureau = _bureau(request, campaign_pk, code, Action.REMIND_CASCADE)
    if (refused := not_post(request)) is not None:
        return refused
    cascade = _cascade_or_404(campaign, bureau)
    pk = whole_number(request.POST.get("deadline", ""))
    due = cascade.deadlines.select_related("deadline").filter(deadline_id=pk).first() \
        if pk is not None else None
    if due is None:
        messages.error(request, _("请选择要催报的报送节点"))
        return _home(campaign, bureau)
    try:
        results = services.remind_members(request.user, cascade, due,
                                          text=request.POST.get("text", manual.DEFAULT_TEXT))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _home(campaign, bureau)
    if not results:
        messages.info(request, _("“%(title)s”各旗县区均已报送，无需催报") % {"title": due.title})
    else:
        reached = [unit.name for unit, outcomes in results if any(o.sent for o in outcomes)]
        messages.success(request, _("已向 %(count)s 个未报送的旗县区发送催报：%(names)s") % {
            "count": len(reached), "names": "、".join(reached) or _("（本小时内已催报过）")})
    return _home(campaign, bureau)


@login_only
@require_GET
def cascade_xlsx(request, campaign_pk: int, code: str):
    campaign, bureau = _bureau(request, campaign_pk, code, Action.FOLLOW_CASCADE)
    cascade = _cascade_or_404(campaign, bureau)
    handle = tempfile.TemporaryFile()
    figures.write_workbook(cascade, handle,
                           lambda unit, phone: masking.phone_for(request.user, unit, phone))
    handle.seek(0)
    record(request.user, "progress.export_consolidated", campaign,
           message=_("下载%(bureau)s旗县区汇总表") % {"bureau": bureau.name})
    return _attachment(FileResponse(handle, content_type=XLSX),
                       f"{campaign.title}-{bureau.name}-旗县区汇总表.xlsx")


def _article_for_bureau(request, pk: int) -> Article:
    article = get_object_or_404(Article.objects.live().select_related("unit", "campaign"),
                                pk=pk)
    unit_or_404(request.user, Action.REVIEW_CASCADE, pk=article.unit_id)
    return article


@login_only
def article_forward(request, pk: int):
    article = _article_for_bureau(request, pk)
    if (refused := not_post(request)) is not None:  # outsiders 404 first, then the method
        return refused
    try:
        articles.forward_article(request.user, article)
    except (articles.TransitionRefused, ValidationError) as exc:
        messages.error(request, str(exc) if isinstance(exc, articles.TransitionRefused)
                       else "；".join(exc.messages))
    else:
        messages.success(request, _("稿件“%(title)s”已转报自治区") % {"title": article.title})
    return redirect("cascade_home", campaign_pk=article.campaign_id, code=request.user.unit.code)


@login_only
def article_bureau_return(request, pk: int):
    article = _article_for_bureau(request, pk)
    if (refused := not_post(request)) is not None:  # outsiders 404 first, then the method
        return refused
    try:
        articles.bureau_return_article(request.user, article,
                                       reason=request.POST.get("reason", ""))
    except (articles.TransitionRefused, ValidationError) as exc:
        messages.error(request, str(exc) if isinstance(exc, articles.TransitionRefused)
                       else "；".join(exc.messages))
    else:
        messages.success(request, _("稿件“%(title)s”已退回修改") % {"title": article.title})
    return redirect("cascade_home", campaign_pk=article.campaign_id, code=request.user.unit.code)
