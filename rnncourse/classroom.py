"""The course as an nbgrader assignment set: ``python -m rnncourse nbgrader DIR``.

nbgrader (https://nbgrader.readthedocs.io) is the grading engine that JupyterHub
classes already use. This module writes a ready course directory for it:

    DIR/nbgrader_config.py
    DIR/source/<notebook>/<notebook>.ipynb   one assignment per notebook with exercises
    DIR/source/<notebook>/img/*.png          the figures that notebook shows

In the course notebooks every exercise is two cells, marked in their metadata:

- the *stub* (``{"rnncourse": {"exercise": ID, "role": "stub"}}``): a function
  with its docstring that ends in ``raise NotImplementedError``;
- the *check* (``{"rnncourse": {"exercise": ID, "role": "check"}}``): one call
  of a checker from `rnncourse.exercises`.

In the assignment the stub becomes an nbgrader solution cell: the course's
reference body from `rnncourse.exercises.solutions` sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION``, which ``nbgrader
generate_assignment`` replaces by ``raise NotImplementedError()`` for the
students. The check becomes a locked, autograded cell worth the exercise's
points; it calls the same checker, so a student sees the diagnosis of the bug
and never the model solution. Every other cell is locked, so autograding runs
the course's own text and code, not an edited copy.

This module does not import nbgrader: it only writes files, and it writes only
into a folder that is empty or that it wrote before (it keeps a list of its
files there and touches no other).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import textwrap
from pathlib import Path
from typing import Any

__all__ = ["POINTS", "assert_passed", "exercise_cells", "to_assignment", "write_course", "main"]

# Points per exercise: BPTT is the centrepiece of the course.
POINTS = {
    "cell_forward": 2,
    "forward": 3,
    "backward": 5,
    "sample": 2,
    "clip_by_norm": 2,
    "lstm_cell_forward": 3,
    "embedding_backward": 3,
}
DEFAULT_POINTS = 2
MANIFEST = ".rnncourse-nbgrader.json"  # the files this module wrote into DIR
_IMG = re.compile(r"\(\.\./img/([A-Za-z0-9_.-]+\.png)\)")

CONFIG = '''\
"""nbgrader configuration for the rnncourse course, written by `python -m rnncourse nbgrader`."""

import os

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "rnncourse"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# What a student finds where a solution was.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
# Checks run while grading are recorded here, not in the grader's own progress file.
os.environ.setdefault("RNNCOURSE_PROGRESS", os.path.join(c.CourseDirectory.root, "grading_progress.sqlite3"))
'''


def assert_passed(feedback: Any) -> None:
    """Print a checker's feedback and fail the cell unless it says correct (autograded cells call this)."""
    print(str(feedback))
    if not getattr(feedback, "correct", False):
        raise AssertionError("The check above did not pass; its message says what to change.")


# ---------------------------------------------------------------------------
# Reading the course notebooks
# ---------------------------------------------------------------------------
def _marker(cell: dict) -> dict:
    mark = cell.get("metadata", {}).get("rnncourse", {})
    return mark if isinstance(mark, dict) else {}


def exercise_cells(nb: dict) -> dict[str, dict[str, int]]:
    """The exercises of a notebook: ``{exercise id: {"stub": cell index, "check": cell index}}``.

    Raises ValueError when an exercise lacks its stub or its check, or has two of either.
    """
    found: dict[str, dict[str, int]] = {}
    for i, cell in enumerate(nb.get("cells", [])):
        mark = _marker(cell)
        if "exercise" not in mark:
            continue
        ex, role = str(mark["exercise"]), mark.get("role")
        if role not in ("stub", "check"):
            raise ValueError(f"cell {i}: exercise {ex!r} has role {role!r}; it must be 'stub' or 'check'.")
        if role in found.setdefault(ex, {}):
            raise ValueError(
                f"cell {i}: exercise {ex!r} has a second {role} cell (the first is cell {found[ex][role]})."
            )
        found[ex][role] = i
    for ex, roles in found.items():
        for role in ("stub", "check"):
            if role not in roles:
                raise ValueError(f"exercise {ex!r} has no {role} cell.")
        if roles["check"] < roles["stub"]:
            raise ValueError(f"exercise {ex!r}: its check (cell {roles['check']}) comes before its stub.")
    return found


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _function_name(stub: str, exercise: str) -> str:
    tree = ast.parse(stub)
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    if len(names) != 1:
        raise ValueError(
            f"exercise {exercise!r}: the stub cell must define exactly one function, found {names}."
        )
    return names[0]


def _reference_body(name: str, solutions: Any) -> str:
    """The body of solutions.<name> without its docstring, dedented."""
    fn = getattr(solutions, name, None)
    if fn is None:
        raise ValueError(f"{solutions.__name__} has no reference solution named {name!r}.")
    src = textwrap.dedent(inspect.getsource(fn))
    node = ast.parse(src).body[0]
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]  # the docstring
    lines = src.splitlines()
    start = body[0].lineno - 1
    return textwrap.dedent("\n".join(lines[start : node.end_lineno]))


def solution_cell_source(stub: str, exercise: str, solutions: Any) -> str:
    """The stub with its ``raise NotImplementedError`` replaced by the marked reference body."""
    name = _function_name(stub, exercise)
    lines = stub.rstrip("\n").splitlines()
    raises = [i for i, line in enumerate(lines) if line.strip().startswith("raise NotImplementedError")]
    if not raises:
        raise ValueError(
            f"exercise {exercise!r}: the stub has no `raise NotImplementedError` line to replace."
        )
    i = raises[-1]
    # The learner's "your code here" comments just above the raise go with it.
    while i > 0 and lines[i - 1].strip().startswith("#"):
        i -= 1
    indent = lines[raises[-1]][: len(lines[raises[-1]]) - len(lines[raises[-1]].lstrip())]
    body = textwrap.indent(_reference_body(name, solutions), indent)
    block = [f"{indent}### BEGIN SOLUTION", *body.splitlines(), f"{indent}### END SOLUTION"]
    return "\n".join(lines[:i] + block + lines[raises[-1] + 1 :]) + "\n"


def check_cell_source(check: str) -> str:
    expr = check.strip()
    try:
        ast.parse(expr, mode="eval")
    except SyntaxError as e:
        raise ValueError(f"a check cell must be one expression (a checker call), not:\n{check}") from e
    return (
        "# Autograded: the course's checker runs your function and prints what is wrong, if anything.\n"
        "from rnncourse.classroom import assert_passed\n\n"
        f"assert_passed({expr})\n"
    )


# ---------------------------------------------------------------------------
# Writing the assignment
# ---------------------------------------------------------------------------
def _nbgrader(grade_id: str, *, solution: bool = False, grade: bool = False, points: float = 0) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def to_assignment(nb: dict, stem: str, solutions: Any = None) -> tuple[dict, list[str]]:
    """An nbgrader source notebook made from a course notebook.

    Returns the new notebook (a dict in nbformat 4) and the image files it shows.
    """
    if solutions is None:
        solutions = importlib.import_module("rnncourse.exercises.solutions")
    exercises = exercise_cells(nb)
    if not exercises:
        raise ValueError(f"{stem} has no exercises.")
    roles = {i: (ex, role) for ex, r in exercises.items() for role, i in r.items()}
    out = json.loads(json.dumps(nb))  # a deep copy
    images: list[str] = []
    for i, cell in enumerate(out["cells"]):
        src = _source(cell)
        cell.get("metadata", {}).pop("rnncourse", None)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if i in roles:
            ex, role = roles[i]
            if role == "stub":
                cell["source"] = solution_cell_source(src, ex, solutions)
                cell["metadata"]["nbgrader"] = _nbgrader(f"{ex}_solution", solution=True)
            else:
                cell["source"] = check_cell_source(src)
                cell["metadata"]["nbgrader"] = _nbgrader(
                    f"{ex}_check", grade=True, points=POINTS.get(ex, DEFAULT_POINTS)
                )
            continue
        if cell["cell_type"] == "markdown":
            images += _IMG.findall(src)
            cell["source"] = _IMG.sub(r"(img/\1)", src)
        cell["metadata"]["nbgrader"] = _nbgrader(f"{stem}_cell_{i:02d}")
    out["metadata"].pop("widgets", None)
    return out, sorted(set(images))


def _check_target(root: Path) -> set[str]:
    """The files written here before; refuse a folder that holds anything else."""
    manifest = root / MANIFEST
    if manifest.exists():
        return set(json.loads(manifest.read_text(encoding="utf-8")))
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(
            f"{root} is not empty and was not written by `python -m rnncourse nbgrader`; "
            "choose a new or empty folder (nothing in this one was changed)."
        )
    return set()


def write_course(root: str | Path, notebooks: str | Path, solutions: Any = None) -> list[Path]:
    """Write the nbgrader course directory `root` from the course notebooks in `notebooks`.

    Returns the source notebooks written. Files written here before are replaced;
    a file the course did not write is never touched (FileExistsError instead).
    """
    root, notebooks = Path(root).resolve(), Path(notebooks).resolve()
    img_dir = notebooks.parent / "img"
    ours = _check_target(root)
    written: list[Path] = []
    files: dict[Path, bytes] = {root / "nbgrader_config.py": CONFIG.encode()}
    for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        if not exercise_cells(nb):
            continue
        stem = path.stem
        out, images = to_assignment(nb, stem, solutions)
        target = root / "source" / stem / f"{stem}.ipynb"
        files[target] = (json.dumps(out, indent=1, ensure_ascii=False) + "\n").encode()
        for name in images:
            files[root / "source" / stem / "img" / name] = (img_dir / name).read_bytes()
        written.append(target)
    for path in files:
        rel = path.relative_to(root).as_posix()
        if path.exists() and rel not in ours:
            raise FileExistsError(f"{path} exists and was not written by the course; nothing was changed.")
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / MANIFEST).write_text(
        json.dumps(sorted(ours | {p.relative_to(root).as_posix() for p in files}), indent=1), encoding="utf-8"
    )
    return written


def default_notebooks() -> Path:
    """The course's notebooks folder beside the package (an editable install or a checkout)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def main(root: str | Path, notebooks: str | Path | None = None) -> int:
    """Write the course directory `root` and say what to do next; return the exit status."""
    nb_dir = Path(notebooks) if notebooks else default_notebooks()
    if not nb_dir.is_dir():
        print(
            f"No course notebooks at {nb_dir}. Run this from a checkout of the course "
            "(pip install -e .), or pass --notebooks PATH."
        )
        return 2
    try:
        written = write_course(root, nb_dir)
    except (FileExistsError, ValueError) as e:
        print(e)
        return 2
    root_path = Path(root).resolve()
    print(f"Wrote an nbgrader course with {len(written)} assignments to {root_path}:")
    for path in written:
        print(f"  {path.relative_to(root_path)}")
    print(
        f"\nNext: cd {root_path} && nbgrader generate_assignment {written[0].parent.name} "
        "(one per assignment) makes the student versions in release/."
    )
    return 0
