"""What a check says back: the `Feedback`, and the small text helpers every question uses.

Deliberately left out: reading responses (`parse`) and judging them (the question kinds).
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_ATTEMPTS = 3  # wrong attempts after which the explanation is shown anyway
MAX_RESPONSE_CHARS = 200  # longer typed answers are refused with a message
_RECORD_CHARS = 1000  # responses are stored truncated to this length
STRICT_ENV = "RNNCOURSE_STRICT"  # "1" under the test suite: internal errors propagate


def strict() -> bool:
    """Whether internal errors of a check propagate (``RNNCOURSE_STRICT=1``, set by the tests).

    Learners never set it: for them a bug in a checker becomes a polite "Not yet" message.
    """
    return os.environ.get(STRICT_ENV, "") == "1"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one response.

    Attributes
    ----------
    correct : whether the response is accepted.
    message : starts with "Correct" or "Not yet", then says why.
    hint : the question's hint, after a wrong response ("" otherwise).
    explanation : the explanation, after a right response or `MAX_ATTEMPTS` wrong ones.
    not_saved : when the answer could not be saved to your progress file, why and how
        to fix it ("" when it was saved).
    """

    correct: bool
    message: str
    hint: str = ""
    explanation: str = ""
    not_saved: str = ""

    def _parts(self) -> list[str]:
        parts = [self.message]
        if self.not_saved:
            parts.append(f"Not saved: {self.not_saved}")
        if self.hint:
            parts.append(f"Hint: {self.hint}")
        if self.explanation:
            parts.append(f"Explanation: {self.explanation}")
        return parts

    def __str__(self) -> str:
        """The feedback as plain text: maths without `$` delimiters (see `_plain`)."""
        return _plain("\n".join(self._parts()))

    def __bool__(self) -> bool:
        return self.correct

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's text/plain: the text, not the dataclass
        p.text(str(self))

    def _repr_markdown_(self) -> str:  # the maths stays in $...$ for the front end to typeset
        return "\n\n".join(self._parts())


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


_LATEX = {  # the commands of the bank's maths, as plain text
    r"\hat{y}": "ŷ",
    r"\partial": "∂",
    r"\sigma": "σ",
    r"\gamma": "γ",
    r"\sum": "Σ",
    r"\approx": "≈",
    r"\cdot": "·",
    r"\mid": "|",
    r"\top": "T",
    r"\|": "‖",
    r"\,": " ",
    r"\max": "max",
    r"\log": "log",
    r"\tanh": "tanh",
    r"\mathrm{softmax}": "softmax",
}


def _plain(text: str) -> str:
    r"""Text for a console or a plain-text view: no `$` maths delimiters, common commands spelled out.

    >>> _plain(r"the bound $(\gamma\,\sigma_{\max})^{10}$")
    'the bound (γ σ_max)^{10}'
    """
    out = text.replace("$", "")
    for command, plain in _LATEX.items():
        out = out.replace(command, plain)
    return re.sub(r"_\{(max)\}", r"_\1", out)


def _md(text: str) -> str:
    """Escape text for HTML, turning `code` spans into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
