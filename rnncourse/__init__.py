"""rnncourse: recurrent neural networks from scratch, in NumPy, for the course notebooks.

Modules (one idea each):

- `rnncourse.rnn`: the recurrent cell, a whole sequence as the loop over it, and BPTT
  (with `forward_fast` / `backward_fast`, the same computed faster)
- `rnncourse.activations`: tanh, sigmoid, relu, linear and their derivatives
- `rnncourse.losses`: softmax, log-softmax and cross-entropy (last step, or every step with a mask)
- `rnncourse.optim`: SGD, Adam, clipping by norm and by value
- `rnncourse.gradcheck`: numerical gradients and the relative error
- `rnncourse.dims`: every shape of the network, from the notation
- `rnncourse.errors`: the errors that teach
- `rnncourse.lstm`, `rnncourse.gru` (with `rnncourse.gates`): the gated cells, step and sequence;
  `rnncourse.cells` names all three cells in one place
- `rnncourse.tasks` and `rnncourse.language`: small synthetic data sets, made on the fly and seeded
- `rnncourse.models` (with `heads`, `training` and `generative`): many-to-one, many-to-many,
  encoder-decoder and one-to-many models, and the one fit loop they share
- `rnncourse.gradients`: gradient norms through time, the singular-value bound, the cliff
- `rnncourse.longlag`: the long-lag experiment of notebooks 10 and 11
- `rnncourse.text`: the character language model of notebook 12; `rnncourse.sorting`: learning to sort
- `rnncourse.quiz` and `rnncourse.progress`: the quizzes and the learner's saved answers
- `rnncourse.exercises`: the checkers of the code you write yourself, and the bugs they recognise
- `rnncourse.explorers`: the slider explorers; `rnncourse.music`: melodies as piano rolls and sound
- `rnncourse.palette`: the course's colours; `rnncourse.timing`: fair timings on a busy machine
- `rnncourse.launch` and `rnncourse.classroom`: `python -m rnncourse lab` and `python -m rnncourse nbgrader`

Importing `rnncourse` loads NumPy only; the modules that draw or interact
(explorers, quiz widgets) import matplotlib and ipywidgets themselves. The tools
around the course live beside the package, not in it: the figure builder in
``tools/figures``, the benchmarks in ``benchmarks/``, the browser driver in
``tests/browser``.
"""

from .errors import ShapeError

__version__ = "0.1.0"
__all__ = ["ShapeError", "__version__"]
