"""Every notebook of the course, opened in JupyterLab in headless Chromium, as a learner sees it.

nbval proves the kernel side; these tests look at the page. For each notebook
found in ``notebooks/`` (a new notebook is covered with no new test code):

- Run All leaves no error, no "Error displaying widget", no widget shown as its
  text (``IntSlider(value=0)``) or stuck at "Loading widget...";
- every slider moves one step and its output redraws, without an error;
- every quiz diagnoses a wrong answer ("Not yet ...") and accepts the right one
  ("Correct ..."), with the answers from ``rnncourse.quiz.answer_key()`` in the
  notebook's own kernel, answered with the keyboard only (Tab from the prompt to the
  answer box, the options and the Check button; Enter checks; arrow keys and Space
  choose), each focused control drawing a visible focus ring; its feedback line is a
  live region (``aria-live``) before the answer and holds the feedback after; no ``$``
  is left in the rendered text of its prompt, options, feedback, hint or explanation;
- every slider moves with the arrow keys and its handle shows the focus;
- axe-core finds no violation, of any impact, in the course's rendered Markdown and
  outputs (counts per notebook in the terminal summary);
- every exercise, last, is done by keyboard in the same page: a learner's slip, a
  forgotten ``return`` and the reference (see ``test_exercises_in_browser.py``).

The explorers' redraw latency (key press to new figure) is measured and
printed, never asserted. The ``test_detects_*`` tests run the same checks on
small broken notebooks to prove that they fail when they should.

Run them with ``python -m pytest tests/browser`` (add ``-s`` to see each
latency as it is measured); ``-m "not browser"`` leaves them out of a run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from .exercise import ExerciseDriver, course_attempts, find_exercises, judge
from .lab import EXPLORERS, NBGRADER_LAB_EXTENSION, explorer_homes, repo_root
from .page import NotebookPage, measure_explorers
from .scratch import BROKEN_CELL, INACCESSIBLE_CELL, QUIZ_MODULE, write_all

pytestmark = pytest.mark.browser

LATENCY = "explorer latency: slider key press to new figure (in the page)"
AXE = "axe-core: violated rules by impact in the course's Markdown and outputs"
NOTEBOOKS = sorted(p.name for p in (repo_root() / "notebooks").glob("*.ipynb"))
#: Explorer -> the notebook its latency is measured in: the first that shows it (once a run).
HOMES = explorer_homes(repo_root() / "notebooks")


def _listing(problems) -> str:
    return "\n".join(f"  - {p}" for p in problems)


@contextlib.contextmanager
def _opened(lab, app, path: str) -> Iterator[NotebookPage]:
    """The notebook at `path` open in the app's page after Run All; closed, its kernel shut down, after."""
    page = NotebookPage(lab, app, path)
    try:
        page.open()
        page.run_all()
        yield page
    finally:
        page.close()


# --------------------------------------------------------------------------- the checks can fail


@pytest.fixture(scope="module")
def scratch(lab) -> dict[str, str]:
    """Small notebooks, good and broken on purpose, beside the course copy on the server."""
    paths = write_all(lab.course / "scratch")
    return {role: f"scratch/{path.name}" for role, path in paths.items()}


@pytest.fixture(scope="module")
def broken(lab, app, scratch):
    """A notebook with every failure at once, open after Run All; `after_run` is what it showed."""
    with _opened(lab, app, scratch["broken"]) as page:
        page.after_run = page.problems()
        yield page


def _in_cell(problems, name: str) -> list[str]:
    return [p.kind for p in problems if p.cell == BROKEN_CELL[name]]


def test_detects_widgets_the_page_cannot_show(broken):
    problems = broken.after_run
    seen = _listing(problems)
    assert not _in_cell(problems, "warning"), f"a warning on stderr is not an error:\n{seen}"
    assert _in_cell(problems, "print") == ["widget shown as text"], seen
    assert _in_cell(problems, "bundle") == ["widget shown as text"], seen
    assert _in_cell(problems, "missing view") == ["Error displaying widget"], seen
    assert _in_cell(problems, "zero division") == ["error output"] and "ZeroDivisionError" in seen, seen
    assert len(problems) == 4, seen


def test_detects_failing_slider_callbacks(broken):
    sliders, problems = broken.check_sliders(grace=1.0)
    seen = _listing(problems)
    assert [s["label"] for s in sliders] == ["raises_out", "raises_obs", "frozen"]
    assert "slider 'raises_out': its callback raised" in seen and "ValueError: draw failed for k=2" in seen, (
        seen
    )
    assert "slider 'raises_obs': its callback raised" in seen and "RuntimeError: observer failed" in seen, (
        seen
    )
    assert "slider 'frozen': output did not change" in seen, seen
    assert len(problems) == 3, seen


def test_detects_a_quiz_that_accepts_anything(broken):
    quizzes, problems = broken.check_quizzes(module=QUIZ_MODULE, timeout=10)
    assert [q["qid"] for q in quizzes] == ["fine", "always_yes"]
    assert len(problems) == 1, _listing(problems)
    assert "quiz 'always_yes' (shape): wrong answer not diagnosed" in str(problems[0])


@pytest.fixture(scope="module")
def inaccessible(lab, app, scratch):
    """A notebook a screen reader or a keyboard user cannot follow, open after Run All."""
    with _opened(lab, app, scratch["inaccessible"]) as page:
        yield page


def test_detects_inaccessible_content(inaccessible):
    found = inaccessible.accessibility()
    serious = {(v["id"], n["cell"]) for v in found.serious() for n in v["nodes"]}
    seen = found.listing(found.violations)
    assert ("image-alt", INACCESSIBLE_CELL["image without alt"]) in serious, seen
    assert ("color-contrast", INACCESSIBLE_CELL["faint text"]) in serious, seen
    assert ("aria-input-field-name", INACCESSIBLE_CELL["slider"]) in serious, seen  # a handle without a name
    assert len(serious) == 3, seen


def test_detects_a_silent_quiz_unrendered_maths_and_an_unseen_focus(inaccessible):
    # its hint's '$' is never typeset: 3 s of waiting for it is enough (the page typeset the rest at Run All)
    quizzes, problems = inaccessible.check_quizzes(module=QUIZ_MODULE, timeout=10, typeset_timeout=3.0)
    seen = _listing(problems)
    assert [q["qid"] for q in quizzes] == ["silent"]
    kinds = [p.kind for p in problems]
    assert "quiz 'silent' (shape): its feedback line is not announced" in kinds, seen
    assert "quiz 'silent' (shape): its hint shows a '$' (maths not typeset)" in kinds, seen
    assert "quiz 'silent' (shape): focus not visible" in kinds and "the answer box" in seen, seen
    assert len(problems) == 3, seen
    sliders, problems = inaccessible.check_sliders(grace=1.0)
    kinds = [p.kind for p in problems]
    assert kinds == ["slider 'level': focus not visible on its handle"], _listing(problems)


@pytest.fixture(scope="module")
def good(lab, app, scratch):
    """The working scratch notebook, open after Run All."""
    with _opened(lab, app, scratch["good"]) as page:
        yield page


def test_passes_a_working_notebook(good, tmp_path):
    problems = good.problems()
    sliders, slider_problems = good.check_sliders()
    quizzes, quiz_problems = good.check_quizzes(module=QUIZ_MODULE)
    latency = {name: good.measure_latency(name, changes=3) for name in good.explorers()}
    serious = good.accessibility().serious()
    found = problems + slider_problems + quiz_problems
    assert not found, _listing(found)
    assert not serious, serious
    assert len(sliders) == 3 and len(quizzes) == 2
    assert set(latency) == {"gradient", "shapes"}
    assert latency["gradient"].kind == "img src" and len(latency["gradient"].samples) == 3
    assert latency["shapes"].kind == "new figure" and len(latency["shapes"].samples) == 3
    shots = good.screenshots(tmp_path)  # the course's are taken only with RNNCOURSE_SCREENSHOTS
    assert len(shots) == len(quizzes) + len({s["cell"] for s in sliders}), shots
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in shots), shots


def test_a_closed_notebook_leaves_nothing_in_the_page(lab, app, scratch):
    """The notebooks of a run open one after another in one page: closing one takes its tab,
    the course's script and its style sheet out, so the next is judged on what it installs."""
    check = (
        "() => [typeof window.__rnncourseAccess, !!window.__rnncourseFigureAlt,"
        " !!document.getElementById('rnncourse-access-style'),"
        " Array.from(jupyterapp.shell.widgets('main')).filter(w => w.context).length]"
    )
    with _opened(lab, app, scratch["access"]) as page:
        loads = app.loads
        page.page.wait_for_function("() => !!document.getElementById('rnncourse-access-style')")
        assert page.page.evaluate(check) == ["function", True, True, 1]
    assert not app.leftovers, f"closing the notebook left this in the page: {app.leftovers}"
    assert app.loads == loads and app.page is not None, "the page was closed after the notebook"
    assert app.page.evaluate(check) == ["undefined", False, False, 0]


def test_a_notebook_that_cannot_load_is_named_with_jupyterlabs_reason(lab, app, scratch):
    """A file JupyterLab cannot load leaves an empty tab and a dialog: opening says why, and the
    page is clean for the next notebook (before, opening waited for the tab for ever)."""
    (lab.course / "scratch").mkdir(exist_ok=True)
    (lab.course / "scratch" / "scratch_unreadable.ipynb").write_text("{ this is not a notebook")
    page = NotebookPage(lab, app, "scratch/scratch_unreadable.ipynb")
    with pytest.warns(UserWarning, match="opening it again"):
        with pytest.raises(RuntimeError, match="Unreadable Notebook") as failed:
            page.open()
    assert "scratch/scratch_unreadable.ipynb was stuck after docmanager:open (attempt 2)" in str(failed.value)
    page.close()
    dialogs = "() => Array.from(document.querySelectorAll('.jp-Dialog')).map(d => d.textContent)"
    assert app.page.evaluate(dialogs) == [], "a dialog of the unreadable notebook is still open"
    with NotebookPage(lab, app, scratch["access"]) as good:  # the next notebook opens as usual
        assert good.page.evaluate("() => __rc.panel.context.path") == scratch["access"]


def test_the_page_is_a_learners_page_without_nbgrader(lab, app):
    """nbgrader is installed for the classroom test, but a learner's page never shows it."""
    import importlib.util

    if importlib.util.find_spec("nbgrader") is None:
        pytest.skip("nbgrader is not installed here, so there is nothing to hide")
    page = app.ready()
    installed = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
        ".federated_extensions.map(e => e.name)"
    )
    plugins = page.evaluate("() => window.jupyterapp.listPlugins()")
    assert NBGRADER_LAB_EXTENSION in installed, "nbgrader's extension is not installed: test is moot"
    assert not [p for p in plugins if "nbgrader" in p], "nbgrader's plugins are loaded in the page"
    status = lab.api("GET", "/api/status")  # the server answers, and nbgrader's handlers do not
    assert status and "started" in status
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as missing:
        lab.api("GET", "/formgrader/api/status")
    assert missing.value.code == 404


# --------------------------------------------------------------------------- the course


@pytest.fixture(scope="module", params=NOTEBOOKS or [None])
def notebook(request, lab, app, screenshots, report):
    """One notebook open in the app's page after Run All; screenshots if RNNCOURSE_SCREENSHOTS is set."""
    if request.param is None:
        pytest.skip("no notebooks in notebooks/ yet")
    with _opened(lab, app, f"notebooks/{request.param}") as page:
        report.setdefault("opened", set()).add(request.param)
        yield page
        if screenshots is not None:
            report["shots"] += len(page.screenshots(screenshots))


def test_runs_without_errors(notebook):
    problems = notebook.problems()
    assert not problems, f"After Run All, {notebook.name} shows:\n{_listing(problems)}"


def _summary(request, section: str, line: str) -> None:
    """A line for the end of the run (the top conftest.py prints it, from every xdist worker)."""
    request.node.user_properties.append(("rnncourse-summary", (section, line)))


def test_every_slider_redraws(notebook, report, request):
    sliders, problems = notebook.check_sliders()
    assert not problems, f"{len(sliders)} sliders in {notebook.name}:\n{_listing(problems)}"
    # Latency only where every slider works (a broken explorer has nothing to measure), and
    # once a run: in the explorer's first notebook (`test_explorer_latency` runs beside it).
    for name in notebook.explorers():
        if (
            name in EXPLORERS
            and name not in report["latency"]
            and HOMES.get(name) == Path(notebook.name).stem
        ):
            latency = notebook.measure_latency(name)
            report["latency"][name] = latency
            _summary(request, LATENCY, latency.line())


def test_every_quiz_answers(notebook):
    quizzes, problems = notebook.check_quizzes()
    assert not problems, f"{len(quizzes)} quizzes in {notebook.name}:\n{_listing(problems)}"


def test_no_accessibility_violations(notebook, report, request):
    """axe-core on the course's own Markdown and outputs: no violation, of any impact.

    The course's content has none, minor ones included (a table header must say what its
    column holds in words, not in maths alone), so a new one of any impact fails. Run after
    the quizzes have been answered (in a full run), so their feedback, hints and explanations
    are checked too. Every notebook's counts are printed at the end of the run.
    """
    found = notebook.accessibility()
    report["axe"][notebook.name] = found
    _summary(request, AXE, found.line())
    assert found.nodes, f"no rendered Markdown or output found in {notebook.name}"
    assert not found.violations, (
        f"axe-core finds {len(found.violations)} violated rules in {notebook.name}:\n"
        + found.listing(found.violations)
    )


def test_every_exercise_by_keyboard(notebook, screenshots, report):
    """Every exercise of the notebook, in the page Run All left, as `tests/browser/exercise.py` says.

    With the keyboard only: a learner's slip, a forgotten ``return`` and the reference
    typed into the stub, the stub and the check run with Shift+Enter; the check must name
    each mistake and accept the reference. It runs last, as it rewrites the stub.
    """
    found = find_exercises(repo_root() / "notebooks" / notebook.name)
    if not found:
        pytest.skip(f"{notebook.name} has no exercise")
    driver = ExerciseDriver(notebook)
    problems = []
    for cells in found:
        attempts = course_attempts(repo_root() / "notebooks" / notebook.name, cells)
        seen = [driver.attempt(cells, a, screenshots) for a in attempts]
        report["shots"] += len([s for s in seen if s.screenshot is not None])
        for s in seen:
            print(f"  {cells.id} {s.attempt.label} ({s.seconds:.1f} s): {s.text[:300]}")
        problems += [p for s in seen for p in judge(cells, s)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", EXPLORERS)
def test_explorer_latency(name, lab, app, report, request):
    """Key press to new figure, median of at least 10 changes; reported, never asserted."""
    if name not in report["latency"]:
        unopened = [n for n in NOTEBOOKS if n not in report.get("opened", set())]
        paths = [lab.notebooks / n for n in unopened]
        report["latency"].update(measure_explorers(lab, app, names=(name,), paths=paths))
    if name not in report["latency"]:
        pytest.skip(
            f"no widget with class rnncourse-explorer-{name} in any notebook in notebooks/ yet: "
            "its latency is not measured"
        )
    latency = report["latency"][name]
    _summary(request, LATENCY, latency.line())
    assert len(latency.samples) >= 10
