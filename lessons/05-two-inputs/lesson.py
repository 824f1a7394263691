# Lesson 05: a neuron with two inputs learns the logic gate AND.

import math


# Lesson 04's squashing function; the tutor runs it without
# stepping in.
def sigmoid(z):  # untraced
    return 1 / (1 + math.exp(-z))


# The neuron's answer with the current weights (boundary plot).
def predict(x1, x2):
    return sigmoid(w1 * x1 + w2 * x2 + b)


# Truth tables: (x1, x2, y) for the four pairs of inputs.
and_data = [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
or_data = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 1)]
xor_data = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
data = and_data  # the table to learn: try or_data, then xor_data
n = len(data)  # the number of examples
w1 = 0.5  # the weight of x1
w2 = -0.5  # the weight of x2
b = 0.0  # the bias
lr = 2.0  # learning rate

for iteration in range(1, 301):
    # The average loss and gradients, one example at a time:
    cost = 0.0
    dJ_dw1 = 0.0
    dJ_dw2 = 0.0
    dJ_db = 0.0
    for x1, x2, y in data:
        z = w1 * x1 + w2 * x2 + b  # step: weighted-sum
        a = sigmoid(z)  # step: activate
        loss = (a - y) ** 2  # step: loss
        dL_da = 2 * (a - y)  # step: delta
        da_dz = a * (1 - a)  # step: delta
        delta = dL_da * da_dz  # step: delta
        dL_dw1 = delta * x1  # step: gradient-w1
        dL_dw2 = delta * x2  # step: gradient-w2
        dL_db = delta  # step: gradient-b
        cost = cost + loss / n  # step: cost
        dJ_dw1 = dJ_dw1 + dL_dw1 / n  # step: average
        dJ_dw2 = dJ_dw2 + dL_dw2 / n  # step: average
        dJ_db = dJ_db + dL_db / n  # step: average
    w1 = w1 - lr * dJ_dw1  # step: update
    w2 = w2 - lr * dJ_dw2  # step: update
    b = b - lr * dJ_db  # step: update

print(
    f"w1 = {w1:.3f}, w2 = {w2:.3f}, b = {b:.3f}"
    f" after {iteration} iterations"
)
print(f"the last cost was {cost:.4f}")
for x1 in [0, 1]:
    x2 = -(w1 * x1 + b) / w2  # step: line
    print(
        "the line where z = 0 passes through"
        f" x1 = {x1}, x2 = {x2:.3f}"
    )
for x1, x2, y in data:
    print(
        f"x1 = {x1}, x2 = {x2}: target {y},"
        f" answer {predict(x1, x2):.3f}"
    )
