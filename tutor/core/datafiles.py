"""Where the learner's files live, and how they are read and written: safely.

Everything lives in the user's data directory (``platformdirs``), or in
``NN_TUTOR_HOME`` when set (tests use it). A write goes to a temporary file in
the same folder, is flushed to disk, then renamed over the old file: a crash at
any moment leaves the old content or the new, never a torn file.

A read never blocks or swallows the tutor: only a regular file is opened (a FIFO
would block, a folder cannot be read), and never more than a cap (a 22 MB file
took 25 s to show). Whatever the tutor cannot use is moved aside, never deleted:
``move_aside`` renames it to a dated name beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from pathlib import Path


class NotAFile(OSError):
    """The path is a folder, a FIFO, a socket or a device: not a file the tutor can read."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a file")
        self.kind = kind


class TooBig(OSError):
    """The file is larger than the tutor reads."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(f"{path} is {megabytes(size)}, more than {megabytes(limit)}")
        self.size, self.limit = size, limit


def data_dir() -> Path:
    home = os.environ.get("NN_TUTOR_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir("nn-tutor", appauthor=False))


def megabytes(size: int) -> str:
    """``22.0 MB``, ``1 MB``: a size for people."""
    mb = size / 1_000_000
    return f"{mb:.0f} MB" if mb == int(mb) else f"{mb:.1f} MB"


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed).

    Raises ``FileNotFoundError`` when there is nothing there, ``NotAFile`` for a folder,
    FIFO, socket or device (opened without blocking, never read), ``TooBig`` past
    ``limit`` bytes (nothing read), and ``OSError`` when it cannot be opened (permissions,
    a loop of symbolic links).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise NotAFile(path, "a folder") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(path, _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file"))
        if info.st_size > limit:
            raise TooBig(path, info.st_size, limit)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:  # it grew while being read
            raise TooBig(path, len(data), limit)
        return data
    finally:
        os.close(fd)


def stamp() -> str:
    """The local date and time in a file name: ``20250601-143005``."""
    return time.strftime("%Y%m%d-%H%M%S")


def free_name(folder: Path, base: str, suffix: str = "") -> Path:
    """``folder/<base><suffix>``, or ``<base>-2<suffix>``, ``-3``…: the first name free."""
    candidate, n = folder / f"{base}{suffix}", 1
    while os.path.lexists(candidate):
        n += 1
        candidate = folder / f"{base}-{n}{suffix}"
    return candidate


def move_aside(path: Path, tag: str, suffix: str = "") -> Path | None:
    """Rename ``path`` (whatever it is: file, folder, FIFO, broken link) to
    ``<name>.<tag>-<date><suffix>`` beside it; None when it cannot be moved."""
    target = free_name(path.parent, f"{path.name}.{tag}-{stamp()}", suffix)
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def make_folder(folder: Path) -> None:
    """``folder`` and its parents, made if missing (a file in the way: "Not a directory")."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), exc.filename) from exc


def atomic_write_text(path: Path, text: str) -> None:
    make_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def reason(exc: BaseException) -> str:
    """An OSError for people: ``Read-only file system``, ``No space left on device``."""
    if isinstance(exc, (NotAFile, TooBig)):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text: byte {exc.object[exc.start]:#x} at {exc.start}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
