"""Messages as the bureaus' mail clients write them, byte for byte.

163.com web mail and Foxmail: GBK subjects as =?GBK?B?…?=, file names as RFC 2047 words
inside the quotes (not what the RFC allows, what everyone does). Thunderbird and Apple
Mail: RFC 2231 (filename*=UTF-8''…, split into filename*0*, filename*1* when long).
Old Outlook Express: raw 8-bit GBK headers. "Forward as attachment": message/rfc822;
some web mails attach the saved .eml as application/octet-stream instead.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from urllib.parse import quote

_ids = itertools.count(1)
CRLF = "\r\n"


def b64_word(text: str, charset: str = "GBK") -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset.lower())).decode()}?="


def _lines(data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    return CRLF.join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


@dataclass
class File:
    name: str
    data: bytes
    content_type: str = "application/octet-stream"
    naming: str = "rfc2047"  # rfc2047 (GBK words), rfc2231 (UTF-8, continued), rfc2231-gbk

    def headers(self) -> list[str]:
        if self.naming == "rfc2231":
            encoded = quote(self.name.encode("utf-8"), safe="")
            half = len(encoded) // 2
            while encoded[half - 1] == "%" or encoded[half - 2] == "%":
                half += 1  # never split a %XX escape
            return [f"Content-Type: {self.content_type}",
                    "Content-Disposition: attachment;",
                    f" filename*0*=UTF-8''{encoded[:half]};",
                    f" filename*1*={encoded[half:]}"]
        if self.naming == "rfc2231-gbk":
            encoded = quote(self.name.encode("gbk"), safe="")
            return [f"Content-Type: {self.content_type}",
                    f"Content-Disposition: attachment; filename*=GBK''{encoded}"]
        word = b64_word(self.name)
        return [f'Content-Type: {self.content_type}; name="{word}"',
                f'Content-Disposition: attachment; filename="{word}"']

    def part(self) -> str:
        return CRLF.join([*self.headers(), "Content-Transfer-Encoding: base64", "",
                          _lines(self.data)])


@dataclass
class Forwarded:
    """A whole message attached: message/rfc822, or a saved .eml file."""

    raw: bytes
    as_eml_file: str = ""

    def part(self) -> str:
        if self.as_eml_file:
            return File(self.as_eml_file, self.raw).part()
        return CRLF.join(["Content-Type: message/rfc822",
                          "Content-Disposition: attachment", "",
                          self.raw.decode("ascii")])


def message(*, sender: str = "hhht-mz@example.cn", name: str = "呼和浩特市民政局",
            subject: str = "呼和浩特市第一次工作进展报送", subject_charset: str = "GBK",
            text: str = "请查收附件。", files: list = (), message_id: str | None = "",
            date: str = "Thu, 24 Mar 2022 16:30:00 +0800", headers: list[str] = ()) -> bytes:
    """A multipart/mixed message with a GBK text part and the given attachments."""
    boundary = f"----=_Part_{next(_ids)}_campaigndesk"
    lines = [f"From: {b64_word(name)} <{sender}>", "To: mz6946872@example.cn",
             f"Subject: {b64_word(subject, subject_charset)}", f"Date: {date}"]
    if message_id is not None:
        lines.append(f"Message-ID: {message_id or f'<{next(_ids)}.test@example.cn>'}")
    lines += [*headers, "MIME-Version: 1.0",
              f'Content-Type: multipart/mixed; boundary="{boundary}"', "",
              f"--{boundary}", "Content-Type: text/plain; charset=GBK",
              "Content-Transfer-Encoding: base64", "", _lines(text.encode("gbk"))]
    for item in files:
        lines += [f"--{boundary}", item.part()]
    lines += [f"--{boundary}--", ""]
    return CRLF.join(lines).encode("ascii")


def raw_gbk_message(subject: str, filename: str, data: bytes) -> bytes:
    """Old Outlook Express: 8-bit GBK in the headers, no encoding declared at all."""
    head = CRLF.join(["From: old-client@example.cn", "Subject: "]).encode() \
        + subject.encode("gbk") + (CRLF + CRLF.join([
            "Message-ID: <raw-gbk@example.cn>", "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="B"', "", "--B",
            "Content-Type: text/plain", "", "hi", "--B",
            "Content-Type: application/octet-stream; name=\""])).encode()
    return head + filename.encode("gbk") + ("\"" + CRLF + CRLF.join([
        "Content-Transfer-Encoding: base64", "", _lines(data), "--B--", ""])).encode()
