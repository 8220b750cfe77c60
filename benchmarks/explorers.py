"""``python -m benchmarks explorer``: slider change to new PNG, for every slider explorer, in this process."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import numpy as np

from rnncourse import rnn
from rnncourse.explorers import (
    Explorer,
    clipping_explorer,
    gradient_explorer,
    hidden_state_explorer,
    shape_explorer,
)

__all__ = ["main"]


def _time_changes(ex: Explorer, changes: list[tuple[str, Any]]) -> list[float]:
    times = []
    for name, value in changes:
        ex.sliders[name].value = value
        times.append(ex.last_callback_seconds)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    """Median time from a slider change to a new PNG, for every explorer; prints a table.

    ``python -m benchmarks explorer [--rounds N]``. The gradient explorer is timed on
    changes of every kind: sigma_max and n_h (the figure is patched in place) and T and
    large jumps of sigma_max (the axes change, so the background is redrawn).
    """
    parser = argparse.ArgumentParser(prog="python -m benchmarks explorer")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the list of slider changes")
    args = parser.parse_args(list(argv or []))

    rng = np.random.default_rng(0)
    grad_changes = [("sigma", s) for s in (0.8, 0.95, 1.0, 1.05, 1.2, 0.5, 1.6, 2.0, 0.9)]
    grad_changes += [("seq_len", T) for T in (60, 100, 200, 50)]
    grad_changes += [("n_hidden", n) for n in (8, 32, 16)]
    grad_changes += [("activation", a) for a in ("sigmoid", "relu", "linear", "tanh")]
    cases = [
        ("gradient (rnn)", lambda: gradient_explorer(), grad_changes),
        ("gradient (rnn, lstm, gru)", lambda: gradient_explorer(cells=("rnn", "lstm", "gru")), grad_changes),
        (
            "clipping",
            lambda: clipping_explorer(),
            [("threshold", x) for x in (0.05, 0.2, 0.5, 0.1)] + [("lr", x) for x in (2.0, 8.0, 12.0, 5.0)],
        ),
        (
            "shapes",
            lambda: shape_explorer(),
            [("n_hidden", n) for n in (8, 20, 7)] + [("batch", 32), ("seq_len", 20), ("n_in", 5)],
        ),
        (
            "hidden state",
            lambda: hidden_state_explorer(rng.standard_normal((20, 3, 2)), rnn.init_params(3, 8)),
            [("t", t) for t in (2, 5, 9, 14, 20, 1)],
        ),
    ]
    print(f"explorer callback time (slider change -> new PNG), median over {args.rounds} rounds")
    for name, make, changes in cases:
        ex = make()
        _time_changes(ex, changes)  # warm up
        times = []
        for _ in range(args.rounds):
            times += _time_changes(ex, changes)
        t = np.array(times) * 1e3
        print(
            f"  {name:26s} median {np.median(t):6.1f} ms   90th percentile {np.percentile(t, 90):6.1f} ms"
            f"   ({len(t)} changes)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
