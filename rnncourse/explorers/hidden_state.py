"""The hidden state explorer of notebook 02: step through one sequence, a_1 ... a_t.

`hidden_state_explorer` runs `rnncourse.rnn.forward` once and shows, for a slider t,
the inputs x_1 ... x_t and the hidden states a_1 ... a_t of one column of the batch as
two heat maps; the steps not reached yet stay blank. It trains nothing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from .. import rnn
from ..activations import check_activation
from ..palette import INK
from .base import FONT, Explorer, text_block, text_height

__all__ = ["HiddenStateExplorer", "hidden_state_explorer"]

BLANK = "#F4F4F4"  # a step not reached yet


def _fmt_vec(v: np.ndarray, digits: int = 2) -> str:
    return "[" + ", ".join(f"{x:+.{digits}f}" for x in np.asarray(v).ravel()) + "]"


class HiddenStateExplorer(Explorer):
    """Step through time: the inputs x_1..x_t and the hidden states a_1..a_t of one sequence.

    ``state`` holds ``"t"`` (1-based, as in the course), ``"x_t"`` (n_in,), ``"a_t"`` (n_h,),
    ``"visible"`` (n_h, T), the heat map shown (NaN for the future steps), ``"inputs_seen"``
    (n_in, T) likewise, and ``"label"``, the input label of step t (None without labels).
    ``A`` (T, n_h, m) holds every hidden state, computed once with `rnncourse.rnn.forward`.
    """

    kind = "hidden"
    figure_alt = (
        "Two heat maps over the time steps: above, the inputs x_1 to x_t; below, the neurons of the"
        " hidden states a_1 to a_t, up to the chosen step t."
    )

    def __init__(
        self,
        X: np.ndarray,
        params: dict,
        activation: str = "tanh",
        a0: np.ndarray | None = None,
        sequence: int = 0,
        input_labels: Sequence[str] | None = None,
    ):
        super().__init__()
        import ipywidgets as w

        check_activation(activation, "hidden_state_explorer")
        self.A, _ = rnn.forward(X, params, a0=a0, activation=activation)  # (T, n_h, m)
        self.X = np.asarray(X)
        T, n_in, m = self.X.shape
        if not 0 <= sequence < m:
            raise ValueError(
                f"hidden_state_explorer: sequence must be in 0..{m - 1} (the batch has m = {m} "
                f"columns), got {sequence}."
            )
        self.activation, self.sequence = activation, sequence
        self.T, self.n_in, self.n_h = T, n_in, self.A.shape[1]
        self.xs = self.X[:, :, sequence].T  # (n_in, T): inputs of the chosen sequence
        self.hs = self.A[:, :, sequence].T  # (n_h, T): its hidden states
        self.time_labels, self.feature_labels = None, None
        if input_labels is not None:
            labels = [str(s) for s in input_labels]
            if len(labels) == T:
                self.time_labels = labels
            elif len(labels) == n_in:
                self.feature_labels = labels
            else:
                raise ValueError(
                    f"hidden_state_explorer: input_labels needs one label per time step "
                    f"(T = {T}) or per input feature (n_in = {n_in}), got {len(labels)}."
                )

        slider = self._int_slider("t", 1, 1, T, "step t")
        slider.layout.width = "480px"
        self.text = w.HTML(layout=w.Layout(height=text_height(3), overflow="hidden"))
        self.text.add_class("rnncourse-explorer-text")
        self._setup_figure()
        self.widget = self._box([slider], [self.text, self.image])
        self.update()

    def _setup_figure(self) -> None:
        import matplotlib as mpl
        from matplotlib.patches import Rectangle

        n_in, n_h, T = self.n_in, self.n_h, self.T
        fig = self._make_figure()
        h_in = max(1.0, min(n_in, 6))
        gs = fig.add_gridspec(
            2,
            2,
            height_ratios=[h_in, max(3.0, min(n_h, 16))],
            width_ratios=[40, 1],
            left=0.12,
            right=0.91,
            top=0.88,
            bottom=0.16,
            hspace=0.12,
            wspace=0.04,
        )
        ax_x, ax_a = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[1, 0])
        cax = fig.add_subplot(gs[1, 1])
        cmap = mpl.colormaps["RdBu_r"].with_extremes(bad=BLANK)
        hmax = 1.0 if self.activation == "tanh" else max(1e-9, float(np.abs(self.hs).max()))
        hmin = 0.0 if self.activation in ("sigmoid", "relu") else -hmax
        xmax = max(1e-9, float(np.abs(self.xs).max()))
        extent_x = (0.5, T + 0.5, n_in - 0.5, -0.5)
        extent_a = (0.5, T + 0.5, n_h - 0.5, -0.5)
        self._im_x = ax_x.imshow(
            np.full((n_in, T), np.nan),
            cmap=cmap,
            vmin=-xmax,
            vmax=xmax,
            aspect="auto",
            interpolation="nearest",
            extent=extent_x,
        )
        self._im_a = ax_a.imshow(
            np.full((n_h, T), np.nan),
            cmap=cmap,
            vmin=hmin,
            vmax=hmax,
            aspect="auto",
            interpolation="nearest",
            extent=extent_a,
        )
        fig.colorbar(self._im_a, cax=cax)
        ax_x.set_ylabel("x", rotation=0, labelpad=10)
        ax_a.set_ylabel("neuron of a")
        ax_x.set_xticks([])
        ticks = np.arange(1, T + 1) if T <= 20 else np.unique(np.linspace(1, T, 9).round().astype(int))
        ax_a.set_xticks(ticks)
        if self.time_labels is not None and T <= 40:
            ax_a.set_xticks(np.arange(1, T + 1), self.time_labels)
        ax_a.set_xlabel("time step t")
        ax_x.set_yticks(range(n_in) if n_in <= 6 else [])
        if self.feature_labels is not None and n_in <= 6:
            ax_x.set_yticklabels(self.feature_labels)
        ax_a.set_yticks(range(n_h) if n_h <= 8 else range(0, n_h, max(2, n_h // 6)))
        self._cursors = []
        for ax, n in ((ax_x, n_in), (ax_a, n_h)):
            r = Rectangle((0.5, -0.5), 1.0, n, fill=False, edgecolor=INK, linewidth=1.5)
            ax.add_patch(r)
            self._cursors.append(r)
        self._title = fig.suptitle("", fontsize=FONT["title"])
        self._style_text()
        self._animate(self._im_x, self._im_a, *self._cursors, self._title)

    def _compute(self) -> None:
        t = int(self.sliders["t"].value)
        visible = np.full((self.n_h, self.T), np.nan)
        visible[:, :t] = self.hs[:, :t]
        seen = np.full((self.n_in, self.T), np.nan)
        seen[:, :t] = self.xs[:, :t]
        x_t, a_t = self.xs[:, t - 1], self.hs[:, t - 1]
        self.state = {
            "t": t,
            "x_t": x_t.copy(),
            "a_t": a_t.copy(),
            "visible": visible,
            "inputs_seen": seen,
            "label": self.time_labels[t - 1] if self.time_labels else None,
        }

    def _draw(self) -> None:
        t = self.state["t"]
        self._im_x.set_data(self.state["inputs_seen"])
        self._im_a.set_data(self.state["visible"])
        for r in self._cursors:
            r.set_x(t - 0.5)
        self._title.set_text(
            f"{self.activation} RNN, sequence {self.sequence}: steps 1 to {t} of T = {self.T}"
        )
        t_lbl = html.escape(self._step())
        mono = "<span style='font-family:monospace;font-size:90%'>"
        self.text.value = text_block(
            [
                f"<b>{t_lbl}</b>",
                f"{mono}x<sub>t</sub> = {html.escape(_fmt_vec(self.state['x_t']))}</span>",
                f"{mono}a<sub>t</sub> = {html.escape(_fmt_vec(self.state['a_t']))}</span>",
            ]
        )

    def _step(self) -> str:
        """'t = 3' or, with labels, "t = 3 ('c')"."""
        label = self.state["label"]
        return f"t = {self.state['t']}" + (f" ('{label}')" if label is not None else "")

    def summary(self) -> str:
        s = self.state
        return f"{self._step()}:  x_t = {_fmt_vec(s['x_t'])}   a_t = {_fmt_vec(s['a_t'])}"


def hidden_state_explorer(
    X: np.ndarray,
    params: dict,
    activation: str = "tanh",
    a0: np.ndarray | None = None,
    sequence: int = 0,
    input_labels: Sequence[str] | None = None,
) -> HiddenStateExplorer:
    """A slider for t that steps through one sequence: inputs and hidden states a_1 ... a_t.

    Parameters
    ----------
    X : (T, n_in, m) a batch of sequences, time-major
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    activation : "tanh", "sigmoid", "relu" or "linear"
    a0 : (n_h, m) initial state, zeros when None
    sequence : which column of the batch to show, 0 .. m-1
    input_labels : optional names, either one per time step (length T, e.g. the characters
        of a word, shown under the time axis) or one per input feature (length n_in)

    Returns
    -------
    HiddenStateExplorer: show it as the last expression of a cell. ``ex.sliders["t"]``
    runs from 1 to T; ``ex.state["a_t"]`` (n_h,) is the hidden state at the current step
    and ``ex.state["visible"]`` (n_h, T) the heat map (NaN for steps not reached yet).
    """
    return HiddenStateExplorer(
        X, params, activation=activation, a0=a0, sequence=sequence, input_labels=input_labels
    )
