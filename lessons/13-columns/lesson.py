# Lesson 13: lesson 12's network on 200 examples at once,
# side by side as the columns of a matrix.

import math
import time

import numpy as np


def sigmoid(z):  # on every entry of an array  # untraced
    return 1 / (1 + np.exp(-z))


def gradients(W_h, b_h, W_o, b_o, X, Y):
    """Lesson 12's forward and backward pass, on the n
    examples in the columns of X and Y, all at once: the
    losses, the cost and its gradients."""
    n = X.shape[1]  # how many examples: the columns of X
    ones = np.ones((n, 1))  # a column of n ones
    Z_h = W_h @ X + b_h  # step: hidden
    H = sigmoid(Z_h)  # step: hidden
    Z_o = W_o @ H + b_o  # step: output
    Y_hat = sigmoid(Z_o)  # step: output
    loss = np.sum((Y_hat - Y) ** 2, axis=0)  # step: cost
    cost = np.mean(loss)  # step: cost
    dL_dY_hat = 2 * (Y_hat - Y)  # step: delta
    Delta_o = dL_dY_hat * Y_hat * (1 - Y_hat)  # step: delta
    dL_dH = W_o.T @ Delta_o  # step: delta
    Delta_h = dL_dH * H * (1 - H)  # step: delta
    dJ_dW_o = Delta_o @ H.T / n  # step: gradient-output
    dJ_db_o = Delta_o @ ones / n  # step: gradient-output
    dJ_dW_h = Delta_h @ X.T / n  # step: gradient-hidden
    dJ_db_h = Delta_h @ ones / n  # step: gradient-hidden
    return loss, cost, dJ_dW_h, dJ_db_h, dJ_dW_o, dJ_db_o


def by_examples(W_h, b_h, W_o, b_o, X, Y):  # untraced
    """The same with lesson 12's lines, one example (one
    column) at a time: the losses, their average, and the
    average gradients."""
    n = X.shape[1]
    losses, average = [], [0.0, 0.0, 0.0, 0.0]
    for i in range(n):
        x, y = X[:, [i]], Y[:, [i]]  # example i: column i
        h = sigmoid(W_h @ x + b_h)
        y_hat = sigmoid(W_o @ h + b_o)
        losses.append(np.sum((y_hat - y) ** 2))
        delta_o = 2 * (y_hat - y) * y_hat * (1 - y_hat)
        delta_h = (W_o.T @ delta_o) * h * (1 - h)
        each = [delta_h @ x.T, delta_h, delta_o @ h.T, delta_o]
        average = [a + g / n for a, g in zip(average, each)]
    return [np.array(losses), np.mean(losses), *average]


def predict(x1, x2):  # untraced
    """The network's class for the point (x1, x2): 1 when
    output 2 is the larger, else 0."""
    x = np.array([[x1], [x2]])
    y_hat = sigmoid(W_o @ sigmoid(W_h @ x + b_h) + b_o)
    return 1.0 if y_hat[1, 0] > y_hat[0, 0] else 0.0


def largest_difference():  # untraced
    """Both ways, from the same weights: the batch, and
    lesson 12's lines one column at a time. The largest
    difference between any of their numbers."""
    batch = gradients(W_h, b_h, W_o, b_o, X, Y)
    one_by_one = by_examples(W_h, b_h, W_o, b_o, X, Y)
    return max(
        np.abs(mine - theirs).max()
        for mine, theirs in zip(batch, one_by_one)
    )


def seconds(compute):  # untraced
    """The time compute takes on all 200 examples, the
    fastest of 5 tries."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        compute(W_h, b_h, W_o, b_o, X, Y)
        times.append(time.perf_counter() - started)
    return min(times)


# The data: two interleaved half moons of 100 noisy points
# each, class 0 and class 1, one column of X per point.
rng = np.random.default_rng(0)
angle = rng.uniform(0, math.pi, 100)
moon0 = np.stack([np.cos(angle), np.sin(angle)])
moon1 = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)])
noise = rng.normal(0, 0.2, (2, 200))
X = np.hstack([moon0, moon1]) + noise
labels = np.array([0] * 100 + [1] * 100)
order = rng.permutation(200)  # shuffled: the classes mixed
X, labels = X[:, order], labels[order]
# The targets: output 1 says class 0, output 2 class 1.
Y = np.stack([1 - labels, labels]).astype(float)
# The points as (x1, x2, y), for the plot.
data = list(zip(*X.tolist(), labels.tolist(), strict=True))

# 2 inputs, 4 hidden neurons, 2 outputs; random weights.
W_h = rng.normal(0, 1, (4, 2))
b_h = np.zeros((4, 1))
W_o = rng.normal(0, 1, (2, 4))
b_o = np.zeros((2, 1))
lr = 10.0

for iteration in range(1, 401):
    loss, cost, dJ_dW_h, dJ_db_h, dJ_dW_o, dJ_db_o = gradients(
        W_h, b_h, W_o, b_o, X, Y
    )
    W_h = W_h - lr * dJ_dW_h  # step: update
    b_h = b_h - lr * dJ_db_h  # step: update
    W_o = W_o - lr * dJ_dW_o  # step: update
    b_o = b_o - lr * dJ_db_o  # step: update

correct = sum(predict(x1, x2) == y for x1, x2, y in data)
accuracy = correct / 200  # step: results
print(f"the cost after the last update: {cost:.4f}")
print(f"accuracy on the 200 points: {accuracy:.1%}")

# Both ways once more, from the final weights.
difference = largest_difference()
print(f"largest difference from one at a time: {difference:.1e}")

# How long each takes on the 200 examples.
seconds_loop = seconds(by_examples)
seconds_batch = seconds(gradients)
speedup = seconds_loop / seconds_batch  # step: speed
print(f"one at a time: {1e3 * seconds_loop:.2f} ms")
print(f"one batch: {1e3 * seconds_batch:.3f} ms")
print(f"one batch is {speedup:.0f} times faster")
