"""Print-ready posters of a place, as PDF, with WeasyPrint.

Why WeasyPrint and not ReportLab: the Chinese font the machines have is Noto Sans CJK
(Debian fonts-noto-cjk), an OpenType font with CFF outlines, which ReportLab cannot embed
(it takes TrueType outlines only: "postscript outlines are not supported"). WeasyPrint
embeds a subset of it, breaks Chinese lines correctly (Pango), and lets the poster be a
Django template like every other page. It needs Pango from Debian (libpango-1.0-0,
libpangoft2-1.0-0) besides the font: scripts/install-run-deps.sh installs both.

One layout for every size: the A4 page is laid out once and the PDF is scaled (WeasyPrint's
zoom), so A3 is the A4 poster at √2; the 60×90 cm board has its own height (2:3) and is
scaled from a 210×315 mm page. The QR code (segno, already used for the second factor) is an
SVG, so it stays sharp at any size.
"""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import IO

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from campaigndesk.campaigns.models import Campaign
from campaigndesk.core.characters import printable
from campaigndesk.jobs.registry import Step
from campaigndesk.security.masking import mask_phone

from .models import Place, PosterSize


@dataclass(frozen=True)
class Layout:
    height_mm: int  # of the 210 mm wide page the poster is laid out on
    zoom: float
    label: str


LAYOUTS = {
    PosterSize.A4: Layout(297, 1.0, "A4"),
    PosterSize.A3: Layout(297, 420 / 297, "A3"),
    PosterSize.BOARD: Layout(315, 600 / 210, "展板60x90cm"),
}
FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
FONT_FAMILY = ", ".join(f'"{family}"' for family in FAMILIES)


class PosterUnavailable(Exception):
    """Shown to the user as it is."""


def public_url(place: Place, base_url: str) -> str:
    """The address the QR code leads to: the site's configured address when there is one
    (CAMPAIGNDESK_SITE_URL), else the address the request came in on."""
    base = (settings.CAMPAIGNDESK_SITE_URL or base_url).rstrip("/")
    return base + reverse("place_public", kwargs={"pk": place.pk})


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=10, border=2)


@lru_cache(maxsize=1)
def _has_font() -> bool:
    """Whether fontconfig (which Pango asks) knows one of the poster's Chinese families."""
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                                timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return any(family in listed for family in FAMILIES)


def _check_font() -> None:
    if not _has_font():
        raise PosterUnavailable(
            "服务器未安装中文字体（Noto Sans CJK，Debian 软件包 fonts-noto-cjk），"
            "无法生成海报，请联系系统管理员")


@dataclass(frozen=True)
class Fit:
    """How much of a place goes on its one page: the type size step and, when even the
    smallest type does not hold everything, how many entries of each list are printed."""

    density: str = "normal"  # normal, compact, dense (the poster.html classes)
    items: int | None = None  # entries kept of each list; None: all
    content: int | None = None  # characters kept of the service content


# Smaller type first, then fewer entries: a poster is one printed sheet, and what does not
# fit is behind the QR code, which is always on it (the public page has everything).
DENSITIES = ("normal", "compact", "dense")
ITEM_STEPS = (12, 8, 5, 3, 1)
CONTENT_KEEP = 120


@dataclass(frozen=True)
class Contents:
    """What a place's poster shows, read once however many layouts are tried."""

    qr: str
    services: list
    staff: list
    steps: list

    @classmethod
    def of(cls, place: Place, url: str) -> Contents:
        staff = [{"name": s.name, "role": s.role, "qualification": s.qualification,
                  "phone": s.phone if place.publish_staff_phones else mask_phone(s.phone)
                  if s.phone else ""} for s in place.staff.all()]
        return cls(qr_data_uri(url), list(place.services.all()), staff,
                   list(place.steps.all()))


def _context(place: Place, campaign: Campaign, layout: Layout, url: str, fit: Fit,
             contents: Contents) -> dict:
    content = place.content
    if fit.content is not None and len(content) > fit.content:
        content = content[:fit.content] + "……"
    keep = fit.items

    def cut(entries: list) -> tuple[list, int]:
        if keep is None or len(entries) <= keep:
            return entries, 0
        return entries[:keep], len(entries) - keep

    services, more_services = cut(contents.services)
    staff, more_staff = cut(contents.staff)
    steps, more_steps = cut(contents.steps)
    return {
        "place": place, "campaign": campaign, "layout": layout, "url": url,
        "qr": contents.qr, "font_family": FONT_FAMILY, "density": fit.density,
        "content": content, "services": services, "staff": staff, "steps": steps,
        "more_services": more_services, "more_staff": more_staff, "more_steps": more_steps,
        "shortened": keep is not None or fit.content is not None,
    }


def _fits() -> list[Fit]:
    fits = [Fit(density) for density in DENSITIES]
    fits += [Fit("dense", items, CONTENT_KEEP) for items in ITEM_STEPS]
    return fits


def _document(place: Place, campaign: Campaign, layout: Layout, url: str,
              contents: Contents | None = None):
    """The first layout that is one page: a long service list or many staff used to run the
    poster onto a second and third page, leaving the phone and the QR code off page 1."""
    import weasyprint  # loaded on first use: it loads Pango

    # No poster fetches anything but its inline QR code: user text is escaped anyway, and
    # this refuses a file: or http: address that would slip by.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    contents = contents or Contents.of(place, url)
    for fit in _fits():
        # Without control characters a place stored before the forms refused them may hold.
        html = printable(render_to_string("places/poster.html",
                                          _context(place, campaign, layout, url, fit, contents)))
        document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="/").render()
        if len(document.pages) == 1:
            return document
    # One entry per list and 120 characters do not fit: only absurd lengths get here
    # (every field has a length cap); print the first page, which has the QR code.
    document.pages[1:] = []
    return document


def render(place: Place, campaign: Campaign, size: str, *, base_url: str) -> bytes:
    _check_font()
    layout = LAYOUTS[PosterSize(size)]
    document = _document(place, campaign, layout, public_url(place, base_url))
    return document.write_pdf(zoom=layout.zoom)


def filename(place: Place, size: str, name: str | None = None) -> str:
    """`name`: the place's name as the file should carry it (zip_names), default its own."""
    label = LAYOUTS[PosterSize(size)].label
    name = place.name if name is None else name
    safe = "".join(c for c in name if c not in '\\/:*?"<>|').strip() or f"场所{place.pk}"
    return f"{safe}-海报-{label}.pdf"


def zip_names(places) -> dict[int, str]:
    """A file name per place, unique in the .zip: two counties of a league may both have a
    幸福社区社工室, and unzipping would let one's posters overwrite the other's."""
    counts: dict[str, int] = {}
    for place in places:
        counts[place.name] = counts.get(place.name, 0) + 1
    return {place.pk: place.name if counts[place.name] == 1
            else f"{place.unit.name}-{place.name}" for place in places}


def write_unit_zip(out: IO[bytes], places: list[Place], campaign: Campaign, *, base_url: str,
                   step: Step | None = None) -> None:
    """Every poster (all three sizes) of every place given into `out`, one folder per size.
    A3 is the A4 layout zoomed, so each place is laid out twice (A4 height, board height),
    not thrice. `step(percent, text)` hears each place begun (about a second each)."""
    _check_font()
    names = zip_names(places)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, place in enumerate(places, start=1):
            if step is not None:
                step(100 * (number - 1) / len(places),
                     f"正在生成第{number}/{len(places)}个场所的海报：{place.name}")
            url = public_url(place, base_url)
            contents = Contents.of(place, url)
            documents: dict[int, object] = {}
            for size in PosterSize.values:
                layout = LAYOUTS[size]
                if layout.height_mm not in documents:
                    documents[layout.height_mm] = _document(place, campaign, layout, url,
                                                            contents)
                archive.writestr(f"{layout.label}/{filename(place, size, names[place.pk])}",
                                 documents[layout.height_mm].write_pdf(zoom=layout.zoom))
        if step is not None:
            step(99, "正在完成压缩包")
