"""The nbgrader export graded by the real nbgrader: student versions, three students, the gradebook.

Skips when nbgrader is not installed, or when notebooks 02 and 04 of this checkout
have no exercise cells yet.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from rnncourse import classroom

# nbgrader is imported by the fixture that grades, not here: importing it takes a second,
# which every pytest process would pay at collection, the one that never grades too.
if importlib.util.find_spec("nbgrader") is None:
    pytest.skip("nbgrader is not installed", allow_module_level=True)

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ASSIGNMENTS = {"02_recurrence": "cell_forward", "04_feeding_sequences": "forward"}


def _has_exercises(stem: str) -> bool:
    nb = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return bool(classroom.exercise_cells(nb))


pytestmark = pytest.mark.skipif(
    not all(_has_exercises(stem) for stem in ASSIGNMENTS),
    reason="notebooks 02 and 04 of this checkout have no exercise cells (metadata rnncourse.exercise) yet",
)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _src(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _grade_id(cell: dict) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _plant_bug(release: Path, target: Path) -> None:
    """Notebook 02 with cell_forward written without the bias: the learner's classic slip."""
    nb = json.loads(release.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if _grade_id(cell) == "cell_forward_solution":
            src = _src(cell)
            stub = "    # YOUR CODE HERE\n    raise NotImplementedError()"
            assert stub in src
            cell["source"] = src.replace(stub, "    return np.tanh(W_F @ x_t + W_R @ a_prev)")
    target.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    checkout = tmp_path_factory.mktemp("checkout")
    staging = checkout / "notebooks"
    staging.mkdir()
    (checkout / "img").symlink_to(NOTEBOOKS.parent / "img")  # the figures, beside the notebooks
    for stem in ASSIGNMENTS:  # only the two assignments graded here, to keep the test short
        shutil.copy(NOTEBOOKS / f"{stem}.ipynb", staging / f"{stem}.ipynb")
    classroom.write_course(root, staging)

    from nbgrader import apps as nbgrader_apps
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = "rnncourse"
    config.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    api = nbgrader_apps.NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    mp = pytest.MonkeyPatch()
    mp.setenv("RNNCOURSE_PROGRESS", str(root / "grading_progress.sqlite3"))
    # nbgrader runs `alembic` (installed beside this Python) to create its database: find it
    # even when the environment's bin folder is not on PATH (python run by its full path).
    mp.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    for stem in ASSIGNMENTS:
        result = api.generate_assignment(stem)
        assert result["success"], result["log"] + result.get("error", "")

    # nobias: 02 only, its stub written without the bias (planted below).
    students = {"reference": root / "source", "untouched": root / "release", "nobias": root / "source"}
    submitted = {"reference": list(ASSIGNMENTS), "untouched": list(ASSIGNMENTS), "nobias": ["02_recurrence"]}
    for student, origin in students.items():
        for stem in submitted[student]:
            folder = root / "submitted" / student / stem
            folder.mkdir(parents=True)
            shutil.copy(origin / stem / f"{stem}.ipynb", folder / f"{stem}.ipynb")
    _plant_bug(
        root / "release" / "02_recurrence" / "02_recurrence.ipynb",
        root / "submitted" / "nobias" / "02_recurrence" / "02_recurrence.ipynb",
    )
    for student, stems in submitted.items():
        for stem in stems:
            result = api.autograde(stem, student)
            assert result["success"], result["log"] + result.get("error", "")
    mp.undo()

    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student, stems in submitted.items():
            for stem in stems:
                sub = gb.find_submission(stem, student)
                scores[student, stem] = (sub.score, sub.max_score)
    return root, scores


@pytest.mark.parametrize("stem", list(ASSIGNMENTS))
def test_student_version_has_no_solution(graded, stem):
    root, _ = graded
    release = root / "release" / stem / f"{stem}.ipynb"
    text = release.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    stub = [c for c in _cells(release) if _grade_id(c) == f"{ASSIGNMENTS[stem]}_solution"]
    assert len(stub) == 1
    assert "raise NotImplementedError" in _src(stub[0])
    assert "np.tanh" not in _src(stub[0])  # the reference's line is gone


def test_scores(graded):
    _, scores = graded
    points = {stem: classroom.POINTS[ex] for stem, ex in ASSIGNMENTS.items()}
    for stem, pts in points.items():
        assert scores["reference", stem] == (pts, pts)
        assert scores["untouched", stem] == (0, pts)
    assert scores["nobias", "02_recurrence"] == (0, points["02_recurrence"])


def test_feedback_names_the_bug_not_the_solution(graded):
    root, _ = graded
    path = root / "autograded" / "nobias" / "02_recurrence" / "02_recurrence.ipynb"
    check = [c for c in _cells(path) if _grade_id(c) == "cell_forward_check"]
    assert len(check) == 1
    shown = json.dumps(check[0]["outputs"])
    assert "without the bias" in shown
    assert "W_F @ x_t + W_R @ a_prev + b" not in shown
    assert "BEGIN SOLUTION" not in shown
