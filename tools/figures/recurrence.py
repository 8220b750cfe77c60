"""Feedforward against recurrent, folded and unrolled, the layers x time grid (notebooks 02, 03)."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from rnncourse.palette import FAINT, MUTED

from .primitives import (
    COLORS,
    FS,
    _arrow,
    _box,
    _canvas,
    _circle,
    _loop,
    _text,
)

# --------------------------------------------------------------------------------------
# 1. feedforward vs recurrent
# --------------------------------------------------------------------------------------


def _neuron_layers(
    ax: Axes,
    x0: float,
    sizes: list[int],
    kinds: list[str],
    ys: list[float],
    dx: float = 0.62,
    r: float = 0.17,
) -> list[list[tuple[float, float]]]:
    """Draw layers of neurons (circles) centred on x0 and fully connect consecutive layers."""
    layers = []
    for n, y in zip(sizes, ys, strict=True):
        layers.append([(x0 + (k - (n - 1) / 2) * dx, y) for k in range(n)])
    for lower, upper in zip(layers[:-1], layers[1:], strict=False):
        for p in lower:
            for q in upper:
                ax.plot([p[0], q[0]], [p[1] + r, q[1] - r], color=FAINT, lw=0.9, zorder=1)
    for layer, kind in zip(layers, kinds, strict=True):
        for p in layer:
            _circle(ax, p[0], p[1], r, kind=kind)
    return layers


def draw_ff_vs_rnn() -> Figure:
    """A feedforward network beside a recurrent one with the same layers (loop labelled W_R)."""
    fig, ax = _canvas(10, 5.6)
    ys = [1.35, 2.85, 4.35]
    kinds = ["input", "hidden", "output"]
    sizes = [3, 4, 2]
    for x0, title in ((2.45, "Feedforward network"), (7.05, "Recurrent network")):
        _text(ax, x0, 5.25, title, size=FS + 2, weight="bold")
        _neuron_layers(ax, x0, sizes, kinds, ys)
    # feedforward labels
    _text(ax, 0.2, ys[0], "layer 0\n$x$", ha="left", color=COLORS["input"][1])
    _text(ax, 0.2, ys[1], "layer 1\n$a^{1}$", ha="left", color=COLORS["hidden"][1])
    _text(ax, 0.2, ys[2], "layer 2\n$a^{2}$", ha="left", color=COLORS["output"][1])
    _text(ax, 3.75, 2.1, "$W^{1}$", ha="left")
    _text(ax, 3.75, 3.6, "$W^{2}$", ha="left")
    _text(ax, 2.45, 0.55, r"$a^{l} = f\,(W^{l} a^{l-1} + b^{l})$", size=FS + 1)
    # recurrent labels
    x0 = 7.05
    _text(ax, 4.85, ys[0], "layer 0\n$x_t$", ha="left", color=COLORS["input"][1])
    _text(ax, 4.85, ys[1], "layer 1\n$a_t^{1}$", ha="left", color=COLORS["hidden"][1])
    _text(ax, 4.85, ys[2], "layer 2\n$a_t^{2}$", ha="left", color=COLORS["output"][1])
    _text(ax, 6.0, 2.1, "$W_F^{1}$", ha="right")
    _text(ax, 6.35, 3.6, "$W_F^{2}$", ha="right")
    band = _box(ax, x0, ys[1], 2.75, 0.6, kind="hidden", lw=1.4, zorder=0.5, ls="--", rounding=0.25)
    _loop(ax, band, "$W_R^{1}$", side="right", size=0.85, fontsize=FS + 1)
    _text(
        ax,
        band.cx + band.w / 2 + 0.5,
        ys[1] - 0.85,
        "carries $a_{t-1}^{1}$\nto step $t$",
        color=COLORS["W_R"],
        size=FS - 3,
        ha="center",
    )
    _text(ax, x0, 0.55, r"$a_t^{l} = f\,(W_F^{l} a_t^{l-1} + W_R^{l} a_{t-1}^{l} + b^{l})$", size=FS + 1)
    ax.plot([4.75, 4.75], [0.9, 5.0], color="#CCCCCC", lw=1.0)
    return fig


# --------------------------------------------------------------------------------------
# 2. folded = unrolled
# --------------------------------------------------------------------------------------


def draw_rnn_unrolled() -> Figure:
    """The folded RNN (a loop) equals the network unrolled over t = 1..T."""
    fig, ax = _canvas(10, 4.3)
    yc, yx, ya = 2.1, 0.75, 3.45
    bw, bh = 0.98, 0.62
    cell_text = "$W_F,\\,W_R,\\,b$"
    red = COLORS["W_R"]
    # folded
    cell = _box(ax, 0.85, yc, bw, bh, cell_text, fontsize=FS - 2)
    xin = _box(ax, 0.85, yx, 0.55, 0.42, "$x_t$", kind="input")
    aout = _box(ax, 0.85, ya, 0.55, 0.42, "$a_t$", kind="hidden")
    _arrow(ax, xin.top, cell.bottom)
    _arrow(ax, cell.top, aout.bottom)
    _loop(ax, cell, "", size=0.5)
    _text(ax, 1.6, yc + 0.5, "$a_{t-1}$", color=red, size=FS - 1)
    _text(ax, 0.85, 4.05, "folded", size=FS - 1, style="italic", color=MUTED)
    _text(ax, 2.3, yc, "=", size=FS + 12)
    _text(ax, 6.2, 4.05, "unrolled in time", size=FS - 1, style="italic", color=MUTED)
    # unrolled
    a0 = _box(ax, 2.95, yc, 0.55, 0.42, "$a_0$", kind="hidden", ls="--")
    xs = [4.1, 5.5, 6.9, 9.3]
    labels = ["1", "2", "3", "T"]
    prev = a0
    for k, (x, t) in enumerate(zip(xs, labels, strict=True)):
        c = _box(ax, x, yc, bw, bh, cell_text, fontsize=FS - 2)
        xi = _box(ax, x, yx, 0.55, 0.42, f"$x_{t}$", kind="input")
        ao = _box(ax, x, ya, 0.55, 0.42, f"$a_{t}$", kind="hidden")
        _arrow(ax, xi.top, c.bottom)
        _arrow(ax, c.top, ao.bottom)
        if k == 3:
            _text(ax, 8.12, yc, r"$\cdots$", size=FS + 4)
            _arrow(ax, (8.37, yc), c.left, color=red, lw=2.2)
            _text(ax, 8.6, yc + 0.24, "$a_{T-1}$", color=red, size=FS - 2)
        else:
            _arrow(ax, prev.right, c.left, color=red, lw=2.2)
            lab = "$a_0$" if k == 0 else f"$a_{labels[k - 1]}$"
            _text(ax, (prev.right[0] + c.left[0]) / 2, yc + 0.24, lab, color=red, size=FS - 2)
        if k == 2:
            _arrow(ax, c.right, (c.right[0] + 0.42, yc), color=red, lw=2.2)
            _text(ax, c.right[0] + 0.21, yc + 0.24, "$a_3$", color=red, size=FS - 2)
        prev = c
    _text(
        ax,
        6.2,
        0.12,
        "the same $W_F$, $W_R$ and $b$ at every time step",
        size=FS - 1,
        va="bottom",
        color="#444444",
    )
    return fig


# --------------------------------------------------------------------------------------
# 3. the layers x time grid
# --------------------------------------------------------------------------------------


def draw_layers_time_grid() -> Figure:
    """Rows are layers 0..3, columns are time steps; copies of a layer share its weights."""
    fig, ax = _canvas(10, 6.2)
    red, grey = COLORS["W_R"], COLORS["forward"]
    ys = [0.75, 2.05, 3.35, 4.65]  # layers 0..3
    xs = [2.95, 4.25, 5.55, 7.35]  # t = 1, 2, 3, T
    ts = ["1", "2", "3", "T"]
    x_a0 = 1.85
    bw, bh = 0.74, 0.46
    layer_names = ["layer 0\n(input)", "layer 1", "layer 2\n$n_2 = 10$", "layer 3\n$n_3 = 20$"]
    # highlight the copies of layer 3: one set of weights
    ax.add_patch(
        FancyBboxPatch(
            (x_a0 + 0.35, ys[3] - 0.42),
            xs[-1] - x_a0 + 0.15,
            0.84,
            boxstyle="round,pad=0,rounding_size=0.2",
            facecolor="#FBE4E1",
            edgecolor=red,
            linewidth=1.3,
            linestyle="--",
            zorder=0.5,
        )
    )
    _text(
        ax,
        (x_a0 + xs[-1]) / 2 + 0.25,
        ys[3] + 1.0,
        "copies of layer 3 across time: all use the same $W_F^{3}$, $W_R^{3}$, $b^{3}$",
        size=FS - 1,
        color=red,
    )
    for layer, y in enumerate(ys):
        _text(
            ax,
            0.15,
            y,
            layer_names[layer],
            ha="left",
            size=FS - 1,
            color=COLORS["input" if layer == 0 else "hidden"][1],
        )
        if layer > 0:
            a0 = _box(ax, x_a0, y, 0.62, 0.42, f"$a_0^{{{layer}}}$", kind="hidden", ls="--", fontsize=FS - 1)
        prev = a0 if layer > 0 else None
        for k, (x, t) in enumerate(zip(xs, ts, strict=True)):
            if layer == 0:
                b = _box(ax, x, y, bw, bh, f"$x_{t}$", kind="input")
            else:
                b = _box(ax, x, y, bw, bh, f"$a_{t}^{{{layer}}}$", kind="hidden")
            if layer > 0:
                if k == 3:
                    _text(ax, 6.45, y, r"$\cdots$", size=FS + 2)
                    _arrow(ax, (6.75, y), b.left, color=red, lw=2.0)
                else:
                    _arrow(ax, prev.right, b.left, color=red, lw=2.0)
                if k == 2:
                    _arrow(ax, b.right, (b.right[0] + 0.35, y), color=red, lw=2.0)
                if k == 1:
                    _text(
                        ax,
                        (prev.right[0] + b.left[0]) / 2,
                        y + 0.06,
                        f"$W_R^{{{layer}}}$",
                        color=red,
                        size=FS - 2,
                        va="bottom",
                    )
            if layer < 3:
                _arrow(ax, (x, y + bh / 2), (x, ys[layer + 1] - bh / 2), color=grey)
                if k == 0:
                    _text(
                        ax,
                        x - 0.1,
                        (y + ys[layer + 1]) / 2,
                        f"$W_F^{{{layer + 1}}}$",
                        ha="right",
                        size=FS - 2,
                    )
            else:
                _arrow(ax, (x, y + bh / 2), (x, y + bh / 2 + 0.5), color="#B0B0B0", ls="--", lw=1.4)
            prev = b
    # time axis
    for x, t in zip(xs, ts, strict=True):
        _text(ax, x, 0.2, f"$t = {t}$", size=FS - 1, color=MUTED)
    # shapes of the example
    x0 = 8.08
    _box(ax, 8.98, 2.7, 1.72, 3.1, kind="neutral", lw=1.0, zorder=0.5)
    lines = [
        ("example", None),
        ("$n_2 = 10$, $n_3 = 20$", None),
        ("$W_F^{3}$: $(?,\\ ?)$", None),
        ("$W_R^{3}$: $(?,\\ ?)$", red),
        ("$b^{3}$: $(?,\\ ?)$", None),
        ("$a_t^{2}$: $(?,\\ m)$", None),
        ("$a_t^{3}$: $(?,\\ m)$", None),
    ]
    for k, (s, color) in enumerate(lines):
        _text(
            ax,
            x0 + 0.1,
            3.95 - 0.42 * k,
            s,
            size=FS - 1 if k else FS - 1,
            ha="left",
            color=color or COLORS["text"],
            weight="bold" if k == 0 else "normal",
        )
    return fig
