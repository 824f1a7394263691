"""A small lesson with one exercise of each kind (docs/lesson-format.md 3.9), for the tests
of the exercise rules, the check and the screen."""

MD = r"""---
title: One neuron
order: 1
iteration: iteration
symbols:
  x: x
  y: y
  w: w
  '\hat{y}': y_hat
  L: loss
  '\eta': lr
  '\frac{\partial L}{\partial w}': dL_dw
exercises:
  gradient:
    hints: [Multiply the slope of L by x.]
  first-update:
    kind: predict
    step: update
    question: What will w be after the first update?
    answer: 0.8
  slope:
    kind: derive
    step: gradient
    row: 2
    hints: [The derivative of u² is 2u.]
  too-fast:
    kind: break
    task: Set the learning rate to 1.1 and rerun.
    change: {from: "lr = 0.1", to: "lr = 1.1"}
    claim: The loss grows instead of shrinking.
    holds: 'L > 10'
---

# Intro

Learn to double.

## Predict {#predict}

$$ \hat{y} = w x $$

## Loss {#loss}

$$ L = (\hat{y} - y)^2 $$

## Gradient {#gradient}

$$ \frac{\partial L}{\partial w} = 2(\hat{y} - y) x $$
$$ = 2(w x - y) x $$

## Update {#update}

$$ w \leftarrow w - \eta \frac{\partial L}{\partial w} $$
"""

PY = """\
x = 1.0
y = 2.0
w = 0.5
lr = 0.1
for iteration in range(1, 21):
    y_hat = w * x  # step: predict
    loss = (y_hat - y) ** 2  # step: loss
    dL_dw = 2 * (y_hat - y) * x  # step: gradient
    w = w - lr * dL_dw  # step: update
"""
