"""Demo progress reports: a few bureaus have sent their first week's table, one of them late,
so the overview, the round figures and the consolidated workbook have something to show."""

from datetime import date, datetime

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


def load_demo_progress(campaign: Campaign) -> None:
    for code, (name, phone, sent_at, rows) in FIRST_WEEK.items():
        unit = Unit.objects.get(code=code)
        reporter = User.objects.get(username=code)
        report = services.current_report(campaign, unit)
        services.save_round(reporter, report, [(None, row) for row in rows])
        services.submit_report(reporter, report, reporter_name=name, reporter_phone=phone,
                               filled_date=sent_at.date(), now=sent_at)
