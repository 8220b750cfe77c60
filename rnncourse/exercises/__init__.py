"""Checkers for the code learners write themselves, and the library of known bugs they name.

Each checker takes the learner's function, runs it on several random cases (every
size different, so a transposed matrix cannot hide) and returns an
`ExerciseFeedback` (``.correct``, ``.message``) that shows as Markdown in a notebook
and as plain text in a console. A wrong result is compared with the known-wrong
versions in `bugs` and `bugs_training`; when one matches, the message names the
mistake in the course notation and the equation to revisit. Every check is
recorded in the progress store like a quiz answer.

========================  ========  =====================================================
checker                   notebook  the learner's function
========================  ========  =====================================================
check_cell_forward        02        fn(x_t, a_prev, W_F, W_R, b) -> a_t
check_forward             04        fn(X, a0, W_F, W_R, b) -> A
check_backward            08        fn(dA, X, A, a0, W_F, W_R) -> {"W_F", "W_R", "b", "a0"}
check_sample              09        fn(logits, temperature, rng) -> int
check_clip_by_norm        10        fn(grads, max_norm) -> a new dict
check_lstm_cell_forward   11        fn(x_t, a_prev, c_prev, params) -> (a_t, c_t)
check_embedding_backward  12        fn(dx_t, tokens, vocab_size) -> dE
========================  ========  =====================================================

In a notebook an exercise is two cells. The stub (cell metadata
``{"rnncourse": {"exercise": "cell_forward", "role": "stub"}}``) defines the function,
with its docstring, and ends in ``raise NotImplementedError``; the check (role
``"check"``) is one call, ``check_cell_forward(cell_forward)``. Until the learner
writes the function, the check says "not written yet" and what to do, so the notebook
runs top to bottom. The stub's function name is the name of its reference in
`solutions`, whose bodies the nbgrader export (`rnncourse.classroom`) pastes into
the solution cells; each uses only ``np``.

Hints escalate with the wrong attempts of the session (`reset_attempts` starts
again): a hint, then the equation, then where the course's own implementation
lives. A learner's function runs with a time limit (`runner.TIME_LIMIT_S`, or the
checker's ``time_limit``). The package imports NumPy only.

Module by module: `engine` (the loop every checker shares), `runner` (running the
learner's function safely), `feedback` (the verdict and its two renderings),
`bugs` and `bugs_training` (the known bugs and the equations), `check_rnn` and
`check_training` (the checkers), `solutions` (the references).
"""

from .check_rnn import check_backward, check_cell_forward, check_forward
from .check_training import (
    check_clip_by_norm,
    check_embedding_backward,
    check_lstm_cell_forward,
    check_sample,
)
from .feedback import ExerciseFeedback, reset_attempts

__all__ = [
    "ExerciseFeedback",
    "check_cell_forward",
    "check_forward",
    "check_backward",
    "check_sample",
    "check_clip_by_norm",
    "check_lstm_cell_forward",
    "check_embedding_backward",
    "reset_attempts",
]
