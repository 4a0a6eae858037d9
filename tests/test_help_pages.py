"""使用说明 (issue 13 point 10): a page per role, from the top bar, with the reader's own
campaign's deadlines, and links that open for whoever reads them.

Decided here: /help/ (the general page) needs no log-in and shows no data; the three role
pages need a log-in (anonymous visitors are sent to the log-in page) and any signed-in
user may read all three.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.urls import reverse

from campaigndesk.campaigns import services as campaign_services
from campaigndesk.units.models import Unit

ROLE_PAGES = ["help_reporter", "help_reviewer", "help_admin"]
ALL_PAGES = ["help", *ROLE_PAGES]
# The page the top bar's 使用说明 opens for each persona of tests/conftest.py.
OWN_PAGE = {
    "reporter": "help_reporter", "other_reporter": "help_reporter",
    "hulunbuir": "help_reporter", "manzhouli": "help_reporter",
    "reviewer": "help_reviewer",
    "region_admin": "help_admin", "superuser": "help_admin",
    "auditor": "help", "security_admin": "help", "no_role": "help",
}
TITLES = {"help": "总览", "help_reporter": "单位填报员", "help_reviewer": "自治区审核员",
          "help_admin": "自治区管理员"}
BEIJING = ZoneInfo("Asia/Shanghai")


def _doc(response):
    return lxml.html.fromstring(response.content.decode())


def _help_links(response) -> list[str]:
    """The addresses the help text links to (the top bar and in-page anchors aside)."""
    hrefs = _doc(response).xpath('//article[@id="help"]//a/@href')
    return sorted({h for h in hrefs if not h.startswith("#")})


def test_the_top_bar_link_is_the_last_and_opens_the_readers_page(demo, personas, client):
    for persona, user in personas.items():
        client.force_login(user)
        doc = _doc(client.get(reverse("password_change")))  # a page every account opens
        nav_links = doc.xpath('//header[@class="top"]//nav/a')
        assert nav_links[-1].get("id") == "nav-help", persona
        assert nav_links[-1].text_content() == "使用说明"
        assert nav_links[-1].get("href") == reverse(OWN_PAGE[persona]), persona
        page = client.get(nav_links[-1].get("href"))
        assert page.status_code == 200
        heading = _doc(page).xpath("//h1")[0].text_content()
        assert heading == f"使用说明 · {TITLES[OWN_PAGE[persona]]}", persona
        client.logout()


def test_on_a_campaign_page_the_link_keeps_the_campaign(demo, personas, client):
    client.force_login(personas["reporter"])
    page = client.get(reverse("campaign_unit_home", args=[demo.pk, "150100"]))
    link = _doc(page).get_element_by_id("nav-help").get("href")
    assert link == f"{reverse('help_reporter')}?campaign={demo.pk}"
    client.force_login(personas["reviewer"])
    page = client.get(reverse("campaign_overview", args=[demo.pk]))
    assert _doc(page).get_element_by_id("nav-help").get("href") == \
        f"{reverse('help_reviewer')}?campaign={demo.pk}"


@pytest.mark.parametrize("name", ROLE_PAGES)
def test_every_role_page_opens_for_every_signed_in_user(name, demo, personas, client):
    for persona, user in personas.items():
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 200, persona
        doc = _doc(response)
        assert doc.xpath("//h1")[0].text_content() == f"使用说明 · {TITLES[name]}"
        # The tabs lead to the other roles' pages and mark the reader's own.
        tabs = {a.get("href").split("?")[0]: a.text_content()
                for a in doc.xpath('//nav[@id="help-tabs"]/a')}
        assert set(tabs) == {reverse(n) for n in ALL_PAGES}
        mine = [href for href, label in tabs.items() if "（您的角色）" in label]
        own = OWN_PAGE[persona]
        assert mine == ([] if own == "help" else [reverse(own)]), persona
        client.logout()


def test_signed_out_the_general_page_opens_and_the_role_pages_ask_for_a_log_in(demo, client):
    login = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("help")}"' in login  # the log-in page links the general page
    response = client.get(reverse("help"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "谁做什么" in text and demo.title not in text  # generic text, no campaign
    for name in ROLE_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_post_is_not_allowed(name, demo, personas, client):
    client.force_login(personas["reporter"])
    assert client.post(reverse(name)).status_code == 405
    assert client.put(reverse(name)).status_code == 405
    client.logout()
    assert client.post(reverse("help")).status_code == 405


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_link_in_the_help_opens_for_its_reader(name, demo, personas, client):
    """A help page never points its reader at a page that refuses them: each link, followed
    as that reader, answers 200 or a redirect inside the site (never to the log-in page)."""
    checked = {}
    for persona, user in personas.items():
        client.force_login(user)
        links = _help_links(client.get(reverse(name)))
        for url in links:
            response = client.get(url)
            assert response.status_code in {200, 302}, (persona, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/"), (persona, url)
                assert not response["Location"].startswith(reverse("login")), (persona, url)
        checked[persona] = links
        client.logout()
    # Not vacuous: the reader whose page it is gets links into their own work.
    if name == "help_reporter":
        assert reverse("campaign_unit_progress", args=[demo.pk, "150100"]) in checked["reporter"]
        assert reverse("campaign_article_create", args=[demo.pk, "150100"]) in \
            checked["reporter"]
        assert reverse("unit_summary", args=[demo.pk, "150100"]) in checked["reporter"]
        # Someone else reads the reporter's page: no unit to link, the labels stay as text.
        assert not any("/units/" in url for url in checked["reviewer"])
    if name == "help_reviewer":
        assert reverse("campaign_articles", args=[demo.pk]) in checked["reviewer"]
        assert reverse("campaign_dashboard", args=[demo.pk]) in checked["reviewer"]
    if name == "help_admin":
        for target in (reverse("campaign_edit", args=[demo.pk]), reverse("unit_list"),
                       reverse("account_list"), reverse("campaign_summaries", args=[demo.pk])):
            assert target in checked["region_admin"], target
        # The audit log is the auditor's (three-role separation): linked for them only.
        assert reverse("audit_log") in checked["auditor"]
        assert reverse("audit_log") not in checked["region_admin"]


def test_signed_out_every_link_of_the_general_page_answers(demo, client):
    links = _help_links(client.get(reverse("help")))
    assert reverse("news_index") in links and reverse("help_reporter") in links
    for url in links:
        response = client.get(url)
        assert response.status_code in {200, 302}, url
        if response.status_code == 302:  # a role page: log in first, then come back
            assert response["Location"] == f"{reverse('login')}?next={url}"


def _deadline_rows(response) -> list[list[str]]:
    table = _doc(response).get_element_by_id("help-deadline-table")
    return [[" ".join(td.text_content().split()) for td in tr.xpath("td")]
            for tr in table.xpath("tbody/tr")]


def test_the_deadlines_are_the_readers_campaigns(demo, personas, client):
    """2022's three deadlines as the notice set them; a reporter sees their unit's state."""
    client.force_login(personas["reporter"])
    with time_machine.travel(datetime(2022, 3, 30, 9, tzinfo=BEIJING), tick=False):
        response = client.get(reverse("help_reporter"))
    rows = _deadline_rows(response)
    assert [row[:3] for row in rows] == [
        ["第一次工作进展报送", "工作进展情况统计表（附件1）", "2022年3月24日 17:00"],
        ["第二次工作进展报送", "工作进展情况统计表（附件1）", "2022年3月31日 17:00"],
        ["活动总结报送", "活动总结", "2022年4月5日 23:59"],
    ]
    assert rows[0][3] == "逾期未报 已逾期5天16小时"
    assert rows[1][3] == "未报送 剩余1天8小时"
    text = response.content.decode()
    assert "呼和浩特市" in text  # the reader's own unit heads the column
    # The prose names the round deadlines of this campaign, not fixed dates.
    assert "第一次工作进展报送（3月24日 17:00前）" in text
    assert "约500字（350～700字）" in text
    # A region reader sees the time left, no unit's state.
    client.force_login(personas["reviewer"])
    with time_machine.travel(datetime(2022, 3, 30, 9, tzinfo=BEIJING), tick=False):
        rows = _deadline_rows(client.get(reverse("help_reviewer")))
    assert [row[3] for row in rows] == ["已截止5天16小时", "剩余1天8小时", "剩余6天14小时"]


def test_the_campaign_of_the_link_is_shown_when_the_reader_may_open_it(demo, personas, client):
    later = campaign_services.copy_campaign(personas["region_admin"], demo, year=2023)
    client.force_login(personas["reporter"])
    response = client.get(reverse("help_reporter"), {"campaign": later.pk})
    assert _deadline_rows(response)[0][2] == "2023年3月24日 17:00"
    assert later.title in response.content.decode()
    # A campaign the reader's unit is not in: not shown, not named; their own one instead.
    later.participants.remove(Unit.objects.get(code="150100"))
    for value in (str(later.pk), "abc", "-1", "99999999999999999999999", "１"):
        response = client.get(reverse("help_reporter"), {"campaign": value})
        assert response.status_code == 200, value
        assert later.title not in response.content.decode(), value
        assert _deadline_rows(response)[0][2] == "2022年3月24日 17:00", value


def test_no_other_units_or_campaigns_leak(demo, personas, client):
    client.force_login(personas["other_reporter"])  # 包头市
    for name in ROLE_PAGES:
        text = client.get(reverse(name)).content.decode()
        assert "包头市" in text
        assert "呼和浩特市" not in text, name
    client.force_login(personas["auditor"])  # sees no campaign at all
    for name in ROLE_PAGES:
        text = client.get(reverse(name)).content.decode()
        assert demo.title not in text and "您目前没有可以查看的宣传活动" in text
