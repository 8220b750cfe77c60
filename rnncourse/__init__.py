"""rnncourse: recurrent neural networks from scratch, in NumPy, for the course notebooks.

Modules (one idea each):

- `rnncourse.rnn`: the recurrent cell, a whole sequence, and BPTT
- `rnncourse.activations`: tanh, sigmoid, relu, linear and their derivatives
- `rnncourse.losses`: softmax and cross-entropy (last step, or every step with a mask)
- `rnncourse.optim`: SGD, Adam, clipping by norm and by value
- `rnncourse.gradcheck`: numerical gradients and the relative error
- `rnncourse.dims`: every shape of the network, from the notation
- `rnncourse.errors`: the errors that teach

Importing `rnncourse` loads NumPy only; the modules that draw or interact
(figures, widgets, quiz widgets) import matplotlib and ipywidgets themselves.
"""

from .errors import ShapeError

__version__ = "0.1.0"
__all__ = ["ShapeError", "__version__"]
