"""Turning an uploaded photo into the copies the product stores, and comparing photos.

An upload is recognised by its first bytes, never by its name. What is stored is a fresh
JPEG made from the decoded pixels: EXIF (with GPS), XMP and comments of the upload never
reach the disk, so no stored, downloaded or published copy can carry a location.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import imagehash
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_BYTES = 20 * 1024 * 1024
# Pillow warns above this and refuses twice it anywhere in the process (Image.open elsewhere
# included). The product's own caps (settings.PHOTO_MAX_PIXELS, IMPORT_PHOTOS_MAX_PIXELS)
# are lower and are checked from the file's header, before any pixel is decoded.
Image.MAX_IMAGE_PIXELS = 50_000_000
# The stored copy's long side: more than an A4 magazine page at 300 dpi needs (3508 px). A
# larger photo is reduced while it is decoded (JPEG: scaled by the decoder itself), so a
# 48-megapixel upload costs about a tenth of the memory and time of a full decode.
STORED_LONG_SIDE = 4000
# Photos decoded at once in one server process: each may take up to ~250 MB while decoding.
_decoding = threading.BoundedSemaphore(2)
PRINT_LONG_SIDE = 800
THUMB_LONG_SIDE = 480
NEAR_DUPLICATE_DISTANCE = 6
JPEG_QUALITY = 90

# Pillow's format name for each kind recognised by its magic bytes.
KINDS = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "webp": {"WEBP"}, "heic": {"HEIF"}}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}

EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
DATETIME = 306


class PhotoRefused(Exception):
    """Shown to the user as it is: a Chinese sentence saying what is wrong with the file."""


@dataclass
class ProcessedPhoto:
    jpeg: bytes
    thumb: bytes
    width: int
    height: int
    phash: str
    source_format: str
    taken_at: datetime | None
    warnings: list[str] = field(default_factory=list)


def sniff(head: bytes) -> str | None:
    """The kind of image the bytes start with, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic"
    return None


def read_upload(upload) -> bytes:
    """The bytes of a Django UploadedFile, refusing it early when it is too large."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise PhotoRefused(_too_large(upload.size))
    data = b"".join(upload.chunks())
    if len(data) > MAX_BYTES:
        raise PhotoRefused(_too_large(len(data)))
    return data


def _too_large(size: int) -> str:
    return gettext("照片过大（%(size).1f MB），每张不超过 %(limit)d MB") % {
        "size": size / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024}


def max_pixels() -> int:
    """Pixels one photo may have (settings.PHOTO_MAX_PIXELS): a small file that claims huge
    dimensions (a decompression bomb, or twenty 50-megapixel 1-bit PNGs in a 67 KB .docx)
    is refused from its header and never decoded."""
    return settings.PHOTO_MAX_PIXELS


def dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from the header only, or None when Pillow cannot tell (the
    file is then refused by `process` with its own reason). Image.open decodes nothing."""
    if sniff(data[:32]) is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                return image.size
        except Image.DecompressionBombError:
            return None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            return None


def check_size(width: int, height: int) -> None:
    """Refuse a photo whose header claims more pixels than one photo may have."""
    if width * height > max_pixels():
        raise PhotoRefused(too_many_pixels(width, height))


def process(data: bytes) -> ProcessedPhoto:
    if len(data) > MAX_BYTES:
        raise PhotoRefused(_too_large(len(data)))
    kind = sniff(data[:32])
    if kind is None:
        raise PhotoRefused(
            gettext("不是可识别的照片（支持 JPEG、PNG、WebP、HEIC），请检查文件内容"))
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here every such warning
    # stops the upload, and our own cap is checked before any pixel is decoded.
    with warnings.catch_warnings(), _decoding:
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in KINDS[kind]:
                raise PhotoRefused(gettext("文件内容与图片格式不符，无法识别"))
            check_size(image.width, image.height)
            taken_at = _taken_at(image)
            orientation = _orientation(image)
            pixels = _rgb(_upright(_decode_reduced(image), orientation))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused(gettext("照片像素过多，疑似异常文件，已拒收")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise PhotoRefused(gettext("照片文件已损坏或无法解码")) from exc
    width, height = pixels.size
    notes = []
    if max(width, height) < PRINT_LONG_SIDE:
        notes.append(gettext("照片长边仅 %(long)d 像素，少于 %(need)d 像素，印刷时不够清晰")
                     % {"long": max(width, height), "need": PRINT_LONG_SIDE})
    thumb = _thumbnail(pixels)
    return ProcessedPhoto(
        jpeg=_jpeg(pixels, JPEG_QUALITY),
        thumb=_jpeg(thumb, 80),
        width=width,
        height=height,
        # The hash shrinks the picture to 32×32 anyway; starting from the thumbnail gives
        # the same hash for the same photo at a fraction of the cost.
        phash=str(imagehash.phash(thumb)),
        source_format=kind,
        taken_at=taken_at,
        warnings=notes,
    )


def too_many_pixels(width: int, height: int) -> str:
    return gettext(
        "照片像素过多（%(width)d×%(height)d），超过上限 %(limit)s 百万像素，请缩小后再上传") % {
        "width": width, "height": height, "limit": f"{max_pixels() / 1_000_000:g}"}


def _decode_reduced(image: Image.Image) -> Image.Image:
    """The pixels, at most STORED_LONG_SIDE on the long side, as few full-size copies as
    possible. A JPEG is decoded straight at 1/2, 1/4 or 1/8 of its size (draft); another
    format is decoded whole (its decoders cannot scale), then shrunk strip by strip, so
    that the full-size decode is the only full-size buffer."""
    if image.format in KINDS["jpeg"] and max(image.size) > STORED_LONG_SIDE:
        scale = max(image.size) / STORED_LONG_SIDE
        image.draft(image.mode, (int(image.width / scale), int(image.height / scale)))
    image.load()
    factor = max(image.size) // STORED_LONG_SIDE
    if factor >= 2:
        image = _reduce_in_strips(image, factor)
    if max(image.size) > STORED_LONG_SIDE:
        image = _rgb(image)
        image.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE), Image.Resampling.LANCZOS)
    return image


def _reduce_in_strips(image: Image.Image, factor: int) -> Image.Image:
    """RGB at 1/factor (box filter), made from strips of a hundred-odd rows at a time."""
    width, height = image.size
    out = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    rows = factor * 64
    for top in range(0, height, rows):
        strip = _rgb(image.crop((0, top, width, min(top + rows, height))))
        out.paste(strip.reduce(factor), (0, top // factor))
    return out


# EXIF orientation -> the transposition that makes the picture upright (as ImageOps does).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
            4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
            6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112) or 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block only loses the rotation
        return 1


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    method = _UPRIGHT.get(orientation)
    return image.transpose(method) if method is not None else image


def _rgb(image: Image.Image) -> Image.Image:
    """A new RGB image holding only the pixels: no info dict, hence no metadata to copy."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in
                                              image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _thumbnail(image: Image.Image) -> Image.Image:
    thumb = image.copy()
    thumb.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), reducing_gap=2.0)
    return thumb


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _taken_at(image: Image.Image) -> datetime | None:
    try:
        exif = image.getexif()
        raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    except Exception:  # noqa: BLE001 - a broken EXIF block only loses the date
        return None
    if not isinstance(raw, str):
        return None
    try:
        naive = datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    # Cameras write local time without a zone; the campaign runs in Beijing time.
    return timezone.make_aware(naive)


def media_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def write_files(photo, processed: ProcessedPhoto) -> None:
    for relative, data in ((photo.relative_path, processed.jpeg),
                           (photo.thumb_relative_path, processed.thumb)):
        path = media_path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def delete_files(photo) -> None:
    for relative in (photo.relative_path, photo.thumb_relative_path):
        media_path(relative).unlink(missing_ok=True)


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicates(photo, limit: int = 5) -> list[tuple[object, int]]:
    """Photos of other briefs (any unit, any campaign) that look (nearly) the same."""
    from .models import Photo

    found = []
    for pk, phash in Photo.objects.exclude(article_id=photo.article_id).values_list("pk",
                                                                                    "phash"):
        d = distance(photo.phash, phash)
        if d <= NEAR_DUPLICATE_DISTANCE:
            found.append((pk, d))
    found.sort(key=lambda item: item[1])
    found = found[:limit]
    others = Photo.objects.select_related("article__unit").in_bulk([pk for pk, _ in found])
    return [(others[pk], d) for pk, d in found if pk in others]


def near_duplicates_for(photos, limit: int = 5) -> dict[int, list[tuple[object, int]]]:
    """`near_duplicates` of each photo (keyed by its pk) in three queries at most: every
    stored hash is read once and the photos kept are fetched together."""
    from .models import Photo

    photos = list(photos)
    if not photos:
        return {}
    stored = list(Photo.objects.values_list("pk", "article_id", "phash"))
    kept: dict[int, list[tuple[int, int]]] = {}
    for photo in photos:
        found = [(pk, d) for pk, article_id, phash in stored
                 if article_id != photo.article_id
                 and (d := distance(photo.phash, phash)) <= NEAR_DUPLICATE_DISTANCE]
        found.sort(key=lambda item: item[1])
        kept[photo.pk] = found[:limit]
    wanted = {pk for found in kept.values() for pk, _ in found}
    others = (Photo.objects.select_related("article__unit").in_bulk(wanted) if wanted else {})
    return {key: [(others[pk], d) for pk, d in found if pk in others]
            for key, found in kept.items()}


def date_warning(photo, article) -> str:
    """Why the photo's EXIF date does not fit the activity (or else the campaign), or ''."""
    if photo.taken_at is None:
        return ""
    taken: date = timezone.localtime(photo.taken_at).date()
    activity = article.activity
    if activity is not None and activity.start_date:
        start, end = activity.start_date, activity.end_date or activity.start_date
        what = gettext("活动")
    else:
        start, end = article.campaign.start_date, article.campaign.end_date
        what = gettext("宣传活动")
    if start <= taken <= end:
        return ""
    return gettext("拍摄日期 %(taken)s 不在%(what)s日期（%(start)s 至 %(end)s）之内") % {
        "taken": f"{taken:%Y-%m-%d}", "what": what, "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}"}
