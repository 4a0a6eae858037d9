"""The demo: the 2022 campaign exactly as the notice 内民政慈社〔2022〕3号 states it, and
beside it a live copy whose dates are moved so that today falls inside it (demo_live.py).

Only loaded when demo mode is on (CAMPAIGNDESK_DEMO=1, which `make run` sets), because its
accounts share one well-known password.
"""

from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigndesk.audit.services import record

DEMO_PASSWORD = "Demo#2022"  # noqa: S105  (published on purpose: demo mode only)
REPORTING_CODES = [
    "150100", "150200", "150300", "150400", "150500", "150600", "150700",
    "150800", "150900", "152200", "152500", "152900", "150781", "152501",
]
DEMO_LOGINS = [
    ("region-admin", "自治区管理员（慈善社工处）"),
    ("reviewer", "自治区审核员（慈善社工处）"),
    ("auditor", "审计员"),
    ("security-admin", "安全管理员"),
    ("150100", "呼和浩特市民政局填报员（其余13个直报单位同理，用户名为单位代码）"),
    ("150781", "满洲里市民政局填报员"),
    ("150100-01", "新城区填报员（向呼和浩特市报送；150100-02 回民区同理）"),
    ("150100-review", "呼和浩特市民政局审核员（审核旗县区稿件、催报）"),
]
NOTICE = Path(__file__).resolve().parent / "campaigns" / "fixtures" / "notice-2022.txt"
TITLE_2022 = "2022年社会工作主题宣传活动"


class DemoModeOff(Exception):
    pass


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@transaction.atomic
def load_demo(*, samples: bool = True, now: datetime | None = None) -> bool:
    """Load what is missing of the demo; returns False when it was all there already.

    `samples` adds a few bureaus' first-week reports (乌海市 late, 赤峰市 and 二连浩特市 on
    time) and briefs to the 2022 campaign, and the live copy whose dates are moved to `now`
    (campaigndesk.demo_live); the tests start without them."""
    from campaigndesk.campaigns.models import Campaign

    from .demo_live import live_campaign, load_live_demo

    if not settings.DEMO_MODE:
        raise DemoModeOff(_("演示模式未开启（CAMPAIGNDESK_DEMO=1），不加载演示数据"))
    loaded = False
    campaign = Campaign.objects.filter(year=2022, title=TITLE_2022).first()
    if campaign is None:
        campaign = _load_2022(samples)
        loaded = True
    if samples and live_campaign() is None:
        load_live_demo(campaign, now=now or timezone.now())
        loaded = True
    if samples:
        from campaigndesk.places.demo import load_demo_places

        live = live_campaign()
        loaded = bool(load_demo_places([c for c in (campaign, live) if c])) or loaded
    return loaded


def _load_2022(samples: bool):
    from campaigndesk.campaigns.models import DeadlineKind
    from campaigndesk.campaigns.services import ContactData, DeadlineData, create_campaign
    from campaigndesk.campaigns.vocabulary import DEFAULT_LISTS
    from campaigndesk.units.models import Role, Unit, User
    from campaigndesk.units.services import load_divisions

    load_divisions()
    staff = [
        ("region-admin", Role.REGION_ADMIN, "慈善社工处管理员"),
        ("reviewer", Role.REVIEWER, "慈善社工处审核员"),
        ("auditor", Role.AUDITOR, "审计员"),
        ("security-admin", Role.SECURITY_ADMIN, "安全管理员"),
    ]
    for username, role, name in staff:
        _demo_user(User, username, role=role, full_name=name)
    reporting = list(Unit.objects.filter(code__in=REPORTING_CODES).order_by("code"))
    for unit in reporting:
        _demo_user(User, unit.code, role=Role.REPORTER, unit=unit,
                   full_name=f"{unit.name}民政局填报员")
    campaign = create_campaign(
        None,
        fields={
            "year": 2022,
            "title": TITLE_2022,
            "document_number": "内民政慈社〔2022〕3号",
            "slogan": "五社联动聚合力 社工服务暖基层",
            "start_date": date(2022, 3, 17),
            "end_date": date(2022, 3, 31),
            "notice_text": NOTICE.read_text(encoding="utf-8").strip(),
        },
        participants=reporting,
        vocabulary=DEFAULT_LISTS,
        contacts=[ContactData(name="张璐", office="自治区民政厅慈善社工处",
                              phone="0471-6946872", email="mz6946872@163.com")],
        deadlines=[
            DeadlineData(DeadlineKind.PROGRESS, "第一次工作进展报送", _at(2022, 3, 24, 17)),
            DeadlineData(DeadlineKind.PROGRESS, "第二次工作进展报送", _at(2022, 3, 31, 17)),
            # 务于2022年4月5日前报送: the end of 5 April, Beijing time.
            DeadlineData(DeadlineKind.SUMMARY, "活动总结报送", _at(2022, 4, 5, 23, 59)),
        ],
    )
    if samples:
        from campaigndesk.progress.demo import load_demo_progress

        load_demo_progress(campaign)
        from campaigndesk.articles.demo import load_demo_articles

        load_demo_articles(campaign)
    record(None, "demo.load", campaign, message="加载演示数据")
    return campaign


def _demo_user(User, username: str, **fields):
    user, _ = User.objects.update_or_create(username=username, defaults=fields)
    user.set_password(DEMO_PASSWORD)
    # The demo logs straight in: no forced change, no expiry (honoured in demo mode only).
    user.password_policy_exempt = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password",
                             "password_policy_exempt"])
    return user
