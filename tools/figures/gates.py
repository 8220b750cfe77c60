"""The LSTM and GRU cells (notebook 11)."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .primitives import (
    COLORS,
    FS,
    Box,
    _arrow,
    _box,
    _canvas,
    _dot,
    _gap,
    _op,
    _polyline,
    _text,
)

# --------------------------------------------------------------------------------------
# 10. LSTM and GRU cells
# --------------------------------------------------------------------------------------


def _gate(ax: Axes, x: float, y: float, text: str, w: float = 0.6, h: float = 0.44) -> Box:
    return _box(ax, x, y, w, h, text, kind="gate", fontsize=FS - 1)


def _pointwise(ax: Axes, x: float, y: float, text: str) -> Box:
    return _box(ax, x, y, 0.6, 0.34, text, kind="neutral", fontsize=FS - 3, rounding=0.15, lw=1.3)


def _equations(
    ax: Axes, x: float, y: float, rows: list[tuple[str, str]], dy: float = 0.56, size: float = FS - 2
) -> None:
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
    ax.add_patch(
        FancyBboxPatch(
            (0.85, 0.7),
            5.2,
            4.25,
            boxstyle="round,pad=0,rounding_size=0.25",
            facecolor="#FAFAFA",
            edgecolor="#999999",
            linewidth=1.4,
            zorder=0.5,
        )
    )
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
    _text(
        ax,
        3.5,
        5.62,
        r"gradient along the cell state: $\partial c_t / \partial c_{t-1} = "
        r"\mathrm{diag}(f_t)$: no weight matrix, no squashing",
        size=FS - 2,
        color=purple,
    )
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
    _equations(
        ax,
        7.1,
        4.95,
        [
            (r"$f_t = \sigma(W_F^f x_t + W_R^f a_{t-1} + b^f)$", "forget gate"),
            (r"$i_t = \sigma(W_F^i x_t + W_R^i a_{t-1} + b^i)$", "input gate"),
            (r"$g_t = \tanh(W_F^g x_t + W_R^g a_{t-1} + b^g)$", "candidate"),
            (r"$o_t = \sigma(W_F^o x_t + W_R^o a_{t-1} + b^o)$", "output gate"),
            (r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$", "new cell state"),
            (r"$a_t = o_t \odot \tanh(c_t)$", "new hidden state"),
        ],
        dy=0.7,
    )
    return fig


def draw_gru_cell() -> Figure:
    """The GRU cell: reset and update gates, a_t = u_t a_{t-1} + (1 - u_t) g_t."""
    fig, ax = _canvas(10, 6.3)
    grey, purple, green = "#444444", COLORS["grad"], COLORS["hidden"][1]
    yC, yG, yB = 4.45, 2.35, 1.35
    ax.add_patch(
        FancyBboxPatch(
            (0.85, 0.55),
            5.2,
            4.4,
            boxstyle="round,pad=0,rounding_size=0.25",
            facecolor="#FAFAFA",
            edgecolor="#999999",
            linewidth=1.4,
            zorder=0.5,
        )
    )
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
    _text(
        ax,
        3.5,
        5.75,
        r"gradient along the state line: a factor $\mathrm{diag}(u_t)$, no weight matrix;",
        size=FS - 2,
        color=purple,
    )
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
    _polyline(
        ax, [(cand.right[0], yG), (3.65, yG), (3.65, mul.cy), (xplus - 0.17, mul.cy)], color=grey, zorder=2.5
    )
    _text(ax, 3.75, 2.65, "$g_t$", size=FS - 1, ha="left")
    _arrow(ax, (xplus, mul.cy + 0.17), (xplus, yC - 0.17), color=grey)
    _equations(
        ax,
        7.1,
        4.95,
        [
            (r"$r_t = \sigma(W_F^r x_t + W_R^r a_{t-1} + b^r)$", "reset gate"),
            (r"$u_t = \sigma(W_F^u x_t + W_R^u a_{t-1} + b^u)$", "update gate"),
            (r"$g_t = \tanh(W_F^g x_t + W_R^g (r_t \odot a_{t-1}) + b^g)$", "candidate"),
            (r"$a_t = u_t \odot a_{t-1} + (1 - u_t) \odot g_t$", "new state"),
        ],
        dy=0.85,
    )
    return fig
