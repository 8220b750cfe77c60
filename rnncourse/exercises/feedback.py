"""What a checker returns: a verdict with a message for the notebook and for the console.

Messages are written once, in a small markup: ``**bold**``, ``code`` in backticks,
and maths as ``{{latex :: plain text}}``. The notebook shows the LaTeX (``$latex$``
in `_repr_markdown_`); the console shows the plain text (`__str__`), so a learner
never reads a raw ``$`` or backslash there.

This module also keeps the attempts of this session per exercise (hints escalate
with them) and records every check in the progress store, as the quizzes do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ExerciseFeedback", "to_markdown", "to_text", "attempts", "reset_attempts"]

_MATH = re.compile(r"\{\{(.+?) :: (.+?)\}\}", re.DOTALL)

_attempts: dict[str, int] = {}  # exercise id -> wrong attempts in this session


def to_markdown(markup: str) -> str:
    """The markup as Markdown, maths as inline LaTeX."""
    return _MATH.sub(lambda m: f"${m.group(1).strip()}$", markup)


def to_text(markup: str) -> str:
    """The markup as plain text: maths in its plain form, no ``**``."""
    text = _MATH.sub(lambda m: m.group(2).strip(), markup)
    return text.replace("**", "")


@dataclass(frozen=True, repr=False)
class ExerciseFeedback:
    """The verdict of one check.

    Attributes
    ----------
    correct : whether the learner's function passed every case.
    exercise : the exercise id, e.g. ``"cell_forward"``.
    markup : the message in the markup above (see `message` and `_repr_markdown_`).
    bug : id of the known bug that was recognised, or ``""``.
    kind : ``"correct"``, ``"stub"``, ``"error"``, ``"timeout"``, ``"type"``,
        ``"shape"``, ``"nan"``, ``"mutated"``, ``"bug"`` or ``"wrong"``.
    """

    correct: bool
    exercise: str
    markup: str
    bug: str = ""
    kind: str = ""

    @property
    def message(self) -> str:
        """The message as plain text."""
        return to_text(self.markup)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:  # a console shows the verdict itself, not the record
        return self.message

    def __bool__(self) -> bool:
        return self.correct

    def _repr_markdown_(self) -> str:
        return to_markdown(self.markup).replace("\n", "\n\n")


def attempts(exercise: str) -> int:
    """Wrong attempts at `exercise` in this session."""
    return _attempts.get(exercise, 0)


def count_wrong(exercise: str) -> int:
    """Add one wrong attempt and return the new count."""
    _attempts[exercise] = _attempts.get(exercise, 0) + 1
    return _attempts[exercise]


def reset_attempts(exercise: str | None = None) -> None:
    """Forget the attempts of one exercise (or of all), so the hints start again."""
    if exercise is None:
        _attempts.clear()
    else:
        _attempts.pop(exercise, None)


def record(notebook: str, exercise: str, response: str, correct: bool) -> None:
    """Record one check in the progress store, like a quiz answer. Never raises."""
    try:
        from rnncourse import progress

        progress.record(notebook, exercise, response, correct)
    except Exception:  # a store that fails must not break an exercise
        pass
