# Lesson 10: where to start. Two hidden neurons learn XOR.

import math
import random


def sigmoid(z):  # lesson 04's squashing function  # untraced
    return 1 / (1 + math.exp(-z))


def predict(x1, x2):  # the answer now (the boundary plot)
    h1 = sigmoid(w1 * x1 + u1 * x2 + b1)
    h2 = sigmoid(w2 * x1 + u2 * x2 + b2)
    return sigmoid(v1 * h1 + v2 * h2 + b)


data = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]  # XOR
n = len(data)  # the number of examples
rng = random.Random(0)  # seeded: the same start on every run
w1 = rng.uniform(-0.5, 0.5)  # wire x1 -> h1
u1 = rng.uniform(-0.5, 0.5)  # wire x2 -> h1
w2 = rng.uniform(-0.5, 0.5)  # wire x1 -> h2
u2 = rng.uniform(-0.5, 0.5)  # wire x2 -> h2
v1 = rng.uniform(-0.5, 0.5)  # wire h1 -> y_hat
v2 = rng.uniform(-0.5, 0.5)  # wire h2 -> y_hat
b1 = b2 = b = 0.0  # the biases start at zero
lr = 10.0  # learning rate

for iteration in range(1, 501):
    cost = 0.0  # the averages, built up one example at a time
    dJ_dw1 = dJ_du1 = dJ_db1 = 0.0  # the first hidden neuron's
    dJ_dw2 = dJ_du2 = dJ_db2 = 0.0  # the second's
    dJ_dv1 = dJ_dv2 = dJ_db = 0.0  # the output neuron's
    for x1, x2, y in data:
        z1 = w1 * x1 + u1 * x2 + b1  # step: hidden
        h1 = sigmoid(z1)  # step: hidden
        z2 = w2 * x1 + u2 * x2 + b2  # step: hidden
        h2 = sigmoid(z2)  # step: hidden
        z = v1 * h1 + v2 * h2 + b  # step: output
        y_hat = sigmoid(z)  # step: output
        loss = (y_hat - y) ** 2  # step: loss
        dL_dy_hat = 2 * (y_hat - y)  # step: delta
        delta = dL_dy_hat * y_hat * (1 - y_hat)  # step: delta
        dL_dv1 = delta * h1  # step: delta
        dL_dv2 = delta * h2  # step: delta
        dL_db = delta  # step: delta
        delta1 = delta * v1 * h1 * (1 - h1)  # step: delta-hidden
        delta2 = delta * v2 * h2 * (1 - h2)  # step: delta-hidden
        dL_dw1 = delta1 * x1  # step: gradients-1
        dL_du1 = delta1 * x2  # step: gradients-1
        dL_db1 = delta1  # step: gradients-1
        dL_dw2 = delta2 * x1  # step: gradients-2
        dL_du2 = delta2 * x2  # step: gradients-2
        dL_db2 = delta2  # step: gradients-2
        cost = cost + loss / n  # step: average
        dJ_dw1 = dJ_dw1 + dL_dw1 / n  # step: average
        dJ_du1 = dJ_du1 + dL_du1 / n  # step: average
        dJ_db1 = dJ_db1 + dL_db1 / n  # step: average
        dJ_dw2 = dJ_dw2 + dL_dw2 / n  # step: average
        dJ_du2 = dJ_du2 + dL_du2 / n  # step: average
        dJ_db2 = dJ_db2 + dL_db2 / n  # step: average
        dJ_dv1 = dJ_dv1 + dL_dv1 / n  # step: average
        dJ_dv2 = dJ_dv2 + dL_dv2 / n  # step: average
        dJ_db = dJ_db + dL_db / n  # step: average
    w1 = w1 - lr * dJ_dw1  # step: update
    u1 = u1 - lr * dJ_du1  # step: update
    b1 = b1 - lr * dJ_db1  # step: update
    w2 = w2 - lr * dJ_dw2  # step: update
    u2 = u2 - lr * dJ_du2  # step: update
    b2 = b2 - lr * dJ_db2  # step: update
    v1 = v1 - lr * dJ_dv1  # step: update
    v2 = v2 - lr * dJ_dv2  # step: update
    b = b - lr * dJ_db  # step: update

print(f"h1: w1 = {w1:.2f}, u1 = {u1:.2f}, b1 = {b1:.2f}")
print(f"h2: w2 = {w2:.2f}, u2 = {u2:.2f}, b2 = {b2:.2f}")
print(f"y_hat: v1 = {v1:.2f}, v2 = {v2:.2f}, b = {b:.2f}")
print(f"after {iteration} iterations, cost {cost:.4f}")
for x1, x2, y in data:
    print(f"{x1}, {x2}: want {y}, answer {predict(x1, x2):.3f}")
