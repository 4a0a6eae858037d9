"""The briefs' rows of the URL × persona matrix (tests/test_permissions.py merges them).

Every row is walked on one brief of 呼和浩特市 (150100), accepted and published on the
website, with two photos; it is made on first use inside the test's transaction.
"""

from datetime import date

EVERYONE = {"region_admin", "reviewer", "auditor", "reporter", "other_reporter", "hulunbuir",
            "manzhouli", "superuser", "no_role", "security_admin"}
REGION = {"region_admin", "reviewer", "superuser"}
WRITERS = {"region_admin", "superuser", "reporter"}
READERS = REGION | {"reporter"}


def brief(f):
    """The published brief of 150100, made once per test."""
    if "brief" not in f:
        from campaigndesk.articles import services
        from campaigndesk.articles.models import Channel
        from campaigndesk.units.models import User

        from .conftest import BODY, TITLE, jpeg

        reporter = User.objects.get(username="150100")
        reviewer = User.objects.get(username="reviewer")
        article = services.create_article(reporter, campaign=f["campaign"],
                                          unit=f["units"]["150100"], title=TITLE, body=BODY)
        for n in (1, 2):
            services.add_photo(reporter, article, jpeg(shapes=n * 13), caption=f"现场{n}")
        services.submit_article(reporter, article)
        services.accept_article(reviewer, article)
        services.publish_article(reviewer, article, Channel.WEBSITE, date(2022, 3, 25))
        f["brief"] = article
    return f["brief"]


def _in_campaign(f):
    return {"campaign_pk": f["campaign"].pk, "code": "150100"}


def notice(f):
    """A notice to 150100 about its brief (made by the brief's submission)."""
    from campaigndesk.articles.models import Notice

    return Notice.objects.filter(unit=brief(f).unit).first()


def photo(f):
    return brief(f).photos.first()


ARTICLE_MATRIX = {
    "articles_home": (lambda f: {}, REGION | {"reporter", "other_reporter", "hulunbuir",
                                              "manzhouli"}, None),
    # Old addresses without the campaign: GET redirects to the unit's most urgent campaign.
    "unit_articles": (lambda f: {"code": "150100"}, READERS, "POST"),
    "article_create": (lambda f: {"code": "150100"}, WRITERS, "POST"),
    "campaign_unit_articles": (_in_campaign, READERS, "POST"),
    "campaign_article_create": (_in_campaign, WRITERS, "PUT"),
    "campaign_article_import": (_in_campaign, WRITERS, "GET"),
    "article_detail": (lambda f: {"pk": brief(f).pk}, READERS, None),
    "article_edit": (lambda f: {"pk": brief(f).pk}, WRITERS, "PUT"),
    "article_check": (lambda f: {"pk": brief(f).pk}, WRITERS, "GET"),
    "article_submit": (lambda f: {"pk": brief(f).pk}, WRITERS, "GET"),
    "photo_add": (lambda f: {"pk": brief(f).pk}, WRITERS, "GET"),
    "photo_edit": (lambda f: {"pk": photo(f).pk}, WRITERS, "GET"),
    "photo_file": (lambda f: {"pk": photo(f).pk, "size": "thumb"}, READERS, None),
    "article_comment": (lambda f: {"pk": brief(f).pk}, REGION, "GET"),
    "article_step": (lambda f: {"pk": brief(f).pk, "step": "recommend"}, REGION, "GET"),
    "article_wechat": (lambda f: {"pk": brief(f).pk}, REGION, None),
    "campaign_articles": (lambda f: {"pk": f["campaign"].pk}, REGION, None),
    "campaign_articles_xlsx": (lambda f: {"pk": f["campaign"].pk}, REGION, "POST"),
    "campaign_magazine": (lambda f: {"pk": f["campaign"].pk}, REGION, None),
    "notices": (lambda f: {}, EVERYONE, None),
    # Only the unit's own people read its notices; anyone else gets 404.
    "notice_open": (lambda f: {"pk": notice(f).pk}, {"reporter"}, None),
    "news_index": (lambda f: {}, EVERYONE, None),
    "news_typical": (lambda f: {}, EVERYONE, None),
    "news_unit": (lambda f: {"code": "150100"}, EVERYONE, None),
    "news_article": (lambda f: {"pk": brief(f).pk}, EVERYONE, None),
    "news_photo": (lambda f: {"key": photo(f).key, "size": "thumb"}, EVERYONE, None),
}
# The public news site: no log-in, so no redirect to the log-in page is expected.
ARTICLE_PUBLIC = {"news_index", "news_typical", "news_unit", "news_article", "news_photo"}
