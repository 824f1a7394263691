"""Read lesson.md and lesson.py without trusting what they are.

A lesson folder can come from anywhere, and its files can be anything: a
symbolic link that loops, a FIFO (opening it waits for a writer that never
comes), ``/dev/zero`` (reading it never ends). The tutor looks at what a path
is before it opens it, opens without blocking, and reads at most
``MAX_FILE_BYTES``: a bad file becomes a problem, never a hang or a crash.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .problems import Problem

MAX_FILE_BYTES = 1_000_000  # 1 MB: lesson 14, the largest, is 15 kB
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The text of a lesson file, or None with the reason added to ``problems``."""
    data = read_bytes(path, problems)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                path,
                line,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                column,
            )
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def read_bytes(path: Path, problems: list[Problem]) -> bytes | None:
    """At most ``MAX_FILE_BYTES`` of a regular file; never opens anything else."""
    reason = _refusal(path)
    if reason is None:
        try:
            return _read_regular(path)
        except _Refused as exc:
            reason = str(exc)
        except OSError as exc:
            reason = f"cannot read the file: {exc.strerror or exc}"
    problems.append(Problem(path, 1, reason))
    return None


class _Refused(Exception):
    """The file changed into something the tutor does not read between the look and the read."""


def _refusal(path: Path) -> str | None:
    """Why ``path`` is not read, or None when it is a regular file of a readable size."""
    name = path.name
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{name} is a symbolic link that never reaches a file (the links form a loop)"
        if exc.errno == errno.ENOENT:
            target = _link_target(path)
            if target is not None:
                return f"{name} is a symbolic link to {target!r}, which does not exist"
            return "file not found: a lesson needs lesson.md and lesson.py"
        return f"cannot read the file: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        what = _KINDS.get(stat.S_IFMT(info.st_mode), "not a file")
        target = _link_target(path)
        if target is not None:
            return f"{name} is a symbolic link to {target!r}, {what}: the tutor reads only files"
        return f"{name} is {what}, not a file: the tutor reads only files"
    if info.st_size > MAX_FILE_BYTES:
        return _too_big(name, info.st_size)
    return None


def _read_regular(path: Path) -> bytes:
    """Read without blocking (O_NONBLOCK) and with a bound, checking again what was opened."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Refused(f"{path.name} is not a file: the tutor reads only files")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:  # it grew after the look
            raise _Refused(_too_big(path.name, os.fstat(fd).st_size))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _link_target(path: Path) -> str | None:
    try:
        return os.readlink(path)
    except OSError:  # not a link (or it vanished)
        return None


def _too_big(name: str, size: int) -> str:
    return f"{name} is {size_text(size)}: the tutor reads lesson files up to 1 MB"


def size_text(size: int) -> str:
    """A file size as people say it: 22 MB, 1.5 MB; bytes when "1.0 MB" would hide the excess."""
    if size >= 10_000_000:
        return f"{size / 1_000_000:.0f} MB"
    text = f"{size / 1_000_000:.1f} MB"
    return f"{size:,} bytes" if text == "1.0 MB" else text
