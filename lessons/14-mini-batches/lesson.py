# Lesson 14: mini-batches. Many examples at once, side by side as the columns of a matrix.

import math
import time

import numpy as np


def sigmoid(z):  # lesson 04's sigmoid, on every entry of an array  # untraced
    return 1 / (1 + np.exp(-z))


def train_step(W_h, b_h, W_o, b_o, X, Y):
    """Lesson 12's iteration on a mini-batch: column i of X and Y is example i."""
    n = X.shape[1]  # how many examples are in the batch
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
    W_h = W_h - lr * dJ_dW_h  # step: update
    b_h = b_h - lr * dJ_db_h  # step: update
    W_o = W_o - lr * dJ_dW_o  # step: update
    b_o = b_o - lr * dJ_db_o  # step: update
    return W_h, b_h, W_o, b_o, cost


def predict(x1, x2):  # untraced
    """The network's answer for the point (x1, x2): above 0.5 means class 1."""
    y_hat = sigmoid(W_o @ sigmoid(W_h @ np.array([[x1], [x2]]) + b_h) + b_o)
    return y_hat[1, 0] / (y_hat[0, 0] + y_hat[1, 0])  # the share of output 2


def seconds_per_pass(batch_size):  # untraced
    """How long one pass over the data takes in batches of batch_size (the best of 3 tries)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        for first in range(0, 200, batch_size):
            X, Y = X_all[:, first : first + batch_size], Y_all[:, first : first + batch_size]
            train_step(W_h, b_h, W_o, b_o, X, Y)
        times.append(time.perf_counter() - started)
    return min(times)


# The data: two interleaved half moons of 100 noisy points each, class 0 and class 1.
rng = np.random.default_rng(0)
angle = rng.uniform(0, math.pi, 100)
moon0 = np.stack([np.cos(angle), np.sin(angle)])
moon1 = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)])
X_all = np.hstack([moon0, moon1]) + rng.normal(0, 0.2, (2, 200))  # one column per point
labels = np.array([0] * 100 + [1] * 100)
order = rng.permutation(200)  # shuffle, so that every mini-batch mixes both classes
X_all, labels = X_all[:, order], labels[order]
# The targets, one column per point: output 1 should say class 0, output 2 class 1.
Y_all = np.stack([1 - labels, labels]).astype(float)
# The points as (x1, x2, y), for the plot.
data = list(zip(X_all[0].tolist(), X_all[1].tolist(), labels.tolist(), strict=True))

# The network: 2 inputs, 4 hidden neurons, 2 outputs, random starting weights.
W_h = rng.normal(0, 1, (4, 2))
b_h = np.zeros((4, 1))
W_o = rng.normal(0, 1, (2, 4))
b_o = np.zeros((2, 1))
lr = 5.0
batch_size = 20

for iteration in range(1, 801):
    first = (iteration - 1) * batch_size % 200  # where the next mini-batch starts
    X = X_all[:, first : first + batch_size]
    Y = Y_all[:, first : first + batch_size]
    W_h, b_h, W_o, b_o, cost = train_step(W_h, b_h, W_o, b_o, X, Y)

correct = sum((predict(x1, x2) > 0.5) == (y == 1) for x1, x2, y in data)
accuracy = correct / 200  # step: results
print(f"the cost of the last mini-batch was {cost:.4f}")
print(f"accuracy on all {len(data)} points: {accuracy:.1%}")

seconds_one_at_a_time = seconds_per_pass(1)
seconds_one_batch = seconds_per_pass(200)
speedup = seconds_one_at_a_time / seconds_one_batch  # step: speedup
print(f"one at a time: {seconds_one_at_a_time:.4f} s, one batch: {seconds_one_batch:.6f} s")
print(f"one batch is {speedup:.0f}x faster")
