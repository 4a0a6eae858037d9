"""The ministry's pages (issue 17 point 2) and the start of the region's package (a job)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigndesk.audit.services import record
from campaigndesk.campaigns.models import Campaign
from campaigndesk.jobs.services import start_job
from campaigndesk.params import whole_number
from campaigndesk.units.permissions import Action, allows, require

from . import national as figures
from . import package_job
from .export import recommended_briefs
from .models import ProvinceBrief, ProvincePackage, ProvincePhoto
from .reading import PackageRefused
from .services import import_package, thumb_path


@require(Action.EXPORT_MINISTRY_PACKAGE)
@require_POST
def campaign_ministry(request, pk: int):
    """Starts the package as a background job; its page shows the progress and offers it.
    With nothing recommended there is nothing to make: said on the review list at once."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if not recommended_briefs(campaign):
        messages.error(request, _("还没有推荐至民政部的稿件"))
        return redirect("campaign_articles", pk=campaign.pk)
    job = start_job(request.user, package_job.PACKAGE, campaign=campaign)
    return redirect("job_detail", pk=job.pk)


@require_GET
@require(Action.VIEW_NATIONAL)
def national(request):
    years = figures.years()
    year = whole_number(request.GET.get("year"))
    if year not in years:
        year = years[0] if years else None
    return render(request, "ministry/national.html", {
        "view": figures.national(year), "years": years,
        "may_import": allows(request.user, Action.IMPORT_PROVINCE_PACKAGES)})


@require_http_methods(["GET", "POST"])
@require(Action.IMPORT_PROVINCE_PACKAGES)
def import_page(request):
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("package")
        if upload is None:
            error = _("请选择要导入的省级材料包（.zip）")
        else:
            try:
                package = import_package(request.user, upload.read(),
                                         file_name=upload.name or "")
            except PackageRefused as exc:
                error = _("未导入：%(reason)s") % {"reason": exc}
            else:
                messages.success(request, _("已导入%(province)s的材料包（%(title)s）") % {
                    "province": package.province_name, "title": package.campaign_title})
                return redirect("ministry_province", pk=package.pk)
    return render(request, "ministry/import.html", {
        "error": error, "max_mb": settings.REQUEST_MAX_BYTES // 1024 // 1024,
        "packages": ProvincePackage.objects.select_related("imported_by")
        .order_by("-year", "province_code")})


@require_GET
@require(Action.VIEW_NATIONAL)
def province(request, pk: int):
    package = get_object_or_404(ProvincePackage, pk=pk)
    rounds, table = figures.unit_round_table(package)
    return render(request, "ministry/province.html", {
        "package": package, "rounds": rounds, "table": table,
        "total": figures.package_totals(package),
        "briefs": package.briefs.prefetch_related("photos")})


@require_GET
@require(Action.VIEW_NATIONAL)
def brief(request, pk: int):
    item = get_object_or_404(ProvinceBrief.objects.select_related("package"), pk=pk)
    return render(request, "ministry/brief.html", {"brief": item,
                                                   "paragraphs": item.body.splitlines()})


@require_GET
@require(Action.VIEW_NATIONAL)
def photo(request, pk: int, size: str):
    item = get_object_or_404(ProvincePhoto.objects.select_related("brief__package"), pk=pk)
    if size not in ("full", "thumb"):
        raise Http404
    path = item.path if size == "full" else thumb_path(item)
    if not path.is_file():
        raise Http404
    if size == "full":  # the original, as with the region's own photos
        record(request.user, "ministry.photo_download", item.brief.package,
               changes={"brief": item.brief.title, "photo": item.key})
    return FileResponse(path.open("rb"), content_type="image/jpeg")


@require_GET
@require(Action.VIEW_NATIONAL)
def summary_file(request, pk: int):
    package = get_object_or_404(ProvincePackage, pk=pk)
    if not package.summary_key or not package.summary_path.is_file():
        raise Http404
    record(request.user, "ministry.summary_download", package)
    return FileResponse(package.summary_path.open("rb"), as_attachment=True,
                        filename=f"{package.province_name}-{package.campaign_title}-活动总结"
                                 f"{package.summary_suffix}")
