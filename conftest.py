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
  that the browser's Run All finds their trainings done; the browser test files that open
  no course notebook go between the short notebooks' browser checks; then the longest
  test files.
- Every figure a notebook shows under nbval is checked for legibility and colour
  (``tests/nbval_figures.py``): a figure that fails makes its cell fail.
"""

import functools
import os
import re
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
#: Test files that take longest, slowest first (10-40 s each on 2 cores): sent out after the
#: notebooks and before the short files, so that the run does not end on one long file while
#: the other worker is idle. As above, a file missing here is only sent later.
SLOW_FILES = ["tests/test_quiz_fuzz.py", "tests/test_nbgrader_roundtrip.py", "tests/test_figures.py",
              "tests/test_quiz_consistency.py", "tests/test_explorers.py"]  # fmt: skip
#: Browser test files that open no notebook of the course (the checks shown to fail, the
#: server's safeguards, the scratch exercises), longest first. They wait on the page more than
#: they compute, so each is sent out between two of the short notebooks' browser checks, to run
#: beside one of those on the other worker: beside a unit test, the second core stood idle.
BROWSER_FILES = ["tests/browser/test_notebooks_in_browser.py", "tests/browser/test_lab_server.py",
                 "tests/browser/test_exercises_in_browser.py"]  # fmt: skip


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


@functools.cache
def _short_notebooks() -> list[str]:
    """The notebooks not in SLOW_FIRST, in the order of their names."""
    return [p.stem for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if p.stem not in SLOW_FIRST]


@functools.cache
def _explorer_homes() -> dict[str, str]:
    """Explorer name -> the first notebook that shows it (``explorers.shape_explorer`` is "shapes")."""
    from tests.browser.lab import explorer_homes

    return explorer_homes(ROOT / "notebooks")


def group_of(nodeid: str) -> tuple[float, str]:
    """The group a test runs in (one worker runs a whole group), and the rank of its group in the run.

    Read from the test's node id alone, as xdist's scheduler sees it: the cells of a
    notebook (``notebooks/NN_x.ipynb::Cell 3``); the browser checks and exercises of a
    notebook (``tests/browser/...::test_y[NN_x.ipynb]``, ``[NN_x-exercise]``, and an
    explorer's latency with the notebook that shows it); otherwise the test's file.
    """
    path, _, rest = nodeid.partition("::")
    param = rest[rest.index("[") + 1 : -1] if rest.endswith("]") and "[" in rest else ""
    stem = None
    if path.startswith("notebooks/") and path.endswith(".ipynb"):
        stem, kind, group = Path(path).stem, 0, path
    elif path.startswith("tests/browser/") and param:
        stem = _explorer_homes().get(param) if rest.startswith("test_explorer_latency") else None
        if stem is None and re.match(r"\d\d_\w+", param):
            stem = re.match(r"\d\d_[a-z0-9_]+?(?=\.ipynb$|-|$)", param).group(0)
        kind, group = 1, f"browser:{stem}"
    if stem is None:
        if path in BROWSER_FILES:  # after the 1st, 3rd, 5th ... short notebook's browser checks
            return 100 + len(SLOW_FIRST) + 2 * BROWSER_FILES.index(path) + 0.5, path
        return (200 + SLOW_FILES.index(path) if path in SLOW_FILES else 300), path
    if stem in SLOW_FIRST:
        rank = SLOW_FIRST.index(stem)
    elif kind == 1 and stem in _short_notebooks():  # in name order, the browser files between them
        rank = len(SLOW_FIRST) + _short_notebooks().index(stem)
    else:
        rank = len(SLOW_FIRST)
    return kind * 100 + rank, group


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under ``--dist loadgroup``: the groups of `group_of`, sent in the order of the collection."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class NotebookGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)[1]

    return NotebookGroups(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The long groups first; within a group, the order of collection."""
    if getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        order = {id(item): i for i, item in enumerate(items)}
        items.sort(key=lambda item: (group_of(item.nodeid)[0], order[id(item)]))


#: Lines for the end of the run, by section: what tests add to their ``user_properties`` as
#: ``("rnncourse-summary", (section, line))``, gathered from every xdist worker's reports.
_SUMMARY: dict[str, dict[str, None]] = {}


def pytest_runtest_logreport(report):
    for key, value in getattr(report, "user_properties", ()):
        if key == "rnncourse-summary":
            section, line = value
            _SUMMARY.setdefault(section, {})[line] = None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for section, lines in _SUMMARY.items():
        terminalreporter.section(section)
        for line in sorted(lines):
            terminalreporter.write_line(line)
