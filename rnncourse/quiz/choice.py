"""Multiple-choice questions, with one or several right options."""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .feedback import MAX_RESPONSE_CHARS, _describe, _normalize, _right, _Unreadable, _wrong
from .question import Question

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
    missing, not which. Feedback names an option by its text, which the widget
    and the static text both show (only the static text shows the letters).

    In the widget, a question with one right option is answered with radio
    buttons (one choice), a question with several with checkboxes.
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
        return f"**Quiz:** {self.prompt}\n\n{opts}\n\n{how} {self._how_markdown()}"

    def _example(self) -> Any:
        n = len(self.options)
        if self.multiple:
            pairs = [f"{_LETTERS[i]}, {_LETTERS[j]}" for i in range(n) for j in range(i + 1, n)]
            return self._not_accepted(("a, c", *pairs, "a"))
        return self._not_accepted(tuple(_LETTERS[:n]))

    def _quoted(self, i: int) -> str:
        return f'"{self.options[i]}"'

    def _right_text(self) -> str:
        return " and ".join(self._quoted(i) for i in sorted(self.correct))

    def _solved_answer(self, attempt) -> str:
        return self._right_text()  # a choice question has one right answer: its right options

    def _index(self, item: Any) -> int:
        n = len(self.options)
        if isinstance(item, bool):
            raise _Unreadable(f"{item} is not an option. {self._format_help()}")
        if isinstance(item, numbers.Integral):
            i = int(item)
            if not 0 <= i < n:
                raise _Unreadable(
                    f"there is no option number {_describe(i)}; options are numbered 0 to {n - 1}."
                )
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
            return _wrong(f"{self._quoted(next(iter(chosen)))} is not the right option.")
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
        """Radio buttons for one right option, checkboxes for several; see `Question._inputs`."""
        right = [self.options[i] for i in sorted(self.correct)]
        if not self.multiple and len(right) == 1:
            radio = w.RadioButtons(options=self.options, value=None, layout=w.Layout(width="auto"))
            radio.add_class("rnncourse-quiz-option")

            def fill_one(_response: str) -> None:
                radio.value = right[0]

            return [radio], lambda: [radio.value] if radio.value is not None else [], fill_one
        boxes = []
        for option in self.options:
            box = w.Checkbox(value=False, description=option, indent=False, layout=w.Layout(width="auto"))
            box.add_class("rnncourse-quiz-option")
            boxes.append(box)

        def fill(_response: str) -> None:  # the one right answer of a choice question: its right options
            for box in boxes:
                box.value = box.description in right

        return boxes, lambda: [b.description for b in boxes if b.value], fill

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
