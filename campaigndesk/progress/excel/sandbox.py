"""calamine in a child process, where an abort cannot take the server down.

calamine is Rust: an allocation it cannot make aborts the whole process (there is no
exception to catch), and so would any bug in it. The guard measures what can be measured
first; this is the second wall. The workbook is read by ``python -m
campaigndesk.progress.excel.child`` with an address-space limit, a CPU limit and a
deadline, no core dump, no file writes and none of the server's environment (no secret
key, no database address). The parent gets back plain cell values and nothing else (a
restricted unpickler: lists, text, numbers and dates).

    reading = Reading(data, kind, caps)   # the child starts reading at once
    guard.measure(data, kind, caps)       # meanwhile the XML is measured here
    book = reading.book()                 # waits; UnreadableFile if the child failed
    reading.close()                       # always: kills a child still running

Overlapping the two keeps an import about as fast as before, and one child is kept
started and waiting (confined already, see child.py), so that its start-up is not paid
while a user waits. Each child reads one file only: nothing of one upload stays in a
process that reads the next.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import io
import json
import logging
import os
import pickle
import selectors
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import python_calamine

from .books import Book, Cell, Merge, SheetInfo
from .child import FRAME
from .limits import CRASHED, Caps, UnreadableFile

log = logging.getLogger(__name__)

BUSY = "文件暂时无法读取：服务器繁忙，请稍后再上传"
TIMEOUT = ("文件无法读取：读取超过 {seconds:g} 秒仍未完成，已停止。请检查表格是否过大，"
           "或在 Excel 或 WPS 中打开后另存为 .xlsx 再上传")

# The child's import path: the folder holding the campaigndesk package and the one holding
# python_calamine; nothing else (-S: no site, so no .pth files either).
_PATH = os.pathsep.join(dict.fromkeys([
    str(Path(__file__).resolve().parents[3]),
    str(Path(python_calamine.__file__).resolve().parents[1]),
]))


def _start_child(caps_json: str) -> subprocess.Popen:
    env = {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C.UTF-8",
           "PYTHONPATH": _PATH}
    # -S: no site; -s: no user site; -P: not the working folder; -B: no .pyc written.
    return subprocess.Popen(
        [sys.executable, "-S", "-s", "-P", "-B", "-m", "campaigndesk.progress.excel.child",
         caps_json],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd="/", env=env)


class _Spare:
    """One child started ahead, for the next file with the same caps."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner = 0  # the process that started it (a forked copy must not use it)
        self._key = ""
        self._process: subprocess.Popen | None = None

    def take(self, caps: Caps) -> subprocess.Popen:
        key = json.dumps(asdict(caps))
        with self._lock:
            ready = self._process if self._owner == os.getpid() else None
            if ready is not None and (self._key != key or ready.poll() is not None):
                ready.kill()
                ready.wait()
                ready = None
            self._owner, self._key, self._process = os.getpid(), key, _start_child(key)
        return ready or _start_child(key)

    def stop(self) -> None:
        with self._lock:
            if self._process is not None and self._owner == os.getpid():
                self._process.kill()
                self._process.wait()
            self._process = None


_spare = _Spare()
atexit.register(_spare.stop)


class Reading:
    """One workbook being read by a child process.

    No thread: the file is handed over at once (the child does nothing but read it), and
    the cells are collected once the guard is done. A thread shuffling the pipes while the
    guard holds the GIL got it only every few milliseconds, and the child waited on it."""

    def __init__(self, data: bytes, kind: str, caps: Caps) -> None:
        self.caps = caps
        self._deadline = time.monotonic() + caps.reader_seconds
        try:
            self._process = _spare.take(caps)
        except OSError as exc:  # no process could be started: the server's trouble
            log.error("无法启动表格读取子进程：%s", exc)
            raise UnreadableFile(BUSY, "crashed") from exc
        stdin = self._process.stdin
        try:
            stdin.write(kind.encode("ascii") + b"\n")
            stdin.write(data)
            stdin.close()
        except OSError:  # the child died before reading it all: book() says so
            with contextlib.suppress(OSError):
                stdin.close()

    def _collect(self) -> tuple[bytes, bytes, bool]:
        """(stdout, stderr, timed out), reading both pipes until the child closes them."""
        streams = {self._process.stdout: bytearray(), self._process.stderr: bytearray()}
        with selectors.DefaultSelector() as selector:
            for stream in streams:
                selector.register(stream, selectors.EVENT_READ)
            while selector.get_map():
                remaining = self._deadline - time.monotonic()
                if remaining <= 0:
                    self._process.kill()
                    self._process.wait()
                    return bytes(streams[self._process.stdout]), b"", True
                for key, _events in selector.select(remaining):
                    chunk = os.read(key.fd, 1 << 20)
                    if chunk:
                        streams[key.fileobj] += chunk
                    else:
                        selector.unregister(key.fileobj)
        self._process.wait()
        return bytes(streams[self._process.stdout]), bytes(streams[self._process.stderr]), False

    def book(self) -> Book:
        out, err, timed_out = self._collect()
        if timed_out:
            raise UnreadableFile(TIMEOUT.format(seconds=self.caps.reader_seconds), "timeout")
        if self._process.returncode != 0:
            # No user data on stderr: calamine's panic or allocation message, a traceback.
            log.warning("表格读取子进程退出码 %s：%s", self._process.returncode,
                        err.decode("utf-8", "replace")[-500:].strip())
            raise UnreadableFile(CRASHED, "crashed")
        try:
            frames = _split(out)
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
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            stream.close()


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
        (size,) = FRAME.unpack_from(out, at)
        at += FRAME.size
        if at + size > len(out):
            raise ValueError("truncated frame")
        frames.append(out[at:at + size])
        at += size
    return frames
