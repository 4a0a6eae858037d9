"""The audit log reads as Chinese: actions, fields and values in words, long texts as a diff.

The entries are made by the real services (the demo's samples, a brief taken through every
step, a late progress report and summary, a campaign edited on its web form), then read as
the auditor reads them: the page and the CSV export.
"""

import re
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from campaigndesk.articles import services as article_services
from campaigndesk.articles.models import Channel
from campaigndesk.audit import labels
from campaigndesk.audit.changes import DEL, GAP, INS, change_rows, text_diff
from campaigndesk.audit.models import AuditEntry
from campaigndesk.oversight import manual, reminders, summaries
from campaigndesk.units import accounts
from campaigndesk.units.models import Role, Unit, User
from tests.formpost import form_submission, submit
from tests.oversight.conftest import beijing

SOURCE = Path(__file__).resolve().parent.parent / "campaigndesk"
ASCII_WORD = re.compile(r"[A-Za-z_]{3,}")


def test_every_recorded_action_has_a_chinese_name():
    actions = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        actions |= set(re.findall(r'\brecord\((?:[^"()]|\([^()]*\))*?"([a-z_]+\.[a-z_]+)"',
                                  text, re.S))
    assert {"article.publish", "reminder.manual", "summary.export"} <= actions
    assert actions - set(labels.ACTION_LABELS) == set()


@pytest.fixture
def history(demo, personas, settings, tmp_path):
    """A campaign's worth of entries made through the services."""
    from campaigndesk.articles.demo import load_demo_articles
    from campaigndesk.progress.demo import load_demo_progress

    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = demo
    load_demo_progress(campaign)  # the demo's samples: reports on time and late, briefs
    load_demo_articles(campaign)
    reviewer, admin = personas["reviewer"], personas["region_admin"]
    article = next(a for a in campaign.articles.filter(state="accepted"))
    article_services.select_typical(reviewer, article)
    article_services.publish_article(reviewer, article, Channel.WEBSITE, date(2022, 3, 25))
    deadline = summaries.summary_deadlines(campaign)[0]
    reporter = User.objects.get(username="150200")
    summaries.submit_summary(reporter, deadline, reporter.unit, text="包头市活动总结",
                             now=beijing(4, 7, 9))
    reminders.save_settings(admin, campaign, offsets=[48, 2], send_late=False, send_sms=True)
    with time_machine.travel(beijing(3, 24, 11), tick=False):
        manual.remind_now(reviewer, campaign.deadlines.order_by("due_at").first())
    accounts.create_account(admin, username="wangfang01", password="Zx9#long-enough-pw",
                            role=Role.REPORTER, unit=Unit.objects.get(code="150300"),
                            full_name="王芳")
    return campaign


def _edit_notice(client, campaign, old: str, new: str) -> None:
    url = reverse("campaign_edit", kwargs={"pk": campaign.pk})
    submission = form_submission(client.get(url).content, f"http://testserver{url}",
                                 button="保存")
    text = submission.value("notice_text").replace("\r\n", "\n")
    assert old in text
    submission.replace("notice_text", text.replace(old, new, 1))
    # Leave 阿拉善盟 out of the participants.
    alxa = str(Unit.objects.get(name="阿拉善盟").pk)
    submission.data = [(k, v) for k, v in submission.data
                       if not (k == "participants" and v == alxa)]
    assert submit(client, submission).status_code == 302  # saved, back to the campaign


def test_every_entry_reads_as_chinese(history, personas, client):
    for entry in AuditEntry.objects.all():
        assert entry.action_label != entry.action, entry.action
        for row in change_rows(entry.object_type, entry.changes):
            assert not ASCII_WORD.search(row.field), (entry.action, row.field)
            raw = labels._choices(entry.object_type, row.field)
            assert row.after not in raw and row.before not in raw, (entry.action, row)
    client.force_login(personas["auditor"])
    html = client.get(reverse("audit_log"), {"action": "article.publish"}).content.decode()
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "状态</b>：典型案例 → 已发布" in table
    assert "typical" not in table and "published" not in table
    assert "article.publish" not in table  # the action by its name only
    late = client.get(reverse("audit_log"), {"action": "summary.submit"}).content.decode()
    assert "逾期</b>：是" in late and "late" not in late.split("<tbody>")[1]
    submitted = client.get(reverse("audit_log"), {"action": "progress.submit"}).content.decode()
    assert "活动条数</b>：" in submitted
    remind = client.get(reverse("audit_log"), {"action": "reminder.manual"}).content.decode()
    body = remind.split("<tbody>")[1]
    assert "站内通知</b>：" in body and "电子邮件</b>：" in body and "notice" not in body
    account = client.get(reverse("audit_log"), {"action": "account.create"}).content.decode()
    assert "角色</b>：（空） → 单位填报员" in account and "reporter" not in account.split(
        "<tbody>")[1]


def test_a_long_text_change_is_a_diff_of_the_changed_part(demo, personas, client):
    client.force_login(personas["region_admin"])
    _edit_notice(client, demo, "社会工作", "专业社会工作")
    entry = AuditEntry.objects.get(action="campaign.update")
    rows = {row.field: row for row in change_rows(entry.object_type, entry.changes)}
    notice = rows["通知正文"]
    assert (INS, "专业") in notice.diff and len(notice.diff) <= 5
    assert notice.diff[0] == (GAP, "")  # the untouched start of the notice is left out
    assert (DEL, "阿拉善盟") in rows["参加单位"].diff
    client.force_login(personas["auditor"])
    html = client.get(reverse("audit_log"), {"action": "campaign.update"}).content.decode()
    assert "<ins>专业</ins>" in html and "<del>阿拉善盟</del>" in html
    csv = b"".join(client.get(reverse("audit_export"), {"action": "campaign.update"})
                   .streaming_content).decode("utf-8-sig")
    assert "〔增：专业〕" in csv and "〔删：阿拉善盟〕" in csv


def test_text_diff_keeps_a_little_context_and_folds_slivers():
    old = "一" * 100 + "开展宣传活动的情况" + "二" * 100
    new = "一" * 100 + "开展主题宣传的情况" + "二" * 100
    diff = text_diff(old, new)
    assert diff[0] == (GAP, "") and diff[-1] == (GAP, "")
    changed = [(k, t) for k, t in diff if k in {DEL, INS}]
    assert changed == [(DEL, "活动"), (INS, "主题")] or changed == [(DEL, "宣传活动"),
                                                                     (INS, "主题宣传")]
    shown = "".join(t for _k, t in diff)
    assert len(shown) < 60


def test_the_object_type_filter_lists_each_type_once(demo, personas, client):
    from campaigndesk.audit.services import record

    for n in range(5):
        record(personas["reviewer"], "article.list_export", demo, message=f"第{n}次")
    client.force_login(personas["auditor"])
    page = client.get(reverse("audit_log")).content.decode()
    select = page[page.index('name="object_type"'):]
    select = select[:select.index("</select>")]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert len(options) == len(set(options))


def test_every_model_has_a_chinese_name_for_the_object_type_filter():
    from django.apps import apps

    english = [m._meta.label_lower for m in apps.get_models()
               if m.__module__.startswith("campaigndesk")
               and not re.search(r"[\u4e00-\u9fff]", str(m._meta.verbose_name))]
    assert english == []


def test_a_place_and_its_posters_read_as_chinese(demo, personas, client):
    from campaigndesk.places import lists, services
    from tests.places.builders import STAFF_PHONE, make_place, place_data

    place = make_place()
    data = place_data()
    data.staff[:] = lists.parse_staff(f"王芳，站长，社会工作师，{STAFF_PHONE}\n"
                                     "赵强，社工，助理社会工作师")
    services.update_place(personas["reporter"], place, data, expected_version=0)
    services.note_poster(personas["reporter"], place, demo, "board")
    entries = AuditEntry.objects.filter(object_type="places.place")
    assert labels.object_type_label("places.place") == "服务场所"
    for entry in entries:
        for row in change_rows(entry.object_type, entry.changes):
            assert not ASCII_WORD.search(row.field + row.after), (entry.action, row)
    update = entries.get(action="places.update")
    (staff,) = [r for r in change_rows(update.object_type, update.changes)
                if r.field == "服务人员"]
    # Whole people added and removed, not their names interleaved character by character.
    assert (DEL, "李明，社工，助理社会工作师") in staff.diff
    assert (INS, "赵强，社工，助理社会工作师") in staff.diff
    poster = change_rows("places.place", entries.get(action="places.poster").changes)
    assert {r.field: r.after for r in poster}["海报尺寸"] == "60×90厘米展板"
