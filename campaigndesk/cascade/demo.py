"""The demo's cascade (issue 17): 呼和浩特市 opens the live campaign to 新城区 and 回民区,
each internal deadline five hours before the region's (12:00 before 17:00). 新城区 has sent
its first round and its second; 回民区 holds a draft. When 呼和浩特市 sends its second round,
新城区's rows go up with it."""

from datetime import timedelta

from django.utils import timezone

from campaigndesk.campaigns.cascade import open_cascade
from campaigndesk.campaigns.models import Campaign
from campaigndesk.progress import services as progress
from campaigndesk.progress.demo import _moved, _row
from campaigndesk.units.models import Role, Unit, User

BUREAU = "150100"
MEMBERS = ("150100-01", "150100-02")  # 新城区, 回民区
REVIEWER = "150100-review"
AHEAD = timedelta(hours=5)

ROWS = {
    "150100-01": [
        [_row("新城区社工站开放日", ["新城区海东路街道社工站"], 40, 18, "新城区海东路街道",
              "介绍社工站服务清单，居民现场体验", ["老年人", "儿童青少年"], 150)],
        [_row("“五社联动”邻里议事会", ["新城区东街街道社工站", "东街社区"], 25, 25,
              "新城区东街社区", "社区、社会组织、社工、志愿者共商加装电梯", ["老年人"], 90,
              2000)],
    ],
    "150100-02": [
        [_row("回民区困难群体走访", ["回民区环河街街道社工站"], 8, 21, "回民区环河街",
              "入户走访困难家庭，链接救助资源", ["困难群体"], 30, 0, 1500)],
    ],
}


def demo_user(username: str, **fields) -> User:
    from campaigndesk.demo import _demo_user

    return _demo_user(User, username, **fields)


def load_demo_cascade(campaign: Campaign, *, days: int) -> None:
    bureau = Unit.objects.get(code=BUREAU)
    members = list(Unit.objects.filter(code__in=MEMBERS).order_by("code"))
    by = User.objects.get(username=BUREAU)
    cascade = open_cascade(by, campaign, bureau, members=members,
                           dues={d.pk: d.due_at - AHEAD for d in campaign.deadlines.all()})
    for unit in members:
        demo_user(unit.code, role=Role.REPORTER, unit=unit,
                  full_name=f"{unit.name}民政局填报员")
    demo_user(REVIEWER, role=Role.BUREAU_REVIEWER, unit=bureau,
              full_name="呼和浩特市民政局审核员")
    shift = timedelta(days=days)
    dues = [d.due_at for d in cascade.deadlines.order_by("due_at") if d.kind == "progress"]
    now = timezone.now()
    for unit in members:
        reporter = User.objects.get(username=unit.code)
        rounds = ROWS[unit.code]
        for number, rows in enumerate(rounds):
            report = progress.current_report(campaign, unit)
            progress.save_round(reporter, report, [(None, _moved(r, shift)) for r in rows])
            if unit.code == "150100-02":
                break  # 回民区: a draft, never sent, never counted
            sent_at = min(dues[number] - timedelta(hours=3), now)
            progress.submit_report(reporter, report, reporter_name=f"{unit.name}填报员",
                                   reporter_phone="13900001111",
                                   filled_date=timezone.localdate(sent_at), now=sent_at)
