"""Reading the mailbox with the stdlib's imaplib: read-only, nothing marked or moved.

The department also reads this mailbox in its mail client (163.com's web mail): the
folder is opened read-only and every fetch is a PEEK, so nothing turns "read" here.
"""

from __future__ import annotations

import base64
import imaplib
import re
import ssl
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 60
BATCH = 200  # UIDs per FETCH of the listing
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_DATE = re.compile(rb'\bINTERNALDATE "([^"]+)"')


class MailboxError(Exception):
    """Shown as it is: what went wrong with the mailbox, in Chinese, never the password."""


@dataclass(frozen=True)
class Listed:
    uid: int
    size: int
    arrived: datetime | None
    message_id: str


def mailbox_name(name: str) -> str:
    """The folder's name as IMAP wants it: modified UTF-7 (RFC 3501) for 进展报送, quoted."""
    out, chinese = [], []

    def flush() -> None:
        if chinese:
            encoded = base64.b64encode("".join(chinese).encode("utf-16-be")).decode()
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            chinese.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            chinese.append(ch)
    flush()
    quoted = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}"'


def _arrived(raw: bytes) -> datetime | None:
    try:
        return datetime.strptime(raw.decode().strip(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


def _records(data: list) -> list[tuple[bytes, bytes]]:
    """(attributes, literal) per message of a FETCH answer; attributes after a literal
    come as a separate piece and are joined to it."""
    records: list[list[bytes]] = []
    for item in data:
        if isinstance(item, tuple):
            records.append([item[0], item[1]])
        elif isinstance(item, bytes) and records:
            records[-1][0] += b" " + item
    return [(meta, literal) for meta, literal in records]


def _message_id(header: bytes) -> str:
    text = header.decode("utf-8", errors="replace")
    name, _colon, value = text.partition(":")
    return " ".join(value.split()) if name.strip().lower() == "message-id" else ""


class Mailbox:
    """with Mailbox(settings.MAIL_INTAKE) as box: box.uid_validity, box.after(uid) …"""

    def __init__(self, config: dict, timeout: float = TIMEOUT_SECONDS) -> None:
        self.config = config
        self.timeout = timeout
        self.connection: imaplib.IMAP4 | None = None
        self.uid_validity = 0

    @property
    def where(self) -> str:
        return f"{self.config['host']}:{self.config['port']}"

    @property
    def key(self) -> str:
        """The mailbox as the read marks know it (no password)."""
        return f"{self.config['user']}@{self.where}/{self.config['mailbox']}"

    def __enter__(self) -> Mailbox:
        host, port = self.config["host"], self.config["port"]
        try:
            if self.config["tls"]:
                self.connection = imaplib.IMAP4_SSL(host, port, timeout=self.timeout,
                                                    ssl_context=ssl.create_default_context())
            else:
                self.connection = imaplib.IMAP4(host, port, timeout=self.timeout)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError(_("无法连接邮箱服务器 %(where)s：%(error)s") % {
                "where": self.where, "error": exc}) from None
        try:
            self.connection.login(self.config["user"], self.config["password"])
        except imaplib.IMAP4.error:
            self._close()
            raise MailboxError(_("邮箱 %(user)s 登录失败：用户名或密码不对，或邮箱未开启 IMAP"
                                 "（163 等邮箱须用“客户端授权码”作密码）") % {
                "user": self.config["user"]}) from None
        status, _data = self.connection.select(mailbox_name(self.config["mailbox"]),
                                               readonly=True)
        if status != "OK":
            self._close()
            raise MailboxError(_("邮箱中没有文件夹“%(name)s”") % {
                "name": self.config["mailbox"]})
        validity = self.connection.response("UIDVALIDITY")[1]
        self.uid_validity = int(validity[0]) if validity and validity[0] else 0
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    def _close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
        self.connection = None

    def _uid(self, *args: str) -> list:
        try:
            status, data = self.connection.uid(*args)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError(_("读取邮箱 %(where)s 时出错：%(error)s") % {
                "where": self.where, "error": exc}) from None
        if status != "OK":
            raise MailboxError(_("邮箱服务器拒绝了 %(command)s：%(answer)s") % {
                "command": args[0], "answer": data})
        return data

    def after(self, last_uid: int) -> list[int]:
        """The UIDs above `last_uid`, ascending ("n:*" also names the last message when
        it is below n: those are dropped)."""
        data = self._uid("SEARCH", None, f"UID {last_uid + 1}:*")
        return sorted(u for u in (int(x) for x in b" ".join(data).split()) if u > last_uid)

    def listing(self, uids: list[int]) -> list[Listed]:
        """Size, arrival and Message-ID of each message: enough to skip those known."""
        found = []
        for start in range(0, len(uids), BATCH):
            chunk = ",".join(str(u) for u in uids[start:start + BATCH])
            data = self._uid("FETCH", chunk, "(UID RFC822.SIZE INTERNALDATE "
                                             "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            for meta, literal in _records(data):
                uid, size, arrived = _UID.search(meta), _SIZE.search(meta), _DATE.search(meta)
                if uid is None:
                    continue
                found.append(Listed(uid=int(uid.group(1)),
                                    size=int(size.group(1)) if size else 0,
                                    arrived=_arrived(arrived.group(1)) if arrived else None,
                                    message_id=_message_id(literal or b"")))
        return sorted(found, key=lambda item: item.uid)

    def fetch(self, uid: int, *, header_only: bool = False) -> bytes | None:
        """The whole message (or only its header), or None when it is gone from the
        mailbox meanwhile."""
        part = "BODY.PEEK[HEADER]" if header_only else "BODY.PEEK[]"
        records = _records(self._uid("FETCH", str(uid), f"({part})"))
        return records[0][1] if records else None
