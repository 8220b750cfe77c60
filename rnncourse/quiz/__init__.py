"""Quizzes that answer back: shape, numeric and multiple-choice questions, kept in a question bank.

A question checks a response and says *why* it is wrong, in the course notation:

>>> q = ShapeQuestion("Shape of W = [W_F | W_R]?", answer=(7, 10), name="W",
...                   related={"W_F": (7, 3), "W_R": (7, 7)})
>>> q.check("10 x 7").message[:34]
'Not yet: (10, 7) looks transposed.'
>>> q.check("(7, 10)").correct
True

The course's questions are data: one JSON file per notebook in
``rnncourse/quiz/bank/``. A quiz cell is one line, ``quiz.ask("w_f1")``, which
shows the question of that id from the bank of the notebook named by
`set_notebook`; the answer is not in the cell.

In JupyterLab, showing a question draws a small form: an input, a Check button,
a feedback line, a hint after a wrong attempt and the explanation after a right
one (or after `MAX_ATTEMPTS` tries). Anywhere else (a console, a static render)
the question shows as text and is answered with ``q.check(...)``.

Responses are *parsed*, never evaluated: whatever is typed, ``check`` returns a
`Feedback` and never raises (under the test suite, with ``RNNCOURSE_STRICT=1``,
an internal error propagates instead). Every check is recorded by
`rnncourse.progress`.

One module per job:

- `parse`: reading shapes and numbers
- `feedback`: the verdict and the text helpers
- `question`: the base class; `shape`, `numeric`, `choice`: the kinds and their diagnoses
- `form`: the ipywidgets form (ipywidgets is imported only when a question is displayed)
- `registry`: the notebook, the answer key of the questions shown, `css_safe`
- `bank`: loading and validating the question bank, `ask`
"""

from __future__ import annotations

from .bank import BankError, ask, bank_path, load_bank, notebooks_with_a_bank
from .choice import ChoiceQuestion
from .feedback import MAX_ATTEMPTS, MAX_RESPONSE_CHARS, STRICT_ENV, Feedback, strict
from .numeric import NumericQuestion
from .parse import parse_number, parse_shape
from .question import Question
from .registry import _displayed, answer_key, css_safe, current_notebook, set_notebook
from .shape import ShapeQuestion

__all__ = [
    "Feedback",
    "Question",
    "ShapeQuestion",
    "NumericQuestion",
    "ChoiceQuestion",
    "set_notebook",
    "current_notebook",
    "answer_key",
    "css_safe",
    "parse_shape",
    "parse_number",
    "ask",
    "load_bank",
    "bank_path",
    "notebooks_with_a_bank",
    "BankError",
    "MAX_ATTEMPTS",
    "MAX_RESPONSE_CHARS",
    "STRICT_ENV",
    "strict",
    "_displayed",
]
