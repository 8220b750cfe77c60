"""The shape explorer of notebook 05: five sizes in, every shape and parameter count out.

`shape_explorer` has sliders for n_0, n_1 = n_h, n_2, m and T and shows, as an HTML
table, the shape of every array of a one-layer RNN with a softmax output
(`rnncourse.dims.rnn_shapes`) and how many parameters each layer has
(`rnncourse.dims.parameter_counts`). It draws no figure: a table is what it has to say.
"""

from __future__ import annotations

import html

from .. import dims
from ..palette import MUTED
from .base import Explorer

__all__ = ["ShapeExplorer", "shape_explorer"]


def _sub(name: str) -> str:
    """'W_F' -> 'W<sub>F</sub>' for the HTML tables."""
    if "_" not in name:
        return html.escape(name)
    base, sub = name.split("_", 1)
    return f"{html.escape(base)}<sub>{html.escape(sub)}</sub>"


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
                f'{td}<span style="color:{MUTED}">{meaning}</span></td></tr>'
            )
        count_rows = []
        for key, label in COUNT_ROWS.items():
            count_rows.append(
                f'<tr data-name="count-{key}">{td}{label}</td>'
                f'<td style="padding:1px 10px;text-align:right">{counts[key]:,}</td></tr>'
            )
        self.table.value = (
            '<div style="display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start;line-height:1.35">'
            '<table class="rnncourse-shapes"><tr><th>array</th><th>shape</th><th>what it is</th></tr>'
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
