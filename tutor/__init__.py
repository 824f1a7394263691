"""nn-tutor: learn how a neural network works, one neuron at a time."""

__version__ = "0.1.0"
