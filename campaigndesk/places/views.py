"""The register's pages for units and the region: list, add, edit, delete, .xlsx in and out.
Access through units.permissions only (unit_or_404 / place_or_404)."""

from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigndesk.articles.access import not_post
from campaigndesk.audit.services import record
from campaigndesk.core.concurrency import EditConflict, show_conflict
from campaigndesk.core.textforms import checks_text, say_removed
from campaigndesk.params import whole_number
from campaigndesk.progress import excel_in
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, login_only, unit_or_404

from . import services, xlsx
from .access import campaigns_of, default_campaign, place_or_404, places_of
from .forms import ImportForm, PlaceForm, SignageForm, initial_of
from .models import PosterSize, Signage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = excel_in.Caps().max_bytes_with_pictures


def attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _editable_units(user, unit: Unit) -> list[Unit]:
    return [u for u in Unit.objects.under(unit).active().order_by("report_path", "code")
            if allows(user, Action.EDIT_PLACES, u)]


@login_only
@require_GET
def unit_places(request, code: str):
    """The places of the unit and the units under it, with their posters and signage in the
    chosen campaign (the newest open one by default)."""
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    campaigns = list(campaigns_of(unit))
    chosen = request.GET.get("campaign", "")
    campaign = next((c for c in campaigns if str(c.pk) == chosen), None) or \
        default_campaign(unit)
    places = list(places_of(unit))
    signage = {}
    if campaign is not None:
        signage = {s.place_id: s for s in Signage.objects.filter(campaign=campaign,
                                                                 place__in=places)}
    can_edit = allows(request.user, Action.EDIT_PLACES, unit)
    return render(request, "places/unit_list.html", {
        "unit": unit, "places": [(p, signage.get(p.pk)) for p in places],
        "campaigns": campaigns, "chosen": campaign, "sizes": PosterSize.choices,
        "campaign": campaign,  # the top bar's links stay in it
        "can_edit": can_edit, "import_form": ImportForm(), "signage_form": SignageForm(),
        "campaign_open": campaign is not None and not campaign.is_closed,
    })


def _save(request, form, units, place=None):
    unit = next(u for u in units if u.code == form.cleaned_data["unit"])
    data = services.PlaceData.from_form(form.cleaned_data, unit)
    try:
        if place is None:
            return services.create_place(request.user, data)
        return services.update_place(request.user, place, data,
                                     expected_version=form.cleaned_data.get("version"))
    except EditConflict as exc:
        show_conflict(form, exc)
    except services.PlaceRefused as exc:
        form.add_error("name", str(exc))
    return None


@checks_text
@login_only
@require_http_methods(["GET", "POST"])
def place_create(request, code: str):
    unit = unit_or_404(request.user, Action.EDIT_PLACES, code=code)
    units = _editable_units(request.user, unit)
    form = PlaceForm(request.POST or None, units=units, initial={"unit": unit.code})
    if request.method == "POST" and form.is_valid():
        place = _save(request, form, units)
        if place is not None:
            messages.success(request, _("已登记服务场所“%(name)s”") % {"name": place.name})
            say_removed(request, form.invisible_removed)
            return redirect("unit_places", code=unit.code)
    return render(request, "places/edit.html", {"form": form, "unit": unit, "place": None})


@checks_text
@login_only
@require_http_methods(["GET", "POST"])
def place_edit(request, pk: int):
    place = place_or_404(request.user, pk, Action.EDIT_PLACES)
    home = request.user.unit if request.user.unit_id else None
    if home is None or not home.contains(place.unit):
        home = place.unit
    units = _editable_units(request.user, home)
    form = PlaceForm(request.POST or None, units=units, initial=initial_of(place))
    status = 200
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, units, place)
        if saved is not None:
            messages.success(request, _("已保存"))
            say_removed(request, form.invisible_removed)
            return redirect("place_edit", pk=place.pk)
        status = 409 if form.non_field_errors() else 200
    return render(request, "places/edit.html", {"form": form, "unit": place.unit,
                                                "place": place}, status=status)


@login_only
def place_delete(request, pk: int):
    """The edit page's 删除该场所 asks first: deleting takes the place's signage photos and
    its share of the unit's figures with it, and cannot be undone."""
    place = place_or_404(request.user, pk, Action.EDIT_PLACES)
    if refused := not_post(request):
        return refused
    if request.POST.get("confirm") != "yes":
        return render(request, "places/delete.html", {
            "place": place, "unit": place.unit, "signage": place.signage.count()})
    unit = place.unit
    services.delete_place(request.user, place)
    messages.success(request, _("已删除服务场所“%(name)s”") % {"name": place.name})
    return redirect("unit_places", code=unit.code)


@login_only
@require_GET
def places_template(request, code: str):
    unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    return attachment(HttpResponse(xlsx.template(), content_type=XLSX),
                       "社会工作服务场所登记表（模板）.xlsx")


@login_only
@require_GET
def places_export(request, code: str):
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    record(request.user, "places.export", unit)
    return attachment(HttpResponse(xlsx.export(places_of(unit)), content_type=XLSX),
                       f"{unit.name}-社会工作服务场所登记表.xlsx")


@login_only
def places_import(request, code: str):
    """All or nothing: every row is checked first; one error and nothing is saved."""
    unit = unit_or_404(request.user, Action.EDIT_PLACES, code=code)
    if refused := not_post(request):
        return refused
    back = redirect("unit_places", code=unit.code)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要导入的服务场所登记表（.xlsx）"))
        return back
    upload = form.cleaned_data["file"]
    name = get_valid_filename(Path(upload.name or "").name)[:120] or "upload.xlsx"
    if upload.size > MAX_UPLOAD_BYTES:
        messages.error(request, _("文件过大（%(size).1f MB），上限为 %(limit)s MB") % {
            "size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024})
        return back
    try:
        result = xlsx.read(b"".join(upload.chunks()), _editable_units(request.user, unit))
    except excel_in.UnreadableFile as exc:
        record(request.user, "places.import_refused", unit, changes={"file": name},
               message=str(exc))
        messages.error(request, _("无法读取“%(name)s”：%(error)s") % {"name": name,
                                                                    "error": exc})
        return back
    if result.errors:
        record(request.user, "places.import_refused", unit,
               changes={"file": name, "errors": len(result.errors)})
        return render(request, "places/import_errors.html", {
            "unit": unit, "errors": result.errors, "filename": name}, status=200)
    saved = services.import_places(request.user, result.rows, filename=name)
    messages.success(request, _("已导入：新增 %(created)s 个场所，更新 %(updated)s 个，"
                                "未变 %(unchanged)s 个") % {
        "created": saved.created, "updated": saved.updated, "unchanged": saved.unchanged})
    return back


@login_only
@require_GET
def places_home(request):
    """Where the 服务场所 link leads: the user's unit, or for region users the region (every
    place, since every unit is under it)."""
    user = request.user
    unit = None
    if user.unit_id and allows(user, Action.VIEW_UNIT, user.unit):
        unit = user.unit
    elif allows(user, Action.VIEW_OVERVIEW):
        unit = Unit.objects.filter(reports_to__isnull=True).order_by("pk").first()
    if unit is None:
        raise Http404
    # The top bar's link carries the campaign the user is in, so the register stays in it.
    chosen = whole_number(request.GET.get("campaign"))
    query = f"?campaign={chosen}" if chosen is not None else ""
    return redirect(reverse("unit_places", kwargs={"code": unit.code}) + query)
