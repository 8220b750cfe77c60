"""The long-lag experiment: remember the first symbol across L - 1 distractors.

Every sequence has L steps. Step 1 shows one of `n_symbols` signal symbols; steps 2 .. L
show distractor symbols drawn at random from a separate set of `n_distractors`. After the
last step the network must name the signal symbol. Inputs are one-hot, so
n_in = n_symbols + n_distractors::

    lag 5, n_symbols 4:   C  x  z  y  x   ->  answer "C"
                          ^ the only step that matters, L - 1 = 4 steps back

A many-to-one model (`rnncourse.models.ManyToOne` with ``cell="rnn"``, ``"lstm"`` or
``"gru"``: a recurrent cell, then a softmax on a_T) guesses at chance,
1 / n_symbols, until it learns to carry the symbol across the lag. The gradient that
teaches it has to travel L - 1 steps back, which is where a plain RNN runs out.

Training draws a fresh batch every step (there is no fixed training set to memorise)
and measures the accuracy on a separate test batch made from another seed. Everything
is seeded: the same arguments give the same numbers on the same machine.

This module holds the experiment's data (`make_lag_task`) and a thin runner
(`train_lag`, `lag_sweep`) for notebooks 10 and 11; the model and its training step
are those of `rnncourse.models`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from . import palette
from .cache import cached
from .models import ManyToOne

__all__ = ["make_lag_task", "train_lag", "lag_sweep", "chance_level", "plot_accuracy"]


def make_lag_task(
    lag: int, m: int, n_symbols: int = 4, n_distractors: int = 4, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A batch of `m` sequences of length `lag` whose label is the first symbol.

    Parameters
    ----------
    lag : L, the number of steps; the answer is L - 1 steps behind the last one (L >= 1)
    m : sequences in the batch
    n_symbols : signal symbols (classes); chance is 1 / n_symbols
    n_distractors : distractor symbols filling steps 2 .. L

    Returns
    -------
    X : (L, n_symbols + n_distractors, m) one-hot inputs, time-major
    y : (m,) the class of each sequence, the index of its first symbol
    """
    if lag < 1 or m < 1 or n_symbols < 2 or n_distractors < 1:
        raise ValueError("make_lag_task: need lag >= 1, m >= 1, n_symbols >= 2 and n_distractors >= 1.")
    rng = np.random.default_rng(seed)
    n_in = n_symbols + n_distractors
    y = rng.integers(0, n_symbols, size=m)  # (m,)
    tokens = np.empty((lag, m), dtype=int)  # (L, m)
    tokens[0] = y
    tokens[1:] = n_symbols + rng.integers(0, n_distractors, size=(lag - 1, m))
    X = np.zeros((lag, n_in, m))
    X[np.arange(lag)[:, None], tokens, np.arange(m)[None, :]] = 1.0  # (L, n_in, m)
    return X, y


def chance_level(n_symbols: int = 4) -> float:
    """Accuracy of guessing: 1 / n_symbols."""
    return 1.0 / n_symbols


def _accuracy(model: ManyToOne, X: np.ndarray, y: np.ndarray) -> float:
    """Share of the sequences of X (L, n_in, m) whose predicted class is y (m,)."""
    return float(np.mean(model.predict(X) == y))


@cached()
def train_lag(
    cell: str,
    lag: int,
    n_h: int = 16,
    steps: int = 300,
    batch: int = 32,
    lr: float = 0.01,
    clip: float | None = 1.0,
    seed: int = 0,
    n_symbols: int = 4,
    n_distractors: int = 4,
    n_test: int = 500,
    target: float = 0.99,
    init_kwargs: dict | None = None,
) -> dict:
    """Train a `ManyToOne` model on the lag task with Adam and clipping; report its test accuracy.

    Parameters
    ----------
    cell : "rnn" (tanh), "lstm" or "gru"
    lag : L, steps per sequence
    n_h : neurons of the recurrent layer
    steps : training steps, each on a fresh batch of `batch` sequences
    lr : Adam's learning rate
    clip : max_norm for `rnncourse.optim.clip_by_norm` (None: no clipping)
    seed : fixes the initial weights and every batch
    init_kwargs : passed to the cell's init, e.g. ``{"forget_bias": 2.0}`` for the LSTM
    target : stop early once a training batch is classified with at least this accuracy
        three checks in a row (checked every 10 steps)

    Returns
    -------
    dict with "accuracy" (on `n_test` unseen sequences), "losses" (per step), "steps" (run),
    "seconds", "model" (the trained `rnncourse.models.ManyToOne`), "cell" and "lag".
    """
    t0 = time.perf_counter()
    n_in = n_symbols + n_distractors
    model = ManyToOne(n_in, n_h, n_symbols, seed=seed, cell=cell, **(init_kwargs or {}))
    hits = 0
    for step in range(steps):
        X, y = make_lag_task(lag, batch, n_symbols, n_distractors, seed=(seed, lag, step))
        model.train_step((X, y, None), lr=lr, clip=clip)  # a fresh batch every step
        if step % 10 == 9:
            hits = hits + 1 if _accuracy(model, X, y) >= target else 0
            if hits >= 3:
                break
    X_test, y_test = make_lag_task(lag, n_test, n_symbols, n_distractors, seed=(seed, lag, 10**6))
    return {
        "cell": cell,
        "lag": lag,
        "accuracy": _accuracy(model, X_test, y_test),
        "losses": np.array(model.history["batch_loss"]),
        "steps": len(model.history["batch_loss"]),
        "seconds": time.perf_counter() - t0,
        "model": model,
    }


def lag_sweep(cell: str, lags: Iterable[int], seeds: Iterable[int] = (0,), **kwargs) -> dict[int, float]:
    """Mean test accuracy of `train_lag` over `seeds`, for every lag.

    Returns
    -------
    {lag: mean accuracy}; keyword arguments go to `train_lag`.
    """
    seeds = list(seeds)
    return {
        lag: float(np.mean([train_lag(cell, lag, seed=s, **kwargs)["accuracy"] for s in seeds]))
        for lag in lags
    }


def plot_accuracy(lags: Sequence[int], accuracy: Mapping[str, Mapping[int, float]]):
    """Test accuracy against the lag, one line per cell, and the chance level (notebooks 10 and 11).

    Parameters
    ----------
    lags : the lags trained, e.g. [5, 10, 20, 40, 80]; drawn on a log axis labelled at these values
    accuracy : {cell: {lag: test accuracy}} for cells among "rnn", "lstm", "gru"

    Returns
    -------
    the matplotlib Figure

    Each cell has its colour, marker and line style from `rnncourse.palette.CELLS`.
    Cells that reach the same accuracy (LSTM and GRU both at 1.0) would hide one
    another, so each line is shifted a little along the lag axis (6 % per cell, a
    fraction of the gap between lags) and the larger markers are drawn first, below.
    The legend sits to the right of the plot, where it covers no line.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    unknown = [c for c in accuracy if c not in palette.CELLS]
    if unknown:
        raise ValueError(
            f"plot_accuracy: accuracy has keys {unknown}; use the cell names {list(palette.CELLS)}"
        )
    cells = [c for c in palette.CELLS if c in accuracy]
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    for k, cell in enumerate(cells):
        style = palette.CELLS[cell]
        shift = 1.06 ** (k - (len(cells) - 1) / 2)  # multiplicative: the same width on a log axis
        ax.plot(
            [lag * shift for lag in lags],
            [accuracy[cell][lag] for lag in lags],
            color=style["color"],
            marker=style["marker"],
            linestyle=style["linestyle"],
            markersize=9 - 1.5 * k,
            linewidth=2,
            zorder=2 + k,
            label=style["label"],
        )
    ax.axhline(chance_level(), color=palette.MUTED, linestyle="-.", linewidth=1.2, label="chance (1/4)")
    ax.set_xscale("log")
    ax.set_xticks(lags, [str(lag) for lag in lags])
    ax.xaxis.set_minor_locator(NullLocator())  # no unlabelled minor ticks, no labels such as 6x10^0
    ax.set_xlim(min(lags) / 1.25, max(lags) * 1.25)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("lag $\\Delta$ (steps per sequence)")
    ax.set_ylabel("test accuracy")
    ax.grid(True, color=palette.GRID)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    fig.tight_layout()
    return fig
