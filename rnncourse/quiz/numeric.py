"""Numeric questions: a number, right within a tolerance, with the usual slips diagnosed."""

from __future__ import annotations

from typing import Any

from .feedback import _right, _Unreadable, _wrong
from .parse import _fmt_number, parse_number
from .question import Question


def _or(items: tuple[str, ...]) -> str:
    return ", ".join(items[:-1]) + (" or " if len(items) > 1 else "") + items[-1]


class NumericQuestion(Question):
    """A question whose answer is a number, right within a tolerance.

    Parameters
    ----------
    prompt : the question.
    answer : the right value.
    tol : absolute tolerance: a response r is right if ``|r - answer| <= max(tol,
        rel_tol * |answer|)``. Default: 1e-9 (exact, up to rounding).
    rel_tol : relative tolerance (default 0).
    biases : for a parameter count, how many of the parameters are biases; a
        response short by exactly that many is told the biases are missing.
    power : ``(base, steps)`` when the answer is ``base ** steps`` (a bound over
        `steps` steps); a response one factor of `base` short (or over) is told so.
    slips : ``{value: diagnosis}`` for wrong values that the automatic diagnoses
        would misread, e.g. a count that two different slips both give; checked first.
    explanation, hint, qid, notebook : see `Question`.

    Notes
    -----
    Text is read by `parse_number`: ``"1e-3"``, ``" 0.001 "``, ``"1/4"``,
    ``"2^10"``, ``"1,024"`` (thousands) and ``"0,5"`` (decimal comma) all work.
    Wrong answers are diagnosed: a sign flip, a factor of exactly 10, 100 or 1000
    (or 2), the biases left out of a count, a power one step short or over, and
    "close, but outside the tolerance". A count (a whole-number answer with
    ``tol=0``) is never told about rounding or a tolerance: it is exact or not.
    """

    kind = "numeric"
    _default_hint = "Write the computation out step by step, with the sizes given in the question."
    # examples of the format, each set in the same three forms; the first set the answer does not accept
    _EXAMPLES = (("0.25", "1e-3", "1/4"), ("0.75", "2e-3", "3/4"), ("0.4", "5e-2", "2/5"))
    _COUNT_EXAMPLES = ("12", "30", "45")

    def __init__(
        self,
        prompt: str,
        answer: float,
        *,
        tol: float = 1e-9,
        rel_tol: float = 0.0,
        biases: int | None = None,
        power: tuple[float, int] | None = None,
        slips: dict[float, str] | None = None,
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
        if biases is not None and not (isinstance(biases, int) and 0 < biases < self.answer and self.counts):
            raise ValueError(
                "NumericQuestion: biases must be a whole number between 0 and the answer, and only a "
                f"count (a whole-number answer, tol 0) has them; got {biases!r}."
            )
        self.biases = biases
        if power is not None:
            base, steps = power
            exact = isinstance(steps, int) and steps > 1 and abs(base**steps - self.answer) <= self.tolerance
            if not exact:
                raise ValueError(
                    "NumericQuestion: power (base, steps) must give the answer as base ** steps, "
                    f"got {power!r}."
                )
            power = (float(base), steps)
        self.power = power
        self.slips = {parse_number(v): str(text) for v, text in (slips or {}).items()}
        if any(abs(v - self.answer) <= self.tolerance for v in self.slips):
            raise ValueError("NumericQuestion: a slip cannot be the right answer.")

    @property
    def tolerance(self) -> float:
        """The absolute tolerance in force for this answer."""
        return max(self.tol, self.rel_tol * abs(self.answer))

    @property
    def counts(self) -> bool:
        """Whether the answer is a count: a whole number with ``tol=0``, to be given exactly."""
        return self.answer == int(self.answer) and self.tolerance == 0

    def _formats(self) -> tuple[str, ...]:
        """Examples of the format to show, none of them accepted as the answer."""
        if self.counts:
            return (self._not_accepted(self._COUNT_EXAMPLES),)
        for forms in self._EXAMPLES:
            if not any(self._accepts(f) for f in forms):
                return forms
        return (self._not_accepted(("123.5",)),)  # pragma: no cover - no answer is near all of them

    def _format_help(self) -> str:
        if self.counts:
            return f"Type a whole number such as {self._formats()[0]}."
        return "Type a number such as " + _or(self._formats()) + "."

    def _instructions(self) -> str:
        return self._format_help().replace(" such as ", ", e.g. ")

    @property
    def _placeholder(self) -> str:
        return "e.g. " + _or(self._formats())

    def _example(self) -> Any:
        forms = self._formats()
        return forms[1] if len(forms) > 1 else forms[0]

    def _right_text(self) -> str:
        return _fmt_number(self.answer)

    def _judge(self, response: Any) -> tuple[bool, str]:
        g = parse_number(response)
        a, tol = self.answer, self.tolerance
        if abs(g - a) <= tol:
            return _right(f"{_fmt_number(g)} is right.")
        G = _fmt_number(g)
        for value, text in self.slips.items():
            if abs(g - value) <= tol:
                return _wrong(f"{G} {text}")
        if a != 0 and abs(g + a) <= tol:
            return _wrong(f"{G} has the wrong sign; the size is right.")
        if self.biases and g == a - self.biases:
            return _wrong(
                f"{G} counts the weights, but the biases are missing: every neuron of a layer "
                "also has one bias, an entry of b."
            )
        slip = self._power_slip(g)
        if slip:
            return _wrong(slip)
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
        if self.counts and g != int(g):
            return _wrong(f"{G} is not a whole number; a count of things is.")
        if abs(g - a) <= max(10 * tol, 0.05 * abs(a)):
            if self.counts:
                return _wrong(f"{G} is close, but a count is exact. Recount each term of the sum.")
            return _wrong(
                f"{G} is close, but not within the tolerance (±{tol:.3g}). Check your rounding, "
                "or keep more digits."
            )
        return _wrong(f"{G} is not the value asked for.")

    def _power_slip(self, g: float) -> str:
        """The message for base ** (steps ± 1) when the answer is base ** steps, else ''."""
        if self.power is None:
            return ""
        base, steps = self.power
        rel = self.tolerance / abs(self.answer) if self.answer else 0.0
        for k, words in ((steps - 1, "short"), (steps + 1, "too many")):
            target = base**k
            if abs(g - target) <= max(rel * abs(target), 1e-9 * abs(target)):
                b = _fmt_number(base)
                return (
                    f"{_fmt_number(g)} is {b}^{k}, one factor of {b} {words}: count the steps, "
                    f"one factor of {b} for each step back."
                )
        return ""

    def _key(self) -> tuple[str, str]:
        a = self.answer
        wrong = a * 10 if a != 0 else 1.0
        return repr(a) if a != int(a) else str(int(a)), repr(wrong) if wrong != int(wrong) else str(
            int(wrong)
        )
