"""Reading responses: shapes and numbers, parsed leniently and never evaluated.

Whatever is typed, the parsers either return a value or raise `_Unreadable` with
a message that says what to type instead. No ``eval``, ``exec`` or
``ast.literal_eval``: only regular expressions and ``int``/``float``/``Fraction``.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from .feedback import MAX_RESPONSE_CHARS, _describe, _normalize, _Unreadable

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
    if n >= 10**_MAX_DIGITS:  # str() of a huge int raises; no array is this large anyway
        raise _Unreadable(f"{_describe(shown)} is far larger than any array in this course; check the size.")
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


# --------------------------------------------------------------------------- numbers


_NUM_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]{1,4})?", re.I)
_NUM_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NUM_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_NUM_FRACTION = re.compile(r"([+-]?[0-9]+)\s*/\s*([+-]?[0-9]+)")
_NUM_POWER = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)\s*(?:\^|\*\*)\s*([+-]?[0-9]{1,3})")


def parse_number(response: Any) -> float:
    """Read a number leniently, without evaluating anything.

    Accepted: ints and floats (NumPy too), `fractions.Fraction`, and text such as
    ``"0.001"``, ``" 1e-3 "``, ``"-2.5"``, ``"1/4"``, ``"2^10"``, ``"0.5^10"`` or ``"2**10"``,
    ``"1,024"`` (commas followed by groups of exactly three digits separate
    thousands, as long as the first group does not start with 0). A decimal comma
    (``"0,25"``, ``"0,001"``) is refused with a message asking for a decimal point:
    ``"0,620"`` could mean 0.62 or 620.

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
        # "0,001" or "2,5": a decimal comma, never read as a number (is "0,620" 0.62 or 620?)
        raise _Unreadable(f"{s!r} has a decimal comma: use a decimal point, e.g. {s.replace(',', '.')!r}.")
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
