"""Demo service places (issue 16 point 5): a few dozen across the 14 bureaus, with staff,
services and steps; posters printed for most, the posted sign confirmed by a photo for
some. Made through the services, as a reporter would."""

from __future__ import annotations

from decimal import Decimal

from campaigndesk.articles.demo_photos import scene
from campaigndesk.units.models import Unit, User

from . import lists, services
from .models import Kind, Place, PosterSize

KINDS = [(Kind.STATION, "街道社工站"), (Kind.ROOM, "社区社工室"), (Kind.SCHOOL, "中学社工点"),
         (Kind.HOSPITAL, "人民医院社工点")]
SERVICES = ["个案服务：困境儿童", "小组活动：独居老人", "政策咨询：辖区居民",
            "心理疏导：残疾人家庭"]
STAFF = ["王芳，站长，社会工作师，13804710001", "李明，社工，助理社会工作师，13904710002",
         "赵丽，志愿者，，"]
STEPS = "接待登记\n需求评估\n制定服务计划\n提供服务\n跟进回访"
PER_BUREAU = 3
# Roughly the seat of each bureau (longitude, latitude), so the demo's first place of each has
# a map link on its public page.
SEATS = {"150100": (111.75, 40.84), "150200": (109.84, 40.66), "150300": (106.79, 39.66),
         "150400": (118.89, 42.26), "150500": (122.24, 43.65), "150600": (109.78, 39.61),
         "150700": (119.77, 49.21), "150800": (107.39, 40.74), "150900": (113.13, 41.00),
         "152200": (122.04, 46.08), "152500": (116.05, 43.93), "152900": (105.73, 38.85),
         "150781": (117.38, 49.60), "152501": (111.98, 43.65)}


def _units_of(bureau: Unit) -> list[Unit]:
    counties = list(Unit.objects.filter(reports_to=bureau).order_by("code")[:PER_BUREAU])
    return counties or [bureau]


def _location(bureau: Unit, n: int) -> dict:
    seat = SEATS.get(bureau.code)
    if seat is None or n != 0:
        return {"longitude": None, "latitude": None}
    return {"longitude": Decimal(f"{seat[0] + 0.01:.6f}"),
            "latitude": Decimal(f"{seat[1] + 0.01:.6f}")}


def load_demo_places(campaigns) -> int:
    """Returns how many places were made; nothing when the register has places already."""
    if Place.objects.exists():
        return 0
    made = 0
    bureaus = Unit.objects.reporting().order_by("code")
    for b, bureau in enumerate(bureaus):
        reporter = User.objects.filter(username=bureau.code).first()
        if reporter is None:
            continue
        units = _units_of(bureau)
        for n in range(PER_BUREAU):
            unit = units[n % len(units)]
            kind, suffix = KINDS[(b + n) % len(KINDS)]
            ordinal = "" if len(units) == PER_BUREAU else "一二三"[n]
            name = f"{unit.name}{ordinal}{suffix}"
            data = services.PlaceData(
                unit=unit,
                fields={"name": name, "kind": kind, "address": f"{unit.name}人民路{10 + n}号",
                        "hours": "周一至周五 8:30-12:00，14:30-17:30",
                        "content": "为辖区老年人、困境儿童、残疾人等提供个案辅导、小组活动和"
                                   "社区服务，链接社会慈善资源。",
                        "phone": f"0471-69{b:02d}{n:03d}"[:12],
                        **_location(bureau, n), "publish_staff_phones": n == 0},
                services=lists.parse_items("\n".join(SERVICES[:2 + n])),
                staff=lists.parse_staff("\n".join(STAFF[:1 + n % 3])),
                steps=lists.parse_steps(STEPS))
            place = services.create_place(reporter, data)
            made += 1
            for campaign in campaigns:
                if (b + n) % 4 == 3:
                    continue  # a quarter have not printed their poster yet
                services.note_poster(reporter, place, campaign, PosterSize.A4)
                if (b + n) % 3 == 0:  # and of those that have, a third posted it
                    services.confirm_signage(reporter, place, campaign, scene(b + n),
                                             original_name="标识张贴.jpg")
    return made
