"""What the equation pane shows for a step at an event, as rows of text with a kind each.

Pure: the widget only maps kinds to styles. For each revealed equation line:
the equation as written (2D), then its right side with the current numbers
plugged in and the result, then ✓ or ✗ against what the code computed, then
the justification.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..equation import latex as L
from ..equation.compiler import Compiled
from ..equation.boxes import Box, Layout, hcat, text_box
from ..lesson.model import Step
from ..run.timeline import MISSING
from ..equation.verify import Verdict


@dataclass(frozen=True)
class Row:
    text: str
    kind: str  # title, math, numbers, ok, bad, why, more, note


def ascii_wanted() -> bool:
    return os.environ.get("NN_TUTOR_ASCII", "") not in ("", "0")


def present_step(
    step: Step,
    revealed: int,
    compiled: dict[int, Compiled],  # equation index in the step -> compiled (if it compiled)
    verdicts: dict[int, Verdict],  # equation index -> verdict at this event (if it applies)
    digits: int = 4,
    ascii: bool | None = None,
    width: int = 1000,
) -> list[Row]:
    ascii = ascii_wanted() if ascii is None else ascii
    rows = [Row(step.title, "title")]
    for k, equation in enumerate(step.equations[:revealed]):
        rows.append(Row("", "note"))
        item = compiled.get(k)
        if item is None:
            rows.append(Row(equation.latex, "math"))
            continue
        written = Layout(ascii=ascii).equation(item.ast)
        rows += [Row(r.rstrip(), "math") for r in written.rows]
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


def _numbers(item: Compiled, verdict: Verdict, digits: int, ascii: bool, width: int) -> list[Row]:
    if verdict.ok is None and verdict.code is MISSING:
        return [Row(f"  ({verdict.error or 'the code has not computed it yet'})", "note")]

    def substitute(node: L.Node) -> Any:
        name = item.variables.get(id(node))
        if name is None:
            return None
        value = verdict.env.get(name, MISSING)
        return None if value is MISSING else value

    layout = Layout(ascii=ascii, substitute=substitute, digits=digits)
    last = item.ast.sides[-1]
    plugged = hcat(text_box("  = "), layout.node(last, top=True))
    value = verdict.sides[-1] if verdict.sides else None
    result: list[Box] = []
    if value is not None and not isinstance(last, L.Num):
        result += [text_box(" = "), layout.value(value, wrap_negative=False)]
    if verdict.ok is True:
        result.append(text_box("  OK" if ascii else "  ✓"))
    whole = hcat(plugged, *result)
    if whole.width <= width or not result:
        rows = [Row(r.rstrip(), "numbers") for r in whole.rows]
    else:  # too wide for the pane: the result and its verdict get a line of their own
        rows = [Row(r.rstrip(), "numbers") for r in plugged.rows]
        rows += [Row(r.rstrip(), "numbers") for r in hcat(text_box("   "), *result).rows]
    if verdict.ok is False:
        code = layout.value(verdict.code, wrap_negative=False).text()
        got = [
            layout.value(s, wrap_negative=False).text() if s is not None else "?"
            for s in verdict.sides
        ]
        mark = "X" if ascii else "✗"
        rows.append(
            Row(
                f"  {mark} the math gives {' and '.join(got)}, but the code computed "
                f"{item.target} = {code}",
                "bad",
            )
        )
    elif verdict.ok is None and verdict.error:
        rows.append(Row(f"  ({verdict.error})", "note"))
    return rows
