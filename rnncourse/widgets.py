"""Slider explorers for the notebooks: change a number, see what the network does.

Every explorer is an object with

- ``.widget``: the outer ``ipywidgets.VBox`` (CSS classes ``rnncourse-explorer`` and
  ``rnncourse-explorer-<kind>``),
- ``.sliders``: a dict from a name to its slider (or chooser),
- ``.state``: a dict with what the explorer computed for the current slider values,
- ``.update()``: recompute and redraw; the sliders call it on every change.

Shown as the last expression of a cell it renders as the widget in JupyterLab, and
as a short text summary anywhere else. Tests drive an explorer without a browser:
``ex.sliders["t"].value = 3`` runs the callback, then ``ex.state`` holds the result.

The figures are drawn on one persistent ``matplotlib.figure.Figure`` with an Agg
canvas (never pyplot). A change only replaces the data of the existing lines and
images, renders the figure to PNG bytes and puts them into an ``ipywidgets.Image``,
so a callback takes tens of milliseconds.

=================================  ==========================================  ===========
explorer                           shows                                       notebook
=================================  ==========================================  ===========
`shape_explorer`                   every shape and parameter count             05
`hidden_state_explorer`            a_1 ... a_t as a heat map, step by step     02
`gradient_explorer`                ||dL/da_t|| against t, with the bound       10, 11
`clipping_explorer`                gradient descent near a cliff, clipped      10
=================================  ==========================================  ===========
"""

from __future__ import annotations

import html
import io
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dims, rnn
from .activations import check_activation

__all__ = [
    "Explorer",
    "ShapeExplorer",
    "HiddenStateExplorer",
    "GradientExplorer",
    "ClippingExplorer",
    "shape_explorer",
    "hidden_state_explorer",
    "gradient_explorer",
    "clipping_explorer",
    "bench_explorer",
]

FIGSIZE = (7.0, 3.5)  # inches
DPI = 80  # 560 x 280 pixels: small PNGs, fast to encode and to send
OUTPUT_HEIGHT = "300px"


# --------------------------------------------------------------------------------------
# The common machinery
# --------------------------------------------------------------------------------------
#: Every slider of the explorers looks the same: its label in full, a fixed width.
SLIDER_LOOK = {"style": {"description_width": "initial"}, "layout": {"width": "330px"}}


class Explorer:
    """Base class: sliders, a state dict, an optional figure, and display as a widget.

    Subclasses build their controls in ``_build()``, fill ``self.state`` in
    ``_compute()`` and redraw in ``_draw()``; `update` calls both.
    """

    kind = "explorer"

    def __init__(self) -> None:
        self.sliders: dict[str, Any] = {}
        self.state: dict[str, Any] = {}
        self.figure = None
        self.canvas = None
        self.image = None
        self.last_callback_seconds = float("nan")
        self._animated: list = []
        self._animated_axes: list = []
        self._background = None

    # -- building blocks --------------------------------------------------------------
    def _int_slider(self, name: str, value: int, lo: int, hi: int, description: str, step: int = 1):
        import ipywidgets as w

        s = w.IntSlider(
            value=int(value), min=int(min(lo, value)), max=int(max(hi, value)), step=step,
            description=description, continuous_update=False, **SLIDER_LOOK,
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
            value=float(value), min=float(min(lo, value)), max=float(max(hi, value)), step=step,
            description=description, readout_format=readout_format, continuous_update=False, **SLIDER_LOOK,
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

    def _make_figure(self, figsize: tuple[float, float] = FIGSIZE, dpi: int = DPI):
        """A persistent Agg figure and the Image widget that shows it."""
        import ipywidgets as w
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.image = w.Image(
            format="png",
            layout=w.Layout(width=f"{int(figsize[0] * dpi)}px", height=f"{int(figsize[1] * dpi)}px"),
        )
        self.image.add_class("rnncourse-explorer-figure")
        return self.figure

    def _box(self, controls: list, outputs: list):
        import ipywidgets as w

        box = w.VBox([*controls, *outputs])
        box.add_class("rnncourse-explorer")
        box.add_class("rnncourse-explorer-" + self.kind)
        box.layout.padding = "0.4em"
        box.layout.border = "1px solid #d0d7de"
        return box

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
        """Recompute ``state`` from the sliders and redraw the figure and text."""
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
        """The current value of every slider, by name."""
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


LINE = 1.45  # line height of the explorers' text, in em


def _text_block(lines: Sequence[str]) -> str:
    """HTML lines with a compact, fixed line height (the widget's default is 28 px a line)."""
    return f'<div style="line-height:{LINE}">' + "<br>".join(lines) + "</div>"


def _text_height(n_lines: int) -> str:
    return f"{LINE * n_lines + 0.4:.2f}em"


def _sub(name: str) -> str:
    """'W_F' -> 'W<sub>F</sub>' for the HTML tables."""
    if "_" not in name:
        return html.escape(name)
    base, sub = name.split("_", 1)
    return f"{html.escape(base)}<sub>{html.escape(sub)}</sub>"


# --------------------------------------------------------------------------------------
# Shape explorer (notebook 05)
# --------------------------------------------------------------------------------------
#: key of dims.rnn_shapes -> (name in the course notation, as HTML; what it is)
SHAPE_ROWS = {
    "x_t": ("x<sub>t</sub>", "input at step t, one column per sequence"),
    "a_prev": ("a<sub>t&minus;1</sub>", "hidden state of the step before"),
    "z_t": ("z<sub>t</sub>", "W<sub>F</sub> x<sub>t</sub> + W<sub>R</sub> a<sub>t&minus;1</sub> + b"),
    "a_t": ("a<sub>t</sub>", "hidden state, f(z<sub>t</sub>)"),
    "W_F": ("W<sub>F</sub>", "feedforward weights (PyTorch: weight_ih_l0)"),
    "W_R": ("W<sub>R</sub>", "recurrent weights (PyTorch: weight_hh_l0)"),
    "b": ("b", "bias, a column broadcast over the batch"),
    "W": ("W = [W<sub>F</sub> | W<sub>R</sub>]", "both weight matrices side by side"),
    "stacked_input": ("[x<sub>t</sub> ; a<sub>t&minus;1</sub>]", "what W multiplies"),
    "X": ("X", "the whole batch, time-major: X[t] is x<sub>t</sub>"),
    "A": ("A", "every hidden state: A[t] is a<sub>t</sub>"),
    "W_out": ("W<sub>out</sub>", "output weights (layer 2)"),
    "b_out": ("b<sub>out</sub>", "output bias"),
    "y_t": ("&ycirc;<sub>t</sub>", "softmax output at step t"),
    "Y": ("&Ycirc;", "every output"),
    "X_batch_first": ("X (batch first)", "Keras, PyTorch batch_first=True: (m, T, n<sub>0</sub>)"),
}

COUNT_ROWS = {
    "W_F": "W<sub>F</sub>: n<sub>1</sub> &middot; n<sub>0</sub>",
    "W_R": "W<sub>R</sub>: n<sub>1</sub> &middot; n<sub>1</sub>",
    "b": "b: n<sub>1</sub>",
    "recurrent_layer": "<b>recurrent layer</b>",
    "W_out": "W<sub>out</sub>: n<sub>2</sub> &middot; n<sub>1</sub>",
    "b_out": "b<sub>out</sub>: n<sub>2</sub>",
    "output_layer": "<b>output layer</b>",
    "total": "<b>total</b>",
}


class ShapeExplorer(Explorer):
    """Five sliders (n_0, n_1, n_2, m, T) and a table of every shape and parameter count.

    ``state`` holds ``"shapes"`` (from `rnncourse.dims.rnn_shapes`) and ``"counts"``
    (from `rnncourse.dims.parameter_counts`); ``table.value`` is the HTML shown.
    """

    kind = "shapes"

    def __init__(self, n_in: int = 3, n_hidden: int = 7, n_out: int = 1, batch: int = 64, seq_len: int = 10):
        super().__init__()
        import ipywidgets as w

        sliders = [
            self._int_slider("n_in", n_in, 1, 64, "inputs n\u2080"),
            self._int_slider("n_hidden", n_hidden, 1, 256, "hidden n\u2081 = n_h"),
            self._int_slider("n_out", n_out, 1, 64, "outputs n\u2082"),
            self._int_slider("batch", batch, 1, 512, "batch m"),
            self._int_slider("seq_len", seq_len, 1, 200, "steps T"),
        ]
        self.table = w.HTML(layout=w.Layout(height="440px", overflow="auto"))
        self.table.add_class("rnncourse-explorer-table")
        controls = [
            w.HBox(sliders[:3], layout=w.Layout(flex_flow="row wrap")),
            w.HBox(sliders[3:], layout=w.Layout(flex_flow="row wrap")),
        ]
        self.widget = self._box(controls, [self.table])
        self.update()

    def _compute(self) -> None:
        v = self.values()
        self.state = {
            "shapes": dims.rnn_shapes(v["n_in"], v["n_hidden"], v["n_out"], v["batch"], v["seq_len"]),
            "counts": dims.parameter_counts(v["n_in"], v["n_hidden"], v["n_out"]),
        }

    def _draw(self) -> None:
        shapes, counts = self.state["shapes"], self.state["counts"]
        td = '<td style="padding:1px 10px">'
        rows = []
        for key, shape in shapes.items():
            name, meaning = SHAPE_ROWS.get(key, (_sub(key), ""))
            shape_txt = "(" + ", ".join(str(s) for s in shape) + ")"
            rows.append(
                f'<tr data-name="{key}">{td}{name}</td>{td}<code>{shape_txt}</code></td>'
                f'{td}<span style="color:#555">{meaning}</span></td></tr>'
            )
        count_rows = []
        for key, label in COUNT_ROWS.items():
            count_rows.append(
                f'<tr data-name="count-{key}">{td}{label}</td>'
                f'<td style="padding:1px 10px;text-align:right">{counts[key]:,}</td></tr>'
            )
        self.table.value = (
            '<div style="display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start;line-height:1.35">'
            '<table class="rnncourse-shapes"><tr><th>array</th><th>shape</th><th></th></tr>'
            + "".join(rows)
            + '</table><table class="rnncourse-counts"><tr><th>parameters</th><th>count</th></tr>'
            + "".join(count_rows)
            + "</table></div>"
        )

    def summary(self) -> str:
        s, c = self.state["shapes"], self.state["counts"]
        return (
            f"X {s['X']}, W_F {s['W_F']}, W_R {s['W_R']}, b {s['b']}, A {s['A']}, "
            f"W_out {s['W_out']}; {c['total']} parameters"
        )


def shape_explorer(
    n_in: int = 3, n_hidden: int = 7, n_out: int = 1, batch: int = 64, seq_len: int = 10
) -> ShapeExplorer:
    """Sliders for the sizes of a one-layer RNN and a table of every shape it implies.

    Parameters
    ----------
    n_in : n_0, input features per step
    n_hidden : n_1 = n_h, neurons of the recurrent layer
    n_out : n_2, neurons of the softmax output
    batch : m, sequences per batch
    seq_len : T, steps per sequence

    Returns
    -------
    ShapeExplorer: show it as the last expression of a cell. ``ex.sliders`` has keys
    "n_in", "n_hidden", "n_out", "batch", "seq_len"; ``ex.state["shapes"]`` and
    ``ex.state["counts"]`` follow the sliders.
    """
    return ShapeExplorer(n_in, n_hidden, n_out, batch, seq_len)


# --------------------------------------------------------------------------------------
# Hidden state explorer (notebook 02)
# --------------------------------------------------------------------------------------
def _fmt_vec(v: np.ndarray, digits: int = 2) -> str:
    return "[" + ", ".join(f"{x:+.{digits}f}" for x in np.asarray(v).ravel()) + "]"


class HiddenStateExplorer(Explorer):
    """Step through time: the inputs x_1..x_t and the hidden states a_1..a_t of one sequence.

    ``state`` holds ``"t"`` (1-based, as in the course), ``"x_t"`` (n_in,), ``"a_t"`` (n_h,),
    ``"visible"`` (n_h, T), the heat map shown (NaN for the future steps), and ``"text"``.
    ``A`` (T, n_h, m) holds every hidden state, computed once with `rnncourse.rnn.forward`.
    """

    kind = "hidden"

    def __init__(
        self,
        X: np.ndarray,
        params: dict,
        activation: str = "tanh",
        a0: np.ndarray | None = None,
        sequence: int = 0,
        input_labels: Sequence[str] | None = None,
    ):
        super().__init__()
        import ipywidgets as w

        check_activation(activation, "hidden_state_explorer")
        self.A, _ = rnn.forward(X, params, a0=a0, activation=activation)  # (T, n_h, m)
        self.X = np.asarray(X)
        T, n_in, m = self.X.shape
        if not 0 <= sequence < m:
            raise ValueError(
                f"hidden_state_explorer: sequence must be in 0..{m - 1} (the batch has m = {m} "
                f"columns), got {sequence}."
            )
        self.activation, self.sequence = activation, sequence
        self.T, self.n_in, self.n_h = T, n_in, self.A.shape[1]
        self.xs = self.X[:, :, sequence].T  # (n_in, T): inputs of the chosen sequence
        self.hs = self.A[:, :, sequence].T  # (n_h, T): its hidden states
        self.time_labels, self.feature_labels = None, None
        if input_labels is not None:
            labels = [str(s) for s in input_labels]
            if len(labels) == T:
                self.time_labels = labels
            elif len(labels) == n_in:
                self.feature_labels = labels
            else:
                raise ValueError(
                    f"hidden_state_explorer: input_labels needs one label per time step "
                    f"(T = {T}) or per input feature (n_in = {n_in}), got {len(labels)}."
                )

        slider = self._int_slider("t", 1, 1, T, "step t")
        slider.layout.width = "480px"
        self.text = w.HTML(layout=w.Layout(height=_text_height(3), overflow="hidden"))
        self.text.add_class("rnncourse-explorer-text")
        self._setup_figure()
        self.widget = self._box([slider], [self.text, self.image])
        self.update()

    def _setup_figure(self) -> None:
        import matplotlib as mpl
        from matplotlib.patches import Rectangle

        n_in, n_h, T = self.n_in, self.n_h, self.T
        fig = self._make_figure()
        h_in = max(1.0, min(n_in, 6))
        gs = fig.add_gridspec(
            2,
            2,
            height_ratios=[h_in, max(3.0, min(n_h, 16))],
            width_ratios=[40, 1],
            left=0.11,
            right=0.92,
            top=0.9,
            bottom=0.13,
            hspace=0.12,
            wspace=0.04,
        )
        ax_x, ax_a = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[1, 0])
        cax = fig.add_subplot(gs[1, 1])
        cmap = mpl.colormaps["RdBu_r"].with_extremes(bad="#f4f4f4")
        hmax = 1.0 if self.activation == "tanh" else max(1e-9, float(np.abs(self.hs).max()))
        hmin = 0.0 if self.activation in ("sigmoid", "relu") else -hmax
        xmax = max(1e-9, float(np.abs(self.xs).max()))
        extent_x = (0.5, T + 0.5, n_in - 0.5, -0.5)
        extent_a = (0.5, T + 0.5, n_h - 0.5, -0.5)
        self._im_x = ax_x.imshow(
            np.full((n_in, T), np.nan),
            cmap=cmap,
            vmin=-xmax,
            vmax=xmax,
            aspect="auto",
            interpolation="nearest",
            extent=extent_x,
        )
        self._im_a = ax_a.imshow(
            np.full((n_h, T), np.nan),
            cmap=cmap,
            vmin=hmin,
            vmax=hmax,
            aspect="auto",
            interpolation="nearest",
            extent=extent_a,
        )
        fig.colorbar(self._im_a, cax=cax)
        cax.tick_params(labelsize=7)
        ax_x.set_ylabel("x", rotation=0, labelpad=10)
        ax_a.set_ylabel("neuron of a")
        ax_x.set_xticks([])
        ticks = np.arange(1, T + 1) if T <= 25 else np.unique(np.linspace(1, T, 11).round().astype(int))
        ax_a.set_xticks(ticks)
        if self.time_labels is not None and T <= 40:
            ax_a.set_xticks(np.arange(1, T + 1), self.time_labels)
        ax_a.set_xlabel("time step t")
        ax_x.set_yticks(range(n_in) if n_in <= 6 else [])
        if self.feature_labels is not None and n_in <= 6:
            ax_x.set_yticklabels(self.feature_labels)
        ax_a.set_yticks(range(n_h) if n_h <= 16 else [])
        for ax in (ax_x, ax_a):
            ax.tick_params(labelsize=7)
        self._cursors = []
        for ax, n in ((ax_x, n_in), (ax_a, n_h)):
            r = Rectangle((0.5, -0.5), 1.0, n, fill=False, edgecolor="#222222", linewidth=1.5)
            ax.add_patch(r)
            self._cursors.append(r)
        self._title = fig.suptitle("", fontsize=10)
        self._animate(self._im_x, self._im_a, *self._cursors, self._title)

    def _compute(self) -> None:
        t = int(self.sliders["t"].value)
        visible = np.full((self.n_h, self.T), np.nan)
        visible[:, :t] = self.hs[:, :t]
        seen = np.full((self.n_in, self.T), np.nan)
        seen[:, :t] = self.xs[:, :t]
        x_t, a_t = self.xs[:, t - 1], self.hs[:, t - 1]
        label = f" ('{self.time_labels[t - 1]}')" if self.time_labels else ""
        text = f"t = {t}{label}:  x_t = {_fmt_vec(x_t)}   a_t = {_fmt_vec(a_t)}"
        self.state = {
            "t": t,
            "x_t": x_t.copy(),
            "a_t": a_t.copy(),
            "visible": visible,
            "inputs_seen": seen,
            "text": text,
        }

    def _draw(self) -> None:
        t = self.state["t"]
        self._im_x.set_data(self.state["inputs_seen"])
        self._im_a.set_data(self.state["visible"])
        for r in self._cursors:
            r.set_x(t - 0.5)
        self._title.set_text(
            f"{self.activation} RNN, sequence {self.sequence} of the batch: steps 1 to {t} of T = {self.T}"
        )
        t_lbl = html.escape(self.state["text"].split(":", 1)[0])
        mono = "<span style='font-family:monospace;font-size:90%'>"
        self.text.value = _text_block(
            [
                f"<b>{t_lbl}</b>",
                f"{mono}x<sub>t</sub> = {html.escape(_fmt_vec(self.state['x_t']))}</span>",
                f"{mono}a<sub>t</sub> = {html.escape(_fmt_vec(self.state['a_t']))}</span>",
            ]
        )

    def summary(self) -> str:
        return self.state["text"]


def hidden_state_explorer(
    X: np.ndarray,
    params: dict,
    activation: str = "tanh",
    a0: np.ndarray | None = None,
    sequence: int = 0,
    input_labels: Sequence[str] | None = None,
) -> HiddenStateExplorer:
    """A slider for t that steps through one sequence: inputs and hidden states a_1 ... a_t.

    Parameters
    ----------
    X : (T, n_in, m) a batch of sequences, time-major
    params : {"W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1)}
    activation : "tanh", "sigmoid", "relu" or "linear"
    a0 : (n_h, m) initial state, zeros when None
    sequence : which column of the batch to show, 0 .. m-1
    input_labels : optional names, either one per time step (length T, e.g. the characters
        of a word, shown under the time axis) or one per input feature (length n_in)

    Returns
    -------
    HiddenStateExplorer: show it as the last expression of a cell. ``ex.sliders["t"]``
    runs from 1 to T; ``ex.state["a_t"]`` (n_h,) is the hidden state at the current step
    and ``ex.state["visible"]`` (n_h, T) the heat map (NaN for steps not reached yet).
    """
    return HiddenStateExplorer(
        X, params, activation=activation, a0=a0, sequence=sequence, input_labels=input_labels
    )


# --------------------------------------------------------------------------------------
# Gradient explorer (notebooks 10 and 11)
# --------------------------------------------------------------------------------------
CELL_TITLES = {"rnn": "plain RNN", "lstm": "LSTM", "gru": "GRU"}
CELL_COLORS = {"rnn": "#8E44AD", "lstm": "#23844D", "gru": "#2D6CB5"}
_FLOOR, _CEIL = 1e-30, 1e30  # what the log axis can show


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random orthogonal (n, n) matrix: every singular value is 1."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


class GradientExplorer(Explorer):
    """||dL/d state_t|| against t for a loss at the last step, with the bound (gamma s)^(T-t).

    Sliders: "sigma" (sigma_max of every recurrent matrix), "seq_len" (T), "n_hidden"
    (n_h), "activation" (plain RNN only) and, when a gated cell is shown, "gate_bias"
    (the LSTM's forget-gate bias b^f and the GRU's update-gate bias b^u).

    ``state`` holds "t" (T,) = 1 .. T, "norms" {cell: (T,)}, "bound" (T,),
    "verdicts" {cell: (word, factor)} with factor = norm at t=1 / norm at t=T, and "text".
    """

    kind = "gradient"

    def __init__(
        self,
        sigma: float = 0.9,
        seq_len: int = 50,
        n_hidden: int = 16,
        activation: str = "tanh",
        cells: Sequence[str] = ("rnn",),
        gate_bias: float = 3.0,
        weights: str = "orthogonal",
        n_in: int = 4,
        input_scale: float = 0.5,
        seed: int = 0,
    ):
        super().__init__()
        import ipywidgets as w

        from .cells import CELLS

        cells = tuple(cells)
        if not cells or len(set(cells)) != len(cells) or any(c not in CELLS for c in cells):
            raise ValueError(f"gradient_explorer: cells must be distinct names from {CELLS}, got {cells!r}.")
        if weights not in ("orthogonal", "gaussian"):
            raise ValueError(
                f"gradient_explorer: weights must be 'orthogonal' or 'gaussian', got {weights!r}."
            )
        check_activation(activation, "gradient_explorer")
        self.cells, self.weights, self.n_in, self.seed = cells, weights, n_in, seed
        self._bases: dict[tuple[str, int], dict] = {}
        t_max = max(200, int(seq_len))
        self._X = input_scale * np.random.default_rng([seed, 2]).standard_normal(
            (t_max, n_in, 1)
        )  # (T_max, n_in, 1)

        row1 = [
            self._float_slider("sigma", sigma, 0.1, 5.0, 0.05, "\u03c3_max(W_R)"),
            self._int_slider("seq_len", seq_len, 5, 200, "steps T"),
        ]
        row2 = [self._int_slider("n_hidden", n_hidden, 2, 64, "hidden n_h")]
        if any(c != "rnn" for c in cells):
            row2.append(
                self._float_slider("gate_bias", gate_bias, 0.0, 6.0, 0.25, "gate bias (b\u1da0, b\u1d58)")
            )
        act = self._chooser("activation", ("tanh", "sigmoid", "relu", "linear"), activation, "RNN activation")
        n_lines = len(cells) + ("rnn" in cells)
        self.text = w.HTML(layout=w.Layout(height=_text_height(n_lines), overflow="hidden"))
        self.text.add_class("rnncourse-explorer-text")
        self._setup_figure()
        controls = [
            w.HBox(row1, layout=w.Layout(flex_flow="row wrap")),
            w.HBox(row2, layout=w.Layout(flex_flow="row wrap")),
            act,
        ]
        self.widget = self._box(controls, [self.text, self.image])
        self.update()

    # -- parameters -------------------------------------------------------------------
    def _base(self, cell: str, n_h: int) -> dict:
        """Parameters whose recurrent matrices have sigma_max = 1 (cached per cell and size)."""
        key = (cell, n_h)
        if key not in self._bases:
            from . import cells as cells_mod

            rng = np.random.default_rng([self.seed, n_h, cells_mod.CELLS.index(cell)])
            params = cells_mod.init(cell, self.n_in, n_h, seed=self.seed)
            for k in params:
                if k.startswith("W_F"):
                    params[k] = rng.standard_normal(params[k].shape) / np.sqrt(self.n_in)
                elif k.startswith("W_R"):
                    M = rng.standard_normal((n_h, n_h))
                    params[k] = (
                        _orthogonal(rng, n_h) if self.weights == "orthogonal" else M / np.linalg.norm(M, 2)
                    )
            self._bases[key] = params
        return self._bases[key]

    def params_for(self, cell: str) -> dict:
        """The parameters used for `cell` at the current slider values."""
        v = self.values()
        params = {
            k: (a * v["sigma"] if k.startswith("W_R") else a.copy())
            for k, a in self._base(cell, v["n_hidden"]).items()
        }
        if cell == "lstm":
            params["b_f"][:] = v["gate_bias"]
        elif cell == "gru":
            params["b_u"][:] = v["gate_bias"]
        return params

    # -- figure -----------------------------------------------------------------------
    def _setup_figure(self) -> None:
        n = len(self.cells)
        fig = self._make_figure(figsize=(7.0, 3.5) if n == 1 else (9.0, 3.4))
        fig.subplots_adjust(left=0.1 if n == 1 else 0.075, right=0.98, top=0.78, bottom=0.15, wspace=0.08)
        axes = fig.subplots(1, n, sharey=True, squeeze=False)[0]
        self._axes, self._lines, self._titles = list(axes), {}, {}
        self._bound_line = None
        self._ghost = {}
        for ax, cell in zip(axes, self.cells):
            ax.set_yscale("log")
            ax.grid(True, which="major", color="#e5e5e5", linewidth=0.8)
            ax.set_xlabel("time step t", fontsize=9)
            ax.tick_params(labelsize=8)
            if cell == "rnn":
                (self._bound_line,) = ax.plot(
                    [],
                    [],
                    "--",
                    color="#C0392B",
                    linewidth=1.4,
                    label="bound $(\\gamma\\,\\sigma_{max})^{T-t}$",
                )
            elif "rnn" in self.cells:
                (self._ghost[cell],) = ax.plot(
                    [], [], "-", color=CELL_COLORS["rnn"], alpha=0.3, linewidth=1.2, label="plain RNN"
                )
            (self._lines[cell],) = ax.plot(
                [],
                [],
                "-",
                color=CELL_COLORS[cell],
                linewidth=2,
                label="measured $\\|\\partial L/\\partial$ state$_t\\|$"
                if cell != "rnn"
                else "measured $\\|\\partial L/\\partial a_t\\|$",
            )
            self._titles[cell] = ax.set_title("", fontsize=9)
        axes[0].set_ylabel("gradient norm (log scale)", fontsize=9)
        handles = [self._lines[self.cells[0]]]
        if self._bound_line is not None:
            handles.append(self._bound_line)
        if self._ghost:
            handles.append(next(iter(self._ghost.values())))
        labels = ["measured gradient norm" if n > 1 else self._lines[self.cells[0]].get_label()]
        labels += [h.get_label() for h in handles[1:]]
        fig.legend(
            handles,
            labels,
            loc="upper center",
            ncol=len(handles),
            fontsize=8,
            frameon=False,
            bbox_to_anchor=(0.5, 1.0),
        )  # above the plots, where no curve can hide it
        self._limits = None
        animated = [*self._lines.values(), *self._titles.values(), *self._ghost.values()]
        if self._bound_line is not None:
            animated.append(self._bound_line)
        self._animate(*animated)

    # -- the update cycle -------------------------------------------------------------
    def _compute(self) -> None:
        from .gradients import jacobian_bound, state_gradient_norms, verdict

        v = self.values()
        T, s, act = int(v["seq_len"]), float(v["sigma"]), v["activation"]
        X = self._X[:T]  # (T, n_in, 1)
        norms, verdicts = {}, {}
        for cell in self.cells:
            norms[cell] = state_gradient_norms(cell, self.params_for(cell), X, activation=act)
            verdicts[cell] = verdict(norms[cell])
        t = np.arange(1, T + 1)
        bound = jacobian_bound(s, act, T - t)
        lines = []
        for cell in self.cells:
            word, factor = verdicts[cell]
            name = CELL_TITLES[cell] + (f" ({act})" if cell == "rnn" else "")
            lines.append(
                f"{name}: {word}, the gradient at t = 1 is {factor:.2g} times the one at t = T = {T}"
            )
        if "rnn" in self.cells:
            lines.append(
                f"bound (gamma sigma_max)^(T-1) = ({_gamma(act):g} x {s:.2f})^{T - 1} = {bound[0]:.2g}"
            )
        self.state = {"t": t, "norms": norms, "bound": bound, "verdicts": verdicts, "text": "\n".join(lines)}

    def _draw(self) -> None:
        t, norms, bound = self.state["t"], self.state["norms"], self.state["bound"]
        T = len(t)
        shown = [np.clip(n, _FLOOR, _CEIL) for n in norms.values()]
        # the range follows the measured curves (the bound may leave the picture), in steps of
        # five decades so that most slider moves keep the axes and only redraw the curves
        measured = np.concatenate(shown)
        finite = measured[np.isfinite(measured)]
        lo = max(-30, 5 * int(np.floor(np.log10(min(finite.min(), 0.1)) / 5))) if finite.size else -30
        hi = min(30, 5 * int(np.ceil(np.log10(max(finite.max(), 10.0)) / 5 + 1e-9))) if finite.size else 30
        limits = (T, lo, hi)
        if limits != self._limits:  # axes change: the cached background must be redrawn
            for ax in self._axes:
                ax.set_xlim(1, max(T, 2))
            self._axes[0].set_ylim(10.0**lo, 10.0**hi)
            self._limits = limits
            self.invalidate()
        for cell, n in zip(self.cells, shown):
            self._lines[cell].set_data(t, n)
            word, factor = self.state["verdicts"][cell]
            self._titles[cell].set_text(f"{CELL_TITLES[cell]}: {word} (\u00d7{factor:.1e})")
        for g in self._ghost.values():
            g.set_data(t, np.clip(norms["rnn"], _FLOOR, _CEIL))
        if self._bound_line is not None:
            self._bound_line.set_data(t, np.clip(bound, _FLOOR, _CEIL))
        colors = {"vanishing": "#2D6CB5", "stable": "#23844D", "exploding": "#C0392B"}
        html_lines = []
        for line, cell in zip(self.state["text"].split("\n"), self.cells):
            word = self.state["verdicts"][cell][0]
            name, rest = line.split(": ", 1)
            html_lines.append(
                f"{html.escape(name)}: <b style='color:{colors[word]}'>{word}</b>"
                f"{html.escape(rest[len(word) :])}"
            )
        if "rnn" in self.cells:
            html_lines.append(
                f"<span style='color:#555'>{html.escape(self.state['text'].split(chr(10))[-1])}</span>"
            )
        self.text.value = _text_block(html_lines)

    def summary(self) -> str:
        return self.state["text"].replace("\n", "; ")


def _gamma(activation: str) -> float:
    from .activations import GAMMA

    return GAMMA[activation]


def gradient_explorer(
    sigma: float = 0.9,
    seq_len: int = 50,
    n_hidden: int = 16,
    activation: str = "tanh",
    cells: Sequence[str] = ("rnn",),
    gate_bias: float = 3.0,
    weights: str = "orthogonal",
    seed: int = 0,
) -> GradientExplorer:
    """Sliders for sigma_max(W_R), T, n_h and the activation; a log plot of the gradient at every step.

    The loss sits at the last step, L = u . a_T for a fixed unit vector u (see
    `rnncourse.gradients.gradient_norms`), so the curve starts at 1 at t = T and shows what
    is left of the gradient on its way back to t = 1. The dashed line is the bound
    (gamma sigma_max)^(T-t) of `rnncourse.gradients.jacobian_bound`.

    Parameters
    ----------
    sigma : largest singular value of W_R (of every W_R^k for the gated cells)
    seq_len : T
    n_hidden : n_h
    activation : of the plain RNN: "tanh", "sigmoid", "relu" or "linear"
    cells : which cells to show side by side: any of "rnn", "lstm", "gru"
    gate_bias : initial LSTM forget-gate bias b^f and GRU update-gate bias b^u (gated cells only)
    weights : "orthogonal" (W_R = sigma times an orthogonal matrix: every singular value is
        sigma, so a linear RNN meets the bound exactly) or "gaussian" (a random Gaussian
        matrix rescaled so that its *largest* singular value is sigma)
    seed : fixes the weights and the inputs (n_in = 4 features, N(0, 0.5^2), one sequence)

    Returns
    -------
    GradientExplorer: ``ex.sliders["sigma"].value = 1.5`` recomputes ``ex.state["norms"]``.
    """
    return GradientExplorer(
        sigma=sigma,
        seq_len=seq_len,
        n_hidden=n_hidden,
        activation=activation,
        cells=cells,
        gate_bias=gate_bias,
        weights=weights,
        seed=seed,
    )


# --------------------------------------------------------------------------------------
# Clipping explorer (notebook 10)
# --------------------------------------------------------------------------------------
CLIP_STYLES = {
    "none": ("no clipping", "#C0392B"),
    "norm": ("clip by norm", "#23844D"),
    "value": ("clip by value", "#E67E22"),
}


class ClippingExplorer(Explorer):
    """Gradient descent on the one-neuron cliff, with and without clipping.

    Sliders "threshold" (max_norm for clipping by norm, the limit for clipping by value)
    and "lr" (learning rate). ``state`` holds, for each run "none", "norm" and "value":
    "paths" (steps + 1, 2) the (w, b) visited, "losses" (steps + 1,), "tail_loss" (mean loss
    of the last 10 steps) and "longest_step"; also "max_grad" (the largest raw gradient norm
    met by the unclipped run) and "text". ``surface`` (n_b, n_w) is the loss on the grid
    ``w_grid`` x ``b_grid``, computed once.
    """

    kind = "clipping"

    def __init__(
        self,
        threshold: float = 0.05,
        lr: float = 1.0,
        start: tuple[float, float] = (4.5, -3.0),
        steps: int = 50,
        w_range: tuple[float, float] = (2.5, 6.5),
        b_range: tuple[float, float] = (-4.5, 0.5),
        grid: int = 161,
    ):
        super().__init__()
        import ipywidgets as w

        from .gradients import cliff_loss

        self.start, self.steps = (float(start[0]), float(start[1])), int(steps)
        self.w_grid = np.linspace(*w_range, grid)  # (n_w,)
        self.b_grid = np.linspace(*b_range, grid)  # (n_b,)
        self.surface = cliff_loss(self.w_grid[None, :], self.b_grid[:, None])  # (n_b, n_w), all at once
        sliders = [
            self._float_slider("threshold", threshold, 0.01, 1.0, 0.01, "clip threshold"),
            self._float_slider("lr", lr, 0.25, 10.0, 0.25, "learning rate", readout_format=".2f"),
        ]
        self.text = w.HTML(layout=w.Layout(height=_text_height(4), overflow="hidden"))
        self.text.add_class("rnncourse-explorer-text")
        self._setup_figure()
        self.widget = self._box(
            [w.HBox(sliders, layout=w.Layout(flex_flow="row wrap"))], [self.text, self.image]
        )
        self.update()

    def _setup_figure(self) -> None:
        fig = self._make_figure(figsize=(8.0, 3.5))
        ax, ax_l = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1], "wspace": 0.28})
        fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.14)
        cs = ax.contourf(
            self.w_grid, self.b_grid, self.surface, levels=np.linspace(0, 0.5, 21), cmap="viridis"
        )
        cb = fig.colorbar(cs, ax=ax, fraction=0.05, pad=0.02)
        cb.ax.tick_params(labelsize=7)
        ax.plot(*self.start, "o", color="white", markeredgecolor="black", markersize=6, zorder=5)
        ax.set_xlim(self.w_grid[0], self.w_grid[-1])
        ax.set_ylim(self.b_grid[0], self.b_grid[-1])
        ax.set_xlabel("w", fontsize=9)
        ax.set_ylabel("b", fontsize=9)
        ax.set_title("loss over (w, b), and the paths taken", fontsize=9)
        ax_l.set_xlim(0, self.steps)
        ax_l.set_ylim(0, 0.5)
        ax_l.set_xlabel("gradient descent step", fontsize=9)
        ax_l.set_ylabel("loss", fontsize=9)
        ax_l.grid(True, color="#e5e5e5")
        for a in (ax, ax_l):
            a.tick_params(labelsize=8)
        self._paths, self._curves = {}, {}
        for key, (label, color) in CLIP_STYLES.items():
            (self._paths[key],) = ax.plot([], [], ".-", color=color, linewidth=1.5, markersize=4, label=label)
            (self._curves[key],) = ax_l.plot([], [], "-", color=color, linewidth=1.8, label=label)
        ax_l.legend(fontsize=7, loc="upper right")
        self._title = ax_l.set_title("", fontsize=9)
        self._animate(*self._paths.values(), *self._curves.values(), self._title)

    def _compute(self) -> None:
        from .gradients import cliff_descent

        v = self.values()
        runs = {
            "none": cliff_descent(self.start, v["lr"], self.steps),
            "norm": cliff_descent(self.start, v["lr"], self.steps, clip="norm", threshold=v["threshold"]),
            "value": cliff_descent(self.start, v["lr"], self.steps, clip="value", threshold=v["threshold"]),
        }
        paths = {k: r["path"] for k, r in runs.items()}
        losses = {k: r["loss"] for k, r in runs.items()}
        biggest = {k: float(np.max(np.hypot(*r["step"].T))) for k, r in runs.items()}
        tail = {k: float(np.mean(r["loss"][-10:])) for k, r in runs.items()}  # settles, or keeps jumping
        max_grad = float(runs["none"]["grad_norm"].max())
        text = (
            f"largest gradient met without clipping: {max_grad:.2f} (longest step {biggest['none']:.2f}); "
            f"mean loss of the last 10 steps: no clipping {tail['none']:.3f}, by norm {tail['norm']:.3f}, "
            f"by value {tail['value']:.3f}"
        )
        self.state = {
            "paths": paths,
            "losses": losses,
            "tail_loss": tail,
            "max_grad": max_grad,
            "longest_step": biggest,
            "text": text,
        }

    def _draw(self) -> None:
        it = np.arange(self.steps + 1)
        for key in CLIP_STYLES:
            p = self.state["paths"][key]
            self._paths[key].set_data(p[:, 0], p[:, 1])
            self._curves[key].set_data(it, self.state["losses"][key])
        v = self.values()
        self._title.set_text(f"lr = {v['lr']:.2f}, threshold = {v['threshold']:.2f}")
        s = self.state
        rows = [
            f"largest gradient met without clipping: <b>{s['max_grad']:.2f}</b> "
            f"(longest step {s['longest_step']['none']:.2f})"
        ]
        for key, (label, color) in CLIP_STYLES.items():
            rows.append(
                f"<span style='color:{color}'>&#9632;</span> {label}: loss at the end "
                f"{s['tail_loss'][key]:.3f}, longest step {s['longest_step'][key]:.2f}"
            )
        self.text.value = _text_block(rows)

    def summary(self) -> str:
        return self.state["text"]


def clipping_explorer(
    threshold: float = 0.05, lr: float = 1.0, start: tuple[float, float] = (4.5, -3.0), steps: int = 50
) -> ClippingExplorer:
    """The cliff of a one-neuron RNN and gradient descent on it, unclipped and clipped two ways.

    The network is x_t = w sigmoid(x_{t-1}) + b with x_0 = 0.5, run for 50 steps, with the
    loss (sigmoid(x_50) - 0.7)^2 (Pascanu, Mikolov and Bengio, 2013; see
    `rnncourse.gradients.cliff_loss`). Its surface over (w, b) has a cliff: a wall where the
    loss drops abruptly and the gradient is huge. Three runs of gradient descent start
    from `start`: without clipping, with `rnncourse.optim.clip_by_norm` (the direction is
    kept, the length capped at the threshold) and with `rnncourse.optim.clip_by_value`
    (each component capped, which may change the direction).

    Returns
    -------
    ClippingExplorer with sliders "threshold" and "lr".
    """
    return ClippingExplorer(threshold=threshold, lr=lr, start=start, steps=steps)


# --------------------------------------------------------------------------------------
# Benchmark: python -m rnncourse.bench explorer
# --------------------------------------------------------------------------------------
def _time_changes(ex: Explorer, changes: list[tuple[str, Any]]) -> list[float]:
    times = []
    for name, value in changes:
        ex.sliders[name].value = value
        times.append(ex.last_callback_seconds)
    return times


def bench_explorer(argv: Sequence[str] | None = None) -> int:
    """Median time from a slider change to a new PNG, for every explorer; prints a table.

    ``python -m rnncourse.bench explorer [--rounds N]``. The gradient explorer is timed on
    changes of every kind: sigma_max and n_h (the figure is patched in place) and T and
    large jumps of sigma_max (the axes change, so the background is redrawn).
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m rnncourse.bench explorer")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the list of slider changes")
    args = parser.parse_args(list(argv or []))

    rng = np.random.default_rng(0)
    grad_changes = [("sigma", s) for s in (0.8, 0.95, 1.0, 1.05, 1.2, 0.5, 1.6, 2.0, 0.9)]
    grad_changes += [("seq_len", T) for T in (60, 100, 200, 50)]
    grad_changes += [("n_hidden", n) for n in (8, 32, 16)]
    grad_changes += [("activation", a) for a in ("sigmoid", "relu", "linear", "tanh")]
    cases = [
        ("gradient (rnn)", lambda: gradient_explorer(), grad_changes),
        ("gradient (rnn, lstm, gru)", lambda: gradient_explorer(cells=("rnn", "lstm", "gru")), grad_changes),
        (
            "clipping",
            lambda: clipping_explorer(),
            [("threshold", x) for x in (0.05, 0.2, 0.5, 0.1)] + [("lr", x) for x in (2.0, 8.0, 12.0, 5.0)],
        ),
        (
            "shapes",
            lambda: shape_explorer(),
            [("n_hidden", n) for n in (8, 20, 7)] + [("batch", 32), ("seq_len", 20), ("n_in", 5)],
        ),
        (
            "hidden state",
            lambda: hidden_state_explorer(rng.standard_normal((20, 3, 2)), rnn.init_params(3, 8)),
            [("t", t) for t in (2, 5, 9, 14, 20, 1)],
        ),
    ]
    print(f"explorer callback time (slider change -> new PNG), median over {args.rounds} rounds")
    for name, make, changes in cases:
        ex = make()
        _time_changes(ex, changes)  # warm up
        times = []
        for _ in range(args.rounds):
            times += _time_changes(ex, changes)
        t = np.array(times) * 1e3
        print(
            f"  {name:26s} median {np.median(t):6.1f} ms   90th percentile {np.percentile(t, 90):6.1f} ms"
            f"   ({len(t)} changes)"
        )
    return 0
