"""The walk of issue 11 point 2: 呼和浩特市 has sent round 1 of 2022 and keeps a draft in
round 2; then the department copies 2022 into 2023. Every test starts from there."""

import re
from types import SimpleNamespace

import pytest

from campaigndesk.campaigns.services import copy_campaign
from campaigndesk.progress import services
from tests.test_progress_services import row


@pytest.fixture
def walk(demo, personas, units):
    reporter, unit = personas["reporter"], units["150100"]
    first = services.current_report(demo, unit)
    services.save_round(reporter, first, [(None, row("第一轮活动"))])
    services.submit_report(reporter, first, reporter_name="王芳", reporter_phone="13800001234")
    second = services.current_report(demo, unit)
    assert second.deadline.title == "第二次工作进展报送"
    services.save_round(reporter, second, [(None, row("第二轮草稿活动"))])
    new = copy_campaign(personas["region_admin"], demo, year=2023)
    return SimpleNamespace(old=demo, new=new, first=first, second=second, unit=unit)


SWITCHER = re.compile(r'<details class="switcher".*?</details>', re.S)
CAMPAIGN_LINK = re.compile(r'(?:href|action|hx-post|hx-get)="/campaigns/(\d+)/')


def campaigns_linked(page: str) -> set[int]:
    """The campaigns the page's links and forms go to, the top bar's switcher left out
    (it lists the other campaigns on purpose)."""
    return {int(pk) for pk in CAMPAIGN_LINK.findall(SWITCHER.sub("", page))}
