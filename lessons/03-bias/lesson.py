# Lesson 03: a neuron with a weight and a bias learns y = 2x + 1.

# (x, y) pairs: y is 2x + 1
data = [(-1, -1), (0, 1), (1, 3), (2, 5)]
n = len(data)  # the number of examples
w = 0.5  # the weight: a poor first guess
b = 0.0  # the bias: starts at 0, where the neuron is lesson 02's
lr = 0.1  # learning rate: how big each correction is

for iteration in range(1, 41):
    cost = 0.0  # the average loss, built up example by example
    dJ_dw = 0.0  # the average gradients, built up the same way
    dJ_db = 0.0
    for x, y in data:  # step: data
        y_hat = w * x + b  # step: predict
        loss = (y_hat - y) ** 2  # step: loss
        dL_dy_hat = 2 * (y_hat - y)  # step: slope-loss
        dL_dw = dL_dy_hat * x  # step: gradient-w
        dL_db = dL_dy_hat  # step: gradient-b
        cost = cost + loss / n  # step: cost
        dJ_dw = dJ_dw + dL_dw / n  # step: average
        dJ_db = dJ_db + dL_db / n  # step: average
    w = w - lr * dJ_dw  # step: update
    b = b - lr * dJ_db  # step: update

print(
    f"w = {w:.4f}, b = {b:.4f} after {iteration} iterations;"
    f" the last cost was {cost:.6f}"
)
