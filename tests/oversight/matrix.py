"""The oversight rows of the URL × persona matrix (tests/test_permissions.py merges them).

Walked on the 2022 demo campaign; the final summary of 呼和浩特市 (150100) is made on first
use inside the test's transaction.
"""

EVERYONE = {"region_admin", "reviewer", "auditor", "reporter", "other_reporter", "hulunbuir",
            "manzhouli", "superuser", "no_role", "security_admin"}
REGION = {"region_admin", "reviewer", "superuser"}
REPORTERS = {"reporter", "other_reporter", "hulunbuir", "manzhouli"}


def summary_version(f):
    """A .docx final summary of 150100, one version."""
    if "summary_version" not in f:
        from campaigndesk.oversight import summaries
        from campaigndesk.units.models import User

        from .files import docx_bytes

        deadline = f["campaign"].deadlines.get(kind="summary")
        f["summary_version"] = summaries.submit_summary(
            User.objects.get(username="150100"), deadline, f["units"]["150100"],
            text="呼和浩特市活动总结", upload=summaries.Upload("总结.docx", docx_bytes()))
    return f["summary_version"]


def manual_run(f):
    """One 催报 of the first deadline (every unit but 150100 is missing)."""
    if "manual_run" not in f:
        from campaigndesk.oversight import manual

        deadline = f["campaign"].deadlines.order_by("due_at").first()
        f["manual_run"] = manual.remind_now(None, deadline)
    return f["manual_run"]


def _campaign(f):
    return {"pk": f["campaign"].pk}


OVERSIGHT_MATRIX = {
    "campaign_dashboard": (_campaign, REGION | REPORTERS, None),
    "dashboard_xlsx": (_campaign, REGION | REPORTERS, None),
    "campaign_remind": (_campaign, REGION, "PUT"),
    "remind_result": (lambda f: {"pk": f["campaign"].pk, "run": manual_run(f).pk}, REGION,
                      None),
    "reminder_log": (_campaign, REGION, "PUT"),
    "campaign_summaries": (_campaign, REGION, None),
    # Both started as background jobs by a POST (tests/jobs/matrix.py: the job's pages).
    "summary_draft": (_campaign, REGION, "GET"),
    "summaries_zip": (_campaign, REGION, "GET"),
    "unit_summary": (lambda f: {"campaign_pk": f["campaign"].pk, "code": "150100"},
                     REGION | {"reporter"}, "PUT"),
    "summary_version": (lambda f: {"pk": summary_version(f).pk}, REGION | {"reporter"}, None),
    "summary_file": (lambda f: {"pk": summary_version(f).pk}, REGION | {"reporter"}, None),
    "screen": (lambda f: {}, EVERYONE, None),
    "screen_campaign": (lambda f: {"campaign_pk": f["campaign"].pk}, EVERYONE, None),
    "screen_data": (lambda f: {"campaign_pk": f["campaign"].pk}, EVERYONE, None),
}
# No log-in: the screen display is for LED walls and TVs.
OVERSIGHT_PUBLIC = {"screen", "screen_campaign", "screen_data"}
