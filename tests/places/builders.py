"""A place of 新城区 (呼和浩特市) as the services take it, for the place tests and the
permission matrix."""

from campaigndesk.places import lists, services
from campaigndesk.units.models import Unit, User

NAME = "新城区海拉尔东路街道社工站"
STAFF_PHONE = "13912345678"


def place_data(unit=None, **fields):
    unit = unit or Unit.objects.get(name="新城区")
    values = {"name": NAME, "kind": "station", "address": "新城区海拉尔东路12号",
              "hours": "周一至周五 8:30-17:30",
              "content": "为辖区老年人和困境儿童提供个案、小组和社区服务",
              "phone": "0471-6946872", "longitude": None, "latitude": None,
              "publish_staff_phones": False}
    values.update(fields)
    return services.PlaceData(
        unit=unit, fields=values,
        services=lists.parse_items("个案服务：困境儿童\n小组活动：独居老人"),
        staff=lists.parse_staff(f"王芳，站长，社会工作师，{STAFF_PHONE}\n李明，社工，助理社会工作师"),
        steps=lists.parse_steps("接待登记\n需求评估\n提供服务\n跟进回访"))


def make_place(by="150100", unit=None, **fields):
    return services.create_place(User.objects.get(username=by), place_data(unit, **fields))
