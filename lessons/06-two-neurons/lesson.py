# Lesson 06: two neurons in a chain, x -> h -> y_hat. The error travels back through h.
import math

data = [(0, 1), (1, 0)]  # (x, y): answer 1 for 0, and 0 for 1
n = len(data)

w = 0.5  # weight of x, into the hidden neuron h
b_h = 0.0  # bias of the hidden neuron
v = 0.5  # weight of h, into the output neuron
b = 0.0  # bias of the output neuron
lr = 2.0  # learning rate
eps = 0.00001  # a tiny nudge, to measure a slope


def sigmoid(z):  # untraced
    return 1 / (1 + math.exp(-z))


for iteration in range(1, 201):
    cost = 0.0
    dJ_dw = dJ_db_h = dJ_dv = dJ_db = 0.0  # the gradient sums start at 0
    for x, y in data:
        z_h = w * x + b_h  # step: hidden
        h = sigmoid(z_h)  # step: hidden
        z = v * h + b  # step: output
        y_hat = sigmoid(z)  # step: output
        loss = (y_hat - y) ** 2  # step: loss
        cost = cost + loss / n  # step: loss
        dy_hat_dz = y_hat * (1 - y_hat)  # step: delta
        delta = 2 * (y_hat - y) * dy_hat_dz  # step: delta
        dL_dv = delta * h  # step: output-gradients
        dL_db = delta  # step: output-gradients
        dh_dz_h = h * (1 - h)  # step: hidden-slope
        delta_h = 0.0  # your turn  # step: delta-hidden
        h_plus = sigmoid(z_h + eps)  # step: nudge
        loss_plus = (sigmoid(v * h_plus + b) - y) ** 2  # step: nudge
        h_minus = sigmoid(z_h - eps)  # step: nudge
        loss_minus = (sigmoid(v * h_minus + b) - y) ** 2  # step: nudge
        slope = (loss_plus - loss_minus) / (2 * eps)  # step: nudge
        dL_dw = delta_h * x  # step: hidden-gradients
        dL_db_h = delta_h  # step: hidden-gradients
        dJ_dw = dJ_dw + dL_dw / n  # step: sum
        dJ_db_h = dJ_db_h + dL_db_h / n  # step: sum
        dJ_dv = dJ_dv + dL_dv / n  # step: sum
        dJ_db = dJ_db + dL_db / n  # step: sum
    w = w - lr * dJ_dw  # step: update
    b_h = b_h - lr * dJ_db_h  # step: update
    v = v - lr * dJ_dv  # step: update
    b = b - lr * dJ_db  # step: update

print(f"cost {cost:.4f} at iteration {iteration}")
print(f"w = {w:.3f}, b_h = {b_h:.3f}, v = {v:.3f}, b = {b:.3f}")
