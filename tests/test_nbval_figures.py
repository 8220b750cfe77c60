"""The figure check inside nbval's kernels (`nbval_figures.py`) fails the cell that shows a bad figure.

One pytest run (pytester, in this process) of nbval on a three-cell notebook: a figure shown
with ``plt.show()``, one left for the end of the cell, both with two lines told apart
by colour alone, 7 pt legends in a 14-inch figure and matplotlib's default colours;
and a figure drawn with the palette, which passes. One kernel: about 8 s of CPU.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent

BAD = """\
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(14, 3))
ax.plot([0, 1], [0, 1], label="up")
ax.plot([0, 1], [1, 0], label="down")
ax.legend(fontsize=7)
"""

GOOD = """\
from rnncourse import palette
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot([0, 1], [0, 1], label="up", **palette.series(0))
ax.plot([0, 1], [1, 0], label="down", **palette.series(1))
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
plt.show()
"""


@pytest.fixture
def notebook(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel must use the inline backend
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (BAD + "plt.show()\n", BAD, GOOD)]
    path = tmp_path / "figures.ipynb"
    nbformat.write(nb, path)
    return path


def test_cells_showing_unreadable_figures_fail_and_a_readable_one_passes(pytester, notebook):
    result = pytester.runpytest(
        "--nbval",
        "--nbval-current-env",
        "-p",
        "tests.nbval_figures",
        "-p",
        "no:cacheprovider",
        "-rA",
        str(notebook),
    )
    out = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout.str())  # nbval colours its tracebacks
    result.assert_outcomes(failed=2, passed=1)
    summary = sorted(  # the -rA lines, such as "FAILED .../figures.ipynb::Cell 0 - Notebook cell ..."
        line.split()[0] + " " + line.split("::")[1].split(" - ")[0]
        for line in out.splitlines()
        if line.startswith(("PASSED ", "FAILED "))
    )
    assert summary == ["FAILED Cell 0", "FAILED Cell 1", "PASSED Cell 2"], out[-3000:]
    assert out.count("FigureNotReadable: figure") >= 2, out[-3000:]
    for problem in ("differ only in colour", "below 8 pt", "#1f77b4, not one of rnncourse.palette"):
        assert problem in out, f"{problem!r} not reported:\n{out[-3000:]}"
