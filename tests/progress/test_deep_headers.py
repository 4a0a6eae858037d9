"""Headers of three or more rows, as bureaus build them by hand, and what the preview says."""

from datetime import date

import pytest

from campaigndesk.progress import preview
from campaigndesk.progress.excel_in import read_progress, read_table
from campaigndesk.progress.uploads import Plan

from .builders import CONTEXT, workbook_bytes

N = None
ALL_KEYS = {"name", "organizations", "participants", "dates", "location", "content",
            "service_areas", "beneficiaries", "funds", "materials", "remarks"}
TOP = [["附件1"], ["盟市社会工作主题宣传活动工作进展情况统计表"],
       ["填报人及手机号码：王芳 13800001234", N, N, N, "填报时间：2022年3月24日"]]


def rows_of(*header, body=None):
    data = body or [
        [1, "社工宣传进社区", "赛罕区社工站", 12, "3月18日", "昭乌达路社区", "宣传", "老年人", 150,
         1000, 50.5, "无"],
        [2, "助残服务日", "回民区残联", 8, "3月20日", "通道街社区", "上门服务", "残疾人", 40,
         0, 0, ""],
        ["合计", N, N, 20, N, N, N, N, 190, 1000, 50.5, N],
    ]
    return TOP + list(header) + data


# A grouping row above the names; 序号 and 备注 merged down across it (their cells below
# are empty); 链接资源情况 in the grouping row over the two amounts.
GROUPING = ["序号", "活动基本情况", N, N, N, N, N, "服务情况", N, "链接资源情况", N, "备注"]
NAMES = [N, "活动名称", "参与活动的单位或社会组织（团队）名称", "参与人次", "活动开展时间",
         "活动地点", "活动内容", "服务领域", "受益人次", "链接资金（元）", "链接物资折价（元）", N]
# Three header rows: the grouping row, the names with 链接资源情况, and its two amounts.
NAMES_WITH_GROUP = NAMES[:9] + ["链接资源情况", N, N]
AMOUNTS = [N] * 9 + ["资金（元）", "物资折价（元）", N]


@pytest.mark.parametrize(("header", "merges"), [
    ((GROUPING, NAMES), ["A4:A5", "L4:L5", "B4:G4", "H4:I4", "J4:K4"]),
    ((GROUPING, NAMES_WITH_GROUP, AMOUNTS), ["A4:A6", "L4:L6", "B4:G4", "J5:K5"]),
    ((["序号", "活动基本情况", N, N, N, N, N, N, N, "链接资源", N, "备注"],
      NAMES_WITH_GROUP, [N] * 9 + ["现金", "实物", N]), []),
], ids=["two rows under a grouping row", "three rows", "amounts named by place"])
def test_a_grouping_row_above_the_names(header, merges):
    result = read_progress(workbook_bytes({"S": rows_of(*header)}, {"S": merges}),
                           context=CONTEXT)
    assert set(result.columns) == ALL_KEYS
    assert result.errors == [] and result.warnings == []
    first, second = result.rows
    assert (first.row, first.name, first.funds_fen, first.materials_fen, first.remarks) == (
        4 + len(header), "社工宣传进社区", 100000, 5050, "无")
    assert second.name == "助残服务日"
    assert result.total_row == {"participants": 20, "beneficiaries": 190, "funds": 100000,
                                "materials": 5050}
    assert result.total_checks[0].differing == ()
    assert (result.reporter_name, result.filled_date) == ("王芳", date(2022, 3, 24))


def test_a_total_column_beside_the_amounts_is_named_and_not_read():
    """合计（元）under 链接资源情况 (funds + materials) is no activity figure, and its 金额
    does not make it 链接资金."""
    names = NAMES_WITH_GROUP[:9] + ["链接资源情况", N, N, N]
    amounts = [N] * 9 + ["合计金额（元）", "链接资金（元）", "链接物资折价（元）", N]
    grouping = GROUPING[:11] + [N, "备注"]
    body = [[1, "讲座", "甲", 12, "3月18日", "社区", "宣传", "老年人", 150, 1050.5, 1000, 50.5, ""]]
    result = read_progress(workbook_bytes({"S": rows_of(grouping, names, amounts, body=body)}),
                           context=CONTEXT)
    (row,) = result.rows
    assert (row.funds_fen, row.materials_fen) == (100000, 5050)
    assert [p.message for p in result.warnings] == [
        "“合计金额（元）”是合计列，不作为活动数据读取（合计由各行相加得出）"]
    assert result.warnings[0].row == 5  # the row of the column names, not the grouping row


def test_the_title_and_the_reporter_line_are_not_grouping_rows():
    rows = [["盟市社会工作主题宣传活动工作进展情况统计表"],
            ["填报单位：呼和浩特市", N, "填报人：王芳"],
            ["序号", "活动名称", "参与单位", "参与人次", "活动开展时间", "活动地点"],
            [1, "讲座", "甲", 3, "3月18日", "社区"]]
    result = read_table(rows, context=CONTEXT)
    assert [r.name for r in result.rows] == ["讲座"] and result.reporter_name == "王芳"


def test_the_preview_says_what_was_read_where_it_goes_and_the_total():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from campaigndesk.campaigns.models import Deadline
    from campaigndesk.progress.models import Report, ReportStatus

    header = (GROUPING, NAMES)
    body = [[1, "讲座", "甲", 12, "3月18日", "社区", "宣传", "老年人", 150, 0, 0, ""],
            [2, "义诊", "乙", "十", "3月19日", "社区", "义诊", "老年人", 15, 0, 0, ""],
            [3, "走访", "丙", 5, "2月30日", "社区", "走访", "老年人", 9, 0, 0, ""],
            ["合计", N, N, 27, N, N, N, N, 174, N, N, N]]
    result = read_progress(workbook_bytes({"S": rows_of(*header, body=body)}), context=CONTEXT)
    due = datetime(2022, 3, 31, 17, tzinfo=ZoneInfo("Asia/Shanghai"))
    report = Report(status=ReportStatus.DRAFT,
                    deadline=Deadline(title="第二次工作进展报送", due_at=due))
    lines = dict(preview.lines(result, Plan(1, 0, 0, [], report)))
    assert lines["import-read"] == (
        "读到 3 行活动：1 行无误，2 行有错误（见下方），须全部改正后重新上传才能导入")
    assert lines["import-round"].startswith(
        "新增的活动将计入“第二次工作进展报送”（3月31日 17:00截止）")
    assert "import-plan" not in lines  # nothing can be imported before the errors are fixed
    assert lines["import-total"] == (
        "读到合计行（第 9 行），不作为活动导入；已与各行相加核对：受益人次一致；"
        "参与人次因该列有单元格出错，未能核对")

    all_wrong = read_progress(workbook_bytes({"S": rows_of(*header, body=body[1:3])}),
                              context=CONTEXT)
    lines = dict(preview.lines(all_wrong, Plan(0, 0, 0, [], report)))
    assert lines["import-read"] == "读到 2 行活动，全部有错误（见下方），请修改后重新上传"
    assert "import-round" not in lines  # nothing could go anywhere

    differing = [body[0], ["合计", N, N, 13, N, N, N, N, 150, N, N, N]]
    checked = read_progress(workbook_bytes({"S": rows_of(*header, body=differing)}),
                            context=CONTEXT)
    lines = dict(preview.lines(checked, Plan(1, 0, 0, [], None)))
    assert lines["import-total"] == ("读到合计行（第 7 行），不作为活动导入；已与各行相加核对："
                                     "受益人次一致；参与人次与各行相加不一致，见下方提示")
    assert lines["import-round"].startswith("各轮报告均已报送")
    assert lines["import-plan"].startswith("将新增 1 条")
