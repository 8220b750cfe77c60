"""The base class of every question: id, notebook, attempts, checking, recording and showing.

A question checks a response and says *why* it is wrong, in the course notation.
Responses are *parsed*, never evaluated: whatever is typed, `Question.check`
returns a `Feedback` and never raises, except under the test suite
(``RNNCOURSE_STRICT=1``), where an internal error propagates instead of
becoming a polite message. Every check is recorded by `rnncourse.progress`.

The kinds (`ShapeQuestion`, `NumericQuestion`, `ChoiceQuestion`) live in their
own modules; the form is built by `rnncourse.quiz.form`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .feedback import MAX_ATTEMPTS, Feedback, _as_text, _describe, _plain, _Unreadable, _wrong, strict
from .registry import _clean_notebook, current_notebook, register


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
            if strict():  # ... but under the test suite it must reach the tests
                raise
            correct, message = _wrong(
                f"I could not read {_describe(response)} as an answer. {self._format_help()}"
            )
        self.attempts += 1
        self.solved = self.solved or correct
        not_saved = ""
        try:
            from rnncourse import progress

            saved = progress.record(self.notebook, self.qid, _as_text(response), correct)
            if not getattr(saved, "saved", True):
                not_saved = getattr(saved, "message", "")  # "" while recording is paused (demos)
        except Exception as exc:  # the answer is judged even when the store fails ...
            if strict():  # ... but under the test suite a failure here must show
                raise
            not_saved = f"this answer was not saved ({exc}); RNNCOURSE_PROGRESS chooses another file."
        show_explanation = correct or self.attempts >= MAX_ATTEMPTS
        return Feedback(
            correct=bool(correct),
            message=message,
            hint="" if correct else self.hint,
            explanation=self._explanation_text() if show_explanation else "",
            not_saved=not_saved,
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

    def _accepts(self, candidate: str) -> bool:
        """Whether `candidate` is accepted, judged without recording or counting an attempt."""
        try:
            return self._judge(candidate)[0]
        except Exception:  # unreadable, or a checker that fails: not accepted
            return False

    def _not_accepted(self, candidates: tuple[str, ...]) -> str:
        """The first of `candidates` this question reads and rejects: an example that is not the answer."""
        for candidate in candidates:
            if not self._accepts(candidate):
                try:
                    self._judge(candidate)
                except Exception:  # unreadable here, or a checker that fails: not an example to show
                    continue
                return candidate
        if any(self._accepts(c) for c in candidates):
            raise ValueError(f"{type(self).__name__}: the examples {candidates!r} include the answer.")
        return candidates[0]  # the checker fails on every one: check() will say so

    def solved_before(self):
        """The last right answer recorded for this notebook and question, or ``None``.

        Returns
        -------
        A `rnncourse.progress.Attempt` (its ``response`` and ``time``), or ``None`` when
        none is recorded or the progress file cannot be read.
        """
        try:
            from rnncourse import progress

            found = progress.read()
        except Exception:  # a quiz shows even when the store cannot be read ...
            if strict():  # ... but under the test suite the failure must show
                raise
            return None
        for attempt in reversed(found.attempts):
            if attempt.notebook == self.notebook and attempt.qid == self.qid and attempt.correct:
                return attempt
        return None

    def _solved_answer(self, attempt) -> str:
        return attempt.response

    def _solved_line(self, attempt) -> str:
        """'You solved this on <date> ...' for an `Attempt`."""
        return (
            f"You solved this on {attempt.time[:10]} (UTC), answering {self._solved_answer(attempt)}. "
            "You can answer again."
        )

    # ---- showing --------------------------------------------------------------

    def _instructions(self) -> str:
        return ""

    def __repr__(self) -> str:
        """The question as plain text: no `$` maths delimiters (see `_plain`)."""
        lines = [f"Quiz ({self.kind}, {self.qid}): {self.prompt}", self._instructions()]
        lines.append(f"Without the answer box, answer in code with .check({self._example()!r}) on this quiz.")
        solved = self.solved_before()
        if solved:
            lines.append(self._solved_line(solved))
        return _plain("\n".join(line for line in lines if line))

    def _example(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_markdown_(self) -> str:
        body = [f"**Quiz:** {self.prompt}"]
        if self._instructions():
            body.append(self._instructions())
        body.append(self._how_markdown())
        return "\n\n".join(body)

    def _how_markdown(self) -> str:
        """How to answer without widgets, and whether it was solved before (Markdown)."""
        how = f"*Without the answer box, answer in code with* `.check({self._example()!r})` *on this quiz.*"
        solved = self.solved_before()
        return how + (f"\n\n{self._solved_line(solved)}" if solved else "")

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

        See `rnncourse.quiz.form.build` for the CSS classes of its parts.
        """
        from .form import build

        return build(self)

    def _inputs(self, w):
        """(the input widgets, a function reading the response, a function filling in a response)."""
        text = w.Text(
            value="",
            placeholder=self._placeholder,
            continuous_update=False,
            layout=w.Layout(width="16em"),
        )
        text.add_class("rnncourse-quiz-input")

        def fill(response: str) -> None:
            text.value = response

        return [text], lambda: text.value, fill

    def _register(self) -> None:
        register(self)  # a re-run cell keeps its place in the key
