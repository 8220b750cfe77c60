"""The installed package holds the course only: its core imports NumPy alone, and the tooling
(browser driver, benchmarks, figure builder) lives beside it and still runs from a checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The modules that must import without the drawing, widget and browser libraries.
CLEAN = [
    "rnncourse",
    "rnncourse.rnn",
    "rnncourse.cells",
    "rnncourse.losses",
    "rnncourse.optim",
    "rnncourse.gradcheck",
    "rnncourse.dims",
    "rnncourse.gradients",
    "rnncourse.tasks",
    "rnncourse.models",
    "rnncourse.timing",
    "rnncourse.text",
]
HEAVY = ("matplotlib", "ipywidgets", "playwright")

_PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))))
"""


@pytest.mark.parametrize("module", CLEAN)
def test_core_module_imports_no_heavy_library(module):
    reply = subprocess.run(
        [sys.executable, "-c", _PROBE, module, *HEAVY], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert reply.returncode == 0, f"import {module} failed:\n{reply.stderr}"
    loaded = json.loads(reply.stdout.strip().splitlines()[-1])
    assert not loaded, f"import {module} also imports {loaded}; import them inside the functions that draw"


def test_the_probe_sees_a_heavy_import():
    """The check above can fail: a module that imports matplotlib is caught."""
    reply = subprocess.run(
        [sys.executable, "-c", _PROBE, "matplotlib.colors", *HEAVY],
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(reply.stdout.strip().splitlines()[-1]) == ["matplotlib"]


def test_tooling_is_not_in_the_package():
    package = ROOT / "rnncourse"
    for name in ("labdriver.py", "bench.py", "bench_ui.py", "figures.py"):
        assert not (package / name).exists(), f"rnncourse/{name} is tooling: it belongs outside the package"
    assert (ROOT / "tests" / "browser" / "lab.py").is_file()
    assert (ROOT / "benchmarks" / "__main__.py").is_file()
    assert (ROOT / "tools" / "figures" / "__init__.py").is_file()


def test_only_rnncourse_is_shipped():
    from setuptools import find_packages

    try:
        import tomllib  # Python >= 3.11
    except ModuleNotFoundError:
        tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml needs tomllib or tomli")

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    include = config["packages"]["find"]["include"]
    shipped = find_packages(where=str(ROOT), include=include)
    assert "rnncourse" in shipped
    assert all(p == "rnncourse" or p.startswith("rnncourse.") for p in shipped), shipped
    assert "bank/*.json" in config["package-data"]["rnncourse.quiz"]


def test_browser_driver_imports_from_a_checkout_for_the_ui_benchmark():
    reply = subprocess.run(
        [sys.executable, "-m", "benchmarks", "ui", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert reply.returncode == 0, reply.stderr
    assert "--changes" in reply.stdout


@pytest.mark.benchmark
@pytest.mark.parametrize(
    "what",
    [
        ["concat", "--repeats", "5"],
        ["explorer", "--rounds", "1"],
        ["rnn", "--repeats", "2"],
        ["charlm", "--repeats", "2", "--k", "8"],
    ],
)
def test_benchmark_runs(what):
    reply = subprocess.run(
        [sys.executable, "-m", "benchmarks", *what], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert reply.returncode == 0, reply.stderr
    assert reply.stdout.strip()


def test_the_run_order_names_files_and_notebooks_that_exist():
    """The slow-first lists of conftest.py order the run; a stale name would silently go last."""
    import conftest

    assert [p for p in conftest.SLOW_FILES if not (ROOT / p).is_file()] == []
    assert [s for s in conftest.SLOW_FIRST if not (ROOT / "notebooks" / f"{s}.ipynb").is_file()] == []
    ranks = [conftest.group_of(f"{p}::test_x")[0] for p in conftest.SLOW_FILES]
    assert ranks == sorted(ranks) and max(ranks) < conftest.group_of("tests/test_rnn.py::test_x")[0]
    assert [p for p in conftest.BROWSER_FILES if not (ROOT / p).is_file()] == []


def test_browser_files_run_between_the_short_notebooks_browser_checks():
    """Each browser test file that opens no course notebook is sent out after a short notebook's
    browser checks, after the slow notebooks' and before the unit test files."""
    import conftest

    browser = "tests/browser/test_notebooks_in_browser.py::test_runs_without_errors[{}.ipynb]"
    short = {f"browser:{s}": browser.format(s) for s in conftest._short_notebooks()}
    files = {p: f"{p}::test_x" for p in conftest.BROWSER_FILES}
    rank = {group: conftest.group_of(nodeid)[0] for group, nodeid in {**short, **files}.items()}
    order = sorted(rank, key=rank.get)
    first, second, third = conftest.BROWSER_FILES
    assert order[:8] == [*list(short)[:1], first, *list(short)[1:3], second, *list(short)[3:5], third]
    slow = conftest.group_of(browser.format(conftest.SLOW_FIRST[-1]))[0]
    assert slow < min(rank.values()) and max(rank.values()) < conftest.group_of("tests/test_quiz.py::t")[0]
