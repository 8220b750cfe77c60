"""``python -m benchmarks`` (or ``python -m benchmarks rnn``): forward + BPTT against a large matrix product.

It times forward + BPTT at T=100, m=64, n_in=32, n_h=128 in
float64 and float32, and prints the arithmetic rate it reaches next to the rate
of one large matrix product measured in the same run, so the ratio means
something on any machine. If PyTorch happens to be installed, its ``nn.RNN``
is timed on the same shapes too (it is not a dependency of the course).

Each time is the best of many repeats (the least disturbed by whatever else
runs on a shared machine), and the codes compared are timed the same way in the
same run: compare the ratios, not seconds across runs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

import numpy as np

from rnncourse import rnn
from rnncourse.timing import median_time

__all__ = ["best_time", "rnn_flops", "bench_rnn", "bench_matmul", "bench_torch", "main"]


def best_time(fn: Callable[[], object], repeats: int = 20, warmup: int = 3) -> float:
    """Shortest wall time of ``fn()`` over `repeats` calls: what the code can do when
    nothing else on a shared machine gets in the way. Used for ratios of two codes."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.min(times))


def rnn_flops(T: int, m: int, n_in: int, n_h: int) -> int:
    """Floating-point operations of forward + BPTT, counting the matrix products only.

    Forward: W_F X (2 T m n_h n_in) and W_R a_{t-1} (2 T m n_h^2). Backward does
    each twice (one for the weight gradient, one for the gradient flowing back).
    """
    forward = 2 * T * m * n_h * (n_in + n_h)
    return 3 * forward


def bench_rnn(T=100, m=64, n_in=32, n_h=128, dtype=np.float64, repeats=20) -> dict:
    """Time forward + backward of `rnncourse.rnn`; returns seconds and GFLOP/s."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, n_in, m)).astype(dtype)
    params = rnn.init_params(n_in, n_h, seed=1, dtype=dtype)
    dA = rng.standard_normal((T, n_h, m)).astype(dtype)

    def step():
        A, cache = rnn.forward_fast(X, params)
        return rnn.backward_fast(dA, cache)

    seconds = best_time(step, repeats)
    return {"seconds": seconds, "gflops": rnn_flops(T, m, n_in, n_h) / seconds / 1e9}


def bench_matmul(n=1024, dtype=np.float64, repeats=10) -> dict:
    """GFLOP/s of one large (n, n) @ (n, n) product: what this machine's BLAS can do."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    seconds = best_time(lambda: a @ b, repeats, warmup=2)
    return {"seconds": seconds, "gflops": 2 * n**3 / seconds / 1e9}


def bench_torch(T=100, m=64, n_in=32, n_h=128, dtype=np.float64, repeats=20) -> dict | None:
    """The same measurement with PyTorch's nn.RNN on the CPU, if torch is installed."""
    try:
        import torch
    except ImportError:
        return None
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    layer = torch.nn.RNN(n_in, n_h, batch_first=False).to(tdtype)
    X = torch.randn(T, m, n_in, dtype=tdtype, requires_grad=True)
    g = torch.randn(T, m, n_h, dtype=tdtype)

    def step():
        layer.zero_grad()
        out, _ = layer(X)
        out.backward(g)

    seconds = median_time(step, repeats)
    return {
        "seconds": seconds,
        "gflops": rnn_flops(T, m, n_in, n_h) / seconds / 1e9,
        "threads": torch.get_num_threads(),
        "version": torch.__version__,
    }


def run_rnn(args) -> int:
    T, m, n_in, n_h = args.T, args.m, args.n_in, args.n_h
    print(
        f"forward + BPTT, T={T}, m={m}, n_in={n_in}, n_h={n_h}  "
        f"({rnn_flops(T, m, n_in, n_h) / 1e6:.0f} MFLOP per step of training)"
    )
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        mm = bench_matmul(dtype=dtype)
        r = bench_rnn(T, m, n_in, n_h, dtype=dtype, repeats=args.repeats)
        print(
            f"  {name}: rnncourse {r['seconds'] * 1e3:7.2f} ms  {r['gflops']:6.1f} GFLOP/s   "
            f"large matmul {mm['gflops']:6.1f} GFLOP/s   ratio {r['gflops'] / mm['gflops']:.0%}"
        )
        t = bench_torch(T, m, n_in, n_h, dtype=dtype, repeats=args.repeats)
        if t is not None:
            print(
                f"  {name}: torch {t['version']} nn.RNN {t['seconds'] * 1e3:7.2f} ms  "
                f"{t['gflops']:6.1f} GFLOP/s   rnncourse is {t['seconds'] / r['seconds']:.2f}x its speed"
            )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks rnn", description=__doc__.splitlines()[0])
    parser.add_argument("--T", type=int, default=100)
    parser.add_argument("--m", type=int, default=64)
    parser.add_argument("--n-in", dest="n_in", type=int, default=32)
    parser.add_argument("--n-h", dest="n_h", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=20)
    return run_rnn(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
