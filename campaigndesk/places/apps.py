from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "campaigndesk.places"
    verbose_name = _("服务场所")

    def ready(self) -> None:
        from django.urls import reverse

        from campaigndesk.jobs.registry import Kind, register
        from campaigndesk.units.permissions import Action

        from .poster_job import KIND, run_posters_job

        # Issue 17: a unit's posters (three PDFs a place) are made in the background.
        register(Kind(KIND, "服务场所海报（.zip）", Action.VIEW_UNIT, run_posters_job,
                      back=lambda job: reverse("unit_places", args=[job.unit.code])
                      + f"?campaign={job.campaign_id}"))

    def stored_files(self) -> list[tuple[str, Path]]:
        """(what, path) of every file a row of this app refers to, for the backup's check
        that a restore is complete (security.backups asks every app that has this)."""
        from campaigndesk.articles import photos

        from .models import Signage

        found = []
        for signage in Signage.objects.only("key").iterator():
            found += [(f"标识照片 {signage.relative_path}",
                       photos.media_path(signage.relative_path)),
                      (f"标识照片缩略图 {signage.thumb_relative_path}",
                       photos.media_path(signage.thumb_relative_path))]
        return found
