"""Signage progress (issue 16 point 4): a reporter confirms a sign with a photo (the briefs'
photo checks), and the dashboard, the consolidated workbook and the summary draft count
places registered, posters generated and signage confirmed per unit."""

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from campaigndesk.audit.models import AuditEntry
from campaigndesk.campaigns.services import close_campaign
from campaigndesk.places.models import Signage
from tests.articles.conftest import jpeg
from tests.jobs.helpers import download

from .builders import make_place


def confirm(client, demo, place, data, name="sign.jpg"):
    return client.post(reverse("place_signage", kwargs={"campaign_pk": demo.pk, "pk": place.pk}),
                       {"image": SimpleUploadedFile(name, data)}, follow=True)


def test_a_photo_confirms_the_signage_and_is_stored_without_exif(demo, personas, client,
                                                                 settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = make_place()
    client.force_login(personas["reporter"])
    text = confirm(client, demo, place, jpeg(shapes=5)).content.decode()
    assert f"已确认“{place.name}”的标识张贴" in text
    signage = Signage.objects.get(place=place, campaign=demo)
    assert (tmp_path / signage.relative_path).read_bytes()[:3] == b"\xff\xd8\xff"
    assert AuditEntry.objects.filter(action="places.signage").count() == 1
    photo = client.get(reverse("signage_photo", kwargs={"key": signage.key, "size": "thumb"}))
    assert photo.status_code == 200
    client.force_login(personas["other_reporter"])
    assert client.get(reverse("signage_photo", kwargs={"key": signage.key,
                                                       "size": "full"})).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_by_its_content(demo, personas, client,
                                                             settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = make_place()
    client.force_login(personas["reporter"])
    text = confirm(client, demo, place, b"<html>not a photo</html>", name="fake.jpg")
    assert "不是可识别的照片" in text.content.decode()
    assert not Signage.objects.exists()
    assert AuditEntry.objects.filter(action="places.signage_refused").count() == 1


def test_a_closed_campaign_refuses_the_photo(demo, personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = make_place()
    close_campaign(personas["region_admin"], demo, "活动结束")
    client.force_login(personas["reporter"])
    text = confirm(client, demo, place, jpeg(shapes=5)).content.decode()
    assert "本次活动已结束（已关闭），不能再修改" in text
    assert not Signage.objects.exists()


def _progress(demo, personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = make_place(), make_place(name="新城区第二社工室")
    make_place(name="新城区第三社工室")
    client.force_login(personas["reporter"])
    client.get(reverse("place_poster", kwargs={"campaign_pk": demo.pk, "pk": first.pk,
                                               "size": "a4"}))
    client.get(reverse("place_poster", kwargs={"campaign_pk": demo.pk, "pk": second.pk,
                                               "size": "a3"}))
    confirm(client, demo, first, jpeg(shapes=6))


def test_dashboard_counts_places_posters_and_signage_per_unit(demo, personas, client,
                                                             settings, tmp_path):
    _progress(demo, personas, client, settings, tmp_path)
    client.force_login(personas["reviewer"])
    page = client.get(reverse("campaign_dashboard", kwargs={"pk": demo.pk})).content.decode()
    table = page[page.index('id="signage-by-unit"'):]
    table = table[:table.index("</table>")]
    assert "<tr><td>呼和浩特市</td><td>3</td><td>2</td><td>1</td><td>33%</td></tr>" in table
    assert "<tr><td>包头市</td><td>0</td><td>0</td><td>0</td><td>0%</td></tr>" in table
    assert "<th>合计</th><th>3</th><th>2</th><th>1</th><th>33%</th>" in table


def test_consolidated_workbook_and_summary_draft_carry_the_figures(demo, personas, client,
                                                                  settings, tmp_path):
    _progress(demo, personas, client, settings, tmp_path)
    client.force_login(personas["region_admin"])
    data = download(client, reverse("campaign_progress_xlsx", kwargs={"pk": demo.pk}))
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name("服务场所标识").to_python()
    assert rows[0] == ["单位", "登记服务场所", "已生成海报", "确认张贴标识", "张贴率（%）"]
    figures = {row[0]: row[1:] for row in rows[1:]}
    assert figures["呼和浩特市"] == [3, 2, 1, 33]
    assert figures["合计"] == [3, 2, 1, 33]
    draft = download(client, reverse("summary_draft", kwargs={"pk": demo.pk}))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(draft)).paragraphs)
    assert "全区登记服务场所3个，已生成海报2个，确认张贴标识1个，张贴率33%" in text
    cells = [c.text for t in docx.Document(io.BytesIO(draft)).tables for r in t.rows
             for c in r.cells]
    assert "登记服务场所3个，已生成海报2个，确认张贴标识1个" in cells


def test_the_backup_knows_the_signage_photo_and_says_when_it_is_missing(demo, personas, client,
                                                                       settings, tmp_path):
    # The backup's restore check asks every app for its files; the signage photos were
    # left out when places was added, so a restore without them passed as complete.
    from campaigndesk.security import backups

    settings.MEDIA_ROOT = tmp_path
    place = make_place()
    client.force_login(personas["reporter"])
    confirm(client, demo, place, jpeg(shapes=5))
    signage = Signage.objects.get(place=place, campaign=demo)
    named = dict(backups.referenced_files())
    assert named[f"标识照片 {signage.relative_path}"] == tmp_path / signage.relative_path
    assert backups.missing_files() == []
    (tmp_path / signage.relative_path).unlink()
    assert backups.missing_files() == [f"标识照片 {signage.relative_path}"]


def test_the_dashboard_export_has_the_signage_table_of_the_page(demo, personas, client,
                                                                settings, tmp_path):
    _progress(demo, personas, client, settings, tmp_path)
    client.force_login(personas["reviewer"])
    data = client.get(reverse("dashboard_xlsx", kwargs={"pk": demo.pk})).content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(
        "服务场所标识").to_python()
    figures = {row[0]: row[1:] for row in rows[1:]}
    assert figures["呼和浩特市"] == figures["合计"] == [3, 2, 1, 33]


def test_a_copy_for_next_year_does_not_take_the_signage_of_the_running_campaign(
        demo, personas, client, settings, tmp_path):
    # After 复制为新年度活动 the register chose the new, not yet started campaign, and the
    # photos confirmed the signage there instead of in the running one.
    from datetime import date

    import time_machine

    from campaigndesk.campaigns.services import copy_campaign

    settings.MEDIA_ROOT = tmp_path
    make_place()
    copy_campaign(personas["region_admin"], demo, year=demo.year + 1)
    client.force_login(personas["reporter"])
    with time_machine.travel(date(demo.year, 3, 22), tick=False):
        page = client.get(reverse("places_home"), follow=True)
    assert page.context["chosen"] == demo
    # The top bar's link keeps the campaign the user is in; the list offers it back.
    link = client.get(reverse("places_home"), {"campaign": demo.pk})
    assert link.url.endswith(f"?campaign={demo.pk}")
    html = client.get(link.url).content.decode()
    assert f'href="/places/manage/?campaign={demo.pk}"' in html


def test_a_photo_sent_from_the_league_list_comes_back_to_it(demo, personas, client, settings,
                                                           tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = make_place()  # of 新城区, under 呼和浩特市
    client.force_login(personas["reporter"])
    response = client.post(reverse("place_signage", kwargs={"campaign_pk": demo.pk,
                                                            "pk": place.pk}),
                           {"image": SimpleUploadedFile("s.jpg", jpeg(shapes=5)),
                            "list": "150100"})
    assert response.url == f"/units/150100/places/?campaign={demo.pk}"
    other = client.post(reverse("place_signage", kwargs={"campaign_pk": demo.pk,
                                                         "pk": place.pk}),
                        {"image": SimpleUploadedFile("s.jpg", jpeg(shapes=6)),
                         "list": "150200"})  # another league's list: not followed
    assert other.url == f"/units/{place.unit.code}/places/?campaign={demo.pk}"
