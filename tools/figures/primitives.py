"""Boxes, circles, arrows, grids and text: the pieces every diagram of img/ is drawn with.

Coordinates: every diagram draws on one Axes that fills its figure, with data
units equal to inches, so sizes and font sizes read the same in every figure.
The colours come from `rnncourse.palette` (Okabe-Ito, safe for colour-vision
deficiencies): `COLORS` gives (fill, edge) for each role of a node and one colour
for each kind of arrow.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path as MplPath

from rnncourse.palette import INK, MUTED, OKABE_ITO, ROLES

DPI = 150

#: The course palette, from `rnncourse.palette`: (fill, edge) for each role of a node
#: (`ROLES`), one colour for each kind of arrow.
COLORS = {
    **ROLES,
    "forward": "#6F6F6F",  # forward arrows, W_F: grey
    "W_R": OKABE_ITO["vermillion"],  # the recurrent weight and its arrows: red
    "grad": OKABE_ITO["purple"],  # gradients: (reddish) purple
    "text": INK,
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
        ax.text(
            cx,
            cy,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            color=textcolor or COLORS["text"],
            zorder=zorder + 0.1,
        )
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
        ax.text(
            cx,
            cy,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            color=COLORS["text"],
            zorder=zorder + 0.1,
        )
    return Box(cx, cy, 2 * r, 2 * r)


def _op(ax: Axes, cx: float, cy: float, sym: str, r: float = 0.17, fontsize: float = FS + 1) -> Box:
    """A pointwise operation node (a white circle with x, + or 1-)."""
    ax.add_patch(Circle((cx, cy), r, facecolor="white", edgecolor="#333333", linewidth=1.6, zorder=4))
    ax.text(cx, cy, sym, ha="center", va="center_baseline", fontsize=fontsize, color=INK, zorder=4.1)
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
        arrow.set_path_effects(
            [patheffects.withStroke(linewidth=lw + 6, foreground="white"), patheffects.Normal()]
        )
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
    arrow = FancyArrowPatch(
        path=MplPath(points, codes),
        arrowstyle=style,
        mutation_scale=ms,
        color=color or COLORS["forward"],
        linewidth=lw,
        zorder=zorder,
        joinstyle="miter",
        capstyle="butt",
    )
    if halo:
        arrow.set_path_effects(
            [patheffects.withStroke(linewidth=lw + 6, foreground="white"), patheffects.Normal()]
        )
    ax.add_patch(arrow)


def _gap(
    ax: Axes, x: float, y: float, vertical: bool, half: float = 0.07, background: str = "#FAFAFA"
) -> None:
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
    ax.add_patch(
        FancyArrowPatch(
            path=MplPath(points, codes),
            arrowstyle="-|>,head_length=0.45,head_width=0.22",
            mutation_scale=ms,
            color=color or COLORS["forward"],
            linewidth=lw,
            linestyle=ls,
            zorder=zorder,
        )
    )


def _text(
    ax: Axes,
    x: float,
    y: float,
    s: str,
    size: float = FS,
    color: str | None = None,
    ha: str = "center",
    va: str = "center",
    **kw,
) -> None:
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
    edge: str = MUTED,
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
            ax.add_patch(
                Rectangle(
                    (x0 + j * cell, y0 - (i + 1) * cell),
                    cell,
                    cell,
                    facecolor=fc,
                    edgecolor=edge,
                    linewidth=lw,
                    zorder=zorder,
                )
            )
            if texts is not None:
                s = texts(i, j)
                if s:
                    ax.text(
                        x0 + (j + 0.5) * cell,
                        y0 - (i + 0.5) * cell,
                        s,
                        ha="center",
                        va="center",
                        fontsize=fontsize,
                        zorder=zorder + 0.1,
                        color="#333333",
                    )
    w, h = cols * cell, rows * cell
    if outline:
        ax.add_patch(
            Rectangle(
                (x0, y0 - h),
                w,
                h,
                facecolor="none",
                edgecolor=outline,
                linewidth=outline_lw,
                zorder=zorder + 0.2,
            )
        )
    return Box(x0 + w / 2, y0 - h / 2, w, h)


def _loop(
    ax: Axes,
    box: Box,
    label: str,
    side: str = "right",
    color: str | None = None,
    size: float = 0.9,
    fontsize: float = FS,
) -> None:
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


def _legend(
    ax: Axes,
    x: float,
    y: float,
    items: list[tuple[str, str]],
    size: float = FS - 2,
    dy: float = 0.32,
    length: float = 0.5,
) -> None:
    """A small legend of arrow colours: items are (colour, label)."""
    for k, (color, label) in enumerate(items):
        yy = y - k * dy
        _arrow(ax, (x, yy), (x + length, yy), color=color, lw=2.0, ms=13)
        _text(ax, x + length + 0.12, yy, label, size=size, ha="left")
