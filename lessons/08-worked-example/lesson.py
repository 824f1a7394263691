# Lesson 08: a complete worked example. Two inputs, two hidden
# neurons, two outputs.

import math


# Lesson 04's squashing function; the tutor runs it without
# stepping in.
def sigmoid(z):  # untraced
    return 1 / (1 + math.exp(-z))


# The example: two inputs, and the two answers we want for them.
x1 = 1.0
x2 = 0.5
y1 = 0.2
y2 = 0.9

# The starting weights and biases, and the learning rate.
w1, w2, w3, w4 = 0.1, 0.2, 0.3, 0.4  # input -> hidden
w5, w6, w7, w8 = 0.5, 0.6, 0.7, 0.8  # hidden -> output
b1, b2, b3, b4 = 0.1, 0.1, 0.2, 0.2  # one bias per neuron
lr = 0.5
nudge = 1e-6  # a small change of h1, to measure a slope

for iteration in range(1, 301):
    # Forward: the hidden neurons, then the output neurons.
    z1 = w1 * x1 + w2 * x2 + b1  # step: hidden
    h1 = sigmoid(z1)  # step: hidden
    z2 = w3 * x1 + w4 * x2 + b2  # step: hidden
    h2 = sigmoid(z2)  # step: hidden
    z3 = w5 * h1 + w6 * h2 + b3  # step: output
    y_hat1 = sigmoid(z3)  # step: output
    z4 = w7 * h1 + w8 * h2 + b4  # step: output
    y_hat2 = sigmoid(z4)  # step: output
    loss = (y_hat1 - y1) ** 2 + (y_hat2 - y2) ** 2  # step: loss

    # Backward: the error signal delta = dL/dz of every neuron,
    # outputs first.
    dL_dy_hat1 = 2 * (y_hat1 - y1)  # step: delta-output
    delta3 = (  # step: delta-output
        dL_dy_hat1 * y_hat1 * (1 - y_hat1)  # step: delta-output
    )  # step: delta-output
    dL_dy_hat2 = 2 * (y_hat2 - y2)  # step: delta-output
    delta4 = (  # step: delta-output
        dL_dy_hat2 * y_hat2 * (1 - y_hat2)  # step: delta-output
    )  # step: delta-output
    dL_dh1 = delta3 * w5 + delta4 * w7  # step: delta-hidden
    delta1 = dL_dh1 * h1 * (1 - h1)  # step: delta-hidden
    # Check the two paths: h1 up by a nudge, forward again.
    z3_nudged = z3 + w5 * nudge  # step: nudge
    z4_nudged = z4 + w7 * nudge  # step: nudge
    loss_nudged = (  # step: nudge
        (sigmoid(z3_nudged) - y1) ** 2  # step: nudge
        + (sigmoid(z4_nudged) - y2) ** 2  # step: nudge
    )  # step: nudge
    slope = (loss_nudged - loss) / nudge  # step: nudge
    dL_dh2 = delta3 * w6 + delta4 * w8  # step: delta-h2
    delta2 = dL_dh2 * h2 * (1 - h2)  # step: delta-h2

    # The gradient of every weight and bias.
    dL_dw5 = delta3 * h1  # step: gradient-output
    dL_dw6 = delta3 * h2  # step: gradient-output
    dL_db3 = delta3  # step: gradient-output
    dL_dw7 = delta4 * h1  # step: gradient-output
    dL_dw8 = delta4 * h2  # step: gradient-output
    dL_db4 = delta4  # step: gradient-output
    dL_dw1 = delta1 * x1  # step: gradient-hidden
    dL_dw2 = delta1 * x2  # step: gradient-hidden
    dL_db1 = delta1  # step: gradient-hidden
    dL_dw3 = delta2 * x1  # step: gradient-hidden
    dL_dw4 = delta2 * x2  # step: gradient-hidden
    dL_db2 = delta2  # step: gradient-hidden

    # Update: every weight and bias moves against its gradient.
    w1 = w1 - lr * dL_dw1  # step: update
    w2 = w2 - lr * dL_dw2  # step: update
    w3 = w3 - lr * dL_dw3  # step: update
    w4 = w4 - lr * dL_dw4  # step: update
    w5 = w5 - lr * dL_dw5  # step: update
    w6 = w6 - lr * dL_dw6  # step: update
    w7 = w7 - lr * dL_dw7  # step: update
    w8 = w8 - lr * dL_dw8  # step: update
    b1 = b1 - lr * dL_db1  # step: update
    b2 = b2 - lr * dL_db2  # step: update
    b3 = b3 - lr * dL_db3  # step: update
    b4 = b4 - lr * dL_db4  # step: update

print(
    f"after {iteration} iterations:"
    f" y_hat1 = {y_hat1:.4f}, y_hat2 = {y_hat2:.4f}"
)
print(f"the last loss was {loss:.2e}")
