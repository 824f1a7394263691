"""The learner's edited lesson code, kept outside the shipped lessons and written atomically.

Nothing the learner typed is ever lost silently: saved code the tutor cannot open (too big,
not a file, not UTF-8) is moved aside and the learner told where; and a save never
overwrites code this tutor did not read or write itself (another nn-tutor open on the same
lesson, an editor): that text is kept first as a dated copy, and the learner told where.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from .datafiles import (
    NotAFile,
    TooBig,
    atomic_write_text,
    data_dir,
    free_name,
    make_folder,
    megabytes,
    move_aside,
    read_capped,
    reason,
    stamp,
)

MAX_CODE_BYTES = 1_000_000  # a lesson's code is a few kB; more is not code to step through

# Bundled lessons renumbered when the curriculum grew to 15: a learner's saved code
# follows its lesson to the new id.
FORMER_IDS = {
    "12-layers": ("09-layers",),
    "14-mini-batches": ("10-mini-batches",),
    "10-symmetry": ("12-symmetry",),
    "15-memorizing": ("13-memorizing",),
    "09-own-gradients": ("14-own-gradients",),
}

_UNSEEN = object()  # this tutor has not read or written the lesson's file yet
_UNREADABLE = object()  # the file there cannot be read as text


class Workspace:
    """The learner's edited lesson code: ``edits/<lesson id>.py``, never the shipped files.

    Beside each edit, ``<lesson id>.base.py`` keeps the shipped code the edit started
    from, so a new version of the lesson can be noticed instead of silently lost.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.root = (folder or data_dir()) / "edits"
        self.warnings: list[str] = []  # for the learner: what was moved aside, and where
        # Per lesson: the code this tutor last read or wrote there (None: there was no file).
        self._seen: dict[str, object] = {}

    def _paths(self, lesson_id: str) -> tuple[Path, Path]:
        return self.root / f"{lesson_id}.py", self.root / f"{lesson_id}.base.py"

    def load(self, lesson_id: str) -> tuple[str, str] | None:
        """The saved (code, base), or None when the learner has not edited this lesson (or
        their file cannot be opened: it is moved aside, and ``warnings`` says where)."""
        code_path, base_path = self._paths(lesson_id)
        self._carry_over(lesson_id)
        try:
            code = read_capped(code_path, MAX_CODE_BYTES).decode("utf-8")
        except (FileNotFoundError, NotADirectoryError):  # (no edits folder: nothing saved)
            self._seen[lesson_id] = None
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self._seen[lesson_id] = _UNREADABLE  # (a save keeps it aside, if it is still there)
            self.warnings.append(_set_aside(lesson_id, code_path, exc))
            return None
        self._seen[lesson_id] = code
        return code, _read_text(base_path) or ""

    def _carry_over(self, lesson_id: str) -> None:
        """Code saved under a bundled lesson's former id moves to its new id, once."""
        code_path, base_path = self._paths(lesson_id)
        for former in FORMER_IDS.get(lesson_id, ()):
            old_code, old_base = self._paths(former)
            if os.path.lexists(code_path) or not old_code.is_file():
                continue
            try:
                os.replace(old_code, code_path)
                if old_base.is_file() and not os.path.lexists(base_path):
                    os.replace(old_base, base_path)
            except OSError:  # (left where it is: still on disk, under its former name)
                continue
            self.warnings.append(
                f"your saved code for {former} now belongs to {lesson_id}: the lessons "
                "were renumbered"
            )

    def has_saved(self, lesson_id: str) -> bool:
        """Whether anything is at the lesson's saved-code path."""
        return os.path.lexists(self._paths(lesson_id)[0])

    def save(self, lesson_id: str, code: str, base: str) -> None:
        """Write the learner's code (and its base); raises OSError when it cannot be saved.

        If the file holds code this tutor did not read or write, that code is kept first
        (``<lesson id>.other-<date>.py``) and ``warnings`` says where."""
        code_path, base_path = self._paths(lesson_id)
        if os.path.lexists(self.root) and not self.root.is_dir():
            moved = move_aside(self.root, "not-a-folder")  # (else every save fails)
            if moved is not None:
                self.warnings.append(f"{self.root} was not a folder: it was moved to {moved}")
        make_folder(self.root)
        with _locked(self.root):  # (two tutors saving at once: one after the other)
            self._keep_other(lesson_id, code_path, code)
            try:
                old_base = read_capped(base_path, MAX_CODE_BYTES).decode("utf-8")
            except NotAFile:
                move_aside(base_path, "not-a-file")
                old_base = None
            except (OSError, UnicodeDecodeError):
                old_base = None
            if old_base != base:
                atomic_write_text(base_path, base)
            atomic_write_text(code_path, code)
        self._seen[lesson_id] = code

    def _keep_other(self, lesson_id: str, code_path: Path, code: str) -> None:
        """Before writing ``code``: if the file holds text this tutor did not read or write,
        rename it to a dated copy (raises OSError when that is not possible)."""
        try:
            current: object = read_capped(code_path, MAX_CODE_BYTES).decode("utf-8")
        except FileNotFoundError:
            return  # nothing to lose
        except (OSError, UnicodeDecodeError):
            current = _UNREADABLE
        if current in (code, self._seen.get(lesson_id, _UNSEEN)) and current is not _UNREADABLE:
            return  # this tutor's own text, or the very text about to be written
        copy = free_name(self.root, f"{lesson_id}.other-{stamp()}", ".py")
        try:
            os.replace(code_path, copy)
        except OSError as exc:
            raise OSError(
                exc.errno, f"{code_path} holds other code that could not be kept aside"
            ) from exc
        self.warnings.append(
            f"your saved code for {lesson_id} was changed outside this tutor (another "
            f"nn-tutor open on it?): that version is kept in {copy}; this one's is saved"
        )

    def reset(self, lesson_id: str) -> Path | None:
        """Forget the edit; the old code stays as a backup file (returned)."""
        code_path, base_path = self._paths(lesson_id)
        if not os.path.lexists(code_path):
            return None
        stamp_ = int(time.time())
        backup = code_path.with_name(f"{lesson_id}.before-reset-{stamp_}.py")
        n = 1
        while backup.exists():  # two resets in one second keep both versions
            n += 1
            backup = code_path.with_name(f"{lesson_id}.before-reset-{stamp_}-{n}.py")
        os.replace(code_path, backup)
        self._seen[lesson_id] = None
        with contextlib.suppress(OSError):
            base_path.unlink()
        return backup


def _read_text(path: Path) -> str | None:
    """A small text file's text, or None for anything else."""
    try:
        return read_capped(path, MAX_CODE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _set_aside(lesson_id: str, path: Path, exc: Exception) -> str:
    """Move saved code the tutor cannot open out of the way; what to tell the learner."""
    if isinstance(exc, TooBig):
        moved = move_aside(path, "too-big", ".py")
        what = f"is {megabytes(exc.size)}, more than the {megabytes(exc.limit)} the tutor opens"
    elif isinstance(exc, NotAFile):
        moved = move_aside(path, "not-a-file")
        what = f"({path}) is {exc.kind}, not a file"
    else:
        moved = move_aside(path, "unreadable")
        what = f"could not be read ({reason(exc)})"
    where = (
        f"it is kept, untouched, as {moved}"
        if moved
        else f"it stays at {path} and is not saved over"
    )
    return f"your saved code for {lesson_id} {what}: {where}; the lesson opens with its own code"


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` while it is held (none where locks are not available)."""
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)
