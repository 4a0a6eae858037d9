"""Every kind moved into the background, made by a real worker process (`run_worker`, the
database queue), gives the file the inline code gives: the poster bundle, the summary draft,
the summaries' .zip, the package for 民政部. (Mail intake's fetch: test_worker_fetch.py.)"""

import io
import json

import pytest

from campaigndesk.audit.models import AuditEntry
from campaigndesk.jobs import services
from campaigndesk.ministry.export import build_package
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


def test_the_ministry_package_from_the_worker_is_the_inline_package(worker, demo, personas):
    from campaigndesk.articles.services import recommend_to_ministry
    from tests.articles.matrix import brief

    recommend_to_ministry(personas["reviewer"], brief({"campaign": demo, "units": {
        "150100": Unit.objects.get(code="150100")}}))
    job = services.start_job(personas["reviewer"], "ministry.package", campaign=demo)
    made = done(job, worker)
    assert job.filename.startswith(f"{demo.title}-推荐至民政部-")
    inline = build_package(demo, exported_by="reviewer")
    # The manifest says when it was made; the files it lists agree, with their checksums but
    # the Word files' (a .docx carries the moment it was written; compared above without it).
    ours, theirs = contents(made), contents(inline)
    manifests = [json.loads(files.pop("manifest.json")) for files in (ours, theirs)]
    assert ours == theirs and len([n for n in ours if n.endswith(".jpg")]) == 2
    listed = [[(f["path"], f["media_type"], f["path"].endswith(".docx") or f["sha256"])
               for f in manifest["files"]] for manifest in manifests]
    assert listed[0] == listed[1]
    assert manifests[0]["producer"]["exported_by"] == "reviewer"
    assert AuditEntry.objects.filter(action="article.ministry_package",
                                     actor=personas["reviewer"]).exists()
