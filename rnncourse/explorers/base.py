"""The one protocol every explorer follows: controls, a persistent Agg figure, state as data.

An explorer is an object with

- ``.widget``: the outer ``ipywidgets.VBox`` (CSS classes ``rnncourse-explorer`` and
  ``rnncourse-explorer-<kind>``),
- ``.sliders``: a dict from a name to its control (slider or chooser); each slider has
  the CSS class ``rnncourse-slider-<name>``, each chooser ``rnncourse-chooser-<name>``,
- ``.state``: a dict of the numbers and arrays computed for the current values, never
  of formatted text: the text is made from it when it is drawn (`summary`, ``_draw``),
- ``.update()``: recompute and redraw; every control calls it when it changes,
- ``.render()`` and ``.png()``: the figure as RGBA pixels and as PNG bytes,
- ``.values()``: the value of every control, ``.summary()``: the state in one or two lines.

Shown as the last expression of a cell it renders as the widget in JupyterLab, and as
its summary anywhere else (``_repr_mimebundle_``). Tests drive an explorer without a
browser: ``ex.sliders["t"].value = 3`` runs the callback, then ``ex.state`` holds the result.

The figure is one persistent ``matplotlib.figure.Figure`` with an Agg canvas (never
pyplot). A change replaces the data of the existing lines and images, renders the
figure to PNG bytes and puts them into an ``ipywidgets.Image``, so a callback takes
tens of milliseconds. The text of the figures is at least 10 pt as shown: the image is
displayed at one CSS pixel per figure pixel, so a point of text is DPI / 96 points.

What this module does not do: it draws nothing itself and knows no network; a
subclass builds its controls and figure, fills ``state`` in ``_compute`` and draws it
in ``_draw``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["Explorer", "FIGSIZE", "DPI", "FONT", "text_block", "text_height"]

FIGSIZE = (6.0, 3.0)  # inches
DPI = 100  # 600 x 300 pixels: small PNGs, fast to encode, text large enough to read
#: Font sizes in points (shown as DPI / 96 times as many CSS points: 10 pt reads as 10.4 pt);
#: titles and legends a step above the tick labels, so they read first.
FONT = {"tick": 10.0, "label": 11.0, "title": 12.0, "legend": 11.0}

#: Every slider of the explorers looks the same: its label in full, a fixed width.
SLIDER_LOOK = {"style": {"description_width": "initial"}, "layout": {"width": "330px"}}
BORDER = "1px solid #d0d7de"  # the frame around an explorer, as JupyterLab draws its cells
LINE = 1.45  # line height of the explorers' text, in em


def text_block(lines: Sequence[str]) -> str:
    """HTML lines with a compact, fixed line height (the widget's default is 28 px a line)."""
    return f'<div style="line-height:{LINE}">' + "<br>".join(lines) + "</div>"


def text_height(n_lines: int) -> str:
    """CSS height of a text block of `n_lines` lines, so the widget does not jump."""
    return f"{LINE * n_lines + 0.4:.2f}em"


class Explorer:
    """Base class: controls, a state dict, an optional figure, and display as a widget.

    Subclasses build their controls with `_int_slider`, `_float_slider` and `_chooser`,
    their figure with `_make_figure`, fill ``self.state`` in ``_compute()`` and draw it
    in ``_draw()``; `update` calls both and refreshes the image.
    """

    kind = "explorer"
    #: What the figure shows, in words: its text alternative (the numbers are in the text beside it).
    figure_alt = "The explorer's figure; the text beside it gives its numbers."

    def __init__(self) -> None:
        self.sliders: dict[str, Any] = {}
        self.state: dict[str, Any] = {}
        self.widget = None
        self.figure = None
        self.canvas = None
        self.image = None
        self.last_callback_seconds = float("nan")
        self._animated: list = []
        self._animated_axes: list = []
        self._background = None

    # -- controls ---------------------------------------------------------------------
    def _int_slider(self, name: str, value: int, lo: int, hi: int, description: str, step: int = 1):
        import ipywidgets as w

        s = w.IntSlider(
            value=int(value),
            min=int(min(lo, value)),
            max=int(max(hi, value)),
            step=step,
            description=description,
            continuous_update=False,
            **SLIDER_LOOK,
        )
        return self._control(name, s, "rnncourse-slider-")

    def _float_slider(
        self,
        name: str,
        value: float,
        lo: float,
        hi: float,
        step: float,
        description: str,
        readout_format: str = ".2f",
    ):
        import ipywidgets as w

        s = w.FloatSlider(
            value=float(value),
            min=float(min(lo, value)),
            max=float(max(hi, value)),
            step=step,
            description=description,
            readout_format=readout_format,
            continuous_update=False,
            **SLIDER_LOOK,
        )
        return self._control(name, s, "rnncourse-slider-")

    def _chooser(self, name: str, options: Sequence[str], value: str, description: str):
        import ipywidgets as w

        s = w.ToggleButtons(
            options=list(options),
            value=value,
            description=description,
            style={"description_width": "initial", "button_width": "80px"},
        )
        return self._control(name, s, "rnncourse-chooser-")

    def _control(self, name: str, control, css_prefix: str):
        """Give a slider or chooser its CSS class, redraw when it changes, keep it in `sliders`."""
        control.add_class(css_prefix + name)
        control.observe(self._on_change, names="value")
        self.sliders[name] = control
        return control

    def _box(self, controls: list, outputs: list):
        """The outer VBox with the explorer's CSS classes: controls above, outputs below."""
        import ipywidgets as w

        from .. import access

        # the script names the slider handles and the figure for screen readers, draws a focus ring
        script = access.script_output(w, {"rnncourse-explorer-" + self.kind: self.figure_alt})
        box = w.VBox([*controls, *outputs, script])
        box.add_class("rnncourse-explorer")
        box.add_class("rnncourse-explorer-" + self.kind)
        box.layout.padding = "0.4em"
        box.layout.border = BORDER
        return box

    # -- the figure -------------------------------------------------------------------
    def _make_figure(self, figsize: tuple[float, float] = FIGSIZE, dpi: int = DPI):
        """A persistent Agg figure and the Image widget that shows it at one pixel per pixel."""
        import ipywidgets as w
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.image = w.Image(
            format="png",
            layout=w.Layout(width=f"{round(figsize[0] * dpi)}px", height=f"{round(figsize[1] * dpi)}px"),
        )
        self.image.add_class("rnncourse-explorer-figure")
        return self.figure

    def _style_text(self) -> None:
        """Give every tick label, axis label, title and legend of the figure its `FONT` size.

        Called once the figure is built (and again after an Axes is cleared); the sizes
        stay with the artists, so texts set later keep them. A figure title
        (``suptitle``) is given ``fontsize=FONT["title"]`` where it is made.
        """
        for ax in self.figure.axes:
            ax.tick_params(which="both", labelsize=FONT["tick"])
            ax.xaxis.label.set_fontsize(FONT["label"])
            ax.yaxis.label.set_fontsize(FONT["label"])
            ax.title.set_fontsize(FONT["title"])
            legend = ax.get_legend()
            if legend is not None:
                for t in legend.get_texts():
                    t.set_fontsize(FONT["legend"])
        for legend in self.figure.legends:
            for t in legend.get_texts():
                t.set_fontsize(FONT["legend"])

    def _animate(self, *artists) -> None:
        """Mark artists that change on every update: they are drawn over a cached background."""
        for a in artists:
            a.set_animated(True)
            self._animated.append(a)
            ax = getattr(a, "axes", None)
            if ax is not None and ax not in self._animated_axes:
                self._animated_axes.append(ax)

    def invalidate(self) -> None:
        """Ask for a full redraw next time (call it when axis limits, ticks or labels change)."""
        self._background = None

    def render(self) -> np.ndarray:
        """Draw the figure into the canvas and return its (height, width, 4) RGBA pixels.

        The static part (axes, ticks, labels) is drawn once and cached; an update
        restores it and draws only the animated artists (lines, images, titles) on
        top, which is several times faster than a full draw.
        """
        if self.figure is None:
            raise RuntimeError(f"the {self.kind} explorer draws no figure; its output is HTML")
        if self._background is None:
            self.canvas.draw()  # animated artists are skipped here
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for a in self._animated:
            if a.get_visible():
                self.figure.draw_artist(a)
        for ax in self._animated_axes:  # frames over the images and lines
            for spine in ax.spines.values():
                if spine.get_visible():
                    self.figure.draw_artist(spine)
        return np.asarray(self.canvas.buffer_rgba())

    def png(self) -> bytes:
        """The current figure as PNG bytes (what the Image widget shows)."""
        from PIL import Image

        rgba = self.render()
        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    # -- the update cycle -------------------------------------------------------------
    def _on_change(self, _change=None) -> None:
        self.update()

    def update(self) -> None:
        """Recompute ``state`` from the controls and redraw the figure and text."""
        t0 = time.perf_counter()
        self._compute()
        self._draw()
        if self.figure is not None:
            self.image.value = self.png()
        self.last_callback_seconds = time.perf_counter() - t0

    def _compute(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _draw(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """The current value of every control, by name."""
        return {k: s.value for k, s in self.sliders.items()}

    # -- display ----------------------------------------------------------------------
    def summary(self) -> str:
        """One or two lines of text describing the current state."""
        return ", ".join(f"{k}={v}" for k, v in self.values().items())

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.summary()}>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The widget for JupyterLab, plain text for everything else."""
        bundle = {"text/plain": repr(self)}
        try:
            view = self.widget._repr_mimebundle_()
        except Exception:  # no front end: the text is enough
            return bundle
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle
