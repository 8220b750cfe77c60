"""``python -m benchmarks charlm``: training speed of the character language model (notebook 12).

For each cell (plain RNN, GRU, LSTM) it times one training step, exactly as
`rnncourse.text.fit` takes it: forward over a chunk of k steps of m streams,
truncated BPTT, clipping by the global norm and an Adam update. It prints the
characters per second (k * m characters per step) and the share of the step's
time spent in matrix products.

How the share is measured: one step runs with its arrays viewed as a subclass of
``ndarray`` that records the shapes of every matrix product the code makes (``@``,
``np.matmul``, ``np.dot``, ``np.tensordot``). Each recorded product is then timed
on its own, on plain arrays of the same shapes, and the sum is divided by the time
of the whole step. Both are medians over many repeats in the same run, so read
the share and the ratios between cells, not the seconds, which depend on the
machine and its load.

OpenBLAS is kept to one thread, as in the notebooks' tests: these matrices are
small, and on a shared machine extra threads only wait for each other.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
from collections.abc import Sequence  # noqa: E402

import numpy as np  # noqa: E402

from rnncourse.optim import Adam, clip_by_norm  # noqa: E402
from rnncourse.text import corpus  # noqa: E402
from rnncourse.text.lm import CharLM  # noqa: E402
from rnncourse.text.tbptt import chunks, sequential_streams  # noqa: E402
from rnncourse.text.vocab import Vocab  # noqa: E402
from rnncourse.timing import median_time  # noqa: E402

__all__ = ["Recorded", "record_products", "bench_cell", "main"]

_PRODUCTS = {np.dot, np.tensordot, np.matmul}


class Recorded(np.ndarray):
    """An ndarray that notes the operand shapes of every matrix product it takes part in."""

    log: list[tuple[str, tuple, tuple, dict]] = []

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [_unwrap(x) for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(_unwrap(o) for o in kwargs["out"])
        if ufunc is np.matmul and method == "__call__":
            Recorded.log.append(("matmul", plain[0].shape, plain[1].shape, {}))
        result = getattr(ufunc, method)(*plain, **kwargs)
        return _wrap(result)

    def __array_function__(self, func, types, args, kwargs):
        if func in _PRODUCTS:
            a, b = (x.view(np.ndarray) if isinstance(x, Recorded) else x for x in args[:2])
            extra = (
                {"axes": kwargs.get("axes", args[2] if len(args) > 2 else 2)} if func is np.tensordot else {}
            )
            Recorded.log.append((func.__name__, a.shape, b.shape, extra))
            return _wrap(func(a, b, *args[2:], **kwargs))
        plain_args = _unwrap(args)
        return _wrap(func(*plain_args, **_unwrap(kwargs)))


def _wrap(x):
    if isinstance(x, np.ndarray) and not isinstance(x, Recorded) and x.dtype.kind == "f":
        return x.view(Recorded)
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    return x


def _unwrap(x):
    if isinstance(x, Recorded):
        return x.view(np.ndarray)
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v) for v in x)
    if isinstance(x, dict):
        return {k: _unwrap(v) for k, v in x.items()}
    return x


def _training_step(model: CharLM, ids_in, ids_out, opt: Adam, clip: float):
    loss, grads, state = model.loss_and_grads(ids_in, ids_out, None)
    grads, _ = clip_by_norm(grads, clip)
    opt.step(model.params, grads)
    return loss


def record_products(model: CharLM, ids_in, ids_out) -> list[tuple[str, tuple, tuple, dict]]:
    """The matrix products (name, shape of a, shape of b, options) of one training step."""
    saved, asarray, array = model.params, np.asarray, np.array
    model.params = {k: v.view(Recorded) for k, v in saved.items()}
    Recorded.log = []
    # The package's argument checks call np.asarray / np.array, which would drop the
    # subclass: for this one call, they keep it.
    np.asarray = lambda a, *args, **kw: np.asanyarray(a, *args, **kw)
    np.array = lambda a, *args, **kw: array(a, *args, **{"subok": True, **kw})
    try:
        model.loss_and_grads(ids_in, ids_out, None)
    finally:
        model.params, np.asarray, np.array = saved, asarray, array
    return list(Recorded.log)


def _time_products(products, dtype, repeats: int) -> float:
    rng = np.random.default_rng(0)
    total = 0.0
    for name, sa, sb, extra in products:
        a, b = rng.standard_normal(sa).astype(dtype), rng.standard_normal(sb).astype(dtype)
        fn = {"matmul": np.matmul, "dot": np.dot, "tensordot": np.tensordot}[name]
        total += median_time(lambda fn=fn, a=a, b=b, kw=extra: fn(a, b, **kw), repeats=repeats, number=20)
    return total


def bench_cell(cell: str, text: str, n_e=16, n_h=128, k=64, m=32, repeats=15) -> dict:
    """Time a training step of `cell`; characters per second and the matrix-product share."""
    vocab = Vocab.from_text(text)
    model = CharLM(vocab, n_e=n_e, n_h=n_h, cell=cell, seed=0)
    streams = sequential_streams(vocab.encode(text), m)
    ids_in, ids_out = next(chunks(streams, k))
    opt = Adam(lr=1e-3)
    step = median_time(lambda: _training_step(model, ids_in, ids_out, opt, 1.0), repeats=repeats)
    products = record_products(model, ids_in, ids_out)
    dtype = next(iter(model.params.values())).dtype
    in_products = _time_products(products, dtype, repeats)
    return {
        "cell": cell, "params": model.n_params(), "seconds_per_step": step,
        "chars_per_second": k * m / step, "products": len(products),
        "product_seconds": in_products, "product_share": in_products / step,
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks charlm", description=__doc__.split("\n")[0])
    parser.add_argument("--n-e", type=int, default=16)
    parser.add_argument("--n-h", type=int, default=128)
    parser.add_argument("--k", type=int, default=64, help="truncation length, steps per chunk")
    parser.add_argument("--m", type=int, default=32, help="streams per batch")
    parser.add_argument("--cells", default="rnn,gru,lstm")
    parser.add_argument("--repeats", type=int, default=15, help="timings each median is taken over")
    args = parser.parse_args(argv)
    train, _ = corpus.split_text(corpus.source_corpus())
    threads = os.environ["OPENBLAS_NUM_THREADS"]
    print(f"training step: k={args.k} steps x m={args.m} streams = {args.k * args.m} characters, "
          f"n_e={args.n_e}, n_h={args.n_h}, OPENBLAS_NUM_THREADS={threads}")  # fmt: skip
    rows = [
        bench_cell(c, train, args.n_e, args.n_h, args.k, args.m, args.repeats) for c in args.cells.split(",")
    ]
    print(f"{'cell':>5} {'params':>7} {'ms/step':>8} {'chars/s':>8} {'products':>9} {'in products':>12}")
    for r in rows:
        print(f"{r['cell']:>5} {r['params']:>7,} {1e3 * r['seconds_per_step']:>8.1f} "
              f"{r['chars_per_second']:>8,.0f} {r['products']:>9} {r['product_share']:>12.0%}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
