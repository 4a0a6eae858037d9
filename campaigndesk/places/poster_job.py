"""The unit's poster bundle (.zip of every place's three posters) as a background job: a
league's register of a few hundred places is minutes of WeasyPrint, never a request."""

from typing import IO

from campaigndesk.jobs.registry import Result, Step

from . import posters, services
from .access import places_of
from .models import PosterSize

KIND = "places.posters"
# About a second a place in the worker and ~0.5 MB of PDFs each: 500 places is a job of
# some eight minutes and a .zip of about 250 MB; more is a job for the units below.
MAX_ZIP_PLACES = 500


def run_posters_job(job, out: IO[bytes], step: Step) -> Result:
    """The posters as of now (a place added since the button was pressed is in them), each
    counted and audited as downloaded by the person who asked, as the inline .zip did."""
    unit, campaign = job.unit, job.campaign
    places = list(places_of(unit)[:MAX_ZIP_PLACES])
    if not places:
        raise ValueError("该单位还没有登记服务场所")
    step(0, f"共{len(places)}个场所，每个场所生成A4、A3和展板三种海报")
    posters.write_unit_zip(out, places, campaign, base_url=job.params["base_url"], step=step)
    for place in places:
        for size in PosterSize.values:
            services.note_poster(job.requested_by, place, campaign, size)
    return Result(f"{unit.name}-服务场所海报.zip")
