"""Quizzes that answer back: shape, numeric and multiple-choice questions.

A question checks a response and says *why* it is wrong, in the course notation:

>>> q = ShapeQuestion("Shape of W = [W_F | W_R]?", answer=(7, 10), name="W",
...                   related={"W_F": (7, 3), "W_R": (7, 7)})
>>> q.check("10 x 7").message[:34]
'Not yet: (10, 7) looks transposed.'
>>> q.check("(7, 10)").correct
True

In JupyterLab, showing a question (``display(q)``, or ``q`` last in a cell) draws
a small form: an input, a Check button, a feedback line, a hint after a wrong
attempt and the explanation after a right one (or after `MAX_ATTEMPTS` tries).
Anywhere else (a console, a static render) the question shows as text and is
answered with ``q.check(...)``.

Responses are *parsed*, never evaluated: whatever is typed, ``check`` returns a
`Feedback` and never raises. Every check is recorded by `rnncourse.progress`.

The widgets are imported only when a question is displayed, so importing this
module needs neither ipywidgets nor IPython.
"""

from __future__ import annotations

import hashlib
import html
import math
import numbers
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = [
    "Feedback",
    "Question",
    "ShapeQuestion",
    "NumericQuestion",
    "ChoiceQuestion",
    "set_notebook",
    "current_notebook",
    "answer_key",
]

MAX_ATTEMPTS = 3  # wrong attempts after which the explanation is shown anyway
MAX_RESPONSE_CHARS = 200  # longer typed answers are refused with a message
_RECORD_CHARS = 1000  # responses are stored truncated to this length

_notebook: str | None = None
_displayed: dict[str, Question] = {}  # qid -> question, in display order


# --------------------------------------------------------------------------- notebook


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


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """The verdict on one response.

    Attributes
    ----------
    correct : whether the response is accepted.
    message : starts with "Correct" or "Not yet", then says why.
    hint : the question's hint, after a wrong response ("" otherwise).
    explanation : the explanation, after a right response or `MAX_ATTEMPTS` wrong ones.
    """

    correct: bool
    message: str
    hint: str = ""
    explanation: str = ""

    def __str__(self) -> str:
        parts = [self.message]
        if self.hint:
            parts.append(f"Hint: {self.hint}")
        if self.explanation:
            parts.append(f"Explanation: {self.explanation}")
        return "\n".join(parts)

    def __bool__(self) -> bool:
        return self.correct

    def _repr_markdown_(self) -> str:
        return str(self).replace("\n", "\n\n")


def _right(text: str = "") -> tuple[bool, str]:
    return True, ("Correct! " + text).strip()


def _wrong(text: str) -> tuple[bool, str]:
    return False, "Not yet: " + text


class _Unreadable(Exception):
    """A response could not be read; the message says what to type instead."""


def _describe(value: Any) -> str:
    """A short, safe description of any object for messages."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


def _as_text(value: Any) -> str:
    """The response as stored in the progress database."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:
        text = f"<unprintable {type(value).__name__}>"
    return text[:_RECORD_CHARS]


def _normalize(text: str) -> str:
    """NFKC (full-width digits become ASCII), unify minus signs, strip spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u00a0", " ")
    return text.strip()


def _md(text: str) -> str:
    """Escape text for HTML, turning `code` spans into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


# --------------------------------------------------------------------------- base class


class Question:
    """What every question shares: id, notebook, attempts, display and recording.

    Parameters
    ----------
    prompt : the question, plain text (`code` spans and $LaTeX$ are fine).
    explanation : shown after a right answer, or after `MAX_ATTEMPTS` wrong ones.
    hint : shown after a wrong answer.
    qid : stable id; by default derived from a hash of the prompt.
    notebook : the notebook this question belongs to; default `current_notebook()`.
    """

    kind = "question"
    _default_hint = "Reread the question and try again."
    _placeholder = ""

    def __init__(
        self,
        prompt: str,
        *,
        explanation: str = "",
        hint: str = "",
        qid: str | None = None,
        notebook: str | None = None,
    ) -> None:
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError("A question needs a prompt: a non-empty string saying what to answer.")
        self.prompt = prompt.strip()
        self.explanation = explanation
        self.hint = hint or self._default_hint
        self.qid = str(qid) if qid else "q" + hashlib.sha1(self.prompt.encode("utf-8")).hexdigest()[:10]
        self.notebook = _clean_notebook(notebook) if notebook else current_notebook()
        self.attempts = 0
        self.solved = False

    # ---- checking -------------------------------------------------------------

    def check(self, response: Any) -> Feedback:
        """Check a response, record it, and say what is right or wrong. Never raises.

        Parameters
        ----------
        response : what the learner answered (text or a Python value).

        Returns
        -------
        Feedback with ``.correct`` and ``.message`` (plus ``.hint`` after a wrong
        answer and ``.explanation`` once it is due).
        """
        try:
            correct, message = self._judge(response)
        except _Unreadable as exc:
            correct, message = _wrong(str(exc))
        except Exception:  # a bug here must never reach the learner as a traceback
            correct, message = _wrong(
                f"I could not read {_describe(response)} as an answer. {self._format_help()}"
            )
        self.attempts += 1
        self.solved = self.solved or correct
        try:
            from rnncourse import progress

            progress.record(self.notebook, self.qid, _as_text(response), correct)
        except Exception:
            pass
        show_explanation = correct or self.attempts >= MAX_ATTEMPTS
        return Feedback(
            correct=bool(correct),
            message=message,
            hint="" if correct else self.hint,
            explanation=self._explanation_text() if show_explanation else "",
        )

    def _judge(self, response: Any) -> tuple[bool, str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _format_help(self) -> str:
        return ""

    def _explanation_text(self) -> str:
        return self.explanation or f"The answer is {self._right_text()}."

    def _right_text(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _key(self) -> tuple[Any, Any]:  # pragma: no cover - abstract
        """(a response the checker accepts, one it rejects with a diagnosis)."""
        raise NotImplementedError

    # ---- showing --------------------------------------------------------------

    def _instructions(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"Quiz ({self.kind}, {self.qid}): {self.prompt}"]
        lines += [
            self._instructions(),
            f"Answer in Python with q.check(...), e.g. q.check({self._example()!r}).",
        ]
        return "\n".join(line for line in lines if line)

    def _example(self) -> Any:
        return ""

    def _repr_markdown_(self) -> str:
        body = [f"**Quiz:** {self.prompt}"]
        if self._instructions():
            body.append(self._instructions())
        body.append(f"*Answer with* `q.check({self._example()!r})` *where widgets are not available.*")
        return "\n\n".join(body)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The widget for JupyterLab, with text and Markdown for everything else."""
        bundle = {"text/plain": repr(self), "text/markdown": self._repr_markdown_()}
        try:
            box = self.widget()
            view = box._repr_mimebundle_()
        except Exception:  # no ipywidgets, or no front end: the text is enough
            return bundle
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle

    def widget(self):
        """Build the form (an ``ipywidgets.VBox``) and add this question to `answer_key`.

        The outer box has the CSS classes ``rnncourse-quiz`` and
        ``rnncourse-quiz-<qid>``; the parts have ``rnncourse-quiz-input`` (or
        ``rnncourse-quiz-option``), ``rnncourse-quiz-check``,
        ``rnncourse-quiz-feedback``, ``rnncourse-quiz-hint`` and
        ``rnncourse-quiz-explanation``.
        """
        import ipywidgets as w

        prompt = w.HTMLMath(value=f"<b>Quiz.</b> {_md(self.prompt)}")
        prompt.add_class("rnncourse-quiz-prompt")
        inputs, read = self._inputs(w)
        button = w.Button(description="Check", button_style="primary", icon="check")
        button.add_class("rnncourse-quiz-check")
        feedback = w.HTML(value="")
        feedback.add_class("rnncourse-quiz-feedback")
        hint = w.HTML(value="", layout=w.Layout(display="none"))
        hint.add_class("rnncourse-quiz-hint")
        explanation = w.HTMLMath(value="", layout=w.Layout(display="none"))
        explanation.add_class("rnncourse-quiz-explanation")

        def show(fb: Feedback) -> None:
            color = "#1a7f37" if fb.correct else "#b35900"
            feedback.value = f'<span style="color:{color}">{html.escape(fb.message)}</span>'
            if fb.hint:
                hint.value = f"<i>Hint:</i> {_md(fb.hint)}"
                hint.layout.display = None
            if fb.explanation:
                explanation.value = f"<i>Explanation:</i> {_md(fb.explanation)}"
                explanation.layout.display = None
            if fb.correct:
                hint.layout.display = "none"

        state: dict[str, Any] = {"last": object()}

        def on_check(_=None) -> None:
            try:
                response = read()
                state["last"] = response
                show(self.check(response))
            except Exception as exc:  # never a traceback in the learner's notebook
                feedback.value = html.escape(f"Not yet: something went wrong while checking ({exc}).")

        def on_submit(change) -> None:  # Enter (or leaving the box) in a Text
            if change.get("name") == "value" and change.get("new", "").strip():
                on_check()

        def on_click(_b) -> None:
            response = read()
            if response == state["last"] and feedback.value:
                return  # already checked when the value was submitted
            on_check()

        button.on_click(on_click)
        for widget in inputs:
            if isinstance(widget, w.Text):
                widget.observe(on_submit, names="value")
        controls = w.VBox([*inputs, button]) if self.kind == "choice" else w.HBox([*inputs, button])
        box = w.VBox([prompt, controls, feedback, hint, explanation])
        box.add_class("rnncourse-quiz")
        box.add_class("rnncourse-quiz-" + css_safe(self.qid))
        box.layout.margin = "0.5em 0"
        box.layout.padding = "0.5em"
        box.layout.border = "1px solid #d0d7de"
        self._register()
        return box

    def _inputs(self, w):
        text = w.Text(
            value="",
            placeholder=self._placeholder,
            continuous_update=False,
            layout=w.Layout(width="16em"),
        )
        text.add_class("rnncourse-quiz-input")
        return [text], lambda: text.value

    def _register(self) -> None:
        _displayed[self.qid] = self  # a re-run cell keeps its place in the key


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


# --------------------------------------------------------------------------- shapes


_SEPARATORS = re.compile(r"\s*(?:,|;|\bby\b|[x×✕✖⨯*·])\s*|\s+", re.IGNORECASE)
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?|[+-]?[0-9]+e[+-]?[0-9]+", re.I)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_^{}\-]*")
_MAX_DIGITS = 12


def _fmt_shape(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def _dims_word(n: int) -> str:
    return f"{n} dimension" + ("" if n == 1 else "s")


def parse_shape(response: Any) -> tuple[int, ...]:
    """Read a shape leniently, without evaluating anything.

    Accepted: ``(7, 10)``, ``7x10``, ``7 × 10``, ``7 by 10``, ``[7,10]``, ``7,10``,
    ``(7,)``, a tuple or list of ints (NumPy ints too), a single int.

    Raises
    ------
    _Unreadable with a message saying what to type instead.
    """
    if response is None:
        raise _Unreadable("no answer given. Type a shape such as (2, 5).")
    if isinstance(response, bool):
        raise _Unreadable(f"{response} is not a shape. Type the sizes, e.g. (2, 5).")
    if isinstance(response, numbers.Integral):
        return (_check_size(int(response), response),)
    if isinstance(response, (bytes, bytearray)):
        try:
            response = bytes(response).decode("utf-8")
        except UnicodeDecodeError:
            raise _Unreadable("those bytes are not text. Type a shape such as (2, 5).") from None
    if isinstance(response, str):
        return _parse_shape_text(response)
    shape = getattr(response, "shape", None)
    ndim = getattr(response, "ndim", None)
    if shape is not None and ndim is not None and not isinstance(response, (tuple, list)):
        if ndim == 1 and getattr(getattr(response, "dtype", None), "kind", "") in "iu":
            return _parse_shape_seq(list(response))
        raise _Unreadable(
            f"that is an array of shape {_fmt_shape(tuple(shape))}, not a shape. "
            "To answer with an array's shape, pass `x.shape`."
        )
    if isinstance(response, (tuple, list)):
        return _parse_shape_seq(response)
    if isinstance(response, Mapping):
        raise _Unreadable("a dict is not a shape. Give the sizes as a tuple, e.g. (2, 5).")
    if isinstance(response, numbers.Number):
        raise _Unreadable(
            f"{_describe(response)} is not a whole number. Sizes of arrays are whole numbers, e.g. (2, 5)."
        )
    raise _Unreadable(
        f"I could not read {_describe(response)} (a {type(response).__name__}) as a shape. "
        "Type the sizes, e.g. (2, 5) or 2x5."
    )


def _check_size(n: int, shown: Any) -> int:
    if n < 0:
        raise _Unreadable(f"{_describe(shown)} is negative; an array cannot have a negative size.")
    if n == 0:
        raise _Unreadable(
            "a size of 0 would make an empty array; every dimension in this course is at least 1."
        )
    return n


def _parse_shape_seq(items: Sequence[Any]) -> tuple[int, ...]:
    if len(items) > 8:
        raise _Unreadable(
            f"that has {len(items)} dimensions; the arrays in this course have at most 3. Try e.g. (2, 5)."
        )
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            if isinstance(item, numbers.Real):
                raise _Unreadable(
                    f"{_describe(item)} is not a whole number. Sizes of arrays are whole numbers "
                    "(NumPy refuses a shape like (7.5, 10))."
                )
            raise _Unreadable(f"{_describe(item)} is not a size. Give whole numbers, e.g. (2, 5).")
        out.append(_check_size(int(item), item))
    return tuple(out)


def _parse_shape_text(text: str) -> tuple[int, ...]:
    if len(text) > MAX_RESPONSE_CHARS:
        raise _Unreadable(
            f"that answer is {len(text)} characters long; a shape is a few numbers, such as (2, 5)."
        )
    s = _normalize(text)
    if not s:
        raise _Unreadable("the answer is empty. Type a shape such as (2, 5) or 2x5.")
    s = re.sub(r"^(?:shape\s*(?:is|=|:)?\s*)", "", s, flags=re.I)
    s = s.rstrip(".").strip()
    pairs = {"(": ")", "[": "]", "{": "}"}
    if s and s[0] in pairs:
        if not s.endswith(pairs[s[0]]):
            raise _Unreadable(f"the bracket {s[0]!r} is not closed. Type e.g. (2, 5).")
        s = s[1:-1].strip()
    if not s:
        raise _Unreadable("() is the shape of a single number (a scalar); this question asks for an array.")
    tokens = _SEPARATORS.split(s)
    if tokens and tokens[-1] == "" and len(tokens) > 1:  # "7," as in the tuple (7,)
        tokens = tokens[:-1]
    out = []
    for tok in tokens:
        if tok == "":
            raise _Unreadable(
                f"I could not read {_describe(text)}: two separators in a row. Type e.g. (2, 5)."
            )
        if _INT.fullmatch(tok):
            digits = tok.lstrip("+-")
            if len(digits) > _MAX_DIGITS:
                raise _Unreadable(
                    f"{digits[:6]}... is far larger than any array in this course; check the size."
                )
            out.append(_check_size(int(tok), tok))
        elif _FLOAT.fullmatch(tok):
            raise _Unreadable(
                f"{tok} is not a whole number. Sizes of arrays are whole numbers "
                "(NumPy refuses a shape like (7.5, 10))."
            )
        elif _NAME.fullmatch(tok):
            raise _Unreadable(
                f"{tok!r} is a name; write the shape with numbers, e.g. (2, 5), "
                "using the sizes given in the question."
            )
        else:
            raise _Unreadable(
                f"I could not read {_describe(tok)} as a size. Type the sizes separated by commas or x, "
                "e.g. (2, 5) or 2x5."
            )
    if len(out) > 8:
        raise _Unreadable(
            f"that has {len(out)} dimensions; the arrays in this course have at most 3. Try e.g. (2, 5)."
        )
    return tuple(out)


class ShapeQuestion(Question):
    """ "What is the shape of ...?", read leniently and diagnosed in the course notation.

    Parameters
    ----------
    prompt : the question.
    answer : the right shape, e.g. ``(7, 10)``.
    explanation : shown after a right answer (or after `MAX_ATTEMPTS` wrong ones).
    name : what the question asks for, e.g. ``"W"``; used in messages.
    related : shapes of other arrays a learner may confuse with the answer, e.g.
        ``{"W_F": (7, 3), "W_R": (7, 7)}``. A response equal to one of them is
        told "that is the shape of W_F". When they are blocks of a concatenation
        (sizes adding up along one axis to the answer's), the message says so.
    batch : the batch size m of the question, if any; enables the "batch
        dimension missing / extra" diagnoses.
    hint, qid, notebook : see `Question`.

    Examples
    --------
    >>> q = ShapeQuestion("Shape of a_t?", answer=(7, 64), batch=64, name="a_t")
    >>> q.check("7").message[:62]
    'Not yet: (7,) has the right sizes but the batch dimension m = '
    """

    kind = "shape"
    _default_hint = (
        "Start from the definition: rows are the neurons of the layer that is computed, "
        "and activations get one column per sequence of the batch."
    )
    _placeholder = "e.g. (2, 5) or 2x5"

    def __init__(
        self,
        prompt: str,
        answer: Sequence[int],
        *,
        explanation: str = "",
        name: str | None = None,
        related: Mapping[str, Sequence[int]] | None = None,
        batch: int | None = None,
        hint: str = "",
        qid: str | None = None,
        notebook: str | None = None,
    ) -> None:
        super().__init__(prompt, explanation=explanation, hint=hint, qid=qid, notebook=notebook)
        try:
            self.answer = parse_shape(answer)
            self.related = {str(k): parse_shape(v) for k, v in (related or {}).items()}
        except _Unreadable as exc:
            raise ValueError(f"ShapeQuestion: the answer or a related shape is not a shape: {exc}") from None
        if batch is not None and (isinstance(batch, bool) or not isinstance(batch, numbers.Integral)):
            raise ValueError(f"ShapeQuestion: batch must be an int (the batch size m), got {batch!r}.")
        self.batch = int(batch) if batch is not None else None
        self.name = name

    def _what(self) -> str:
        return self.name if self.name else "something else"

    def _format_help(self) -> str:
        return "Type a shape such as (2, 5) or 2x5."

    def _right_text(self) -> str:
        return _fmt_shape(self.answer)

    def _example(self) -> Any:
        return "(2, 5)"  # the same for every question: it shows the format, not the answer

    def _instructions(self) -> str:
        return "Type a shape, e.g. (2, 5), 2x5 or [2, 5]."

    def _judge(self, response: Any) -> tuple[bool, str]:
        g = parse_shape(response)
        return self.diagnose(g)

    def diagnose(self, g: tuple[int, ...]) -> tuple[bool, str]:
        """Compare a parsed shape `g` with the answer; return (correct, message)."""
        a, m, G = self.answer, self.batch, _fmt_shape(g)
        if g == a:
            return _right(f"{_fmt_shape(a)} is the shape" + (f" of {self.name}." if self.name else "."))
        asks = f"the question asks for {self.name}" if self.name else "the question asks for something else"
        # a related array's shape: maybe one block of a concatenation
        for rname, r in self.related.items():
            if g == r:
                block = self._block_axis(r)
                if block is not None:
                    others = [
                        n for n, s in self.related.items() if n != rname and self._block_axis(s) == block
                    ]
                    joined = " and ".join([rname, *others])
                    return _wrong(
                        f"{G} is the shape of {rname}, only one of the blocks; "
                        f"{asks + ' as a whole' if self.name else 'the question asks for the whole matrix'}. "
                        f"The blocks {joined} are put side by side along axis {block} "
                        f"({'columns' if block == 1 else 'rows' if block == 0 else 'that axis'}), "
                        "so their sizes along that axis add up."
                    )
                return _wrong(f"that is the shape of {rname}; {asks}.")
            if len(r) == 2 and r[0] != r[1] and g == r[::-1]:
                return _wrong(f"that is the shape of {rname} transposed; {asks}.")
        if len(g) == len(a) == 2 and g == a[::-1]:
            return _wrong(f"{G} looks transposed. {self._transposed_reason()}")
        if len(g) == len(a) and sorted(g) == sorted(a):
            if len(a) == 3 and m is not None and a[2] == m and g == (a[2], a[0], a[1]):
                return _wrong(
                    f"{G} is the batch-first layout (m, T, n_0) that Keras and PyTorch "
                    "(batch_first=True) use. This course is time-major: (T, n_0, m), so that X[t] is x_t."
                )
            return _wrong(
                f"{G} has the right sizes in the wrong order. "
                + (
                    "This course orders a sequence tensor as time, features, batch: (T, n_0, m), "
                    "so that X[t] is x_t."
                    if len(a) == 3
                    else "Check which size goes on which axis."
                )
            )
        if m is not None:
            msg = self._batch_diagnosis(g)
            if msg:
                return _wrong(msg)
        if len(g) != len(a):
            return _wrong(
                f"{G} has {_dims_word(len(g))}; {self.name or 'the answer'} has {_dims_word(len(a))}."
            )
        if any(s > 10**6 for s in g):
            return _wrong(f"{G} is far larger than any array in this question; check the sizes.")
        right = [i for i in range(len(a)) if g[i] == a[i]]
        if len(a) == 2 and len(right) == 1:
            ok, bad = ("rows", "columns") if right == [0] else ("columns", "rows")
            return _wrong(f"the number of {ok} is right, the number of {bad} is not.")
        if right:
            axes = ", ".join(str(i) for i in right)
            return _wrong(f"{G}: the size along axis {axes} is right, the others are not.")
        return _wrong(f"none of the sizes in {G} is right. Start again from the definition.")

    def _transposed_reason(self) -> str:
        if self.batch is not None and len(self.answer) == 2 and self.answer[1] == self.batch:
            return (
                "This course puts the batch in columns: one column per sequence, "
                f"so the batch size m = {self.batch} is the number of columns."
            )
        if self.name and self.name.lstrip("$\\").startswith("W"):
            return (
                "A weight matrix has one row per neuron of the layer it feeds and one column per "
                "number it reads: W_F^l is (n_l, n_{l-1}), so that W_F^l a^{l-1} works with the batch "
                "in the columns of a^{l-1}."
            )
        return "A shape lists the rows first, then the columns: (rows, columns)."

    def _batch_diagnosis(self, g: tuple[int, ...]) -> str:
        a, m, G = self.answer, self.batch, _fmt_shape(g)
        if m in a:
            without = list(a)
            k = without.index(m)
            del without[k]
            if g == tuple(without):
                return (
                    f"{G} has the right sizes but the batch dimension m = {m} is missing: "
                    "with a batch, there is one column per sequence."
                )
            single = list(a)
            single[k] = 1
            if g == tuple(single):
                return (
                    f"{G} is the shape for a single sequence; with a batch of m = {m} sequences "
                    "there is one column per sequence."
                )
        else:
            if len(g) == len(a) + 1:
                for i, s in enumerate(g):
                    if s == m and g[:i] + g[i + 1 :] == a:
                        return (
                            f"{G} has an extra batch dimension m = {m}. Weights and biases do not "
                            "depend on the batch size: the same ones serve all m sequences."
                        )
            if len(g) == len(a):
                diff = [i for i in range(len(a)) if g[i] != a[i]]
                if len(diff) == 1 and g[diff[0]] == m:
                    return (
                        f"{G} contains the batch size m = {m}, but {self.name or 'this array'} does not "
                        "depend on the batch: one set of weights and biases serves all m sequences "
                        "(a bias is broadcast across the columns)."
                    )
        return ""

    def _block_axis(self, r: tuple[int, ...]) -> int | None:
        """The axis along which `r` is a block of the answer (other sizes equal, smaller there)."""
        a = self.answer
        if len(r) != len(a):
            return None
        diff = [i for i in range(len(a)) if r[i] != a[i]]
        if len(diff) != 1 or r[diff[0]] >= a[diff[0]]:
            return None
        axis = diff[0]
        # A block only if the related shapes that fit this way add up to the whole along `axis`.
        blocks = [
            s for s in self.related.values()
            if len(s) == len(a) and all(s[i] == a[i] for i in range(len(a)) if i != axis)
        ]
        return axis if sum(s[axis] for s in blocks) == a[axis] else None

    def _key(self) -> tuple[str, str]:
        a = self.answer
        if len(a) == 2 and a[0] != a[1]:
            wrong = a[::-1]
        elif self.related and any(r != a for r in self.related.values()):
            wrong = next(r for r in self.related.values() if r != a)
        elif self.batch is not None and self.batch in a:
            wrong = tuple(s for i, s in enumerate(a) if i != a.index(self.batch))
        else:
            wrong = (*a[:-1], a[-1] + 1)
        return _fmt_shape(a), _fmt_shape(wrong)


# --------------------------------------------------------------------------- numbers


_NUM_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]{1,4})?", re.I)
_NUM_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NUM_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_NUM_FRACTION = re.compile(r"([+-]?[0-9]+)\s*/\s*([+-]?[0-9]+)")
_NUM_POWER = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)\s*(?:\^|\*\*)\s*([+-]?[0-9]{1,3})")


def parse_number(response: Any) -> float:
    """Read a number leniently, without evaluating anything.

    Accepted: ints and floats (NumPy too), `fractions.Fraction`, and text such as
    ``"0.001"``, ``" 1e-3 "``, ``"-2.5"``, ``"1/4"``, ``"2^10"``, ``"0.5^10"`` or ``"2**10"``,
    ``"1,024"`` (commas followed by groups of exactly three digits separate
    thousands) and ``"0,25"`` (otherwise a single comma is a decimal comma).

    Raises
    ------
    _Unreadable with a message saying what to type instead.
    """
    if response is None:
        raise _Unreadable("no answer given. Type a number such as 0.25, 1e-3 or 1/4.")
    if isinstance(response, bool):
        raise _Unreadable(f"{response} is not a number. Type a number such as 0.25.")
    if isinstance(response, (bytes, bytearray)):
        try:
            response = bytes(response).decode("utf-8")
        except UnicodeDecodeError:
            raise _Unreadable("those bytes are not text. Type a number such as 0.25.") from None
    if isinstance(response, str):
        value = _parse_number_text(response)
    elif isinstance(response, numbers.Real):
        try:
            value = float(response)
        except (OverflowError, ValueError):
            raise _Unreadable(f"{_describe(response)} is too large to compare.") from None
    elif isinstance(response, numbers.Complex):
        raise _Unreadable(f"{_describe(response)} is complex; this course uses real numbers.")
    elif getattr(response, "shape", None) == () and hasattr(response, "item"):
        return parse_number(response.item())  # a 0-d NumPy array
    else:
        raise _Unreadable(
            f"I could not read {_describe(response)} (a {type(response).__name__}) as a number. "
            "Type a number such as 0.25, 1e-3 or 1/4."
        )
    if math.isnan(value):
        raise _Unreadable("NaN is not a number. Type a number such as 0.25.")
    if math.isinf(value):
        raise _Unreadable("that number is infinite (or too large to compare). Type a finite number.")
    return value


def _parse_number_text(text: str) -> float:
    if len(text) > MAX_RESPONSE_CHARS:
        raise _Unreadable(f"that answer is {len(text)} characters long; type just the number.")
    s = _normalize(text).replace("_", "")
    if not s:
        raise _Unreadable("the answer is empty. Type a number such as 0.25, 1e-3 or 1/4.")
    if s.endswith("%"):
        raise _Unreadable("please give the value itself rather than a percentage (0.25, not 25%).")
    if _NUM_PLAIN.fullmatch(s):
        return _to_float(s)
    if _NUM_THOUSANDS.fullmatch(s):
        return _to_float(s.replace(",", ""))
    if _NUM_DECIMAL_COMMA.fullmatch(s):
        return _to_float(s.replace(",", "."))
    match = _NUM_FRACTION.fullmatch(s)
    if match:
        num, den = (int(x) if len(x.lstrip("+-")) <= 30 else None for x in match.groups())
        if num is None or den is None:
            raise _Unreadable("those numbers are too long to be meant; type the value, e.g. 0.25.")
        if den == 0:
            raise _Unreadable("that divides by zero. Type a number such as 1/4.")
        return float(Fraction(num, den))
    match = _NUM_POWER.fullmatch(s)
    if match:
        base, exp = match.groups()
        if len(base.lstrip("+-")) > 30:
            raise _Unreadable("that number is too long to be meant; type the value itself.")
        try:
            return float(Fraction(base) ** int(exp))
        except (OverflowError, ZeroDivisionError):
            raise _Unreadable("that power cannot be computed; type the value itself.") from None
    if s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise _Unreadable(f"{s} is not a finite number. Type a number such as 0.25.")
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", s):
        raise _Unreadable(f"{s!r} is a name; type its value, e.g. 0.25.")
    raise _Unreadable(
        f"I could not read {_describe(text)} as a number. Type e.g. 0.25, 1e-3, -2, 1/4 or 1,024."
    )


def _to_float(s: str) -> float:
    if len(s) > 60:
        raise _Unreadable("that number has too many digits to be meant; type it rounded, e.g. 0.25.")
    try:
        return float(s)
    except (ValueError, OverflowError):
        raise _Unreadable(f"I could not read {s!r} as a number.") from None


def _fmt_number(x: float) -> str:
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


class NumericQuestion(Question):
    """A question whose answer is a number, right within a tolerance.

    Parameters
    ----------
    prompt : the question.
    answer : the right value.
    tol : absolute tolerance: a response r is right if ``|r - answer| <= max(tol,
        rel_tol * |answer|)``. Default: 1e-9 (exact, up to rounding).
    rel_tol : relative tolerance (default 0).
    explanation, hint, qid, notebook : see `Question`.

    Notes
    -----
    Text is read by `parse_number`: ``"1e-3"``, ``" 0.001 "``, ``"1/4"``,
    ``"2^10"``, ``"1,024"`` (thousands) and ``"0,5"`` (decimal comma) all work.
    Wrong answers are diagnosed: a sign flip, a factor of exactly 10, 100 or 1000
    (or 2), and "close, but outside the tolerance".
    """

    kind = "numeric"
    _default_hint = "Write the computation out step by step, with the sizes given in the question."
    _placeholder = "e.g. 0.25, 1e-3 or 1/4"

    def __init__(
        self,
        prompt: str,
        answer: float,
        *,
        tol: float = 1e-9,
        rel_tol: float = 0.0,
        explanation: str = "",
        hint: str = "",
        qid: str | None = None,
        notebook: str | None = None,
    ) -> None:
        super().__init__(prompt, explanation=explanation, hint=hint, qid=qid, notebook=notebook)
        try:
            self.answer = parse_number(answer)
        except _Unreadable as exc:
            raise ValueError(f"NumericQuestion: the answer is not a finite number: {exc}") from None
        if not (tol >= 0 and rel_tol >= 0):
            raise ValueError(f"NumericQuestion: tol and rel_tol must be >= 0, got {tol!r} and {rel_tol!r}.")
        self.tol = float(tol)
        self.rel_tol = float(rel_tol)

    @property
    def tolerance(self) -> float:
        """The absolute tolerance in force for this answer."""
        return max(self.tol, self.rel_tol * abs(self.answer))

    def _format_help(self) -> str:
        return "Type a number such as 0.25, 1e-3 or 1/4."

    def _instructions(self) -> str:
        return "Type a number, e.g. 0.25, 1e-3 or 1/4."

    def _example(self) -> Any:
        return "1e-3"  # the same for every question: it shows the format, not the answer

    def _right_text(self) -> str:
        return _fmt_number(self.answer)

    def _judge(self, response: Any) -> tuple[bool, str]:
        g = parse_number(response)
        a, tol = self.answer, self.tolerance
        if abs(g - a) <= tol:
            return _right(f"{_fmt_number(g)} is right.")
        G = _fmt_number(g)
        if a != 0 and abs(g + a) <= tol:
            return _wrong(f"{G} has the wrong sign; the size is right.")
        if a != 0 and g != 0:
            for factor, word in ((10, "10"), (100, "100"), (1000, "1000"), (2, "2")):
                for direction, big in ((factor, "large"), (1 / factor, "small")):
                    if abs(g - a * direction) <= max(tol * direction, 1e-9 * abs(a * direction)):
                        return _wrong(
                            f"{G} is off by a factor of exactly {word} (too {big}). "
                            + (
                                "Check the decimal point or the power of ten."
                                if factor != 2
                                else "Did you count something twice, or only half of it?"
                            )
                        )
        if abs(g - a) <= max(10 * tol, 0.05 * abs(a)):
            return _wrong(
                f"{G} is close, but not within the tolerance (±{tol:.3g}). Check your rounding, "
                "or keep more digits."
            )
        return _wrong(f"{G} is not the value asked for.")

    def _key(self) -> tuple[str, str]:
        a = self.answer
        wrong = a * 10 if a != 0 else 1.0
        return repr(a) if a != int(a) else str(int(a)), repr(wrong) if wrong != int(wrong) else str(
            int(wrong)
        )


# --------------------------------------------------------------------------- choices


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class ChoiceQuestion(Question):
    """A multiple-choice question with one or several right options.

    Parameters
    ----------
    prompt : the question.
    options : the option texts, shown in this order as a), b), ...
    correct : the right option(s): an index (0-based), an option text, a letter,
        or a list of them.
    multiple : whether to say "choose all that apply"; default: more than one is right.
    explanation, hint, qid, notebook : see `Question`.

    Notes
    -----
    `check` accepts an option index (0-based int), an option text, a letter
    (``"a"``, ``"B)"``), several letters (``"a, c"``), or a list of any of them.
    A partly right answer is told how many choices are right and how many are
    missing, not which.
    """

    kind = "choice"
    _default_hint = "Read each option on its own and ask whether it is always true."

    def __init__(
        self,
        prompt: str,
        options: Sequence[str],
        correct: Any,
        *,
        multiple: bool | None = None,
        explanation: str = "",
        hint: str = "",
        qid: str | None = None,
        notebook: str | None = None,
    ) -> None:
        super().__init__(prompt, explanation=explanation, hint=hint, qid=qid, notebook=notebook)
        if isinstance(options, str) or not isinstance(options, Iterable):
            raise ValueError("ChoiceQuestion: options must be a list of strings.")
        self.options = [str(o) for o in options]
        if len(self.options) < 2 or len(self.options) > len(_LETTERS):
            raise ValueError(f"ChoiceQuestion: give between 2 and 26 options, got {len(self.options)}.")
        if len(set(self.options)) != len(self.options):
            raise ValueError("ChoiceQuestion: two options have the same text.")
        try:
            self.correct = self._indices(correct)
        except _Unreadable as exc:
            raise ValueError(f"ChoiceQuestion: cannot read `correct`: {exc}") from None
        if not self.correct:
            raise ValueError("ChoiceQuestion: at least one option must be correct.")
        self.multiple = len(self.correct) > 1 if multiple is None else bool(multiple)

    def _format_help(self) -> str:
        return "Answer with a letter (a, b, ...), an option's text, or a list of them."

    def _instructions(self) -> str:
        lines = [f"{_LETTERS[i]}) {o}" for i, o in enumerate(self.options)]
        lines.append("Choose all that apply." if self.multiple else "Choose one.")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        opts = "\n".join(f"- **{_LETTERS[i]})** {o}" for i, o in enumerate(self.options))
        how = "Choose all that apply." if self.multiple else "Choose one."
        return (
            f"**Quiz:** {self.prompt}\n\n{opts}\n\n{how} *Answer with* "
            f"`q.check({self._example()!r})` *where widgets are not available.*"
        )

    def _example(self) -> Any:
        return "a, c" if self.multiple else "a"  # the format, the same for every question

    def _right_text(self) -> str:
        return ", ".join(f"{_LETTERS[i]}) {self.options[i]}" for i in sorted(self.correct))

    def _index(self, item: Any) -> int:
        n = len(self.options)
        if isinstance(item, bool):
            raise _Unreadable(f"{item} is not an option. {self._format_help()}")
        if isinstance(item, numbers.Integral):
            i = int(item)
            if not 0 <= i < n:
                raise _Unreadable(f"there is no option number {i}; options are numbered 0 to {n - 1}.")
            return i
        if isinstance(item, str):
            s = _normalize(item)
            for i, o in enumerate(self.options):
                if s == o.strip() or s.casefold() == _normalize(o).casefold():
                    return i
            m = re.fullmatch(r"\(?([A-Za-z])[).]?", s)
            if m:
                letter = m.group(1).lower()
                i = _LETTERS.index(letter)
                if i >= n:
                    raise _Unreadable(
                        f"there is no option {letter}); the options are a) to {_LETTERS[n - 1]})."
                    )
                return i
            if not s:
                raise _Unreadable(f"the answer is empty. {self._format_help()}")
            raise _Unreadable(f"{_describe(item)} is not one of the options. {self._format_help()}")
        raise _Unreadable(f"I could not read {_describe(item)} as an option. {self._format_help()}")

    def _indices(self, response: Any) -> set[int]:
        if response is None:
            raise _Unreadable(f"no answer given. {self._format_help()}")
        if isinstance(response, (bytes, bytearray)):
            raise _Unreadable(f"bytes are not an option. {self._format_help()}")
        if isinstance(response, str):
            if len(response) > MAX_RESPONSE_CHARS + max(len(o) for o in self.options):
                raise _Unreadable(f"that answer is {len(response)} characters long. {self._format_help()}")
            s = _normalize(response)
            try:
                return {self._index(s)}
            except _Unreadable:
                parts = [p for p in re.split(r"\s*(?:,|;|\band\b|\s)\s*", s) if p]
                if len(parts) > 1 and all(re.fullmatch(r"\(?[A-Za-z][).]?", p) for p in parts):
                    return {self._index(p) for p in parts}
                raise
        if isinstance(response, Mapping):
            raise _Unreadable(f"a dict is not an option. {self._format_help()}")
        if isinstance(response, (list, tuple, set, frozenset)):
            if len(response) > 4 * len(self.options):
                raise _Unreadable(f"that is {len(response)} choices for {len(self.options)} options.")
            return {self._index(item) for item in response}
        return {self._index(response)}

    def _judge(self, response: Any) -> tuple[bool, str]:
        chosen = self._indices(response)
        right = chosen & self.correct
        wrong = chosen - self.correct
        missing = self.correct - chosen
        if not chosen:
            return _wrong(
                "nothing was chosen. "
                + ("Tick every option that applies." if self.multiple else "Tick one option.")
            )
        if not wrong and not missing:
            return _right()
        if not self.multiple and len(self.correct) == 1:
            if len(chosen) > 1:
                return _wrong(
                    f"this question has one right answer; you chose {len(chosen)}. Choose only one."
                )
            return _wrong(f"{_LETTERS[next(iter(chosen))]}) is not the right option.")
        parts = [
            f"{len(right)} of your {len(chosen)} choices " + ("is" if len(right) == 1 else "are") + " right"
        ]
        if wrong:
            parts.append(f"{len(wrong)} " + ("is" if len(wrong) == 1 else "are") + " not")
        if missing:
            parts.append(
                f"{len(missing)} right option" + (" is" if len(missing) == 1 else "s are") + " missing"
            )
        return _wrong(", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + ".")

    def _inputs(self, w):
        boxes = []
        for option in self.options:
            box = w.Checkbox(value=False, description=option, indent=False, layout=w.Layout(width="auto"))
            box.add_class("rnncourse-quiz-option")
            boxes.append(box)
        return boxes, lambda: [b.description for b in boxes if b.value]

    def _key(self) -> tuple[list[str], list[str]]:
        right = [self.options[i] for i in sorted(self.correct)]
        others = [i for i in range(len(self.options)) if i not in self.correct]
        if len(self.correct) > 1:
            wrong = right[:1]
        elif others:
            wrong = [self.options[others[0]]]
        else:
            wrong = []
        return right, wrong
