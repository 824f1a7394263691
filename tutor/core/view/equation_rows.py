"""What the equation pane shows for a step at an event, as rows of text with a kind each.

Pure: the widget only maps kinds to styles. For each revealed equation line:
the equation as written (2D), then its right side with the current numbers
plugged in and the result, then the verdict against what the code computed
(a field of the row: the pane draws ✓; a ✗ row says what disagrees), then the
justification.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..equation import latex as L
from ..equation.boxes import ASCII_OPS, OPS, Box, Layout, hcat, text_box
from ..equation.boxes import width as cells
from ..equation.compiler import Compiled
from ..equation.verify import Verdict, equations_for_line, verdict_at
from ..lesson.model import Lesson, Step
from ..run.timeline import MISSING, Timeline


@dataclass(frozen=True)
class Row:
    text: str
    kind: str  # title, math, numbers, bad, why, more, note, turn, hint
    verdict: bool | None = None  # on a numbers row: the code agrees (True) or not (False)

    def shown(self, ascii: bool = False) -> str:
        """The row as drawn: its text, and ✓ after a row whose equation holds."""
        if self.verdict is True:
            return f"{self.text}  {'OK' if ascii else '✓'}"
        return self.text


def ascii_wanted() -> bool:
    """The learner asked for plain ASCII drawing (``NN_TUTOR_ASCII=1``)."""
    return os.environ.get("NN_TUTOR_ASCII", "") not in ("", "0")


def rows_at(
    lesson: Lesson,
    timeline: Timeline,
    event: int,
    revealed: int,
    ascii: bool = False,
    width: int = 1000,
    hidden: int | None = None,
    quiet: bool = False,
) -> list[Row]:
    """The equation pane at ``event`` with ``revealed`` lines of its step's equations shown
    (line ``hidden`` as a blank for the learner to write: a derive exercise; ``quiet``: in
    one row, while the learner writes this step's code).

    Verdicts follow ``check``'s rule (``verify.equations_for_line``): an equation is
    compared only at the events of a line that assigns its left side."""
    step_id = timeline.step(event)
    step = lesson.step(step_id) if step_id else None
    if step is None:
        return []
    compiled = {step.equations.index(c.source): c for c in lesson.equations.get(step.id, [])}
    checked = {id(c) for c in equations_for_line(lesson, timeline.line(event))}
    tolerance = lesson.tolerance_for(step.id)
    verdicts = {}
    if not timeline.is_summary(event):
        verdicts = {
            k: verdict_at(c, timeline, event, tolerance)
            for k, c in compiled.items()
            if k < revealed and id(c) in checked
        }
    return present_step(
        step, revealed, compiled, verdicts, lesson.digits, ascii, width, hidden, quiet
    )


def present_step(
    step: Step,
    revealed: int,
    compiled: dict[int, Compiled],  # equation index in the step -> compiled (if it compiled)
    verdicts: dict[int, Verdict],  # equation index -> verdict at this event (if it applies)
    digits: int = 4,
    ascii: bool | None = None,
    width: int = 1000,
    hidden: int | None = None,
    quiet: bool = False,
) -> list[Row]:
    ascii = ascii_wanted() if ascii is None else ascii
    rows = [Row(step.title, "title")]
    for k, equation in enumerate(step.equations[:revealed]):
        rows.append(Row("", "note"))
        item = compiled.get(k)
        if k == hidden:
            lhs = "   " if equation.latex.lstrip().startswith("=") else ""
            if quiet:  # the learner is writing this step's code: one row, for later
                rows.append(Row(f"{lhs}= ?   (a line for D to write)", "turn"))
                continue
            rows.append(Row(f"{lhs}= ?   your turn: D writes this line (h for a hint)", "turn"))
            if equation.justification:
                rows.append(Row(f"  ({equation.justification})", "why"))
            continue
        if item is None:
            rows.append(Row(equation.latex, "math"))
            continue
        rows += _written(item.ast, ascii)
        verdict = verdicts.get(k)
        if verdict is not None:
            rows += _numbers(item, verdict, digits, ascii, width)
        if equation.justification:
            rows.append(Row(f"  ({equation.justification})", "why"))
    left = len(step.equations) - revealed
    if left > 0:
        rows.append(Row("", "note"))
        rows.append(Row(f"→ {left} more line{'s' * (left > 1)} of the derivation", "more"))
    return rows


@lru_cache(maxsize=512)
def _written(equation: L.Equation, ascii: bool) -> tuple[Row, ...]:
    """An equation as written (no numbers): the same at every event, so laid out once."""
    return tuple(Row(r.rstrip(), "math") for r in Layout(ascii=ascii).equation(equation).rows)


def _numbers(item: Compiled, verdict: Verdict, digits: int, ascii: bool, width: int) -> list[Row]:
    if verdict.ok is None and verdict.code is MISSING:
        return [Row(f"  ({verdict.error or 'the code has not computed it yet'})", "note")]

    def substitute(node: L.Node) -> Any:
        name = item.variables.get(id(node))
        if name is None:
            return None
        value = verdict.env.get(name, MISSING)
        return None if value is MISSING else value

    # a matrix wider than the pane less an indent and a ✓ shows its shape (the
    # values pane has its numbers): the pane does not scroll sideways
    layout = Layout(ascii=ascii, substitute=substitute, digits=digits, grid_width=width - 9)
    last = item.ast.rhs
    plugged = hcat(text_box("  = "), layout.node(last, top=True))
    value = verdict.sides[-1] if verdict.sides else None
    result: list[Box] = []
    if value is not None and not isinstance(last, L.Num):
        result += [text_box(" = "), layout.value(value, wrap_negative=False)]
    mark = 3 if verdict.ok is True else 0  # room for the "  ✓" the pane draws
    whole = hcat(plugged, *result)
    if whole.width + mark <= width or not result:
        rows = _rows(whole, verdict.ok)
    else:  # too wide for the pane: the result and its verdict get a line of their own
        lines = _wrapped(layout, last, width, ascii) if plugged.width > width else [plugged]
        rows = [Row(r.rstrip(), "numbers") for box in lines for r in box.rows]
        rows += _rows(hcat(text_box("   "), *result), verdict.ok)
    if verdict.ok is False:
        code = layout.value(verdict.code, wrap_negative=False).text()
        got = [
            layout.value(s, wrap_negative=False).text() if s is not None else "?"
            for s in verdict.sides
        ]
        cross = "X" if ascii else "✗"
        rows.append(
            Row(
                f"  {cross} the math gives {' and '.join(got)}, but the code computed "
                f"{item.target} = {code}",
                "bad",
            )
        )
    elif verdict.ok is None and verdict.error:
        rows.append(Row(f"  ({verdict.error})", "note"))
    return rows


def _wrapped(layout: Layout, node: L.Node, width: int, ascii: bool) -> list[Box]:
    """The numbers row of an equation wider than the pane, broken into lines that fit:
    before a + or − where it can, else before a · (outside brackets). A row of fractions
    or matrices breaks between the terms of a sum, and inside a term too wide alone,
    between its factors (a matrix wider than the pane is drawn as its shape)."""
    whole = hcat(text_box("  = "), layout.node(node, top=True))
    if whole.height == 1:
        return [text_box(line) for line in _broken(whole.rows[0], width)]
    lines: list[Box] = []
    line: Box | None = None
    for piece in _pieces(layout, node, width, ascii, top=True):
        if line is None:
            line = hcat(text_box("  ="), piece)
        elif line.width + piece.width <= width:
            line = hcat(line, piece)
        else:
            lines.append(line)
            line = hcat(text_box("   "), piece)
    return [*lines, line] if line is not None else [whole]


def _pieces(layout: Layout, node: L.Node, width: int, ascii: bool, top: bool) -> list[Box]:
    """A sum as its terms, each with its sign (" − b"); a product as its factors, each with
    its operator (" · B"); a term or factor still wider than the pane, in its own pieces.
    The first piece starts with a space: it goes after "  =" or a continuation's indent
    (up to 6 columns with its joint, hence "width - 6")."""
    drawn = layout.node(node, top=top)
    if drawn.width <= width - 6 or not isinstance(node, L.Sum | L.Product):
        return [hcat(text_box(" "), drawn)]
    parts: list[tuple[str, L.Node]] = []
    if isinstance(node, L.Sum):
        minus = "-" if ascii else "−"
        parts = [(" ", node.terms[0])]
        parts += [
            (f" {minus if sign == '-' else '+'} ", term)
            for sign, term in zip(node.signs[1:], node.terms[1:], strict=True)
        ]
    else:
        ops = ASCII_OPS if ascii else OPS
        parts = [(" ", node.factors[0])]
        parts += [
            (ops[op] if op else (" * " if ascii else " · "), factor)
            for op, factor in zip(node.ops, node.factors[1:], strict=True)
        ]
    pieces: list[Box] = []
    for k, (joint, part) in enumerate(parts):
        inner = _pieces(layout, part, width, ascii, top=top and k == 0)
        first = inner[0]
        # (the inner first piece starts with a space of its own: the joint replaces it)
        pieces.append(hcat(text_box(joint), Box([r[1:] for r in first.rows], first.base)))
        pieces += inner[1:]
    return pieces


SUMS = (" + ", " − ", " - ")
TIMES = (" · ", " ⊙ ", " * ", " × ")
OPEN, CLOSE = "([{⟨⎡⎢⎣", ")]}⟩⎤⎥⎦"


def _broken(text: str, width: int) -> list[str]:
    """One line of plugged-in numbers in lines of at most ``width`` columns where it can:
    each continuation starts with its operator, under the first line's value."""
    lines: list[str] = []
    while _width(text) > width:
        depth, sums, times = 0, [], []
        for i, char in enumerate(text):
            depth += (char in OPEN) - (char in CLOSE)
            if depth == 0 and i > 4 and _width(text[:i]) <= width:
                if text.startswith(SUMS, i):
                    sums.append(i)
                elif text.startswith(TIMES, i):
                    times.append(i)
        cut = (sums or times or [0])[-1]
        if cut == 0:
            break  # nothing to break at: the line stays whole (the pane scrolls)
        lines.append(text[:cut])
        text = "   " + text[cut:]
    return [*lines, text]


def _width(text: str) -> int:  # (``width`` is the pane's width in these functions)
    return cells(text)


def _rows(box: Box, ok: bool | None) -> list[Row]:
    """A box as numbers rows; the verdict goes on its baseline row."""
    return [
        Row(r.rstrip(), "numbers", ok if k == box.base else None) for k, r in enumerate(box.rows)
    ]


# -- the exercise's rows: "your turn", the hints asked for, and what ✓ means ----------------


def exercise_rows(
    lines: Sequence[int],
    hints: Sequence[str],
    shown: int,
    solved: bool,
) -> list[Row]:
    """The rows an exercise step starts with: what to do (or that it is solved), then the
    first ``shown`` of its ``hints``, each on its own row."""
    where = ""
    if lines:
        numbers = ", ".join(str(n) for n in sorted(lines))
        where = f" (line{'s' * (len(lines) > 1)} {numbers})"
    keys = "press h for a hint, e to edit" if hints else "press e to edit, S for the solution"
    if solved:
        rows = [Row(f"Exercise solved{where}: the code computes this step's equations", "turn")]
    else:
        rows = [Row(f"Your turn{where} — {keys}", "turn")]
    return rows + hint_rows(hints, shown)


def hint_rows(hints: Sequence[str], shown: int) -> list[Row]:
    """The first ``shown`` of ``hints``, each on its own row."""
    rows = []
    shown = min(shown, len(hints))
    for k in range(shown):
        rows.append(Row(f"Hint {k + 1}/{len(hints)}: {hints[k]}", "hint"))
    if hints and shown == len(hints):
        rows.append(Row("(that was the last hint: S shows the solution)", "hint"))
    return rows


def try_it_row() -> Row:
    """On a code exercise's step the learner has not tried: how to."""
    return Row("Try it yourself: t blanks this step's code for you to write", "turn")


def with_exercise(rows: list[Row], extra: list[Row]) -> list[Row]:
    """``extra`` (the exercise's rows) after the step's equations, a blank row between (the
    pane keeps its last row in view: the newest equation line, then these)."""
    if not extra:
        return rows
    return [*rows, Row("", "note"), *extra] if rows else list(extra)


def with_check_explained(rows: list[Row], ascii: bool = False) -> list[Row] | None:
    """``rows`` with one muted line after the first ✓ saying what it means; None without ✓."""
    for k, row in enumerate(rows):
        if row.verdict is True:
            while k + 1 < len(rows) and rows[k + 1].kind == "numbers":
                k += 1  # the rest of a 2-D value (a fraction's lower half)
            mark = "OK" if ascii else "✓"
            note = Row(f"  ({mark} = the code computed what the equation says)", "why")
            return rows[: k + 1] + [note] + rows[k + 1 :]
    return None
