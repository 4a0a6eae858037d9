"""The reader's child process (see sandbox): ``python -m campaigndesk.progress.excel.child
CAPS`` reads one workbook from stdin, its format on the first line, with calamine and
writes its cells to stdout, a frame per pickle. Nothing else imports it but the sandbox.

The limits are set before the file is read, so a process started ahead and waiting for
its file (sandbox keeps one ready) is already confined. Empty input: nothing to do.
"""

from __future__ import annotations

import json
import pickle
import resource
import struct
import sys
from typing import BinaryIO

from .books import open_calamine
from .limits import Caps, UnreadableFile

FRAME = struct.Struct("<Q")  # the length of the pickle that follows


def send(out: BinaryIO, payload: tuple) -> None:
    blob = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(FRAME.pack(len(blob)))
    out.write(blob)


def confine(caps: Caps) -> None:
    """Address space, CPU seconds (a backstop: the parent's deadline comes first), no core
    dump of an abort, no file written."""
    memory = caps.reader_memory
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(caps.reader_seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def main(argv: list[str]) -> None:
    caps = Caps(**json.loads(argv[0]))
    confine(caps)
    stdin, out = sys.stdin.buffer, sys.stdout.buffer
    kind = stdin.readline().strip().decode("ascii", "replace")
    if not kind:
        return  # a spare the server never used (it stopped)
    data = stdin.read()
    try:
        book = open_calamine(data, kind, caps)
        sheets = book.sheets()
    except UnreadableFile as exc:
        send(out, ("refused", exc.message, exc.reason))
        return
    send(out, ("sheets", [(s.index, s.name, s.visible) for s in sheets]))
    for sheet in sheets:
        try:
            payload: tuple = ("rows", book.rows(sheet), book.merged(sheet))
        except UnreadableFile as exc:
            payload = ("refused", exc.message, exc.reason)
        send(out, payload)
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
