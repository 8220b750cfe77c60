"""pyproject.toml and environment.yml name the same packages, so they cannot drift."""

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def _conda_dependencies() -> list[str]:
    """The top-level conda dependencies of environment.yml (a small, fixed format)."""
    deps, in_deps = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        if in_deps and re.match(r"^  - [^ ]", line) and not line.strip().endswith(":"):
            deps.append(line.strip()[2:])
        elif in_deps and line and not line.startswith(" "):
            break
    return deps


def test_environment_and_pyproject_name_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
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
