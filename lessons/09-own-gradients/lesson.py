# Lesson 09: a network that computes its own gradients.

import math
import random


def sigmoid(z):  # lesson 04's squashing function  # untraced
    return 1 / (1 + math.exp(-z))


class Node:
    """A number that remembers how it was made."""

    def __init__(self, value, parents=()):
        self.value = value  # the number itself
        self.grad = 0.0  # dL/d(this node): backward fills it in
        self.parents = parents  # the nodes it was made from
        self.local_backward = lambda: None  # a leaf: nothing

    def __add__(self, other):
        out = Node(self.value + other.value, (self, other))

        def local_backward():  # d(a + b)/da = d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out.local_backward = local_backward
        return out

    def __mul__(self, other):
        out = Node(self.value * other.value, (self, other))

        def local_backward():  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.value * out.grad
            other.grad += self.value * out.grad

        out.local_backward = local_backward
        return out

    def sigmoid(self):
        out = Node(sigmoid(self.value), (self,))

        def local_backward():  # dσ(z)/dz = σ(z)(1 − σ(z))
            self.grad += out.value * (1 - out.value) * out.grad

        out.local_backward = local_backward
        return out

    def squared_error(self, target):  # (a − y)², y a number
        out = Node((self.value - target) ** 2, (self,))

        def local_backward():  # d(a − y)²/da = 2(a − y)
            self.grad += 2 * (self.value - target) * out.grad

        out.local_backward = local_backward
        return out

    def backward(self):
        order = []  # each node after the nodes it is made of
        seen = set()

        def visit(node):
            if node not in seen:
                seen.add(node)
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0  # dL/dL = 1
        for node in reversed(order):  # the loss first
            node.local_backward()


def network_08(params, x1, x2, y1, y2):  # untraced
    """Lesson 08's network, wired from nodes: its loss node."""
    W1, W2, W3, W4, W5, W6, W7, W8, B1, B2, B3, B4 = params
    X1, X2 = Node(x1), Node(x2)
    H1 = (W1 * X1 + W2 * X2 + B1).sigmoid()
    H2 = (W3 * X1 + W4 * X2 + B2).sigmoid()
    Y1 = (W5 * H1 + W6 * H2 + B3).sigmoid()
    Y2 = (W7 * H1 + W8 * H2 + B4).sigmoid()
    return Y1.squared_error(y1) + Y2.squared_error(y2)


def train_08_nodes(iterations):  # untraced
    """Lesson 08's training, every gradient by backward()."""
    weights = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    values = weights + [0.1, 0.1, 0.2, 0.2]
    for _ in range(iterations):
        params = [Node(value) for value in values]
        L = network_08(params, 1.0, 0.5, 0.2, 0.9)
        L.backward()
        values = [p.value - 0.5 * p.grad for p in params]
    return values


def train_08_by_hand(iterations):  # untraced
    """Lesson 08's own code, copied: the reference."""
    w1, w2, w3, w4 = 0.1, 0.2, 0.3, 0.4
    w5, w6, w7, w8 = 0.5, 0.6, 0.7, 0.8
    b1, b2, b3, b4 = 0.1, 0.1, 0.2, 0.2
    x1, x2, y1, y2, lr = 1.0, 0.5, 0.2, 0.9, 0.5
    for _ in range(iterations):
        h1 = sigmoid(w1 * x1 + w2 * x2 + b1)
        h2 = sigmoid(w3 * x1 + w4 * x2 + b2)
        y_hat1 = sigmoid(w5 * h1 + w6 * h2 + b3)
        y_hat2 = sigmoid(w7 * h1 + w8 * h2 + b4)
        d3 = 2 * (y_hat1 - y1) * y_hat1 * (1 - y_hat1)
        d4 = 2 * (y_hat2 - y2) * y_hat2 * (1 - y_hat2)
        d1 = (d3 * w5 + d4 * w7) * h1 * (1 - h1)
        d2 = (d3 * w6 + d4 * w8) * h2 * (1 - h2)
        w1, w2 = w1 - lr * d1 * x1, w2 - lr * d1 * x2
        b1 = b1 - lr * d1
        w3, w4 = w3 - lr * d2 * x1, w4 - lr * d2 * x2
        b2 = b2 - lr * d2
        w5, w6 = w5 - lr * d3 * h1, w6 - lr * d3 * h2
        b3 = b3 - lr * d3
        w7, w8 = w7 - lr * d4 * h1, w8 - lr * d4 * h2
        b4 = b4 - lr * d4
    return [w1, w2, w3, w4, w5, w6, w7, w8, b1, b2, b3, b4]


def loss_from_hidden(h1, h2):  # untraced
    """Lesson 08's forward pass from h1 and h2 on."""
    H1, H2 = Node(h1), Node(h2)
    Y1 = (Node(w5) * H1 + Node(w6) * H2 + Node(b3)).sigmoid()
    Y2 = (Node(w7) * H1 + Node(w8) * H2 + Node(b4)).sigmoid()
    L = Y1.squared_error(y1) + Y2.squared_error(y2)
    return L.value


def loss_of_08(values):  # untraced
    """The loss of lesson 08's network with these weights."""
    params = [Node(value) for value in values]
    return network_08(params, 1.0, 0.5, 0.2, 0.9).value


XOR = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def start_07():  # untraced
    """Lesson 07's random start: w1, w2, b_h, v, u1, u2, b."""
    random.seed(0)
    return [random.uniform(-1, 1) for _ in range(7)]


def train_07_nodes(iterations):  # untraced
    """Lesson 07's network with skip wires, wired from nodes."""
    values = start_07()
    for _ in range(iterations):
        params = [Node(value) for value in values]
        W1, W2, B_H, V, U1, U2, B = params
        J = Node(0.0)
        for x1, x2, y in XOR:
            X1, X2 = Node(x1), Node(x2)
            H = (W1 * X1 + W2 * X2 + B_H).sigmoid()
            Z = V * H + U1 * X1 + U2 * X2 + B  # the skip wires
            J = J + Z.sigmoid().squared_error(y) * Node(1 / 4)
        J.backward()
        values = [p.value - 10.0 * p.grad for p in params]
    return values, J.value


def train_07_by_hand(iterations):  # untraced
    """Lesson 07's own code, copied: the reference."""
    w1, w2, b_h, v, u1, u2, b = start_07()
    for _ in range(iterations):
        g = [0.0] * 7
        for x1, x2, y in XOR:
            h = sigmoid(w1 * x1 + w2 * x2 + b_h)
            y_hat = sigmoid(v * h + u1 * x1 + u2 * x2 + b)
            d = 2 * (y_hat - y) * y_hat * (1 - y_hat)
            d_h = d * v * h * (1 - h)
            part = [d_h * x1, d_h * x2, d_h]
            part += [d * h, d * x1, d * x2, d]
            g = [a + p / 4 for a, p in zip(g, part, strict=True)]
        new = [w1, w2, b_h, v, u1, u2, b]
        new = [p - 10.0 * a for p, a in zip(new, g, strict=True)]
        w1, w2, b_h, v, u1, u2, b = new
    return [w1, w2, b_h, v, u1, u2, b]


def largest_difference(a, b):  # untraced
    return max(abs(p - q) for p, q in zip(a, b, strict=True))


# Lesson 08's example: two inputs, two hidden, two outputs.
x1, x2, y1, y2 = 1.0, 0.5, 0.2, 0.9
w1, w2, w3, w4 = 0.1, 0.2, 0.3, 0.4  # input -> hidden
w5, w6, w7, w8 = 0.5, 0.6, 0.7, 0.8  # hidden -> output
b1, b2, b3, b4 = 0.1, 0.1, 0.2, 0.2  # one bias per neuron
lr = 0.5

for iteration in range(1, 3):
    # The leaves: every weight and input wrapped in a node.
    X1, X2 = Node(x1), Node(x2)
    W1, W2, W3, W4 = Node(w1), Node(w2), Node(w3), Node(w4)
    W5, W6, W7, W8 = Node(w5), Node(w6), Node(w7), Node(w8)
    B1, B2, B3, B4 = Node(b1), Node(b2), Node(b3), Node(b4)
    # Forward: each operation adds a node to the graph.
    Z1 = W1 * X1 + W2 * X2 + B1
    H1 = Z1.sigmoid()
    Z2 = W3 * X1 + W4 * X2 + B2
    H2 = Z2.sigmoid()
    Z3 = W5 * H1 + W6 * H2 + B3
    Y1 = Z3.sigmoid()
    Z4 = W7 * H1 + W8 * H2 + B4
    Y2 = Z4.sigmoid()
    L = Y1.squared_error(y1) + Y2.squared_error(y2)
    # Plain copies of the node values, for the equations.
    h1 = H1.value  # step: forward
    h2 = H2.value  # step: forward
    y_hat1 = Y1.value  # step: forward
    y_hat2 = Y2.value  # step: forward
    loss = L.value  # step: forward
    # Backward: one call fills in every node's grad.
    L.backward()
    delta3 = Z3.grad  # step: delta-output
    delta4 = Z4.grad  # step: delta-output
    dL_dh1 = H1.grad  # step: two-paths
    # Check it by a nudge: raise h1 a little, run forward again.
    nudge = 1e-6
    loss_nudged = loss_from_hidden(h1 + nudge, h2)
    loss_change = loss_nudged - loss  # step: nudge
    slope = loss_change / nudge  # step: nudge
    dL_dw1 = W1.grad  # step: gradients
    dL_dw5 = W5.grad  # step: gradients
    dL_dw7 = W7.grad  # step: gradients
    # The update: every node moves against its own grad.
    params = [W1, W2, W3, W4, W5, W6, W7, W8, B1, B2, B3, B4]
    new = [p.value - lr * p.grad for p in params]
    w1, w2, w3, w4, w5, w6, w7, w8, b1, b2, b3, b4 = new

# The same nodes, trained as lessons 08 and 07 were trained.
nodes_08 = train_08_nodes(300)
hand_08 = train_08_by_hand(300)
diff_08 = largest_difference(nodes_08, hand_08)  # step: rebuilt
loss_08 = loss_of_08(nodes_08)  # the loss after 300 iterations
nodes_07, cost = train_07_nodes(600)
hand_07 = train_07_by_hand(600)
diff_07 = largest_difference(nodes_07, hand_07)  # step: rebuilt
print(f"lesson 08, 300 iterations: difference {diff_08:.1e}")
print(f"lesson 07, 600 iterations: difference {diff_07:.1e}")
print(f"lesson 07's cost after 600 iterations: {cost:.4f}")
