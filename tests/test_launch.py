"""`python -m rnncourse lab`: opens the first notebook, with --allow-root only as root."""

from __future__ import annotations

import sys

from rnncourse import launch
from rnncourse.__main__ import main


def test_command_opens_the_first_notebook_with_this_python():
    cmd = launch.lab_command(root=False)
    assert cmd[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert cmd[4].endswith("notebooks/00_start_here.ipynb")
    assert "--allow-root" not in cmd


def test_allow_root_only_as_root():
    assert launch.lab_command(root=True)[-1] == "--allow-root"
    assert launch.lab_command(root=True, extra=["--allow-root"]).count("--allow-root") == 1
    assert launch.lab_command("05_dimensions.ipynb", ["--port", "8890"], root=False)[4:] == [
        str(launch.notebooks_dir() / "05_dimensions.ipynb"),
        "--port",
        "8890",
    ]


def test_options_after_double_dash_reach_jupyter(monkeypatch):
    seen = {}
    monkeypatch.setattr(launch.subprocess, "call", lambda cmd: seen.setdefault("cmd", cmd) and 0)
    assert main(["lab", "02_recurrence.ipynb", "--", "--no-browser", "--port", "8890"]) == 0
    assert seen["cmd"][4].endswith("02_recurrence.ipynb")
    assert seen["cmd"][-3:] == ["--no-browser", "--port", "8890"]


def test_jupyter_options_reach_jupyter_without_double_dash(monkeypatch):
    """`python -m rnncourse lab --no-browser` is what a learner on a server types first."""
    seen = []
    monkeypatch.setattr(launch.subprocess, "call", lambda cmd: seen.append(cmd) or 0)
    assert main(["lab", "--no-browser", "--port", "8890"]) == 0
    assert seen[-1][4].endswith("00_start_here.ipynb") and seen[-1][-3:] == ["--no-browser", "--port", "8890"]
    assert main(["lab", "05_dimensions.ipynb", "--no-browser"]) == 0
    assert seen[-1][4].endswith("05_dimensions.ipynb") and seen[-1][-1] == "--no-browser"
    assert main(["lab", "--no-browser", "--", "--port", "8890"]) == 0  # both ways at once
    assert seen[-1][-3:] == ["--no-browser", "--port", "8890"] and "--" not in seen[-1]


def test_a_missing_notebook_is_named(capsys):
    assert main(["lab", "99_nothing.ipynb"]) == 2
    assert "There is no notebook 99_nothing.ipynb" in capsys.readouterr().out


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`python -m rnncourse progress | head -1`: the pipe closes before the report is printed."""
    import os
    import subprocess

    read, write = os.pipe()
    os.close(read)  # every write to `write` now fails with EPIPE, as after head exits
    env = {**os.environ, "RNNCOURSE_PROGRESS": str(tmp_path / "progress.sqlite3")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "rnncourse", "progress"], stdout=write, stderr=subprocess.PIPE,
            env=env, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write)
    assert b"Traceback" not in done.stderr and b"BrokenPipeError" not in done.stderr, done.stderr.decode()
    assert done.returncode == 1
