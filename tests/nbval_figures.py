"""Every figure a notebook shows while nbval runs it passes the checks of `tests/legibility.py`.

A pytest plugin (loaded by the top-level conftest.py). When nbval has started the
kernel of a notebook, and before the notebook's first cell runs, it runs
`KERNEL_SETUP` in that kernel: this wraps the inline backend's ``show``, through which
both ``plt.show()`` and the figures flushed at the end of a cell pass. Each figure is
drawn and checked just before it is displayed; a figure with a problem raises
`FigureNotReadable` in the cell that shows it, and nbval fails that cell with the
message. The check reuses nbval's own run, so it costs one draw per figure
(about 0.2 s of CPU, less than making its PNG) instead of a second run of the notebooks.

With ``RNNCOURSE_FIGURE_LOG=file`` set, each figure checked adds a line of JSON to
the file: notebook, title, shown width, smallest text on screen and problems.
``pytest -p no:tests.nbval_figures`` runs the notebooks without the check.

Figures displayed another way (``display(fig)``, the explorers' widget outputs)
are not seen here; the explorers are checked by `test_figure_legibility.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests import legibility

#: Run once in each notebook kernel, before the notebook's first cell. The checkout is put
#: last on the path and taken off again, so the notebook imports rnncourse from where it would anyway.
KERNEL_SETUP = """
import sys as _sys
_sys.path.append({root!r})
from tests.nbval_figures import install as _install
_sys.path.remove({root!r})
_install({notebook!r})
del _sys, _install
"""


class FigureNotReadable(AssertionError):
    """A figure a notebook shows fails a check of tests/legibility.py."""


def check(fig, notebook: str = "") -> None:
    """Draw `fig` as the inline backend will show it and raise FigureNotReadable naming its problems."""
    fig.draw_without_rendering()
    width = legibility.shown_width(fig)
    found = legibility.problems(fig, width_in=width)
    title = next((ax.get_title() for ax in fig.axes if ax.get_title()), "untitled")
    log = os.environ.get("RNNCOURSE_FIGURE_LOG")
    if log:
        entry = {
            "notebook": notebook,
            "title": title,
            "width_in": round(width, 2),
            "smallest_pt": legibility.smallest_text(fig, width),
            "problems": found,
        }
        with open(log, "a") as f:
            f.write(json.dumps(entry) + "\n")
    if found:
        raise FigureNotReadable(f"figure {title!r}:\n  - " + "\n  - ".join(found))


def install(notebook: str = "") -> None:
    """In a notebook kernel: check every figure the inline backend shows, before it shows it."""
    import matplotlib_inline.backend_inline as inline
    from matplotlib._pylab_helpers import Gcf

    shown = inline.show
    if getattr(shown, "checks_figures", False):
        return

    def show(close=None, block=None):
        found = []
        for manager in Gcf.get_all_fig_managers():
            try:
                check(manager.canvas.figure, notebook)
            except FigureNotReadable as e:
                found.append(str(e))
        try:
            shown(close=close, block=block)  # shown and closed as usual, so the next cell starts clean
        finally:
            show._to_draw = []
        if found:
            raise FigureNotReadable("\n".join(found))

    show.checks_figures = True
    show._to_draw, show._draw_called = [], shown._draw_called
    inline.show = show  # flush_figures, at the end of each cell, calls the module's show
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and pyplot._backend_mod is not None:  # pyplot has copied the old show
        pyplot._backend_mod.show = staticmethod(show)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """After nbval has started a notebook's kernel: set the figure check up in it, once."""
    yield
    notebook = item.parent
    kernel = getattr(notebook, "kernel", None)
    if kernel is None or getattr(notebook, "figures_checked", False):
        return
    notebook.figures_checked = True
    setup = KERNEL_SETUP.format(root=str(Path(__file__).resolve().parent.parent), notebook=notebook.name)
    reply = kernel.kc.execute(setup, store_history=False, reply=True, timeout=60)
    kernel.await_idle(reply["parent_header"]["msg_id"], 60)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(
            f"could not set up the figure check in the kernel of {notebook.name}: "
            f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}"
        )
