"""A lesson as an outside author writes the classic worked example: names of several letters
(``\\mathrm{out}_{h1}``, ``\\operatorname{net}_{h1}``, ``\\text{target}_{o1}``, plain
``out_{h1}``), subscripts of several characters (``E_{total}``, ``\\delta_{o1}``, ``w_{5}``), and
inline math in the narrative. For tests/test_names.py."""

MD = r"""---
title: Names of several letters
order: 1
iteration: iteration
symbols:
  i_1: i1
  i_2: i2
  w_1: w1
  w_2: w2
  w_{5}: w5
  w_6: w6
  b_1: b1
  b_2: b2
  '\operatorname{net}_{h1}': net_h1
  '\mathrm{out}_{h1}': out_h1
  out_{h2}: out_h2
  '\text{net}_{o1}': net_o1
  '\mathrm{out}_{o1}': out_o1
  '\text{target}_{o1}': target_o1
  E_{total}: E_total
  '\delta_{o1}': delta_o1
  '\frac{\partial E_{total}}{\partial w_5}': dE_dw5
  '\eta': lr
---

# The worked example, one weight

Two inputs, two hidden neurons, one output; we follow $w_5$ down the gradient.

## The hidden neuron's sum {#net-h1}

The sum $\mathrm{net}_{h1}$ of the first hidden neuron:

$$ \operatorname{net}_{h1} = w_1 i_1 + w_2 i_2 + b_1 $$

## The hidden neuron's output {#out-h1}

Its output $out_{h1}$ squashes the sum.

$$ out_{h1} = \sigma(net_{h1}) $$

## The output neuron's sum {#net-o1}

$$ \text{net}_{o1} = w_5 out_{h1} + w_6 \mathrm{out}_{h2} + b_2 $$

## The output {#out-o1}

$$ \mathrm{out}_{o1} = \sigma(\mathrm{net}_{o1}) $$

## The error {#error}

The total error $E_{total}$ is half the squared miss.

$$ E_{total} = \frac{1}{2}(\text{target}_{o1} - out_{o1})^2 $$

## The output's delta {#delta}

$$ \delta_{o1} = -(target_{o1} - out_{o1}) \cdot out_{o1}(1 - out_{o1}) $$

## The gradient of w5 {#gradient}

$$ \frac{\partial E_{total}}{\partial w_5} = \delta_{o1} out_{h1} $$

## The update {#update}

$$ w_{5} \leftarrow w_5 - \eta \frac{\partial E_{total}}{\partial w_5} $$
"""

PY = """\
import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


i1, i2 = 0.05, 0.10
w1, w2, w3, w4 = 0.15, 0.20, 0.25, 0.30
w5, w6 = 0.40, 0.45
b1, b2 = 0.35, 0.60
target_o1 = 0.01
lr = 0.5

for iteration in range(1, 4):
    net_h1 = w1 * i1 + w2 * i2 + b1  # step: net-h1
    out_h1 = sigmoid(net_h1)  # step: out-h1
    out_h2 = sigmoid(w3 * i1 + w4 * i2 + b1)
    net_o1 = w5 * out_h1 + w6 * out_h2 + b2  # step: net-o1
    out_o1 = sigmoid(net_o1)  # step: out-o1
    E_total = 0.5 * (target_o1 - out_o1) ** 2  # step: error
    delta_o1 = -(target_o1 - out_o1) * out_o1 * (1 - out_o1)  # step: delta
    dE_dw5 = delta_o1 * out_h1  # step: gradient
    w5 = w5 - lr * dE_dw5  # step: update

print(f"w5 = {w5:.4f}")
"""
