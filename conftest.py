"""Test-wide settings.

- Quiz answers given during the tests never reach the learner's own progress file.
- An internal error of a quiz or exercise checker fails the test instead of
  becoming a polite message (``RNNCOURSE_STRICT``, which learners never set).
- The notebook kernels nbval starts inherit this process's environment. A
  ``MPLBACKEND`` set outside (``MPLBACKEND=Agg`` is common on servers and in CI)
  would make ``plt.show()`` in a kernel draw nothing, so the stored figures would
  be missing; it is removed so that the kernels use their inline backend.
- One BLAS thread per process (``OPENBLAS_NUM_THREADS=1``) unless set outside.
- Every figure a notebook shows under nbval is checked for legibility and colour
  (``tests/nbval_figures.py``): a figure that fails makes its cell fail.
"""

import os
import tempfile
from pathlib import Path

pytest_plugins = ["tests.nbval_figures", "pytester"]

_tmp = tempfile.mkdtemp(prefix="rnncourse-test-")


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
