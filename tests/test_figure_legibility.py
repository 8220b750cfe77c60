"""Every figure the course makes can be read where it is shown, and its lines told apart.

The figures: the diagrams of img/ (`tools.figures`), the package's plotting functions
(`music.piano_roll`, `timing.plot_timings`, `longlag.plot_accuracy`) and the slider
explorers, all drawn headlessly on an Agg canvas. The figures the notebooks draw in
their own cells are checked while nbval runs them (`nbval_figures.py`), with the
same checks from `legibility.py`, which also explains how the size of text on
screen is worked out.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnncourse import explorers, longlag, models, music, palette, rnn, tasks, timing  # noqa: E402
from tests.legibility import (  # noqa: E402
    DISPLAY_PX,
    MIN_PT,
    bar_problems,
    displayed_points,
    garbled_tick_labels,
    hidden_lines,
    line_shape,
    lines_told_apart_by_colour_only,
    lines_under_legends,
    off_palette_lines,
    shown_texts,
    shown_width,
    small_texts,
)
from tools import figures  # noqa: E402


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


@functools.cache
def _figure(kind: str, name: str) -> Figure:
    """Build the named figure and draw it once, so tick labels and layout exist.

    Built once for all the tests of this file, which only read it.
    """
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


@pytest.fixture(autouse=True, scope="module")
def _close_figures():
    yield
    plt.close("all")
    _figure.cache_clear()


# --------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------
def test_displayed_points_follow_the_column_width():
    wide = Figure(figsize=(18, 3), dpi=100)  # 1800 px, shrunk to the 900 px column: half size
    small = Figure(figsize=(5, 3), dpi=150)  # 750 px fits: one screen pixel per image pixel
    assert displayed_points(wide, 10) == pytest.approx(5.0)
    assert displayed_points(small, 10) == pytest.approx(15.0)
    assert displayed_points(small, 10, width_in=9) == pytest.approx(10.0)  # a wider cropped image


@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_text_is_large_enough_where_the_figure_is_shown(kind, name):
    fig = _figure(kind, name)
    assert shown_texts(fig), f"{name}: no text found"
    small = small_texts(fig)
    assert not small, (
        f"{name} ({fig.get_figwidth():.1f} in wide at {fig.dpi:g} dpi) shows text below {MIN_PT} pt "
        f"in a {DISPLAY_PX} px column: {small[:8]}; make the figure narrower or the fonts larger"
    )


@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_tick_labels_are_plain_numbers(kind, name):
    """No tick label in mathtext powers such as 5x10^0 from minor ticks of a log axis with set ticks."""
    garbled = garbled_tick_labels(_figure(kind, name))
    assert not garbled, (
        f"{name}: tick labels such as {garbled[:4]}; label the major ticks only, in plain numbers"
    )


# --------------------------------------------------------------------------------------
# lines
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_labelled_lines_differ_in_marker_or_dashes_and_use_the_palette(kind, name):
    fig = _figure(kind, name)
    alike = lines_told_apart_by_colour_only(fig)
    assert not alike, (
        f"{name}: lines that differ only in colour, (label, label, (dashes, marker)): {alike}; "
        "give each its own marker or line style"
    )
    off = off_palette_lines(fig)
    assert not off, f"{name}: lines {off} have colours outside rnncourse.palette (Okabe-Ito and its greys)"


@pytest.mark.parametrize(("kind", "name"), ALL, ids=[n for _, n in ALL])
def test_no_labelled_line_hides_another(kind, name):
    """Two lines through the same points draw one over the other: the lower one disappears."""
    hidden = hidden_lines(_figure(kind, name))
    assert not hidden, (
        f"{name}: {hidden} lie exactly on one another; offset one a little along x and draw the wider "
        "marker below"
    )


def test_the_line_check_catches_lines_that_differ_only_in_colour():
    fig = Figure()
    ax = fig.add_subplot()
    a, *_ = ax.plot([0, 1], [0, 1], "o-", color=palette.OKABE_ITO["blue"], label="a")
    b, *_ = ax.plot([0, 1], [1, 0], "o-", color=palette.OKABE_ITO["green"], label="b")
    c, *_ = ax.plot([0, 1], [1, 1], "s-", color=palette.OKABE_ITO["green"], label="c")
    assert line_shape(a) == line_shape(b) != line_shape(c)
    assert lines_told_apart_by_colour_only(fig) == [("a", "b", ("-", "o"))]


# --------------------------------------------------------------------------------------
# the checks that only the notebooks' own figures need (see nbval_figures.py)
# --------------------------------------------------------------------------------------
def _drawn(fig: Figure) -> Figure:
    FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return fig


def test_the_legend_check_catches_a_legend_over_a_line_and_passes_one_beside_it():
    blue, green = palette.series(0), palette.series(2)
    for where, covered in [
        ({"loc": "center"}, True),
        ({"loc": "upper left", "bbox_to_anchor": (1.02, 1)}, False),
    ]:
        fig = Figure(figsize=(6, 3))
        ax = fig.add_subplot()
        ax.plot([0, 10], [0, 10], label="rising", **blue)  # through the middle of the Axes
        ax.axhline(9.5, label="ceiling", **green)
        ax.legend(**where)
        found = lines_under_legends(_drawn(fig))
        assert bool(found) == covered, (where, found)
    fig = Figure(figsize=(6, 3))
    ax = fig.add_subplot()
    ax.plot([0, 10], [0, 10], label="rising", **blue)
    ax.legend(loc="center")
    assert lines_under_legends(_drawn(fig)) == [("rising", "rising")]


def test_a_legend_beside_the_plot_widens_the_image_that_is_shown():
    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="a line with a long label", **palette.series(0))
    fig.subplots_adjust(left=0.1, right=0.95)
    narrow = shown_width(_drawn(fig))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
    assert shown_width(_drawn(fig)) > narrow + 1


def test_the_colour_checks_catch_default_colours_and_bars_told_apart_by_colour_only():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])  # no label, matplotlib's first colour
    ax.bar([0, 1], [1, 2], color=[palette.OKABE_ITO["green"], palette.OKABE_ITO["vermillion"]])
    assert off_palette_lines(fig) == []  # labelled lines only
    assert off_palette_lines(fig, labelled_only=False) == [("without a label in ''", "#1f77b4")]
    assert bar_problems(fig) == ["bars in #009e73 and #d55e00 differ only in colour; hatch one of them"]
    ax.containers[0].patches[1].set_hatch("////")
    assert bar_problems(fig) == []
