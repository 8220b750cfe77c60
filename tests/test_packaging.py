"""pyproject.toml and environment.yml name the same packages, so they cannot drift."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib  # Python >= 3.11
except ModuleNotFoundError:
    try:
        import tomli as tomllib  # Python 3.10: pytest depends on tomli there
    except ModuleNotFoundError:  # the small reader below is enough for these checks
        tomllib = None

ROOT = Path(__file__).resolve().parent.parent


def _toml_string_arrays(text: str) -> dict[str, list[str]]:
    """``name = ["a", "b", ...]`` arrays of one-line strings in a TOML file, by table and key.

    Enough for pyproject.toml's dependency lists; used where `tomllib` is missing.
    """
    arrays: dict[str, list[str]] = {}
    table = ""
    for match in re.finditer(r"^\[([^\]]+)\]\s*$|^([A-Za-z0-9_-]+)\s*=\s*\[(.*?)\]", text, re.M | re.S):
        if match.group(1):
            table = match.group(1).strip()
        else:
            items = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(3))
            arrays[f"{table}.{match.group(2)}"] = items
    return arrays


def _requirements() -> list[str]:
    """The run-time and test requirements named in pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text()
    if tomllib is None:
        arrays = _toml_string_arrays(text)
        return arrays["project.dependencies"] + arrays["project.optional-dependencies.test"]
    project = tomllib.loads(text)["project"]
    return project["dependencies"] + project["optional-dependencies"]["test"]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def _conda_dependencies() -> list[str]:
    """The dependencies of environment.yml (a small, fixed format): conda's, and those of its
    pip list other than the project itself (a package conda-forge does not have goes there)."""
    deps, in_deps = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        if in_deps and re.match(r"^  - [^ ]", line) and not line.strip().endswith(":"):
            deps.append(line.strip()[2:])
        elif in_deps and re.match(r"^      - [^-]", line):
            deps.append(line.strip()[2:])
        elif in_deps and line and not line.startswith(" "):
            break
    return deps


def test_environment_and_pyproject_name_the_same_packages():
    pip_side = {_name(r) for r in _requirements()}
    conda_side = {_name(d) for d in _conda_dependencies()} - {"python", "pip"}
    assert conda_side, "no dependencies read from environment.yml"
    assert pip_side == conda_side, (
        f"only in pyproject.toml: {sorted(pip_side - conda_side)}; "
        f"only in environment.yml: {sorted(conda_side - pip_side)}"
    )


def test_environment_installs_the_project_with_its_test_extra():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r'- pip:\n\s+- -e "\.\[test\]"', text)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    command = 'pip install -e ".[test]" && pytest'
    assert command in readme
    assert command in ci


@pytest.mark.skipif(tomllib is None, reason="compares the fallback reader with tomllib")
def test_the_fallback_toml_reader_agrees_with_tomllib():
    text = (ROOT / "pyproject.toml").read_text()
    project = tomllib.loads(text)["project"]
    arrays = _toml_string_arrays(text)
    assert arrays["project.dependencies"] == project["dependencies"]
    assert arrays["project.optional-dependencies.test"] == project["optional-dependencies"]["test"]


def _minimum_python(text: str, pattern: str) -> str:
    found = re.search(pattern, text)
    assert found, f"no minimum Python version found by {pattern!r}"
    return found.group(1)


def test_readme_environment_and_pyproject_name_the_same_minimum_python():
    pyproject = _minimum_python((ROOT / "pyproject.toml").read_text(), r'requires-python = ">=(3\.\d+)"')
    conda = _minimum_python((ROOT / "environment.yml").read_text(), r"- python>=(3\.\d+)")
    readme = _minimum_python((ROOT / "README.md").read_text(), r"Python (3\.\d+) or newer")
    assert pyproject == conda == readme


def test_the_tests_import_nothing_newer_than_the_minimum_python():
    """Modules added to the standard library after the minimum Python need a fallback."""
    newer = {"tomllib": "3.11"}
    for path in sorted((ROOT / "tests").glob("*.py")) + [ROOT / "conftest.py"]:
        for name in newer:
            for line in path.read_text().splitlines():
                if re.match(rf"\s*import {name}\b|\s*from {name} import", line):
                    assert "try:" in path.read_text() and "ModuleNotFoundError" in path.read_text(), (
                        f"{path.name} imports {name} (Python {newer[name]}+) without a fallback"
                    )


PLOT_NOTEBOOK_CELL = """import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(2, 1))
ax.plot([0, 1], [0, 1])
plt.show()"""


@pytest.mark.skipif(
    shutil.which("jupyter") is None and not (Path(sys.prefix) / "bin" / "jupyter").exists(),
    reason="needs a Jupyter kernel",
)
def test_notebook_figures_are_checked_whatever_mplbackend_says(tmp_path):
    """nbval kernels draw inline even when the environment sets MPLBACKEND=Agg."""
    nbformat = pytest.importorskip("nbformat")
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    cell = nbformat.v4.new_code_cell(PLOT_NOTEBOOK_CELL, execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/plain": "<Figure size 200x100 with 1 Axes>", "image/png": ""}
        )
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "plot.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["MPLBACKEND"] = "Agg"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:tests.nbval_figures",  # its checks are not what this test is about, and tests/ is not here
            "plot.ipynb",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
