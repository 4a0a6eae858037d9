"""One source each for amounts in yuan, the 填报人 checks and the grid's vocabulary."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigndesk.progress import services
from campaigndesk.progress.exports import round_table
from campaigndesk.progress.table import Totals, fen_to_yuan
from campaigndesk.progress.templatetags.progress_tags import yuan
from tests.test_progress_web import GOOD, grid_post, grid_url


@pytest.mark.parametrize(("fen", "text"), [
    (0, "0.00"), (5, "0.05"), (4000, "40.00"), (123456789, "1,234,567.89"),
    (-5, "-0.05"), (-150, "-1.50"), (-123456789, "-1,234,567.89"),
])
def test_fen_to_yuan_and_the_yuan_filter_agree(fen, text):
    assert fen_to_yuan(fen) == text
    assert yuan(fen) == text


def test_the_yuan_filter_shows_nothing_as_zero():
    assert yuan(None) == "0.00"


def test_reporter_errors_name_each_field():
    assert services.reporter_errors("王芳", "138 0000 1234") == {}
    errors = services.reporter_errors("  ", "12345")
    assert errors == {
        "reporter_name": ["请填写填报人"],
        "reporter_phone": ["手机号码“12345”不正确：应为11位大陆手机号，如 13800001234"],
    }


def test_submit_report_refuses_with_the_same_errors(demo, units, personas):
    campaign = demo
    report = services.current_report(campaign, units["150100"])
    with pytest.raises(ValidationError) as caught:
        services.submit_report(personas["reporter"], report, reporter_name="",
                               reporter_phone="12345")
    assert caught.value.message_dict == services.reporter_errors("", "12345")


def _vocabulary_queries(queries) -> int:
    """Reads of a campaign's lists (the activities' own tags are another query)."""
    return sum(1 for q in queries if 'FROM "campaigns_vocabularyitem" WHERE' in q["sql"]
               and '"campaigns_vocabularyitem"."campaign_id"' in q["sql"])


def test_the_grid_reads_the_vocabulary_once(demo, personas, as_user):
    client = as_user(personas["reporter"])
    assert client.post(grid_url(demo), grid_post([GOOD])).status_code == 302
    with CaptureQueriesContext(connection) as get:
        assert client.get(grid_url(demo)).status_code == 200
    assert _vocabulary_queries(get.captured_queries) == 1
    bad = list(GOOD)
    bad[2] = "十二人"
    # Checked and sent back unsaved (a wrong 手机号码 on submission): the checks read once.
    with CaptureQueriesContext(connection) as post:
        assert client.post(grid_url(demo), grid_post(
            [bad], action="submit", reporter_name="王芳", reporter_phone="1")).status_code == 400
    assert _vocabulary_queries(post.captured_queries) == 1


def test_the_campaign_total_is_the_units_cumulative_sum(demo, personas, as_user):
    client = as_user(personas["reporter"])
    assert client.post(grid_url(demo), grid_post([GOOD, GOOD])).status_code == 302
    # Saved, not sent: nothing counts yet, and the draft is shown apart.
    assert round_table(demo)["total"] == Totals()
    assert round_table(demo)["drafts"].activities == 2
    report = services.current_report(demo, personas["reporter"].unit)
    services.submit_report(personas["reporter"], report, reporter_name="王芳",
                           reporter_phone="13800001234")
    table = round_table(demo)
    assert table["total"] == services.totals(
        services.Activity.objects.live().filter(campaign=demo))
    assert table["total"].activities == 2 and table["total"] != Totals()
    assert table["round_sums"][0][0] == table["total"] and table["drafts"] == Totals()
