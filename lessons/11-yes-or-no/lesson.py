# Lesson 11: lesson 04's neuron, trained with cross-entropy.

from math import exp, log

data = [(-2, 0), (-1, 0), (1, 1), (2, 1)]  # (x, y)
n = len(data)  # the number of examples


def sigmoid(z):  # lesson 04's activation  # untraced
    return 1 / (1 + exp(-z))


def cross_entropy(w, b):  # the cost J of a neuron  # untraced
    total = 0.0
    for x, y in data:
        a = sigmoid(w * x + b)
        total -= y * log(a) + (1 - y) * log(1 - a)
    return total / n


def lesson_04(iterations):  # squared error, as in 04  # untraced
    w, b = -1.0, 0.5
    for _ in range(iterations):
        dJ_dw = dJ_db = 0.0
        for x, y in data:
            a = sigmoid(w * x + b)
            delta = 2 * (a - y) * a * (1 - a)
            dJ_dw += delta * x / n
            dJ_db += delta / n
        w, b = w - 2.0 * dJ_dw, b - 2.0 * dJ_db
    return w, b


w = -1.0  # the weight: starts the wrong way round
b = 0.5  # the bias
lr = 2.0  # learning rate, as in lesson 04

for iteration in range(1, 61):
    cost = 0.0  # the average loss and gradients
    dJ_dw = 0.0
    dJ_db = 0.0
    for x, y in data:
        z = w * x + b  # step: forward
        a = sigmoid(z)  # step: forward
        loss = -y * log(a) - (1 - y) * log(1 - a)  # step: loss
        dL_da = -y / a + (1 - y) / (1 - a)  # step: slope-loss
        delta = a - y  # step: delta
        dL_dw = delta * x  # step: gradients
        dL_db = delta  # step: gradients
        cost = cost + loss / n  # step: average
        dJ_dw = dJ_dw + dL_dw / n  # step: average
        dJ_db = dJ_db + dL_db / n  # step: average
    w = w - lr * dJ_dw  # step: update
    b = b - lr * dJ_db  # step: update

# Lesson 04's neuron, trained with squared error, to compare:
w_04, b_04 = lesson_04(60)  # 60 iterations, as above
cost_04 = cross_entropy(w_04, b_04)  # its J, measured as ours
final_cost = cross_entropy(w, b)  # ours, after the last update
answer_04 = sigmoid(w_04 * 1 + b_04)  # its answer to x = 1
answer = sigmoid(w * 1 + b)  # ours
print(f"ours: w = {w:.4f}, b = {b:.4f}, J = {final_cost:.4f}")
print(f"04:   w = {w_04:.4f}, b = {b_04:.4f}, J = {cost_04:.4f}")
for x, y in data:
    ours, theirs = sigmoid(w * x + b), sigmoid(w_04 * x + b_04)
    print(f"x = {x:2d}, y = {y}: {ours:.3f}, 04: {theirs:.3f}")
