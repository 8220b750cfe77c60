"""The clipping explorer of notebook 10: gradient descent near a cliff, clipped two ways.

`clipping_explorer` draws the loss surface of a one-neuron RNN over (w, b), which has
a cliff (`rnncourse.gradients.cliff_loss`), and three runs of gradient descent from one
start (`rnncourse.gradients.cliff_descent`): unclipped, clipped by norm and clipped by
value. Sliders set the clipping threshold and the learning rate.
"""

from __future__ import annotations

import numpy as np

from .. import palette
from .base import Explorer, text_block, text_height

__all__ = ["ClippingExplorer", "clipping_explorer"]

#: run -> (label, colour, marker and line style); colour is never the only cue
CLIP_STYLES = {
    "none": ("no clipping", palette.series(1)),  # vermillion, squares, dashed
    "norm": ("clip by norm", palette.series(0)),  # blue, circles, solid
    "value": ("clip by value", palette.series(3)),  # orange, diamonds, dotted
}
#: the marker of each run as a character, for the HTML lines under the figure
GLYPHS = {"s": "&#9632;", "o": "&#9679;", "D": "&#9670;"}


class ClippingExplorer(Explorer):
    """Gradient descent on the one-neuron cliff, with and without clipping.

    Sliders "threshold" (max_norm for clipping by norm, the limit for clipping by value)
    and "lr" (learning rate). ``state`` holds, for each run "none", "norm" and "value":
    "paths" (steps + 1, 2) the (w, b) visited, "losses" (steps + 1,), "tail_loss" (mean loss
    of the last 10 steps) and "longest_step"; also "max_grad" (the largest raw gradient norm
    met by the unclipped run). ``surface`` (n_b, n_w) is the loss on the grid
    ``w_grid`` x ``b_grid``, computed once.
    """

    kind = "clipping"
    figure_alt = (
        "Left: the loss over (w, b) with the paths of gradient descent without clipping, with clipping"
        " by norm and with clipping by value. Right: the loss of each run against the step."
    )

    def __init__(
        self,
        threshold: float = 0.05,
        lr: float = 1.0,
        start: tuple[float, float] = (4.5, -3.0),
        steps: int = 50,
        w_range: tuple[float, float] = (2.5, 6.5),
        b_range: tuple[float, float] = (-4.5, 0.5),
        grid: int = 161,
    ):
        super().__init__()
        import ipywidgets as w

        from ..gradients import cliff_loss

        self.start, self.steps = (float(start[0]), float(start[1])), int(steps)
        self.w_grid = np.linspace(*w_range, grid)  # (n_w,)
        self.b_grid = np.linspace(*b_range, grid)  # (n_b,)
        self.surface = cliff_loss(self.w_grid[None, :], self.b_grid[:, None])  # (n_b, n_w), all at once
        sliders = [
            self._float_slider("threshold", threshold, 0.01, 1.0, 0.01, "clip threshold"),
            self._float_slider("lr", lr, 0.25, 10.0, 0.25, "learning rate", readout_format=".2f"),
        ]
        self.text = w.HTML(layout=w.Layout(height=text_height(4), overflow="hidden"))
        self.text.add_class("rnncourse-explorer-text")
        self._setup_figure()
        self.widget = self._box(
            [w.HBox(sliders, layout=w.Layout(flex_flow="row wrap"))], [self.text, self.image]
        )
        self.update()

    def _setup_figure(self) -> None:
        fig = self._make_figure(figsize=(6.8, 3.2))
        ax, ax_l = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1], "wspace": 0.42})
        fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.16)
        # a grey surface (light = low loss) keeps the coloured paths readable on it
        cs = ax.contourf(
            self.w_grid,
            self.b_grid,
            self.surface,
            levels=np.linspace(0, 0.5, 21),
            cmap="Greys",
            vmin=0.0,
            vmax=0.8,
        )
        fig.colorbar(cs, ax=ax, fraction=0.05, pad=0.02, ticks=[0, 0.25, 0.5])
        ax.plot(*self.start, "o", color="white", markeredgecolor=palette.INK, markersize=7, zorder=5)
        ax.set_xlim(self.w_grid[0], self.w_grid[-1])
        ax.set_ylim(self.b_grid[0], self.b_grid[-1])
        ax.set_xlabel("w")
        ax.set_ylabel("b", labelpad=0)
        ax.set_title("loss over (w, b), the paths")
        ax_l.set_xlim(0, self.steps)
        ax_l.set_ylim(0, 0.5)
        ax_l.set_xlabel("gradient descent step")
        ax_l.set_ylabel("loss", labelpad=1)
        ax_l.grid(True, color=palette.GRID)
        self._paths, self._curves = {}, {}
        for key, (label, style) in CLIP_STYLES.items():
            (self._paths[key],) = ax.plot([], [], linewidth=1.5, markersize=3.5, label=label, **style)
            # the loss curves zigzag: markers would crowd them, the line styles tell them apart
            (self._curves[key],) = ax_l.plot([], [], linewidth=1.8, label=label, **{**style, "marker": None})
        ax_l.legend(loc="upper right", handlelength=2.6, borderpad=0.3, labelspacing=0.3)
        self._title = ax_l.set_title("")
        self._animate(*self._paths.values(), *self._curves.values(), self._title)
        self._style_text()

    def _compute(self) -> None:
        from ..gradients import cliff_descent

        v = self.values()
        runs = {
            "none": cliff_descent(self.start, v["lr"], self.steps),
            "norm": cliff_descent(self.start, v["lr"], self.steps, clip="norm", threshold=v["threshold"]),
            "value": cliff_descent(self.start, v["lr"], self.steps, clip="value", threshold=v["threshold"]),
        }
        paths = {k: r["path"] for k, r in runs.items()}
        losses = {k: r["loss"] for k, r in runs.items()}
        biggest = {k: float(np.max(np.hypot(*r["step"].T))) for k, r in runs.items()}
        tail = {k: float(np.mean(r["loss"][-10:])) for k, r in runs.items()}  # settles, or keeps jumping
        max_grad = float(runs["none"]["grad_norm"].max())
        self.state = {
            "paths": paths,
            "losses": losses,
            "tail_loss": tail,
            "max_grad": max_grad,
            "longest_step": biggest,
        }

    def _draw(self) -> None:
        it = np.arange(self.steps + 1)
        for key in CLIP_STYLES:
            p = self.state["paths"][key]
            self._paths[key].set_data(p[:, 0], p[:, 1])
            self._curves[key].set_data(it, self.state["losses"][key])
        v = self.values()
        self._title.set_text(f"lr = {v['lr']:.2f}, threshold = {v['threshold']:.2f}")
        s = self.state
        rows = [
            f"largest gradient met without clipping: <b>{s['max_grad']:.2f}</b> "
            f"(longest step {s['longest_step']['none']:.2f})"
        ]
        for key, (label, style) in CLIP_STYLES.items():
            rows.append(
                f"<span style='color:{style['color']}'>{GLYPHS[style['marker']]}</span> {label}: "
                f"loss at the end "
                f"{s['tail_loss'][key]:.3f}, longest step {s['longest_step'][key]:.2f}"
            )
        self.text.value = text_block(rows)

    def summary(self) -> str:
        s = self.state
        tail = s["tail_loss"]
        return (
            f"largest gradient met without clipping: {s['max_grad']:.2f} "
            f"(longest step {s['longest_step']['none']:.2f}); mean loss of the last 10 steps: "
            f"no clipping {tail['none']:.3f}, by norm {tail['norm']:.3f}, by value {tail['value']:.3f}"
        )


def clipping_explorer(
    threshold: float = 0.05, lr: float = 1.0, start: tuple[float, float] = (4.5, -3.0), steps: int = 50
) -> ClippingExplorer:
    """The cliff of a one-neuron RNN and gradient descent on it, unclipped and clipped two ways.

    The network is x_t = w sigmoid(x_{t-1}) + b with x_0 = 0.5, run for 50 steps, with the
    loss (sigmoid(x_50) - 0.7)^2 (Pascanu, Mikolov and Bengio, 2013; see
    `rnncourse.gradients.cliff_loss`). Its surface over (w, b) has a cliff: a wall where the
    loss drops abruptly and the gradient is huge. Three runs of gradient descent start
    from `start`: without clipping, with `rnncourse.optim.clip_by_norm` (the direction is
    kept, the length capped at the threshold) and with `rnncourse.optim.clip_by_value`
    (each component capped, which may change the direction).

    Returns
    -------
    ClippingExplorer with sliders "threshold" and "lr".
    """
    return ClippingExplorer(threshold=threshold, lr=lr, start=start, steps=steps)
