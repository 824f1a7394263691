# Lesson 07: a network that is not made of layers learns XOR.

import math
import random


# Lesson 04's squashing function; the tutor runs it without
# stepping in.
def sigmoid(z):  # untraced
    return 1 / (1 + math.exp(-z))


# The network's answer with the current weights (boundary plot).
def predict(x1, x2):
    h = sigmoid(w1 * x1 + w2 * x2 + b_h)
    return sigmoid(v * h + u1 * x1 + u2 * x2 + b)


# XOR: (x1, x2, y)
data = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
n = len(data)  # the number of examples
random.seed(0)  # a random start, the same one on every run
w1 = random.uniform(-1, 1)  # wire x1 -> h
w2 = random.uniform(-1, 1)  # wire x2 -> h
b_h = random.uniform(-1, 1)  # the hidden neuron's bias
v = random.uniform(-1, 1)  # wire h -> y_hat
u1 = random.uniform(-1, 1)  # wire x1 -> y_hat, skipping h
u2 = random.uniform(-1, 1)  # wire x2 -> y_hat, skipping h
b = random.uniform(-1, 1)  # the output neuron's bias
lr = 10.0  # learning rate
nudge = 1e-6  # a small change of x1, to measure a slope

for iteration in range(1, 601):
    # The average loss and gradients, one example at a time:
    cost = 0.0
    dJ_dw1 = dJ_dw2 = dJ_db_h = 0.0  # the hidden neuron's
    dJ_dv = dJ_du1 = dJ_du2 = dJ_db = 0.0  # the output neuron's
    for x1, x2, y in data:
        # Forward, in topological order: h first (y_hat needs h).
        z_h = w1 * x1 + w2 * x2 + b_h  # step: hidden
        h = sigmoid(z_h)  # step: hidden
        z = v * h + u1 * x1 + u2 * x2 + b  # step: output
        y_hat = sigmoid(z)  # step: output
        loss = (y_hat - y) ** 2  # step: loss
        # Backward, in the reverse order: y_hat first, then h.
        dL_dy_hat = 2 * (y_hat - y)  # step: delta
        delta = dL_dy_hat * y_hat * (1 - y_hat)  # step: delta
        dL_dv = delta * h  # step: output-gradients
        dL_db = delta  # step: output-gradients
        dL_du1 = delta * x1  # step: skip-gradients
        dL_du2 = delta * x2  # step: skip-gradients
        dL_dh = delta * v  # step: delta-hidden
        delta_h = dL_dh * h * (1 - h)  # step: delta-hidden
        dL_dx1 = delta * u1 + delta_h * w1  # step: two-paths
        # Check the two paths: x1 up by a nudge, forward again...
        h_up = sigmoid(z_h + w1 * nudge)  # step: nudge
        z_up = z + v * (h_up - h) + u1 * nudge  # step: nudge
        loss_up = (sigmoid(z_up) - y) ** 2  # step: nudge
        # ... and x1 down by a nudge.
        h_down = sigmoid(z_h - w1 * nudge)  # step: nudge
        z_down = z + v * (h_down - h) - u1 * nudge  # step: nudge
        loss_down = (sigmoid(z_down) - y) ** 2  # step: nudge
        slope = (loss_up - loss_down) / nudge / 2  # step: nudge
        dL_dw1 = delta_h * x1  # step: hidden-gradients
        dL_dw2 = delta_h * x2  # step: hidden-gradients
        dL_db_h = delta_h  # step: hidden-gradients
        cost = cost + loss / n  # step: cost
        dJ_dw1 = dJ_dw1 + dL_dw1 / n  # step: average
        dJ_dw2 = dJ_dw2 + dL_dw2 / n  # step: average
        dJ_db_h = dJ_db_h + dL_db_h / n  # step: average
        dJ_dv = dJ_dv + dL_dv / n  # step: average
        dJ_du1 = dJ_du1 + dL_du1 / n  # step: average
        dJ_du2 = dJ_du2 + dL_du2 / n  # step: average
        dJ_db = dJ_db + dL_db / n  # step: average
    w1 = w1 - lr * dJ_dw1  # step: update
    w2 = w2 - lr * dJ_dw2  # step: update
    b_h = b_h - lr * dJ_db_h  # step: update
    v = v - lr * dJ_dv  # step: update
    u1 = u1 - lr * dJ_du1  # step: update
    u2 = u2 - lr * dJ_du2  # step: update
    b = b - lr * dJ_db  # step: update

print(f"hidden: w1 = {w1:.2f}, w2 = {w2:.2f}, b_h = {b_h:.2f}")
print(
    f"output: v = {v:.2f}, u1 = {u1:.2f}, u2 = {u2:.2f},"
    f" b = {b:.2f}"
)
print(
    f"after {iteration} iterations;"
    f" the last cost was {cost:.4f}"
)
for x1, x2, y in data:
    print(
        f"x1 = {x1}, x2 = {x2}: target {y},"
        f" answer {predict(x1, x2):.3f}"
    )
