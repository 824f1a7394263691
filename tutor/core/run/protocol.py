"""The one way bytes travel between the tutor, its worker and each run's child process.

A message is a frame: an 8-byte big-endian length, then that many bytes of
payload, in the data-only format of ``wire.py`` (never a pickle: a run's child runs
lesson code, and reading what it sends must not be able to run anything). Both ends use these functions, so the framing is
written once; ``read_frame`` can wait with a deadline, so a silent peer never
blocks the tutor forever.
"""

from __future__ import annotations

import os
import selectors
import struct
import time
from typing import Any

from . import wire

HEADER = struct.Struct("!Q")
CHUNK = 1 << 20


class PeerClosed(EOFError):
    """The other end closed its side before a whole frame arrived."""


def dumps(message: Any) -> bytes:
    """A message as a payload (without its frame header)."""
    return wire.dumps(message)


def encode(message: Any) -> bytes:
    """A message as a whole frame."""
    data = dumps(message)
    return HEADER.pack(len(data)) + data


def decode(payload: bytes) -> Any:
    """A payload as the message it holds; ``wire.WireError`` if it is not one."""
    return wire.loads(payload)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def send(fd: int, message: Any) -> None:
    """Write one message as a frame."""
    write_all(fd, encode(message))


def write_frame(fd: int, payload: bytes) -> None:
    """Write an already encoded payload as a frame (the worker forwards a child's reply)."""
    write_all(fd, HEADER.pack(len(payload)) + payload)


def read_exactly(fd: int, size: int, deadline: float | None = None) -> bytes | None:
    """``size`` bytes from ``fd``; None when the deadline passed first.

    Raises ``PeerClosed`` when the other end closes mid-way (or before the first byte)."""
    chunks, remaining = [], size
    selector = selectors.DefaultSelector() if deadline is not None else None
    try:
        if selector is not None:
            selector.register(fd, selectors.EVENT_READ)
        while remaining:
            if selector is not None and not selector.select(
                timeout=max(0.0, deadline - time.perf_counter())  # type: ignore[operator]
            ):
                return None
            chunk = os.read(fd, min(remaining, CHUNK))
            if not chunk:
                raise PeerClosed("the other process closed the channel")
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        if selector is not None:
            selector.close()
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None) -> bytes | None:
    """The payload of the next frame; None when the deadline passed first."""
    header = read_exactly(fd, HEADER.size, deadline)
    if header is None:
        return None
    size = HEADER.unpack(header)[0]
    if size > wire.MAX_MESSAGE:
        raise wire.WireError(f"a message of {size} bytes: over the limit")
    return read_exactly(fd, size, deadline)


def receive(fd: int, deadline: float | None = None) -> Any:
    """The next message; None when the deadline passed first. Raises ``PeerClosed``."""
    payload = read_frame(fd, deadline)
    return None if payload is None else decode(payload)
