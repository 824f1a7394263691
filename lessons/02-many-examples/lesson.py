# Lesson 02: one neuron learns y = 2x from four examples.

# (x, y) pairs: y is twice x
data = [(1, 2), (2, 4), (3, 6), (4, 8)]
n = len(data)  # the number of examples
w = 0.5  # the only weight: a poor first guess
lr = 0.02  # learning rate: how big each correction is

for iteration in range(1, 21):
    cost = 0.0  # the average loss, built up example by example
    dJ_dw = 0.0  # the average gradient, built up the same way
    for x, y in data:  # step: data
        y_hat = w * x  # step: predict
        loss = (y_hat - y) ** 2  # step: loss
        dL_dw = 2 * (y_hat - y) * x  # step: gradient
        cost = cost + loss / n  # step: cost
        dJ_dw = dJ_dw + dL_dw / n  # step: average
    w = w - lr * dJ_dw  # step: update

print(
    f"w = {w:.4f} after {iteration} iterations;"
    f" the last cost was {cost:.6f}"
)
