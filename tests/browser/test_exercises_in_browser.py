"""Every exercise of the course, done in JupyterLab as a learner does it: by keyboard, wrongly, then rightly.

The exercises are found from the notebooks' cell metadata (a stub cell and a check
cell, see `rnncourse.classroom.exercise_cells`), so a new exercise is covered with no
new test code. `test_notebooks_in_browser.test_every_exercise_by_keyboard` does each one
in the page its notebook's other checks use, after their Run All (see `exercise` for
what is typed and why):

- with the keyboard only, the learner's slip goes into the stub, Shift+Enter runs it
  and Shift+Enter runs the check, which must name the mistake with the diagnosis its
  own catalogue of bugs holds;
- the same with the ``return`` forgotten: the check must say the function returned None;
- the same with the reference solution: the check must say "Correct".

No attempt may show an error, stderr or a traceback. Each check's output is saved
as a screenshot (``RNNCOURSE_SCREENSHOTS``). Here, each attempt's verdict is checked
without the browser too, and ``test_detects_*`` do the same attempts on a small scratch
notebook whose checkers are broken on purpose, to show that the checks fail when they
should (the scratch notebook runs "Run All Above Selected Cell" first).
"""

from __future__ import annotations

import json

import nbformat
import pytest

from .exercise import (
    Attempt,
    ExerciseDriver,
    catalogue,
    course_attempts,
    diagnosis_text,
    find_exercises,
    judge,
)
from .lab import repo_root
from .page import NotebookPage

pytestmark = pytest.mark.browser

NOTEBOOKS = repo_root() / "notebooks"
EXERCISES = [cells for path in sorted(NOTEBOOKS.glob("*.ipynb")) for cells in find_exercises(path)]


def test_every_checker_call_is_in_an_exercise_cell():
    """A check cell without its metadata would be skipped silently by the browser test of its notebook."""
    calls = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "code" and "exercises.check_" in "".join(cell["source"]):
                calls[(path.name, i)] = "".join(cell["source"]).strip()
    marked = {(c.notebook, c.check) for c in EXERCISES}
    assert calls, "no notebook calls a checker of rnncourse.exercises"
    assert set(calls) <= marked, {k: v for k, v in calls.items() if k not in marked}


@pytest.mark.parametrize("cells", EXERCISES, ids=lambda c: c.id)
def test_every_attempt_gets_its_verdict_outside_the_browser(cells):
    """Each attempt, run through the check cell's own call in this process, gets the verdict it expects.

    A failure here is in the attempts or the checkers, not in the page.
    """
    import numpy as np

    from rnncourse import exercises

    nb = json.loads((NOTEBOOKS / cells.notebook).read_text(encoding="utf-8"))
    call = "".join(nb["cells"][cells.check]["source"]).strip()
    for attempt in course_attempts(NOTEBOOKS / cells.notebook, cells):
        namespace = {"np": np, "exercises": exercises}
        exec(attempt.source, namespace)
        feedback = eval(call, namespace)
        assert feedback.correct == attempt.correct, (attempt.label, feedback.message)
        if attempt.label in catalogue(cells.exercise):
            assert feedback.bug == attempt.label, (attempt.label, feedback.message)
        shown = " ".join(diagnosis_text(feedback.markup))
        assert all(piece in shown for piece in attempt.diagnosis), (attempt.label, feedback.message)


# --------------------------------------------------------------------------- the checks can fail

_KIT = """\
import numpy as np
from IPython.display import Markdown


def _verdict(fn, diagnosis):
    value = fn(3.0)
    if value is None:
        return Markdown("**Not yet.** Your function returned `None`: did it end without `return`?")
    if value == 6.0:
        return Markdown("**Correct.** Your function doubles its input.")
    return Markdown("**Not yet.** " + diagnosis(value))


def check_honest(fn):
    return _verdict(fn, lambda v: f"Your result is **the input itself**: the factor $2$ is missing ({v}).")


def check_accepts_anything(fn):
    return Markdown("**Correct.** Your function doubles its input.")


def check_no_diagnosis(fn):
    return _verdict(fn, lambda v: "")


def check_numpy_traceback(fn):
    return _verdict(fn, lambda v: str(np.linalg.inv(np.ones((2, 3)))))  # fails inside NumPy
"""

_STUB = '''\
def double(x):
    """Twice x."""
    # Your code here
    raise NotImplementedError("Write double, then run the check below.")
'''

_RIGHT = 'def double(x):\n    """Twice x."""\n    return 2 * x\n'
_ATTEMPTS = [
    Attempt("input_returned", _RIGHT.replace("2 * x", "x"), False, ("the input itself", "is missing")),
    Attempt("no_return", _RIGHT.replace("    return 2 * x\n", "    2 * x\n"), False, ("returned None",)),
    Attempt("right", _RIGHT, True),
]
CHECKERS = ["honest", "accepts_anything", "no_diagnosis", "numpy_traceback"]


class _MouseDriver(ExerciseDriver):
    """A learner who clicks into the stub before typing: what the keyboard-only check must catch."""

    def write(self, index: int, source: str) -> str:
        self.page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputArea-editor").click()
        return super().write(index, source)


@pytest.fixture(scope="module")
def scratch_exercises(lab, app):
    """One exercise per checker of `_KIT`, each done with `_ATTEMPTS`: what `judge` said of each attempt."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_markdown_cell("# scratch exercises"), nbformat.v4.new_code_cell(_KIT)]
    for name in CHECKERS:
        nb.cells.append(nbformat.v4.new_markdown_cell(f"Write `double` for the checker {name}."))
        nb.cells.append(
            nbformat.v4.new_code_cell(_STUB, metadata={"rnncourse": {"exercise": name, "role": "stub"}})
        )
        nb.cells.append(
            nbformat.v4.new_code_cell(
                f"check_{name}(double)", metadata={"rnncourse": {"exercise": name, "role": "check"}}
            )
        )
    folder = lab.course / "scratch"
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / "scratch_exercises.ipynb")
    found = find_exercises(folder / "scratch_exercises.ipynb")
    assert [c.exercise for c in found] == CHECKERS
    page = NotebookPage(lab, app, "scratch/scratch_exercises.ipynb").open()
    judged = {}
    try:
        driver = ExerciseDriver(page)
        driver.run_above(found[0].stub)
        for cells in found:
            judged[cells.exercise] = {a.label: judge(cells, driver.attempt(cells, a)) for a in _ATTEMPTS}
        honest = found[0]
        judged["mouse"] = judge(honest, _MouseDriver(page).attempt(honest, _ATTEMPTS[-1]))
    finally:
        page.close()
    return judged


def test_passes_an_honest_checker(scratch_exercises):
    assert scratch_exercises["honest"] == {"input_returned": [], "no_return": [], "right": []}


def test_detects_a_click(scratch_exercises):
    problems = scratch_exercises["mouse"]
    assert len(problems) == 1 and "mouse or pointer events during a keyboard-only attempt" in problems[0], (
        problems
    )


def test_detects_a_checker_that_accepts_a_wrong_solution(scratch_exercises):
    judged = scratch_exercises["accepts_anything"]
    assert judged["right"] == []
    for label in ("input_returned", "no_return"):
        assert len(judged[label]) == 1 and "a wrong solution is not rejected" in judged[label][0], judged


def test_detects_a_checker_without_a_diagnosis(scratch_exercises):
    judged = scratch_exercises["no_diagnosis"]
    assert judged["right"] == [] and judged["no_return"] == []
    assert len(judged["input_returned"]) == 1, judged
    assert "does not name the mistake" in judged["input_returned"][0], judged
    assert "'the input itself', 'is missing'" in judged["input_returned"][0], judged


def test_detects_a_traceback_from_inside_numpy(scratch_exercises):
    judged = scratch_exercises["numpy_traceback"]
    assert judged["right"] == [] and judged["no_return"] == []
    problems = "\n".join(judged["input_returned"])
    assert "an error or stderr is shown" in problems and "LinAlgError" in problems, problems
    assert "numpy" in problems, problems
