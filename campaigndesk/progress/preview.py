"""What the import preview says about a table before anything is saved, as sentences.

Which round the new rows go into, how many rows were read against how many are valid
(an all-error file read two rows, it must not say 读到 0 条), and whether a 合计 row was
read and what it was compared with. Made here, not in the template, so that any page
previewing a table (an upload, a table that came by mail) says the same.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .excel_in import ReadResult, TotalCheck
from .models import ReportStatus
from .uploads import Plan


def lines(result: ReadResult, plan: Plan) -> list[tuple[str, str]]:
    """(element id, sentence) in the order the preview shows them."""
    found = [("import-read", read_sentence(result))]
    if result.format_note:
        found.insert(0, ("import-format", _("文件格式：%(what)s") % {"what": result.format_note}))
    if result.rows:
        found.append(("import-round", round_sentence(plan)))
    if result.rows and not result.errors:  # with errors nothing can be imported yet
        found.append(("import-plan", plan_sentence(plan)))
    found += [("import-total", total_sentence(check, several=len(result.total_checks) > 1))
              for check in result.total_checks]
    return found


def read_sentence(result: ReadResult) -> str:
    read, bad = result.activity_rows, result.error_rows
    repeated = read - bad - len(result.rows)
    if not read:
        return _("没有读到活动行")
    if not bad:
        sentence = _("读到 %(read)s 行活动，均无错误") % {"read": read}
    elif bad == read:
        sentence = _("读到 %(read)s 行活动，全部有错误（见下方），请修改后重新上传") % {
            "read": read}
    else:
        sentence = _("读到 %(read)s 行活动：%(good)s 行无误，%(bad)s 行有错误（见下方），"
                     "须全部改正后重新上传才能导入") % {
            "read": read, "good": read - bad, "bad": bad}
    if repeated > 0:
        sentence += _("；其中 %(n)s 行与前面的行完全相同，只读取一次") % {"n": repeated}
    return sentence


def round_sentence(plan: Plan) -> str:
    report = plan.round
    if report is None:
        return _("各轮报告均已报送，不能再新增活动；如需更正请联系自治区管理员退回")
    due = timezone.localtime(report.deadline.due_at)
    sentence = _("新增的活动将计入“%(title)s”（%(due)s截止）") % {
        "title": report.deadline.title, "due": f"{due.month}月{due.day}日 {due:%H:%M}"}
    if report.status == ReportStatus.REOPENED:
        sentence += _("，该轮已退回修改")
    elif due < (plan.counted_at or timezone.now()):
        sentence += _("，已过截止时间，报送时将标记为逾期")
    return sentence


def plan_sentence(plan: Plan) -> str:
    return _("将新增 %(new)s 条，更新 %(updated)s 条（与已填报的活动同名同日、内容有改动，"
             "在原来的轮次中更新），%(same)s 条与已填报的活动相同，不会重复录入") % {
        "new": plan.new, "updated": plan.updated, "same": plan.unchanged}


def total_sentence(check: TotalCheck, *, several: bool = False) -> str:
    where = _("第 %(row)s 行") % {"row": check.row}
    if several and check.sheet:
        where = _("工作表“%(sheet)s”%(where)s") % {"sheet": check.sheet, "where": where}
    sentence = _("读到合计行（%(where)s），不作为活动导入") % {"where": where}
    same = [c for c in check.compared if c not in check.differing]
    if not check.compared and not check.unchecked:
        return sentence + _("；其中没有可核对的数字")
    if check.compared:
        sentence += _("；已与各行相加核对")
    if same:
        sentence += _("：%(columns)s一致") % {"columns": "、".join(same)}
    if check.differing:
        sentence += _("；%(columns)s与各行相加不一致，见下方提示") % {
            "columns": "、".join(check.differing)}
    if check.unchecked:
        sentence += _("；%(columns)s因该列有单元格出错，未能核对") % {
            "columns": "、".join(check.unchecked)}
    return sentence
