"""Shape questions: "What is the shape of ...?", diagnosed in the course notation.

The diagnoses know the course's conventions: the batch in the columns, the
time-major layout (T, n_0, m), weights that do not depend on the batch, and
blocks of a concatenation such as W = [W_F | W_R].

>>> q = ShapeQuestion("Shape of W = [W_F | W_R]?", answer=(7, 10), name="W",
...                   related={"W_F": (7, 3), "W_R": (7, 7)})
>>> q.check("10 x 7").message[:34]
'Not yet: (10, 7) looks transposed.'
>>> q.check("(7, 10)").correct
True
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

from .feedback import _right, _Unreadable, _wrong
from .parse import _dims_word, _fmt_shape, parse_shape
from .question import Question


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

