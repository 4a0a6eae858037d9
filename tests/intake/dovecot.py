"""A real IMAP server for the tests: Debian's dovecot-imapd on a free local port.

A throwaway configuration in a temporary folder: plain IMAP on 127.0.0.1 only, one user
from a passwd-file, maildir storage, its own base_dir, state and log, so that it touches
nothing of a system dovecot. Run as root, the mail processes take the `dovecot` system
user (dovecot refuses mail access as root); run as anyone else, everything runs as that
user. Started in the foreground (-F) as our own child process and stopped by its id.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "intake", "Intake#2022"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = campaigndesk-test-{port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


class Unavailable(Exception):
    """Why the server cannot run here (the tests skip, saying so)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accounts() -> tuple[str, str]:
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
    for user in ("dovecot", "nobody"):
        try:
            entry = pwd.getpwnam(user)
        except KeyError:
            continue
        return user, grp.getgrgid(entry.pw_gid).gr_name
    raise Unavailable("no unprivileged user (dovecot, nobody) for the mail processes")


class Server:
    def __init__(self) -> None:
        if not os.access(DOVECOT, os.X_OK):
            raise Unavailable(f"{DOVECOT} is missing: install Debian's dovecot-imapd "
                              "(scripts/install-test-deps.sh does, as root)")
        self.root = Path(tempfile.mkdtemp(prefix="campaigndesk-imap-"))
        self.port = _free_port()
        self.user, self.group = _accounts()
        self.process: subprocess.Popen | None = None

    @property
    def config(self) -> dict:
        return {"tls": False, "host": "127.0.0.1", "port": self.port, "user": USER,
                "password": PASSWORD, "mailbox": "INBOX"}

    def start(self) -> Server:
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        conf = self.root / "dovecot.conf"
        conf.write_text(CONFIG.format(root=self.root, port=self.port, user=self.user,
                                      group=self.group))
        # The mail processes run as that user: it must reach its maildir and the passwd-file.
        os.chmod(self.root, 0o755)  # noqa: S103 - a throwaway test folder, test password
        os.chmod(self.root / "passwd", 0o644)
        shutil.chown(self.root / "mail", self.user, self.group)
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode(errors="replace")
                self.stop()
                raise Unavailable(f"dovecot stopped at start-up: {error.strip()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise Unavailable("dovecot did not listen within 15 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        connection.login(USER, PASSWORD)
        return connection

    def clear(self) -> None:
        """An empty INBOX (UIDs go on growing, as on a real server)."""
        connection = self.client()
        try:
            connection.select("INBOX")
            status, data = connection.uid("SEARCH", None, "ALL")
            if data and data[0]:
                connection.uid("STORE", "1:*", "+FLAGS.SILENT", r"(\Deleted)")
                connection.expunge()
        finally:
            connection.logout()

    def deliver(self, *messages: tuple[bytes, datetime | None]) -> None:
        """APPEND each (raw message, arrival time — aware — or None for now): the server
        keeps it as the message's INTERNALDATE, its arrival."""
        connection = self.client()
        try:
            for raw, arrived in messages:
                when = imaplib.Time2Internaldate(arrived) if arrived else None
                status, data = connection.append("INBOX", None, when, raw)
                assert status == "OK", data
        finally:
            connection.logout()
