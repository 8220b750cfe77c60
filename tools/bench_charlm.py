"""Train the character-level language model on the package's own source and report.

    python tools/bench_charlm.py [--cell lstm] [--seconds 60] [--n-e 16] [--n-h 128] ...

Prints the n-gram baselines, the held-out perplexity of each cell trained for the
same time budget, characters per second (forward + BPTT + update), three samples,
and the closing-bracket probe. The budget counts CPU time by default (``--clock``):
on a shared, busy machine it is what the elapsed time would be on an idle core. Timings
depend on the machine and its load: rerun it, and read them as ratios.

OpenBLAS is kept to one thread (set before NumPy loads): the matrices here are small,
and on a busy machine extra threads only wait for each other.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

from rnncourse.text import corpus  # noqa: E402
from rnncourse.text.lm import CharLM, sample  # noqa: E402
from rnncourse.text.ngram import baselines  # noqa: E402
from rnncourse.text.probe import bracket_closing, char_probs  # noqa: E402
from rnncourse.text.train import fit, perplexity  # noqa: E402
from rnncourse.text.vocab import Vocab  # noqa: E402


def speed(model: CharLM, train: str, k: int, m: int, steps: int = 20) -> tuple[float, float]:
    """Characters per second of forward + BPTT + update: (per CPU second, per elapsed second)."""
    c0, t0 = time.process_time(), time.perf_counter()
    fit(model, train, None, steps=steps, k=k, m=m, eval_every=10**9)
    n = steps * k * m
    return n / (time.process_time() - c0), n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cells", default="lstm,gru,rnn")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--n-e", type=int, default=16)
    ap.add_argument("--n-h", type=int, default=128)
    ap.add_argument("--rnn-n-h", type=int, default=0, help="n_h of the plain RNN (0: same parameter count)")
    ap.add_argument("--k", type=int, default=64)
    ap.add_argument("--m", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--steps", type=int, default=10**9)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--clock", default="cpu", choices=["cpu", "wall"], help="what --seconds counts")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    text = corpus.source_corpus()
    train, val = corpus.split_text(text, 0.1)
    vocab = Vocab.from_text(train)
    print(f"corpus {len(text):,} characters: {len(train):,} training, {len(val):,} held out, "
          f"V = {len(vocab)}")  # fmt: skip
    t0 = time.perf_counter()
    base = baselines(train, val)
    print("n-gram baselines (add-one):", {k: round(v, 2) for k, v in base.items()},
          f"({time.perf_counter() - t0:.1f} s)")  # fmt: skip

    results = {}
    for cell in args.cells.split(","):
        n_h = args.n_h
        if cell == "rnn":
            gated = "lstm" if "lstm" in args.cells else "gru"
            n_h = args.rnn_n_h or _same_budget(vocab, args.n_e, args.n_h, gated)
        model = CharLM(vocab, args.n_e, n_h, cell, seed=args.seed)
        if not args.no_speed:
            cpu, wall = speed(CharLM(vocab, args.n_e, n_h, cell), train, args.k, args.m)
            print(f"\n{model}: {cpu:,.0f} characters per CPU second, {wall:,.0f} per second elapsed "
                  "(forward + BPTT + update)")  # fmt: skip
        hist = fit(model, train, val, steps=args.steps, k=args.k, m=args.m, lr=args.lr, clip=args.clip,
                   eval_every=args.eval_every, max_seconds=args.seconds, seed=args.seed, clock=args.clock,
                   verbose=not args.quiet)  # fmt: skip
        ppl = perplexity(model, val)
        best = min(hist["val_ppl"])
        print(f"{cell}: held-out perplexity {ppl:.2f} (best on the curve {best:.2f}) after "
              f"{hist['step'][-1]} steps, {hist['chars'][-1]:,} characters, "
              f"{hist['seconds'][-1]:.1f} s ({hist['cpu_seconds'][-1]:.1f} s CPU)")  # fmt: skip
        results[cell] = model
        rng = np.random.default_rng(args.seed)
        for temp in (0.5, 1.0, 1.5):
            print(f"--- sample at temperature {temp} ---")
            print(sample(model, "def ", 200, temperature=temp, rng=rng))
    print("\nclosing brackets: mean probability given to the closer, by distance to its opener")
    for cell, model in results.items():
        rows = bracket_closing(char_probs(model, val), val)
        print(f"{cell:5s}", "  ".join(f"[{r['from']},{r['to'] if r['to'] < 10**6 else 'inf'}): "
                                      f"{r['mean_p']:.3f} (n={r['count']})" for r in rows))  # fmt: skip


def _same_budget(vocab: Vocab, n_e: int, n_h: int, cell: str) -> int:
    """The plain RNN's n_h with about as many parameters as the gated cell of size n_h."""
    target = CharLM(vocab, n_e, n_h, cell).n_params()
    return min(range(1, 8 * n_h), key=lambda h: abs(CharLM(vocab, n_e, h, "rnn").n_params() - target))


if __name__ == "__main__":
    main()
