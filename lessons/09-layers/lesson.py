# Lesson 09: lesson 08's network, one layer at a time, with numpy matrices.

import math
import time

import numpy as np


def sigmoid(z):  # lesson 04's sigmoid, on every entry of an array at once  # untraced
    return 1 / (1 + np.exp(-z))


def train_step(W_h, b_h, W_o, b_o, x, y):
    """One iteration of lesson 08: forward, backward and update, a layer at a time."""
    z_h = W_h @ x + b_h  # step: hidden
    h = sigmoid(z_h)  # step: hidden
    z_o = W_o @ h + b_o  # step: output
    y_hat = sigmoid(z_o)  # step: output
    loss = np.sum((y_hat - y) ** 2)  # all the squared misses, added up  # step: loss
    dL_dy_hat = 2 * (y_hat - y)  # step: delta-output
    delta_o = dL_dy_hat * y_hat * (1 - y_hat)  # step: delta-output
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


def forward_neurons(W_h, b_h, W_o, b_o, x):  # untraced
    """Lesson 08's forward pass, one neuron at a time, on plain Python lists: h and y_hat."""
    h = []
    for j in range(len(W_h)):  # each hidden neuron: weighted sum, then sigmoid
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
    """Lesson 08's loss for the example, neuron by neuron, with the weights as they are."""
    W_h, b_h, W_o, b_o = W_h.tolist(), b_h[:, 0].tolist(), W_o.tolist(), b_o[:, 0].tolist()
    x, y = x[:, 0].tolist(), y[:, 0].tolist()
    h, y_hat = forward_neurons(W_h, b_h, W_o, b_o, x)
    return sum((y_hat[k] - y[k]) ** 2 for k in range(len(y)))


def train_neurons(W_h, b_h, W_o, b_o, examples):  # untraced
    """Lesson 08's arithmetic, one neuron at a time, on plain Python lists."""
    W_h, b_h, W_o, b_o = W_h.tolist(), b_h[:, 0].tolist(), W_o.tolist(), b_o[:, 0].tolist()
    for x, y in examples:
        x, y = x[:, 0].tolist(), y[:, 0].tolist()
        h, y_hat = forward_neurons(W_h, b_h, W_o, b_o, x)
        delta_o = []
        for k in range(len(y_hat)):
            delta_o.append(2 * (y_hat[k] - y[k]) * y_hat[k] * (1 - y_hat[k]))
        delta_h = []
        for j in range(len(h)):  # add up the paths from hidden neuron j to every output
            dL_dh = 0.0
            for k in range(len(delta_o)):
                dL_dh += delta_o[k] * W_o[k][j]
            delta_h.append(dL_dh * h[j] * (1 - h[j]))
        for j in range(len(W_h)):  # each gradient is a delta times an input
            for i in range(len(x)):
                W_h[j][i] -= lr * delta_h[j] * x[i]
            b_h[j] -= lr * delta_h[j]
        for k in range(len(W_o)):
            for j in range(len(h)):
                W_o[k][j] -= lr * delta_o[k] * h[j]
            b_o[k] -= lr * delta_o[k]
    return np.array(W_h), np.array([b_h]).T, np.array(W_o), np.array([b_o]).T


def train_matrices(W_h, b_h, W_o, b_o, examples):  # untraced
    """The same training with train_step: one update per example."""
    for x, y in examples:
        W_h, b_h, W_o, b_o, loss = train_step(W_h, b_h, W_o, b_o, x, y)
    return W_h, b_h, W_o, b_o


def seconds(train, network, examples):  # untraced
    """How long train takes for one pass over the examples (the best of 3 tries)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        train(*network, examples)
        times.append(time.perf_counter() - started)
    return min(times)


# Lesson 08's example and starting weights. Row k of a weight matrix holds the
# weights into neuron k: W_h is [[w1, w2], [w3, w4]] and W_o is [[w5, w6], [w7, w8]].
x = np.array([[1.0], [0.5]])
y = np.array([[0.2], [0.9]])
W_h = np.array([[0.1, 0.2], [0.3, 0.4]])
b_h = np.array([[0.1], [0.1]])
W_o = np.array([[0.5, 0.6], [0.7, 0.8]])
b_o = np.array([[0.2], [0.2]])
lr = 0.5

# Lesson 08's 300 iterations, neuron by neuron: the numbers to reproduce.
repeated = [(x, y)] * 300  # the one example, 300 times
W_h_neurons, b_h_neurons, W_o_neurons, b_o_neurons = train_neurons(W_h, b_h, W_o, b_o, repeated)

for iteration in range(1, 301):
    loss_neurons = loss_by_neurons(W_h, b_h, W_o, b_o, x, y)  # lesson 08's way, to compare
    W_h, b_h, W_o, b_o, loss = train_step(W_h, b_h, W_o, b_o, x, y)

gap = max(
    np.abs(W_h - W_h_neurons).max(),
    np.abs(b_h - b_h_neurons).max(),
    np.abs(W_o - W_o_neurons).max(),
    np.abs(b_o - b_o_neurons).max(),
)
print(f"largest difference from the neuron-by-neuron numbers: {gap:.1e}")

# A wider network: 64 inputs, 64 hidden neurons, 10 outputs, and 256 examples.
rng = np.random.default_rng(0)
wide = (
    rng.normal(0, 0.1, (64, 64)),  # W_h
    np.zeros((64, 1)),  # b_h
    rng.normal(0, 0.1, (10, 64)),  # W_o
    np.zeros((10, 1)),  # b_o
)
examples = [(rng.normal(0, 1, (64, 1)), rng.uniform(0, 1, (10, 1))) for _ in range(256)]
seconds_neurons = seconds(train_neurons, wide, examples)
seconds_matrices = seconds(train_matrices, wide, examples)
speedup = seconds_neurons / seconds_matrices  # step: speedup
print(
    f"neurons: {seconds_neurons:.3f} s, matrices: {seconds_matrices:.4f} s: {speedup:.0f}x faster"
)
