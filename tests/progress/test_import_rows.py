"""Issue 12 (uploads 4): the import's row cap counts activities, not the template's rows.

20,000 activities were refused as "约 20007 行，上限 20000 行": attachment 1's title, unit
line and header rows counted, and the sheet was named "sheet1.xml". The cap is now a
setting (PROGRESS_IMPORT_MAX_ROWS) on data rows, and messages name the sheet's tab."""

from datetime import date

import pytest

from campaigndesk.progress import uploads
from campaigndesk.progress.excel.guard import Caps
from campaigndesk.progress.excel_in import ReadContext, UnreadableFile, read_progress

from .builders import MESSY_HEADER_1, MESSY_HEADER_2, workbook_bytes

TOP = [["附件 1"], ["盟市社会工作主题宣传活动工作进展情况统计表"],
       ["盟市民政局慈善社工相关科室：包头市民政局慈善社工科"],
       ["填报人及手机号码：", "王芳/138-0000-1234"], ["填报时间： 2022年3月24日"],
       MESSY_HEADER_1, MESSY_HEADER_2]


def table(activities: int) -> bytes:
    """Attachment 1 as the template has it (7 rows above the data), on a tab 活动明细."""
    body = [[i + 1, f"活动{i}", "XX社工站", 10, date(2022, 3, 18), "XX社区", None, "宣传",
             "老年人", 20, 0, 0, None] for i in range(activities)]
    return workbook_bytes({"活动明细": TOP + body})


def read(data: bytes, caps: Caps):
    return read_progress(data, context=ReadContext(
        2022, date(2022, 3, 17), date(2022, 3, 31), caps=caps))


def test_exactly_the_cap_of_activities_is_read_whatever_the_header_rows():
    result = read(table(20), Caps(max_rows=20))
    assert len(result.rows) == 20 and not result.errors


def test_one_activity_over_the_cap_is_refused_counting_activities():
    with pytest.raises(UnreadableFile) as caught:
        read(table(21), Caps(max_rows=20))
    assert caught.value.reason == "too_large"
    assert caught.value.message == "表中共有 21 行活动，一次最多导入 20 行，请分批导入"


def test_a_sheet_far_over_the_cap_is_named_by_its_tab():
    with pytest.raises(UnreadableFile) as caught:
        read(table(60), Caps(max_rows=20, header_rows=10))
    message = caught.value.message
    assert "工作表“活动明细”的行数过多（共 67 行，一次最多导入 20 行活动" in message
    assert "sheet1.xml" not in message


def test_the_cap_is_a_setting_of_at_least_50000(demo, settings):
    assert settings.PROGRESS_IMPORT_MAX_ROWS >= 50_000
    settings.PROGRESS_IMPORT_MAX_ROWS = 123
    assert uploads.read_context(demo).caps.max_rows == 123
