"""Softmax and cross-entropy, for one output per sequence or one per time step.

The output layer gives logits ``o = W_out a + b_out`` with one row per class and
one column per sequence, like everything else in the course:

- many-to-one: logits ``(n_out, m)``, labels ``(m,)`` (the class of each sequence);
- many-to-many: logits ``(T, n_out, m)``, labels ``(T, m)`` and a mask ``(T, m)``
  that is 1 at real steps and 0 at padding.

**Convention.** The loss of one sequence is the *sum* of its per-step losses
(over the unmasked steps), as in the course's total loss L = sum_t L_t; the loss
of a batch is the *mean* over its m sequences. Each function returns the loss and
its gradient with respect to the logits, so no cache is needed.
"""

from __future__ import annotations

import numpy as np

from .errors import ShapeChecker, ShapeError, as_float_array

__all__ = ["softmax", "log_softmax", "cross_entropy_last", "cross_entropy_sequence"]


def _logits(logits, where: str) -> np.ndarray:
    z = as_float_array("logits", logits, where)
    if z.ndim not in (2, 3):
        raise ShapeError(
            f"{where}: logits should be (n_out, m) or (T, n_out, m), but has shape {z.shape}; "
            "classes are the rows and the batch the columns in this course."
        )
    return z


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax over the classes (axis -2), computed without forming tiny probabilities.

    ``log p_k = (o_k - max) - log(sum_j exp(o_j - max))``: the subtraction keeps
    ``exp`` from overflowing, and taking the log of the sum (at least 1) instead of
    the log of each probability keeps ``log p`` exact even where ``p`` itself would
    underflow to 0, e.g. for logits of -1000 and 1000.

    logits : (n_out, m) or (T, n_out, m)  ->  log_probs : same shape
    """
    z = _logits(logits, "log_softmax")
    shifted = z - z.max(axis=-2, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-2, keepdims=True))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the classes, which are the rows (axis -2) of `logits`.

    Parameters
    ----------
    logits : (n_out, m) or (T, n_out, m)

    Returns
    -------
    probs : same shape; each column sums to 1

    Subtracting each column's maximum first leaves the result unchanged and keeps
    ``exp`` from overflowing, so logits of 1000 are as safe as logits of 1.
    """
    z = _logits(logits, "softmax")
    e = np.exp(z - z.max(axis=-2, keepdims=True))
    return e / e.sum(axis=-2, keepdims=True)


def _check_not_transposed(where: str, z_shape: tuple, labels) -> None:
    """Logits with the batch in the rows: the labels' length gives it away."""
    a, b = z_shape[-2], z_shape[-1]
    if a == b or np.shape(labels) != (*z_shape[:-2], a):
        return
    lead, want = ("(T, ", "(T, n_out, m)") if len(z_shape) == 3 else ("(", "(n_out, m)")
    fix = "logits.transpose(0, 2, 1)" if len(z_shape) == 3 else "logits.T"
    raise ShapeError(
        f"{where}: logits looks transposed. It has shape {lead}{a}, {b}) and there are {a} labels per "
        f"step, one per sequence, so m = {a} and logits should be {want} = {lead}{b}, {a}). "
        f"This course puts the classes in the rows and the batch in the columns: pass {fix}."
    )


def _check_labels(where: str, labels, shape: tuple, n_out: int, dims: str) -> np.ndarray:
    y = np.asarray(labels)
    if y.shape != shape:
        hint = ""
        if y.ndim == len(shape) + 1:
            hint = " Labels are class indices (integers), not one-hot columns: use labels.argmax(axis=-2)."
        raise ShapeError(
            f"{where}: labels should have shape {dims} = {shape}, but has shape {y.shape}.{hint}"
        )
    if y.dtype.kind not in "iu":
        if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.int64)
        else:
            raise ShapeError(
                f"{where}: labels must be whole class indices 0..{n_out - 1}, got dtype {y.dtype}."
            )
    if y.size and (y.min() < 0 or y.max() >= n_out):
        raise ShapeError(
            f"{where}: labels must lie in 0..{n_out - 1} (there are n_out = {n_out} classes), "
            f"but range from {y.min()} to {y.max()}."
        )
    return y


def cross_entropy_last(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Cross-entropy of a many-to-one output (computed from the last step only).

    Parameters
    ----------
    logits : (n_out, m) scores of the output layer after the last step
    labels : (m,) integer class of each sequence

    Returns
    -------
    loss : float, mean over the m sequences of -log p(correct class)
    dlogits : (n_out, m) gradient of `loss` with respect to `logits`
    """
    chk = ShapeChecker("cross_entropy_last")
    z = chk.check("logits", logits, ("n_out", "m"), "output scores after the last step")
    n_out, m = z.shape
    _check_not_transposed("cross_entropy_last", z.shape, labels)
    y = _check_labels("cross_entropy_last", labels, (m,), n_out, "(m,)")
    log_p = log_softmax(z)  # (n_out, m)
    cols = np.arange(m)
    loss = float(-log_p[y, cols].mean())
    dlogits = np.exp(log_p)  # softmax
    dlogits[y, cols] -= 1.0
    return loss, dlogits / m


def cross_entropy_sequence(
    logits: np.ndarray, labels: np.ndarray, mask: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    """Cross-entropy of a many-to-many output, summed over time steps.

    Parameters
    ----------
    logits : (T, n_out, m) scores at every step
    labels : (T, m) integer class at every step (any value at padded steps)
    mask : (T, m) 1 where the step is real, 0 where it is padding; None means all 1

    Returns
    -------
    loss : float, (1/m) * sum over sequences and unmasked steps of -log p(correct class)
    dlogits : (T, n_out, m) its gradient; zero at masked steps
    """
    chk = ShapeChecker("cross_entropy_sequence")
    z = chk.check("logits", logits, ("T", "n_out", "m"), "output scores at every step")
    T, n_out, m = z.shape
    _check_not_transposed("cross_entropy_sequence", z.shape, labels)
    if mask is None:
        M = np.ones((T, m))
    else:
        M = chk.check("mask", mask, ("T", "m"), "1 at real steps, 0 at padding")
        if not np.all((M == 0) | (M == 1)):
            raise ShapeError("cross_entropy_sequence: mask must hold only 0 and 1.")
    if np.shape(labels) != (T, m):
        _check_labels("cross_entropy_sequence", labels, (T, m), n_out, "(T, m)")  # raises
    # Padded steps may hold any label (often -1): replace them before checking the range.
    y = _check_labels("cross_entropy_sequence", np.where(M > 0, labels, 0), (T, m), n_out, "(T, m)")
    log_p = log_softmax(z)  # (T, n_out, m)
    t_idx, b_idx = np.meshgrid(np.arange(T), np.arange(m), indexing="ij")  # (T, m) each
    loss = float(-(log_p[t_idx, y, b_idx] * M).sum() / m)
    dlogits = np.exp(log_p)  # softmax
    dlogits[t_idx, y, b_idx] -= 1.0
    dlogits *= M[:, None, :] / m
    return loss, dlogits
