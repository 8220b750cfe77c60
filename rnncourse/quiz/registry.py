"""Which notebook the questions belong to, and the answer key of the questions shown.

The browser tests call `answer_key()` inside the kernel and find each quiz's
widget by its CSS class ``"rnncourse-quiz-" + css_safe(qid)``: both are a contract.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .question import Question

_notebook: str | None = None
_displayed: dict[str, Question] = {}  # qid -> question, in display order


def set_notebook(name: str | None) -> None:
    """Set the notebook that questions created from now on belong to (``None`` forgets it).

    Parameters
    ----------
    name : e.g. ``"05_dimensions"``; a trailing ``.ipynb`` and any folder are dropped.
    """
    global _notebook
    _notebook = _clean_notebook(name) if name else None


def current_notebook() -> str:
    """The notebook a new question belongs to.

    The name given to `set_notebook`, else the file name (without ``.ipynb``) of
    the ``JPY_SESSION_NAME`` environment variable that JupyterLab sets, else
    ``"unknown"``.
    """
    if _notebook:
        return _notebook
    session = os.environ.get("JPY_SESSION_NAME")
    return _clean_notebook(session) if session else "unknown"


def _clean_notebook(name: str) -> str:
    base = re.split(r"[\\/]", str(name).strip())[-1]
    if base.lower().endswith(".ipynb"):
        base = base[: -len(".ipynb")]
    return base or "unknown"


def css_safe(qid: str) -> str:
    """The question id as used in the CSS class ``rnncourse-quiz-<qid>``.

    Letters, digits, ``-`` and ``_`` are kept; every other character becomes ``-``.
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(qid))


def answer_key() -> list[dict]:
    """The answer key of every question shown as a widget in this kernel, in display order.

    For teachers, and for the browser tests that answer each quiz in JupyterLab.

    Returns
    -------
    One dict per question: ``qid``; ``kind`` (``"shape"``, ``"numeric"`` or
    ``"choice"``); ``right``, a response the checker accepts; and ``wrong``, one
    it rejects with a diagnosis. Responses are text to type, except for choice
    questions, where they are lists of option texts to tick. The CSS class of
    the question's widget is ``"rnncourse-quiz-" + css_safe(qid)``.
    """
    key = []
    for q in _displayed.values():
        right, wrong = q._key()
        key.append({"qid": q.qid, "kind": q.kind, "right": right, "wrong": wrong})
    return key


def register(question: Question) -> None:
    """Add a question whose widget was built to the answer key (a re-run cell keeps its place)."""
    _displayed[question.qid] = question
