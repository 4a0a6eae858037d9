"""Posters (issue 16 point 2): a real PDF, rasterised with poppler; the Chinese is typeset in
an embedded CJK font (not tofu), the six items and the campaign's slogan are on it, and the
QR code on page 1 decodes (zbar) to the place's public address."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from PIL import Image

from campaigndesk.places.models import PosterPrint
from tests.jobs.helpers import download

from .builders import NAME, STAFF_PHONE, make_place

TOOLS = ("pdftoppm", "pdffonts", "pdftotext", "pdfinfo", "zbarimg")


def _pango() -> bool:
    try:
        import weasyprint  # noqa: F401 - loads Pango
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS),
                       reason="poppler-utils and zbar-tools are needed "
                              "(scripts/install-test-deps.sh)"),
    pytest.mark.skipif(not _pango(), reason="Pango is needed (scripts/install-run-deps.sh)"),
]


def run(*args, data: bytes | None = None) -> str:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def page_one(pdf: bytes, tmp_path, dpi: int = 100) -> Image.Image:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    run("pdftoppm", "-f", "1", "-l", "1", "-r", str(dpi), "-png", str(path),
        str(tmp_path / "page"))
    return Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")


def poster(client, personas, demo, place, size="a4"):
    client.force_login(personas["reporter"])
    response = client.get(reverse("place_poster", kwargs={
        "campaign_pk": demo.pk, "pk": place.pk, "size": size}))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_a4_poster_has_the_six_items_in_an_embedded_cjk_font_and_a_working_qr(
        demo, personas, client, tmp_path):
    place = make_place()
    pdf = poster(client, personas, demo, place)
    fonts = run("pdffonts", "-", data=pdf)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded
    text = run("pdftotext", "-layout", "-", "-", data=pdf)
    for item in (NAME, "服务内容", "个案服务", "困境儿童", "服务人员", "王芳", "社会工作师",
                 "服务流程", "需求评估", "联系方式", "0471-6946872", demo.slogan.split()[0]):
        assert item in text, item
    assert STAFF_PHONE not in text and "139****5678" in text  # not published by the place
    image = page_one(pdf, tmp_path)
    width, height = image.size
    assert abs(width / height - 210 / 297) < 0.01
    # The QR code is found and leads to the public page, absolute.
    decoded = run("zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("page*.png"))))
    assert decoded.strip() == f"http://testserver/places/{place.pk}/"
    assert PosterPrint.objects.get(place=place, size="a4").count == 1


def test_chinese_glyphs_are_drawn_not_boxes(demo, personas, client, tmp_path):
    """Two different titles render to different pixels in the same place; two missing-glyph
    boxes would be identical."""
    crops = []
    for n, name in enumerate(("社工站", "服务处")):
        place = make_place(name=name)
        pdf = poster(client, personas, demo, place)
        folder = tmp_path / str(n)
        folder.mkdir()
        image = page_one(pdf, folder, dpi=72)
        # The title line: under the red band, left part of the page.
        crop = image.crop((30, int(image.height * 0.11), int(image.width * 0.5),
                           int(image.height * 0.17)))
        crops.append(crop)
        dark = sum(1 for p in crop.convert("L").tobytes() if p < 70)
        assert dark > 150, name  # something is drawn there
    assert crops[0].tobytes() != crops[1].tobytes()


@pytest.mark.parametrize(("size", "mm"), [("a3", (297, 420)), ("board", (600, 900))])
def test_a3_and_board_sizes(size, mm, demo, personas, client):
    place = make_place()
    pdf = poster(client, personas, demo, place, size)
    info = run("pdfinfo", "-", data=pdf)
    line = next(line for line in info.splitlines() if line.startswith("Page size"))
    points = [float(v) for v in line.split(":")[1].split("pts")[0].split("x")]
    assert [round(p / 72 * 25.4) for p in points] == list(mm)


def test_unit_zip_holds_every_poster(demo, personas, client):
    make_place()
    make_place(name="新城区第二社工室")
    client.force_login(personas["reporter"])
    data = download(client, reverse("unit_posters", kwargs={"campaign_pk": demo.pk,
                                                           "code": "150100"}))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == 6 and all(n.endswith(".pdf") for n in names)
    assert f"A4/{NAME}-海报-A4.pdf" in names


def test_a_published_staff_phone_is_printed(demo, personas, client):
    place = make_place(publish_staff_phones=True)
    text = run("pdftotext", "-", "-", data=poster(client, personas, demo, place))
    assert STAFF_PHONE in text


def test_another_unit_cannot_print_the_poster(demo, personas, client):
    place = make_place()
    client.force_login(personas["other_reporter"])
    response = client.get(reverse("place_poster", kwargs={
        "campaign_pk": demo.pk, "pk": place.pk, "size": "a4"}))
    assert response.status_code == 404


def test_without_a_chinese_font_the_poster_says_so(demo, personas, client, monkeypatch):
    from campaigndesk.places import posters

    monkeypatch.setattr(posters, "_has_font", lambda: False)
    place = make_place()
    client.force_login(personas["reporter"])
    response = client.get(reverse("place_poster", kwargs={
        "campaign_pk": demo.pk, "pk": place.pk, "size": "a4"}))
    assert response.status_code == 503
    assert "服务器未安装中文字体" in response.content.decode()
    assert not PosterPrint.objects.exists()


def _pages(pdf: bytes) -> int:
    info = run("pdfinfo", "-", data=pdf)
    return int(next(line for line in info.splitlines() if line.startswith("Pages")).split()[1])


def _long_place(services_n: int, staff_n: int, content_n: int):
    from campaigndesk.places import lists, services

    from .builders import place_data

    content = ("为辖区困境儿童和独居老人提供服务" * 40)[:content_n]
    data = place_data(name="长内容社工站", content=content)
    data.services[:] = lists.parse_items("\n".join(f"第{n}项服务：困境儿童、独居老人"
                                                    for n in range(1, services_n + 1)))
    data.staff[:] = lists.parse_staff("\n".join(f"社工{n}，社工，助理社会工作师，1390000{n:04d}"
                                                 for n in range(1, staff_n + 1)))
    from campaigndesk.units.models import User

    return services.create_place(User.objects.get(username="150100"), data)


@pytest.mark.parametrize("size", ["a4", "a3", "board"])
def test_a_place_with_much_to_say_is_still_one_sheet_with_its_qr_code(size, demo, personas,
                                                                      client, tmp_path):
    # 30 services, 10 staff and 500 characters ran onto three pages, with the phone and
    # the QR code off page 1 and no word of it.
    place = _long_place(30, 10, 500)
    pdf = poster(client, personas, demo, place, size)
    assert _pages(pdf) == 1
    text = run("pdftotext", "-", "-", data=pdf)
    assert "0471-6946872" in text and "扫码查看完整清单" in text
    page_one(pdf, tmp_path, dpi=60 if size == "board" else 100)
    decoded = run("zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("page*.png"))))
    assert decoded.strip() == f"http://testserver/places/{place.pk}/"


def test_an_ordinary_long_place_keeps_every_entry_on_one_page(demo, personas, client):
    place = _long_place(12, 5, 300)
    pdf = poster(client, personas, demo, place)
    text = run("pdftotext", "-", "-", data=pdf)
    assert _pages(pdf) == 1 and "扫码查看" not in text.replace("扫码查看场所信息", "")
    assert "第12项服务" in text and "社工5" in text


def test_a_reviewer_or_the_region_looking_at_posters_does_not_count_them(demo, personas,
                                                                         client):
    place = make_place()
    for persona in ("reviewer", "region_admin"):
        client.force_login(personas[persona])
        assert client.get(reverse("place_poster", kwargs={
            "campaign_pk": demo.pk, "pk": place.pk, "size": "a4"})).status_code == 200
    assert not PosterPrint.objects.exists()
    poster(client, personas, demo, place)
    assert PosterPrint.objects.get(place=place, size="a4").count == 1


def test_two_places_of_the_same_name_in_a_unit_zip_do_not_overwrite_each_other(
        demo, personas, client):
    from campaigndesk.units.models import Unit

    make_place(name="幸福社区社工室", unit=Unit.objects.get(name="新城区"))
    make_place(name="幸福社区社工室", unit=Unit.objects.get(name="回民区"))
    client.force_login(personas["reporter"])
    data = download(client, reverse("unit_posters", kwargs={"campaign_pk": demo.pk,
                                                           "code": "150100"}))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == len(set(names)) == 6
    assert "A4/新城区-幸福社区社工室-海报-A4.pdf" in names
