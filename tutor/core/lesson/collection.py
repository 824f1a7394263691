"""Find lessons: the bundled collection, or any folder of lesson folders."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Lesson


class LessonNotFound(LookupError):
    """A lesson id, prefix or path that does not name exactly one lesson."""


def bundled_lessons_dir() -> Path:
    """The lessons shipped with nn-tutor: inside the wheel, or the repository's ``lessons/``."""
    package = Path(__file__).resolve().parents[2]  # the tutor package
    installed = package / "_lessons"
    return installed if installed.is_dir() else package.parent / "lessons"


def default_lessons_dir() -> Path:
    env = os.environ.get("NN_TUTOR_LESSONS")
    return Path(env) if env else bundled_lessons_dir()


def is_lesson_dir(path: Path) -> bool:
    """A folder holding lesson.md or lesson.py, whatever they are: a link that leads nowhere
    is still listed, with its problem, rather than hiding the lesson."""
    return path.is_dir() and any(
        os.path.lexists(path / name) for name in ("lesson.md", "lesson.py")
    )


def lesson_dirs(root: Path) -> list[Path]:
    """Every lesson folder directly inside ``root``, by name."""
    try:
        children = sorted(root.iterdir())
    except OSError:
        return []
    return [p for p in children if not p.name.startswith((".", "_")) and is_lesson_dir(p)]


def next_lesson_dir(folder: Path) -> Path | None:
    """The lesson folder after ``folder`` among its siblings, by name (lesson folders are
    named in lesson order: 01-…, 02-…), or None after the last one."""
    folders = [p.resolve() for p in lesson_dirs(folder.parent)]
    try:
        i = folders.index(folder.resolve())
    except ValueError:
        return None
    return folders[i + 1] if i + 1 < len(folders) else None


def load_collection(root: Path) -> list[Lesson]:
    """All lessons in ``root`` in lesson order; broken ones included, with their problems."""
    from .load import load_lesson

    lessons = [load_lesson(folder) for folder in lesson_dirs(root)]  # (never raises)
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id))


def resolve(spec: str, root: Path) -> Path:
    """The lesson folder named by an id, a unique id prefix, or a path."""
    candidate = Path(spec).expanduser()
    if is_lesson_dir(candidate) and (
        os.sep in spec or spec.startswith(".") or not (root / spec).exists()
    ):
        # "." or "..": the folder's own name is the lesson's id (and finds its neighbours)
        return candidate.resolve() if candidate.name in ("", "..") else candidate
    folders = lesson_dirs(root)
    exact = [f for f in folders if f.name == spec]
    if exact:
        return exact[0]
    matches = [f for f in folders if f.name.startswith(spec)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(f.name for f in matches)
        raise LessonNotFound(f"'{spec}' matches several lessons: {names}")
    if candidate.exists() and candidate.is_dir():
        raise LessonNotFound(f"{spec}: not a lesson folder (it needs lesson.md and lesson.py)")
    known = ", ".join(f.name for f in folders) or "none"
    raise LessonNotFound(f"no lesson '{spec}' in {root} (lessons: {known})")
