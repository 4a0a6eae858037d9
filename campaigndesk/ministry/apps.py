from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinistryConfig(AppConfig):
    name = "campaigndesk.ministry"
    verbose_name = _("民政部")

    def ready(self) -> None:
        from django.urls import reverse

        from campaigndesk.jobs.registry import Kind, register
        from campaigndesk.units.permissions import Action

        from . import package_job

        # Issue 17 point 4: the package (briefs, photos, figures, summary) is zipped by the
        # worker; its page leads back to the review list it was started from.
        register(Kind(package_job.PACKAGE, "推荐至民政部材料包（zip）",
                      Action.EXPORT_MINISTRY_PACKAGE, package_job.run_package_job,
                      back=lambda job: reverse("campaign_articles", args=[job.campaign_id])))

    def stored_files(self) -> list[tuple[str, Path]]:
        """(what, path) of every file a row of this app refers to, for the backup's check
        that a restore is complete (security.backups asks every app that has this)."""
        from .models import ProvincePackage, ProvincePhoto

        found = [(f"省级材料包照片 {photo.relative_path}", photo.path)
                 for photo in ProvincePhoto.objects.only("key").iterator()]
        found += [(f"省级活动总结 {package.summary_relative_path}", package.summary_path)
                  for package in ProvincePackage.objects.exclude(summary_key="")
                  .only("summary_key", "summary_suffix").iterator()]
        return found
