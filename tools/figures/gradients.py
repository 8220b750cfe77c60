"""Backpropagation through time, the Jacobian chain and gradient clipping (notebooks 08, 10)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from rnncourse.palette import MUTED

from .primitives import (
    COLORS,
    DPI,
    FS,
    _arrow,
    _box,
    _canvas,
    _legend,
    _op,
    _text,
)

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
    total = _box(
        ax, 5.3, yL, 3.6, 0.62, r"$L = \sum_t\, L_t = L_1 + L_2 + L_3 + L_4$", kind="loss", fontsize=FS + 1
    )
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
        _arrow(
            ax,
            (x - off, lb.top[1]),
            (total.cx + (x - total.cx) * 0.35 - off, total.bottom[1]),
            color="#B5B5B5",
            lw=1.3,
        )
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
    _text(
        ax,
        xs[1] + off + 0.25,
        yy - 0.55,
        r"$\dfrac{\partial L_2}{\partial a_2}$",
        color=purple,
        size=FS - 1,
        ha="left",
    )
    _text(ax, 0.55, ya - 0.42, "", size=FS - 2)
    _text(ax, 0.15, yx, "inputs", ha="left", size=FS - 2, color=COLORS["input"][1])
    _text(ax, 0.15, yy, "outputs", ha="left", size=FS - 2, color=COLORS["output"][1])
    _text(ax, 0.15, yl, "losses", ha="left", size=FS - 2, color=COLORS["loss"][1])
    _text(
        ax,
        xs[-1] + 0.5,
        ya + 0.65,
        "nothing\nfrom the\nfuture at $T$",
        size=FS - 4,
        color="#666666",
        ha="left",
    )
    _legend(ax, 0.25, yL + 0.15, [(grey, "forward pass"), (purple, "gradient (backward)")])
    # the equation for the highlighted step
    _text(
        ax,
        5.0,
        0.15,
        r"$\dfrac{\partial L}{\partial a_t} = \dfrac{\partial L_t}{\partial a_t}"
        r" + W_R^{\top}\left(f\,'(z_{t+1}) \odot \dfrac{\partial L}{\partial a_{t+1}}\right)$"
        "     (from above  +  from the future)",
        size=FS,
        color=purple,
        va="bottom",
    )
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
    jac = [
        r"$\mathrm{diag}(f\,'(z_{k+1}))\,W_R$",
        r"$\mathrm{diag}(f\,'(z_{k+2}))\,W_R$",
        "",
        r"$\mathrm{diag}(f\,'(z_T))\,W_R$",
    ]
    for k in range(4):
        left = boxes[k].right[0] if boxes[k] else xs[k] + 0.35
        right = boxes[k + 1].left[0] if boxes[k + 1] else xs[k + 1] - 0.35
        _arrow(ax, (left, y + 0.12), (right, y + 0.12), color=grey)
        _arrow(ax, (right, y - 0.12), (left, y - 0.12), color=purple, lw=2.2)
        if jac[k]:
            _text(ax, (left + right) / 2, y - 0.42, jac[k], size=FS - 2, color=purple)
    _text(
        ax,
        5.0,
        5.25,
        r"each step back in time brings in one Jacobian "
        r"$\dfrac{\partial a_t}{\partial a_{t-1}} = \mathrm{diag}(f\,'(z_t))\,W_R$",
        size=FS,
        va="center",
    )
    _text(
        ax,
        0.3,
        3.05,
        r"$\dfrac{\partial a_T}{\partial a_k} = \prod_{t=k+1}^{T}"
        r"\mathrm{diag}(f\,'(z_t))\,W_R$",
        size=FS + 2,
        ha="left",
    )
    _text(
        ax,
        0.3,
        2.35,
        "(ordered: the factor for $t = T$ on the left, $t = k+1$ on the right)",
        size=FS - 3,
        ha="left",
        color="#444444",
    )
    _text(
        ax,
        0.3,
        1.6,
        r"$\left\|\dfrac{\partial a_T}{\partial a_k}\right\| \leq "
        r"\left(\gamma\,\sigma_{\max}(W_R)\right)^{T-k}$",
        size=FS + 2,
        ha="left",
    )
    _text(
        ax,
        0.3,
        0.95,
        r"$\gamma = \max\,|f\,'|$:  1 for tanh,  1/4 for sigmoid",
        size=FS - 1,
        ha="left",
        color="#444444",
    )
    _text(
        ax,
        0.3,
        0.45,
        r"$\gamma\,\sigma_{\max} < 1$: vanishes;  $> 1$: can explode",
        size=FS - 1,
        ha="left",
        color="#444444",
    )
    # the bound on a log scale
    pax = fig.add_axes((0.6, 0.1, 0.36, 0.42))
    steps = np.arange(0, 31)
    for g, color, ls in (
        (1.2, COLORS["W_R"], "-"),
        (1.0, MUTED, ":"),
        (0.8, COLORS["hidden"][1], "--"),
        (0.5, COLORS["input"][1], "-."),
    ):  # a line style each, so the lines differ without their colours
        pax.semilogy(steps, g**steps, color=color, lw=2.0, ls=ls, label=rf"$\gamma\sigma_{{\max}} = {g}$")
    pax.set_xlabel("$T - k$ (steps back)", fontsize=FS - 2)
    pax.set_ylabel(r"bound $(\gamma\,\sigma_{\max})^{T-k}$", fontsize=FS - 3)
    pax.set_ylim(1e-6, 1e4)
    pax.tick_params(labelsize=FS - 4)
    pax.grid(True, which="major", alpha=0.3)
    pax.legend(fontsize=FS - 4, loc="lower left", frameon=False, handlelength=2.6)
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
    faded = "#E9C3D8"  # a light tint of the gradient colour
    region = {"facecolor": "#F1F1F1", "edgecolor": "#777777", "lw": 1.5, "ls": "--"}
    style = "-|>,head_length=0.5,head_width=0.25"
    for k, (title, clipped, formula) in enumerate(
        (
            ("clipping by norm", by_norm, r"$g \leftarrow g \cdot \min\left(1,\ c\,/\,\|g\|\right)$"),
            ("clipping by value", by_value, r"$g_i \leftarrow \min(\max(g_i, -c),\ c)$"),
        )
    ):
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
            ax.text(-0.75, -0.75, r"$\|g\| \leq c$", fontsize=FS - 1, color=MUTED, ha="center")
        else:
            ax.add_patch(Rectangle((-c, -c), 2 * c, 2 * c, **region))
            ax.text(-0.75, -0.95, r"$|g_i| \leq c$", fontsize=FS - 1, color=MUTED, ha="center")
        ax.add_patch(
            FancyArrowPatch(
                (0, 0), tuple(g), arrowstyle=style, mutation_scale=16, color=faded, lw=2.2, zorder=3
            )
        )
        ax.add_patch(
            FancyArrowPatch(
                (0, 0), tuple(clipped), arrowstyle=style, mutation_scale=16, color=purple, lw=2.8, zorder=4
            )
        )
        ax.text(g[0] + 0.05, g[1] + 0.12, "$g$", fontsize=FS + 1, color=COLORS["grad"])
        ax.text(
            clipped[0] + 0.08,
            clipped[1] - 0.32 if k == 0 else clipped[1] + 0.1,
            "clipped",
            fontsize=FS - 1,
            color=purple,
        )
        if k == 0:
            ax.text(0.45, -0.45, "same direction,\nshorter", fontsize=FS - 2, ha="left", color="#333333")
        else:
            ang = np.degrees(np.arctan2(clipped[1], clipped[0]) - np.arctan2(g[1], g[0]))
            ax.text(
                0.3,
                -0.75,
                f"direction\nturned by\n{ang:.0f} degrees",
                fontsize=FS - 2,
                ha="left",
                color="#333333",
            )
        ax.text(2.9, -1.85, f"$c = {c}$", fontsize=FS - 2, ha="right", color=MUTED)
        fig.text(0.28 + 0.5 * k, 0.05, formula, fontsize=FS, ha="center")
    return fig
