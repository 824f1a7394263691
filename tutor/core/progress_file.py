"""progress.json read back: whatever is in the data folder, the tutor starts, and says what it did.

The file's schema (written by ``Progress``; every key of a lesson is optional)::

    {"last": "<lesson id>" or null,
     "lessons": {"<lesson id>": {"event": <whole number ≥ 0>,
                                 "steps_seen": ["<step id>", …],
                                 "solved": ["<exercise id>", …],
                                 "tried": ["<exercise id>", …],
                                 "completed": true or false}}}

The check is a few lines of Python rather than a schema library: the schema is this small,
and a dependency would cost every start-up its import. A file that does not parse (or is
no file at all) is moved aside and progress starts fresh; a file that parses but has values
of the wrong type keeps everything else: the bad values are dropped, the file as it was is
moved aside, and the repaired file is written. Either way the learner gets one line saying
what happened and where the old file is.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from .datafiles import NotAFile, TooBig, atomic_write_text, move_aside, read_capped, reason

MAX_BYTES = 8_000_000  # a learner with every lesson done writes a few kB

LISTS = ("steps_seen", "solved", "tried")


def fresh() -> dict[str, Any]:
    return {"last": None, "lessons": {}}


def read_progress(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The progress at ``path`` (checked, repaired) and what the learner should be told."""
    try:
        raw = read_capped(path, MAX_BYTES)
    except FileNotFoundError:
        return fresh(), []
    except NotAFile as exc:
        return fresh(), [_moved(path, "not-a-file", f"{path} is {exc.kind}, not a file")]
    except TooBig as exc:
        return fresh(), [_moved(path, "too-big", str(exc))]
    except OSError as exc:
        return fresh(), [_moved(path, "unreadable", f"could not read {path}: {reason(exc)}")]
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("lessons", {}), dict):
        backup = move_aside(path, "corrupt")
        where = f"it was moved to {backup.name}" if backup else "it could not be moved aside"
        return fresh(), [f"{path} was damaged; {where} and progress starts fresh"]
    clean, problems = check(data)
    if not problems:
        return clean, []
    backup = move_aside(path, "invalid")
    if backup is not None:
        with contextlib.suppress(OSError):
            atomic_write_text(path, json.dumps(clean, indent=2, sort_keys=True))
    kept = f"the file as it was is {backup.name}" if backup else "the file could not be moved"
    count = f"{len(problems)} wrong values" if len(problems) > 1 else "a wrong value"
    return clean, [
        f"{path} had {count} ({problems[0]}): dropped, the rest of your progress kept; {kept}"
    ]


def read_quietly(path: Path) -> dict[str, Any]:
    """What another tutor may have written at ``path`` since: its valid part, never a
    message nor a move (empty when there is nothing usable)."""
    try:
        data = json.loads(read_capped(path, MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return fresh()
    if not isinstance(data, dict) or not isinstance(data.get("lessons", {}), dict):
        return fresh()
    return check(data)[0]


def merge(theirs: dict[str, Any], ours: dict[str, Any], touched: Collection[str]) -> dict[str, Any]:
    """Two tutors' progress in one: nothing either recorded is lost (the steps seen and
    solved of both, completed if either says so); the position and the last lesson are this
    tutor's for the lessons it was in (``touched``), the other's for the rest."""
    merged = fresh()
    merged["last"] = ours["last"] if touched or theirs["last"] is None else theirs["last"]
    for lesson_id in {**ours["lessons"], **theirs["lessons"]}:
        mine, other = ours["lessons"].get(lesson_id, {}), theirs["lessons"].get(lesson_id, {})
        entry = {**other, **mine}
        for key in LISTS:
            if key in mine or key in other:
                entry[key] = list(dict.fromkeys([*mine.get(key, []), *other.get(key, [])]))
        if mine.get("completed") or other.get("completed"):
            entry["completed"] = True
        if lesson_id not in touched and "event" in other:
            entry["event"] = other["event"]
        merged["lessons"][lesson_id] = entry
    return merged


def _moved(path: Path, tag: str, what: str) -> str:
    backup = move_aside(path, tag)
    if backup is None:
        return f"{what}; progress starts fresh"
    return f"{what}: it was moved to {backup.name} and progress starts fresh"


def check(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``data`` with every value of the wrong type (or unknown key) left out, and a
    description of each one left out."""
    problems: list[str] = []
    clean = fresh()
    for key, value in data.items():
        if key == "last":
            if value is None or isinstance(value, str):
                clean["last"] = value
            else:
                problems.append(f"'last' is {_show(value)}, not a lesson id")
        elif key != "lessons":
            problems.append(f"unknown key '{_cut(key)}'")
    for lesson_id, entry in data.get("lessons", {}).items():
        if not isinstance(entry, dict):
            problems.append(f"lesson '{_cut(lesson_id)}' is {_show(entry)}, not a mapping")
            continue
        kept: dict[str, Any] = {}
        for key, value in entry.items():
            wrong = _wrong(key, value)
            if wrong:
                problems.append(f"'{_cut(lesson_id)}': {wrong}")
            else:
                kept[key] = list(value) if key in LISTS else value
        clean["lessons"][lesson_id] = kept
    return clean, problems


def _wrong(key: str, value: Any) -> str:
    """What is wrong with one key of a lesson's entry ("": nothing)."""
    if key == "event":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return ""
        return f"'event' is {_show(value)}, not a whole number from 0"
    if key in LISTS:
        if not isinstance(value, list):
            return f"'{key}' is {_show(value)}, not a list of step ids"
        bad = next((item for item in value if not isinstance(item, str)), None)
        return "" if bad is None else f"'{key}' holds {_show(bad)}, not a step id"
    if key == "completed":
        return "" if isinstance(value, bool) else f"'completed' is {_show(value)}, not true/false"
    return f"unknown key '{_cut(key)}'"


def _show(value: Any) -> str:
    """A value in a message, short: never the whole of a huge or deeply nested value."""
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'} of {len(value)}"
    return _cut(json.dumps(value))


def _cut(text: str, room: int = 30) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"
