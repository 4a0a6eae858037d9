"""Every kind moved into the background, made by a real worker process (`run_worker`, the
database queue), gives the file the inline code gives: the poster bundle, the summary draft,
the summaries' .zip. (Mail intake's fetch: test_worker_fetch.py.)"""

import io

import pytest

from campaigndesk.audit.models import AuditEntry
from campaigndesk.jobs import services
from campaigndesk.oversight import draft, summaries, summary_zip
from campaigndesk.places import posters
from campaigndesk.places.access import places_of
from campaigndesk.places.models import PosterPrint
from campaigndesk.units.models import Unit, User
from tests.oversight.files import docx_bytes
from tests.places.builders import make_place

from .helpers import done
from .outputs import contents
from .servers import Worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """One worker for the module's tests (each starts in about two seconds)."""
    started = Worker("", tmp_path_factory.mktemp("worker") / "worker.log")
    yield started
    assert started.stop() == 0


def test_the_poster_bundle_from_the_worker_is_the_inline_zip(worker, demo, personas):
    make_place()
    make_place(name="新城区第二社工室", unit=Unit.objects.get(name="新城区"))
    reporter, unit = personas["reporter"], personas["reporter"].unit
    job = services.start_job(reporter, "places.posters", campaign=demo, unit=unit,
                             params={"base_url": "http://testserver/"})
    made = done(job, worker)
    assert job.filename == "呼和浩特市-服务场所海报.zip"
    inline = io.BytesIO()
    posters.write_unit_zip(inline, list(places_of(unit)), demo, base_url="http://testserver/")
    assert contents(made) == contents(inline.getvalue())
    assert len(contents(made)) == 6
    # Counted as the unit's own posters, as the download did: two places, three sizes.
    assert sorted(PosterPrint.objects.values_list("count", flat=True)) == [1] * 6


@pytest.fixture
def sample_demo(db, settings):
    """The demo with its samples (reports and briefs), as tests/oversight has it."""
    from campaigndesk.campaigns.models import Campaign
    from campaigndesk.demo import load_demo

    settings.DEMO_MODE = True
    load_demo(samples=True)
    return Campaign.objects.get(year=2022)


def test_the_summary_draft_from_the_worker_is_the_inline_draft(worker, sample_demo):
    reviewer = User.objects.get(username="reviewer")
    job = services.start_job(reviewer, "oversight.summary_draft", campaign=sample_demo)
    made = done(job, worker)
    assert job.filename == f"{sample_demo.title}总结（草稿）.docx"
    assert contents(made) == contents(draft.build_draft(sample_demo))
    assert AuditEntry.objects.filter(action="summary.draft", actor=reviewer).exists()


def test_the_summaries_zip_from_the_worker_is_the_inline_zip(worker, demo, personas):
    deadline = summaries.summary_deadlines(demo)[0]
    for code, upload in (("150100", summaries.Upload("总结.docx", docx_bytes("总结正文"))),
                         ("150200", None)):
        user = User.objects.get(username=code)
        summaries.submit_summary(user, deadline, user.unit, text=f"{user.unit.name}总结",
                                 upload=upload)
    job = services.start_job(personas["region_admin"], "oversight.summaries_zip", campaign=demo)
    made = done(job, worker)
    assert (job.filename, job.summary) == (f"{demo.title}-各单位活动总结.zip", "共2份总结")
    inline = io.BytesIO()
    assert summary_zip.write(demo, inline) == 2
    assert contents(made) == contents(inline.getvalue())
    assert "00-报送情况.xlsx" in contents(made)
