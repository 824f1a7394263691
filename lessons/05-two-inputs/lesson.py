# Lesson 05: one neuron with two inputs learns the logic gate AND.
import math

# Truth tables: one (x1, x2, y) for each pair of inputs.
and_data = [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
or_data = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 1)]
xor_data = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
data = and_data  # the table to learn: try or_data, then xor_data
n = len(data)

w1 = 0.5  # weight of input x1
w2 = -0.5  # weight of input x2
b = 0.0  # bias
lr = 2.0  # learning rate


def sigmoid(z):  # untraced
    return 1 / (1 + math.exp(-z))


def predict(x1, x2):
    return sigmoid(w1 * x1 + w2 * x2 + b)


for iteration in range(1, 301):
    cost = 0.0
    dJ_dw1 = dJ_dw2 = dJ_db = 0.0  # the gradient sums start at 0
    for x1, x2, y in data:
        z = w1 * x1 + w2 * x2 + b  # step: weighted-sum
        y_hat = sigmoid(z)  # step: activation
        loss = (y_hat - y) ** 2  # step: loss
        cost = cost + loss / n  # step: loss
        dy_hat_dz = y_hat * (1 - y_hat)  # step: delta
        delta = 2 * (y_hat - y) * dy_hat_dz  # step: delta
        dL_dw1 = delta * x1  # step: gradient-w1
        dL_dw2 = 0.0  # your turn  # step: gradient-w2
        dL_db = delta  # step: gradient-b
        dJ_dw1 = dJ_dw1 + dL_dw1 / n  # step: sum
        dJ_dw2 = dJ_dw2 + dL_dw2 / n  # step: sum
        dJ_db = dJ_db + dL_db / n  # step: sum
    w1 = w1 - lr * dJ_dw1  # step: update
    w2 = w2 - lr * dJ_dw2  # step: update
    b = b - lr * dJ_db  # step: update

print(f"cost {cost:.4f} at iteration {iteration}: w1 = {w1:.3f}, w2 = {w2:.3f}, b = {b:.3f}")
for x1 in [0.0, 1.0]:
    x2 = -(w1 * x1 + b) / w2  # step: line
    print(f"the line z = 0 passes through x1 = {x1:.0f}, x2 = {x2:.3f}")
for x1, x2, y in data:
    print(f"x1 = {x1:.0f}, x2 = {x2:.0f}: y_hat = {predict(x1, x2):.3f}, y = {y:.0f}")
