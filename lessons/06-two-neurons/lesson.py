# Lesson 06: two neurons in a chain, x -> h -> y_hat. The error
# travels back through h.

import math


# Lesson 04's squashing function; the tutor runs it without
# stepping in.
def sigmoid(z):  # untraced
    return 1 / (1 + math.exp(-z))


# (x, y): answer 1 for 0, and 0 for 1 (the logic gate NOT)
data = [(0, 1), (1, 0)]
n = len(data)  # the number of examples
w = 0.5  # the weight of x, into the hidden neuron
b_h = 0.0  # the hidden neuron's bias
v = 0.5  # the weight of h, into the output neuron
b = 0.0  # the output neuron's bias
lr = 2.0  # learning rate
nudge = 0.00001  # a tiny change of z_h, to measure a slope

for iteration in range(1, 201):
    # The average loss and gradients, one example at a time:
    cost = 0.0
    dJ_dw = 0.0
    dJ_db_h = 0.0
    dJ_dv = 0.0
    dJ_db = 0.0
    for x, y in data:
        # Forward: the hidden neuron, then the output neuron.
        z_h = w * x + b_h  # step: hidden
        h = sigmoid(z_h)  # step: hidden
        z = v * h + b  # step: output
        y_hat = sigmoid(z)  # step: output
        loss = (y_hat - y) ** 2  # step: loss
        # Backward: the output neuron, then the hidden neuron.
        dL_dy_hat = 2 * (y_hat - y)  # step: delta
        delta = dL_dy_hat * y_hat * (1 - y_hat)  # step: delta
        dL_dv = delta * h  # step: output-gradients
        dL_db = delta  # step: output-gradients
        dL_dh = delta * v  # step: delta-hidden
        delta_h = dL_dh * h * (1 - h)  # step: delta-hidden
        h_up = sigmoid(z_h + nudge)  # step: nudge
        z_up = v * h_up + b  # step: nudge
        loss_up = (sigmoid(z_up) - y) ** 2  # step: nudge
        h_down = sigmoid(z_h - nudge)  # step: nudge
        z_down = v * h_down + b  # step: nudge
        loss_down = (sigmoid(z_down) - y) ** 2  # step: nudge
        slope = (loss_up - loss_down) / nudge / 2  # step: nudge
        dL_dw = delta_h * x  # step: hidden-gradients
        dL_db_h = delta_h  # step: hidden-gradients
        cost = cost + loss / n  # step: cost
        dJ_dw = dJ_dw + dL_dw / n  # step: average
        dJ_db_h = dJ_db_h + dL_db_h / n  # step: average
        dJ_dv = dJ_dv + dL_dv / n  # step: average
        dJ_db = dJ_db + dL_db / n  # step: average
    w = w - lr * dJ_dw  # step: update
    b_h = b_h - lr * dJ_db_h  # step: update
    v = v - lr * dJ_dv  # step: update
    b = b - lr * dJ_db  # step: update

print(
    f"w = {w:.3f}, b_h = {b_h:.3f}, v = {v:.3f}, b = {b:.3f}"
    f" after {iteration} iterations"
)
print(f"the last cost was {cost:.4f}")
for x, y in data:
    print(
        f"x = {x}: target {y}, answer"
        f" {sigmoid(v * sigmoid(w * x + b_h) + b):.3f}"
    )
