"""Demo briefs: a few briefs of the demo units in different states, one published on /news/.

Called from campaigndesk.demo.load_demo; photos are drawn by demo_photos (no downloads).
"""

from datetime import date

# Briefs from the proofreading corpus (written for the project), one per line:
# corpus id, where the workflow stops, photo scenes.
DEMO_ARTICLES = [
    ("c01", "published", (0, 1)),
    ("c02", "submitted", (2, 1)),  # its second photo is c01's: the reviewer sees it flagged
    ("c05", "returned", (3, 4)),
    ("c23", "accepted", (5, 6)),
    ("c44", "published", (7, 8)),
    ("c27", "draft", (9,)),
]


def load_demo_articles(campaign) -> None:
    from campaigndesk.proofing.corpus import load_clean
    from campaigndesk.units.models import Unit, User

    from . import services
    from .demo_photos import processed_scene
    from .models import Channel

    briefs = {brief.brief_id: brief for brief in load_clean()}
    reviewer = User.objects.get(username="reviewer")
    for brief_id, stop, scenes in DEMO_ARTICLES:
        brief = briefs[brief_id]
        unit = Unit.objects.get(code=brief.unit)
        reporter = User.objects.get(username=unit.code)
        article = services.create_article(reporter, campaign=campaign, unit=unit,
                                          title=brief.title, body=brief.body)
        for number, picture in enumerate(scenes, start=1):
            services.add_photo(reporter, article, processed_scene(picture),
                               caption=f"{unit.name}活动现场（{number}）",
                               original_name=f"现场照片{number}.jpg")
        if stop == "draft":
            continue
        services.submit_article(reporter, article, justification="演示数据")
        if stop == "submitted":
            continue
        if stop == "returned":
            services.add_comment(reviewer, article, start=0, end=min(10, len(article.body)),
                                 text="请写明活动的具体时间和地点")
            services.return_article(reviewer, article, reason="请补充活动成效的具体数字")
            continue
        services.accept_article(reviewer, article)
        if stop == "published":
            services.select_typical(reviewer, article)
            services.publish_article(reviewer, article, Channel.WEBSITE, date(2022, 3, 22))
            services.publish_article(reviewer, article, Channel.WECHAT, date(2022, 3, 23))
            services.recommend_to_ministry(reviewer, article)
