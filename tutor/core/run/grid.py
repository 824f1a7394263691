"""Evaluate a lesson's function over a grid of inputs, in the worker (the decision boundary).

Only the lesson's imports and function definitions run (the training loop does
not); the names the function reads come from the recorded values of one moment.
"""

from __future__ import annotations

import ast
from typing import Any


def definitions(source: str, filename: str) -> Any:
    """A code object with just the imports and ``def``s of ``source``."""
    tree = ast.parse(source, filename)
    kept: list[ast.stmt] = [
        n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom | ast.FunctionDef)
    ]
    return compile(ast.Module(body=kept, type_ignores=[]), filename, "exec")


def evaluate_grid(
    source: str,
    filename: str,
    function: str,
    values: dict[str, Any],
    x1: tuple[float, float],
    x2: tuple[float, float],
    columns: int,
    rows: int,
) -> list[list[float]]:
    """``function(x1, x2)`` at the centre of each cell; row 0 is the top (largest x2)."""
    scope: dict[str, Any] = {"__name__": "__lesson__"}
    exec(definitions(source, filename), scope)  # noqa: S102 - lesson code, in the worker
    scope.update(values)
    f = scope[function]
    grid = []
    for r in range(rows):
        b = x2[1] - (r + 0.5) * (x2[1] - x2[0]) / rows
        row = []
        for c in range(columns):
            a = x1[0] + (c + 0.5) * (x1[1] - x1[0]) / columns
            try:
                row.append(float(f(a, b)))
            except MemoryError:
                raise  # the memory limit: the whole map stops, with its message
            except Exception:  # noqa: BLE001 - a cell the function cannot compute stays empty
                row.append(float("nan"))
        grid.append(row)
    return grid


def evaluate_points(
    source: str,
    filename: str,
    function: str,
    inputs: tuple[str, str],
    output: str,
    cases: list[dict[str, Any]],
) -> list[tuple[float, float, float, float]]:
    """For each case (the recorded values at one event): the points the code worked on there
    (``inputs``, two expressions: numbers, or arrays of one entry per example), the code's
    answer for each (``output``) and ``function(x1, x2)`` with those values.

    Returns ``(x1, x2, function's value, code's value)`` per point (check's boundary proof)."""
    import numpy as np

    scope: dict[str, Any] = {"__name__": "__lesson__"}
    exec(definitions(source, filename), scope)  # noqa: S102 - lesson code, in the worker
    f = scope[function]
    found = []
    for values in cases:
        scope.update(values)
        shown = [
            np.ravel(np.asarray(eval(expr, scope), dtype=float))  # noqa: S307 - the lesson's own
            for expr in (*inputs, output)
        ]
        if not len(shown[0]) == len(shown[1]) == len(shown[2]):
            raise ValueError(
                f"inputs {inputs[0]}, {inputs[1]} and output {output} have "
                f"{len(shown[0])}, {len(shown[1])} and {len(shown[2])} entries"
            )
        for a, b, code in zip(*shown, strict=True):
            found.append((float(a), float(b), float(f(float(a), float(b))), float(code)))
    return found
