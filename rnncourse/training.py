"""Training the models of `rnncourse.models`: one Adam step, and `fit` built on it.

`Model.train_step` is the one place where a model takes a step of gradient descent
(loss and gradients, optional clipping by norm, Adam); `Model.fit` loops it over
shuffled minibatches and epochs, and the long-lag experiment of notebooks 10 and 11
(`rnncourse.longlag`) loops it over fresh batches. Notebook 08.
"""

from __future__ import annotations

import time

import numpy as np

from .cache import cached
from .errors import ArgumentError, check_positive_ints
from .optim import Adam, clip_by_norm
from .tasks import Split


def _check_fit_args(epochs, batch_size, lr, clip) -> None:
    """Raise a teaching `ValueError` for a hyperparameter `fit` cannot use."""
    check_positive_ints("fit", epochs=epochs, batch_size=batch_size)
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ArgumentError(f"fit: lr must be a positive number (for example 0.01), got {lr!r}.")
    if clip is not None and (isinstance(clip, bool) or not isinstance(clip, (int, float)) or not clip >= 0):
        raise ArgumentError(f"fit: clip must be None or a number >= 0 (for example 5.0), got {clip!r}.")


__all__ = ["Model"]

Params = dict[str, np.ndarray]


class Model:
    """What the four models share: parameters, one training step, `fit` and its history."""

    score_name = "score"

    params: Params

    def __init__(self) -> None:
        self.history: dict[str, list] = {
            "epoch": [],
            "loss": [],
            "val_epoch": [],
            "val": [],
            "batch_loss": [],
        }
        self.seconds = 0.0
        self._opt: Adam | None = None

    # -- to be provided by each model -----------------------------------------
    def loss_and_grads(self, *args, **kwargs) -> tuple[float, Params]:  # pragma: no cover
        raise NotImplementedError

    def _args(self, batch: Split) -> tuple:  # pragma: no cover
        """The arguments of `loss_and_grads` taken from a batch of a split."""
        raise NotImplementedError

    def score(self, split: Split) -> float:  # pragma: no cover
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------
    def n_params(self) -> int:
        """Number of trainable numbers."""
        return int(sum(p.size for p in self.params.values()))

    def loss(self, split: Split) -> float:
        """The loss on a whole split (mean over its sequences)."""
        return self.loss_and_grads(*self._args(split))[0]

    @cached(mutates_first=True)
    def fit(
        self,
        train: Split,
        epochs: int = 10,
        batch_size: int = 64,
        lr: float = 0.01,
        clip: float | None = None,
        val: Split | None = None,
        print_every: int = 1,
        seed: int = 0,
        verbose: bool = True,
    ) -> dict[str, list]:
        """Train with Adam on shuffled minibatches.

        Parameters
        ----------
        train : a split of a task (see `rnncourse.tasks`)
        epochs : passes over the training split
        batch_size : sequences per step of Adam
        lr : learning rate of Adam
        clip : if given, the global gradient norm is clipped to `clip` before each
            step (`rnncourse.optim.clip_by_norm`)
        val : if given, `score(val)` is computed every `print_every` epochs and
            after the last one
        print_every : print a progress line every so many epochs (and after the
            last); 0 prints nothing, and `val` is then scored after the last
            epoch only
        seed : seeds the shuffling
        verbose : print the progress lines

        Returns
        -------
        history : dict with "epoch", "loss" (mean training loss of each epoch),
            "val_epoch" and "val" (the validation score at those epochs) and
            "batch_loss" (the loss of every minibatch, for a detailed learning
            curve). Calling `fit` again continues training and extends the history;
            ``model.seconds`` adds up the training time.
        """
        return self._fit(train, epochs, batch_size, lr, clip, val, print_every, seed, verbose)

    def train_step(self, args: tuple, lr: float = 0.01, clip: float | None = None) -> float:
        """One step of Adam on one batch; every way of training a model goes through here.

        Parameters
        ----------
        args : the arguments of `loss_and_grads` for the batch (e.g. X, y, lengths)
        lr : learning rate of Adam (a new Adam starts when it changes)
        clip : if given, the global gradient norm is clipped to `clip` first
            (`rnncourse.optim.clip_by_norm`)

        Returns
        -------
        loss : the batch's loss before the step, also appended to ``history["batch_loss"]``
        """
        if self._opt is None or self._opt.lr != lr:
            self._opt = Adam(lr=lr)
        loss, grads = self.loss_and_grads(*args)
        if clip is not None:
            grads, _ = clip_by_norm(grads, clip)
        self._opt.step(self.params, grads)
        self.history["batch_loss"].append(loss)
        return loss

    def _fit(self, train, epochs, batch_size, lr, clip, val, print_every, seed, verbose) -> dict[str, list]:
        if print_every < 0:
            raise ValueError(
                f"print_every must be 0 (silent) or a positive number of epochs, got {print_every}"
            )
        _check_fit_args(epochs, batch_size, lr, clip)
        if print_every == 0:
            verbose = False
        rng = np.random.default_rng(seed)
        m = len(train)
        start_epoch = self.history["epoch"][-1] if self.history["epoch"] else 0
        t0 = time.perf_counter()
        for e in range(1, epochs + 1):
            order = rng.permutation(m)
            total = 0.0
            for s in range(0, m, batch_size):
                idx = order[s : s + batch_size]
                total += self.train_step(self._args(train.take(idx, tokens=False)), lr, clip) * len(idx)
            epoch = start_epoch + e
            self.history["epoch"].append(epoch)
            self.history["loss"].append(total / m)
            if e == epochs or (print_every > 0 and e % print_every == 0):
                line = f"epoch {epoch:3d}   training loss {total / m:.4f}"
                if val is not None:
                    v = self.score(val)
                    self.history["val_epoch"].append(epoch)
                    self.history["val"].append(v)
                    line += f"   validation {self.score_name} {v:.4f}"
                if verbose:
                    print(line + f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
        self.seconds += time.perf_counter() - t0
        return self.history
