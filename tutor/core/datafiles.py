"""Where the learner's files live, and how they are written: atomically.

Everything lives in the user's data directory (``platformdirs``), or in
``NN_TUTOR_HOME`` when set (tests use it). A write goes to a temporary file in
the same folder, is flushed to disk, then renamed over the old file: a crash at
any moment leaves the old content or the new, never a torn file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def data_dir() -> Path:
    home = os.environ.get("NN_TUTOR_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir("nn-tutor", appauthor=False))


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
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
