"""The four types of RNN, alone and side by side (notebook 07)."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from rnncourse.palette import MUTED

from .primitives import (
    COLORS,
    FS,
    Box,
    _arrow,
    _box,
    _canvas,
    _curve,
    _text,
)

# --------------------------------------------------------------------------------------
# 6. the four types of RNN
# --------------------------------------------------------------------------------------

_TYPE_TITLES = {
    "many_to_one": (
        "many-to-one",
        "a sequence in, one output after the last step\n(e.g. is this bracket string well formed?)",
    ),
    "many_to_many": (
        "many-to-many (equal lengths)",
        "an output at every step\n(e.g. a part-of-speech tag for every word)",
    ),
    "encoder_decoder": (
        "encoder-decoder (different lengths)",
        "the encoder reads, the decoder writes\n(e.g. sorting, numbers to words, translation)",
    ),
    "one_to_many": (
        "one-to-many (generative)",
        "one input, a sequence out; each output\nis fed back as the next input (e.g. a melody)",
    ),
}


class _Panel:
    """Draw in local coordinates (x, y) scaled by s and shifted to (ox, oy)."""

    def __init__(self, ax: Axes, ox: float, oy: float, s: float):
        self.ax, self.ox, self.oy, self.s = ax, ox, oy, s

    def p(self, x: float, y: float) -> tuple[float, float]:
        return (self.ox + self.s * x, self.oy + self.s * y)

    def box(self, x, y, w, h, text, kind, fs=FS - 2, **kw) -> Box:
        return _box(
            self.ax, *self.p(x, y), w * self.s, h * self.s, text, kind=kind, fontsize=fs * self.s, **kw
        )

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
            P.arrow(P.p(x, yc + ch / 2), P.p(x, yc + ch / 2 + 0.35), color="#C8C8C8", lw=1.2, ls=(0, (2, 2)))
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
            _curve(
                ax,
                [
                    src,
                    P.p(xs[k - 1] + 0.75, yy - 0.2),
                    P.p(xs[k] - 0.75, yx + 0.2),
                    P.p(xs[k] - nw / 2, yx + 0.05),
                ],
                color=COLORS["output"][1],
                lw=1.5,
                ms=12 * s,
                ls=(0, (3, 2)),
            )
    elif kind == "encoder_decoder":
        enc = [0.35, 0.95, 1.55, 2.15]
        dec = [3.45, 4.05, 4.65]
        cw2 = 0.42
        P.box(1.25, yc, 2.35, 0.78, "", "neutral", lw=1.0, ls="--", zorder=0.5, rounding=0.1)
        P.box(4.05, yc, 1.75, 0.78, "", "neutral", lw=1.0, ls="--", zorder=0.5, rounding=0.1)
        P.text(1.25, yc + 0.52, "encoder", size=FS - 3.5, color=MUTED, style="italic")
        P.text(4.05, yc - 0.52, "decoder", size=FS - 3.5, color=MUTED, style="italic")
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
    # 4.5 x 3.3 in, 675 px at DPI 150: shown at full size in a notebook column, a little
    # larger than one quarter of `draw_rnn_types` and never wider than the text
    s = 0.9
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
