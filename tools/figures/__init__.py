"""Draw every figure in `img/`: the diagrams the notebooks show.

Each `draw_*` function builds and returns a `matplotlib.figure.Figure` (never a
pyplot figure, so nothing leaks into anyone's plotting state, and no backend
has to be chosen). `FIGURES` maps each file name in `img/` to the function that
draws it, and, from the root of a checkout,

    python -m tools.figures              # regenerate all of img/
    python -m tools.figures --only bptt_flow.png

regenerates the files (``python tools/figures`` does the same). One module per
family of diagrams: `primitives` (boxes, arrows, grids), `recurrence`, `tensors`,
`rnn_types`, `gradients`, `gates`. The colours come from `rnncourse.palette`:
inputs blue, hidden states green, outputs vermillion, the recurrent weight
`W_R` red, gradients purple, forward arrows grey. Labels use the course notation:
layer `l` has `n_l` neurons, `a_t^l = f(W_F^l a_t^{l-1} + W_R^l a_{t-1}^l + b^l)`,
`a_t^0 = x_t`, batch in columns, `X` of shape `(T, n_0, m)`.

This is a tool beside the course, not part of the installed package.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from .gates import draw_gru_cell, draw_lstm_cell
from .gradients import draw_bptt_flow, draw_clipping, draw_jacobian_chain
from .primitives import COLORS, DPI
from .recurrence import draw_ff_vs_rnn, draw_layers_time_grid, draw_rnn_unrolled
from .rnn_types import (
    draw_rnn_encoder_decoder,
    draw_rnn_many_to_many,
    draw_rnn_many_to_one,
    draw_rnn_one_to_many,
    draw_rnn_types,
)
from .tensors import draw_batch_tensor, draw_concat_matrix, draw_padding_mask

__all__ = ["COLORS", "DPI", "FIGURES", "IMG_DIR", "draw_all", "main", "save_figure"]

#: File name in img/ -> the function that draws it.
FIGURES: dict[str, Callable[[], Figure]] = {
    "ff_vs_rnn.png": draw_ff_vs_rnn,
    "rnn_unrolled.png": draw_rnn_unrolled,
    "layers_time_grid.png": draw_layers_time_grid,
    "batch_tensor.png": draw_batch_tensor,
    "concat_matrix.png": draw_concat_matrix,
    "rnn_many_to_one.png": draw_rnn_many_to_one,
    "rnn_many_to_many.png": draw_rnn_many_to_many,
    "rnn_encoder_decoder.png": draw_rnn_encoder_decoder,
    "rnn_one_to_many.png": draw_rnn_one_to_many,
    "rnn_types.png": draw_rnn_types,
    "bptt_flow.png": draw_bptt_flow,
    "padding_mask.png": draw_padding_mask,
    "jacobian_chain.png": draw_jacobian_chain,
    "lstm_cell.png": draw_lstm_cell,
    "gru_cell.png": draw_gru_cell,
    "clipping.png": draw_clipping,
}

#: The repository's img/ folder.
IMG_DIR = Path(__file__).resolve().parents[2] / "img"


def save_figure(name: str, outdir: str | Path = "img") -> Path:
    """Draw the figure registered as `name` and save it to `outdir/name`; return the path.

    Saved at `DPI` with no software or date metadata, so regenerating gives the same
    bytes on the same matplotlib version.
    """
    if name not in FIGURES:
        raise KeyError(f"no figure named {name!r}; known figures: {', '.join(sorted(FIGURES))}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / name
    fig = FIGURES[name]()
    fig.savefig(path, dpi=DPI, facecolor="white", metadata={"Software": None})
    return path


def draw_all(outdir: str | Path = "img") -> list[Path]:
    """Draw every registered figure into `outdir`; return the paths written."""
    return [save_figure(name, outdir) for name in FIGURES]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.figures", description="Regenerate the course figures in img/."
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="draw only this figure (file name, .png optional); may be repeated",
    )
    parser.add_argument("--outdir", default=str(IMG_DIR), help="output folder (default: img/)")
    args = parser.parse_args(argv)
    names = list(FIGURES)
    if args.only:
        names = [n if n.endswith(".png") else n + ".png" for n in args.only]
        unknown = [n for n in names if n not in FIGURES]
        if unknown:
            parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    for name in names:
        print(save_figure(name, args.outdir))
