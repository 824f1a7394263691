"""The data-only format of every message between the tutor, its worker and a run's child.

Lesson code is untrusted, and it runs in the child: what the child sends must never be able
to run code where it is read (a pickle can: unpickling calls whatever the bytes name). So no
message is pickled. A message is JSON for its structure plus raw blobs for typed arrays:

    b"NNT1" · 8-byte JSON length · JSON · (8-byte blob length · blob) for each blob

JSON objects only ever stand for tagged values: ``{"$d": [[key, value], ...]}`` a dict,
``{"$t": [...]}`` a tuple, ``{"$p": "…"}`` a path, ``{"$f": "nan"}`` a float JSON lacks, ``{"$c": [re, im]}`` a
complex, ``{"$a": typecode, "b": k}`` an ``array.array``, ``{"$n": dtype, "s": shape,
"b": k}`` a numeric numpy array (numpy is imported only when one arrives), ``{"$m": 1}``
MISSING, and ``{"$o": name, "f": {...}}`` one of a fixed set of the tutor's own dataclasses,
built from its declared fields only. Anything else is refused (``WireError``), as are
messages over the size caps.
"""

from __future__ import annotations

import json
import math
import struct
from array import array
from dataclasses import fields, is_dataclass
from pathlib import Path, PurePath
from typing import Any

from ..lesson.problems import Problem
from .chunk import Chunk
from .result import Limits, RunError, RunResult
from .timeline import MISSING, ArraySummary, Column, Graph, Opaque, Timeline

MAGIC = b"NNT1"
SIZE = struct.Struct("!Q")
MAX_MESSAGE = 1 << 31  # bytes: a bigger message is refused
MAX_BLOBS = 1 << 20
ARRAY_CODES = frozenset("bBhHiIlLqQfd")
NUMPY_KINDS = frozenset("biufc")

CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        RunResult,
        RunError,
        Limits,
        Timeline,
        Chunk,
        Column,
        Opaque,
        ArraySummary,
        Graph,
        Problem,
    )
}


class WireError(ValueError):
    """A message that is not in the format (or breaks its limits): it is not read."""


# -- writing -------------------------------------------------------------------------------


def dumps(message: Any) -> bytes:
    blobs: list[bytes] = []
    text = json.dumps(_out(message, blobs), separators=(",", ":"), allow_nan=False)
    data = text.encode("utf-8")
    parts = [MAGIC, SIZE.pack(len(data)), data]
    for blob in blobs:
        parts += [SIZE.pack(len(blob)), blob]
    return b"".join(parts)


def _out(value: Any, blobs: list[bytes]) -> Any:
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is str:
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$f": repr(value)}
    if kind is list:
        return [_out(v, blobs) for v in value]
    if kind is tuple:
        return {"$t": [_out(v, blobs) for v in value]}
    if kind is dict:
        return {"$d": [[_out(k, blobs), _out(v, blobs)] for k, v in value.items()]}
    if value is MISSING:
        return {"$m": 1}
    if kind is complex:
        return {"$c": [_out(value.real, blobs), _out(value.imag, blobs)]}
    if isinstance(value, PurePath):
        return {"$p": str(value)}
    if kind is array:
        blobs.append(value.tobytes())
        return {"$a": value.typecode, "b": len(blobs) - 1}
    if kind.__module__ == "numpy":
        return _numpy_out(value, blobs)
    if is_dataclass(value) and CLASSES.get(kind.__name__) is kind:
        return {
            "$o": kind.__name__,
            "f": {f.name: _out(getattr(value, f.name), blobs) for f in fields(value)},
        }
    if isinstance(value, int | float):  # (subclasses of the plain numbers)
        return _out(int(value) if isinstance(value, int) else float(value), blobs)
    raise WireError(f"cannot send a {kind.__name__}")


def _numpy_out(value: Any, blobs: list[bytes]) -> Any:
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        return _out(value.item(), blobs)
    if getattr(value, "dtype", None) is None or value.dtype.kind not in NUMPY_KINDS:
        raise WireError("cannot send a numpy value of this type")
    blobs.append(value.tobytes(order="C"))
    return {"$n": value.dtype.str, "s": list(value.shape), "b": len(blobs) - 1}


# -- reading -------------------------------------------------------------------------------


def loads(payload: bytes) -> Any:
    if len(payload) > MAX_MESSAGE or payload[:4] != MAGIC or len(payload) < 12:
        raise WireError("not a message of the tutor's format")
    (size,) = SIZE.unpack_from(payload, 4)
    start = 12 + size
    if start > len(payload):
        raise WireError("a message cut short")
    blobs: list[memoryview] = []
    view, at = memoryview(payload), start
    while at < len(payload):
        if len(blobs) >= MAX_BLOBS or at + 8 > len(payload):
            raise WireError("a message with a broken blob table")
        (length,) = SIZE.unpack_from(payload, at)
        if at + 8 + length > len(payload):
            raise WireError("a message cut short")
        blobs.append(view[at + 8 : at + 8 + length])
        at += 8 + length
    try:
        tree = json.loads(view[12:start].tobytes().decode("utf-8"))
        return _in(tree, blobs)
    except WireError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError, OverflowError) as exc:
        raise WireError(f"a malformed message: {exc!r}") from None


def _in(node: Any, blobs: list[memoryview]) -> Any:
    kind = type(node)
    if node is None or kind is bool or kind is int or kind is str or kind is float:
        return node
    if kind is list:
        return [_in(v, blobs) for v in node]
    if kind is not dict or len(node) > 3:
        raise WireError("a value of no known kind")
    if "$d" in node:
        return {_key(_in(k, blobs)): _in(v, blobs) for k, v in node["$d"]}
    if "$t" in node:
        return tuple(_in(v, blobs) for v in node["$t"])
    if "$f" in node:
        text = node["$f"]
        if text not in ("nan", "inf", "-inf"):
            raise WireError("a float JSON cannot hold, but not nan or inf")
        return float(text)
    if "$c" in node:
        real, imag = node["$c"]
        return complex(float(_in(real, blobs)), float(_in(imag, blobs)))
    if "$m" in node:
        return MISSING
    if "$p" in node:
        return Path(str(node["$p"]))
    if "$a" in node:
        code = node["$a"]
        if code not in ARRAY_CODES:
            raise WireError("an array of no known type")
        out = array(code)
        out.frombytes(blobs[int(node["b"])].tobytes())
        return out
    if "$n" in node:
        return _numpy_in(node, blobs)
    if "$o" in node:
        cls = CLASSES.get(node["$o"])
        given = node.get("f")
        if cls is None or type(given) is not dict:
            raise WireError(f"an object of no known class: {node['$o']!r}")
        declared = {f.name for f in fields(cls)}
        if not set(given) <= declared:
            raise WireError(f"{cls.__name__} with fields it does not have")
        return cls(**{name: _in(v, blobs) for name, v in given.items()})
    raise WireError("a value of no known kind")


def _key(key: Any) -> Any:
    if type(key) not in (str, int, float, bool, tuple) and key is not None:
        raise WireError("a dict key of no allowed kind")
    return key


def _numpy_in(node: dict[str, Any], blobs: list[memoryview]) -> Any:
    import numpy as np  # (only when an array arrives: the UI imports it for array lessons only)

    dtype = np.dtype(str(node["$n"]))
    shape = tuple(int(n) for n in node["s"])
    if dtype.kind not in NUMPY_KINDS or any(n < 0 for n in shape):
        raise WireError("a numpy array of no allowed type")
    data = blobs[int(node["b"])]
    if math.prod(shape) * dtype.itemsize != len(data):
        raise WireError("a numpy array whose data does not match its shape")
    return np.frombuffer(data.tobytes(), dtype=dtype).reshape(shape).copy()
