"""Benchmark: `fetch_mail` on a mailbox of 500 messages with attachments (issue 15, Speed).

A local dovecot (the tests' throwaway server, tests/intake/dovecot.py) holds 500 messages
as the bureaus send them: tables from the 14 registered bureaus, briefs (.docx) with two
photos, mails from unknown addresses, and a few without attachments. SQLite in a temporary
folder. Printed: time per message of the first run (everything new), the run after it
(nothing new), and, as the baseline measured in the same run, a plain imaplib download of
the same 500 messages (what reading the mailbox costs at all): the ratio is what filing
adds on top. Skipped, saying so, when dovecot is not installed.

    .venv/bin/python bench/fetch_mail_bench.py [--messages 500]
"""

import argparse
import imaplib
import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_lock import setup as django_setup  # noqa: E402 - after the path


def setup(data_dir: str) -> None:
    """As the other benchmarks (a demo on SQLite in `data_dir`), without a real mailbox."""
    os.environ.pop("MAIL_INTAKE_URL", None)
    django_setup(data_dir)


def table_bytes(unit_name: str, n: int) -> bytes:
    from campaigndesk.progress import excel_out
    from campaigndesk.progress.table import ActivityRow

    rows = [ActivityRow(name=f"{unit_name}活动{i}", organizations=["社工站"], participants=10,
                        start=date(2022, 3, 18), end=date(2022, 3, 18), location="社区",
                        content="宣传", service_areas=["老年人"], beneficiaries=100)
            for i in range(n)]
    out = io.BytesIO()
    excel_out.write_unit_report(out, unit_name=unit_name, reporter_name="王芳",
                                reporter_phone="13800001234", filled_date=date(2022, 3, 24),
                                rows=rows)
    return out.getvalue()


def brief_bytes(title: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("3月18日上午，社工站开展社会工作主题宣传活动，服务群众200余人次。" * 8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def photo_bytes(seed: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (1600, 1200), (seed * 37 % 255, 120, 200))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def mailbox_of(count: int, bureaus) -> list[bytes]:
    from tests.intake import mails

    photos = [photo_bytes(i) for i in range(4)]
    tables = {b.code: table_bytes(b.name, 20) for b in bureaus}
    messages = []
    for i in range(count):
        bureau = bureaus[i % len(bureaus)]
        sender = f"{bureau.code}@example.cn"
        kind = i % 10
        if kind < 6:
            files = [mails.File(f"{bureau.name}工作进展统计表.xlsx", tables[bureau.code])]
        elif kind < 8:
            brief = brief_bytes(f"{bureau.name}稿件{i}")
            files = [mails.File(f"{bureau.name}宣传稿件.docx", brief),
                     mails.File("现场1.jpg", photos[i % 4], "image/jpeg"),
                     mails.File("现场2.jpg", photos[(i + 1) % 4], "image/jpeg")]
        elif kind == 8:
            sender = f"stranger{i}@qq.example"
            files = [mails.File("统计表.xlsx", tables[bureau.code], naming="rfc2231")]
        else:
            files = []
        messages.append(mails.message(sender=sender, name=bureau.name,
                                      subject=f"{bureau.name}报送{i}", files=files))
    return messages


def raw_download(config: dict) -> tuple[float, int]:
    """The baseline: every message downloaded once with imaplib, nothing else."""
    t0 = time.perf_counter()
    connection = imaplib.IMAP4(config["host"], config["port"])
    connection.login(config["user"], config["password"])
    connection.select("INBOX", readonly=True)
    _status, data = connection.uid("SEARCH", None, "ALL")
    total = 0
    for uid in data[0].split():
        _status, body = connection.uid("FETCH", uid, "(BODY.PEEK[])")
        total += len(body[0][1])
    connection.logout()
    return time.perf_counter() - t0, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    from tests.intake.dovecot import Server, Unavailable

    try:
        server = Server().start()
    except Unavailable as exc:
        print(f"SKIPPED: no IMAP server ({exc})")
        return
    try:
        run(server, args.messages)
    finally:
        server.stop()


def run(server, count: int) -> None:
    setup(tempfile.mkdtemp(prefix="campaigndesk-bench-"))
    from django.core.management import call_command

    from campaigndesk.demo import load_demo
    from campaigndesk.intake import filing
    from campaigndesk.intake.models import MailAttachment, MailMessage, UnitMailAddress
    from campaigndesk.units.models import Unit

    call_command("migrate", verbosity=0)
    load_demo(samples=False)
    bureaus = list(Unit.objects.reporting().order_by("code"))
    for bureau in bureaus:
        UnitMailAddress.objects.create(unit=bureau, address=f"{bureau.code}@example.cn")
    t0 = time.perf_counter()
    server.deliver(*[(raw, None) for raw in mailbox_of(count, bureaus)])
    print(f"mailbox of {count} messages built and delivered in {time.perf_counter() - t0:.1f} s")

    baseline, size = raw_download(server.config)
    first = filing.run(server.config)
    again = filing.run(server.config)
    assert first.messages == count and again.messages == 0, (first, again)
    assert MailMessage.objects.count() == count
    per = first.seconds / count * 1000
    print(f"plain imaplib download of all {count} ({size / 1024 / 1024:.1f} MB): "
          f"{baseline:.2f} s, {baseline / count * 1000:.1f} ms a message")
    print(f"fetch_mail, all new: {first.seconds:.2f} s, {per:.1f} ms a message "
          f"({first.seconds / baseline:.1f}× the plain download); "
          f"{MailAttachment.objects.count()} attachments, {first.pending} to confirm, "
          f"{first.needs_unit} mails to assign")
    print(f"fetch_mail, nothing new: {again.seconds:.2f} s "
          f"({again.seconds / baseline:.2f}× the plain download)")


if __name__ == "__main__":
    main()
