"""Deleting a brief (a soft delete with who and why) and restoring it (region admins)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaigndesk.units.permissions import Action, login_only, require

from . import services
from .access import article_or_404, not_post
from .forms import DeleteForm
from .models import Article


@login_only
def article_delete(request, pk: int):
    article = article_or_404(request.user, pk, Action.WRITE_ARTICLES)
    if refused := not_post(request):
        return refused
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写删除原因"))
        return redirect("article_detail", pk=article.pk)
    try:
        services.delete_article(request.user, article, reason=form.cleaned_data["reason"])
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
        return redirect("article_detail", pk=article.pk)
    messages.success(request, _("已删除稿件“%(title)s”；如需恢复请联系自治区管理员") % {
        "title": article.title})
    return redirect("campaign_unit_articles", campaign_pk=article.campaign_id,
                    code=article.unit.code)


@require(Action.RESTORE_DELETED)
def deleted_articles(request):
    articles = (Article.objects.filter(deleted_at__isnull=False)
                .select_related("unit", "deleted_by").order_by("-deleted_at"))
    return render(request, "articles/deleted.html", {"articles": articles})


@require(Action.RESTORE_DELETED)
def article_restore(request, pk: int):
    article = get_object_or_404(Article, pk=pk, deleted_at__isnull=False)
    if refused := not_post(request):
        return refused
    services.restore_article(request.user, article)
    messages.success(request, _("已恢复稿件“%(title)s”") % {"title": article.title})
    return redirect("deleted_articles")
