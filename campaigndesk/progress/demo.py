"""Demo progress reports: a few bureaus have sent their first week's table, one of them late,
so the overview, the round figures and the consolidated workbook have something to show.

The same reports, moved by whole days, fill the live demo campaign (campaigndesk.demo_live),
which adds the second week of a few bureaus."""

from dataclasses import replace
from datetime import date, datetime, timedelta

from django.utils import timezone

from campaigndesk.campaigns.models import Campaign
from campaigndesk.units.models import Unit, User

from . import services
from .table import ActivityRow


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2022, month, day, hour, minute))


def _row(name, orgs, people, day, place, content, areas, served, funds_yuan=0,
         materials_yuan=0, last_day=None) -> ActivityRow:
    return ActivityRow(
        name=name, organizations=orgs, participants=people, start=date(2022, 3, day),
        end=date(2022, 3, last_day or day), location=place, content=content,
        service_areas=areas, beneficiaries=served, funds_fen=funds_yuan * 100,
        materials_fen=materials_yuan * 100)


FIRST_WEEK = {
    "150400": ("王芳", "13800001234", _at(3, 24, 15, 20), [
        _row("“五社联动聚合力 社工服务暖基层”主题宣传启动仪式",
             ["赤峰市民政局", "赤峰市社会工作协会"], 120, 17, "红山区永巨街道",
             "启动主题宣传周，展示社工站建设成果，发放宣传折页", ["老年人", "困难群体"], 600,
             0, 3000),
        _row("社工进社区政策宣讲", ["松山区振兴街道社工站"], 16, 18, "松山区向阳社区",
             "讲解社会工作基本知识和救助政策，现场答疑", ["老年人", "残疾人"], 85),
        _row("四点半课堂", ["元宝山区平庄镇社工站", "赤峰学院社会工作系"], 12, 21,
             "元宝山区平庄镇", "为双职工家庭儿童提供课业辅导和安全教育", ["儿童青少年"], 40,
             0, 1200, last_day=23),
    ]),
    "150300": ("李强", "13904731234", _at(3, 25, 9, 40), [
        _row("“社工服务暖基层”进企业", ["乌海市海勃湾区社会工作服务中心"], 20, 19,
             "海勃湾区新华街道", "为企业困难职工家庭开展走访慰问和需求评估", ["困难群体"], 60,
             5000, 2400),
        _row("社区志愿者技能培训", ["乌达区社会组织孵化基地"], 35, 22, "乌达区三道坎街道",
             "培训社区志愿者掌握入户探访和心理疏导基本方法", ["老年人"], 35),
    ]),
    "152501": ("赵敏", "15847901234", _at(3, 24, 11, 5), [
        _row("口岸社区关爱空巢老人", ["二连浩特市社会工作服务站"], 9, 20, "二连浩特市友谊社区",
             "入户探访空巢老人，开展健康检测和防诈骗宣传", ["老年人"], 46, 0, 1800),
    ]),
}


# The live demo adds these: 呼和浩特市 (the demo reporter 150100) on time in the first week and
# with a draft in the second; 赤峰市 and 二连浩特市 have already sent the second week.
LIVE_FIRST_WEEK = {
    "150100": ("刘洋", "13947101234", _at(3, 24, 16, 30), [
        _row("社工服务进社区政策宣传咨询", ["赛罕区民政局", "青城社会工作服务中心"], 20, 18,
             "赛罕区敕勒川路街道社工站", "为辖区老年人提供政策咨询、血压测量和心理疏导，"
             "发放宣传折页300余份", ["老年人"], 200, 0, 1500),
        _row("社会工作知识线上竞答", ["呼和浩特市社会工作协会"], 8, 21, "线上（微信公众号）",
             "围绕社会工作基本知识和政策法规开展线上知识竞答", ["妇女", "儿童青少年"], 1260,
             last_day=23),
    ]),
}
SECOND_WEEK = {
    "150400": ("王芳", "13800001234", _at(3, 29, 16, 10), [
        _row("社会工作者职业风采展示", ["赤峰市社会工作协会"], 30, 25, "新城区文化广场",
             "展示优秀社会工作者事迹和服务项目成果，现场开展咨询", ["老年人", "残疾人", "困难群体"],
             420, 2000),
        _row("困境儿童关爱小组活动", ["喀喇沁旗锦山镇社工站"], 10, 26, "喀喇沁旗锦山镇",
             "为困境儿童开展情绪疏导和安全教育小组活动", ["儿童青少年"], 24, 0, 800,
             last_day=28),
    ]),
    "152501": ("赵敏", "15847901234", _at(3, 30, 10, 25), [
        _row("边境社区“五社联动”议事会", ["二连浩特市社会工作服务站", "友谊社区居委会"], 18, 28,
             "二连浩特市友谊社区", "社区、社会组织、社工、志愿者和爱心企业共商为老服务项目",
             ["老年人"], 60, 3000),
    ]),
    "150100": ("刘洋", "13947101234", None, [
        _row("社工站开放日", ["新城区东街街道社工站"], 12, 29, "新城区东街街道",
             "开放社工站服务场所，介绍社会工作服务内容和求助渠道", ["老年人", "妇女"], 90),
    ]),
}


def _moved(row: ActivityRow, days: timedelta) -> ActivityRow:
    return replace(row, start=row.start + days if row.start else None,
                   end=row.end + days if row.end else None)


def load_demo_progress(campaign: Campaign, reports: dict | None = None, *,
                       days: int = 0) -> None:
    """Each unit's table for its open round, sent at its time (None: left as a draft);
    `days` moves the activities and the sending times (the live demo)."""
    shift = timedelta(days=days)
    for code, (name, phone, sent_at, rows) in (FIRST_WEEK if reports is None
                                               else reports).items():
        unit = Unit.objects.get(code=code)
        reporter = User.objects.get(username=code)
        report = services.current_report(campaign, unit)
        services.save_round(reporter, report, [(None, _moved(row, shift)) for row in rows])
        if sent_at is None:
            continue
        sent_at = sent_at + shift
        services.submit_report(reporter, report, reporter_name=name, reporter_phone=phone,
                               filled_date=timezone.localdate(sent_at), now=sent_at)
