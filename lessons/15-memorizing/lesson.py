# Lesson 15: learning or memorizing. Train on 30 points,
# then test on 200 points the network never trained on.

import numpy as np


def sigmoid(z):  # untraced
    return 1 / (1 + np.exp(-z))


def make_points(n):  # untraced
    """n noisy points of two overlapping clouds, a column each:
    class 0 around (-0.5, -0.5), class 1 around (0.5, 0.5)."""
    labels = rng.integers(0, 2, n)
    X = labels - 0.5 + rng.normal(0, 0.8, (2, n))
    Y = np.stack([1 - labels, labels]).astype(float)
    return X, Y


def new_network(size):  # untraced
    """size hidden neurons, random starting weights."""
    W_h = rng.normal(0, 3, (size, 2))
    W_o = rng.normal(0, 1, (2, size))
    return W_h, np.zeros((size, 1)), W_o, np.zeros((2, 1))


def train_step(W_h, b_h, W_o, b_o, X, Y):
    """Lesson 14's iteration, on all the training points."""
    n = X.shape[1]
    ones = np.ones((n, 1))
    Z_h = W_h @ X + b_h  # step: forward
    H = sigmoid(Z_h)  # step: forward
    Z_o = W_o @ H + b_o  # step: forward
    E = np.exp(Z_o)  # step: forward
    P = E / np.sum(E, axis=0)  # step: forward
    loss = -np.sum(Y * np.log(P), axis=0)  # step: forward
    cost = np.mean(loss)  # step: forward
    Delta_o = P - Y  # step: backward
    dL_dH = W_o.T @ Delta_o  # step: backward
    Delta_h = dL_dH * H * (1 - H)  # step: backward
    dJ_dW_o = Delta_o @ H.T / n  # step: backward
    dJ_db_o = Delta_o @ ones / n  # step: backward
    dJ_dW_h = Delta_h @ X.T / n  # step: backward
    dJ_db_h = Delta_h @ ones / n  # step: backward
    W_h = W_h - lr * dJ_dW_h  # step: update
    b_h = b_h - lr * dJ_db_h  # step: update
    W_o = W_o - lr * dJ_dW_o  # step: update
    b_o = b_o - lr * dJ_db_o  # step: update
    return W_h, b_h, W_o, b_o, cost


def train(network, iterations):  # untraced
    """Trains a network without recording: for the small one."""
    for _ in range(iterations):
        *network, cost = train_step(*network, X, Y)
    return network


def evaluate(W_h, b_h, W_o, b_o, X, Y):
    """The cost and the accuracy of a network on the points X."""
    n = X.shape[1]
    H = sigmoid(W_h @ X + b_h)  # step: measure
    E = np.exp(W_o @ H + b_o)  # step: measure
    P = E / np.sum(E, axis=0)  # step: measure
    loss = -np.sum(Y * np.log(P), axis=0)  # step: measure
    cost = np.mean(loss)  # step: measure
    # The network's class: the larger p. Is it the target's?
    right = np.argmax(P, axis=0) == np.argmax(Y, axis=0)
    correct = np.sum(right)  # how many points it gets right
    accuracy = correct / n  # step: accuracy
    return cost, accuracy


def predict(x1, x2):  # untraced
    """p₂, the large network's probability of class 1 at
    the point (x1, x2)."""
    x = np.array([[x1], [x2]])
    e = np.exp(W_o @ sigmoid(W_h @ x + b_h) + b_o)
    return e[1, 0] / (e[0, 0] + e[1, 0])


rng = np.random.default_rng(2)
X, Y = make_points(30)  # the training points
X_test, Y_test = make_points(200)  # kept aside, never trained on
# The training points as (x1, x2, y), for the plot.
data = list(zip(*X.tolist(), Y[1].tolist(), strict=True))
lr = 2.0

# The small network, 2 hidden neurons, trained without recording.
small = train(new_network(2), 3000)

# The large network, 48 hidden neurons: step through 300
# iterations of its training, then 2,700 more without recording.
W_h, b_h, W_o, b_o = new_network(48)
for iteration in range(1, 301):
    network = train_step(W_h, b_h, W_o, b_o, X, Y)
    W_h, b_h, W_o, b_o, cost = network

large = train([W_h, b_h, W_o, b_o], 2700)
W_h, b_h, W_o, b_o = large  # for the plot of the border

# Both networks, on the training points and on the test points.
cost_small, accuracy_small = evaluate(*small, X, Y)
on_test = evaluate(*small, X_test, Y_test)
test_cost_small, test_accuracy_small = on_test
cost_large, accuracy_large = evaluate(*large, X, Y)
on_test = evaluate(*large, X_test, Y_test)
test_cost_large, test_accuracy_large = on_test
gap = accuracy_large - test_accuracy_large  # step: gap
print(f"small: train {accuracy_small:.1%}", end=" ")
print(f"test {test_accuracy_small:.1%}")
print(f"large: train {accuracy_large:.1%}", end=" ")
print(f"test {test_accuracy_large:.1%}")
print(f"small: cost {cost_small:.3f} test {test_cost_small:.3f}")
print(f"large: cost {cost_large:.3f} test {test_cost_large:.3f}")
