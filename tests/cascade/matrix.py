"""The cascade's URLs in the permission matrix (tests/test_permissions.py), the two personas
of issue 17 and what they may open beyond the matrix's other personas.

county_reporter: 新城区 (150100-01), a member of 呼和浩特市's cascade in the walked campaign.
league_reviewer: the 盟市审核员 of 呼和浩特市 (reads its subtree, reviews county briefs,
reminds; writes none of its data)."""

from datetime import timedelta

from campaigndesk.campaigns.cascade import open_cascade
from campaigndesk.units import accounts
from campaigndesk.units.models import Role

REGION = {"region_admin", "reviewer", "superuser"}
BUREAU = {"reporter", "league_reviewer"}


def _bureau(f):
    return {"campaign_pk": f["campaign"].pk, "code": "150100"}


def _brief(f):
    return {"pk": f["county_brief"].pk}


CASCADE_MATRIX = {
    # The bureau's page; the region reads it as its drill-down from the bureau.
    "cascade_home": (_bureau, REGION | {"reporter"}, "POST"),
    "cascade_setup": (_bureau, {"reporter"}, "PUT"),
    "cascade_accounts": (_bureau, {"reporter"}, "PUT"),
    "cascade_remind": (_bureau, {"reporter"}, "GET"),
    "cascade_xlsx": (_bureau, REGION | {"reporter"}, "POST"),
    "article_forward": (_brief, {"reporter"}, "GET"),
    "article_bureau_return": (_brief, {"reporter"}, "GET"),
}

# url name -> the issue-17 personas it admits (the others get 403/404, as everyone else).
# The 盟市审核员 reads what its bureau's reporter reads (VIEW_UNIT on its subtree) and writes
# nothing of it: the GET of a write page that only shows a form or redirects is a read too.
_LEAGUE_READS = {"unit_home", "campaign_unit_home", "unit_progress", "campaign_unit_progress",
                 "report_detail", "report_version", "report_diff", "report_xlsx",
                 "articles_home", "article_detail", "campaign_dashboard", "dashboard_xlsx",
                 "campaign_unit_articles", "unit_articles", "unit_summary", "summary_version",
                 "summary_file", "photo_file", "notice_open", "unit_mail", "intake_attachment",
                 "intake_file", "intake_message", "unit_places", "places_export",
                 "places_template", "unit_posters"}
# 新城区's own pages: the walk's service place is one of 新城区's (tests/places/matrix.py).
_COUNTY_OWN = {"place_edit", "place_delete", "place_poster", "place_signage", "places_home",
               "signage_photo"}
CASCADE_EXTRA = {name: {"league_reviewer"} for name in _LEAGUE_READS}
CASCADE_EXTRA.update({name: {"county_reporter"} for name in _COUNTY_OWN})
for name in ("place_poster", "places_home", "signage_photo"):  # 新城区's place, read
    CASCADE_EXTRA[name] = CASCADE_EXTRA[name] | {"league_reviewer"}
CASCADE_EXTRA.update({
    "cascade_home": {"league_reviewer"},
    "cascade_remind": {"league_reviewer"},
    "cascade_xlsx": {"league_reviewer"},
    "article_forward": {"league_reviewer"},
    "article_bureau_return": {"league_reviewer"},
    "campaign_progress_template": {"county_reporter", "league_reviewer"},
    # The old address of one's briefs: a county's goes to its own briefs in its campaign.
    "articles_home": {"county_reporter", "league_reviewer"},
})


def open_demo_cascade(campaign, units, bureau_reporter) -> dict:
    """呼和浩特市 opens the campaign to 新城区; the two issue-17 accounts."""
    county = units["150100-01"]
    open_cascade(bureau_reporter, campaign, units["150100"], members=[county],
                 dues={d.pk: d.due_at - timedelta(hours=29) for d in campaign.deadlines.all()})
    county_reporter = accounts.create_account(
        None, username="150100-01", password="County#2022x", role=Role.REPORTER, unit=county)
    league_reviewer = accounts.create_account(
        None, username="150100-review", password="Review#2022x", role=Role.BUREAU_REVIEWER,
        unit=units["150100"])
    for user in (county_reporter, league_reviewer):  # no forced password change in the walk
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    return {"county_reporter": county_reporter, "league_reviewer": league_reviewer}


def county_brief(campaign, units, county_reporter):
    """A brief of 新城区 sent to 呼和浩特市 (state 待盟市审核) with its first version, as a
    submission leaves it: forwarding reads the version's number (a brief in this state
    without one cannot happen, and made a 500 in the junk-parameter walk)."""
    from campaigndesk.articles.models import Article, State

    brief = Article.objects.create(campaign=campaign, unit=units["150100-01"],
                                   title="新城区稿件", body="正文", state=State.FOR_BUREAU,
                                   created_by=county_reporter)
    brief.versions.create(number=1, title=brief.title, body=brief.body, elements={},
                          findings=[], submitted_by=county_reporter,
                          submitted_at=brief.created_at)
    return brief
