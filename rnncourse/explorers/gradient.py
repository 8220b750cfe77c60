"""The gradient explorer of notebooks 10 and 11: how much gradient is left at step t.

`gradient_explorer` puts the loss at the last step and plots ||dL/d state_t|| against
t on a log scale, for the plain RNN (with the bound (gamma sigma_max)^(T-t) of
`rnncourse.gradients.jacobian_bound`) and, side by side, for the LSTM and the GRU. The
sliders set sigma_max of the recurrent matrices, T, n_h, the RNN's activation and the
gated cells' gate bias. The numbers come from `rnncourse.gradients`; nothing is trained.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from .. import palette
from ..activations import GAMMA, check_activation
from .base import Explorer, text_block, text_height

__all__ = ["GradientExplorer", "gradient_explorer"]

CELL_TITLES = {"rnn": "plain RNN", "lstm": "LSTM", "gru": "GRU"}
MARKEVERY = 0.1  # a marker every tenth of the line's length on screen, whatever T is
_FLOOR, _CEIL = 1e-30, 1e30  # what the log axis can show


def _style(cell: str) -> dict:
    """Colour, marker and line style of `cell` (`rnncourse.palette.CELLS`), for ``ax.plot``."""
    style = palette.CELLS[cell]
    return {k: style[k] for k in ("color", "marker", "linestyle")}


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random orthogonal (n, n) matrix: every singular value is 1."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


class GradientExplorer(Explorer):
    """||dL/d state_t|| against t for a loss at the last step, with the bound (gamma s)^(T-t).

    Sliders: "sigma" (sigma_max of every recurrent matrix), "seq_len" (T), "n_hidden"
    (n_h), "activation" (plain RNN only) and, when a gated cell is shown, "gate_bias"
    (the LSTM's forget-gate bias b^f and the GRU's update-gate bias b^u).

    ``state`` holds "t" (T,) = 1 .. T, "norms" {cell: (T,)}, "bound" (T,),
    "verdicts" {cell: (word, factor)} with factor = norm at t=1 / norm at t=T, and the
    numbers of the bound: "sigma", "gamma" and "activation". The text is made from them
    when drawn.
    """

    kind = "gradient"
    figure_alt = (
        "The gradient norm against the time step t, on a log scale: for the plain RNN with its bound"
        " (gamma sigma_max)^(T-t) as a line, and side by side for the LSTM and the GRU when shown."
    )

    def __init__(
        self,
        sigma: float = 0.9,
        seq_len: int = 50,
        n_hidden: int = 16,
        activation: str = "tanh",
        cells: Sequence[str] = ("rnn",),
        gate_bias: float = 3.0,
        weights: str = "orthogonal",
        n_in: int = 4,
        input_scale: float = 0.5,
        seed: int = 0,
    ):
        super().__init__()
        import ipywidgets as w

        from ..cells import CELLS

        cells = tuple(cells)
        if not cells or len(set(cells)) != len(cells) or any(c not in CELLS for c in cells):
            raise ValueError(f"gradient_explorer: cells must be distinct names from {CELLS}, got {cells!r}.")
        if weights not in ("orthogonal", "gaussian"):
            raise ValueError(
                f"gradient_explorer: weights must be 'orthogonal' or 'gaussian', got {weights!r}."
            )
        check_activation(activation, "gradient_explorer")
        self.cells, self.weights, self.n_in, self.seed = cells, weights, n_in, seed
        self._bases: dict[tuple[str, int], dict] = {}
        t_max = max(200, int(seq_len))
        self._X = input_scale * np.random.default_rng([seed, 2]).standard_normal(
            (t_max, n_in, 1)
        )  # (T_max, n_in, 1)

        row1 = [
            self._float_slider("sigma", sigma, 0.1, 5.0, 0.05, "\u03c3_max(W_R)"),
            self._int_slider("seq_len", seq_len, 5, 200, "steps T"),
        ]
        row2 = [self._int_slider("n_hidden", n_hidden, 2, 64, "hidden n_h")]
        if any(c != "rnn" for c in cells):
            row2.append(
                self._float_slider("gate_bias", gate_bias, 0.0, 6.0, 0.25, "gate bias (b\u1da0, b\u1d58)")
            )
        act = self._chooser("activation", ("tanh", "sigmoid", "relu", "linear"), activation, "RNN activation")
        n_lines = len(cells) + ("rnn" in cells)
        self.text = w.HTML(layout=w.Layout(height=text_height(n_lines), overflow="hidden"))
        self.text.add_class("rnncourse-explorer-text")
        self._setup_figure()
        controls = [
            w.HBox(row1, layout=w.Layout(flex_flow="row wrap")),
            w.HBox(row2, layout=w.Layout(flex_flow="row wrap")),
            act,
        ]
        self.widget = self._box(controls, [self.text, self.image])
        self.update()

    # -- parameters -------------------------------------------------------------------
    def _base(self, cell: str, n_h: int) -> dict:
        """Parameters whose recurrent matrices have sigma_max = 1 (cached per cell and size)."""
        key = (cell, n_h)
        if key not in self._bases:
            from .. import cells as cells_mod

            rng = np.random.default_rng([self.seed, n_h, cells_mod.CELLS.index(cell)])
            params = cells_mod.init(cell, self.n_in, n_h, seed=self.seed)
            for k in params:
                if k.startswith("W_F"):
                    params[k] = rng.standard_normal(params[k].shape) / np.sqrt(self.n_in)
                elif k.startswith("W_R"):
                    M = rng.standard_normal((n_h, n_h))
                    params[k] = (
                        _orthogonal(rng, n_h) if self.weights == "orthogonal" else M / np.linalg.norm(M, 2)
                    )
            self._bases[key] = params
        return self._bases[key]

    def params_for(self, cell: str) -> dict:
        """The parameters used for `cell` at the current slider values."""
        v = self.values()
        params = {
            k: (a * v["sigma"] if k.startswith("W_R") else a.copy())
            for k, a in self._base(cell, v["n_hidden"]).items()
        }
        if cell == "lstm":
            params["b_f"][:] = v["gate_bias"]
        elif cell == "gru":
            params["b_u"][:] = v["gate_bias"]
        return params

    # -- figure -----------------------------------------------------------------------
    def _setup_figure(self) -> None:
        n = len(self.cells)
        fig = self._make_figure(figsize=(6.0, 3.2) if n == 1 else (8.6, 3.3))
        fig.subplots_adjust(left=0.13 if n == 1 else 0.1, right=0.98, top=0.76, bottom=0.16, wspace=0.08)
        axes = fig.subplots(1, n, sharey=True, squeeze=False)[0]
        self._axes, self._lines, self._titles = list(axes), {}, {}
        self._bound_line = None
        self._ghost = {}
        for ax, cell in zip(axes, self.cells):
            ax.set_yscale("log")
            ax.grid(True, which="major", color=palette.GRID, linewidth=0.8)
            ax.set_xlabel("time step t")
            if cell == "rnn":
                (self._bound_line,) = ax.plot(
                    [],
                    [],
                    color=palette.INK,
                    linestyle=(0, (5, 3)),
                    linewidth=1.4,
                    label="bound $(\\gamma\\,\\sigma_{max})^{T-t}$",
                )
            elif "rnn" in self.cells:
                (self._ghost[cell],) = ax.plot(
                    [],
                    [],
                    alpha=0.35,
                    linewidth=1.2,
                    markersize=4,
                    markevery=MARKEVERY,
                    **_style("rnn"),
                )
            (self._lines[cell],) = ax.plot(
                [],
                [],
                linewidth=2,
                markersize=5,
                markevery=MARKEVERY,
                **_style(cell),
            )
            self._titles[cell] = ax.set_title("")
        axes[0].set_ylabel("gradient norm (log)")
        # the legend names what the lines mean, above the plots, where no curve can hide it
        handles = [self._lines[c] for c in self.cells]
        if n == 1:
            labels = ["measured $\\|\\partial L/\\partial a_t\\|$"]
        else:
            labels = [CELL_TITLES[c] for c in self.cells]
        if self._bound_line is not None:
            handles.append(self._bound_line)
            labels.append(self._bound_line.get_label())
        fig.legend(
            handles,
            labels,
            loc="upper center",
            ncol=len(handles),
            frameon=False,
            bbox_to_anchor=(0.5, 1.0),
            handlelength=2.6,
        )
        self._limits = None
        animated = [*self._lines.values(), *self._titles.values(), *self._ghost.values()]
        if self._bound_line is not None:
            animated.append(self._bound_line)
        self._animate(*animated)
        self._style_text()

    # -- the update cycle -------------------------------------------------------------
    def _compute(self) -> None:
        from ..gradients import jacobian_bound, state_gradient_norms, verdict

        v = self.values()
        T, s, act = int(v["seq_len"]), float(v["sigma"]), v["activation"]
        X = self._X[:T]  # (T, n_in, 1)
        norms = {
            cell: state_gradient_norms(cell, self.params_for(cell), X, activation=act) for cell in self.cells
        }
        t = np.arange(1, T + 1)  # (T,)
        self.state = {
            "t": t,
            "norms": norms,
            "bound": jacobian_bound(s, act, T - t),  # (T,)
            "verdicts": {cell: verdict(n) for cell, n in norms.items()},
            "sigma": s,
            "gamma": GAMMA[act],
            "activation": act,
        }

    def _cell_lines(self) -> list[tuple[str, str, str]]:
        """(name, verdict word, the rest of the sentence) for each cell shown."""
        s, T = self.state, len(self.state["t"])
        rows = []
        for cell in self.cells:
            word, factor = s["verdicts"][cell]
            name = CELL_TITLES[cell] + (f" ({s['activation']})" if cell == "rnn" else "")
            rows.append((name, word, f", the gradient at t = 1 is {factor:.2g} times the one at t = T = {T}"))
        return rows

    def _bound_text(self, as_html: bool = False) -> str | None:
        """The bound at t = 1 in numbers, or None when no plain RNN is shown.

        As plain text, (γ σ_max)^(T−1) = (1 × 0.90)^49 = 0.0057; as HTML, with the
        subscript and the exponents set as such, as the figure's legend sets them.
        """
        if "rnn" not in self.cells:
            return None
        s, T = self.state, len(self.state["t"])
        numbers = f"{s['gamma']:g} \u00d7 {s['sigma']:.2f}"
        if as_html:  # line-height 0: the raised and lowered text keeps the line's height
            sub, sup = "<sub style='line-height:0'>", "<sup style='line-height:0'>"
            return (
                f"bound (<i>\u03b3</i> <i>\u03c3</i>{sub}max</sub>){sup}<i>T</i>\u22121</sup> "
                f"= ({numbers}){sup}{T - 1}</sup> = {s['bound'][0]:.2g}"
            )
        return f"bound (\u03b3 \u03c3_max)^(T\u22121) = ({numbers})^{T - 1} = {s['bound'][0]:.2g}"

    def _draw(self) -> None:
        t, norms, bound = self.state["t"], self.state["norms"], self.state["bound"]
        T = len(t)
        shown = [np.clip(n, _FLOOR, _CEIL) for n in norms.values()]
        # the range follows the measured curves (the bound may leave the picture), in steps of
        # five decades so that most slider moves keep the axes and only redraw the curves
        measured = np.concatenate(shown)
        finite = measured[np.isfinite(measured)]
        lo = max(-30, 5 * int(np.floor(np.log10(min(finite.min(), 0.1)) / 5))) if finite.size else -30
        hi = min(30, 5 * int(np.ceil(np.log10(max(finite.max(), 10.0)) / 5 + 1e-9))) if finite.size else 30
        limits = (T, lo, hi)
        if limits != self._limits:  # axes change: the cached background must be redrawn
            for ax in self._axes:
                ax.set_xlim(1, max(T, 2))
            self._axes[0].set_ylim(10.0**lo, 10.0**hi)
            self._limits = limits
            self.invalidate()
        for cell, n in zip(self.cells, shown):
            self._lines[cell].set_data(t, n)
            word, factor = self.state["verdicts"][cell]
            self._titles[cell].set_text(f"{CELL_TITLES[cell]}: {word} (\u00d7{factor:.1e})")
        for g in self._ghost.values():
            g.set_data(t, np.clip(norms["rnn"], _FLOOR, _CEIL))
        if self._bound_line is not None:
            self._bound_line.set_data(t, np.clip(bound, _FLOOR, _CEIL))
        rows = [
            f"{html.escape(name)}: <b style='color:{palette.VERDICT[word]}'>{word}</b>{html.escape(rest)}"
            for name, word, rest in self._cell_lines()
        ]
        bound_html = self._bound_text(as_html=True)
        if bound_html is not None:
            rows.append(f"<span style='color:{palette.MUTED}'>{bound_html}</span>")
        self.text.value = text_block(rows)

    def summary(self) -> str:
        parts = [f"{name}: {word}{rest}" for name, word, rest in self._cell_lines()]
        bound_text = self._bound_text()
        return "; ".join(parts + ([bound_text] if bound_text is not None else []))


def gradient_explorer(
    sigma: float = 0.9,
    seq_len: int = 50,
    n_hidden: int = 16,
    activation: str = "tanh",
    cells: Sequence[str] = ("rnn",),
    gate_bias: float = 3.0,
    weights: str = "orthogonal",
    seed: int = 0,
) -> GradientExplorer:
    """Sliders for sigma_max(W_R), T, n_h and the activation; a log plot of the gradient at every step.

    The loss sits at the last step, L = u . a_T for a fixed unit vector u (see
    `rnncourse.gradients.gradient_norms`), so the curve starts at 1 at t = T and shows what
    is left of the gradient on its way back to t = 1. The dashed line is the bound
    (gamma sigma_max)^(T-t) of `rnncourse.gradients.jacobian_bound`.

    Parameters
    ----------
    sigma : largest singular value of W_R (of every W_R^k for the gated cells)
    seq_len : T
    n_hidden : n_h
    activation : of the plain RNN: "tanh", "sigmoid", "relu" or "linear"
    cells : which cells to show side by side: any of "rnn", "lstm", "gru"
    gate_bias : initial LSTM forget-gate bias b^f and GRU update-gate bias b^u (gated cells only)
    weights : "orthogonal" (W_R = sigma times an orthogonal matrix: every singular value is
        sigma, so a linear RNN meets the bound exactly) or "gaussian" (a random Gaussian
        matrix rescaled so that its *largest* singular value is sigma)
    seed : fixes the weights and the inputs (n_in = 4 features, N(0, 0.5^2), one sequence)

    Returns
    -------
    GradientExplorer: ``ex.sliders["sigma"].value = 1.5`` recomputes ``ex.state["norms"]``.
    """
    return GradientExplorer(
        sigma=sigma,
        seq_len=seq_len,
        n_hidden=n_hidden,
        activation=activation,
        cells=cells,
        gate_bias=gate_bias,
        weights=weights,
        seed=seed,
    )
