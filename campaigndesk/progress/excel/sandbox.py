"""calamine in a child process, where an abort cannot take the server down.

calamine is Rust: an allocation it cannot make aborts the whole process (there is no
exception to catch), and so would any bug in it. The guard measures what can be measured
first; this is the second wall. The workbook is read by ``python -m
campaigndesk.progress.excel.sandbox`` with an address-space limit, a CPU limit and a
deadline, no core dump, no file writes and none of the server's environment (no secret
key, no database address). The parent gets back plain cell values and nothing else
(a restricted unpickler: lists, text, numbers and dates).

    reading = Reading(data, kind, caps)   # the child starts reading at once
    guard.measure(data, kind, caps)       # meanwhile the XML is measured here
    book = reading.book()                 # waits; UnreadableFile if the child failed
    reading.close()                       # always: kills a child still running

Overlapping the two keeps an import as fast as before: the child's start-up and
calamine run while the guard reads the XML.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any, BinaryIO

from .books import Book, Cell, Merge, SheetInfo, open_calamine
from .limits import CRASHED, Caps, UnreadableFile

log = logging.getLogger(__name__)

TIMEOUT = ("文件无法读取：读取超过 {seconds:g} 秒仍未完成，已停止。请检查表格是否过大，"
           "或在 Excel 或 WPS 中打开后另存为 .xlsx 再上传")

# The folder that holds the campaigndesk package, for the child's import path.
_ROOT = str(Path(__file__).resolve().parents[3])
_FRAME = struct.Struct("<Q")


class Reading:
    """One workbook being read by a child process."""

    def __init__(self, data: bytes, kind: str, caps: Caps) -> None:
        self.caps = caps
        self._out = b""
        self._timed_out = False
        self._closed = False
        env = {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C.UTF-8",
               "PYTHONPATH": _ROOT}
        # -P: not the working folder on the path; -s: no user site; -B: no .pyc writes.
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-s", "-B", "-m", __name__, json.dumps(asdict(caps)), kind],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd="/", env=env)
        self._talk = threading.Thread(target=self._communicate, args=(data,), daemon=True)
        self._talk.start()

    def _communicate(self, data: bytes) -> None:
        try:
            self._out, err = self._process.communicate(data, timeout=self.caps.reader_seconds)
        except subprocess.TimeoutExpired:
            self._timed_out = True
            self._process.kill()
            self._out, err = self._process.communicate()
        if self._process.returncode and not self._closed:
            # No user data on stderr: calamine's panic or allocation message, a traceback.
            log.warning("表格读取子进程退出码 %s：%s", self._process.returncode,
                        err.decode("utf-8", "replace")[-500:].strip())

    def book(self) -> Book:
        self._talk.join()
        if self._timed_out:
            raise UnreadableFile(TIMEOUT.format(seconds=self.caps.reader_seconds), "timeout")
        if self._process.returncode != 0:
            raise UnreadableFile(CRASHED, "crashed")
        try:
            frames = _split(self._out)
            first = _load(frames[0])
        except (ValueError, IndexError, pickle.UnpicklingError, EOFError) as exc:
            raise UnreadableFile(CRASHED, "crashed") from exc
        if first[0] == "refused":
            raise UnreadableFile(first[1], first[2])
        sheets = [SheetInfo(i, name, visible) for i, name, visible in first[1]]
        if len(frames) != len(sheets) + 1:
            raise UnreadableFile(CRASHED, "crashed")
        return _ReadBook(sheets, frames[1:])

    def close(self) -> None:
        """Stop the child if it is still reading (the guard refused the file meanwhile)."""
        self._closed = True
        if self._process.poll() is None:
            self._process.kill()
        self._talk.join()


class _ReadBook:
    """The cells the child sent, each sheet unpickled when it is asked for."""

    def __init__(self, sheets: list[SheetInfo], frames: list[bytes]) -> None:
        self._sheets = sheets
        self._frames = frames
        self._loaded: tuple[int, Any] | None = None

    def sheets(self) -> list[SheetInfo]:
        return self._sheets

    def _payload(self, sheet: SheetInfo) -> tuple:
        position = self._sheets.index(sheet)
        if self._loaded is None or self._loaded[0] != position:
            try:
                self._loaded = (position, _load(self._frames[position]))
            except (ValueError, pickle.UnpicklingError, EOFError) as exc:
                raise UnreadableFile(CRASHED, "crashed") from exc
        payload = self._loaded[1]
        if payload[0] == "refused":
            raise UnreadableFile(payload[1], payload[2])
        return payload

    def rows(self, sheet: SheetInfo) -> list[list[Cell]]:
        return self._payload(sheet)[1]

    def merged(self, sheet: SheetInfo) -> list[Merge]:
        return self._payload(sheet)[2]


# ---------------------------------------------------------------- what crosses the pipe

_DATE_TYPES = {"date", "datetime", "time", "timedelta"}


class _CellsOnly(pickle.Unpickler):
    """Cells are lists, text, numbers, booleans and datetime values: a pickle asking for
    any other class (a compromised child trying to run code here) is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _DATE_TYPES:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def _load(frame: bytes) -> Any:
    return _CellsOnly(io.BytesIO(frame)).load()


def _split(out: bytes) -> list[bytes]:
    frames, at = [], 0
    while at < len(out):
        (size,) = _FRAME.unpack_from(out, at)
        at += _FRAME.size
        if at + size > len(out):
            raise ValueError("truncated frame")
        frames.append(out[at:at + size])
        at += size
    return frames


def _send(out: BinaryIO, payload: tuple) -> None:
    blob = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_FRAME.pack(len(blob)))
    out.write(blob)


# ---------------------------------------------------------------- the child


def _limit(caps: Caps) -> None:
    import resource

    memory = caps.reader_memory
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(caps.reader_seconds) + 2  # the parent's deadline comes first; a backstop
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def main(argv: list[str]) -> None:
    caps, kind = Caps(**json.loads(argv[0])), argv[1]
    data = sys.stdin.buffer.read()
    _limit(caps)
    out = sys.stdout.buffer
    try:
        book = open_calamine(data, kind, caps)
        sheets = book.sheets()
    except UnreadableFile as exc:
        _send(out, ("refused", exc.message, exc.reason))
        return
    _send(out, ("sheets", [(s.index, s.name, s.visible) for s in sheets]))
    for sheet in sheets:
        try:
            payload: tuple = ("rows", book.rows(sheet), book.merged(sheet))
        except UnreadableFile as exc:
            payload = ("refused", exc.message, exc.reason)
        _send(out, payload)
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
