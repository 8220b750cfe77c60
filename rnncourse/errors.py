"""Errors that teach: shape and value checks at the boundary of every public function.

A learner who passes a wrong shape should read, in the course notation, which
argument is wrong, what shape it should have, what it has, and the most likely
cause, instead of a traceback from deep inside NumPy.

The checks are driven by a `ShapeChecker`. Each argument is described by the
names of its dimensions in the course notation, for example ``("n_h", "m")``
for an activation. The first argument that fixes a name (say ``W_F`` fixes
``n_h`` and ``n_in``) binds it, and every later argument must agree.
"""

from __future__ import annotations

from itertools import permutations
from typing import Any

import numpy as np

__all__ = [
    "ShapeError",
    "ArgumentError",
    "ShapeChecker",
    "as_float_array",
    "format_shape",
    "check_positive_ints",
    "check_cache",
    "check_indices",
]


class ShapeError(ValueError):
    """An argument has the wrong shape (or is not a usable numeric array).

    It is a `ValueError`, so ``except ValueError`` catches it too.
    """


class ArgumentError(ValueError):
    """An argument has a value the function cannot use (a learning rate <= 0, an unknown class)."""


def format_shape(shape: tuple) -> str:
    """A shape as Python prints it: ``(3, 4)``, ``(5,)``; the entries may be names ("n_h")."""
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


_fmt = format_shape


def check_positive_ints(where: str, **sizes: Any) -> None:
    """Raise a `ShapeError` unless every size is a whole number of at least 1.

    `where` names the public function; each keyword names a size, for example
    ``check_positive_ints("init_params", n_in=n_in, n_h=n_h)``.
    """
    for name, v in sizes.items():
        if isinstance(v, bool) or not hasattr(v, "__index__") or v < 1:
            raise ShapeError(f"{where}: {name} must be a whole number of at least 1, got {v!r}.")


def check_indices(where: str, name: str, indices: Any, n: int, size: str = "n") -> None:
    """Raise an `ArgumentError` unless `indices` holds whole numbers in 0..n-1, or -1 for padding.

    `where` names the public function and `name` the argument, e.g.
    ``check_indices("EncoderDecoder", "Y", Y, n_out, "n_out")``; `size` names `n` in the message.
    """
    idx = np.asarray(indices)
    whole = idx.dtype.kind == "f" and bool(np.all(np.isfinite(idx))) and bool(np.all(idx == np.round(idx)))
    if idx.size and idx.dtype.kind not in "iu" and not whole:
        raise ArgumentError(f"{where}: {name} must hold whole word indices, got dtype {idx.dtype}.")
    if idx.size and (idx.min() < -1 or idx.max() >= n):
        bad = idx.max() if idx.max() >= n else idx.min()
        raise ArgumentError(
            f"{where}: {name} holds the index {bad}, but the vocabulary has {n} words: indices must "
            f"lie in 0..{n - 1}, or be -1 for padding. Build {name} with the model's vocabulary "
            f"(the one whose size is {size} = {n}), or give the model a larger vocabulary."
        )


def as_float_array(name: str, value: Any, where: str, dtype=None) -> np.ndarray:
    """Turn `value` into a floating-point array, or raise an error that names `name`.

    Integers and booleans are converted to float64; float32 and float64 are kept
    (unless `dtype` asks for another). Strings, objects, complex numbers, NaN and
    infinities are refused with a message that says what was received.
    """
    if value is None:
        raise ShapeError(f"{where}: {name} is None; pass a NumPy array.")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists and the like
        raise ShapeError(
            f"{where}: {name} could not be turned into an array ({exc}). "
            "Ragged lists (rows of different lengths) cannot form a matrix."
        ) from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "c":
        raise ShapeError(f"{where}: {name} is complex ({arr.dtype}); this course uses real numbers.")
    elif arr.dtype.kind != "f":
        raise ShapeError(
            f"{where}: {name} must hold numbers, but its dtype is {arr.dtype} "
            f"(for example strings or Python objects). Convert it with np.asarray(..., dtype=float)."
        )
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    if arr.size and not np.all(np.isfinite(arr)):
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ShapeError(
            f"{where}: {name} contains {n_nan} NaN and {n_inf} infinite value(s). "
            "Check the data and the learning rate: a NaN usually comes from an earlier "
            "step that overflowed (exploding activations or gradients)."
        )
    return arr


class ShapeChecker:
    """Check the arguments of one call against the course notation.

    Parameters
    ----------
    where : name of the public function, used at the start of every message.
    sizes : sizes already known, e.g. ``{"n_h": 7}``.
    """

    def __init__(self, where: str, sizes: dict[str, int] | None = None):
        self.where = where
        self.sizes: dict[str, int] = dict(sizes or {})

    def expected(self, dims: tuple[str, ...]) -> str:
        """The expected shape as text, with the known sizes filled in."""
        symbolic = "(" + ", ".join(dims) + ")"
        if all(d in self.sizes or d.isdigit() for d in dims):
            numbers = tuple(self.sizes.get(d, d) for d in dims)
            return f"{symbolic} = {_fmt(numbers)}"
        return symbolic

    def check(
        self, name: str, value: Any, dims: tuple[str, ...], meaning: str = "", dtype=None
    ) -> np.ndarray:
        """Return `value` as an array after checking it has shape `dims`.

        `dims` holds dimension names ("n_h", "m", "T") or literal sizes ("1").
        Names not bound yet are bound to this argument's sizes.
        """
        arr = as_float_array(name, value, self.where, dtype=dtype)
        shape = arr.shape
        what = f"{name} ({meaning})" if meaning else name
        if len(shape) != len(dims):
            raise ShapeError(self._ndim_message(name, what, shape, dims))
        if 0 in shape:
            raise ShapeError(
                f"{self.where}: {what} has shape {_fmt(shape)}, which is empty. "
                f"Expected {self.expected(dims)} with every size at least 1"
                + (" (a sequence needs at least one time step)." if "T" in dims else ".")
            )
        if not self._consistent(dims, shape):
            raise ShapeError(self._mismatch_message(name, what, shape, dims))
        # Second pass: bind new names; a name used twice (n_h, n_h) must agree with itself.
        local: dict[str, int] = {}
        for d, s in zip(dims, shape):
            if d.isdigit() or d in self.sizes:
                continue
            if d in local and local[d] != s:
                raise ShapeError(
                    f"{self.where}: {what} must be square {_fmt((d, d))}, but has shape {_fmt(shape)}."
                )
            local[d] = s
        self.sizes.update(local)
        return arr

    # -- messages ---------------------------------------------------------
    def _ndim_message(self, name: str, what: str, shape: tuple, dims: tuple[str, ...]) -> str:
        head = (
            f"{self.where}: {what} should be {len(dims)}-D with shape {self.expected(dims)}, "
            f"but has shape {_fmt(shape)} ({len(shape)}-D)."
        )
        hint = ""
        if len(shape) == len(dims) - 1:
            if dims[-1] == "1":
                hint = (
                    f" A bias is a column in this course: use {name}.reshape(-1, 1) "
                    "so that it broadcasts over the m columns of the batch."
                )
            elif dims[0] == "T":
                hint = (
                    f" The batch dimension m is missing: a batch of sequences is {_fmt(dims)}; "
                    f"for a single sequence use {name}[:, :, None] (a batch of m = 1)."
                )
            elif dims[-1] == "m":
                hint = (
                    " The batch dimension m is missing: even a single example is a column "
                    f"here, so use {name}[:, None] (or {name}.reshape(-1, 1)) for m = 1."
                )
        elif len(shape) == len(dims) + 1 and len(dims) == 2 and dims[-1] == "m":
            hint = (
                f" This looks like a whole sequence; {name} is one time step. "
                f"Take X[t] for step t (X is (T, n_0, m), so X[t] is x_t)."
            )
        return head + hint

    def _consistent(self, dims: tuple[str, ...], shape: tuple) -> bool:
        """True if `shape` agrees with every size of `dims` that is already known."""
        for d, s in zip(dims, shape):
            want = int(d) if d.isdigit() else self.sizes.get(d)
            if want is not None and want != s:
                return False
        return True

    def _mismatch_message(self, name: str, what: str, shape: tuple, dims: tuple[str, ...]) -> str:
        head = (
            f"{self.where}: {what} should have shape {self.expected(dims)} in the course notation, "
            f"but has shape {_fmt(shape)}."
        )
        hint = ""
        if len(shape) == 2 and self._consistent(dims, shape[::-1]):
            hint = (
                f" It looks transposed: use {name}.T. This course puts one example per column "
                "(the batch m is the last axis) and a layer's outputs in the rows of its weights."
            )
        elif len(shape) == 3:
            hint = self._order_hint(name, shape, dims)
        if not hint:
            wrong = [
                f"{d} = {int(d) if d.isdigit() else self.sizes[d]} but got {s}"
                for d, s in zip(dims, shape)
                if (d.isdigit() or d in self.sizes) and (int(d) if d.isdigit() else self.sizes[d]) != s
            ]
            if wrong:
                hint = " Mismatch: " + "; ".join(wrong) + "."
                if "m" in dims and any(w.startswith("m ") for w in wrong):
                    hint += " Every array in one call must have the same batch size m (columns)."
        return head + hint

    def _order_hint(self, name: str, shape: tuple, dims: tuple[str, ...]) -> str:
        """For a 3-D array with the right sizes in another order, say which transpose fixes it.

        Only sizes already known are compared, so several orders can fit; each is named.
        """
        readings = {
            (1, 2, 0): "batch-first (m, T, n_in), as Keras and PyTorch with batch_first=True lay it out",
            (0, 2, 1): "(T, m, n_in), PyTorch's default layout (batch_first=False)",
        }
        fits = [
            p
            for p in permutations(range(3))
            if p != (0, 1, 2) and self._consistent(dims, tuple(shape[i] for i in p))
        ]
        if not fits:
            return ""
        if dims[0] != "T":
            p = fits[0]
            return (
                f" The sizes may be right but in the wrong order: {name}.transpose{p} has shape "
                f"{_fmt(tuple(shape[i] for i in p))}."
            )
        named = [p for p in readings if p in fits]
        options = "; ".join(f"if it is {readings[p]}, use {name}.transpose{p}" for p in named)
        if not options:
            p = fits[0]
            options = f"{name}.transpose{p} has shape {_fmt(tuple(shape[i] for i in p))}"
        return (
            " This course is time-major, X[t] is x_t of shape (n_in, m), so a batch of sequences is "
            f"(T, n_in, m). The sizes may be right but in another order: {options}."
        )


def check_cache(where: str, cache: Any, keys: tuple[str, ...], made_by: str) -> dict:
    """Raise a `ShapeError` unless `cache` is a dict with every key the backward pass reads.

    `made_by` names the forward function whose cache `where` expects.
    """
    if not isinstance(cache, dict):
        raise ShapeError(
            f"{where}: cache must be the dict returned by {made_by}, got {type(cache).__name__}. "
            f"Pass the second value of `out, cache = {made_by}(...)`."
        )
    missing = [k for k in keys if k not in cache]
    if missing:
        raise ShapeError(
            f"{where}: cache lacks {', '.join(repr(k) for k in missing)}, so it does not come from "
            f"{made_by} (it has keys {sorted(cache)}). Pass the cache of the matching forward call."
        )
    return cache
