"""Demo briefs: a few briefs of the demo units in different states, one published on /news/.

Called from campaigndesk.demo.load_demo; photos are drawn by demo_photos (no downloads).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

# Briefs from the proofreading corpus (written for the project), one per line: corpus id,
# where the workflow stops, photo scenes, and when the unit sent it (March 2022, Beijing
# time) — the demo shows the campaign as it was, not the day `make run` first ran.
DEMO_ARTICLES = [
    ("c01", "published", (0, 1), (3, 19, 10, 30)),
    ("c02", "submitted", (2, 1), (3, 29, 16, 20)),  # its second photo is c01's: flagged
    ("c05", "returned", (3, 4), (3, 24, 11, 5)),
    ("c23", "accepted", (5, 6), (3, 26, 9, 40)),
    ("c44", "published", (7, 8), (3, 20, 14, 0)),
    ("c27", "draft", (9,), (3, 30, 8, 50)),
]


def _at(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2022, month, day, hour, minute, tzinfo=BEIJING)


def load_demo_articles(campaign) -> None:
    from campaigndesk.proofing.corpus import load_clean
    from campaigndesk.units.models import Unit, User

    from . import services
    from .demo_photos import processed_scene
    from .models import Article

    briefs = {brief.brief_id: brief for brief in load_clean()}
    reviewer = User.objects.get(username="reviewer")
    for brief_id, stop, scenes, sent in DEMO_ARTICLES:
        sent_at = _at(*sent)
        brief = briefs[brief_id]
        unit = Unit.objects.get(code=brief.unit)
        reporter = User.objects.get(username=unit.code)
        article = services.create_article(reporter, campaign=campaign, unit=unit,
                                          title=brief.title, body=brief.body)
        for number, picture in enumerate(scenes, start=1):
            services.add_photo(reporter, article, processed_scene(picture),
                               caption=f"{unit.name}活动现场（{number}）",
                               original_name=f"现场照片{number}.jpg")
        last = _play(services, reviewer, reporter, article, stop, sent_at)
        Article.objects.filter(pk=article.pk).update(created_at=sent_at - timedelta(hours=20),
                                                     updated_at=last)


def _play(services, reviewer, reporter, article, stop: str, sent_at: datetime) -> datetime:
    """Take the brief through the workflow up to ``stop``; returns the last step's time."""
    from .models import Channel

    if stop == "draft":
        return sent_at - timedelta(hours=2)
    services.submit_article(reporter, article, justification="演示数据", now=sent_at)
    if stop == "submitted":
        return sent_at
    reviewed = sent_at + timedelta(days=1, hours=2)
    if stop == "returned":
        services.add_comment(reviewer, article, start=0, end=min(10, len(article.body)),
                             text="请写明活动的具体时间和地点")
        services.return_article(reviewer, article, reason="请补充活动成效的具体数字")
        return reviewed
    services.accept_article(reviewer, article, now=reviewed)
    if stop != "published":
        return reviewed
    services.select_typical(reviewer, article, now=reviewed + timedelta(minutes=5))
    services.publish_article(reviewer, article, Channel.WEBSITE, date(2022, 3, 22))
    services.publish_article(reviewer, article, Channel.WECHAT, date(2022, 3, 23))
    recommended = _at(3, 25, 15, 0)
    services.recommend_to_ministry(reviewer, article, now=recommended)
    return recommended
