"""The background jobs' rows of the URL × persona matrix (tests/test_permissions.py merges
them): a job and its file are the asker's alone, here the reviewer's finished workbook."""

EVERYONE = {"region_admin", "reviewer", "auditor", "reporter", "other_reporter", "hulunbuir",
            "manzhouli", "superuser", "no_role", "security_admin"}


def job(f):
    if "job" not in f:
        from campaigndesk.jobs import services
        from campaigndesk.units.models import User

        from .helpers import finish_jobs

        f["job"] = services.start_job(User.objects.get(username="reviewer"),
                                      "progress.consolidated", campaign=f["campaign"])
        finish_jobs()
    return f["job"]


JOBS_MATRIX = {
    # One's own list: every signed-in account has one (empty for most).
    "job_list": (lambda f: {}, EVERYONE, "POST"),
    "job_detail": (lambda f: {"pk": job(f).pk}, {"reviewer"}, "POST"),
    "job_status": (lambda f: {"pk": job(f).pk}, {"reviewer"}, "POST"),
    "job_download": (lambda f: {"pk": job(f).pk}, {"reviewer"}, "POST"),
}
