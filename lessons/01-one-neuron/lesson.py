# Lesson 01: one neuron, one weight, learns to double its input.

x = 1.0  # the input
y = 2.0  # the answer we want: twice the input  # step: target
w = 0.5  # the only weight: a poor first guess
lr = 0.1  # learning rate: how big each correction is
nudge = 0.001  # a small change of w, to measure the slope

for iteration in range(1, 21):
    y_hat = w * x  # step: predict
    loss = (y_hat - y) ** 2  # step: loss
    loss_nudged = ((w + nudge) * x - y) ** 2  # step: measure
    slope = (loss_nudged - loss) / nudge  # step: measure
    dL_dy_hat = 2 * (y_hat - y)  # step: slope-loss
    dy_hat_dw = x  # step: slope-predict
    dL_dw = dL_dy_hat * dy_hat_dw  # step: gradient
    w = w - lr * dL_dw  # step: update

print(f"w = {w:.4f} after {iteration} iterations")
