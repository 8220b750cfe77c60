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
    _EXAMPLES = ("(2, 5)", "(3, 4)", "(4, 6)")  # the first one the answer does not accept is shown

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
        return self._not_accepted(self._EXAMPLES)  # it shows the format, never the answer

    def _example_forms(self) -> tuple[str, str, str]:
        sizes = self._example()[1:-1].split(", ")
        return self._example(), "x".join(sizes), "[" + ", ".join(sizes) + "]"

    @property
    def _placeholder(self) -> str:
        tuple_form, x_form, _ = self._example_forms()
        return f"e.g. {tuple_form} or {x_form}"

    def _instructions(self) -> str:
        tuple_form, x_form, list_form = self._example_forms()
        return f"Type a shape, e.g. {tuple_form}, {x_form} or {list_form}."

    def _judge(self, response: Any) -> tuple[bool, str]:
        g = parse_shape(response)
        return self.diagnose(g)

    def diagnose(self, g: tuple[int, ...]) -> tuple[bool, str]:
        """Compare a parsed shape `g` with the answer; return (correct, message)."""
        a, m, G = self.answer, self.batch, _fmt_shape(g)
        if g == a:
            return _right(f"{_fmt_shape(a)} is the shape" + (f" of {self.name}." if self.name else "."))
        asks = f"the question asks for {self.name}" if self.name else "the question asks for something else"
        # a related array's shape (maybe one block of a concatenation), then one transposed
        for rname, r in self.related.items():
            if g == r:
                block = self._block_axis(r)
                if block is not None:
                    others = [
                        n for n, s in self.related.items() if n != rname and self._block_axis(s) == block
                    ]
                    joined = " and ".join([rname, *others])
                    how = (
                        "put side by side (along axis 1), so their numbers of columns add up"
                        if block == 1
                        else "stacked on top of each other (along axis 0), so their numbers of rows add up"
                        if block == 0
                        else f"joined along axis {block}, so their sizes along that axis add up"
                    )
                    whole = asks + " as a whole" if self.name else "the question asks for the whole matrix"
                    return _wrong(
                        f"{G} is the shape of {rname}, only one of the blocks; {whole}. "
                        f"The blocks {joined} are {how}."
                    )
                return _wrong(f"that is the shape of {rname}; {asks}.")
        for rname, r in self.related.items():
            if len(r) == 2 and r[0] != r[1] and g == r[::-1]:
                return _wrong(f"that is the shape of {rname} transposed; {asks}.")
        if len(g) == len(a) == 2 and g == a[::-1]:
            return _wrong(f"{G} looks transposed. {self._transposed_reason()}")
        if len(g) == len(a) and sorted(g) == sorted(a):
            return _wrong(f"{G} has the right sizes in the wrong order. " + self._order_reason(g))
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

    def _order_reason(self, g: tuple[int, ...]) -> str:
        """Why the order of a permuted answer matters, for the layout the question asks for."""
        a, m = self.answer, self.batch
        if len(a) != 3 or m is None or m not in a or a.count(m) > 1:
            return "Check which size goes on which axis."
        n = "n_0" if self._is_x() else "n"
        of = "X[t] is x_t" if self._is_x() else "indexing [t] gives the array of step t"
        what = "time, features, batch" if self._is_x() else "time, the rows of one step, batch"
        if a[2] == m:  # the course's time-major layout
            if g == (a[2], a[0], a[1]):
                return (
                    f"That is the batch-first layout (m, T, {n}) that Keras and PyTorch (batch_first=True) "
                    f"use. This course is time-major: (T, {n}, m), so that {of}."
                )
            return f"This course orders a sequence tensor as {what}: (T, {n}, m), so that {of}."
        if a[0] == m:
            return (
                f"The question asks for the batch-first layout (m, T, {n}) of Keras and PyTorch "
                f"(batch_first=True): batch, then time, then features."
                + (
                    f" (T, {n}, m) is this course's time-major layout; transpose(2, 0, 1) turns it "
                    f"into (m, T, {n})."
                    if g == (a[1], a[2], a[0])
                    else ""
                )
            )
        return f"The question asks for the layout (T, m, {n}): time, then batch, then features."

    def _is_x(self) -> bool:
        """Whether the question asks for an input tensor X (its sizes are then (T, n_0, m))."""
        name = (self.name or "").replace("the batch-first ", "").strip("$` ")
        return name == "X" or name.startswith("X ")

    def _transposed_reason(self) -> str:
        if self.batch is not None and len(self.answer) == 2 and self.answer[1] == self.batch:
            return (
                "This course puts the batch in columns: one column per sequence, "
                f"so the batch size m = {self.batch} is the number of columns."
            )
        name = (self.name or "").lstrip("$\\")
        if name.startswith("W_F"):
            return (
                "A weight matrix has one row per neuron of the layer it feeds and one column per "
                "number it reads: W_F^l is (n_l, n_{l-1}), so that W_F^l a^{l-1} works with the batch "
                "in the columns of a^{l-1}."
            )
        if name.startswith("W"):
            return (
                "A weight matrix has one row per neuron of the layer it feeds and one column per "
                "number it reads, so that it multiplies a column of inputs, with the batch in the columns."
            )
        if name.startswith("b") and len(self.answer) == 2 and self.answer[1] == 1:
            return (
                "A bias is a column, one row per neuron: (n_l, 1), so that it is broadcast across the "
                "m columns of the batch."
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
            s
            for s in self.related.values()
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
