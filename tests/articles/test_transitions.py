"""Each named transition: from which states, by whom, with its audit entry and notices."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from campaigndesk.articles import services
from campaigndesk.articles.models import Article, Channel, Notice, State
from campaigndesk.audit.models import AuditEntry

from .conftest import BODY, TITLE

pytestmark = pytest.mark.django_db
REVIEWERS = ("reviewer", "region_admin", "superuser")
NOT_REVIEWERS = ("reporter", "other_reporter", "auditor", "no_role", "hulunbuir")


def fresh(article):
    return Article.objects.get(pk=article.pk)


def entries(action):
    return AuditEntry.objects.filter(action=action)


def test_submit_freezes_version_audits_and_notifies(draft, personas,
                                                    django_capture_on_commit_callbacks):
    reporter = personas["reporter"]
    reporter.email = "reporter@example.org"
    reporter.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.submit_article(reporter, draft)
    article = fresh(draft)
    assert article.state == State.SUBMITTED and version.number == 1
    assert version.body == BODY and version.title == TITLE
    assert entries("article.submit").filter(object_id=str(article.pk)).count() == 1
    assert Notice.objects.filter(unit=article.unit, text__contains="已报送").exists()
    assert [m.to for m in mail.outbox] == [["reporter@example.org"]]


def test_elements_are_prefilled_by_the_engine(draft):
    assert "3月18日" in draft.time_text
    assert "赛罕区" in draft.place_text
    assert "老年人" in draft.recipients_text
    assert "社工" in draft.participants_text


def test_submit_needs_two_photos(draft, personas):
    draft.photos.first().delete()
    with pytest.raises(services.TransitionRefused, match="至少需要 2 张照片"):
        services.submit_article(personas["reporter"], draft)
    assert fresh(draft).state == State.DRAFT


def test_the_campaign_sets_the_number_of_photos(draft, personas, demo):
    from campaigndesk.campaigns.models import Campaign

    Campaign.objects.filter(pk=demo.pk).update(min_photos=3)
    with pytest.raises(services.TransitionRefused, match="至少需要 3 张照片，目前 2 张"):
        services.submit_article(personas["reporter"], fresh(draft))
    Campaign.objects.filter(pk=demo.pk).update(min_photos=1)
    draft.photos.first().delete()
    services.submit_article(personas["reporter"], fresh(draft))
    assert fresh(draft).state == State.SUBMITTED


def test_open_error_needs_a_justification_the_reviewer_sees(draft, personas):
    reporter = personas["reporter"]
    services.update_draft(reporter, draft, body=BODY.replace("老年人提供", "老年人提供,"))
    with pytest.raises(services.TransitionRefused, match="错误尚未修改"):
        services.submit_article(reporter, draft)
    version = services.submit_article(reporter, draft, justification="原文引用，不作修改")
    assert version.justification == "原文引用，不作修改"
    assert version.open_errors


def test_other_units_reporter_may_not_touch_the_draft(draft, personas):
    for name in ("other_reporter", "manzhouli", "reviewer", "auditor"):
        with pytest.raises(PermissionDenied):
            services.submit_article(personas[name], draft)
        with pytest.raises(PermissionDenied):
            services.update_draft(personas[name], draft, title="改")


@pytest.mark.parametrize("name", NOT_REVIEWERS)
def test_only_reviewers_move_a_brief_past_submitted(submitted, personas, name):
    user = personas[name]
    for step in (lambda a: services.accept_article(user, a),
                 lambda a: services.return_article(user, a, reason="改"),
                 lambda a: services.add_comment(user, a, start=0, end=2, text="意见")):
        with pytest.raises(PermissionDenied):
            step(submitted)
    assert fresh(submitted).state == State.SUBMITTED


@pytest.mark.parametrize("name", REVIEWERS)
def test_reviewers_accept(submitted, personas, name):
    services.accept_article(personas[name], submitted)
    article = fresh(submitted)
    assert article.state == State.ACCEPTED and article.accepted_at
    mine = entries("article.accept").filter(object_id=str(article.pk), actor=personas[name])
    assert mine.count() == 1


def test_return_then_resubmit_keeps_every_version(submitted, personas):
    reviewer, reporter = personas["reviewer"], personas["reporter"]
    services.add_comment(reviewer, submitted, start=0, end=6, text="请写明具体时间")
    with pytest.raises(services.TransitionRefused, match="意见"):
        services.return_article(reviewer, submitted, reason="  ")
    services.return_article(reviewer, submitted, reason="请补充成效")
    assert fresh(submitted).state == State.RETURNED
    services.update_draft(reporter, submitted, body=BODY.replace("200余人次", "230余人次"))
    version = services.resubmit_article(reporter, submitted)
    article = fresh(submitted)
    assert article.state == State.RESUBMITTED and version.number == 2
    assert [v.body for v in article.versions.all()] == [BODY, BODY.replace("200余", "230余")]
    assert article.comments.get().quote == BODY[:6]
    assert Notice.objects.filter(unit=article.unit, text__contains="退回修改").exists()
    # A resubmitted brief is reviewed again like a first submission.
    services.accept_article(reviewer, article)
    assert fresh(article).state == State.ACCEPTED


def test_wrong_state_is_refused(draft, submitted, personas):
    reviewer = personas["reviewer"]
    with pytest.raises(services.TransitionRefused):
        services.submit_article(personas["reporter"], submitted)
    with pytest.raises(services.TransitionRefused):
        services.publish_article(reviewer, submitted, Channel.WEBSITE, date(2022, 3, 25))
    with pytest.raises(services.TransitionRefused):
        services.recommend_to_ministry(reviewer, submitted)
    with pytest.raises(services.TransitionRefused):
        services.resubmit_article(personas["reporter"], submitted)
    with pytest.raises(services.TransitionRefused):
        services.update_draft(personas["reporter"], submitted, title="已报送不能改")


def test_typical_publish_recommend(accepted, personas):
    reviewer = personas["reviewer"]
    services.select_typical(reviewer, accepted)
    assert fresh(accepted).state == State.TYPICAL
    services.publish_article(reviewer, accepted, Channel.WEBSITE, date(2022, 3, 25))
    services.publish_article(reviewer, accepted, Channel.MAGAZINE, date(2022, 4, 10))
    with pytest.raises(services.TransitionRefused, match="已在"):
        services.publish_article(reviewer, accepted, Channel.WEBSITE, date(2022, 3, 26))
    services.recommend_to_ministry(reviewer, accepted)
    article = fresh(accepted)
    assert article.state == State.PUBLISHED and article.is_typical and article.is_recommended
    assert {p.channel: p.date for p in article.publications.all()} == {
        "website": date(2022, 3, 25), "magazine": date(2022, 4, 10)}
    for action in ("article.typical", "article.publish", "article.recommend"):
        assert entries(action).filter(object_id=str(article.pk)).exists()
    for name in NOT_REVIEWERS:
        with pytest.raises(PermissionDenied):
            services.publish_article(personas[name], article, Channel.WECHAT, date(2022, 4, 1))


def test_published_brief_can_still_become_typical(accepted, personas):
    reviewer = personas["reviewer"]
    services.publish_article(reviewer, accepted, Channel.WECHAT, date(2022, 3, 25))
    services.select_typical(reviewer, accepted)
    article = fresh(accepted)
    assert article.state == State.PUBLISHED and article.is_typical


def test_photos_cannot_change_after_submission(submitted, personas):
    from .conftest import jpeg

    with pytest.raises(services.TransitionRefused):
        services.add_photo(personas["reporter"], submitted, jpeg())
    with pytest.raises(services.TransitionRefused):
        services.delete_photo(personas["reporter"], submitted.photos.first())


def test_comment_span_must_lie_in_the_text(submitted, personas):
    with pytest.raises(services.TransitionRefused):
        services.add_comment(personas["reviewer"], submitted, start=5, end=len(BODY) + 3,
                             text="意见")


def test_league_reporter_writes_for_own_unit_only(demo, personas, units):
    with pytest.raises(PermissionDenied):
        services.create_article(personas["hulunbuir"], campaign=demo, unit=units["150781"],
                                title="满洲里", body="")
    article = services.create_article(personas["hulunbuir"], campaign=demo,
                                      unit=units["150700"], title="呼伦贝尔", body="")
    assert article.unit.code == "150700"
