"""Timing small pieces of NumPy code fairly, for notebook 06 (simplified notation).

Two ideas, both about a shared, busy machine:

- `median_time` times one callable many times and keeps the median, which a few
  runs slowed down by other programs do not move.
- `compare` times two or more callables *interleaved*: round after round, each
  one runs once, in an order that rotates from round to round. Background load
  that comes and goes then slows all of them alike, and their ratio, taken
  round by round and then as a median over the rounds, stays put even when the
  seconds do not.

What this module does not do: it reports seconds of wall time on this machine,
never a speed you could compare across machines. Compare ratios from one run.
It imports NumPy only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Comparison", "compare", "median_time", "plot_timings"]


def _time_once(fn: Callable[[], object], number: int) -> float:
    """Seconds for one call of ``fn()``, averaged over `number` calls in a row."""
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def median_time(fn: Callable[[], object], repeats: int = 20, warmup: int = 3, number: int = 1) -> float:
    """Median wall time of one call of ``fn()``, in seconds.

    Parameters
    ----------
    fn : callable taking no argument, the code to time
    repeats : how many timings the median is taken over
    warmup : calls made first and not timed (caches, first allocations)
    number : calls per timing, for code too fast to time one call at a time

    Returns
    -------
    float : seconds per call, the median over `repeats` timings
    """
    _check_counts(repeats=repeats, number=number, warmup=warmup)
    for _ in range(warmup):
        fn()
    return float(np.median([_time_once(fn, number) for _ in range(repeats)]))


@dataclass
class Comparison:
    """What `compare` measured: every timing of every candidate, by name.

    Attributes
    ----------
    times : dict name -> (repeats,) array of seconds per call, round by round
    """

    times: dict[str, np.ndarray]

    @property
    def names(self) -> list[str]:
        return list(self.times)

    @property
    def medians(self) -> dict[str, float]:
        """Median seconds per call of each candidate."""
        return {name: float(np.median(t)) for name, t in self.times.items()}

    def ratio(self, slower: str, faster: str) -> float:
        """Median over the rounds of ``time(slower) / time(faster)``; above 1 means `faster` is faster.

        Each round's two timings were taken moments apart, so a slow spell of the
        machine cancels out in their quotient; the median then drops the rounds
        where it did not.
        """
        for name in (slower, faster):
            if name not in self.times:
                raise KeyError(f"ratio: no candidate named {name!r}; the candidates are {self.names}")
        return float(np.median(self.times[slower] / self.times[faster]))

    def ratios(self, baseline: str) -> dict[str, float]:
        """``ratio(baseline, name)`` for every candidate: how many times faster than `baseline`."""
        return {name: self.ratio(baseline, name) for name in self.times}

    def table(self, baseline: str | None = None, unit: float = 1e-6, unit_name: str = "us") -> str:
        """A small text table: median time and speed relative to `baseline` (the first by default)."""
        baseline = baseline or self.names[0]
        ratios = self.ratios(baseline)
        width = max(len(n) for n in self.names)
        lines = [f"{'':{width}s}  {'median ' + unit_name:>12s}  {'x faster than ' + baseline:>s}"]
        for name, seconds in self.medians.items():
            lines.append(f"{name:{width}s}  {seconds / unit:12.2f}  {ratios[name]:.2f}")
        return "\n".join(lines)


def compare(
    candidates: Mapping[str, Callable[[], object]], repeats: int = 100, warmup: int = 3, number: int = 1
) -> Comparison:
    """Time two or more callables alternately, so that background load affects all of them alike.

    In each of `repeats` rounds every candidate is timed once (`number` calls in a
    row); the order of the candidates rotates from one round to the next, so none
    of them always runs first.

    Parameters
    ----------
    candidates : dict name -> callable taking no argument (at least two)
    repeats : rounds; each candidate gets one timing per round
    warmup : untimed calls of each candidate before the first round
    number : calls per timing, for code too fast to time one call at a time

    Returns
    -------
    Comparison : ``.medians`` (seconds per call), ``.ratio(a, b)``, ``.table()``
    """
    names = list(candidates)
    if len(names) < 2:
        raise ValueError(
            f"compare: candidates should name at least two callables to compare, got {len(names)}; "
            "for one callable use median_time(fn)"
        )
    for name, fn in candidates.items():
        if not callable(fn):
            raise TypeError(
                f"compare: candidates[{name!r}] should be a callable taking no argument, "
                f"got {type(fn).__name__}; wrap a call in a lambda: lambda: f(x)"
            )
    _check_counts(repeats=repeats, number=number, warmup=warmup)
    for fn in candidates.values():
        for _ in range(warmup):
            fn()
    times = {name: np.empty(repeats) for name in names}  # (repeats,) each
    for r in range(repeats):
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            times[name][r] = _time_once(candidates[name], number)
    return Comparison(times)


def _check_counts(**counts: int) -> None:
    for name, value in counts.items():
        least = 0 if name == "warmup" else 1
        if not isinstance(value, (int, np.integer)) or value < least:
            raise ValueError(f"{name} should be a whole number of at least {least}, got {value!r}")


def plot_timings(
    sizes: Sequence[int],
    per_step: Mapping[str, np.ndarray],
    speed: Mapping[str, np.ndarray],
    lengths: Sequence[int],
    in_loop: np.ndarray,
    at_once: np.ndarray,
    *,
    n_0: int,
    n_h: int,
    m: int,
):
    """Notebook 06's figure of the timings: one step, its speed-up, and the input part.

    Parameters
    ----------
    sizes : hidden sizes n_h timed for one step
    per_step : {version: (len(sizes),) microseconds per step}
    speed : {version: (len(sizes),) speed relative to two products, above 1 = faster}
    lengths : sequence lengths T timed for the input part
    in_loop, at_once : (len(lengths),) microseconds for the input part, in a loop and as one product
    n_0, n_h, m : the sizes to name in the titles

    Returns
    -------
    the matplotlib Figure: two panels above, the input part across the width below,
    9 inches wide so that the notebook shows it at full size and its text stays legible.
    """
    import matplotlib.pyplot as plt

    from .palette import MUTED, series

    fig, axes = plt.subplot_mosaic([["step", "speed"], ["input", "input"]], figsize=(9, 7.2))
    for k, w in enumerate(per_step):
        axes["step"].plot(sizes, per_step[w], label=w, **series(k))
        axes["speed"].plot(sizes, speed[w], label=w, **series(k))
    axes["speed"].axhline(1.0, color=MUTED, lw=0.8)
    axes["input"].plot(lengths, in_loop, label="one product per step, in a loop", **series(0))
    axes["input"].plot(lengths, at_once, label="one product for all steps", **series(1))
    labels = {  # x label, y label, title
        "step": ("hidden size $n_h$", "microseconds per step", f"one step ($n_0$ = {n_0}, $m$ = {m})"),
        "speed": ("hidden size $n_h$", "speed relative to two products", "above 1: faster than two products"),
        "input": (
            "sequence length $T$",
            "microseconds in total",
            f"the input part $W_F x_t + b$ ($n_1$ = {n_h}, $m$ = {m})",
        ),
    }
    for key, (xlabel, ylabel, title) in labels.items():
        axes[key].set(xscale="log", xlabel=xlabel, ylabel=ylabel, title=title)
    axes["step"].set_yscale("log")
    axes["input"].set_yscale("log")
    axes["speed"].set_ylim(0.5, 1.6)
    for key, ticks in [("step", sizes), ("speed", sizes), ("input", lengths)]:
        ax = axes[key]
        ax.set_xticks(ticks, [str(v) for v in ticks])
        ax.minorticks_off()
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=9)
    fig.tight_layout()
    return fig
