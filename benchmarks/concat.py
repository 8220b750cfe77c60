"""``python -m benchmarks concat``: one product with ``W = [W_F | W_R]`` against two products, per time step.

The two forms are timed interleaved (`rnncourse.timing.compare`), so a busy
machine slows both alike; the ratio is what to read.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from rnncourse.timing import compare

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks concat", description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=64)
    parser.add_argument("--n-in", dest="n_in", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    m, n_in = args.m, args.n_in
    print(f"one step, m={m}, n_in={n_in}: two products W_F x + W_R a vs one product W [x; a]")
    for n_h in (16, 64, 256):
        W_F = rng.standard_normal((n_h, n_in))  # (n_h, n_in)
        W_R = rng.standard_normal((n_h, n_h))  # (n_h, n_h)
        W = np.hstack([W_F, W_R])  # (n_h, n_in + n_h)
        x = rng.standard_normal((n_in, m))  # (n_in, m)
        a = rng.standard_normal((n_h, m))  # (n_h, m)
        result = compare(
            {
                "two": lambda: W_F @ x + W_R @ a,  # noqa: B023
                "one": lambda: W @ np.vstack([x, a]),  # noqa: B023
            },
            repeats=args.repeats,
        )
        two, one = result.medians["two"], result.medians["one"]
        print(
            f"  n_h={n_h:4d}: two {two * 1e6:7.1f} us   one {one * 1e6:7.1f} us   "
            f"two/one {result.ratio('two', 'one'):.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
