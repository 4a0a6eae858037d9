"""The progress table on the web: grid, import with preview, submission, downloads."""

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine

from campaigndesk.progress import excel_out
from campaigndesk.progress.models import Activity, Report, ReportStatus
from campaigndesk.progress.table import ActivityRow
from tests.jobs.helpers import download

SHANGHAI = ZoneInfo("Asia/Shanghai")
KEYS = ["name", "organizations", "participants", "dates", "location", "content",
        "service_areas", "beneficiaries", "funds", "materials", "remarks"]


def current_revision(code: str = "150100") -> str:
    """The revision a grid opened now carries (the page's hidden field), without opening
    it: the unit's earliest unsent report of its latest campaign, or 0 for one not made yet."""
    from campaigndesk.progress.models import Report, ReportStatus

    report = (Report.objects.filter(unit__code=code).exclude(status=ReportStatus.SUBMITTED)
              .order_by("-deadline__campaign__start_date", "deadline__due_at").first())
    return str(report.revision) if report else "0"


def grid_post(rows, action="save", code="150100", **extra):
    """The grid's POST as the browser sends it, opened just now (current revision)."""
    data = {"row_count": str(len(rows)), "action": action}
    if "revision" not in extra:
        data["revision"] = current_revision(code)
    for i, values in enumerate(rows):
        for key, value in zip(KEYS, values, strict=False):
            data[f"r-{i}-{key}"] = value
        data[f"r-{i}-id"] = ""
    data.update(extra)
    return data


def grid_url(campaign, rest: str = "") -> str:
    """The grid of 呼和浩特市 in `campaign` (its import pages with `rest`)."""
    return f"/campaigns/{campaign.pk}/units/150100/progress/{rest}"


GOOD = ["社工宣传进社区", "赛罕区社工站、青禾社工服务中心", "12", "3月18日", "昭乌达路社区",
        "发放宣传册，讲解社会工作知识", "老年人、残疾人", "150", "1,200.50", "无", ""]


@pytest.fixture
def reporter(personas, as_user):
    return as_user(personas["reporter"])


def test_grid_shows_an_empty_row_and_the_round(demo, reporter):
    page = reporter.get(grid_url(demo)).content.decode()
    assert "第一次工作进展报送" in page
    assert 'id="progress-grid"' in page and 'name="r-0-name"' in page


def test_a_bad_cell_is_kept_as_typed_in_the_draft_and_named_in_place(demo, reporter):
    """Issue 15: a wrong cell no longer blocks the draft. The good row is an activity, the
    bad one is kept as typed with its message; reopening the grid shows both in order."""
    from campaigndesk.progress.models import TypedRow

    bad = list(GOOD)
    bad[0], bad[2] = "助残服务日", "十二人"
    response = reporter.post(grid_url(demo), grid_post([bad, GOOD]), follow=True)
    page = response.content.decode()
    assert "其中 1 行有错误，已按填写的原样保存为草稿并标红" in page
    assert Activity.objects.get().name == "社工宣传进社区"
    typed = TypedRow.objects.get()
    assert typed.texts["participants"] == "十二人" and typed.texts["name"] == "助残服务日"
    assert "整数人次" in typed.errors["participants"]
    assert page.index('value="助残服务日"') < page.index('value="社工宣传进社区"')
    assert 'value="十二人" id="c-0-participants" aria-invalid="true"' in page
    assert 'id="grid-problems"' in page and "第 1 行“参与人次”" in page
    detail = reporter.get(f"/reports/{Report.objects.get().pk}/").content.decode()
    assert "另有 1 行有错误，按填写的原样保存在草稿中" in detail
    # Nothing of it counts anywhere: the round is a draft; and it cannot be submitted.
    submit = reporter.post(grid_url(demo), grid_post(
        [bad, GOOD], action="submit", reporter_name="王芳", reporter_phone="13800001234"),
        follow=True)
    assert "本轮还有 1 行有错误" in submit.content.decode()
    assert Report.objects.get().status == ReportStatus.DRAFT
    fixed = list(bad)
    fixed[2] = "12"
    rows = grid_post([fixed, GOOD], action="submit", reporter_name="王芳",
                     reporter_phone="13800001234")
    rows["r-1-id"] = str(Activity.objects.live().get().pk)
    assert reporter.post(grid_url(demo), rows).status_code == 302
    assert Report.objects.get().status == ReportStatus.SUBMITTED
    assert not TypedRow.objects.exists()
    assert sorted(Activity.objects.live().values_list("name", flat=True)) == [
        "助残服务日", "社工宣传进社区"]


def test_an_activity_edited_into_a_wrong_cell_keeps_its_last_right_values(demo, reporter):
    from campaigndesk.progress.models import TypedRow

    reporter.post(grid_url(demo), grid_post([GOOD]))
    activity = Activity.objects.get()
    wrong = grid_post([[GOOD[0], GOOD[1], "很多"]])
    wrong["r-0-id"] = str(activity.pk)
    reporter.post(grid_url(demo), wrong)
    activity.refresh_from_db()
    assert activity.participants == 12 and not activity.is_deleted
    assert TypedRow.objects.get().activity == activity
    page = reporter.get(grid_url(demo)).content.decode()
    assert 'value="很多"' in page and '<td class="seq">2</td>' not in page
    assert f'name="r-0-id" value="{activity.pk}"' in page
    # A table that updates the activity afterwards wins over the stale typing.
    from campaigndesk.progress import services

    newer = activity.to_row()
    newer.participants = 30
    services.import_rows(None, demo, activity.unit, [newer])
    assert not TypedRow.objects.exists()
    assert 'value="30"' in reporter.get(grid_url(demo)).content.decode()


def test_the_draft_message_counts_a_row_edited_into_an_error(demo, reporter):
    """It said 新增 0 条，修改 0 条…未变 1 条 for one unchanged row and one edited into an
    error: the second was counted nowhere (outside check of issue 15)."""
    from campaigndesk.progress.services import SaveResult, draft_saved_message

    other = ["四点半课堂", *GOOD[1:]]
    reporter.post(grid_url(demo), grid_post([GOOD, other]))
    ids = [str(a.pk) for a in Activity.objects.order_by("position")]
    edited = grid_post([GOOD, [other[0], other[1], "很多"]])
    edited["r-0-id"], edited["r-1-id"] = ids
    page = reporter.post(grid_url(demo), edited, follow=True).content.decode()
    assert ("草稿已保存：新增 0 条，修改 0 条，删除 0 条，未变 1 条；"
            "1 行有错误，已按原样保存在草稿中") in page
    assert draft_saved_message(SaveResult(created=2)) == (
        "草稿已保存：新增 2 条，修改 0 条，删除 0 条，未变 0 条")


def test_a_pasted_header_or_section_title_in_the_grid_is_named_and_kept(demo, reporter):
    from campaigndesk.progress.table import COLUMNS

    header = [c.header for c in COLUMNS]  # typed into the grid by hand, not pasted
    response = reporter.post(grid_url(demo),
                             grid_post([header, ["一、线下活动"], GOOD]), follow=True)
    page = response.content.decode()
    assert "这一行是又一次出现的表头，已跳过；这一行不是活动，请删除" in page
    assert "“一、线下活动”看作分组标题，没有作为活动读取；这一行不是活动，请删除" in page
    assert Activity.objects.get().name == "社工宣传进社区"


def test_saving_the_grid_keeps_amounts_exact(demo, reporter):
    response = reporter.post(grid_url(demo), grid_post([GOOD]))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.participants == 12 and activity.beneficiaries == 150
    assert (activity.funds_fen, activity.materials_fen) == (120050, 0)
    assert (activity.start_date, activity.end_date) == (date(2022, 3, 18), date(2022, 3, 18))
    assert activity.organizations == ["赛罕区社工站", "青禾社工服务中心"]
    assert sorted(t.label for t in activity.tags.all()) == ["残疾人", "老年人"]
    page = reporter.get(grid_url(demo)).content.decode()
    assert 'value="1200.50"' in page


@time_machine.travel(datetime(2022, 3, 24, 16, 30, tzinfo=SHANGHAI), tick=False)
def test_submit_from_the_grid_checks_the_mobile_number(demo, reporter):
    response = reporter.post(grid_url(demo), grid_post(
        [GOOD], action="submit", reporter_name="王芳", reporter_phone="1380000"))
    assert response.status_code == 400
    assert "11位大陆手机号" in response.content.decode()
    assert not Activity.objects.exists()
    response = reporter.post(grid_url(demo), grid_post(
        [GOOD], action="submit", reporter_name="王芳", reporter_phone="138-0000-1234"),
        follow=True)
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    page = response.content.decode()
    assert "第1版" in page and "按时" in page


def xlsx_of(rows, **header):
    out = io.BytesIO()
    excel_out.write_unit_report(out, unit_name="呼和浩特市",
                                reporter_name=header.get("name", "王芳"),
                                reporter_phone=header.get("phone", "13800001234"),
                                filled_date=date(2022, 3, 24), rows=rows)
    out.seek(0)
    out.name = "呼和浩特市进展表.xlsx"
    return out


def activity(name, day=18, **values):
    base = dict(name=name, organizations=["赛罕区社工站"], participants=10,
                start=date(2022, 3, day), end=date(2022, 3, day), location="昭乌达路社区",
                content="宣传", service_areas=["老年人"], beneficiaries=100, funds_fen=0,
                materials_fen=0)
    base.update(values)
    return ActivityRow(**base)


def confirming(preview) -> dict:
    """What 确认导入 posts: the preview's token and the revisions it was computed on."""
    return {"token": preview.context["pending"].token,
            "revisions": preview.context["revisions"]}


def test_upload_shows_a_preview_and_saves_only_on_confirmation(demo, reporter):
    upload = xlsx_of([activity("甲"), activity("乙", funds_fen=150000_00)])
    preview = reporter.post(grid_url(demo, "import/"), {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "读到 2 行活动，均无错误" in page and "甲" in page and "王芳" in page
    assert "新增的活动将计入“第一次工作进展报送”" in page
    assert "表中位置" in page and page.count('<td class="source">') == 2  # 第 N 行, as problems
    assert not Activity.objects.exists()
    token = preview.context["pending"].token
    done = reporter.post(grid_url(demo, "import/confirm/"), confirming(preview), follow=True)
    assert "新增 2 条" in done.content.decode()
    assert Activity.objects.get(name="乙").funds_fen == 15000000
    assert Report.objects.get().reporter_phone == "13800001234"
    # the same file again (a cumulative table): nothing duplicated
    again = reporter.post(grid_url(demo, "import/"),
                          {"file": xlsx_of([activity("甲"), activity("乙", funds_fen=150000_00)])})
    assert "2 条与已填报的活动相同" in again.content.decode()
    reporter.post(grid_url(demo, "import/confirm/"), confirming(again))
    assert Activity.objects.count() == 2
    # a used token cannot be replayed
    replay = reporter.post(grid_url(demo, "import/confirm/"), {"token": token},
                           follow=True)
    assert "导入已过期或已完成" in replay.content.decode()


def test_preview_of_a_workbook_with_a_sheet_per_county_says_where_each_row_is(demo, reporter):
    from tests.progress.builders import workbook_bytes

    table = ["序号", "活动名称", "参与人次", "活动开展时间", "活动地点", "受益人次"]
    data = workbook_bytes({"新城区": [table, [1, "讲座", 5, "3月18日", "甲社区", 9]],
                           "回民区": [table, [1, "义诊", 8, "3月19日", "乙社区", 4]]})
    upload = io.BytesIO(data)
    upload.name = "各旗县区.xlsx"
    page = reporter.post(grid_url(demo, "import/"), {"file": upload}).content.decode()
    assert "工作表“新城区、回民区”" in page
    assert '<td class="source">新城区 第2行</td>' in page
    assert '<td class="source">回民区 第2行</td>' in page


def test_renamed_image_is_refused_with_a_clear_message(demo, reporter):
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    png.name = "进展表.xlsx"
    response = reporter.post(grid_url(demo, "import/"), {"file": png}, follow=True)
    page = response.content.decode()
    assert "无法读取“进展表.xlsx”" in page
    assert not Activity.objects.exists()


def test_blank_template_download_is_attachment_1(demo, reporter):
    response = reporter.get("/progress/template.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    text = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "盟市社会工作主题宣传活动工作进展情况统计表" in text
    assert "链接资源情况" in text and "链接资金（元）" in text


def test_report_download_has_the_rows_and_a_total(demo, reporter):
    reporter.post(grid_url(demo), grid_post([GOOD, GOOD[:0] + ["第二项"] + GOOD[1:]],
                  action="submit", reporter_name="王芳", reporter_phone="13800001234"))
    report = Report.objects.get()
    response = reporter.get(f"/reports/{report.pk}/report.xlsx?v=1")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [r for r in book.active.iter_rows(values_only=True)]
    total = next(r for r in rows if "合计" in [c for c in r if isinstance(c, str)])
    numbers = [c for c in total if isinstance(c, (int, float))]
    assert 24 in numbers and 300 in numbers  # participants and beneficiaries summed


def test_formula_text_is_never_a_formula_in_downloads(demo, reporter):
    evil = list(GOOD)
    evil[0] = "=HYPERLINK(\"http://evil\",\"点我\")"
    evil[10] = "@SUM(A1)"
    reporter.post(grid_url(demo), grid_post([evil]))
    report = Report.objects.get()
    response = reporter.get(f"/reports/{report.pk}/report.xlsx")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert evil[0] in values
    # Stored with the quote prefix: editing the cell in Excel does not make it live.
    quoted = {c.value for row in book.active.iter_rows() for c in row if c.quotePrefix}
    assert {evil[0], evil[10]} <= quoted and "社工宣传进社区" not in quoted


def test_region_consolidated_workbook_matches_the_database(demo, personas, as_user):
    from campaigndesk.progress import services

    for code, username in (("150100", "reporter"), ("150781", "manzhouli")):
        report = services.current_report(demo, personas[username].unit)
        services.save_round(personas[username], report, [
            (None, activity(f"{code}活动一", funds_fen=10)),
            (None, activity(f"{code}活动二", funds_fen=20, participants=5))])
        services.submit_report(personas[username], report, reporter_name="王芳",
                               reporter_phone="13800001234")
    client = as_user(personas["reviewer"])
    # The workbook is made by a background job: press the button, take it from the job page.
    content = download(client, f"/campaigns/{demo.pk}/progress.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "汇总"
    summary = [r for r in book["汇总"].iter_rows(values_only=True)]
    hohhot = next(r for r in summary if r and r[1] == "呼和浩特市" or r and r[0] == "呼和浩特市")
    assert 2 in hohhot and 15 in hohhot  # 2 activities, 15 participants
    units_listed = [r for r in summary if r and any(c in ("包头市", "二连浩特市") for c in r)]
    assert len(units_listed) == 2  # every reporting unit has a line, even with no activity
    page = client.get(f"/campaigns/{demo.pk}/progress/").content.decode()
    assert "满洲里市" in page and "0.30" in page


def test_optional_classifications_by_item_number(demo, reporter):
    tagged = GOOD + ["1、6", "疫情防控", "社区、4"]
    response = reporter.post(grid_url(demo), grid_post_tags([tagged]))
    assert response.status_code == 302
    activity = Activity.objects.get()
    labels = {(t.kind, t.label) for t in activity.tags.all()}
    assert ("activity_type", "积极联动各类媒体资源") in labels
    assert ("activity_type", "开展“全屏社会工作宣传活动”") in labels
    assert ("five_social", "社区") in labels and ("five_social", "社区志愿者") in labels
    assert ("focus_topic", "社会工作参与疫情防控工作的经验做法") in labels
    page = reporter.get(grid_url(demo)).content.decode()
    assert 'value="1、6"' in page
    # an Excel re-import of the same row must not wipe the classifications
    from campaigndesk.progress import services

    services.import_rows(None, demo, activity.unit, [activity.to_row()])
    assert activity.tags.count() == len(labels)
    bad = reporter.post(grid_url(demo), grid_post_tags([GOOD + ["9", "", ""]]), follow=True)
    assert "“9”不是可选项，请填写序号 1—6" in bad.content.decode()
    assert 'value="9" id="c-0-activity_types"' in bad.content.decode()  # kept as typed


def grid_post_tags(rows):
    data = grid_post([])
    data["row_count"] = str(len(rows))
    keys = KEYS + ["activity_types", "focus_topics", "five_social"]
    for i, values in enumerate(rows):
        for key, value in zip(keys, values, strict=False):
            data[f"r-{i}-{key}"] = value
    return data


def test_a_round_sent_back_is_corrected_in_its_own_tab_and_new_rows_go_to_the_open_round(
        demo, reporter, personas):
    """An outside tester reopened round 1 while round 2 held a draft: the grid switched to
    round 1, round 2's draft vanished from view and an import put a December row into the
    reopened round. Now the open round stays the default, the reopened one is a tab."""
    from campaigndesk.progress import services

    user = personas["reporter"]
    first = services.current_report(demo, user.unit)
    services.save_round(user, first, [(None, activity("第一轮的活动"))])
    services.submit_report(user, first, reporter_name="王芳", reporter_phone="13800001234")
    second = services.current_report(demo, user.unit)
    services.save_round(user, second, [(None, activity("第二轮的草稿"))])
    services.reopen_report(personas["region_admin"], first, reason="人次有误")

    page = reporter.get(grid_url(demo)).content.decode()
    assert 'value="第二轮的草稿"' in page and 'id="round-tabs"' in page
    assert f'href="?round={first.pk}"' in page
    tab = reporter.get(grid_url(demo) + f"?round={first.pk}").content.decode()
    assert 'value="第一轮的活动"' in tab and 'value="第二轮的草稿"' not in tab
    first.refresh_from_db()
    data = grid_post([["第一轮的活动（改）"] + GOOD[1:]], round=str(first.pk),
                     revision=str(first.revision))
    data["r-0-id"] = str(first.activities.live().get().pk)
    response = reporter.post(grid_url(demo), data)
    assert response.status_code == 302 and f"round={first.pk}" in response["Location"]
    assert list(first.activities.live().values_list("name", flat=True)) == ["第一轮的活动（改）"]
    assert list(second.activities.live().values_list("name", flat=True)) == ["第二轮的草稿"]
    result = services.import_rows(user, demo, user.unit, [activity("新导入的活动")])
    assert result.created == 1
    assert second.activities.live().filter(name="新导入的活动").exists()


def test_confirming_after_the_session_ended_leads_back_to_the_grid(demo, reporter):
    """An outside tester lost the session before 确认导入; logging in again replayed a GET of
    the confirm address and Chromium showed its English 'HTTP ERROR 405'."""
    response = reporter.get(grid_url(demo, "import/confirm/"), follow=True)
    assert response.redirect_chain[-1][0] == grid_url(demo)
    assert "导入预览已失效（可能因登录超时），未导入任何内容" in response.content.decode()


# ---------------------------------------------------------------- refused uploads (issue 12.2)

def _far_cell_upload() -> io.BytesIO:
    """2 KB: one cell in XFD1048576 written with r not first (calamine: 512 GB)."""
    from tests.progress.builders import rezip, workbook_bytes

    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>活动名称</t></is></c></row>'
             '<row r="1048576"><c t="inlineStr" r="XFD1048576"><is><t>x</t></is></c></row>'
             "</sheetData></worksheet>").encode()
    upload = io.BytesIO(rezip(workbook_bytes({"S": [["x"]]}), {"xl/worksheets/sheet1.xml": sheet}))
    upload.name = "进展表.xlsx"
    return upload


def test_a_bomb_upload_is_refused_and_audited(demo, reporter):
    from campaigndesk.audit.models import AuditEntry

    response = reporter.post(grid_url(demo, "import/"), {"file": _far_cell_upload()},
                             follow=True)
    assert "行数过多" in response.content.decode()
    entry = AuditEntry.objects.get(action="progress.upload")
    assert entry.message.startswith("拒收上传") and entry.changes["reason"] == "too_large"
    assert not Activity.objects.exists()


def test_a_crashed_reader_is_a_refusal_and_audited(demo, reporter, settings):
    """The reader's child dies (here on a memory limit smaller than Python itself: 500
    rows need more than it has): the page says the file cannot be read, the audit log
    says why, and the server goes on reading files."""
    from campaigndesk.audit.models import AuditEntry

    settings.PROGRESS_READER_MEMORY_MB = 8
    rows = [activity(f"活动{i}", content="宣传" * 200) for i in range(500)]
    response = reporter.post(grid_url(demo, "import/"), {"file": xlsx_of(rows)},
                             follow=True)
    assert response.status_code == 200
    assert "文件无法读取" in response.content.decode()
    entry = AuditEntry.objects.get(action="progress.upload")
    assert entry.changes["reason"] == "crashed"
    settings.PROGRESS_READER_MEMORY_MB = 1024
    assert "读到 1 行活动" in reporter.post(
        grid_url(demo, "import/"), {"file": xlsx_of([activity("甲")])}).content.decode()


def test_a_crash_when_the_preview_is_confirmed_is_audited_too(demo, reporter, settings):
    from campaigndesk.audit.models import AuditEntry

    rows = [activity(f"活动{i}", content="宣传" * 200) for i in range(500)]
    preview = reporter.post(grid_url(demo, "import/"), {"file": xlsx_of(rows)})
    settings.PROGRESS_READER_MEMORY_MB = 8
    done = reporter.post(grid_url(demo, "import/confirm/"), confirming(preview), follow=True)
    assert "文件无法读取" in done.content.decode() and not Activity.objects.exists()
    refused = AuditEntry.objects.filter(action="progress.upload", message__startswith="拒收")
    assert [e.changes["reason"] for e in refused] == ["crashed"]


# ---------------------------------------------------------------- previews do not pile up (12.16)

@pytest.fixture
def imports_dir(settings, tmp_path):
    """A data folder of this test's own: previews of other tests are not counted."""
    settings.DATA_DIR = tmp_path
    return tmp_path / "imports"


def _previews(user) -> list:
    from campaigndesk.progress import uploads

    return sorted(uploads.folder(user).glob("*.upload"))


def _age(path, hours: float) -> None:
    import os
    import time

    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_grid_save_after_the_preview_is_not_overwritten_by_confirming_it(demo, personas,
                                                                           reporter):
    # Found by an outside test: the preview said 更新 1 条 on 参与人次 10; the grid then saved
    # 20; 确认导入 wrote the file's 30 over it, unseen.
    from campaigndesk.progress import services

    user = personas["reporter"]
    report = services.current_report(demo, user.unit)
    services.save_round(user, report, [(None, activity("活动X"))])
    preview = reporter.post(grid_url(demo, "import/"),
                            {"file": xlsx_of([activity("活动X", participants=30)])})
    assert "更新 1 条" in preview.content.decode()
    live = Activity.objects.get(name="活动X")
    report = services.current_report(demo, user.unit)
    services.save_round(user, report, [(live.pk, activity("活动X", participants=20))],
                        expected_revision=report.revision)
    again = reporter.post(grid_url(demo, "import/confirm/"), confirming(preview))
    text = again.content.decode()
    assert again.status_code == 200 and 'id="import-changed"' in text  # shown again
    assert Activity.objects.get(name="活动X").participants == 20
    # Without the revisions (an old page, a hand-made POST) it is refused the same way.
    bare = reporter.post(grid_url(demo, "import/confirm/"), {"token": confirming(again)["token"]})
    assert 'id="import-changed"' in bare.content.decode()
    done = reporter.post(grid_url(demo, "import/confirm/"), confirming(again), follow=True)
    assert "更新 1 条" in done.content.decode()
    assert Activity.objects.get(name="活动X").participants == 30


def test_a_preview_expires_after_a_day(demo, personas, reporter, imports_dir):
    from django.core.management import call_command

    from campaigndesk.progress import uploads

    user = personas["reporter"]
    old = reporter.post(grid_url(demo, "import/"), {"file": xlsx_of([activity("甲")])})
    old_token = old.context["pending"].token
    _age(_previews(user)[0], uploads.PREVIEW_HOURS + 1)
    done = reporter.post(grid_url(demo, "import/confirm/"), {"token": old_token},
                         follow=True)
    assert "导入已过期" in done.content.decode() and not Activity.objects.exists()
    # the periodic command removes it; a fresh one stays
    reporter.post(grid_url(demo, "import/"), {"file": xlsx_of([activity("乙")])})
    assert len(_previews(user)) == 1  # the upload removed the expired one already
    _age(_previews(user)[0], uploads.PREVIEW_HOURS + 1)
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "已删除 1 个" in out.getvalue() and _previews(user) == []


def test_an_account_keeps_a_few_previews_only(demo, personas, reporter, imports_dir):
    from campaigndesk.progress import uploads

    tokens, pages = [], []
    for i in range(uploads.PENDING_PER_ACCOUNT + 2):
        page = reporter.post(grid_url(demo, "import/"),
                             {"file": xlsx_of([activity(f"活动{i}")])})
        tokens.append(page.context["pending"].token)
        pages.append(page)
        _age(page.context["pending"].path, 0.01 * (20 - i))  # distinct ages, oldest first
    assert len(_previews(personas["reporter"])) == uploads.PENDING_PER_ACCOUNT
    first = reporter.post(grid_url(demo, "import/confirm/"), {"token": tokens[0]},
                          follow=True)
    assert "导入已过期" in first.content.decode()
    last = reporter.post(grid_url(demo, "import/confirm/"), confirming(pages[-1]),
                         follow=True)
    assert "新增 1 条" in last.content.decode()


# ---------------------------------------------------------------- the grid's row limit (12.5)

def _named(n: int, start: int = 0) -> list[list[str]]:
    return [[f"活动{i}"] + GOOD[1:] for i in range(start, start + n)]


def test_more_rows_than_the_limit_are_refused_not_cut(demo, reporter, settings):
    """The old grid saved the first 2,000 rows and said nothing of the others. The limit
    is a setting (2,000 by default); a small one here keeps the test quick."""
    from campaigndesk.progress import grid

    assert grid.max_rows() == 2000
    settings.PROGRESS_GRID_MAX_ROWS = 5
    response = reporter.post(grid_url(demo), grid_post(_named(6)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "最多保存 5 行，本次有 6 行；未保存任何内容" in page
    assert 'value="活动5"' in page  # what the user pasted is still on screen
    assert not Activity.objects.exists()


def test_a_row_added_at_the_top_of_a_full_grid_deletes_nothing(demo, reporter, settings):
    """The old grid cut the row past the limit, and the save then deleted that activity."""
    settings.PROGRESS_GRID_MAX_ROWS = 3
    assert reporter.post(grid_url(demo), grid_post(_named(3))).status_code == 302
    saved = list(Activity.objects.order_by("position").values_list("pk", "name"))
    post = grid_post([["新活动"] + GOOD[1:], *_named(3)])
    for i, (pk, _name) in enumerate(saved, start=1):  # the saved rows keep their ids
        post[f"r-{i}-id"] = str(pk)
    response = reporter.post(grid_url(demo), post)
    assert response.status_code == 400
    assert "最多保存 3 行，本次有 4 行" in response.content.decode()
    assert list(Activity.objects.order_by("position").values_list("pk", "name")) == saved


def test_rows_posted_past_row_count_are_not_dropped(demo, reporter):
    post = grid_post(_named(2))
    post["row_count"] = "1"  # a page that failed to count its rows
    assert reporter.post(grid_url(demo), post).status_code == 302
    assert sorted(Activity.objects.values_list("name", flat=True)) == ["活动0", "活动1"]


def test_a_round_over_the_limit_says_so_on_the_grid(demo, reporter, settings):
    reporter.post(grid_url(demo), grid_post(_named(3)))
    settings.PROGRESS_GRID_MAX_ROWS = 2
    page = reporter.get(grid_url(demo)).content.decode()
    assert "本轮已有 3 条活动，超过网页表格的上限 2 行，网页上不能修改" in page


def test_a_round_of_limit_plus_one_rows_draws_no_grid(demo, reporter, settings):
    """Issue 12 (uploads 2): a 19,990-row round drew every row as inputs (39 MB, a minute
    per view). Over the limit the page draws a few rows read-only, the totals and the way
    through Excel; no editable grid, whose save would delete the rows not drawn."""
    from campaigndesk.progress.views import OVER_LIMIT_PREVIEW_ROWS

    settings.PROGRESS_GRID_MAX_ROWS = OVER_LIMIT_PREVIEW_ROWS + 5
    reporter.post(grid_url(demo), grid_post(_named(OVER_LIMIT_PREVIEW_ROWS + 5)))
    report = Report.objects.get(unit__code="150100", status=ReportStatus.DRAFT)
    first = Activity.objects.filter(report=report).order_by("position").first()
    Activity.objects.create(**{f.attname: getattr(first, f.attname)
                               for f in Activity._meta.concrete_fields if not f.primary_key}
                            | {"position": 999, "name": "最后一条"})
    settings.PROGRESS_GRID_MAX_ROWS = OVER_LIMIT_PREVIEW_ROWS + 4
    page = reporter.get(grid_url(demo)).content.decode()
    assert f"本轮已有 {OVER_LIMIT_PREVIEW_ROWS + 6} 条活动，超过网页表格的上限" in page
    assert 'id="grid-form"' not in page and 'name="r-0-name"' not in page
    rows = page.split('id="over-limit"')[1].split("readonly-rows")[1].split("</table>")[0]
    assert rows.count("<tr>") == 1 + OVER_LIMIT_PREVIEW_ROWS  # header row + the preview
    assert "最后一条" not in page and f"/reports/{report.pk}/report.xlsx" in page
    assert f"<td class=\"num\">{OVER_LIMIT_PREVIEW_ROWS + 6}</td>" in page  # the totals


def test_the_report_page_shows_its_activities_a_page_at_a_time(demo, reporter, settings,
                                                               monkeypatch):
    from campaigndesk.progress import views

    settings.PROGRESS_GRID_MAX_ROWS = 5
    reporter.post(grid_url(demo), grid_post(_named(5)))
    report = Report.objects.get(unit__code="150100", status=ReportStatus.DRAFT)
    monkeypatch.setattr(views, "REPORT_PAGE_ROWS", 2)
    page = reporter.get(f"/reports/{report.pk}/").content.decode()
    last = reporter.get(f"/reports/{report.pk}/?page=3").content.decode()
    junk = reporter.get(f"/reports/{report.pk}/?page=abc")
    table = page.split("readonly-rows")[1].split("</table>")[0]
    assert table.count("<tr>") == 3 and "活动1" in table and "活动2" not in table
    assert "共 5 条，显示第 1—2 条" in page and "第 1/3 页" in page
    assert "<td>5</td><td>活动4</td>" in last
    assert junk.status_code == 200


def test_a_grid_of_several_megabytes_is_saved(demo, reporter, settings):
    """Issue 12 (uploads 3): a 5.5 MB grid (1,500 rows × 400 characters of 活动内容) hit
    Django's 5 MB form cap while the 413 page said 25 MB. The form cap is the request cap."""
    from urllib.parse import urlencode

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_MAX_BYTES == 25 * 2**20
    rows = [[f"活动{i}"] + GOOD[1:5] + ["宣" * 100_000] + GOOD[6:] for i in range(7)]
    post = grid_post(rows)
    assert len(urlencode(post)) > 6 * 2**20
    response = reporter.post(grid_url(demo), urlencode(post),
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Activity.objects.count() == 7


def test_a_grid_over_the_form_cap_is_told_the_real_limit(demo, reporter, settings):
    from urllib.parse import urlencode

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = settings.REQUEST_MAX_BYTES = 2**20
    response = reporter.post(grid_url(demo), urlencode(grid_post([["宣" * 200_000] + GOOD[1:]])),
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "单次提交不能超过 1 MB" in response.content.decode()
