"""Test-wide settings: quiz answers given during the tests never reach the learner's own progress file,
and an internal error of a quiz checker fails the test instead of becoming a polite message."""

import os
import tempfile
from pathlib import Path

_tmp = tempfile.mkdtemp(prefix="rnncourse-test-")


def pytest_configure(config):
    # Read by rnncourse.progress at call time, and inherited by the notebook kernels nbval starts.
    os.environ["RNNCOURSE_PROGRESS"] = str(Path(_tmp) / "progress.sqlite3")
    # Read by rnncourse.quiz at every check (and inherited by the kernels): learners never set it.
    os.environ["RNNCOURSE_STRICT"] = "1"
