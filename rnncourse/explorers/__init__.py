"""Slider explorers for the notebooks: change a number, see what the network does.

Every explorer follows one protocol (`rnncourse.explorers.base.Explorer`): named
controls in ``.sliders``, a ``.state`` dict of numbers recomputed by ``.update()``, a
persistent Agg figure shown as PNG (``.render()``, ``.png()``), ``.values()``,
``.summary()``, and display as the widget in JupyterLab.

=================================  ==========================================  ===========
explorer                           shows                                       notebook
=================================  ==========================================  ===========
`hidden_state_explorer`            a_1 ... a_t as a heat map, step by step     02
`shape_explorer`                   every shape and parameter count             05
`melody_explorer`                  a generated melody, drawn and playable      09
`gradient_explorer`                ||dL/da_t|| against t, with the bound       10, 11
`clipping_explorer`                gradient descent near a cliff, clipped      10
`text_explorer`                    a sample of generated text, by temperature  12
=================================  ==========================================  ===========

Importing this package loads NumPy only; matplotlib and ipywidgets are imported when
an explorer is built.
"""

from .base import Explorer
from .clipping import ClippingExplorer, clipping_explorer
from .gradient import GradientExplorer, gradient_explorer
from .hidden_state import HiddenStateExplorer, hidden_state_explorer
from .melody import MelodyExplorer, melody_explorer
from .shapes import ShapeExplorer, shape_explorer
from .text import TextExplorer, text_explorer

__all__ = [
    "Explorer",
    "ShapeExplorer",
    "HiddenStateExplorer",
    "GradientExplorer",
    "ClippingExplorer",
    "MelodyExplorer",
    "TextExplorer",
    "shape_explorer",
    "hidden_state_explorer",
    "gradient_explorer",
    "clipping_explorer",
    "melody_explorer",
    "text_explorer",
]
