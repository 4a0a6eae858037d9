"""A message as Chinese mail clients send it: its sender, subject, text and files.

The stdlib parser (policy=default) decodes RFC 2047 words and RFC 2231 parameters. What
it gets wrong is what 163.com, Foxmail, Outlook and WPS mail really send too: words
labelled GB2312 holding GBK characters (a name with 镕 or 珺), raw 8-bit GBK headers
without any encoding, RFC 2231 names in GBK. Those are decoded again here from the raw
header, with GB18030 (a superset of both) for every Chinese label.

Files inside a forwarded message (message/rfc822, or an attached .eml) are taken out
with the name of the message they were in.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.message
import email.policy
import email.utils
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

_CHINESE = {"gb2312", "gbk", "x-gbk", "gb18030", "euc-cn", "cp936", "hz-gb-2312"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Forwarded inside forwarded inside forwarded: deeper is not a real client's doing.
MAX_DEPTH = 4
# An inline image with a Content-ID this small is a signature's logo, not a photo.
LOGO_BYTES = 30 * 1024


@dataclass
class Part:
    filename: str
    data: bytes
    content_type: str
    inside: str = ""  # subject of the forwarded message it was in


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    sent_at: datetime | None
    text: str
    parts: list[Part] = field(default_factory=list)
    automatic: bool = False  # an auto-reply, a bounce, a list: never answered


def _charset(label: str | None) -> str:
    label = (label or "").strip().lower()
    return "gb18030" if label in _CHINESE else (label or "utf-8")


def _decode(data: bytes, label: str | None = None) -> str:
    """Bytes in the declared charset; undeclared: UTF-8, else GB18030 (what Chinese
    Windows clients write without saying so)."""
    for charset in ([_charset(label)] if label else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace")


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _eight_bit(text: str) -> str:
    """A raw header the parser kept as surrogate escapes: its bytes decoded again."""
    return _decode(text.encode("utf-8", "surrogateescape"))


def decode_words(raw: str) -> str:
    """RFC 2047 encoded words (=?GBK?B?…?=) decoded, Chinese labels read as GB18030."""
    if "=?" not in raw:
        return raw
    try:
        pieces = email.header.decode_header(raw)
    except (ValueError, email.errors.HeaderParseError):
        return raw
    out = []
    for chunk, label in pieces:
        if isinstance(chunk, str):
            out.append(chunk)
        elif label is None:
            out.append(chunk.decode("raw-unicode-escape", errors="replace"))
        else:
            out.append(_decode(chunk, label))
    return "".join(out)


def _raw_header(message: email.message.Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name:
            return value
    return None


def header_text(message: email.message.Message, name: str) -> str:
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    if _has_surrogates(raw):
        raw = _eight_bit(raw)
    # Folded lines: the fold is not part of the text.
    return " ".join(decode_words(raw).split())


def _clean_name(name: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = _CONTROL.sub("", name.replace("\\", "/")).strip()
    name = PurePosixPath(name).name if "/" in name else name
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 190] + dot + suffix[-8:]) if dot else name[:200]
    return name


def filename_of(part: email.message.Message) -> str:
    try:
        name = part.get_filename()
    except (ValueError, LookupError, email.errors.HeaderParseError):
        name = None
    if name and "\ufffd" not in name and not _has_surrogates(name):
        return _clean_name(decode_words(name))
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        raw = _raw_header(part, header)
        if raw is None:
            continue
        if _has_surrogates(raw):
            raw = _eight_bit(raw)
        legacy = email.message.Message()
        legacy[header] = raw
        value = legacy.get_param(param, header=header)
        if isinstance(value, tuple):  # RFC 2231: (charset, language, text as bytes)
            charset, _language, text = value
            value = _decode(text.encode("raw-unicode-escape"), charset)
        if value:
            return _clean_name(decode_words(email.utils.unquote(value)))
    return _clean_name(name or "")


def _parse_time(message: email.message.Message) -> datetime | None:
    raw = header_text(message, "date")
    try:
        return email.utils.parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError):
        return None


def _is_automatic(message: email.message.Message, sender: str) -> bool:
    if header_text(message, "auto-submitted").lower() not in {"", "no"}:
        return True
    if header_text(message, "precedence").lower() in {"bulk", "junk", "list"}:
        return True
    if any(header_text(message, name) for name in ("x-autoreply", "x-autorespond",
                                                    "list-id")):
        return True
    local = sender.partition("@")[0]
    return local in {"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply"}


_BREAKS = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_INVISIBLE = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _html_text(markup: str) -> str:
    markup = _BREAKS.sub("\n", _INVISIBLE.sub("", markup))
    return html.unescape(_TAGS.sub("", markup))


def _body_text(message: email.message.EmailMessage) -> str:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, AttributeError):
        body = None
    if body is None:
        return ""
    data = body.get_payload(decode=True) or b""
    text = _decode(data, body.get_content_charset())
    if body.get_content_subtype() == "html":
        text = _html_text(text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _is_body(part: email.message.Message, name: str) -> bool:
    return (not name and part.get_content_maintype() == "text"
            and part.get_content_disposition() != "attachment")


def _collect(message: email.message.Message, inside: str, out: list[Part], depth: int) -> None:
    if message.is_multipart() and message.get_content_maintype() == "multipart":
        for sub in message.get_payload():
            _collect(sub, inside, out, depth)
        return
    name = filename_of(message)
    content_type = message.get_content_type()
    if content_type == "message/rfc822" or name.lower().endswith(".eml"):
        inner = _inner_message(message)
        if inner is not None and depth < MAX_DEPTH:
            _collect(inner, header_text(inner, "subject") or name or "转发的邮件", out,
                     depth + 1)
            return
    if _is_body(message, name):
        return
    data = message.get_payload(decode=True) or b""
    if (message.get_content_maintype() == "image" and message.get("content-id")
            and message.get_content_disposition() != "attachment" and len(data) < LOGO_BYTES):
        return
    out.append(Part(filename=name or _unnamed(content_type), data=data,
                    content_type=content_type, inside=inside))


def _inner_message(part: email.message.Message) -> email.message.Message | None:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        if isinstance(payload, list) and payload:
            return payload[0]
    data = part.get_payload(decode=True)
    if not data:
        return None
    return email.message_from_bytes(data, policy=email.policy.default)


def _unnamed(content_type: str) -> str:
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
              "image/heic": ".heic", "text/plain": ".txt"}.get(content_type, "")
    return f"未命名附件{suffix}"


def message_key(message_id: str, raw: bytes, size: int | None = None) -> str:
    """What a message is known by: its Message-ID, or (without one, or with one longer
    than the column) a digest of its bytes. With `size` (as the server lists it) the size
    is part of the key: a correction sent with a copied Message-ID is another message and
    must not vanish as "already read", while the same message listed by two overlapping
    runs has the same size."""
    message_id = message_id.strip()
    if message_id and size is not None:
        message_id = f"{message_id} {size}"
    if message_id and len(message_id) <= 250:
        return message_id
    if message_id:
        return "<sha256:" + hashlib.sha256(message_id.encode()).hexdigest() + ">"
    return "<sha256:" + hashlib.sha256(raw).hexdigest() + ">"


def parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, address = email.utils.parseaddr(header_text(message, "from"))
    sender = address.strip().lower()
    parts: list[Part] = []
    _collect(message, "", parts, 0)
    return ParsedMail(
        message_id=message_key(header_text(message, "message-id"), raw),
        sender=sender[:254], sender_name=name.strip()[:200],
        subject=header_text(message, "subject")[:300], sent_at=_parse_time(message),
        text=_body_text(message), parts=parts,
        automatic=_is_automatic(message, sender))
