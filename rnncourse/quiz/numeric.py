"""Numeric questions: a number, right within a tolerance, with the usual slips diagnosed."""

from __future__ import annotations

from typing import Any

from .feedback import _right, _Unreadable, _wrong
from .parse import _fmt_number, parse_number
from .question import Question


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

