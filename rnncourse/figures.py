"""Draw every figure in `img/`: the diagrams the notebooks show.

Each `draw_*` function builds and returns a `matplotlib.figure.Figure` (never a
pyplot figure, so nothing leaks into a notebook's plotting state). `FIGURES`
maps each file name in `img/` to the function that draws it, and

    python -m rnncourse.figures              # regenerate all of img/
    python -m rnncourse.figures --only bptt_flow.png

regenerates the files. The figures share one palette (`COLORS`): inputs blue,
hidden states green, outputs orange, the recurrent weight `W_R` red, gradients
purple, forward arrows grey. Labels use the course notation: layer `l` has
`n_l` neurons, `a_t^l = f(W_F^l a_t^{l-1} + W_R^l a_{t-1}^l + b^l)`, `a_t^0 = x_t`,
batch in columns, `X` of shape `(T, n_0, m)`.

Coordinates: every diagram draws on one Axes that fills its figure, with data
units equal to inches, so sizes and font sizes read the same in every figure.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

__all__ = ["COLORS", "DPI", "FIGURES", "draw_all", "save_figure"]

DPI = 150

#: The course palette: (fill, edge) for nodes, one colour for each kind of arrow.
COLORS = {
    "input": ("#DCEAF9", "#2D6CB5"),
    "hidden": ("#DCF1E3", "#23844D"),
    "output": ("#FDE7D2", "#C96A0E"),
    "loss": ("#FFF3C4", "#A27C00"),
    "gate": ("#FFF6D9", "#8A6D00"),
    "neutral": ("#F2F2F2", "#6B6B6B"),
    "pad": ("#E4E4E4", "#9A9A9A"),
    "forward": "#6F6F6F",
    "W_R": "#C0392B",
    "grad": "#8E44AD",
    "text": "#222222",
}

FS = 13  # base font size (points)


# --------------------------------------------------------------------------------------
# drawing helpers
# --------------------------------------------------------------------------------------


@dataclass
class Box:
    """A drawn node: centre (cx, cy), width w, height h, in inches."""

    cx: float
    cy: float
    w: float
    h: float

    @property
    def top(self) -> tuple[float, float]:
        return (self.cx, self.cy + self.h / 2)

    @property
    def bottom(self) -> tuple[float, float]:
        return (self.cx, self.cy - self.h / 2)

    @property
    def left(self) -> tuple[float, float]:
        return (self.cx - self.w / 2, self.cy)

    @property
    def right(self) -> tuple[float, float]:
        return (self.cx + self.w / 2, self.cy)

    def at(self, fx: float, fy: float) -> tuple[float, float]:
        """Point at fractions (fx, fy) of the box, (0, 0) bottom-left, (1, 1) top-right."""
        return (self.cx - self.w / 2 + fx * self.w, self.cy - self.h / 2 + fy * self.h)


def _canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A white figure of `width` x `height` inches with one Axes in inch units."""
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def _box(
    ax: Axes,
    cx: float,
    cy: float,
    w: float,
    h: float,
    text: str = "",
    kind: str = "hidden",
    fontsize: float = FS,
    lw: float = 1.6,
    rounding: float = 0.08,
    ls: str = "-",
    zorder: float = 3,
    alpha: float = 1.0,
    textcolor: str | None = None,
) -> Box:
    face, edge = COLORS[kind]
    ax.add_patch(
        FancyBboxPatch(
            (cx - w / 2, cy - h / 2),
            w,
            h,
            boxstyle=f"round,pad=0,rounding_size={rounding}",
            facecolor=face,
            edgecolor=edge,
            linewidth=lw,
            linestyle=ls,
            zorder=zorder,
            alpha=alpha,
        )
    )
    if text:
        ax.text(cx, cy, text, ha="center", va="center", fontsize=fontsize,
                color=textcolor or COLORS["text"], zorder=zorder + 0.1)
    return Box(cx, cy, w, h)


def _circle(
    ax: Axes,
    cx: float,
    cy: float,
    r: float,
    text: str = "",
    kind: str = "hidden",
    fontsize: float = FS,
    lw: float = 1.6,
    zorder: float = 3,
) -> Box:
    face, edge = COLORS[kind]
    ax.add_patch(Circle((cx, cy), r, facecolor=face, edgecolor=edge, linewidth=lw, zorder=zorder))
    if text:
        ax.text(cx, cy, text, ha="center", va="center", fontsize=fontsize, color=COLORS["text"],
                zorder=zorder + 0.1)
    return Box(cx, cy, 2 * r, 2 * r)


def _op(ax: Axes, cx: float, cy: float, sym: str, r: float = 0.17, fontsize: float = FS + 1) -> Box:
    """A pointwise operation node (a white circle with x, + or 1-)."""
    ax.add_patch(Circle((cx, cy), r, facecolor="white", edgecolor="#333333", linewidth=1.6, zorder=4))
    ax.text(cx, cy, sym, ha="center", va="center_baseline", fontsize=fontsize, color="#222222",
            zorder=4.1)
    return Box(cx, cy, 2 * r, 2 * r)


def _arrow(
    ax: Axes,
    p: tuple[float, float],
    q: tuple[float, float],
    color: str | None = None,
    lw: float = 1.8,
    rad: float = 0.0,
    ls: str = "-",
    head: bool = True,
    ms: float = 16,
    zorder: float = 2,
    shrink: float = 0.0,
    halo: bool = False,
) -> FancyArrowPatch:
    """A straight (or arced, `rad` != 0) arrow from p to q."""
    style = "-|>,head_length=0.45,head_width=0.22" if head else "-"
    arrow = FancyArrowPatch(
        p,
        q,
        arrowstyle=style,
        mutation_scale=ms,
        color=color or COLORS["forward"],
        linewidth=lw,
        linestyle=ls,
        connectionstyle=f"arc3,rad={rad}",
        shrinkA=shrink,
        shrinkB=shrink,
        zorder=zorder,
        capstyle="round",
        joinstyle="round",
    )
    if halo:
        arrow.set_path_effects([patheffects.withStroke(linewidth=lw + 6, foreground="white"),
                                patheffects.Normal()])
    ax.add_patch(arrow)
    return arrow


def _polyline(
    ax: Axes,
    points: list[tuple[float, float]],
    color: str | None = None,
    lw: float = 1.8,
    head: bool = True,
    zorder: float = 2,
    ms: float = 16,
    halo: bool = False,
) -> None:
    """An arrow that follows straight segments through `points` (right-angle wiring)."""
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1)
    style = "-|>,head_length=0.45,head_width=0.22" if head else "-"
    arrow = FancyArrowPatch(path=MplPath(points, codes), arrowstyle=style, mutation_scale=ms,
                            color=color or COLORS["forward"], linewidth=lw, zorder=zorder,
                            joinstyle="miter", capstyle="butt")
    if halo:
        arrow.set_path_effects([patheffects.withStroke(linewidth=lw + 6, foreground="white"),
                                patheffects.Normal()])
    ax.add_patch(arrow)


def _gap(ax: Axes, x: float, y: float, vertical: bool, half: float = 0.07,
         background: str = "#FAFAFA") -> None:
    """Blank out a short piece of a line where another line crosses over it (a wiring 'hop')."""
    pts = ([x, x], [y - half, y + half]) if vertical else ([x - half, x + half], [y, y])
    ax.plot(*pts, color=background, lw=7, zorder=2.3, solid_capstyle="butt")


def _curve(
    ax: Axes,
    points: list[tuple[float, float]],
    color: str | None = None,
    lw: float = 1.8,
    zorder: float = 2,
    ms: float = 16,
    ls: str = "-",
) -> None:
    """An arrow along one cubic Bezier curve: start, two control points, end."""
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4]
    ax.add_patch(FancyArrowPatch(path=MplPath(points, codes),
                                 arrowstyle="-|>,head_length=0.45,head_width=0.22",
                                 mutation_scale=ms, color=color or COLORS["forward"], linewidth=lw,
                                 linestyle=ls, zorder=zorder))


def _text(ax: Axes, x: float, y: float, s: str, size: float = FS, color: str | None = None,
          ha: str = "center", va: str = "center", **kw) -> None:
    ax.text(x, y, s, fontsize=size, color=color or COLORS["text"], ha=ha, va=va, **kw)


def _dot(ax: Axes, x: float, y: float, color: str | None = None, r: float = 0.045) -> None:
    ax.add_patch(Circle((x, y), r, color=color or COLORS["forward"], zorder=5))


def _grid(
    ax: Axes,
    x0: float,
    y0: float,
    rows: int,
    cols: int,
    cell: float,
    face,
    edge: str = "#555555",
    lw: float = 0.8,
    outline: str | None = None,
    outline_lw: float = 2.0,
    texts=None,
    fontsize: float = FS - 3,
    zorder: float = 3,
) -> Box:
    """A matrix drawn as `rows` x `cols` cells; (x0, y0) is its top-left corner.

    `face` is one colour or a function (i, j) -> colour; `texts` a function (i, j) -> str.
    """
    for i in range(rows):
        for j in range(cols):
            fc = face(i, j) if callable(face) else face
            ax.add_patch(Rectangle((x0 + j * cell, y0 - (i + 1) * cell), cell, cell, facecolor=fc,
                                   edgecolor=edge, linewidth=lw, zorder=zorder))
            if texts is not None:
                s = texts(i, j)
                if s:
                    ax.text(x0 + (j + 0.5) * cell, y0 - (i + 0.5) * cell, s, ha="center",
                            va="center", fontsize=fontsize, zorder=zorder + 0.1, color="#333333")
    w, h = cols * cell, rows * cell
    if outline:
        ax.add_patch(Rectangle((x0, y0 - h), w, h, facecolor="none", edgecolor=outline,
                               linewidth=outline_lw, zorder=zorder + 0.2))
    return Box(x0 + w / 2, y0 - h / 2, w, h)


def _loop(ax: Axes, box: Box, label: str, side: str = "right", color: str | None = None,
          size: float = 0.9, fontsize: float = FS) -> None:
    """A recurrent loop leaving `box` on one side and coming back into it (the W_R arrow)."""
    color = color or COLORS["W_R"]
    if side == "right":
        x = box.cx + box.w / 2
        start, end = (x, box.cy + 0.14 * box.h + 0.05), (x, box.cy - 0.14 * box.h - 0.05)
        c1, c2 = (x + size, box.cy + 0.9 * size), (x + size, box.cy - 0.9 * size)
        lx = x + 0.8 * size
        _curve(ax, [start, c1, c2, end], color=color, lw=2.2)
        _text(ax, lx + 0.08, box.cy, label, color=color, ha="left", size=fontsize)
    else:  # loop over the top
        y = box.cy + box.h / 2
        start, end = (box.cx + 0.25 * box.w, y), (box.cx - 0.25 * box.w, y)
        c1, c2 = (box.cx + 0.9 * size, y + size), (box.cx - 0.9 * size, y + size)
        _curve(ax, [start, c1, c2, end], color=color, lw=2.2)
        _text(ax, box.cx, y + 0.8 * size, label, color=color, va="bottom", size=fontsize)


def _legend(ax: Axes, x: float, y: float, items: list[tuple[str, str]], size: float = FS - 2,
            dy: float = 0.32, length: float = 0.5) -> None:
    """A small legend of arrow colours: items are (colour, label)."""
    for k, (color, label) in enumerate(items):
        yy = y - k * dy
        _arrow(ax, (x, yy), (x + length, yy), color=color, lw=2.0, ms=13)
        _text(ax, x + length + 0.12, yy, label, size=size, ha="left")


# --------------------------------------------------------------------------------------
# 1. feedforward vs recurrent
# --------------------------------------------------------------------------------------


def _neuron_layers(ax: Axes, x0: float, sizes: list[int], kinds: list[str], ys: list[float],
                   dx: float = 0.62, r: float = 0.17) -> list[list[tuple[float, float]]]:
    """Draw layers of neurons (circles) centred on x0 and fully connect consecutive layers."""
    layers = []
    for n, y in zip(sizes, ys, strict=True):
        layers.append([(x0 + (k - (n - 1) / 2) * dx, y) for k in range(n)])
    for lower, upper in zip(layers[:-1], layers[1:], strict=False):
        for p in lower:
            for q in upper:
                ax.plot([p[0], q[0]], [p[1] + r, q[1] - r], color="#9A9A9A", lw=0.9, zorder=1)
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
    _text(ax, band.cx + band.w / 2 + 0.5, ys[1] - 0.85, "carries $a_{t-1}^{1}$\nto step $t$",
          color=COLORS["W_R"], size=FS - 3, ha="center")
    _text(ax, x0, 0.55, r"$a_t^{l} = f\,(W_F^{l} a_t^{l-1} + W_R^{l} a_{t-1}^{l} + b^{l})$",
          size=FS + 1)
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
    _text(ax, 0.85, 4.05, "folded", size=FS - 1, style="italic", color="#555555")
    _text(ax, 2.3, yc, "=", size=FS + 12)
    _text(ax, 6.2, 4.05, "unrolled in time", size=FS - 1, style="italic", color="#555555")
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
    _text(ax, 6.2, 0.12, "the same $W_F$, $W_R$ and $b$ at every time step", size=FS - 1,
          va="bottom", color="#444444")
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
    ax.add_patch(FancyBboxPatch((x_a0 + 0.35, ys[3] - 0.42), xs[-1] - x_a0 + 0.15, 0.84,
                                boxstyle="round,pad=0,rounding_size=0.2", facecolor="#FBE4E1",
                                edgecolor=red, linewidth=1.3, linestyle="--", zorder=0.5))
    _text(ax, (x_a0 + xs[-1]) / 2 + 0.25, ys[3] + 1.0,
          "copies of layer 3 across time: all use the same $W_F^{3}$, $W_R^{3}$, $b^{3}$",
          size=FS - 1, color=red)
    for layer, y in enumerate(ys):
        _text(ax, 0.15, y, layer_names[layer], ha="left", size=FS - 1,
              color=COLORS["input" if layer == 0 else "hidden"][1])
        if layer > 0:
            a0 = _box(ax, x_a0, y, 0.62, 0.42, f"$a_0^{{{layer}}}$", kind="hidden", ls="--",
                      fontsize=FS - 1)
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
                    _text(ax, (prev.right[0] + b.left[0]) / 2, y + 0.06, f"$W_R^{{{layer}}}$", color=red,
                          size=FS - 2, va="bottom")
            if layer < 3:
                _arrow(ax, (x, y + bh / 2), (x, ys[layer + 1] - bh / 2), color=grey)
                if k == 0:
                    _text(ax, x - 0.1, (y + ys[layer + 1]) / 2, f"$W_F^{{{layer + 1}}}$", ha="right",
                          size=FS - 2)
            else:
                _arrow(ax, (x, y + bh / 2), (x, y + bh / 2 + 0.5), color="#B0B0B0", ls="--", lw=1.4)
            prev = b
    # time axis
    for x, t in zip(xs, ts, strict=True):
        _text(ax, x, 0.2, f"$t = {t}$", size=FS - 1, color="#555555")
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
        _text(ax, x0 + 0.1, 3.95 - 0.42 * k, s, size=FS - 1 if k else FS - 1, ha="left",
              color=color or COLORS["text"], weight="bold" if k == 0 else "normal")
    return fig


# --------------------------------------------------------------------------------------
# 4. the batch tensor, time-major and batch-first
# --------------------------------------------------------------------------------------

_SEQ_COLORS = ["#BBD6F2", "#F7C9A8", "#C6E7C1", "#E2CDEF"]


def draw_batch_tensor() -> Figure:
    """X of shape (T, n_0, m): T slices x_t of shape (n_0, m); its batch-first twin (m, T, n_0)."""
    fig, ax = _canvas(10, 7.0)
    T, n0, m = 5, 3, 4
    cell = 0.28
    hl = 2  # the highlighted sequence j
    blue = COLORS["input"][1]
    seq_names = ["1", "2", "j", "m"]

    def face(j):
        return _SEQ_COLORS[j]

    # time-major: one (n_0, m) matrix per time step
    _text(ax, 0.2, 6.7, "time-major (this course):  X of shape $(T,\\ n_0,\\ m)$", size=FS + 1,
          ha="left", weight="bold")
    x0, y0, gap = 1.0, 5.75, 0.36
    for t in range(T):
        xx = x0 + t * (m * cell + gap)
        _grid(ax, xx, y0, n0, m, cell, face=lambda i, j: face(j), outline=blue)
        ax.add_patch(Rectangle((xx + hl * cell, y0 - n0 * cell), cell, n0 * cell, facecolor="none",
                               edgecolor="#222222", linewidth=2.2, zorder=4))
        name = "T" if t == T - 1 else str(t + 1)
        _text(ax, xx + m * cell / 2, y0 + 0.22, f"$x_{name}$", size=FS)
    for j in range(m):
        _text(ax, x0 + (j + 0.5) * cell, y0 - n0 * cell - 0.15, f"${seq_names[j]}$", size=FS - 3,
              color="#444444")
    _text(ax, x0 - 0.12, y0 - n0 * cell / 2, "$n_0$", ha="right", size=FS - 1)
    _text(ax, x0 + m * cell + 0.08, y0 - n0 * cell - 0.15, "sequences", size=FS - 3, ha="left",
          color="#444444")
    strip = T * (m * cell + gap) - gap
    _arrow(ax, (x0, y0 - n0 * cell - 0.55), (x0 + strip, y0 - n0 * cell - 0.55),
           color="#555555", lw=1.4, ms=12)
    _text(ax, x0 + strip / 2, y0 - n0 * cell - 0.75, "time: axis 0,  $T$ steps", size=FS - 2,
          color="#555555")
    _text(ax, x0 + strip + 0.3, y0 - n0 * cell / 2,
          "X[t] is $x_t$:\nshape $(n_0,\\ m)$,\none column\nper sequence", size=FS - 2, ha="left",
          va="center")

    # the transposes
    _arrow(ax, (1.5, 3.95), (1.5, 3.15), color="#333333", lw=2.0)
    _text(ax, 1.65, 3.55, "Xb = X.transpose(2, 0, 1)", size=FS - 1, ha="left", family="monospace")
    _arrow(ax, (8.7, 3.15), (8.7, 3.95), color="#333333", lw=2.0)
    _text(ax, 8.55, 3.55, "X = Xb.transpose(1, 2, 0)", size=FS - 1, ha="right", family="monospace")

    # batch-first: one (T, n_0) matrix per sequence
    _text(ax, 0.2, 2.75, "batch-first (Keras, PyTorch batch_first=True):  Xb of shape $(m,\\ T,\\ n_0)$",
          size=FS + 1, ha="left", weight="bold")
    x1, y1, gap1 = 1.0, 2.1, 0.62
    for j in range(m):
        xx = x1 + j * (n0 * cell + gap1)
        _grid(ax, xx, y1, T, n0, cell, face=face(j), outline="#222222" if j == hl else blue,
              outline_lw=2.6 if j == hl else 2.0)
        _text(ax, xx + n0 * cell / 2, y1 + 0.2, f"sequence ${seq_names[j]}$", size=FS - 2)
    _text(ax, x1 - 0.12, y1 - T * cell / 2, "$T$", ha="right", size=FS - 1)
    _text(ax, x1 + n0 * cell / 2, y1 - T * cell - 0.2, "$n_0$", size=FS - 1)
    _text(ax, 6.55, 1.75, "Xb[j] is sequence $j$: shape $(T,\\ n_0)$,\none row per time step;\n"
          "the same numbers as X[:, :, j]", size=FS - 2, ha="left", va="center")
    _text(ax, 6.55, 0.65, "PyTorch default (batch_first=False):\n$(T,\\ m,\\ n_0)$ = X.transpose(0, 2, 1)",
          size=FS - 3, ha="left", va="center", color="#444444")
    return fig


# --------------------------------------------------------------------------------------
# 5. the concatenated weight matrix
# --------------------------------------------------------------------------------------


def draw_concat_matrix() -> Figure:
    """[W_F | W_R] (7, 10) times [x_t; a_{t-1}] (10, 64) = W_F x_t + W_R a_{t-1} (7, 64)."""
    fig, ax = _canvas(10, 6.7)
    c = 0.19
    n0, n1, shown = 3, 7, 9
    wf, wr = "#B9D3F0", "#F2B8B0"
    blue, green = COLORS["input"][0], COLORS["hidden"][0]
    res = "#E8E0C8"

    def cols_face(color):
        return lambda i, j: "white" if j == shown - 2 else color

    def dots(i, j):
        return r"$\cdot\!\cdot$" if j == shown - 2 else ""

    _text(ax, 5.0, 6.42, "one matrix product (layer $l = 1$: $n_0 = 3$, $n_1 = 7$, $m = 64$)",
          size=FS + 1, weight="bold")
    top = 5.5
    # W = [W_F | W_R]
    W = _grid(ax, 0.6, top, n1, n0 + n1, c, face=lambda i, j: wf if j < n0 else wr)
    ax.plot([0.6 + n0 * c] * 2, [top, top - n1 * c], color="#222222", lw=2.4, zorder=5)
    _text(ax, 0.6 + n0 * c / 2, top + 0.2, "$W_F^{1}$", size=FS - 1)
    _text(ax, 0.6 + n0 * c + n1 * c / 2, top + 0.2, "$W_R^{1}$", size=FS - 1, color=COLORS["W_R"])
    _text(ax, W.cx, top - n1 * c - 0.25, "$W^{1} = [W_F^{1} \\,|\\, W_R^{1}]$", size=FS)
    _text(ax, W.cx, top - n1 * c - 0.6, "$(7,\\ 10)$", size=FS - 1, color="#444444")
    _text(ax, 2.75, top - n1 * c / 2, r"$\times$", size=FS + 6)
    # stacked input
    sx = 3.2
    S = _grid(ax, sx, top + 0.25, n0 + n1, shown, c,
              face=lambda i, j: "white" if j == shown - 2 else (blue if i < n0 else green),
              texts=dots, fontsize=7)
    ax.plot([sx, sx + shown * c], [top + 0.25 - n0 * c] * 2, color="#222222", lw=2.4, zorder=5)
    _text(ax, sx + shown * c + 0.1, top + 0.25 - n0 * c / 2, "$x_t$", ha="left", size=FS - 1,
          color=COLORS["input"][1])
    _text(ax, sx + shown * c + 0.1, top + 0.25 - n0 * c - n1 * c / 2, "$a_{t-1}^{1}$", ha="left",
          size=FS - 1, color=COLORS["hidden"][1])
    _text(ax, S.cx + 0.15, top + 0.25 - (n0 + n1) * c - 0.25,
          "$\\left[\\,x_t\\ ;\\ a_{t-1}^{1}\\,\\right]$", size=FS)
    _text(ax, S.cx + 0.15, top + 0.25 - (n0 + n1) * c - 0.62, "$(10,\\ 64)$", size=FS - 1,
          color="#444444")
    _text(ax, 5.7, top - n1 * c / 2, "$=$", size=FS + 6)
    R = _grid(ax, 6.1, top, n1, shown, c, face=cols_face(res), texts=dots, fontsize=7)
    _text(ax, R.cx, top - n1 * c - 0.25, "$W_F^{1} x_t + W_R^{1} a_{t-1}^{1}$", size=FS)
    _text(ax, R.cx, top - n1 * c - 0.6, "$(7,\\ 64)$", size=FS - 1, color="#444444")
    _text(ax, 8.1, top - n1 * c / 2, "then add $b^{1}$ $(7,\\ 1)$\nand apply $f$", ha="left",
          size=FS - 2, color="#444444")

    # the two-product form
    ax.plot([0.4, 9.6], [2.95, 2.95], color="#CCCCCC", lw=1.0)
    _text(ax, 5.0, 2.6, "is the same as two products, added", size=FS + 1, weight="bold")
    top2 = 2.12
    A = _grid(ax, 0.35, top2, n1, n0, c, face=wf)
    _text(ax, A.cx, top2 - n1 * c - 0.25, "$W_F^{1}$", size=FS)
    _text(ax, A.cx, top2 - n1 * c - 0.58, "$(7,\\ 3)$", size=FS - 2, color="#444444")
    _text(ax, 1.18, top2 - n1 * c / 2, r"$\times$", size=FS + 2)
    B = _grid(ax, 1.45, top2 - 2 * c, n0, shown, c, face=cols_face(blue), texts=dots, fontsize=7)
    _text(ax, B.cx, top2 - n1 * c - 0.25, "$x_t$", size=FS)
    _text(ax, B.cx, top2 - n1 * c - 0.58, "$(3,\\ 64)$", size=FS - 2, color="#444444")
    _text(ax, 3.55, top2 - n1 * c / 2, "$+$", size=FS + 4)
    C = _grid(ax, 3.95, top2, n1, n1, c, face=wr)
    _text(ax, C.cx, top2 - n1 * c - 0.25, "$W_R^{1}$", size=FS, color=COLORS["W_R"])
    _text(ax, C.cx, top2 - n1 * c - 0.58, "$(7,\\ 7)$", size=FS - 2, color="#444444")
    _text(ax, 5.55, top2 - n1 * c / 2, r"$\times$", size=FS + 2)
    D = _grid(ax, 5.85, top2, n1, shown, c, face=cols_face(green), texts=dots, fontsize=7)
    _text(ax, D.cx, top2 - n1 * c - 0.25, "$a_{t-1}^{1}$", size=FS)
    _text(ax, D.cx, top2 - n1 * c - 0.58, "$(7,\\ 64)$", size=FS - 2, color="#444444")
    _text(ax, 7.85, top2 - n1 * c / 2, "general layer $l$:\n$W^{l}$: $(n_l,\\ n_{l-1} + n_l)$\n"
          "stacked: $(n_{l-1} + n_l,\\ m)$", ha="left", size=FS - 3, color="#444444")
    return fig


# --------------------------------------------------------------------------------------
# 6. the four types of RNN
# --------------------------------------------------------------------------------------

_TYPE_TITLES = {
    "many_to_one": ("many-to-one", "a sequence in, one output after the last step\n"
                    "(e.g. is this bracket string well formed?)"),
    "many_to_many": ("many-to-many (equal lengths)", "an output at every step\n"
                     "(e.g. a part-of-speech tag for every word)"),
    "encoder_decoder": ("encoder-decoder (different lengths)", "the encoder reads, the decoder writes\n"
                        "(e.g. sorting, numbers to words, translation)"),
    "one_to_many": ("one-to-many (generative)", "one input, a sequence out; each output\n"
                    "is fed back as the next input (e.g. a melody)"),
}


class _Panel:
    """Draw in local coordinates (x, y) scaled by s and shifted to (ox, oy)."""

    def __init__(self, ax: Axes, ox: float, oy: float, s: float):
        self.ax, self.ox, self.oy, self.s = ax, ox, oy, s

    def p(self, x: float, y: float) -> tuple[float, float]:
        return (self.ox + self.s * x, self.oy + self.s * y)

    def box(self, x, y, w, h, text, kind, fs=FS - 2, **kw) -> Box:
        return _box(self.ax, *self.p(x, y), w * self.s, h * self.s, text, kind=kind,
                    fontsize=fs * self.s, **kw)

    def arrow(self, a, b, **kw) -> None:
        kw.setdefault("ms", 14 * self.s)
        _arrow(self.ax, a, b, **kw)

    def text(self, x, y, s, size=FS - 2, **kw) -> None:
        _text(self.ax, *self.p(x, y), s, size=size * self.s, **kw)


def _rnn_type(ax: Axes, kind: str, ox: float, oy: float, s: float) -> None:
    """One RNN type, unrolled, in a 5.0 x 3.6 panel (local units) at (ox, oy), scale s."""
    P = _Panel(ax, ox, oy, s)
    red = COLORS["W_R"]
    yx, yc, yy = 0.62, 1.62, 2.62
    cw, ch, nw, nh = 0.56, 0.42, 0.5, 0.36
    title, caption = _TYPE_TITLES[kind]
    P.text(2.5, 3.38, title, size=FS, weight="bold")
    P.text(2.5, 0.0, caption, size=FS - 3.5, color="#444444", va="bottom")

    def chain(xs, inputs, outputs, start=None):
        cells = []
        for k, x in enumerate(xs):
            c = P.box(x, yc, cw, ch, "", "hidden")
            if start is not None or k > 0:
                P.arrow(start.right if k == 0 else cells[-1].right, c.left, color=red, lw=2.0)
            cells.append(c)
            if inputs[k]:
                n = P.box(x, yx, nw, nh, inputs[k], "input")
                P.arrow(n.top, c.bottom)
            if outputs[k]:
                n = P.box(x, yy, nw, nh, outputs[k], "output")
                P.arrow(c.top, n.bottom)
        return cells

    if kind == "many_to_one":
        xs = [0.8, 1.95, 3.1, 4.25]
        chain(xs, [f"$x_{t}$" for t in "1234"], ["", "", "", r"$\hat{y}$"])
        for x in xs[:3]:
            P.arrow(P.p(x, yc + ch / 2), P.p(x, yc + ch / 2 + 0.35), color="#C8C8C8", lw=1.2,
                    ls=(0, (2, 2)))
        P.text(1.95, yy + 0.05, "$a_1, a_2, a_3$ not used", size=FS - 4, color="#888888")
    elif kind == "many_to_many":
        xs = [0.8, 1.95, 3.1, 4.25]
        chain(xs, [f"$x_{t}$" for t in "1234"], [rf"$\hat{{y}}_{t}$" for t in "1234"])
    elif kind == "one_to_many":
        xs = [0.8, 1.95, 3.1, 4.25]
        ins = ["$x$"] + [rf"$\hat{{y}}_{t}$" for t in "123"]
        cells = chain(xs, ["$x$", "", "", ""], [rf"$\hat{{y}}_{t}$" for t in "1234"])
        for k in range(1, 4):
            n = P.box(xs[k], yx, nw, nh, ins[k], "output", ls="--", lw=1.3)
            P.arrow(n.top, cells[k].bottom)
            src = P.p(xs[k - 1] + nw / 2, yy - 0.05)
            _curve(ax, [src, P.p(xs[k - 1] + 0.75, yy - 0.2), P.p(xs[k] - 0.75, yx + 0.2),
                        P.p(xs[k] - nw / 2, yx + 0.05)], color=COLORS["output"][1], lw=1.5,
                   ms=12 * s, ls=(0, (3, 2)))
    elif kind == "encoder_decoder":
        enc = [0.35, 0.95, 1.55, 2.15]
        dec = [3.45, 4.05, 4.65]
        cw2 = 0.42
        P.box(1.25, yc, 2.35, 0.78, "", "neutral", lw=1.0, ls="--", zorder=0.5, rounding=0.1)
        P.box(4.05, yc, 1.75, 0.78, "", "neutral", lw=1.0, ls="--", zorder=0.5, rounding=0.1)
        P.text(1.25, yc + 0.52, "encoder", size=FS - 3.5, color="#555555", style="italic")
        P.text(4.05, yc - 0.52, "decoder", size=FS - 3.5, color="#555555", style="italic")
        cells = []
        for k, x in enumerate(enc):
            c = P.box(x, yc, cw2, ch, "", "hidden")
            if k:
                P.arrow(cells[-1].right, c.left, color=red, lw=2.0)
            cells.append(c)
            n = P.box(x, yx, 0.44, nh, f"$x_{k + 1}$", "input", fs=FS - 3)
            P.arrow(n.top, c.bottom)
        ctx = P.box(2.8, yc, 0.46, 0.5, "", "loss", lw=2.0)
        P.text(2.8, yc - 0.5, "context\nvector", size=FS - 4, color=COLORS["loss"][1], va="top")
        P.arrow(cells[-1].right, ctx.left, color=red, lw=2.0)
        prev = ctx
        for k, x in enumerate(dec):
            c = P.box(x, yc, cw2, ch, "", "hidden")
            P.arrow(prev.right, c.left, color=red, lw=2.0)
            prev = c
            n = P.box(x, yy, 0.44, nh, rf"$\hat{{y}}_{k + 1}$", "output", fs=FS - 3)
            P.arrow(c.top, n.bottom)


def _draw_type(kind: str) -> Figure:
    s = 1.6
    fig, ax = _canvas(5.0 * s, 3.65 * s)
    _rnn_type(ax, kind, 0.0, 0.0, s)
    return fig


def draw_rnn_many_to_one() -> Figure:
    """Many-to-one: inputs at every step, one output after the last step."""
    return _draw_type("many_to_one")


def draw_rnn_many_to_many() -> Figure:
    """Many-to-many with equal lengths: an output at every step."""
    return _draw_type("many_to_many")


def draw_rnn_encoder_decoder() -> Figure:
    """Encoder-decoder: the encoder's last state (the context vector) starts the decoder."""
    return _draw_type("encoder_decoder")


def draw_rnn_one_to_many() -> Figure:
    """One-to-many: one input, an output at every step, each output fed back as the next input."""
    return _draw_type("one_to_many")


def draw_rnn_types() -> Figure:
    """The four types side by side (a 2 x 2 grid)."""
    fig, ax = _canvas(10.0, 7.6)
    for k, kind in enumerate(["many_to_one", "many_to_many", "encoder_decoder", "one_to_many"]):
        ox, oy = (k % 2) * 5.0, 3.9 - (k // 2) * 3.9
        _rnn_type(ax, kind, ox, oy + 0.05, 1.0)
    ax.plot([5.0, 5.0], [0.2, 7.4], color="#DDDDDD", lw=1.0)
    ax.plot([0.2, 9.8], [3.85, 3.85], color="#DDDDDD", lw=1.0)
    return fig


# --------------------------------------------------------------------------------------
# 7. backpropagation through time
# --------------------------------------------------------------------------------------


def draw_bptt_flow() -> Figure:
    """Many-to-many BPTT: forward in grey, gradients in purple, the sum at every a_t."""
    fig, ax = _canvas(10, 7.8)
    grey, purple = COLORS["forward"], COLORS["grad"]
    T = 4
    xs = [2.0, 4.2, 6.4, 8.6]
    yx, ya, yy, yl, yL = 1.15, 2.75, 4.35, 5.55, 6.95
    bw, bh = 0.8, 0.5
    off = 0.17  # forward arrows left of centre, gradients right of centre
    a0 = _box(ax, 0.55, ya, 0.55, 0.42, "$a_0$", kind="hidden", ls="--")
    total = _box(ax, 5.3, yL, 3.6, 0.62, r"$L = \sum_t\, L_t = L_1 + L_2 + L_3 + L_4$", kind="loss",
                 fontsize=FS + 1)
    prev = a0
    plus_pts = []
    for k, x in enumerate(xs):
        t = k + 1
        xb = _box(ax, x, yx, 0.6, 0.44, f"$x_{t}$", kind="input")
        ab = _box(ax, x, ya, bw, bh, f"$a_{t}$", kind="hidden")
        yb = _box(ax, x, yy, 0.6, 0.44, rf"$\hat{{y}}_{t}$", kind="output")
        lb = _box(ax, x, yl, 0.6, 0.44, f"$L_{t}$", kind="loss")
        # forward
        _arrow(ax, (x - off, xb.top[1]), (x - off, ab.bottom[1]), color=grey)
        _arrow(ax, (x - off, ab.top[1]), (x - off, yb.bottom[1]), color=grey)
        _arrow(ax, (x - off, yb.top[1]), (x - off, lb.bottom[1]), color=grey)
        _arrow(ax, (x - off, lb.top[1]), (total.cx + (x - total.cx) * 0.35 - off, total.bottom[1]),
               color="#B5B5B5", lw=1.3)
        fy = ya - 0.1
        _arrow(ax, (prev.right[0], fy), (ab.left[0], fy), color=grey)
        # gradients: from L_t down to yhat_t, then into the junction above a_t
        _arrow(ax, (x + off, lb.bottom[1]), (x + off, yb.top[1]), color=purple, lw=2.2)
        if k < T - 1:
            plus = (x + off, ya + 0.72)
            _arrow(ax, (x + off, yb.bottom[1]), (plus[0], plus[1] + 0.17), color=purple, lw=2.2)
            _op(ax, *plus, "+", r=0.17)
            _arrow(ax, (plus[0], plus[1] - 0.17), (x + off, ab.top[1]), color=purple, lw=2.2)
            plus_pts.append(plus)
        else:
            _arrow(ax, (x + off, yb.bottom[1]), (x + off, ab.top[1]), color=purple, lw=2.2)
        prev = ab
    # gradients from the future: from a_{t+1} back to the junction above a_t, through W_R^T
    for k in range(T - 1):
        src = (xs[k + 1] - bw / 2, ya + 0.1)
        dst = (plus_pts[k][0] + 0.17, plus_pts[k][1])
        _arrow(ax, src, dst, color=purple, lw=2.2, rad=0.0)
        mid = ((src[0] + dst[0]) / 2, (src[1] + dst[1]) / 2)
        _text(ax, mid[0] + 0.1, mid[1] + 0.22, r"$W_R^{\top}$", color=purple, size=FS - 1)
    # labels
    _text(ax, xs[1] + off + 0.25, yy - 0.55, r"$\dfrac{\partial L_2}{\partial a_2}$", color=purple,
          size=FS - 1, ha="left")
    _text(ax, 0.55, ya - 0.42, "", size=FS - 2)
    _text(ax, 0.15, yx, "inputs", ha="left", size=FS - 2, color=COLORS["input"][1])
    _text(ax, 0.15, yy, "outputs", ha="left", size=FS - 2, color=COLORS["output"][1])
    _text(ax, 0.15, yl, "losses", ha="left", size=FS - 2, color=COLORS["loss"][1])
    _text(ax, xs[-1] + 0.5, ya + 0.65, "nothing\nfrom the\nfuture at $T$", size=FS - 4,
          color="#666666", ha="left")
    _legend(ax, 0.25, yL + 0.15, [(grey, "forward pass"), (purple, "gradient (backward)")])
    # the equation for the highlighted step
    _text(ax, 5.0, 0.15,
          r"$\dfrac{\partial L}{\partial a_t} = \dfrac{\partial L_t}{\partial a_t}"
          r" + W_R^{\top}\left(f\,'(z_{t+1}) \odot \dfrac{\partial L}{\partial a_{t+1}}\right)$"
          "     (from above  +  from the future)",
          size=FS, color=purple, va="bottom")
    return fig


# --------------------------------------------------------------------------------------
# 8. padding and the mask
# --------------------------------------------------------------------------------------


def draw_padding_mask() -> Figure:
    """Sequences of different lengths padded to T, with the 0/1 mask of shape (T, m)."""
    fig, ax = _canvas(10, 5.2)
    seqs = [[82, 6, 25, 12, 71], [3, 9, 1], [40, 7, 33, 18, 2, 60], [5, 14]]
    T, m = max(len(s_) for s_ in seqs), len(seqs)
    c = 0.5
    inp, pad = COLORS["input"][0], COLORS["pad"][0]

    def val(i, j):
        return str(seqs[j][i]) if i < len(seqs[j]) else "0"

    def face(i, j):
        return inp if i < len(seqs[j]) else pad

    def mtext(i, j):
        return "1" if i < len(seqs[j]) else "0"

    def mface(i, j):
        return "#CDEBD6" if i < len(seqs[j]) else "white"

    top = 4.25
    _text(ax, 0.25, 4.95, "padded batch  ($n_0 = 1$, shown as $(T,\\ m)$)", ha="left", size=FS,
          weight="bold")
    _text(ax, 5.75, 4.95, "mask  M  of shape $(T,\\ m)$", ha="left", size=FS, weight="bold")
    gx = 1.55
    _grid(ax, gx, top, T, m, c, face=face, texts=val, fontsize=FS - 1, edge="#777777")
    mx = 6.9
    _grid(ax, mx, top, T, m, c, face=mface, texts=mtext, fontsize=FS - 1, edge="#777777")
    for i in range(T):
        _text(ax, gx - 0.15, top - (i + 0.5) * c, f"$t = {i + 1}$", ha="right", size=FS - 2)
        _text(ax, mx - 0.15, top - (i + 0.5) * c, f"$t = {i + 1}$", ha="right", size=FS - 2)
    for j in range(m):
        _text(ax, gx + (j + 0.5) * c, top + 0.2, f"{j + 1}", size=FS - 2, color="#555555")
        _text(ax, mx + (j + 0.5) * c, top + 0.2, f"{j + 1}", size=FS - 2, color="#555555")
        _text(ax, gx + (j + 0.5) * c, top - T * c - 0.22, f"{len(seqs[j])}", size=FS - 2,
              color=COLORS["input"][1])
    _text(ax, gx + m * c + 0.15, top + 0.2, "sequence $j$", ha="left", size=FS - 2, color="#555555")
    _text(ax, gx + m * c + 0.15, top - T * c - 0.22, "length", ha="left", size=FS - 2,
          color=COLORS["input"][1])
    _text(ax, mx + m * c + 0.15, top + 0.2, "sequence $j$", ha="left", size=FS - 2, color="#555555")
    # legend
    lx = gx + m * c + 0.25
    for k, (fc, name) in enumerate(((inp, "real step"), (pad, "padding"))):
        yy = top - 2.55 - 0.45 * k
        ax.add_patch(Rectangle((lx, yy - 0.12), 0.3, 0.25, facecolor=fc, edgecolor="#777777"))
        _text(ax, lx + 0.4, yy, name, ha="left", size=FS - 2)
    ya = top - 1.25
    _arrow(ax, (4.7, ya), (5.75, ya), color="#333333", lw=2.0)
    _text(ax, 5.22, ya + 0.25, "1 where real,", size=FS - 3, color="#444444")
    _text(ax, 5.22, ya - 0.25, "0 where padded", size=FS - 3, color="#444444")
    _text(ax, 5.0, 0.4,
          r"masked loss:  $L = (1/m)\; \Sigma_{t}\, \Sigma_{j}\, M_{tj}\, L_t^{(j)}$"
          "     (padded steps add nothing to the loss or its gradient)",
          size=FS - 1, va="center")
    return fig


# --------------------------------------------------------------------------------------
# 9. the Jacobian chain behind vanishing and exploding gradients
# --------------------------------------------------------------------------------------


def draw_jacobian_chain() -> Figure:
    """da_T/da_k as a product of Jacobians diag(f'(z_t)) W_R, and its norm bound."""
    fig, ax = _canvas(10, 5.6)
    grey, purple = COLORS["forward"], COLORS["grad"]
    y = 4.3
    xs = [0.8, 3.0, 5.2, 7.0, 9.2]
    names = ["$a_k$", "$a_{k+1}$", "$a_{k+2}$", None, "$a_T$"]
    boxes = []
    for x, name in zip(xs, names, strict=True):
        if name is None:
            _text(ax, x, y, r"$\cdots$", size=FS + 4)
            boxes.append(None)
        else:
            boxes.append(_box(ax, x, y, 0.85, 0.5, name, kind="hidden"))
    jac = [r"$\mathrm{diag}(f\,'(z_{k+1}))\,W_R$", r"$\mathrm{diag}(f\,'(z_{k+2}))\,W_R$", "",
           r"$\mathrm{diag}(f\,'(z_T))\,W_R$"]
    for k in range(4):
        left = boxes[k].right[0] if boxes[k] else xs[k] + 0.35
        right = boxes[k + 1].left[0] if boxes[k + 1] else xs[k + 1] - 0.35
        _arrow(ax, (left, y + 0.12), (right, y + 0.12), color=grey)
        _arrow(ax, (right, y - 0.12), (left, y - 0.12), color=purple, lw=2.2)
        if jac[k]:
            _text(ax, (left + right) / 2, y - 0.42, jac[k], size=FS - 2, color=purple)
    _text(ax, 5.0, 5.25, r"each step back in time brings in one Jacobian "
          r"$\dfrac{\partial a_t}{\partial a_{t-1}} = \mathrm{diag}(f\,'(z_t))\,W_R$",
          size=FS, va="center")
    _text(ax, 0.3, 3.05, r"$\dfrac{\partial a_T}{\partial a_k} = \prod_{t=k+1}^{T}"
          r"\mathrm{diag}(f\,'(z_t))\,W_R$", size=FS + 2, ha="left")
    _text(ax, 0.3, 2.35, "(ordered: the factor for $t = T$ on the left, $t = k+1$ on the right)",
          size=FS - 3, ha="left", color="#444444")
    _text(ax, 0.3, 1.6, r"$\left\|\dfrac{\partial a_T}{\partial a_k}\right\| \leq "
          r"\left(\gamma\,\sigma_{\max}(W_R)\right)^{T-k}$", size=FS + 2, ha="left")
    _text(ax, 0.3, 0.95, r"$\gamma = \max\,|f\,'|$:  1 for tanh,  1/4 for sigmoid", size=FS - 1,
          ha="left", color="#444444")
    _text(ax, 0.3, 0.45, r"$\gamma\,\sigma_{\max} < 1$: vanishes;  $> 1$: can explode", size=FS - 1,
          ha="left", color="#444444")
    # the bound on a log scale
    pax = fig.add_axes((0.6, 0.1, 0.36, 0.42))
    steps = np.arange(0, 31)
    for g, color in ((1.2, COLORS["W_R"]), (1.0, "#555555"), (0.8, COLORS["hidden"][1]),
                     (0.5, COLORS["input"][1])):
        pax.semilogy(steps, g ** steps, color=color, lw=2.0, label=rf"$\gamma\sigma_{{\max}} = {g}$")
    pax.set_xlabel("$T - k$ (steps back)", fontsize=FS - 2)
    pax.set_ylabel(r"bound $(\gamma\,\sigma_{\max})^{T-k}$", fontsize=FS - 3)
    pax.set_ylim(1e-6, 1e4)
    pax.tick_params(labelsize=FS - 4)
    pax.grid(True, which="major", alpha=0.3)
    pax.legend(fontsize=FS - 5, loc="lower left", frameon=False)
    return fig


# --------------------------------------------------------------------------------------
# 10. LSTM and GRU cells
# --------------------------------------------------------------------------------------


def _gate(ax: Axes, x: float, y: float, text: str, w: float = 0.6, h: float = 0.44) -> Box:
    return _box(ax, x, y, w, h, text, kind="gate", fontsize=FS - 1)


def _pointwise(ax: Axes, x: float, y: float, text: str) -> Box:
    return _box(ax, x, y, 0.6, 0.34, text, kind="neutral", fontsize=FS - 3, rounding=0.15, lw=1.3)


def _equations(ax: Axes, x: float, y: float, rows: list[tuple[str, str]], dy: float = 0.56,
               size: float = FS - 2) -> None:
    """A column of equations, each with a small grey name under it."""
    for k, (eq, name) in enumerate(rows):
        _text(ax, x, y - k * dy, eq, ha="left", size=size, va="top")
        if name:
            _text(ax, x, y - k * dy - 0.34, name, ha="left", size=FS - 4, color="#777777", va="top")


def draw_lstm_cell() -> Figure:
    """The LSTM cell: gates f, i, o, the candidate, and the cell-state line with only x and +."""
    fig, ax = _canvas(10, 6.3)
    grey, purple, green = "#444444", COLORS["grad"], COLORS["hidden"][1]
    yC, yG, yB = 4.35, 2.35, 1.35
    ax.add_patch(FancyBboxPatch((0.85, 0.7), 5.2, 4.25, boxstyle="round,pad=0,rounding_size=0.25",
                                facecolor="#FAFAFA", edgecolor="#999999", linewidth=1.4, zorder=0.5))
    # the cell-state line: the constant error carousel
    xf, xplus, xo = 1.85, 3.45, 5.2
    _text(ax, 0.45, yC, "$c_{t-1}$", size=FS)
    _polyline(ax, [(0.75, yC), (xf - 0.17, yC)], color=green, lw=3.2)
    _polyline(ax, [(xf + 0.17, yC), (xplus - 0.17, yC)], color=green, lw=3.2)
    _polyline(ax, [(xplus + 0.17, yC), (6.6, yC)], color=green, lw=3.2)
    _text(ax, 6.8, yC, "$c_t$", size=FS)
    _op(ax, xf, yC, r"$\times$")
    _op(ax, xplus, yC, "$+$")
    _text(ax, 3.45, 4.72, "cell state: only $\\times$ and $+$ act on it", size=FS - 2, color=green)
    # gradient along the carousel
    _arrow(ax, (6.0, 5.3), (1.0, 5.3), color=purple, lw=2.2)
    _text(ax, 3.5, 5.62, r"gradient along the cell state: $\partial c_t / \partial c_{t-1} = "
          r"\mathrm{diag}(f_t)$: no weight matrix, no squashing", size=FS - 2, color=purple)
    # inputs and the bus [x_t; a_{t-1}]
    _text(ax, 0.45, yB, "$a_{t-1}$", size=FS)
    _polyline(ax, [(0.75, yB), (4.35, yB)], color=grey, head=False)
    _polyline(ax, [(1.2, 0.3), (1.2, yB)], color=grey, head=False)
    _dot(ax, 1.2, yB, color=grey)
    _text(ax, 1.2, 0.12, "$x_t$", size=FS)
    _text(ax, 2.8, yB - 0.3, r"$x_t$ and $a_{t-1}$ feed every gate", size=FS - 3, color="#444444")
    gates = [(1.85, r"$\sigma$"), (2.65, r"$\sigma$"), (3.45, r"$\tanh$"), (4.35, r"$\sigma$")]
    boxes = []
    for x, sym in gates:
        _dot(ax, x, yB, color=grey) if x != 4.35 else None
        boxes.append(_gate(ax, x, yG, sym, w=0.7 if sym == r"$\tanh$" else 0.6))
        _arrow(ax, (x, yB), (x, yG - 0.22), color=grey)
    # forget gate to the x on the cell line
    _arrow(ax, (xf, yG + 0.22), (xf, yC - 0.17), color=grey)
    _text(ax, xf + 0.1, 3.2, "$f_t$", size=FS - 1, ha="left")
    # input gate x candidate, then up to +
    xi_ = _op(ax, xplus, 3.35, r"$\times$")
    _polyline(ax, [(2.65, yG + 0.22), (2.65, xi_.cy), (xplus - 0.17, xi_.cy)], color=grey)
    _text(ax, 2.55, 2.95, "$i_t$", size=FS - 1, ha="right")
    _arrow(ax, (xplus, yG + 0.22), (xplus, xi_.cy - 0.17), color=grey)
    _text(ax, xplus + 0.1, 2.85, r"$g_t$", size=FS - 1, ha="left")
    _arrow(ax, (xplus, xi_.cy + 0.17), (xplus, yC - 0.17), color=grey)
    # output: o_t x tanh(c_t)
    _dot(ax, xo, yC, color=green)
    th = _pointwise(ax, xo, 3.45, r"$\tanh$")
    _arrow(ax, (xo, yC), th.top, color=green, lw=2.0)
    xo_ = _op(ax, xo, yG, r"$\times$")
    _arrow(ax, th.bottom, (xo, yG + 0.17), color=grey)
    _arrow(ax, (4.65, yG), (xo - 0.17, yG), color=grey)
    _text(ax, 4.9, yG + 0.22, "$o_t$", size=FS - 1)
    _polyline(ax, [(xo + 0.17, yG), (5.65, yG), (5.65, yB), (6.6, yB)], color=grey)
    _text(ax, 6.8, yB, "$a_t$", size=FS)
    _ = xo_
    _equations(ax, 7.1, 4.95, [
        (r"$f_t = \sigma(W_F^f x_t + W_R^f a_{t-1} + b^f)$", "forget gate"),
        (r"$i_t = \sigma(W_F^i x_t + W_R^i a_{t-1} + b^i)$", "input gate"),
        (r"$g_t = \tanh(W_F^g x_t + W_R^g a_{t-1} + b^g)$", "candidate"),
        (r"$o_t = \sigma(W_F^o x_t + W_R^o a_{t-1} + b^o)$", "output gate"),
        (r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$", "new cell state"),
        (r"$a_t = o_t \odot \tanh(c_t)$", "new hidden state"),
    ], dy=0.7)
    return fig


def draw_gru_cell() -> Figure:
    """The GRU cell: reset and update gates, a_t = u_t a_{t-1} + (1 - u_t) g_t."""
    fig, ax = _canvas(10, 6.3)
    grey, purple, green = "#444444", COLORS["grad"], COLORS["hidden"][1]
    yC, yG, yB = 4.45, 2.35, 1.35
    ax.add_patch(FancyBboxPatch((0.85, 0.55), 5.2, 4.4, boxstyle="round,pad=0,rounding_size=0.25",
                                facecolor="#FAFAFA", edgecolor="#999999", linewidth=1.4, zorder=0.5))
    xr, xc, xu, x1, xplus = 1.85, 2.9, 4.3, 4.3, 5.4
    # the state line: a_{t-1} -> x u_t -> + -> a_t
    _text(ax, 0.45, yC, "$a_{t-1}$", size=FS)
    _polyline(ax, [(0.75, yC), (x1 - 0.17, yC)], color=green, lw=3.2)
    _polyline(ax, [(x1 + 0.17, yC), (xplus - 0.17, yC)], color=green, lw=3.2)
    _polyline(ax, [(xplus + 0.17, yC), (6.6, yC)], color=green, lw=3.2)
    _text(ax, 6.8, yC, "$a_t$", size=FS)
    _op(ax, x1, yC, r"$\times$")
    _op(ax, xplus, yC, "$+$")
    _arrow(ax, (6.0, 5.2), (1.0, 5.2), color=purple, lw=2.2)
    _text(ax, 3.5, 5.75, r"gradient along the state line: a factor $\mathrm{diag}(u_t)$, no weight matrix;",
          size=FS - 2, color=purple)
    _text(ax, 3.5, 5.5, r"where $u_t \approx 1$ it passes back unchanged", size=FS - 2, color=purple)
    # x_t and a_{t-1} feed the two gates
    xb = 1.15
    _dot(ax, xb, yC, color=green)
    _polyline(ax, [(xb, yC), (xb, yB), (xu, yB)], color=grey, head=False)
    _polyline(ax, [(1.5, 0.25), (1.5, yB)], color=grey, head=False)
    _dot(ax, 1.5, yB, color=grey)
    _text(ax, 1.5, 0.1, "$x_t$", size=FS)
    _text(ax, 3.6, yB - 0.3, r"$x_t,\ a_{t-1}$", size=FS - 3, color="#444444")
    # x_t also goes straight to the candidate (crossing over the line to the gates)
    _dot(ax, 1.5, 0.8, color=grey)
    _gap(ax, xc, yB, vertical=False)
    _polyline(ax, [(1.5, 0.8), (xc, 0.8), (xc, yG - 0.22)], color=grey, zorder=2.5)
    _dot(ax, xr, yB, color=grey)
    for x in (xr, xu):
        _arrow(ax, (x, yB), (x, yG - 0.22), color=grey)
    _gate(ax, xr, yG, r"$\sigma$")
    _gate(ax, xu, yG, r"$\sigma$")
    cand = _gate(ax, xc, yG, r"$\tanh$", w=0.7)
    # reset: r_t * a_{t-1} feeds the candidate
    xr_ = _op(ax, xr, 3.6, r"$\times$")
    _dot(ax, xr, yC, color=green)
    _arrow(ax, (xr, yC), (xr, xr_.cy + 0.17), color=green, lw=2.0)
    _arrow(ax, (xr, yG + 0.22), (xr, xr_.cy - 0.17), color=grey)
    _text(ax, xr - 0.1, 2.95, "$r_t$", size=FS - 1, ha="right")
    _polyline(ax, [(xr + 0.17, xr_.cy), (xc, xr_.cy), (xc, yG + 0.22)], color=grey)
    _text(ax, (xr + xc) / 2 + 0.05, xr_.cy + 0.22, r"$r_t \odot a_{t-1}$", size=FS - 3)
    # update: u_t on the state line, (1 - u_t) times the candidate
    _arrow(ax, (xu, yG + 0.22), (x1, yC - 0.17), color=grey)
    _text(ax, xu - 0.1, 3.85, "$u_t$", size=FS - 1, ha="right")
    mul = _op(ax, xplus, 3.45, r"$\times$")
    _dot(ax, xu, 2.85, color=grey)
    one = _op(ax, 4.85, 2.85, r"$1-$", r=0.2, fontsize=FS - 3)
    _arrow(ax, (xu, 2.85), (one.cx - 0.2, 2.85), color=grey)
    _polyline(ax, [(one.cx + 0.2, 2.85), (xplus, 2.85), (xplus, mul.cy - 0.17)], color=grey)
    _text(ax, 5.5, 3.05, "$1 - u_t$", size=FS - 3, ha="left")
    _gap(ax, xu, mul.cy, vertical=True)
    _polyline(ax, [(cand.right[0], yG), (3.65, yG), (3.65, mul.cy), (xplus - 0.17, mul.cy)],
              color=grey, zorder=2.5)
    _text(ax, 3.75, 2.65, "$g_t$", size=FS - 1, ha="left")
    _arrow(ax, (xplus, mul.cy + 0.17), (xplus, yC - 0.17), color=grey)
    _equations(ax, 7.1, 4.95, [
        (r"$r_t = \sigma(W_F^r x_t + W_R^r a_{t-1} + b^r)$", "reset gate"),
        (r"$u_t = \sigma(W_F^u x_t + W_R^u a_{t-1} + b^u)$", "update gate"),
        (r"$g_t = \tanh(W_F^g x_t + W_R^g (r_t \odot a_{t-1}) + b^g)$", "candidate"),
        (r"$a_t = u_t \odot a_{t-1} + (1 - u_t) \odot g_t$", "new state"),
    ], dy=0.85)
    return fig


# --------------------------------------------------------------------------------------
# 11. gradient clipping
# --------------------------------------------------------------------------------------


def draw_clipping() -> Figure:
    """Clipping by norm keeps the direction; clipping by value caps each component."""
    fig = Figure(figsize=(10, 5.0), dpi=DPI, facecolor="white")
    g = np.array([2.6, 1.0])
    c = 1.5
    by_norm = g * min(1.0, c / np.linalg.norm(g))
    by_value = np.clip(g, -c, c)
    purple = COLORS["grad"]
    faded = "#C9B3D9"
    region = {"facecolor": "#F1F1F1", "edgecolor": "#777777", "lw": 1.5, "ls": "--"}
    style = "-|>,head_length=0.5,head_width=0.25"
    for k, (title, clipped, formula) in enumerate((
        ("clipping by norm", by_norm, r"$g \leftarrow g \cdot \min\left(1,\ c\,/\,\|g\|\right)$"),
        ("clipping by value", by_value, r"$g_i \leftarrow \min(\max(g_i, -c),\ c)$"),
    )):
        ax = fig.add_axes((0.08 + 0.5 * k, 0.2, 0.4, 0.68))
        ax.set_xlim(-2.0, 3.0)
        ax.set_ylim(-2.0, 2.2)
        ax.set_aspect("equal")
        ax.axhline(0, color="#BBBBBB", lw=1.0, zorder=0)
        ax.axvline(0, color="#BBBBBB", lw=1.0, zorder=0)
        ax.set_xlabel("$g_1$", fontsize=FS - 1)
        ax.set_ylabel("$g_2$", fontsize=FS - 1, rotation=0, labelpad=12)
        ax.tick_params(labelsize=FS - 4)
        ax.set_title(title, fontsize=FS + 1, weight="bold")
        if k == 0:
            ax.add_patch(Circle((0, 0), c, **region))
            ax.text(-0.75, -0.75, r"$\|g\| \leq c$", fontsize=FS - 1, color="#555555", ha="center")
        else:
            ax.add_patch(Rectangle((-c, -c), 2 * c, 2 * c, **region))
            ax.text(-0.75, -0.95, r"$|g_i| \leq c$", fontsize=FS - 1, color="#555555", ha="center")
        ax.add_patch(FancyArrowPatch((0, 0), tuple(g), arrowstyle=style, mutation_scale=16,
                                     color=faded, lw=2.2, zorder=3))
        ax.add_patch(FancyArrowPatch((0, 0), tuple(clipped), arrowstyle=style, mutation_scale=16,
                                     color=purple, lw=2.8, zorder=4))
        ax.text(g[0] + 0.05, g[1] + 0.12, "$g$", fontsize=FS + 1, color="#9A7BB0")
        ax.text(clipped[0] + 0.08, clipped[1] - 0.32 if k == 0 else clipped[1] + 0.1,
                "clipped", fontsize=FS - 1, color=purple)
        if k == 0:
            ax.text(0.45, -0.45, "same direction,\nshorter", fontsize=FS - 2, ha="left", color="#333333")
        else:
            ang = np.degrees(np.arctan2(clipped[1], clipped[0]) - np.arctan2(g[1], g[0]))
            ax.text(0.3, -0.75, f"direction\nturned by\n{ang:.0f} degrees", fontsize=FS - 2, ha="left",
                    color="#333333")
        ax.text(2.9, -1.85, f"$c = {c}$", fontsize=FS - 2, ha="right", color="#555555")
        fig.text(0.28 + 0.5 * k, 0.05, formula, fontsize=FS, ha="center")
    return fig


# --------------------------------------------------------------------------------------
# registry and command line
# --------------------------------------------------------------------------------------

#: File name in img/ -> the function that draws it.
FIGURES: dict[str, Callable[[], Figure]] = {
    "ff_vs_rnn.png": draw_ff_vs_rnn,
    "rnn_unrolled.png": draw_rnn_unrolled,
    "layers_time_grid.png": draw_layers_time_grid,
    "batch_tensor.png": draw_batch_tensor,
    "concat_matrix.png": draw_concat_matrix,
    "rnn_many_to_one.png": draw_rnn_many_to_one,
    "rnn_many_to_many.png": draw_rnn_many_to_many,
    "rnn_encoder_decoder.png": draw_rnn_encoder_decoder,
    "rnn_one_to_many.png": draw_rnn_one_to_many,
    "rnn_types.png": draw_rnn_types,
    "bptt_flow.png": draw_bptt_flow,
    "padding_mask.png": draw_padding_mask,
    "jacobian_chain.png": draw_jacobian_chain,
    "lstm_cell.png": draw_lstm_cell,
    "gru_cell.png": draw_gru_cell,
    "clipping.png": draw_clipping,
}

#: The repository's img/ folder (next to the package).
IMG_DIR = Path(__file__).resolve().parent.parent / "img"


def save_figure(name: str, outdir: str | Path = "img") -> Path:
    """Draw the figure registered as `name` and save it to `outdir/name`; return the path.

    Saved at `DPI` with no software or date metadata, so regenerating gives the same
    bytes on the same matplotlib version.
    """
    if name not in FIGURES:
        raise KeyError(f"no figure named {name!r}; known figures: {', '.join(sorted(FIGURES))}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / name
    fig = FIGURES[name]()
    fig.savefig(path, dpi=DPI, facecolor="white", metadata={"Software": None})
    return path


def draw_all(outdir: str | Path = "img") -> list[Path]:
    """Draw every registered figure into `outdir`; return the paths written."""
    return [save_figure(name, outdir) for name in FIGURES]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate the course figures in img/.")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="draw only this figure (file name, .png optional); may be repeated")
    parser.add_argument("--outdir", default=str(IMG_DIR), help="output folder (default: img/)")
    args = parser.parse_args(argv)
    names = list(FIGURES)
    if args.only:
        names = [n if n.endswith(".png") else n + ".png" for n in args.only]
        unknown = [n for n in names if n not in FIGURES]
        if unknown:
            parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    for name in names:
        print(save_figure(name, args.outdir))


if __name__ == "__main__":
    main()
