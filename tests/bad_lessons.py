"""Bad lesson folders made on the fly, each to sit beside a good one: what a fault probe
found crashing, hanging or hiding the other lessons, and the one-line problem each gives now.

``BAD[name] = (make, file, line, message)``: ``make(folder)`` writes the lesson; the loader
must report ``message`` (a part of it) at ``file:line``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from threading import Event, Thread

from .conftest import GOOD_MD, GOOD_PY

EQUATION_LINE = 17  # GOOD_MD's '$$ \hat{y} = w x $$'
GOOD_EQUATION = "$$ \\hat{y} = w x $$"
assert GOOD_MD.split("\n")[EQUATION_LINE - 1] == GOOD_EQUATION


def write(folder: Path, md: str | None = GOOD_MD, py: str | None = GOOD_PY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if md is not None:
        (folder / "lesson.md").write_text(md, encoding="utf-8")
    if py is not None:
        (folder / "lesson.py").write_text(py, encoding="utf-8")
    return folder


def with_equation(latex: str) -> str:
    """GOOD_MD with the predict step's equation replaced by ``\\hat{y} = LATEX``."""
    return GOOD_MD.replace(GOOD_EQUATION, f"$$ \\hat{{y}} = {latex} $$")


def _link(name: str, target: str, py: str | None = GOOD_PY, md: str | None = None):
    def make(folder: Path) -> None:
        write(folder, md=md, py=py)
        os.symlink(target, folder / name)

    return make


def _fifo(folder: Path) -> None:
    write(folder, md=None)
    os.mkfifo(folder / "lesson.md")


def _huge(folder: Path) -> None:
    write(folder)
    with open(folder / "lesson.md", "r+b") as handle:
        handle.truncate(22_000_000)  # (sparse: no 22 MB written)


def _folder(folder: Path) -> None:
    write(folder, md=None)
    (folder / "lesson.md").mkdir()


def _equation(latex: str):
    return lambda folder: write(folder, md=with_equation(latex))


def _chain(folder: Path, count: int = 1500) -> None:
    nodes = "".join(f"    - {{id: n{i}}}\n" for i in range(count))
    edges = "".join(f"    - [n{i}, n{i + 1}]\n" for i in range(count - 1))
    front = f"network:\n  nodes:\n{nodes}  edges:\n{edges}---\n\n# Intro"
    write(folder, md=GOOD_MD.replace("---\n\n# Intro", front))


ETA_MD = GOOD_MD.replace("  w: w\n", '  w: w\n  "\\eta": lr\n').replace(
    "$$ w \\leftarrow w + 0.5 % a fixed nudge $$",
    "$$ w \\leftarrow w + \\eta $$\n\n$$ = w + 0.5 % a fixed nudge $$",
)
ETA_PY = GOOD_PY.replace("w = 0.5\n", "w = 0.5\nlr = 0.5\n").replace("w = w + 0.5", "w = w + lr")


def _eta(folder: Path) -> None:
    write(folder, md=ETA_MD, py=ETA_PY)


def _deep_yaml(folder: Path) -> None:
    write(
        folder,
        md=GOOD_MD.replace("order: 1\n", "order: 1\nsummary: " + "[" * 5000 + "]" * 5000 + "\n"),
    )


def _deep_python(folder: Path) -> None:
    write(folder, py=GOOD_PY + "z = " + "+".join(["x"] * 150_000) + "\n")


BAD: dict[str, tuple[Callable[[Path], object], str, int, str]] = {
    "link-loop": (
        _link("lesson.md", "lesson.md"),
        "lesson.md",
        1,
        "lesson.md is a symbolic link that never reaches a file (the links form a loop)",
    ),
    "link-nowhere": (
        _link("lesson.md", "gone.md"),
        "lesson.md",
        1,
        "lesson.md is a symbolic link to 'gone.md', which does not exist",
    ),
    "fifo": (_fifo, "lesson.md", 1, "lesson.md is a named pipe (FIFO), not a file"),
    "dev-zero-md": (
        _link("lesson.md", "/dev/zero"),
        "lesson.md",
        1,
        "lesson.md is a symbolic link to '/dev/zero', a character device: the tutor reads only files",
    ),
    "dev-zero-py": (
        _link("lesson.py", "/dev/zero", py=None, md=GOOD_MD),
        "lesson.py",
        1,
        "lesson.py is a symbolic link to '/dev/zero', a character device",
    ),
    "huge": (_huge, "lesson.md", 1, "lesson.md is 22 MB: the tutor reads lesson files up to 1 MB"),
    "folder": (_folder, "lesson.md", 1, "lesson.md is a folder, not a file"),
    "frac-200": (
        _equation("\\frac{" * 200 + "w" + "}{x}" * 200),
        "lesson.md",
        EQUATION_LINE,
        "this equation nests 200 deep: the tutor reads equations up to 50 deep",
    ),
    "parens-200": (
        _equation("(" * 200 + "w" + ")" * 200 + " x"),
        "lesson.md",
        EQUATION_LINE,
        "this equation nests 200 deep",
    ),
    "parens-1000": (
        _equation("(" * 1000 + "w" + ")" * 1000 + " x"),
        "lesson.md",
        EQUATION_LINE,
        "this equation nests 1000 deep",
    ),
    "sum-3000": (
        _equation(" + ".join(["w x"] * 3000)),
        "lesson.md",
        EQUATION_LINE,
        "parts (numbers, symbols, operations): the tutor reads equations of up to 500",
    ),
    "sqrt-500": (
        _equation("\\sqrt{" * 500 + "w" + "}" * 500),
        "lesson.md",
        EQUATION_LINE,
        "this equation nests 500 deep",
    ),
    "left-500": (
        _equation("\\left(" * 500 + "w" + "\\right)" * 500),
        "lesson.md",
        EQUATION_LINE,
        "this equation nests 500 deep",
    ),
    "hats-300": (
        _equation("\\hat " * 300 + "w"),
        "lesson.md",
        EQUATION_LINE,
        "this equation nests more than 50 deep: the tutor reads equations up to 50 deep",
    ),
    "chain-1500": (
        _chain,
        "lesson.md",
        10,  # the 'nodes:' line
        "the network has 1,500 nodes: the tutor draws networks of up to 100 nodes",
    ),
    "eta": (
        _eta,
        "lesson.md",
        8,
        "\"\\eta\": \\e in double quotes is an escape; use single quotes: '\\eta'",
    ),
    "deep-yaml": (_deep_yaml, "lesson.md", 2, "malformed front matter: it nests too deep to read"),
    "huge-number": (
        lambda folder: write(folder, md=GOOD_MD.replace("order: 1", "order: 1" + "0" * 5000)),
        "lesson.md",
        2,
        "malformed front matter: a whole number too long to read (more than 4,300 digits)",
    ),
    "deep-python": (
        _deep_python,
        "lesson.py",
        1,
        "Python cannot parse lesson.py (RecursionError): an expression or brackets nest too deep",
    ),
}

# Faults an in-process test must not meet on a regression: a FIFO blocks the reader for
# ever, /dev/zero fills the memory. (The CLI tests read them in a limited child process.)
DANGEROUS = {"fifo", "dev-zero-md", "dev-zero-py"}


def collection(root: Path, names: list[str] | None = None) -> Path:
    """``root`` with the good lesson ``01-good`` and one folder per bad lesson (``02-…``)."""
    write(root / "01-good")
    for k, name in enumerate(names if names is not None else BAD, start=2):
        BAD[name][0](root / f"{k:02d}-{name}")
    return root


@contextmanager
def unblocked_fifos(root: Path) -> Iterator[None]:
    """Should a regression open a FIFO of ``root`` for reading, give it a writer that closes
    at once: the reader then sees an empty file (a test failure), not a hang."""
    fifos = [p for p in root.rglob("*") if p.is_fifo()]
    done = Event()

    def writer() -> None:
        while not done.wait(0.05):
            for fifo in fifos:
                # with no reader waiting, a non-blocking open fails (ENXIO): nothing to do
                with suppress(OSError):
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    thread = Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
