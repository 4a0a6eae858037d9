"""The register as .xlsx (issue 16 point 1): the template reads back, errors are named by
行 and 列 in Chinese and nothing is saved on any error, the export is formula-safe and
imports again unchanged."""

import io
import zipfile

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from campaigndesk.audit.models import AuditEntry
from campaigndesk.places import xlsx
from campaigndesk.places.models import Place

from .builders import NAME, make_place

ROW = ["赛罕区大学路社工室", "社工室", "赛罕区", "赛罕区大学西街1号", "周一至周五 9:00-17:00",
       "青少年成长辅导", "个案辅导：青少年\n家庭教育讲座：家长",
       "赵丽，社工，助理社会工作师，13800001111",
       "预约\n面谈\n服务", "0471-1234567", 111.7, 40.8, "否"]


def workbook(*rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False})
    ws = book.add_worksheet()
    ws.write_row(0, 0, [xlsx.TITLE])
    ws.write_row(1, 0, xlsx.HEADERS)
    for n, row in enumerate(rows, 2):
        ws.write_row(n, 0, row)
    book.close()
    return out.getvalue()


def upload(client, data: bytes, name="场所.xlsx"):
    return client.post(reverse("places_import", kwargs={"code": "150100"}),
                       {"file": SimpleUploadedFile(name, data)}, follow=True)


def rows_of(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_template_has_the_headers_and_an_example(personas, client):
    client.force_login(personas["reporter"])
    response = client.get(reverse("places_template", kwargs={"code": "150100"}))
    rows = rows_of(response.content)
    assert rows[1][:len(xlsx.HEADERS)] == xlsx.HEADERS
    assert rows[2][1] == "社工站"


def test_import_creates_places_with_their_lists(personas, client):
    client.force_login(personas["reporter"])
    second = list(ROW)
    second[0], second[10], second[11] = "赛罕区第二社工站", "", ""
    second[1] = "社工站"
    response = upload(client, workbook(ROW, second))
    assert "已导入：新增 2 个场所，更新 0 个，未变 0 个" in response.content.decode()
    place = Place.objects.get(name="赛罕区大学路社工室")
    assert place.kind == "room" and str(place.longitude) == "111.700000"
    assert [s.text for s in place.steps.all()] == ["预约", "面谈", "服务"]
    assert place.staff.get().phone == "13800001111"
    entry = AuditEntry.objects.get(action="places.import")
    assert entry.changes["created"] == 2
    # Each place has its own entry, with what it holds and the file it came from.
    created = AuditEntry.objects.get(action="places.create", object_id=str(place.pk))
    assert created.changes["steps"] == "预约\n面谈\n服务" and "导入自" in created.message


def test_any_error_saves_nothing_and_each_is_named_by_row_and_column(personas, client):
    client.force_login(personas["reporter"])
    bad_kind = list(ROW)
    bad_kind[0], bad_kind[1] = "甲社工站", "社区中心"
    other_league = list(ROW)
    other_league[0], other_league[2] = "乙社工站", "东河区"  # 包头市
    bad_steps = list(ROW)
    bad_steps[0], bad_steps[11], bad_steps[6] = "丙社工站", "", "：困境儿童"
    response = upload(client, workbook(ROW, bad_kind, other_league, bad_steps))
    text = response.content.decode()
    assert "未保存任何场所" in text
    assert "第 4 行第 B 列（类型）：类型应为社工站、社工室、学校社工点、医院社工点或其他" in text
    assert "第 5 行第 C 列（所属单位）：“东河区”不是您可以登记的单位" in text
    assert "第 6 行第 G 列（服务清单）：服务清单第 1 条没有服务项目" in text
    assert "第 6 行第 L 列（纬度）：经度和纬度须同时填写或同时不填" in text
    assert not Place.objects.exists()


def test_same_place_twice_in_the_file_is_an_error(personas, client):
    client.force_login(personas["reporter"])
    text = upload(client, workbook(ROW, ROW)).content.decode()
    assert "第 4 行第 A 列（场所名称）：与第 3 行是同一单位的同名场所" in text
    assert not Place.objects.exists()


def test_a_file_that_is_not_a_table_is_refused_by_its_content(personas, client):
    client.force_login(personas["reporter"])
    text = upload(client, b"%PDF-1.4 not a table", name="登记表.xlsx").content.decode()
    assert "文件不是 Excel 或 WPS 表格" in text
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * 5_000_000 + "</a>")
    text = upload(client, bomb.getvalue()).content.decode()
    assert "无法读取" in text
    assert not Place.objects.exists()


def test_export_is_formula_safe_and_imports_back_as_an_update(personas, client):
    make_place(content="=HYPERLINK(\"http://example.com\")")
    client.force_login(personas["reporter"])
    data = client.get(reverse("places_export", kwargs={"code": "150100"})).content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert "<f>" not in sheet  # never a formula
    assert 'quotePrefix="1"' in styles
    rows = rows_of(data)
    assert rows[2][0] == NAME
    response = upload(client, data, name="导出.xlsx")
    assert "已导入：新增 0 个场所，更新 0 个，未变 1 个" in response.content.decode()
    place = Place.objects.get()
    assert place.content.startswith("=HYPERLINK") and place.version == 0
    assert [s.name for s in place.staff.all()] == ["王芳", "李明"]
    # A changed cell updates the place.
    rows = rows_of(data)
    rows[2][4] = "每天 8:00-20:00"
    response = upload(client, workbook(*[r[:len(xlsx.HEADERS)] for r in rows[2:3]]))
    assert "更新 1 个" in response.content.decode()
    place.refresh_from_db()
    assert place.hours == "每天 8:00-20:00" and place.version == 1
