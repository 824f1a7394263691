# Lesson 12: lesson 08's network, a layer at a time, with numpy.

import math
import time

import numpy as np


def sigmoid(z):  # on every entry of an array  # untraced
    return 1 / (1 + np.exp(-z))


def train_step(W_h, b_h, W_o, b_o, x, y):
    """One iteration of lesson 08, a layer at a time."""
    z_h = W_h @ x + b_h  # step: hidden
    h = sigmoid(z_h)  # step: hidden
    z_o = W_o @ h + b_o  # step: output
    y_hat = sigmoid(z_o)  # step: output
    loss = np.sum((y_hat - y) ** 2)  # step: loss
    dL_dy_hat = 2 * (y_hat - y)  # step: delta-out
    delta_o = dL_dy_hat * y_hat * (1 - y_hat)  # step: delta-out
    dL_dh = W_o.T @ delta_o  # step: delta-hidden
    delta_h = dL_dh * h * (1 - h)  # step: delta-hidden
    dL_dW_o = delta_o @ h.T  # step: gradient-output
    dL_db_o = delta_o  # step: gradient-output
    dL_dW_h = delta_h @ x.T  # step: gradient-hidden
    dL_db_h = delta_h  # step: gradient-hidden
    W_h = W_h - lr * dL_dW_h  # step: update
    b_h = b_h - lr * dL_db_h  # step: update
    W_o = W_o - lr * dL_dW_o  # step: update
    b_o = b_o - lr * dL_db_o  # step: update
    return W_h, b_h, W_o, b_o, loss


# Lesson 08's arithmetic, one neuron at a time, on Python lists:
# the same numbers, to compare with, and to time.


def as_lists(W_h, b_h, W_o, b_o):  # untraced
    """The weights as lists: row k of a matrix, neuron k's."""
    b_h, b_o = b_h[:, 0], b_o[:, 0]
    W_h, W_o = W_h.tolist(), W_o.tolist()
    return W_h, b_h.tolist(), W_o, b_o.tolist()


def forward_neurons(W_h, b_h, W_o, b_o, x):  # untraced
    """Lesson 08's forward pass, neuron by neuron: h, y_hat."""
    h = []
    for j in range(len(W_h)):  # each hidden neuron
        z = b_h[j]
        for i in range(len(x)):
            z += W_h[j][i] * x[i]
        h.append(1 / (1 + math.exp(-z)))
    y_hat = []
    for k in range(len(W_o)):  # each output neuron
        z = b_o[k]
        for j in range(len(h)):
            z += W_o[k][j] * h[j]
        y_hat.append(1 / (1 + math.exp(-z)))
    return h, y_hat


def loss_by_neurons(W_h, b_h, W_o, b_o, x, y):  # untraced
    """Lesson 08's loss, neuron by neuron, for these weights."""
    W_h, b_h, W_o, b_o = as_lists(W_h, b_h, W_o, b_o)
    x, y = x[:, 0].tolist(), y[:, 0].tolist()
    h, y_hat = forward_neurons(W_h, b_h, W_o, b_o, x)
    return sum((y_hat[k] - y[k]) ** 2 for k in range(len(y)))


def train_neurons(W_h, b_h, W_o, b_o, examples):  # untraced
    """Lesson 08's training, neuron by neuron: one update
    per example (x, y), on lists. Returns the last weights."""
    W_h, b_h, W_o, b_o = as_lists(W_h, b_h, W_o, b_o)
    for x, y in examples:
        x, y = x[:, 0].tolist(), y[:, 0].tolist()
        h, y_hat = forward_neurons(W_h, b_h, W_o, b_o, x)
        delta_o = []
        for k in range(len(y_hat)):
            dL_dy_hat = 2 * (y_hat[k] - y[k])
            delta_o.append(dL_dy_hat * y_hat[k] * (1 - y_hat[k]))
        delta_h = []
        for j in range(len(h)):  # the paths from h_j, added up
            dL_dh = 0.0
            for k in range(len(delta_o)):
                dL_dh += delta_o[k] * W_o[k][j]
            delta_h.append(dL_dh * h[j] * (1 - h[j]))
        for j in range(len(W_h)):  # a delta times an input
            for i in range(len(x)):
                W_h[j][i] -= lr * delta_h[j] * x[i]
            b_h[j] -= lr * delta_h[j]
        for k in range(len(W_o)):
            for j in range(len(h)):
                W_o[k][j] -= lr * delta_o[k] * h[j]
            b_o[k] -= lr * delta_o[k]
    return W_h, b_h, W_o, b_o


def train_matrices(W_h, b_h, W_o, b_o, examples):  # untraced
    """The same training with train_step."""
    for x, y in examples:
        W_h, b_h, W_o, b_o, loss = train_step(
            W_h, b_h, W_o, b_o, x, y
        )
    return W_h, b_h, W_o, b_o


def seconds(train, width):  # untraced
    """The time of one update (forward, backward, update) of
    a network of width inputs, width hidden neurons and 2
    outputs: a pass over 8 random examples, the fastest of 5
    passes, divided by 8."""
    rng = np.random.default_rng(width)
    W_h = rng.normal(0, 0.1, (width, width))
    W_o = rng.normal(0, 0.1, (2, width))
    b_h, b_o = np.zeros((width, 1)), np.zeros((2, 1))
    examples = []
    for _ in range(8):
        x = rng.normal(0, 1, (width, 1))
        examples.append((x, rng.uniform(0, 1, (2, 1))))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        train(W_h, b_h, W_o, b_o, examples)
        times.append(time.perf_counter() - started)
    return min(times) / len(examples)


# Lesson 08's example and starting weights. Row k of a matrix
# holds the weights into neuron k: W_h is [[w1, w2], [w3, w4]].
x = np.array([[1.0], [0.5]])
y = np.array([[0.2], [0.9]])
W_h = np.array([[0.1, 0.2], [0.3, 0.4]])
b_h = np.array([[0.1], [0.1]])
W_o = np.array([[0.5, 0.6], [0.7, 0.8]])
b_o = np.array([[0.2], [0.2]])
lr = 0.5

# Lesson 08's 300 iterations, neuron by neuron, to reproduce.
neurons = train_neurons(W_h, b_h, W_o, b_o, [(x, y)] * 300)

for iteration in range(1, 301):
    loss_neurons = loss_by_neurons(W_h, b_h, W_o, b_o, x, y)
    W_h, b_h, W_o, b_o, loss = train_step(
        W_h, b_h, W_o, b_o, x, y
    )

layers = as_lists(W_h, b_h, W_o, b_o)
largest_difference = max(
    np.abs(np.array(mine) - np.array(theirs)).max()
    for mine, theirs in zip(layers, neurons)
)
print(
    "largest difference from the neuron-by-neuron numbers:",
    f"{largest_difference:.1e}",
)

# The time of one update, neuron by neuron (T_n) and with
# matrices (T_m), in microseconds, for networks of width
# inputs, width hidden neurons and 2 outputs.
print("width   T_n (µs)   T_m (µs)   T_n / T_m")
for width in [2, 8, 32, 128]:
    seconds_neurons = seconds(train_neurons, width)
    seconds_matrices = seconds(train_matrices, width)
    speedup = seconds_neurons / seconds_matrices  # step: speed
    print(
        f"{width:5} {1e6 * seconds_neurons:10.1f}"
        f" {1e6 * seconds_matrices:10.1f} {speedup:11.2f}"
    )
