# Lesson 14: mini-batches, and a softmax output layer with
# the cross-entropy loss. Lesson 13's network and points.

import math

import numpy as np


def sigmoid(z):  # on every entry of an array  # untraced
    return 1 / (1 + np.exp(-z))


def gradients(W_h, b_h, W_o, b_o, X, Y):
    """Lesson 13's forward and backward pass on the examples
    in the columns of X and Y, with a softmax output."""
    n = X.shape[1]  # how many examples: the columns of X
    ones = np.ones((n, 1))  # a column of n ones
    Z_h = W_h @ X + b_h  # step: hidden
    H = sigmoid(Z_h)  # step: hidden
    Z_o = W_o @ H + b_o  # step: softmax
    E = np.exp(Z_o)  # step: softmax
    P = E / np.sum(E, axis=0)  # step: softmax
    loss = -np.sum(Y * np.log(P), axis=0)  # step: loss
    cost = np.mean(loss)  # step: loss
    Delta_o = P - Y  # step: delta-out
    dL_dH = W_o.T @ Delta_o  # step: delta-hidden
    Delta_h = dL_dH * H * (1 - H)  # step: delta-hidden
    dJ_dW_o = Delta_o @ H.T / n  # step: gradients
    dJ_db_o = Delta_o @ ones / n  # step: gradients
    dJ_dW_h = Delta_h @ X.T / n  # step: gradients
    dJ_db_h = Delta_h @ ones / n  # step: gradients
    return cost, dJ_dW_h, dJ_db_h, dJ_dW_o, dJ_db_o


def probabilities(X):  # untraced
    """The network's P for the points in the columns of X."""
    E = np.exp(W_o @ sigmoid(W_h @ X + b_h) + b_o)
    return E / np.sum(E, axis=0)


def predict(x1, x2):  # untraced
    """p₂ at the point (x1, x2): how sure the network is of
    class 1. Above 0.5, class 1 is the larger p."""
    return probabilities(np.array([[x1], [x2]]))[1, 0]


# Lesson 13's 200 points: two interleaved half moons.
rng = np.random.default_rng(0)
angle = rng.uniform(0, math.pi, 100)
moon0 = np.stack([np.cos(angle), np.sin(angle)])
moon1 = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)])
noise = rng.normal(0, 0.2, (2, 200))
X_all = np.hstack([moon0, moon1]) + noise
labels = np.array([0] * 100 + [1] * 100)
order = rng.permutation(200)  # shuffled: the classes mixed
X_all, labels = X_all[:, order], labels[order]
# The targets: row 1 is 1 for class 0, row 2 for class 1.
Y_all = np.stack([1 - labels, labels]).astype(float)
# The points as (x1, x2, y), for the plot.
data = list(zip(*X_all.tolist(), labels.tolist(), strict=True))

# Lesson 13's network and starting weights.
W_h = rng.normal(0, 1, (4, 2))
b_h = np.zeros((4, 1))
W_o = rng.normal(0, 1, (2, 4))
b_o = np.zeros((2, 1))
lr = 5.0
batch_size = 20  # the examples of one mini-batch
batches = 200 // batch_size  # mini-batches in an epoch

for iteration in range(1, 801):
    k = (iteration - 1) % batches  # this epoch's k-th batch
    if k == 0:  # a new epoch: shuffle the 200 points again
        order = rng.permutation(200)
    batch = order[k * batch_size : (k + 1) * batch_size]
    X, Y = X_all[:, batch], Y_all[:, batch]
    cost, dJ_dW_h, dJ_db_h, dJ_dW_o, dJ_db_o = gradients(
        W_h, b_h, W_o, b_o, X, Y
    )
    W_h = W_h - lr * dJ_dW_h  # step: update
    b_h = b_h - lr * dJ_db_h  # step: update
    W_o = W_o - lr * dJ_dW_o  # step: update
    b_o = b_o - lr * dJ_db_o  # step: update

# The network's class for each point: the larger p.
classes = np.argmax(probabilities(X_all), axis=0)
correct = np.sum(classes == labels)
accuracy = correct / 200  # step: results
print(f"the cost of the last mini-batch: {cost:.4f}")
print(f"accuracy on the 200 points: {accuracy:.1%}")
