"""The register of places (issue 16 point 1): who keeps which places, the form, the audit."""

from django.urls import reverse

from campaigndesk.audit.models import AuditEntry
from campaigndesk.places.models import Place
from campaigndesk.units.models import Unit

from .builders import NAME, make_place

FORM = {
    "unit": "", "name": "赛罕区大学路社工室", "kind": "room", "address": "赛罕区大学西街1号",
    "hours": "周一至周五 9:00-17:00", "content": "青少年成长辅导",
    "services_text": "个案辅导：青少年\n家庭教育讲座：家长",
    "staff_text": "赵丽，社工，助理社会工作师，13800001111",
    "steps_text": "1. 预约\n2. 面谈\n3. 服务", "phone": "0471-1234567",
    "longitude": "111.7", "latitude": "40.8",
}


def test_a_reporter_registers_a_place_of_a_county_under_its_unit(personas, client):
    saihan = Unit.objects.get(name="赛罕区")
    client.force_login(personas["reporter"])
    response = client.post(reverse("place_create", kwargs={"code": "150100"}),
                           {**FORM, "unit": saihan.code}, follow=True)
    assert "已登记服务场所“赛罕区大学路社工室”" in response.content.decode()
    place = Place.objects.get(name="赛罕区大学路社工室")
    assert place.unit == saihan
    assert [(s.name, s.audience) for s in place.services.all()] == [
        ("个案辅导", "青少年"), ("家庭教育讲座", "家长")]
    assert [s.text for s in place.steps.all()] == ["预约", "面谈", "服务"]
    staff = place.staff.get()
    assert (staff.name, staff.qualification, staff.phone) == ("赵丽", "助理社会工作师",
                                                              "13800001111")
    entry = AuditEntry.objects.get(action="places.create")
    assert entry.object_id == str(place.pk) and entry.actor == personas["reporter"]


def test_bad_input_names_the_field_in_chinese(personas, client):
    client.force_login(personas["reporter"])
    bad = {**FORM, "unit": "150100", "phone": "电话", "longitude": "111.7", "latitude": "",
           "staff_text": "赵丽，社工，助理社会工作师，123"}
    response = client.post(reverse("place_create", kwargs={"code": "150100"}), bad)
    text = response.content.decode()
    assert response.status_code == 200
    assert "请填写电话号码" in text
    assert "经度和纬度须同时填写或同时不填" in text
    assert "服务人员第 1 条的电话“123”不是电话号码" in text
    assert not Place.objects.exists()


def test_a_reporter_cannot_register_for_another_league(personas, client):
    baotou_county = Unit.objects.filter(reports_to__code="150200").first()
    client.force_login(personas["reporter"])
    response = client.post(reverse("place_create", kwargs={"code": "150100"}),
                           {**FORM, "unit": baotou_county.code})
    assert "不是可用的选项" in response.content.decode() or "选择一个有效的选项" in \
        response.content.decode()
    assert not Place.objects.exists()
    assert client.get(reverse("unit_places", kwargs={"code": "150200"})).status_code == 404


def test_reporters_see_their_own_places_region_users_see_all(personas, client):
    place = make_place()
    client.force_login(personas["other_reporter"])
    assert client.get(reverse("place_edit", kwargs={"pk": place.pk})).status_code == 404
    assert NAME not in client.get(reverse("places_home"), follow=True).content.decode()
    client.force_login(personas["reviewer"])
    page = client.get(reverse("places_home"), follow=True).content.decode()
    assert NAME in page
    assert client.get(reverse("place_edit", kwargs={"pk": place.pk})).status_code == 403
    client.force_login(personas["reporter"])
    assert NAME in client.get(reverse("places_home"), follow=True).content.decode()


def test_edit_keeps_the_version_and_audits_the_change(personas, client):
    place = make_place()
    client.force_login(personas["reporter"])
    url = reverse("place_edit", kwargs={"pk": place.pk})
    page = client.get(url).content.decode()
    assert "王芳，站长，社会工作师，13912345678" in page
    data = {**FORM, "unit": place.unit.code, "name": NAME, "version": "0"}
    response = client.post(url, data, follow=True)
    assert "已保存" in response.content.decode()
    place.refresh_from_db()
    assert place.version == 1 and place.kind == "room"
    stale = client.post(url, data)
    assert stale.status_code == 409
    assert "其他人已修改并保存" in stale.content.decode()
    entry = AuditEntry.objects.filter(action="places.update").get()
    assert entry.changes["kind"] == ["station", "room"]


def test_delete_is_post_only_and_audited(personas, client):
    place = make_place()
    client.force_login(personas["reporter"])
    url = reverse("place_delete", kwargs={"pk": place.pk})
    assert client.get(url).status_code == 405
    # The edit page's button asks first, naming what goes with the place.
    asked = client.post(url).content.decode()
    assert f"确定删除“{place.name}”吗" in asked and 'name="confirm" value="yes"' in asked
    assert Place.objects.exists()
    client.post(url, {"confirm": "yes"})
    assert not Place.objects.exists()
    assert AuditEntry.objects.filter(action="places.delete").count() == 1


def test_top_bar_links_the_register(personas, client):
    client.force_login(personas["reporter"])
    assert 'id="nav-places"' in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(personas["auditor"])
    assert 'id="nav-places"' not in client.get(reverse("audit_log")).content.decode()


def test_full_width_digits_and_a_semicolon_inside_a_line_are_read_as_typed(personas, client):
    saihan = Unit.objects.get(name="赛罕区")
    client.force_login(personas["reporter"])
    response = client.post(reverse("place_create", kwargs={"code": "150100"}), {
        **FORM, "unit": saihan.code, "longitude": "１１１．７", "latitude": "４０．８",
        "phone": "０４７１－１２３４５６７",
        "staff_text": "赵丽，社工，助理社会工作师，１３８００００１１１１",
        # A ； lists two groups of one service; only a line break starts a new entry.
        "services_text": "个案服务：困境儿童；留守儿童", "steps_text": "接待登记；填写需求表"},
        follow=True)
    assert "已登记服务场所" in response.content.decode()
    place = Place.objects.get(name=FORM["name"])
    assert (str(place.longitude), str(place.latitude)) == ("111.700000", "40.800000")
    assert place.phone == "0471-1234567" and place.staff.get().phone == "13800001111"
    assert [(s.name, s.audience) for s in place.services.all()] == [
        ("个案服务", "困境儿童；留守儿童")]
    assert [s.text for s in place.steps.all()] == ["接待登记；填写需求表"]
