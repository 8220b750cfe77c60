"""rnncourse: recurrent neural networks from scratch, in NumPy, for the course notebooks.

Modules (one idea each):

- `rnncourse.rnn`: the recurrent cell, a whole sequence, and BPTT
- `rnncourse.activations`: tanh, sigmoid, relu, linear and their derivatives
- `rnncourse.losses`: softmax and cross-entropy (last step, or every step with a mask)
- `rnncourse.optim`: SGD, Adam, clipping by norm and by value
- `rnncourse.gradcheck`: numerical gradients and the relative error
- `rnncourse.dims`: every shape of the network, from the notation
- `rnncourse.errors`: the errors that teach
- `rnncourse.tasks`: small synthetic data sets, made on the fly and seeded
- `rnncourse.models`: many-to-one, many-to-many, encoder-decoder and one-to-many models
- `rnncourse.gradients`: gradient norms through time, the singular-value bound, the cliff
- `rnncourse.cells`: LSTM and GRU cells with their backward passes
- `rnncourse.longlag`: the long-lag experiment of notebooks 10 and 11
- `rnncourse.quiz` and `rnncourse.progress`: the quizzes and the learner's saved answers
- `rnncourse.explorers`: the slider explorers; `rnncourse.music`: melodies as piano rolls and sound
- `rnncourse.timing`: fair timings on a busy machine (interleaved comparisons), for notebook 06

Importing `rnncourse` loads NumPy only; the modules that draw or interact
(explorers, quiz widgets) import matplotlib and ipywidgets themselves. The tools
around the course live beside the package, not in it: the figure builder in
``tools/figures``, the benchmarks in ``benchmarks/``, the browser driver in
``tests/browser``.
"""

from .errors import ShapeError

__version__ = "0.1.0"
__all__ = ["ShapeError", "__version__"]
