from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinistryConfig(AppConfig):
    name = "campaigndesk.ministry"
    verbose_name = _("民政部")

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
