"""The batch tensor, the concatenated weight matrix, padding and the mask (notebooks 04, 06)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from rnncourse.palette import INK, MUTED

from .primitives import (
    COLORS,
    FS,
    _arrow,
    _canvas,
    _grid,
    _text,
)

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
    _text(
        ax,
        0.2,
        6.7,
        "time-major (this course):  X of shape $(T,\\ n_0,\\ m)$",
        size=FS + 1,
        ha="left",
        weight="bold",
    )
    x0, y0, gap = 1.0, 5.75, 0.36
    for t in range(T):
        xx = x0 + t * (m * cell + gap)
        _grid(ax, xx, y0, n0, m, cell, face=lambda i, j: face(j), outline=blue)
        ax.add_patch(
            Rectangle(
                (xx + hl * cell, y0 - n0 * cell),
                cell,
                n0 * cell,
                facecolor="none",
                edgecolor=INK,
                linewidth=2.2,
                zorder=4,
            )
        )
        name = "T" if t == T - 1 else str(t + 1)
        _text(ax, xx + m * cell / 2, y0 + 0.22, f"$x_{name}$", size=FS)
    for j in range(m):
        _text(
            ax,
            x0 + (j + 0.5) * cell,
            y0 - n0 * cell - 0.15,
            f"${seq_names[j]}$",
            size=FS - 3,
            color="#444444",
        )
    _text(ax, x0 - 0.12, y0 - n0 * cell / 2, "$n_0$", ha="right", size=FS - 1)
    _text(
        ax, x0 + m * cell + 0.08, y0 - n0 * cell - 0.15, "sequences", size=FS - 3, ha="left", color="#444444"
    )
    strip = T * (m * cell + gap) - gap
    _arrow(ax, (x0, y0 - n0 * cell - 0.55), (x0 + strip, y0 - n0 * cell - 0.55), color=MUTED, lw=1.4, ms=12)
    _text(ax, x0 + strip / 2, y0 - n0 * cell - 0.75, "time: axis 0,  $T$ steps", size=FS - 2, color=MUTED)
    _text(
        ax,
        x0 + strip + 0.3,
        y0 - n0 * cell / 2,
        "X[t] is $x_t$:\nshape $(n_0,\\ m)$,\none column\nper sequence",
        size=FS - 2,
        ha="left",
        va="center",
    )

    # the transposes
    _arrow(ax, (1.5, 3.95), (1.5, 3.15), color="#333333", lw=2.0)
    _text(ax, 1.65, 3.55, "Xb = X.transpose(2, 0, 1)", size=FS - 1, ha="left", family="monospace")
    _arrow(ax, (8.7, 3.15), (8.7, 3.95), color="#333333", lw=2.0)
    _text(ax, 8.55, 3.55, "X = Xb.transpose(1, 2, 0)", size=FS - 1, ha="right", family="monospace")

    # batch-first: one (T, n_0) matrix per sequence
    _text(
        ax,
        0.2,
        2.75,
        "batch-first (Keras, PyTorch batch_first=True):  Xb of shape $(m,\\ T,\\ n_0)$",
        size=FS + 1,
        ha="left",
        weight="bold",
    )
    x1, y1, gap1 = 1.0, 2.1, 0.62
    for j in range(m):
        xx = x1 + j * (n0 * cell + gap1)
        _grid(
            ax,
            xx,
            y1,
            T,
            n0,
            cell,
            face=face(j),
            outline=INK if j == hl else blue,
            outline_lw=2.6 if j == hl else 2.0,
        )
        _text(ax, xx + n0 * cell / 2, y1 + 0.2, f"sequence ${seq_names[j]}$", size=FS - 2)
    _text(ax, x1 - 0.12, y1 - T * cell / 2, "$T$", ha="right", size=FS - 1)
    _text(ax, x1 + n0 * cell / 2, y1 - T * cell - 0.2, "$n_0$", size=FS - 1)
    _text(
        ax,
        6.55,
        1.75,
        "Xb[j] is sequence $j$: shape $(T,\\ n_0)$,\none row per time step;\nthe same numbers as X[:, :, j]",
        size=FS - 2,
        ha="left",
        va="center",
    )
    _text(
        ax,
        6.55,
        0.65,
        "PyTorch default (batch_first=False):\n$(T,\\ m,\\ n_0)$ = X.transpose(0, 2, 1)",
        size=FS - 3,
        ha="left",
        va="center",
        color="#444444",
    )
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

    _text(
        ax,
        5.0,
        6.42,
        "one matrix product (layer $l = 1$: $n_0 = 3$, $n_1 = 7$, $m = 64$)",
        size=FS + 1,
        weight="bold",
    )
    top = 5.5
    # W = [W_F | W_R]
    W = _grid(ax, 0.6, top, n1, n0 + n1, c, face=lambda i, j: wf if j < n0 else wr)
    ax.plot([0.6 + n0 * c] * 2, [top, top - n1 * c], color=INK, lw=2.4, zorder=5)
    _text(ax, 0.6 + n0 * c / 2, top + 0.2, "$W_F^{1}$", size=FS - 1)
    _text(ax, 0.6 + n0 * c + n1 * c / 2, top + 0.2, "$W_R^{1}$", size=FS - 1, color=COLORS["W_R"])
    _text(ax, W.cx, top - n1 * c - 0.25, "$W^{1} = [W_F^{1} \\,|\\, W_R^{1}]$", size=FS)
    _text(ax, W.cx, top - n1 * c - 0.6, "$(7,\\ 10)$", size=FS - 1, color="#444444")
    _text(ax, 2.75, top - n1 * c / 2, r"$\times$", size=FS + 6)
    # stacked input
    sx = 3.2
    S = _grid(
        ax,
        sx,
        top + 0.25,
        n0 + n1,
        shown,
        c,
        face=lambda i, j: "white" if j == shown - 2 else (blue if i < n0 else green),
        texts=dots,
        fontsize=7,
    )
    ax.plot([sx, sx + shown * c], [top + 0.25 - n0 * c] * 2, color=INK, lw=2.4, zorder=5)
    _text(
        ax,
        sx + shown * c + 0.1,
        top + 0.25 - n0 * c / 2,
        "$x_t$",
        ha="left",
        size=FS - 1,
        color=COLORS["input"][1],
    )
    _text(
        ax,
        sx + shown * c + 0.1,
        top + 0.25 - n0 * c - n1 * c / 2,
        "$a_{t-1}^{1}$",
        ha="left",
        size=FS - 1,
        color=COLORS["hidden"][1],
    )
    _text(
        ax,
        S.cx + 0.15,
        top + 0.25 - (n0 + n1) * c - 0.25,
        "$\\left[\\,x_t\\ ;\\ a_{t-1}^{1}\\,\\right]$",
        size=FS,
    )
    _text(ax, S.cx + 0.15, top + 0.25 - (n0 + n1) * c - 0.62, "$(10,\\ 64)$", size=FS - 1, color="#444444")
    _text(ax, 5.7, top - n1 * c / 2, "$=$", size=FS + 6)
    R = _grid(ax, 6.1, top, n1, shown, c, face=cols_face(res), texts=dots, fontsize=7)
    _text(ax, R.cx, top - n1 * c - 0.25, "$W_F^{1} x_t + W_R^{1} a_{t-1}^{1}$", size=FS)
    _text(ax, R.cx, top - n1 * c - 0.6, "$(7,\\ 64)$", size=FS - 1, color="#444444")
    _text(
        ax,
        8.1,
        top - n1 * c / 2,
        "then add $b^{1}$ $(7,\\ 1)$\nand apply $f$",
        ha="left",
        size=FS - 2,
        color="#444444",
    )

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
    _text(
        ax,
        7.85,
        top2 - n1 * c / 2,
        "general layer $l$:\n$W^{l}$: $(n_l,\\ n_{l-1} + n_l)$\nstacked: $(n_{l-1} + n_l,\\ m)$",
        ha="left",
        size=FS - 3,
        color="#444444",
    )
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
    _text(ax, 0.25, 4.95, "padded batch  ($n_0 = 1$, shown as $(T,\\ m)$)", ha="left", size=FS, weight="bold")
    _text(ax, 5.75, 4.95, "mask  M  of shape $(T,\\ m)$", ha="left", size=FS, weight="bold")
    gx = 1.55
    _grid(ax, gx, top, T, m, c, face=face, texts=val, fontsize=FS - 1, edge="#777777")
    mx = 6.9
    _grid(ax, mx, top, T, m, c, face=mface, texts=mtext, fontsize=FS - 1, edge="#777777")
    for i in range(T):
        _text(ax, gx - 0.15, top - (i + 0.5) * c, f"$t = {i + 1}$", ha="right", size=FS - 2)
        _text(ax, mx - 0.15, top - (i + 0.5) * c, f"$t = {i + 1}$", ha="right", size=FS - 2)
    for j in range(m):
        _text(ax, gx + (j + 0.5) * c, top + 0.2, f"{j + 1}", size=FS - 2, color=MUTED)
        _text(ax, mx + (j + 0.5) * c, top + 0.2, f"{j + 1}", size=FS - 2, color=MUTED)
        _text(
            ax,
            gx + (j + 0.5) * c,
            top - T * c - 0.22,
            f"{len(seqs[j])}",
            size=FS - 2,
            color=COLORS["input"][1],
        )
    _text(ax, gx + m * c + 0.15, top + 0.2, "sequence $j$", ha="left", size=FS - 2, color=MUTED)
    _text(
        ax, gx + m * c + 0.15, top - T * c - 0.22, "length", ha="left", size=FS - 2, color=COLORS["input"][1]
    )
    _text(ax, mx + m * c + 0.15, top + 0.2, "sequence $j$", ha="left", size=FS - 2, color=MUTED)
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
    _text(
        ax,
        5.0,
        0.4,
        r"masked loss:  $L = (1/m)\; \Sigma_{t}\, \Sigma_{j}\, M_{tj}\, L_t^{(j)}$"
        "     (padded steps add nothing to the loss or its gradient)",
        size=FS - 1,
        va="center",
    )
    return fig
