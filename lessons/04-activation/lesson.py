# Lesson 04: a sigmoid neuron learns to answer 1 for positive
# inputs and 0 for negative ones.

import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


# (x, y): y is 1 when x is positive
data = [(-2, 0), (-1, 0), (1, 1), (2, 1)]
n = len(data)  # the number of examples
w = -1.0  # the weight: starts the wrong way round
b = 0.5  # the bias
lr = 2.0  # learning rate

for iteration in range(1, 61):
    # The average loss and gradients, one example at a time:
    cost = 0.0
    dJ_dw = 0.0
    dJ_db = 0.0
    for x, y in data:
        z = w * x + b  # step: weighted-sum
        a = sigmoid(z)  # step: activate
        loss = (a - y) ** 2  # step: loss
        dL_da = 2 * (a - y)  # step: slope-loss
        da_dz = a * (1 - a)  # step: slope-sigmoid
        delta = dL_da * da_dz  # step: delta
        dL_dw = delta * x  # step: gradients
        dL_db = delta  # step: gradients
        cost = cost + loss / n  # step: cost
        dJ_dw = dJ_dw + dL_dw / n  # step: average
        dJ_db = dJ_db + dL_db / n  # step: average
    w = w - lr * dJ_dw  # step: update
    b = b - lr * dJ_db  # step: update

print(
    f"w = {w:.4f}, b = {b:.4f} after {iteration} iterations;"
    f" the last cost was {cost:.6f}"
)
for x, y in data:
    print(
        f"x = {x:4.1f}  target {y:.0f}"
        f"  answer {sigmoid(w * x + b):.3f}"
    )
