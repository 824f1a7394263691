"""Step tags (``# step: <id>``) the learner's edit lost, and putting them back.

The shipped lesson.py tags each line an equation checks. An edit that drops a
tag (or misspells it) switches that check off; ``lost_tags`` finds each such
tag by matching the edited lines to the shipped ones (difflib), so the screen
can say "this line lost its tag" on the right line, and ``restore_tags`` writes
the tag back onto that line, leaving the learner's code as it is.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem
from .source import CodeMap

_TAG = re.compile(r"#\s*step\s*:[^#]*$", re.IGNORECASE)  # a last comment segment like a tag
RESTORE_KEY = "ctrl+t"


@dataclass(frozen=True)
class LostTag:
    step: str
    original: int  # the tagged line of the shipped lesson.py (1-based)
    line: int | None  # the line of the edited code it became (None: the line was deleted)

    def problem(self, path: Path) -> Problem:
        tag = f"`# step: {self.step}`"
        if self.line is None:
            message = (
                f"the line tagged {tag} (line {self.original} of the original) is gone; "
                "its equation is no longer checked: d shows your changes, R resets"
            )
            return Problem(path, 1, message, kind="anchor")
        message = (
            f"this line lost its {tag} tag; its equation is no longer checked: "
            f"{RESTORE_KEY} puts it back"
        )
        return Problem(path, self.line, message, kind="anchor")


def tag_lines(cmap: CodeMap) -> dict[int, str]:
    """The comment line of each step tag -> its step."""
    return {cmap.anchor_lines[first]: step for first, step in cmap.anchors.items()}


def lost_tags(
    shipped: str, shipped_tags: dict[int, str], edited: str, edited_tags: dict[int, str]
) -> list[LostTag]:
    """The tags of ``shipped`` (comment line -> step) that ``edited`` lacks, each with the
    edited line that best matches the line it was on."""
    have, had = Counter(edited_tags.values()), Counter(shipped_tags.values())
    short = {step: had[step] - have[step] for step in had if had[step] > have[step]}
    if not short:
        return []
    where = _line_map(shipped.split("\n"), edited.split("\n"))
    lost = []
    for original, step in sorted(shipped_tags.items()):
        line = where.get(original)
        if short.get(step, 0) > 0 and (line is None or edited_tags.get(line) != step):
            short[step] -= 1
            lost.append(LostTag(step, original, line))
    return lost


def _code(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _line_map(before: list[str], after: list[str]) -> dict[int, int]:
    """Each line of ``before`` (1-based) -> the line of ``after`` it became, if any."""
    where: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or op == "replace" and i2 - i1 == j2 - j1:  # (or edited in place)
            where.update({i1 + k + 1: j1 + k + 1 for k in range(i2 - i1)})
        elif op == "replace":
            for i in range(i1, i2):  # the most similar code among the replacing lines
                scores = [
                    (difflib.SequenceMatcher(None, _code(before[i]), _code(after[j])).ratio(), j)
                    for j in range(j1, j2)
                ]
                best, j = max(scores)
                if best >= 0.4:
                    where[i + 1] = j + 1
    return where


def restore_tags(source: str, lost: list[LostTag]) -> str:
    """``source`` with each lost tag back on its line (replacing a misspelt tag there)."""
    lines = source.split("\n")
    for tag in lost:
        if tag.line is None or not 1 <= tag.line <= len(lines):
            continue
        text = lines[tag.line - 1]
        bare = _TAG.sub("", text).rstrip() if _TAG.search(text) else text.rstrip()
        lines[tag.line - 1] = f"{bare}  # step: {tag.step}"
    return "\n".join(lines)
