"""``nn-tutor new NAME``: a lesson folder to start from, which passes ``nn-tutor check``.

The template is a complete one-neuron lesson (front matter, an intro, four steps with a
derivation, a code exercise and a predict), with comments that tell the author what to
change. It never overwrites anything.
"""

from __future__ import annotations

import re
from pathlib import Path

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ScaffoldError(Exception):
    """The lesson folder cannot be made (a bad name, a folder already there, an OS error)."""


def title_of(name: str) -> str:
    """``11-my-lesson`` → ``My lesson``."""
    words = re.sub(r"^\d+[-_. ]*", "", name).replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "A new lesson"


def scaffold(root: Path, name: str) -> Path:
    """Write ``root/name/lesson.md`` and ``lesson.py``; returns the folder."""
    if not _NAME.fullmatch(name):
        raise ScaffoldError(
            f"{name!r} is not a lesson folder name: use letters, digits, '-', '_' and '.', "
            "starting with a number for its place in the list (e.g. 11-my-lesson)"
        )
    folder = root / name
    if folder.exists() or folder.is_symlink():
        raise ScaffoldError(f"{folder} already exists: nothing was written (pick another NAME)")
    try:
        folder.mkdir(parents=True)
        (folder / "lesson.md").write_text(LESSON_MD.replace("TITLE", title_of(name)), "utf-8")
        (folder / "lesson.py").write_text(LESSON_PY, "utf-8")
    except OSError as exc:
        raise ScaffoldError(f"cannot write {folder}: {exc.strerror or exc}") from None
    return folder


LESSON_MD = r"""---
# A new lesson. It passes `nn-tutor check` as it is: change it a step at a time, and
# check again after each change. The format is in docs/lesson-format.md; `nn-tutor
# preview LESSON --event N` prints what the tutor shows at an event, and the tutor
# reloads the lesson when you save lesson.md or lesson.py.
title: TITLE                    # shown in the lesson list and over the lesson
iteration: iteration            # the loop variable of lesson.py's training loop
symbols:                        # each symbol of the equations -> the Python name holding it
  x: x
  y: y
  w: w
  '\hat{y}': y_hat              # LaTeX keys in single quotes
  L: loss
  '\eta': lr
  '\frac{\partial L}{\partial w}': dL_dw
exercises:
  gradient:                     # a code exercise: `t` blanks the lines of step 'gradient'
    hints:
      - The derivative of u² is 2u, and ŷ = w x changes by x when w changes by 1.
  first-update:                 # a predict: asked before the step is shown
    kind: predict
    step: update
    name: w
    iteration: 1
    question: What will w be after the first update?
    answer: 1.175               # `nn-tutor check` proves it: change it with the numbers
# The body below: an intro, then one step per '## Title {#step-id}' heading. Each step
# has at least one equation between '$$' lines, and lesson.py ties the line computing
# it to the step with '# step: step-id'. Several equations in a step are a derivation,
# shown one line per → press; add ' .together' after the id ('{#setup .together}') for
# independent equations shown at once. Text after '%' in an equation is its reason.
---

# Can one weight learn to double a number?

One neuron, one weight, one example: the input x = 1.5 and the target y = 3. Replace
this intro with the question your lesson answers.

## The prediction {#predict}

The neuron multiplies its input by its weight. Say what the learner should see here.

$$ \hat{y} = w x $$

## The loss {#loss}

The loss says how wrong the prediction is: zero when it is right.

$$ L = (\hat{y} - y)^2 $$

## The gradient {#gradient}

How fast does the loss change when w changes? A derivation, one line at a time.

$$
\frac{\partial L}{\partial w} = 2(\hat{y} - y) \cdot x
% chain rule: the derivative of u² is 2u, and ŷ = w x has slope x in w
$$

$$ = 2(w x - y) x % put in ŷ = w x $$

## The update {#update}

Move w a little against the gradient.

$$ w \leftarrow w - \eta \frac{\partial L}{\partial w} % a small step downhill $$

### What you can do now

The last '###' part of the last step is the lesson's closing words, shown at its end.
"""

LESSON_PY = """\
# A new lesson's code: plain Python that runs on its own.
# A comment 'step: ID' ending a line ties it to the step of
# lesson.md with that id; the line computes the left side of
# one of the step's equations. Keep lines within 65 characters:
# the code pane shows them whole at 120 columns.

x = 1.5  # the input (change it: then the predict's answer)
y = 3.0  # the target: twice the input
w = 0.5  # the weight, a poor first guess
lr = 0.1  # the learning rate

for iteration in range(1, 11):  # the loop 'iteration:' names
    y_hat = w * x  # step: predict
    loss = (y_hat - y) ** 2  # step: loss
    dL_dw = 2 * (y_hat - y) * x  # step: gradient
    w = w - lr * dL_dw  # step: update

print(f"w = {w:.4f} after {iteration} iterations")
"""
