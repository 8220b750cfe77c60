"""Training a `CharLM` with truncated BPTT, and its perplexity on held-out text.

Introduced in notebook 12. `fit` reads the training text as m streams (a new random
offset each pass, as d2l does), in chunks of k steps, carries the state from chunk to
chunk, clips the gradient by its global norm and takes one Adam step per chunk. Every
`eval_every` steps it records the training perplexity since the last record and the
held-out perplexity, the learning curves a notebook plots.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..cache import cached
from ..optim import Adam, clip_by_norm
from .lm import CharLM
from .tbptt import chunks, sequential_streams

__all__ = ["perplexity", "fit"]


def _ids(model: CharLM, text) -> np.ndarray:
    return model.vocab.encode(text) if isinstance(text, str) else np.asarray(text, dtype=np.int64)


def perplexity(model: CharLM, text, m: int = 16, k: int = 200) -> float:
    """exp of the mean -log p(next character) over `text`, read as m streams with the state carried.

    Parameters
    ----------
    text : a str (encoded with the model's vocabulary) or (N,) ids
    m : number of streams read side by side (fewer makes it slower, and exact to the
        last character; each stream starts from the zero state)
    k : steps per forward call (the state is carried across them, so k does not
        change the result)

    Returns
    -------
    perplexity over the m (L - 1) characters predicted (the last (N % m) are dropped)
    """
    streams = sequential_streams(_ids(model, text), m)  # (L, m)
    total, count, state = 0.0, 0, None
    for ids_in, ids_out in chunks(streams, k):
        nll, state = model.nll(ids_in, ids_out, state)
        total += nll
        count += ids_out.size
    return float(np.exp(total / count))


@cached(mutates_first=True)
def fit(
    model: CharLM,
    train_text,
    val_text=None,
    steps: int = 1000,
    k: int = 64,
    m: int = 32,
    lr: float = 3e-3,
    clip: float | None = 1.0,
    eval_every: int = 100,
    max_seconds: float | None = None,
    seed: int = 0,
    clock: str = "wall",
    callback: Callable[[dict], None] | None = None,
    verbose: bool = False,
) -> dict[str, list]:
    """Train `model` with truncated BPTT and Adam.

    Parameters
    ----------
    model : a `CharLM`, trained in place
    train_text : str or (N,) ids of the training text
    val_text : str or ids of the held-out text (None skips the held-out curve)
    steps : Adam steps (one per chunk of k steps of m streams)
    k : truncation length, steps per chunk
    m : streams read side by side (the batch size)
    lr : Adam's learning rate
    clip : clip the global gradient norm to this (None: no clipping)
    eval_every : steps between two points of the learning curves
    max_seconds : stop after this much training time, if given (evaluation not counted)
    clock : what `max_seconds` counts: "wall" (elapsed time) or "cpu" (this process's CPU
        time, which on a busy shared machine is closer to the elapsed time on an idle one)
    seed : seeds the offsets of the passes over the text
    callback : called with the latest point of the curves, a dict
    verbose : print one line per point

    Returns
    -------
    history : dict of lists, one entry per point: "step", "chars" (characters trained on),
        "seconds" (training time, evaluation not counted), "cpu_seconds" (the same in CPU
        time), "train_ppl" (since the last point), "val_ppl" (NaN without val_text),
        "grad_norm" (mean before clipping)
    """
    ids = _ids(model, train_text)
    val_ids = None if val_text is None else _ids(model, val_text)
    rng = np.random.default_rng(seed)
    opt = Adam(lr=lr)
    if clock not in ("wall", "cpu"):
        raise ValueError(f"fit: clock must be 'wall' or 'cpu', got {clock!r}.")
    keys = ("step", "chars", "seconds", "cpu_seconds", "train_ppl", "val_ppl", "grad_norm")
    history: dict[str, list] = {key: [] for key in keys}
    step, chars, seconds, cpu = 0, 0, 0.0, 0.0
    nll_sum, n_sum, norm_sum, n_norm = 0.0, 0, 0.0, 0
    done = False
    while not done:
        streams = sequential_streams(ids, m, offset=int(rng.integers(k)))  # a new pass
        state = None
        for ids_in, ids_out in chunks(streams, k):
            t0, c0 = time.perf_counter(), time.process_time()
            loss, grads, state = model.loss_and_grads(ids_in, ids_out, state)
            if clip is not None:
                grads, norm = clip_by_norm(grads, clip)
                norm_sum, n_norm = norm_sum + norm, n_norm + 1
            opt.step(model.params, grads)
            seconds += time.perf_counter() - t0
            cpu += time.process_time() - c0
            step += 1
            chars += ids_in.size
            nll_sum += loss * ids_in.shape[1]  # the loss is a mean over the m streams
            n_sum += ids_in.size
            over = max_seconds is not None and (seconds if clock == "wall" else cpu) >= max_seconds
            if step % eval_every == 0 or step == steps or over:
                point = {
                    "step": step, "chars": chars, "seconds": seconds, "cpu_seconds": cpu,
                    "train_ppl": float(np.exp(nll_sum / n_sum)),
                    "val_ppl": float("nan") if val_ids is None else perplexity(model, val_ids),
                    "grad_norm": norm_sum / n_norm if n_norm else float("nan"),
                }  # fmt: skip
                for key in keys:
                    history[key].append(point[key])
                nll_sum, n_sum, norm_sum, n_norm = 0.0, 0, 0.0, 0
                if verbose:
                    print(
                        f"step {step:5d}  {chars / 1e6:5.2f} M chars  train ppl {point['train_ppl']:6.2f}  "
                        f"held-out ppl {point['val_ppl']:6.2f}  ({seconds:.1f} s, {cpu:.1f} s CPU)",
                        flush=True,
                    )
                if callback is not None:
                    callback(point)
            if step >= steps or over:
                done = True
                break
    return history
