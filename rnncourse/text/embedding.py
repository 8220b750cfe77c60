"""A learned embedding: one column of E per token, looked up by id.

Introduced in notebook 12. Feeding a one-hot column e_k to a layer multiplies W_F by
e_k, which picks column k of W_F. An embedding does the picking directly, without the
product: E has one column of n_e numbers per token, and the input at step t is

    x_t = E[:, ids_t]        E : (n_e, V),  ids_t : (m,),  x_t : (n_e, m)

Backward, each column of dL/dx_t is *added* to the column of dL/dE of its token. A
token that appears several times in a batch (at several steps or in several columns)
collects the sum of all its gradients, which is why the backward is a scatter-add
(`np.add.at`) and not an assignment ``dE[:, ids] = dX``: with repeated ids the
assignment keeps only one of them.
"""

from __future__ import annotations

import numpy as np

from ..errors import ShapeChecker, ShapeError

__all__ = ["init_embedding", "embedding_forward", "embedding_backward"]


def init_embedding(n_e: int, V: int, seed: int = 0, scale: float = 1.0) -> np.ndarray:
    """E (n_e, V) drawn from N(0, scale^2): one column of n_e numbers per token."""
    for name, v in (("n_e", n_e), ("V", V)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ShapeError(f"init_embedding: {name} must be a positive whole number, got {v!r}.")
    return np.random.default_rng(seed).standard_normal((n_e, V)) * scale  # (n_e, V)


def _check_ids(where: str, ids, V: int) -> np.ndarray:
    ids = np.asarray(ids)
    if ids.dtype.kind not in "iu":
        raise ShapeError(f"{where}: ids must be integer token ids (T, m), got dtype {ids.dtype}.")
    if ids.ndim != 2:
        raise ShapeError(
            f"{where}: ids should have shape (T, m), one id per step and sequence, but has shape "
            f"{ids.shape}. For one step use ids[None, :]; for one sequence use ids[:, None]."
        )
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ShapeError(f"{where}: ids must lie in 0..{V - 1} (V = {V}), got {ids.min()}..{ids.max()}.")
    return ids


def embedding_forward(E: np.ndarray, ids) -> np.ndarray:
    """Look up the columns of E: ids (T, m) -> X (T, n_e, m), X[t] = E[:, ids[t]].

    Parameters
    ----------
    E : (n_e, V) embedding, one column per token
    ids : (T, m) integer token ids, time-major

    Returns
    -------
    X : (T, n_e, m) inputs for a recurrent layer
    """
    E = ShapeChecker("embedding_forward").check("E", E, ("n_e", "V"), "embedding, one column per token")
    ids = _check_ids("embedding_forward", ids, E.shape[1])
    return E.T[ids].transpose(0, 2, 1)  # (T, m, n_e) -> (T, n_e, m)


def embedding_backward(dX: np.ndarray, ids, V: int) -> np.ndarray:
    """Backward of `embedding_forward`: scatter-add dX into the columns of the tokens.

    Parameters
    ----------
    dX : (T, n_e, m) dL/dX, the gradient at the looked-up inputs
    ids : (T, m) the ids used in the forward pass
    V : vocabulary size (columns of E)

    Returns
    -------
    dE : (n_e, V); column k is the sum of dX[t, :, i] over every (t, i) with ids[t, i] == k
    """
    T, m = np.shape(ids)[:2] if np.ndim(ids) == 2 else (None, None)
    chk = ShapeChecker("embedding_backward", {} if T is None else {"T": T, "m": m})
    dX = chk.check("dX", dX, ("T", "n_e", "m"), "gradient at the embedded inputs")
    ids = _check_ids("embedding_backward", ids, V)
    n_e = dX.shape[1]
    dE_T = np.zeros((V, n_e), dtype=dX.dtype)  # (V, n_e), rows are the columns of dE
    np.add.at(dE_T, ids.ravel(), dX.transpose(0, 2, 1).reshape(-1, n_e))  # (T*m, n_e) rows added
    return dE_T.T  # (n_e, V)
