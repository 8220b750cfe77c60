"""What makes a figure readable where the course shows it, and its series told apart without colour.

Shared by `test_figure_legibility.py` (the package's figures, drawn headlessly) and
`nbval_figures.py` (every figure a notebook shows while nbval runs it). Each check
takes a drawn Figure and returns what is wrong with it, so one message can name
every problem at once; `problems` runs them all.

How large text looks. A notebook shows a figure's image at one screen pixel per image
pixel, shrunk to fit the column when it is wider. We take a column of `DISPLAY_PX` =
900 pixels: JupyterLab's notebook column on a 1280-pixel laptop screen with the file
browser open (1280 - about 300 for the side bar - about 80 for prompts and margins),
and about what the classic Notebook's 940-pixel page leaves. The screen has 100
pixels per inch (matplotlib's default dpi, so an inline figure shows at its nominal
size). Text of `s` points in an image `w` inches wide saved at `dpi` then shows as

    s * min(dpi, DISPLAY_PX / w) / 100   points on screen,

so a 15-inch inline figure shrinks to 9/15 of its size and its 8 pt legend reads
as 4.8 pt. `MIN_PT` = 8 points is about 11 screen pixels, the smallest size that
figure-style guides accept for labels and a little below the notebook's own 13-14 px
text; matplotlib's default 10 pt text passes in any inline figure up to 11 inches
wide. A narrower column (700 px) would fail the 10-inch diagrams of img/, whose
smallest labels (9 pt at 150 dpi) read there as 6.3 pt.

The inline backend crops a figure to what is drawn (``bbox_inches="tight"``), so a
legend placed beside the axes widens the image; `shown_width` measures that width.

Not checked: scatter plots and images (the notebooks draw their matrices with a
diverging colormap and print the values on them), and patches drawn one by one
(the piano roll, tested through `music.piano_roll`).
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from rnncourse import palette

DISPLAY_PX = 900
SCREEN_DPI = 100
MIN_PT = 8.0

#: Every colour a line or a bar may have: the Okabe-Ito palette and the greys of `rnncourse.palette`.
PALETTE = {to_hex(c) for c in [*palette.OKABE_ITO.values(), palette.INK, palette.MUTED, palette.FAINT]}


# --------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------
def shown_width(fig: Figure) -> float:
    """Width in inches of the image the inline backend makes: cropped to what is drawn, plus its pad."""
    import matplotlib

    pad = matplotlib.rcParams["savefig.pad_inches"]
    return fig.get_tightbbox(fig.canvas.get_renderer()).width + 2 * pad


def displayed_points(fig: Figure, size: float, width_in: float | None = None) -> float:
    """Size on screen, in points, of `size`-point text in `fig` (see the module docstring).

    `width_in` is the width of the image shown; by default the figure's own width.
    """
    width_in = fig.get_figwidth() if width_in is None else width_in
    return size * min(fig.dpi, DISPLAY_PX / width_in) / SCREEN_DPI


def shown_texts(fig: Figure) -> list[Text]:
    """The texts drawn inside the figure that hold a letter or a digit."""
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    shown = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not any(ch.isalnum() for ch in t.get_text().replace("cdot", "")):
            continue  # empty, or an ellipsis drawn in a matrix: no words to read
        ext = t.get_window_extent(renderer)
        if ext.x1 < box.x0 or ext.x0 > box.x1 or ext.y1 < box.y0 or ext.y0 > box.y1:
            continue
        shown.append(t)
    return shown


def small_texts(fig: Figure, width_in: float | None = None) -> list[tuple[float, str]]:
    """(size on screen in points, text) of every shown text below `MIN_PT`, smallest first."""
    sizes = ((displayed_points(fig, t.get_fontsize(), width_in), t.get_text()[:40]) for t in shown_texts(fig))
    return sorted({(round(float(pt), 1), text) for pt, text in sizes if pt < MIN_PT})


def smallest_text(fig: Figure, width_in: float | None = None) -> float | None:
    """Size on screen, in points, of the smallest shown text (None if the figure has none)."""
    sizes = [displayed_points(fig, t.get_fontsize(), width_in) for t in shown_texts(fig)]
    return round(float(min(sizes)), 1) if sizes else None


def garbled_tick_labels(fig: Figure) -> list[str]:
    """Tick labels in mathtext powers such as 5x10^0, from minor ticks of a log axis."""
    return [
        t.get_text()
        for ax in fig.axes
        for t in (*ax.get_xticklabels(which="both"), *ax.get_yticklabels(which="both"))
        if t.get_visible() and "\\times" in t.get_text() and not t.get_text().startswith("$\\mathdefault{10^")
    ]


# --------------------------------------------------------------------------------------
# lines and bars
# --------------------------------------------------------------------------------------
def labelled_lines(ax) -> list[Line2D]:
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]


def line_shape(line: Line2D) -> tuple:
    """What tells a line apart without colour: its dash pattern and its marker."""
    marker = line.get_marker()
    marker = None if marker in (None, "None", "none", "", " ") else marker
    dashes = line.get_linestyle() if line.get_linestyle() not in ("None", "none", " ", "") else None
    return dashes, marker


def lines_told_apart_by_colour_only(fig: Figure) -> list[tuple[str, str, tuple]]:
    """(label, label, shared shape) of two labelled lines in one Axes with the same marker and dashes."""
    return [
        (a.get_label(), b.get_label(), line_shape(a))
        for ax in fig.axes
        for a, b in itertools.combinations(labelled_lines(ax), 2)
        if line_shape(a) == line_shape(b)
    ]


def off_palette_lines(fig: Figure, labelled_only: bool = True) -> list[tuple[str, str]]:
    """(name, colour) of the lines whose colour is not one of `rnncourse.palette`.

    A line without a label is named by the title of its Axes.
    """
    found = []
    for ax in fig.axes:
        for line in labelled_lines(ax) if labelled_only else ax.get_lines():
            colour = to_hex(line.get_color())
            if line.get_visible() and colour not in PALETTE:
                label = line.get_label()
                name = repr(label) if not label.startswith("_") else f"without a label in {ax.get_title()!r}"
                found.append((name, colour))
    return sorted(set(found))


def hidden_lines(fig: Figure) -> list[tuple[str, str]]:
    """(label, label) of two labelled lines through the same points: the lower one disappears."""
    hidden = []
    for ax in fig.axes:
        for a, b in itertools.combinations(labelled_lines(ax), 2):
            pa, pb = a.get_xydata(), b.get_xydata()
            if len(pa) and pa.shape == pb.shape and np.allclose(pa, pb):
                hidden.append((a.get_label(), b.get_label()))
    return hidden


def bar_problems(fig: Figure) -> list[str]:
    """Bars coloured off the palette, or told apart by colour alone (other colour, same hatch)."""
    found = set()
    for ax in fig.axes:
        bars = [p for c in ax.containers if isinstance(c, BarContainer) for p in c.patches]
        looks = sorted({(to_hex(p.get_facecolor()), p.get_hatch() or "") for p in bars})
        found |= {
            f"bar colour {colour} is not one of rnncourse.palette"
            for colour, _ in looks
            if colour not in PALETTE
        }
        for (ca, ha), (cb, hb) in itertools.combinations(looks, 2):
            if ca != cb and ha == hb:
                found.add(f"bars in {ca} and {cb} differ only in colour; hatch one of them")
    return sorted(found)


def lines_under_legends(fig: Figure) -> list[tuple[str, str]]:
    """(legend's first entry, line label) of each line that a legend box covers in part.

    The line is followed point by point and along its segments, inside its Axes only.
    """
    renderer = fig.canvas.get_renderer()
    covered = []
    for ax in fig.axes:
        legends = [ax.get_legend(), *fig.legends]
        for legend in (lg for lg in legends if lg is not None and lg.get_visible()):
            box = legend.get_window_extent(renderer).padded(-1)  # a touching edge is not a cover
            name = legend.get_texts()[0].get_text() if legend.get_texts() else "legend"
            for line in ax.get_lines():
                if line.get_visible() and _passes_through(line, box, ax.bbox):
                    covered.append((name, line.get_label()))
    return covered


def _passes_through(line: Line2D, box, axes_box) -> bool:
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))  # (n, 2) pixels
    xy = xy[np.isfinite(xy).all(axis=1)]
    if line_shape(line)[0] is not None and len(xy) > 1:  # a drawn line: its segments count too
        w = np.linspace(0, 1, 12)[:-1, None, None]  # (11, 1, 1)
        xy = ((1 - w) * xy[None, :-1] + w * xy[None, 1:]).reshape(-1, 2)
    return bool((_inside(xy, axes_box) & _inside(xy, box)).any())


def _inside(xy: np.ndarray, box) -> np.ndarray:
    """(n,) True where the pixel positions `xy` (n, 2) lie in the box."""
    return (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1) & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)


# --------------------------------------------------------------------------------------
# all of them
# --------------------------------------------------------------------------------------
def problems(fig: Figure, width_in: float | None = None) -> list[str]:
    """Everything that makes the drawn `fig` hard to read, or its series hard to tell apart.

    `width_in` is the width of the image shown (default: the figure's width). Every line,
    labelled or not, must have a palette colour; labelled ones also a shape of their own.
    """
    width = fig.get_figwidth() if width_in is None else width_in
    found = []
    small = small_texts(fig, width)
    if small:
        found.append(
            f"text below {MIN_PT:g} pt in a {DISPLAY_PX} px column (the image is {width:.1f} in wide at "
            f"{fig.dpi:g} dpi): {small[:6]}; make the figure narrower or the fonts larger"
        )
    garbled = garbled_tick_labels(fig)
    if garbled:
        found.append(f"tick labels such as {garbled[:4]}; label the major ticks only, in plain numbers")
    for a, b, shape in lines_told_apart_by_colour_only(fig):
        found.append(
            f"lines {a!r} and {b!r} differ only in colour (both {shape}); "
            "give each its own marker or line style"
        )
    for label, colour in off_palette_lines(fig, labelled_only=False):
        found.append(f"line {label} has colour {colour}, not one of rnncourse.palette (Okabe-Ito and greys)")
    for a, b in hidden_lines(fig):
        found.append(f"{a!r} lies exactly on {b!r}; offset one a little")
    found += bar_problems(fig)
    for name, label in lines_under_legends(fig):
        found.append(f"the legend ({name!r}, ...) covers line {label!r}; put it beside the data")
    return list(dict.fromkeys(found))  # once each, although two Axes may have the same problem
