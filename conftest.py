"""Test-wide settings.

- Quiz answers given during the tests never reach the learner's own progress file.
- An internal error of a quiz or exercise checker fails the test instead of
  becoming a polite message (``RNNCOURSE_STRICT``, which learners never set).
- The notebook kernels nbval starts inherit this process's environment. A
  ``MPLBACKEND`` set outside (``MPLBACKEND=Agg`` is common on servers and in CI)
  would make ``plt.show()`` in a kernel draw nothing, so the stored figures would
  be missing; it is removed so that the kernels use their inline backend.
- One BLAS thread per process (``OPENBLAS_NUM_THREADS=1``) unless set outside.
- Each training a notebook does is computed once per run (``rnncourse.cache``): the
  kernels nbval starts and those of the browser tests' JupyterLab share one folder,
  ``RNNCOURSE_TEST_CACHE``, made by the first process of the run and removed by it at
  the end. The unit tests in ``tests/`` never use it: they run every training they check.
- Under pytest-xdist (``-n``, on by default), tests are sent to the workers in groups:
  the cells of one notebook, the browser checks of one notebook, the tests of one file.
  The notebooks that train the longest go first, nbval's runs before the browser's, so
  that the browser's Run All finds their trainings done.
- Every figure a notebook shows under nbval is checked for legibility and colour
  (``tests/nbval_figures.py``): a figure that fails makes its cell fail.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["tests.nbval_figures", "pytester"]

_tmp = tempfile.mkdtemp(prefix="rnncourse-test-")
ROOT = Path(__file__).resolve().parent
TEST_CACHE_ENV = "RNNCOURSE_TEST_CACHE"  # the same name as tests/browser/lab.py's

#: Notebooks that take longest to run, slowest first. Only the order of the run depends on
#: it: a notebook missing here runs after these, none is left out.
SLOW_FIRST = ["12_char_language_model", "08_training", "11_lstm_gru_preview", "09_one_to_many",
              "10_vanishing_gradients", "06_simplified_notation"]  # fmt: skip


def pytest_configure(config):
    # Read by rnncourse.progress at call time, and inherited by the notebook kernels nbval starts.
    os.environ["RNNCOURSE_PROGRESS"] = str(Path(_tmp) / "progress.sqlite3")
    # Without MPLBACKEND, ipykernel selects matplotlib's inline backend, as in JupyterLab.
    os.environ.pop("MPLBACKEND", None)
    # The course's matrices are small: one BLAS thread per process is as fast, and keeps the
    # notebooks' own "training took far longer than expected" guards meaningful when the
    # tests run in parallel on a machine with few cores.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Read by rnncourse.quiz at every check (and inherited by the kernels): learners never set it.
    os.environ["RNNCOURSE_STRICT"] = "1"
    # Made once, by the first process of the run; xdist's workers inherit it.
    if not os.environ.get(TEST_CACHE_ENV):
        os.environ[TEST_CACHE_ENV] = tempfile.mkdtemp(prefix="rnncourse-trainings-")
        config._rnncourse_made_cache = os.environ[TEST_CACHE_ENV]


def pytest_unconfigure(config):
    made = getattr(config, "_rnncourse_made_cache", None)
    if made:
        shutil.rmtree(made, ignore_errors=True)
        os.environ.pop(TEST_CACHE_ENV, None)


def _is_notebook_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """The kernel of a notebook starts in the setup of its first cell: it gets the cache folder."""
    if not (_is_notebook_cell(item) and os.environ.get(TEST_CACHE_ENV)):
        yield
        return
    os.environ["RNNCOURSE_CACHE"] = os.environ[TEST_CACHE_ENV]
    try:
        yield
    finally:
        os.environ.pop("RNNCOURSE_CACHE", None)


def _explorer_homes() -> dict[str, str]:
    """Explorer name -> the first notebook that shows it (``explorers.shape_explorer`` is "shapes")."""
    homes: dict[str, str] = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        for name in ("gradient", "shapes", "clipping", "hidden_state", "melody", "text"):
            if f"{name.removesuffix('s')}_explorer(" in text:
                homes.setdefault(name, path.name)
    return homes


def _group(item, homes: dict[str, str]) -> tuple[int, str]:
    """The xdist group of a test, and its rank in the run (lower runs earlier)."""
    path = Path(str(item.fspath)).resolve()
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()
    params = getattr(getattr(item, "callspec", None), "params", {})
    notebook = params.get("notebook")
    if notebook is None and isinstance(getattr(params.get("cells"), "notebook", None), str):
        notebook = params["cells"].notebook  # an exercise, done in the browser
    if notebook is None and "name" in params and "test_explorer_latency" in item.name:
        notebook = homes.get(params["name"])  # measured where its notebook's checks run
    if _is_notebook_cell(item):
        stem, kind = path.stem, 0
    elif isinstance(notebook, str) and rel.startswith("tests/browser/"):
        stem, kind = Path(notebook).stem, 1
        rel = f"browser:{notebook}"
    else:
        return 300, rel
    rank = SLOW_FIRST.index(stem) if stem in SLOW_FIRST else len(SLOW_FIRST)
    return kind * 100 + rank, rel


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Give every test an xdist group and put the long groups first (see the module's docstring)."""
    if not getattr(config.option, "numprocesses", None):
        return
    homes = _explorer_homes()
    ranked = []
    for index, item in enumerate(items):
        rank, group = _group(item, homes)
        item.add_marker(pytest.mark.xdist_group(group))
        ranked.append((rank, index, item))
    items[:] = [item for _, _, item in sorted(ranked, key=lambda r: (r[0], r[1]))]
