"""Finding a brief or photo for a user: through units.permissions, 404 outside their reach.

POST-only views check the method after access, so that an outsider gets 404 (the object's
existence is not revealed) and an insider using the wrong method gets 405.

A deleted brief, and every photo of it, is gone for its readers: the lookups below leave
them out. Region administrators list and restore deleted briefs through their own lookups
(views_trash).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from campaigndesk.units.permissions import Action, allows, unit_or_404

from .models import Article, Photo


def article_or_404(user, pk: int, action: Action = Action.VIEW_UNIT) -> Article:
    article = get_object_or_404(
        Article.objects.live().select_related("campaign", "unit", "activity", "created_by"),
        pk=pk)
    unit_or_404(user, action, pk=article.unit_id)
    return article


def photo_or_404(user, pk: int, action: Action = Action.VIEW_UNIT) -> Photo:
    photo = get_object_or_404(Photo.objects.filter(article__deleted_at__isnull=True)
                              .select_related("article__campaign", "article__unit"), pk=pk)
    unit_or_404(user, action, pk=photo.article.unit_id)
    return photo


def reviewable_or_404(user, pk: int) -> Article:
    article = article_or_404(user, pk)
    if not allows(user, Action.REVIEW_ARTICLES):
        raise PermissionDenied
    return article


def not_post(request) -> HttpResponseNotAllowed | None:
    return HttpResponseNotAllowed(["POST"]) if request.method != "POST" else None
