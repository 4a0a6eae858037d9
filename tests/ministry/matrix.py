"""The ministry's rows of the URL × persona matrix (tests/test_permissions.py merges them):
only the region's administrator and reviewer start the package; only 民政部 staff import
and read."""

REGION = {"region_admin", "reviewer", "superuser"}
MINISTRY = {"ministry"}


def package(f):
    """An imported package (rows and files as an import leaves them), made once per test."""
    if "ministry_package" not in f:
        from datetime import date

        from django.utils import timezone

        from campaigndesk.ministry.models import ProvinceBrief, ProvincePackage, ProvincePhoto
        from campaigndesk.ministry.services import thumb_path
        from campaigndesk.units.models import User
        from tests.articles.conftest import jpeg

        # The walk's 民政部 persona; other walks over the matrix (the second-factor gate,
        # junk parameters) have no such persona, so the account is made when missing.
        by = User.objects.filter(username="ministry-staff").first() or \
            User.objects.create_user("ministry-staff", role="ministry")
        made = ProvincePackage.objects.create(
            province_code="150000", province_name="内蒙古自治区", year=2022,
            campaign_title="2022年社会工作主题宣传活动", start_date=date(2022, 3, 17),
            end_date=date(2022, 3, 31), format_version=1, created_at=timezone.now(),
            sha256="0" * 64, size_bytes=1, imported_by=by, summary_key="a" * 32,
            summary_suffix=".docx")
        made.summary_path.parent.mkdir(parents=True, exist_ok=True)
        made.summary_path.write_bytes(b"PK")
        brief = ProvinceBrief.objects.create(package=made, number=1, title="推荐稿件",
                                             unit_code="150100", unit_name="呼和浩特市",
                                             recommended_at=timezone.now())
        photo = ProvincePhoto.objects.create(brief=brief, width=1200, height=800,
                                             size_bytes=10, sha256="0" * 64)
        photo.path.write_bytes(jpeg())
        thumb_path(photo).write_bytes(jpeg(width=480, height=320))
        f["ministry_package"] = made
    return f["ministry_package"]


MINISTRY_MATRIX = {
    # Starts the package as a background job: POST only (its page and file: tests/jobs).
    "campaign_ministry": (lambda f: {"pk": f["campaign"].pk}, REGION, "GET"),
    "ministry_national": (lambda f: {}, MINISTRY, "POST"),
    "ministry_import": (lambda f: {}, MINISTRY, "PUT"),
    "ministry_province": (lambda f: {"pk": package(f).pk}, MINISTRY, "POST"),
    "ministry_summary": (lambda f: {"pk": package(f).pk}, MINISTRY, "POST"),
    "ministry_brief": (lambda f: {"pk": package(f).briefs.get().pk}, MINISTRY, "POST"),
    "ministry_photo": (lambda f: {"pk": package(f).briefs.get().photos.get().pk,
                                  "size": "thumb"}, MINISTRY, "POST"),
}
