"""Every edit form of the product, opened and saved unchanged as a browser would (issue 11.3).

The form is read from the rendered page and sent back with everything a browser sends —
hidden management forms, the untouched spare row of every table, CRLF line breaks in
textareas — and must save: a redirect with the success message, nothing changed. Every URL
of the site is classified below; a new URL fails `test_every_url_is_classified` until it is
put in one of the lists, so a new edit form cannot escape this test.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from campaigndesk.articles import services as article_services
from campaigndesk.articles.demo_photos import processed_scene
from campaigndesk.articles.models import Article, Photo
from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.models import Campaign
from campaigndesk.oversight import summaries
from campaigndesk.oversight.models import FinalSummaryVersion
from campaigndesk.places.models import Place
from campaigndesk.progress import services as progress_services
from campaigndesk.progress.demo import FIRST_WEEK
from campaigndesk.progress.models import Activity
from campaigndesk.units.models import Unit, User
from tests.campaigns.test_edit import classification
from tests.formpost import form_submission, submit
from tests.places.matrix import place
from tests.test_permissions import all_url_names


@dataclass
class EditForm:
    persona: str
    kwargs: object  # objects -> url kwargs of the form's own URL
    button: str
    message: str  # the success message shown after the redirect
    page: str = ""  # the URL name of the page the form is on, when it is not the form's own
    form: object = None  # objects -> the form's id on the page, when the page has several
    unchanged: object = None  # objects -> a value that saving unchanged must not alter
    page_kwargs: object = field(default=None)


EDIT_FORMS = {
    "campaign_edit": EditForm(
        "region_admin", lambda o: {"pk": o["campaign"].pk}, "保存", "已保存",
        # Its lists are saved in place: every item keeps its pk and every tag link stays.
        unchanged=lambda o: (Campaign.objects.get(pk=o["campaign"].pk).version,
                             classification(o["campaign"]))),
    "unit_edit": EditForm(
        "region_admin", lambda o: {"pk": o["unit"].pk}, "保存", "已保存单位",
        unchanged=lambda o: Unit.objects.get(pk=o["unit"].pk).version),
    "account_edit": EditForm(
        "region_admin", lambda o: {"pk": o["account"].pk}, "保存", "已保存账号",
        unchanged=lambda o: User.objects.get(pk=o["account"].pk).version),
    "article_edit": EditForm(
        "reporter", lambda o: {"pk": o["article"].pk}, "保存草稿", "已保存",
        form=lambda o: "article-form",
        unchanged=lambda o: Article.objects.get(pk=o["article"].pk).version),
    "photo_edit": EditForm(
        "reporter", lambda o: {"pk": o["photo"].pk}, "保存说明", "图片说明已保存",
        page="article_edit", page_kwargs=lambda o: {"pk": o["article"].pk},
        form=lambda o: f"photo-{o['photo'].pk}-caption",
        unchanged=lambda o: Photo.objects.get(pk=o["photo"].pk).caption),
    "reminder_log": EditForm(
        "region_admin", lambda o: {"pk": o["campaign"].pk}, "保存提醒设置", "提醒设置已保存"),
    "unit_summary": EditForm(
        "reporter", lambda o: {"campaign_pk": o["campaign"].pk, "code": "150100"}, "报送",
        "已报送活动总结第2版", form=lambda o: "summary-form",
        unchanged=lambda o: FinalSummaryVersion.objects.order_by("-number").first().text),
    "place_edit": EditForm(
        "reporter", lambda o: {"pk": place(o).pk}, "保存", "已保存", form=lambda o: "place-form",
        unchanged=lambda o: Place.objects.get(pk=place(o).pk).version),
    # Issue 17: 呼和浩特市's members and internal deadlines, saved as they are.
    "cascade_setup": EditForm(
        "reporter", lambda o: {"campaign_pk": _cascade(o).campaign_id, "code": "150100"}, "保存",
        "已保存：参加的旗县区和内部截止时间",
        unchanged=lambda o: (sorted(_cascade(o).members.values_list("code", flat=True)),
                             sorted(_cascade(o).deadlines.values_list("deadline_id", "due_at")))),
    "campaign_unit_progress": EditForm(
        "reporter", lambda o: {"campaign_pk": o["campaign"].pk, "code": "150100"}, "保存草稿",
        "草稿已保存：新增 0 条，修改 0 条，删除 0 条",
        form=lambda o: "grid-form", unchanged=lambda o: _grid_rows(o["unit"])),
}

# Forms that start blank (something new, or a secret to type): saved unchanged they must come
# back with the summary at the top naming what is missing — never a silent reload.
ENTRY_FORMS = {
    "campaign_create": ("region_admin", {}, "保存"),
    "unit_create": ("region_admin", {}, "保存"),
    "account_create": ("region_admin", {}, "保存"),
    "account_password": ("region_admin", "account", "保存"),
    "campaign_article_create": ("reporter", "campaign_unit", "保存草稿"),
    "place_create": ("reporter", {"code": "150100"}, "保存"),
    "password_change": ("reporter", {}, "保存新密码"),
    "api_tokens": ("region_admin", {}, "创建"),
    # Issue 17: a county account added by its bureau.
    "cascade_accounts": ("reporter", "cascade", "添加"),
}
# Logging in and the second factor: checked in tests/security (a code, not a form to edit).
SIGN_IN_FORMS = {"login", "otp_setup", "otp_verify"}
# One-button (or one-reason) actions, tested where the action is: nothing to "save unchanged".
ACTIONS = {
    "logout", "campaign_copy", "unit_delete", "unit_active", "campaign_progress_import",
    "campaign_progress_paste",
    "campaign_progress_import_confirm", "report_reopen", "campaign_article_import",
    "article_check", "campaign_close", "campaign_reopen",
    "article_submit", "photo_add", "article_comment", "article_step", "article_delete",
    "article_restore", "notices", "notice_open", "campaign_remind", "security_unlock",
    "otp_reset", "security_address_unlock", "privileged_revoke",
    "otp_recovery", "places_import", "place_delete", "place_signage", "api_token_revoke",
    # The mail intake (issue 15): assign, set aside, confirm, discard; an address added or
    # removed (tested in tests/intake/test_pages.py).
    "intake_assign", "intake_dismiss", "intake_confirm", "intake_discard", "intake_addresses",
    "intake_address_remove",
    # At the ministry (issue 17): a province package uploaded and imported at once
    # (tests/ministry: refusals, replacement).
    "ministry_import",
    # Issue 17: the consolidated workbook, the poster bundle, the summary draft and .zip, the
    # package for 民政部 and the mail fetch are started as background jobs by one button each.
    "campaign_progress_xlsx", "unit_posters", "summary_draft", "summaries_zip",
    "campaign_ministry", "intake_fetch",
    # A bureau's cascade (issue 17 point 1): 催报 to its counties, a county's brief forwarded
    # to the region or returned with a reason (tests/cascade).
    "cascade_remind", "article_forward", "article_bureau_return",
}
# Pages that only show (GET), files and the public site. security_policy is read-only: the
# policy comes from the deployment's environment (README, Settings).
PAGES = {
    "home", "password_change_done", "audit_chain", "campaign_list", "campaign_overview",
    "unit_home",
    "campaign_unit_home", "campaign_unit_articles", "unit_list", "account_list", "audit_log",
    "audit_export",
    "report_detail", "report_version", "report_diff",
    "report_xlsx", "progress_template", "campaign_progress_template",
    "campaign_progress", "job_list", "job_detail", "job_status", "job_download",
    "security_locks", "security_policy", "privileged_accounts", "articles_home", "unit_articles",
    "article_detail",
    "photo_file", "article_wechat", "campaign_articles", "campaign_articles_xlsx",
    "campaign_magazine",
    "deleted_articles", "news_index", "news_typical", "news_unit",
    "news_article", "news_photo", "campaign_dashboard", "dashboard_xlsx", "campaign_summaries",
    "summary_version", "summary_file", "remind_result", "screen",
    "screen_campaign",
    "screen_data",
    # Addresses from before campaigns were in the URL: a GET redirects to the campaign.
    "unit_progress", "article_create",
    # 使用说明 (campaigndesk/guide): text only.
    "help", "help_reporter", "help_reviewer", "help_admin",
    # Service places (issue 16): the register, its files and the public pages.
    "places_public", "place_public", "places_home", "unit_places", "places_template",
    "places_export", "place_poster", "signage_photo",
    # The mail intake: the inbox, a message, an attachment's preview and file, a unit's mail.
    "intake_inbox", "intake_message", "intake_attachment", "intake_file", "unit_mail",
    # At the ministry: the national page, a province's, a brief, its photos, the summary.
    "ministry_national", "ministry_province", "ministry_brief", "ministry_photo",
    "ministry_summary",
    # A bureau's cascade (issue 17 point 1): its page (the region's drill-down too) and the
    # workbook of its subtree.
    "cascade_home", "cascade_xlsx",
}


def test_every_url_is_classified():
    groups = [set(EDIT_FORMS), set(ENTRY_FORMS), SIGN_IN_FORMS, ACTIONS, PAGES]
    assert sum(len(g) for g in groups) == len(set().union(*groups)), "a URL in two lists"
    assert set().union(*groups) == all_url_names()


@pytest.fixture
def objects(demo, units, personas, settings, tmp_path):
    """Something to edit on every form: 呼和浩特市's draft brief with a photo, three draft rows
    of its progress table and a first version of its final summary."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    reporter = personas["reporter"]
    article = article_services.create_article(
        reporter, campaign=demo, unit=reporter.unit, title="赛罕区开展社会工作主题宣传活动",
        body="3月18日上午，赛罕区民政局在敕勒川路街道社工站开展主题宣传活动。\n"
             "12名社工为辖区老年人提供政策咨询和心理疏导服务。")
    photo = article_services.add_photo(reporter, article, processed_scene(0), caption="活动现场")
    report = progress_services.current_report(demo, units["150100"])
    rows = FIRST_WEEK["150400"][3]  # three activities, as the demo's 赤峰市 typed them
    progress_services.save_round(reporter, report, [(None, row) for row in rows])
    deadline = summaries.summary_deadlines(demo)[0]
    summaries.submit_summary(reporter, deadline, units["150100"],
                             text="一、基本情况\n全市开展活动12场。\n二、经验做法",
                             now=datetime(2022, 4, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    return {"campaign": demo, "unit": units["150100"], "account": reporter,
            "article": article, "photo": Photo.objects.get(pk=photo.pk)}


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_edit_form_saves_unchanged(name, objects, personas, client):
    spec = EDIT_FORMS[name]
    client.force_login(personas[spec.persona])
    page_name = spec.page or name
    page_kwargs = (spec.page_kwargs or spec.kwargs)(objects)
    page_url = reverse(page_name, kwargs=page_kwargs)
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    form_id = spec.form(objects) if spec.form else None
    submission = form_submission(page.content, f"http://testserver{page_url}", form=form_id,
                                 button=spec.button)
    assert submission.action.endswith(reverse(name, kwargs=spec.kwargs(objects)))
    before = spec.unchanged(objects) if spec.unchanged else None
    updates_before = AuditEntry.objects.filter(action__endswith=".update").count()

    response = submit(client, submission)

    shown = response.content.decode()
    assert response.status_code == 302, (name, _summary_text(shown) or shown[:2000])
    landed = client.get(response["Location"]).content.decode()
    assert spec.message in landed, name
    assert "请修改以下" not in landed
    if spec.unchanged:
        assert spec.unchanged(objects) == before, f"{name}: saving unchanged changed the data"
        assert AuditEntry.objects.filter(action__endswith=".update").count() == updates_before


def _cascade(o):
    """呼和浩特市's cascade (新城区), opened once per test."""
    if "cascade" not in o:
        from campaigndesk.campaigns.models import Cascade
        from tests.cascade.matrix import open_demo_cascade

        open_demo_cascade(o["campaign"], {u.code: u for u in Unit.objects.all()},
                          o["account"])
        o["cascade"] = Cascade.objects.get(campaign=o["campaign"], bureau=o["unit"])
    return o["cascade"]


def _grid_rows(unit) -> list:
    activities = Activity.objects.filter(unit=unit).live().prefetch_related("tags")
    return [activity.to_row() for activity in activities.order_by("position")]


def _summary_text(html: str) -> str:
    import lxml.html

    found = lxml.html.fromstring(html).xpath("//*[@data-error-summary]")
    return " ".join(found[0].text_content().split()) if found else ""


@pytest.mark.parametrize("name", sorted(ENTRY_FORMS))
def test_blank_entry_form_comes_back_with_the_summary_on_top(name, objects, personas,
                                                             client):
    persona, kwargs, button = ENTRY_FORMS[name]
    client.force_login(personas[persona])
    if kwargs == "account":
        kwargs = {"pk": objects["account"].pk}
    elif kwargs == "campaign_unit":
        kwargs = {"campaign_pk": objects["campaign"].pk, "code": "150100"}
    elif kwargs == "cascade":
        kwargs = {"campaign_pk": _cascade(objects).campaign_id, "code": "150100"}
    url = reverse(name, kwargs=kwargs)
    submission = form_submission(client.get(url).content, f"http://testserver{url}",
                                 button=button)

    response = submit(client, submission)

    assert response.status_code == 200
    summary = _summary_text(response.content.decode())
    assert summary.startswith("请修改以下"), summary
    assert _first_in_form(response.content) == "summary"


def _first_in_form(html) -> str:
    """What comes first in the form that was sent: the error summary or a field."""
    import lxml.html

    form = lxml.html.fromstring(html).xpath("//main//form[@method='post']")[0]
    for element in form.iter():
        if element.get("data-error-summary") is not None:
            return "summary"
        if element.tag in {"select", "textarea"} or (
                element.tag == "input" and element.get("type") != "hidden"):
            return f"field {element.get('name')}"
    return "nothing"


def test_the_new_campaign_form_ignores_its_spare_contact_row(objects, personas, client):
    client.force_login(personas["region_admin"])
    url = reverse("campaign_create")
    submission = form_submission(client.get(url).content, f"http://testserver{url}")
    submit_response = submit(client, submission)
    summary = _summary_text(submit_response.content.decode())
    # The first deadline row is required; the spare deadline and contact rows are not.
    assert "报送节点：请至少填写 1 行" in summary
    assert "报送节点 第1行 · 名称：这个字段是必填项" in summary
    assert "联系人" not in summary and "报送节点 第2行" not in summary
    assert "活动名称：这个字段是必填项" in summary


def _campaign_edit_submission(client, campaign):
    url = reverse("campaign_edit", kwargs={"pk": campaign.pk})
    return form_submission(client.get(url).content, f"http://testserver{url}", button="保存")


def test_a_half_filled_spare_row_is_named_in_the_summary(objects, personas, client):
    client.force_login(personas["region_admin"])
    campaign = objects["campaign"]
    submission = _campaign_edit_submission(client, campaign)
    submission.replace("deadlines-3-title", "第三次工作进展报送")  # no date typed

    response = submit(client, submission)

    assert response.status_code == 200
    assert _summary_text(response.content.decode()) == (
        "请修改以下 1 处： 报送节点 第4行 · 截止时间（北京时间）：这个字段是必填项。")
    assert _first_in_form(response.content) == "summary"
    assert campaign.deadlines.count() == 3


def test_every_row_error_is_listed_and_linked_to_its_field(objects, personas, client):
    client.force_login(personas["region_admin"])
    submission = _campaign_edit_submission(client, objects["campaign"])
    submission.replace("title", "")
    submission.replace("contacts-0-phone", "0471-6946872 转 8001 或 0471-6946873（值班）")

    response = submit(client, submission)

    import lxml.html

    summary = lxml.html.fromstring(response.content).xpath("//*[@data-error-summary]")[0]
    items = [" ".join(li.text_content().split()) for li in summary.iter("li")]
    assert items == ["活动名称：这个字段是必填项。",
                     "联系人 第1行 · 联系电话：确保该变量包含不超过 30 字符 "
                     f"(目前字符数 {len(submission.value('contacts-0-phone'))})。"]
    links = [a.get("href") for a in summary.iter("a")]
    assert links == ["#id_title", "#id_contacts-0-phone"]
    # The field's own message is beside it too (it used to be missing for 联系电话).
    assert response.content.decode().count("确保该变量包含不超过 30 字符") == 2
