from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "campaigndesk.places"
    verbose_name = _("服务场所")

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
