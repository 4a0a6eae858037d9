from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "campaigndesk.articles"
    verbose_name = _("宣传稿件")

    def stored_files(self) -> list[tuple[str, Path]]:
        """(what, path) of every file a row of this app refers to, for the backup's check
        that a restore is complete (security.backups asks every app that has this)."""
        from . import photos
        from .models import Photo

        found = []
        for photo in Photo.objects.only("key").iterator():
            found += [(f"照片 {photo.relative_path}", photos.media_path(photo.relative_path)),
                      (f"照片缩略图 {photo.thumb_relative_path}",
                       photos.media_path(photo.thumb_relative_path))]
        return found
