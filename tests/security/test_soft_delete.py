"""Point 14: briefs and submitted reports are never hard-deleted by users; a brief's
deletion is a soft delete with who and why, reversible by a region administrator."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from campaigndesk.articles import services
from campaigndesk.articles.models import Article
from campaigndesk.progress import services as progress
from campaigndesk.progress.models import Report
from campaigndesk.progress.table import ActivityRow
from campaigndesk.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def brief(demo, personas):
    return services.create_article(personas["reporter"], campaign=demo,
                                   unit=Unit.objects.get(code="150100"), title="要删除的稿件",
                                   body="正文")


def test_delete_keeps_the_row_with_who_and_why_and_hides_it(brief, personas, client):
    client.force_login(personas["reporter"])
    response = client.post(reverse("article_delete", kwargs={"pk": brief.pk}),
                           {"reason": "与另一篇重复"})
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.deleted_by == personas["reporter"] and brief.deleted_reason == "与另一篇重复"
    listing = f"/campaigns/{brief.campaign_id}/units/150100/articles/"
    client.get(listing)  # shows (and consumes) the confirmation message
    assert "要删除的稿件" not in client.get(listing).content.decode()
    assert client.get(reverse("article_detail", kwargs={"pk": brief.pk})).status_code == 404
    assert Article.objects.filter(pk=brief.pk).exists()


def test_delete_needs_a_reason(brief, personas, client):
    client.force_login(personas["reporter"])
    client.post(reverse("article_delete", kwargs={"pk": brief.pk}), {"reason": ""})
    brief.refresh_from_db()
    assert brief.deleted_at is None


def test_region_admin_restores(brief, personas, client):
    services.delete_article(personas["reporter"], brief, reason="误删")
    client.force_login(personas["region_admin"])
    listing = client.get(reverse("deleted_articles")).content.decode()
    assert "要删除的稿件" in listing and "误删" in listing
    client.post(reverse("article_restore", kwargs={"pk": brief.pk}))
    brief.refresh_from_db()
    assert brief.deleted_at is None and brief.deleted_by is None


def test_reporters_and_reviewers_cannot_restore(brief, personas, client):
    services.delete_article(personas["reporter"], brief, reason="误删")
    for persona in ("reporter", "reviewer", "auditor", "security_admin"):
        client.force_login(personas[persona])
        assert client.post(reverse("article_restore", kwargs={"pk": brief.pk})
                           ).status_code == 403
    brief.refresh_from_db()
    assert brief.deleted_at is not None


def test_a_deleted_brief_cannot_move_on(brief, personas):
    services.delete_article(personas["reporter"], brief, reason="x")
    with pytest.raises(services.TransitionRefused, match="已删除"):
        services.update_draft(personas["reporter"], brief, title="新标题")


def test_submitted_reports_cannot_be_deleted(demo, units, personas):
    report = progress.current_report(demo, units["150100"])
    progress.save_round(personas["reporter"], report, [(None, ActivityRow(name="活动"))])
    progress.submit_report(personas["reporter"], report, reporter_name="王芳",
                           reporter_phone="13800001234")
    # No URL deletes a report; the database protects it and its frozen versions.
    with pytest.raises(ProtectedError):
        Report.objects.filter(pk=report.pk).delete()
    from tests.test_permissions import all_url_names

    assert not {n for n in all_url_names() if "report" in n and "delete" in n}
