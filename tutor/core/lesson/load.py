"""Read a lesson folder into a ``Lesson`` and report everything wrong with it.

Every problem names the real file and line (``PATH:LINE: message``). The
loader never raises for a bad lesson: it returns what it could read plus the
problems, so one broken lesson never stops the others from listing. The same
``bind_source`` ties the shipped lesson.py to the steps at load time and the
learner's edited code at every rerun.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from .body import parse_markdown
from .crosscheck import compile_equations, cross_check, unknown_anchors
from .files import read_text
from .model import Lesson
from .problems import Problem
from .source import CodeMap, analyze
from .tags import LostTag, lost_tags, tag_lines


def load_lesson(folder: str | Path) -> Lesson:
    """Load the lesson in ``folder``; ``lesson.problems`` lists what is wrong (empty: all good).

    Never raises: a fault of the loader itself on a strange file (deep nesting that Python
    cannot parse, say) becomes a problem of this lesson, so the others still load.
    """
    folder = Path(folder)
    try:
        return _load(folder)
    except Exception as exc:  # noqa: BLE001 - the last resort: one lesson, never the collection
        lesson = Lesson(id=lesson_id(folder), path=folder)
        lesson.order = _order_from_name(lesson.id)  # (listed in its place)
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        lesson.problems.append(
            Problem(
                lesson.md_path,
                1,
                f"the tutor failed while reading this lesson ({reason}); "
                "the other lessons are not affected",
            )
        )
        return lesson


def lesson_id(folder: Path) -> str:
    """The lesson's id: its folder's name, taken from the resolved path when the path has
    none (``nn-tutor .`` inside a lesson folder: its id is the folder's name, not "")."""
    name = folder.name
    if name in ("", ".", ".."):
        try:
            name = folder.resolve().name
        except (OSError, RuntimeError):  # (a loop of links above it)
            name = ""
    return name or "lesson"


def _load(folder: Path) -> Lesson:
    lesson = Lesson(id=lesson_id(folder), path=folder)
    lesson.order = _order_from_name(lesson.id)
    markdown = read_text(lesson.md_path, lesson.problems)
    source = read_text(lesson.py_path, lesson.problems)
    read = parse_markdown(lesson, markdown) if markdown is not None else "nothing"
    if source is not None:
        cmap, problems = _bind(lesson, source)
        if cmap is None:
            lesson.problems.extend(problems)  # the syntax error
        elif read != "nothing":  # without the steps, every anchor would look unknown
            lesson.problems.extend(problems)
            cross_check(lesson, cmap)
            if read == "all":  # without the symbol table, every symbol would look unknown
                compile_equations(lesson)
    lesson.problems.sort(key=lambda p: (str(p.path), p.line))
    return lesson


def bind_source(lesson: Lesson, source: str) -> tuple[Lesson, list[Problem]]:
    """The lesson with ``source`` (the learner's code, say) in place of its lesson.py.

    Anchors, the names each line sets, and each step's lines follow ``source``;
    the lesson.md side (steps, equations) is shared. Returns the new lesson and
    what is wrong with the code's anchors (a syntax error included), first the
    step tags of the shipped code that ``source`` lost.
    """
    if source == lesson.source and lesson.anchors:
        return lesson, []
    bound = copy.copy(lesson)
    bound.steps = [copy.copy(step) for step in lesson.steps]
    bound.problems = []
    cmap, problems = _bind(bound, source)
    if cmap is not None:
        lost = lost_tags_of(lesson, source, cmap)
        problems = [tag.problem(lesson.py_path) for tag in lost] + problems
    return bound, problems


def lost_tags_of(lesson: Lesson, source: str, cmap: CodeMap | None = None) -> list[LostTag]:
    """The step tags of the shipped ``lesson``'s code that ``source`` lacks."""
    try:
        shipped = tag_lines(analyze(lesson.source, str(lesson.py_path)))
        edited = tag_lines(cmap or analyze(source, str(lesson.py_path)))
    except (SyntaxError, RecursionError, MemoryError):
        return []
    return lost_tags(lesson.source, shipped, source, edited)


def _bind(lesson: Lesson, source: str) -> tuple[CodeMap | None, list[Problem]]:
    """Tie ``source`` to ``lesson`` in place: anchors, stores and each step's lines."""
    lesson.source = source
    lesson.anchors, lesson.stores = {}, {}
    for step in lesson.steps:
        step.lines = []
    try:
        cmap = analyze(source, str(lesson.py_path))
    except SyntaxError as exc:
        problem = Problem(
            lesson.py_path, exc.lineno or 1, f"syntax error: {exc.msg}", exc.offset, kind="syntax"
        )
        return None, [problem]
    except (RecursionError, MemoryError) as exc:  # Python's own parser gave up
        problem = Problem(
            lesson.py_path,
            1,
            f"Python cannot parse lesson.py ({type(exc).__name__}): an expression or "
            "brackets nest too deep; split it into shorter statements",
            kind="syntax",
        )
        return None, [problem]
    lesson.anchors = dict(cmap.anchors)
    lesson.stores = dict(cmap.stores)
    for first, step_id in cmap.anchors.items():
        target = lesson.step(step_id)
        if target is not None:
            target.lines.append(first)
    return cmap, unknown_anchors(lesson, cmap)


def _order_from_name(name: str) -> int:
    match = re.match(r"\d+", name)
    return int(match.group()) if match else 0
