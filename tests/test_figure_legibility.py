"""Every figure the course makes can be read where it is shown, and its lines told apart.

The figures: the diagrams of img/ (`tools.figures`), the package's plotting functions
(`music.piano_roll`, `timing.plot_timings`, `longlag.plot_accuracy`) and the slider
explorers, all drawn headlessly on an Agg canvas.

How large text looks. A notebook shows a figure's image at one screen pixel per image
pixel, shrunk to fit the column when it is wider. We take a column of `DISPLAY_PX` =
900 pixels: JupyterLab's notebook column on a 1280-pixel laptop screen with the file
browser open (1280 - about 300 for the side bar - about 80 for prompts and margins),
and about what the classic Notebook's 940-pixel page leaves. The screen has 100
pixels per inch (matplotlib's default dpi, so an inline figure shows at its nominal
size). Text of `s` points in a figure `w` inches wide saved at `dpi` then shows as

    s * min(dpi, DISPLAY_PX / w) / 100   points on screen,

so a 15-inch inline figure shrinks to 9/15 of its size and its 8 pt legend reads
as 4.8 pt. `MIN_PT` = 8 points is about 11 screen pixels, the smallest size that
figure-style guides accept for labels and a little below the notebook's own 13-14 px
text; matplotlib's default 10 pt text passes in any inline figure up to 11 inches
wide. A narrower column (700 px) would fail the 10-inch diagrams of img/, whose
smallest labels (9 pt at 150 dpi) read there as 6.3 pt.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from rnncourse import explorers, longlag, models, music, palette, rnn, tasks, timing  # noqa: E402
from tools import figures  # noqa: E402

DISPLAY_PX = 900
SCREEN_DPI = 100
MIN_PT = 8.0

#: Every colour a line may have: the Okabe-Ito palette and the greys of `rnncourse.palette`.
PALETTE = {to_hex(c) for c in [*palette.OKABE_ITO.values(), palette.INK, palette.MUTED, palette.FAINT]}


# --------------------------------------------------------------------------------------
# the figures
# --------------------------------------------------------------------------------------
def _timings() -> Figure:
    sizes, lengths = [8, 16, 32, 64, 128, 256, 512], [1, 3, 10, 30, 100, 300, 1000]
    ways = ["two products", "one product (vstack)", "one product (in place)"]
    grow = np.array(sizes, dtype=float)
    per_step = {w: (5 + k + 0.01 * grow**2) for k, w in enumerate(ways)}
    speed = {w: per_step["two products"] / per_step[w] for w in ways}
    T = np.array(lengths, dtype=float)
    return timing.plot_timings(sizes, per_step, speed, lengths, 2.0 * T, 3 + 0.2 * T, n_0=3, n_h=7, m=64)


def _lag_accuracy(cells: tuple[str, ...]) -> Figure:
    lags = [5, 10, 20, 40, 80] if cells == ("rnn",) else [10, 40, 80]
    acc = {c: {lag: (1.0 if c != "rnn" else max(0.25, 1.0 - lag / 60)) for lag in lags} for c in cells}
    return longlag.plot_accuracy(lags, acc)


def _melody_model():
    mel = tasks.melodies(n_train=40, n_val=8, seed=0)
    model = models.OneToMany(2, 8, mel.n_out, seed=0)
    model.fit(mel.train, epochs=1, verbose=False)
    return model


def _hidden_state():
    X = np.random.default_rng(3).standard_normal((6, 2, 3))  # (T, n_0, m)
    return explorers.hidden_state_explorer(X, rnn.init_params(2, 4, seed=5), input_labels=list("abcdef"))


EXPLORERS = {
    "hidden_state_explorer": _hidden_state,
    "gradient_explorer": explorers.gradient_explorer,
    "gradient_explorer_three_cells": lambda: explorers.gradient_explorer(cells=("rnn", "lstm", "gru")),
    "clipping_explorer": explorers.clipping_explorer,
    "melody_explorer": lambda: explorers.melody_explorer(_melody_model()),
}

PLOTS = {
    "music.piano_roll": lambda: music.piano_roll([0, 4, 7, 5, 4, 2, 1, 0], mode="major"),
    "timing.plot_timings": _timings,
    "longlag.plot_accuracy_rnn": lambda: _lag_accuracy(("rnn",)),
    "longlag.plot_accuracy_three_cells": lambda: _lag_accuracy(("rnn", "lstm", "gru")),
}


def _figure(kind: str, name: str) -> Figure:
    """Build the named figure and draw it once, so tick labels and layout exist."""
    if kind == "img":
        fig = figures.FIGURES[name]()
        FigureCanvasAgg(fig)  # a bare Figure has no canvas that can measure text
    elif kind == "explorer":
        ex = EXPLORERS[name]()
        ex.render()
        fig = ex.figure
    else:
        fig = PLOTS[name]()
    fig.canvas.draw()
    return fig


ALL = (
    [("img", n) for n in figures.FIGURES]
    + [("explorer", n) for n in EXPLORERS]
    + [("plot", n) for n in PLOTS]
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------
def displayed_points(fig: Figure, size: float) -> float:
    """Size on screen, in points, of `size`-point text in `fig` (see the module docstring)."""
    width_in = fig.get_figwidth()
    return size * min(fig.dpi, DISPLAY_PX / width_in) / SCREEN_DPI


def _shown_texts(fig: Figure) -> list[Text]:
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


def test_displayed_points_follow_the_column_width():
    wide = Figure(figsize=(18, 3), dpi=100)  # 1800 px, shrunk to the 900 px column: half size
    small = Figure(figsize=(5, 3), dpi=150)  # 750 px fits: one screen pixel per image pixel
    assert displayed_points(wide, 10) == pytest.approx(5.0)
    assert displayed_points(small, 10) == pytest.approx(15.0)


@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_text_is_large_enough_where_the_figure_is_shown(kind, name):
    fig = _figure(kind, name)
    texts = _shown_texts(fig)
    assert texts, f"{name}: no text found"
    small = sorted(
        {
            (round(displayed_points(fig, t.get_fontsize()), 1), t.get_text()[:40])
            for t in texts
            if displayed_points(fig, t.get_fontsize()) < MIN_PT
        }
    )
    assert not small, (
        f"{name} ({fig.get_figwidth():.1f} in wide at {fig.dpi:g} dpi) shows text below {MIN_PT} pt "
        f"in a {DISPLAY_PX} px column: {small[:8]}; make the figure narrower or the fonts larger"
    )


@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_tick_labels_are_plain_numbers(kind, name):
    """No tick label in mathtext powers such as 5x10^0 from minor ticks of a log axis with set ticks."""
    fig = _figure(kind, name)
    garbled = [
        t.get_text()
        for ax in fig.axes
        for t in (*ax.get_xticklabels(which="both"), *ax.get_yticklabels(which="both"))
        if t.get_visible() and "\\times" in t.get_text() and not t.get_text().startswith("$\\mathdefault{10^")
    ]
    assert not garbled, (
        f"{name}: tick labels such as {garbled[:4]}; label the major ticks only, in plain numbers"
    )


# --------------------------------------------------------------------------------------
# lines
# --------------------------------------------------------------------------------------
def _labelled_lines(ax) -> list[Line2D]:
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]


def _shape(line: Line2D) -> tuple:
    """What tells a line apart without colour: its dash pattern and its marker."""
    marker = line.get_marker()
    marker = None if marker in (None, "None", "none", "", " ") else marker
    dashes = line.get_linestyle() if line.get_linestyle() not in ("None", "none", " ", "") else None
    return dashes, marker


@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_labelled_lines_differ_in_marker_or_dashes_and_use_the_palette(kind, name):
    fig = _figure(kind, name)
    for lines in (_labelled_lines(ax) for ax in fig.axes):
        for a, b in itertools.combinations(lines, 2):
            assert _shape(a) != _shape(b), (
                f"{name}: lines {a.get_label()!r} and {b.get_label()!r} in one Axes differ only in colour "
                f"(both {_shape(a)}); give each its own marker or line style"
            )
        for line in lines:
            assert to_hex(line.get_color()) in PALETTE, (
                f"{name}: line {line.get_label()!r} has colour {line.get_color()}, not one of "
                "rnncourse.palette (Okabe-Ito and its greys)"
            )


@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_no_labelled_line_hides_another(kind, name):
    """Two lines through the same points draw one over the other: the lower one disappears."""
    fig = _figure(kind, name)
    for ax in fig.axes:
        for a, b in itertools.combinations(_labelled_lines(ax), 2):
            pa, pb = a.get_xydata(), b.get_xydata()
            if len(pa) and pa.shape == pb.shape:
                assert not np.allclose(pa, pb), (
                    f"{name}: {a.get_label()!r} lies exactly on {b.get_label()!r}; "
                    "offset one a little along x and draw the wider marker below"
                )


def test_the_line_check_catches_lines_that_differ_only_in_colour():
    fig = Figure()
    ax = fig.add_subplot()
    a, *_ = ax.plot([0, 1], [0, 1], "o-", color=palette.OKABE_ITO["blue"], label="a")
    b, *_ = ax.plot([0, 1], [1, 0], "o-", color=palette.OKABE_ITO["green"], label="b")
    c, *_ = ax.plot([0, 1], [1, 1], "s-", color=palette.OKABE_ITO["green"], label="c")
    assert _shape(a) == _shape(b) != _shape(c)
