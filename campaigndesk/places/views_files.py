"""Posters (PDF, one or a unit's .zip) and the photo that confirms the signage is up."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigndesk.articles import photos
from campaigndesk.articles.access import not_post
from campaigndesk.campaigns.services import CLOSED_MESSAGE, CampaignClosed
from campaigndesk.jobs.services import start_job
from campaigndesk.units.models import Unit
from campaigndesk.units.permissions import Action, allows, login_only, unit_or_404

from . import poster_job, posters, services
from .access import campaign_or_404, place_or_404, places_of
from .forms import SignageForm
from .models import Place, PosterSize, Signage
from .views import attachment


def _base(request) -> str:
    return request.build_absolute_uri("/")


@login_only
@require_GET
def place_poster(request, campaign_pk: int, pk: int, size: str):
    place = place_or_404(request.user, pk)
    campaign = campaign_or_404(place.unit, campaign_pk)
    if size not in PosterSize.values:
        raise Http404
    try:
        pdf = posters.render(place, campaign, size, base_url=_base(request))
    except posters.PosterUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    services.note_poster(request.user, place, campaign, size)
    return attachment(HttpResponse(pdf, content_type="application/pdf"),
                      posters.filename(place, size))


@login_only
def unit_posters(request, campaign_pk: int, code: str):
    """Starts the unit's poster bundle as a background job; its page shows the progress and
    offers the .zip. What is refused at once (no place, too many) is said here. POST only;
    access is checked first, so an outsider's GET is 404, not 405."""
    unit = unit_or_404(request.user, Action.VIEW_UNIT, code=code)
    if refused := not_post(request):
        return refused
    campaign = campaign_or_404(unit, campaign_pk)
    count = places_of(unit).count()
    if not count:
        messages.error(request, _("还没有登记服务场所"))
        return redirect("unit_places", code=unit.code)
    if count > poster_job.MAX_ZIP_PLACES:
        messages.error(request, _("场所超过 %(n)s 个，请到下级单位分别下载海报") % {
            "n": poster_job.MAX_ZIP_PLACES})
        return redirect("unit_places", code=unit.code)
    job = start_job(request.user, poster_job.KIND, campaign=campaign, unit=unit,
                    params={"base_url": _base(request)})
    return redirect("job_detail", pk=job.pk)


@login_only
def place_signage(request, campaign_pk: int, pk: int):
    place = place_or_404(request.user, pk, Action.EDIT_PLACES)
    if refused := not_post(request):
        return refused
    campaign = campaign_or_404(place.unit, campaign_pk)
    back = redirect(f"{_list_url(request, place)}?campaign={campaign.pk}")
    form = SignageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择张贴后的现场照片"))
        return back
    upload = form.cleaned_data["image"]
    try:
        data = photos.read_upload(upload)
        services.confirm_signage(request.user, place, campaign, data,
                                 original_name=upload.name or "")
    except photos.PhotoRefused as exc:
        messages.error(request, str(exc))
        return back
    except CampaignClosed:
        messages.error(request, str(CLOSED_MESSAGE))
        return back
    messages.success(request, _("已确认“%(name)s”的标识张贴") % {"name": place.name})
    return back


def _list_url(request, place: Place) -> str:
    """Back to the list the photo was sent from (a league's list shows its counties'
    places), if the user may see it and it holds the place; else the place's own unit."""
    code = request.POST.get("list", "")
    listed = Unit.objects.filter(code=code).first() if code else None
    if listed is not None and allows(request.user, Action.VIEW_UNIT, listed) and \
            Unit.objects.under(listed).filter(pk=place.unit_id).exists():
        return reverse("unit_places", kwargs={"code": listed.code})
    return reverse("unit_places", kwargs={"code": place.unit.code})


@login_only
@require_GET
def signage_photo(request, key: str, size: str):
    signage = get_object_or_404(Signage.objects.select_related("place"), key=key)
    unit_or_404(request.user, Action.VIEW_UNIT, pk=signage.place.unit_id)
    if size not in ("full", "thumb"):
        raise Http404
    path = photos.media_path(signage.relative_path if size == "full"
                             else signage.thumb_relative_path)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
