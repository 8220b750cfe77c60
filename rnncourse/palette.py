"""The course's colours, in one place: explorers, music, quiz feedback and the figures in img/.

The lines and markers come from the Okabe-Ito palette (Okabe & Ito, 2008), which
stays distinguishable under the common colour-vision deficiencies (protanopia,
deuteranopia, tritanopia). Colour is never the only cue: every series also has a
marker and a line style of its own (`SERIES`), so a plot reads in greyscale too.

This module holds plain strings only and imports nothing, so anything may use it.
"""

from __future__ import annotations

__all__ = [
    "OKABE_ITO",
    "INK",
    "MUTED",
    "FAINT",
    "GRID",
    "ROLES",
    "CELLS",
    "SERIES",
    "VERDICT",
    "CORRECT",
    "WRONG",
    "series",
]

# ---------------------------------------------------------------------------
# The base palette
# ---------------------------------------------------------------------------
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

INK = "#222222"  # text and outlines
MUTED = "#555555"  # secondary text: captions, units, meanings
FAINT = "#9A9A9A"  # de-emphasised lines and arrows
GRID = "#E5E5E5"  # grid lines behind plots

# ---------------------------------------------------------------------------
# Roles in the diagrams: (fill, edge). The fills are light tints of the edges,
# so black text on them keeps a contrast ratio above 7:1.
# ---------------------------------------------------------------------------
ROLES = {
    "input": ("#D6EAF8", OKABE_ITO["blue"]),
    "hidden": ("#D4F0E6", OKABE_ITO["green"]),
    "output": ("#FBE3D0", OKABE_ITO["vermillion"]),
    "loss": ("#FCF3C8", "#9A7B00"),
    "gate": ("#FDF1D6", "#9A6B00"),
    "neutral": ("#F2F2F2", "#6B6B6B"),
    "pad": ("#E4E4E4", FAINT),
}

# ---------------------------------------------------------------------------
# The three cells, and every other family of lines a plot compares
# ---------------------------------------------------------------------------
CELLS = {
    "rnn": {"color": OKABE_ITO["purple"], "marker": "o", "linestyle": "-", "label": "plain RNN"},
    "lstm": {"color": OKABE_ITO["green"], "marker": "s", "linestyle": "--", "label": "LSTM"},
    "gru": {"color": OKABE_ITO["blue"], "marker": "^", "linestyle": ":", "label": "GRU"},
}

# A cycle for plots that compare several lines: colour, marker and style all differ.
SERIES = [
    {"color": OKABE_ITO["blue"], "marker": "o", "linestyle": "-"},
    {"color": OKABE_ITO["vermillion"], "marker": "s", "linestyle": "--"},
    {"color": OKABE_ITO["green"], "marker": "^", "linestyle": "-."},
    {"color": OKABE_ITO["orange"], "marker": "D", "linestyle": ":"},
    {"color": OKABE_ITO["purple"], "marker": "v", "linestyle": "-"},
    {"color": OKABE_ITO["sky_blue"], "marker": "P", "linestyle": "--"},
    {"color": OKABE_ITO["black"], "marker": "X", "linestyle": "-."},
]

# What a gradient does over time, as the gradient explorer reports it, in words on white: the
# Okabe-Ito hues, the green and the vermillion darkened to pass WCAG AA as text (4.5:1; the
# base green gives 3.4:1, the vermillion 3.9:1).
VERDICT = {
    "vanishing": OKABE_ITO["blue"],  # 5.2:1
    "stable": "#007A5A",  # 5.3:1
    "exploding": "#B84A00",  # 5.2:1
}

# Quiz and exercise feedback; both pass WCAG AA (4.5:1) as text on white.
CORRECT = "#1A7F37"
WRONG = "#B35900"


def series(k: int) -> dict[str, str]:
    """Style of the k-th line of a comparison: a dict for ``ax.plot(..., **series(k))``."""
    return dict(SERIES[k % len(SERIES)])
