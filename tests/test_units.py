import pytest
from django.core.exceptions import ValidationError

from campaigndesk.units import services
from campaigndesk.units.models import Level, Unit
from campaigndesk.units.permissions import visible_units


def test_divisions_load_region_fourteen_reporting_units_and_103_counties(demo):
    assert Unit.objects.filter(level=Level.REGION).count() == 1
    assert Unit.objects.reporting().count() == 14
    assert Unit.objects.filter(level=Level.LEAGUE).count() == 12
    assert Unit.objects.filter(level=Level.COUNTY).count() == 103


def test_manzhouli_lies_in_hulunbuir_but_reports_to_the_region(units):
    manzhouli = units["150781"]
    assert manzhouli.geo_parent == units["150700"]
    assert manzhouli.reports_to == units["150000"]
    assert manzhouli.is_reporting
    assert units["152501"].geo_parent == units["152500"]
    assert units["152501"].reports_to == units["150000"]


def test_each_unit_counted_once_in_the_reporting_tree(units):
    region = units["150000"]
    everyone = Unit.objects.under(region)
    assert everyone.count() == Unit.objects.count() == 116
    hulunbuir = Unit.objects.under(units["150700"])
    assert units["150781"] not in hulunbuir
    leagues_and_direct = [Unit.objects.under(u).count() for u in Unit.objects.reporting()]
    assert sum(leagues_and_direct) == Unit.objects.count() - 1


def test_short_names_loaded(units):
    tumote = Unit.objects.get(name="土默特左旗")
    assert "土左旗" in tumote.short_names
    assert units["152500"].short_names == ["锡盟"]


def test_reloading_the_csv_changes_nothing(demo):
    before = list(Unit.objects.values_list("code", "name", "report_path"))
    created, updated = services.load_divisions()
    assert created == 0
    assert updated == 116
    assert list(Unit.objects.values_list("code", "name", "report_path")) == before


def test_moving_a_unit_moves_everything_under_it(personas, units):
    admin = personas["region_admin"]
    station = services.create_unit(
        admin, code="150102-S1", name="兴安路街道社工站", level=Level.GRASSROOTS,
        geo_parent=Unit.objects.get(name="新城区"), reports_to=Unit.objects.get(name="新城区"),
    )
    county = Unit.objects.get(name="新城区")
    assert station in Unit.objects.under(units["150100"])
    services.update_unit(admin, county, reports_to=units["150200"], geo_parent=units["150200"])
    station.refresh_from_db()
    assert station in Unit.objects.under(units["150200"])
    assert station not in Unit.objects.under(units["150100"])


def test_a_unit_cannot_report_to_its_own_descendant(personas, units):
    county = Unit.objects.get(name="新城区")
    with pytest.raises(ValidationError) as err:
        services.update_unit(personas["region_admin"], units["150100"], reports_to=county)
    assert "报送上级" in str(err.value)


def test_unit_with_data_cannot_be_deleted_only_deactivated(personas, units):
    admin = personas["region_admin"]
    with pytest.raises(services.UnitInUse) as err:
        services.delete_unit(admin, units["150100"])
    assert "不能删除，只能停用" in str(err.value)
    assert Unit.objects.filter(code="150100").exists()
    services.deactivate_unit(admin, units["150100"])
    assert not Unit.objects.get(code="150100").is_active


def test_empty_unit_can_be_deleted(personas, units):
    unit = services.create_unit(
        personas["region_admin"], code="X1", name="临时单位", level=Level.COUNTY,
        geo_parent=units["150300"], reports_to=units["150300"],
    )
    services.delete_unit(personas["region_admin"], unit)
    assert not Unit.objects.filter(code="X1").exists()


def test_reporter_sees_own_unit_and_units_under_it_only(personas, units):
    visible = visible_units(personas["hulunbuir"])
    assert units["150700"] in visible
    assert Unit.objects.get(name="海拉尔区") in visible
    assert units["150781"] not in visible
    assert units["150100"] not in visible


def test_admin_renames_and_moves_a_unit_from_the_web(personas, units, as_user):
    client = as_user(personas["region_admin"])
    county = Unit.objects.get(name="托克托县")
    response = client.post(f"/manage/units/{county.pk}/edit/", {
        "code": county.code, "name": "托克托县（新）", "short_names": "托县、托克托",
        "level": "county", "geo_parent": units["150100"].pk, "reports_to": units["150100"].pk,
        "is_active": "on",
    })
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.name == "托克托县（新）"
    assert county.short_names == ["托县", "托克托"]


def test_web_form_names_the_wrong_field(personas, units, as_user):
    client = as_user(personas["region_admin"])
    response = client.post("/manage/units/new/", {
        "code": "Y1", "name": "某旗", "level": "county", "geo_parent": "", "reports_to": "",
    })
    assert response.status_code == 200
    assert "报送上级不能为空" in response.content.decode()
    assert not Unit.objects.filter(code="Y1").exists()


def test_delete_from_the_web_refused_with_a_message(personas, units, as_user):
    client = as_user(personas["region_admin"])
    response = client.post(f"/manage/units/{units['150100'].pk}/delete/", follow=True)
    assert "不能删除，只能停用" in response.content.decode()
    assert Unit.objects.filter(code="150100").exists()


def _expected_path(unit: Unit) -> str:
    chain = []
    while unit is not None:
        chain.append(str(unit.pk))
        unit = unit.reports_to
    return "/" + "/".join(reversed(chain)) + "/"


def test_moving_a_unit_rewrites_the_subtree_paths_in_one_update(personas, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = personas["region_admin"]
    county = Unit.objects.get(name="新城区")
    stations = [services.create_unit(
        admin, code=f"150102-S{i}", name=f"社工站{i}", level=Level.GRASSROOTS,
        geo_parent=county, reports_to=county) for i in range(3)]
    with CaptureQueriesContext(connection) as queries:
        services.update_unit(admin, county, reports_to=units["150200"],
                             geo_parent=units["150200"])
    updates = [q for q in queries if q["sql"].startswith('UPDATE "units_unit" SET "report_path"')]
    assert len(updates) == 2  # the unit, then everything under it at once
    for unit in Unit.objects.select_related("reports_to"):
        assert unit.report_path == _expected_path(unit), unit.code
    assert all(Unit.objects.get(pk=s.pk).report_path.startswith(units["150200"].report_path)
               for s in stations)
