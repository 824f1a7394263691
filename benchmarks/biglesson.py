"""A lesson whose timeline holds about 1,000,000 events, for the stepping benchmarks."""

from __future__ import annotations

from pathlib import Path

MD = """\
---
title: One neuron, many iterations
iteration: iteration
symbols:
  '\\hat{y}': y_hat
  w: w
  x: x
  L: loss
  '\\frac{\\partial L}{\\partial w}': dL_dw
---

One neuron trained for a very long time.

## Predict {#predict}

$$ \\hat{y} = w x $$

## Loss {#loss}

$$ L = (\\hat{y} - 2)^2 $$

## Gradient {#gradient}

$$ \\frac{\\partial L}{\\partial w} = 2(\\hat{y} - 2) x $$

## Update {#update}

$$ w \\leftarrow w - 0.01 \\frac{\\partial L}{\\partial w} $$
"""

PY = """\
x = 1.0
w = 0.5
for iteration in range(1, {iterations} + 1):
    y_hat = w * x  # step: predict
    loss = (y_hat - 2.0) ** 2  # step: loss
    dL_dw = 2 * (y_hat - 2.0) * x  # step: gradient
    w = w - 0.01 * dL_dw  # step: update
"""


def write_big_lesson(root: Path, events: int = 1_000_000) -> Path:
    """Write the lesson folder under ``root``; returns its path."""
    folder = root / "90-big"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lesson.md").write_text(MD)
    (folder / "lesson.py").write_text(PY.format(iterations=(events - 2) // 5))
    return folder
