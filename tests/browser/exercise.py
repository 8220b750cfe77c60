"""The exercises of the course, done in JupyterLab as a learner does them: by keyboard, wrongly, then rightly.

An exercise is two cells of a notebook, found by their metadata
(`rnncourse.classroom.exercise_cells`): the stub, where the learner writes a function,
and the check, one call of a checker of `rnncourse.exercises`. For each, `course_attempts`
makes what the learner will type into the stub:

- the learner's slips of `SLIPS`: the reference solution with one realistic mistake,
  one that the checker's own catalogue of bugs knows. The page must show that bug's
  diagnosis (its ``says``, with the maths left out, since MathJax draws it). Some
  slips make NumPy raise (a product in the wrong order): the check must say it is a
  shape error and point at the learner's line, with no traceback from inside NumPy;
- the reference solution with its ``return`` line forgotten. Every exercise gets this
  one, so a new exercise is tried wrongly even before it has a slip here. The page must
  say that the function returned None;
- the reference solution, the body that the nbgrader export pastes into the solution
  cell (`rnncourse.classroom.solution_cell_source`, without its solution markers). The
  page must say "Correct".

`ExerciseDriver` does what the learner does. In command mode the arrow keys go to
the stub, Enter starts editing, Ctrl+A selects the cell's text, and the new text goes
in as keyboard text input. Then Shift+Enter runs the stub and Shift+Enter runs the
check. `judge` reads what the check cell shows.

The text goes in with Playwright's ``keyboard.insert_text``, not ``keyboard.type``.
It is still keyboard input, one text input event for the whole solution.
``keyboard.type`` presses a key per character, so CodeMirror would auto-indent every
new line and close every bracket, and a solution typed that way is not the one
intended. The cell's text is read back from JupyterLab's model, and it must be
exactly what was typed.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .page import NotebookPage

__all__ = [
    "Attempt",
    "ExerciseCells",
    "ExerciseDriver",
    "SLIPS",
    "Seen",
    "Slip",
    "course_attempts",
    "find_exercises",
    "judge",
]

JS_DIR = Path(__file__).resolve().parent / "js"


@functools.cache
def _js(name: str) -> str:
    return (JS_DIR / f"{name}.js").read_text()


# --------------------------------------------------------------------------- what the learner types


@dataclass(frozen=True)
class Slip:
    """One learner's mistake: `old`, text of the reference solution, written as `new`.

    `bug` is the id of the mistake in the checker's catalogue (``Exercise.bugs``), whose
    ``says`` the page must then show. A slip that makes NumPy raise is no catalogued
    bug: its `label` names it, and `diagnosis` is what the check must say of it.
    """

    old: str
    new: str
    bug: str = ""
    label: str = ""
    diagnosis: tuple[str, ...] = ()


#: What the check must say when the learner's function raised a shape error inside NumPy.
SHAPE_ERROR = (
    "Your function raised an error",
    "The last line of your code that ran",
    "This is a shape error",
)

#: Realistic slips, at least one per exercise a bug that its checker knows by name.
SLIPS: dict[str, tuple[Slip, ...]] = {
    "cell_forward": (
        Slip("W_F @ x_t + W_R @ a_prev + b", "W_F @ x_t + W_R @ a_prev", "bias_missing"),
        Slip("W_F @ x_t", "x_t @ W_F", label="product_reversed", diagnosis=SHAPE_ERROR),
    ),
    "forward": (Slip("a_prev = a_t", "a_prev = a0", "state_not_carried"),),
    "backward": (
        Slip("da = dA[t] + da_next", "da = dA[t]", "carried_gradient_not_added"),
        Slip("dz @ X[t].T", "dz @ X[t]", label="transpose_missing", diagnosis=SHAPE_ERROR),
    ),
    "sample": (
        Slip("scaled = logits / temperature", "scaled = logits * temperature", "temperature_multiplied"),
    ),
    "clip_by_norm": (Slip("np.sqrt(sum(", "(sum(", "norm_not_square_rooted"),),
    "lstm_cell_forward": (
        Slip("c_t = f_t * c_prev + i_t * g_t", "c_t = c_prev + i_t * g_t", "forget_gate_missing"),
    ),
    "embedding_backward": (
        Slip("np.add.at(dE, (slice(None), tokens), dx_t)", "dE[:, tokens] += dx_t", "repeated_tokens_lost"),
    ),
}

#: What the check must say when the function forgot its ``return``.
NO_RETURN_DIAGNOSIS = ("returned None",)


@dataclass(frozen=True)
class Attempt:
    """What the learner leaves in the stub cell, and what the check must then show.

    label : names the attempt in messages and screenshots (a bug id, ``no_return``, ``right``)
    source : the whole text of the stub cell
    correct : whether the checker must accept it
    diagnosis : pieces of text that the check's output must show, each somewhere in it
    """

    label: str
    source: str
    correct: bool
    diagnosis: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExerciseCells:
    """One exercise of a notebook: its id and the indices of its stub and check cells."""

    notebook: str
    exercise: str
    stub: int
    check: int

    @property
    def id(self) -> str:
        return f"{Path(self.notebook).stem}-{self.exercise}"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def find_exercises(path: Path) -> list[ExerciseCells]:
    """The exercises of the notebook at `path`, from its cells' metadata."""
    from rnncourse import classroom

    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        ExerciseCells(Path(path).name, ex, roles["stub"], roles["check"])
        for ex, roles in classroom.exercise_cells(nb).items()
    ]


def catalogue(exercise: str) -> dict:
    """The known bugs of `exercise`, by id, from its checker in any module of `rnncourse.exercises`."""
    import rnncourse.exercises as package
    from rnncourse.exercises.engine import Exercise

    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, Exercise) and obj.id == exercise:
                return {bug.id: bug for bug in obj.bugs}
    raise LookupError(f"no checker in rnncourse.exercises has the exercise id {exercise!r}")


def diagnosis_text(markup: str) -> tuple[str, ...]:
    """The pieces of a checker's message that the page shows as text: no maths, no ``**`` or backticks.

    Pieces of one word (the "Your" of "Your $a_t$ matches ...") say nothing and are left out.
    """
    from rnncourse.exercises.feedback import to_markdown

    pieces = re.split(r"\$[^$]*\$", to_markdown(markup))
    pieces = (" ".join(p.replace("**", "").replace("`", "").split()) for p in pieces)
    return tuple(p for p in pieces if len(p.strip(" .,;:()").split()) >= 2)


def reference_source(stub: str, exercise: str) -> str:
    """The stub with the reference solution in place of its ``raise NotImplementedError``."""
    from rnncourse import classroom
    from rnncourse.exercises import solutions

    src = classroom.solution_cell_source(stub, exercise, solutions)
    return "\n".join(line for line in src.splitlines() if line.strip() not in _MARKERS) + "\n"


_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def without_return(source: str) -> str:
    """`source` with the last ``return`` line of its function's body left out."""
    lines = source.splitlines()
    body = next(line for line in lines[1:] if line.strip())  # the first line of the body
    indent = body[: len(body) - len(body.lstrip())]
    returns = [i for i, line in enumerate(lines) if line.startswith(indent + "return")]
    if not returns:
        raise ValueError(f"no return line in:\n{source}")
    return "\n".join(lines[: returns[-1]] + lines[returns[-1] + 1 :]) + "\n"


def course_attempts(notebook: Path, cells: ExerciseCells) -> list[Attempt]:
    """The learner's slips of `SLIPS`, the forgotten ``return``, then the reference solution."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    right = reference_source(_source(nb["cells"][cells.stub]), cells.exercise)
    bugs = catalogue(cells.exercise)
    attempts = []
    for slip in SLIPS.get(cells.exercise, ()):
        if right.count(slip.old) != 1:
            raise ValueError(
                f"a slip of {cells.exercise!r} expects {slip.old!r} once in the reference:\n{right}"
            )
        if slip.bug and slip.bug not in bugs:
            raise ValueError(
                f"a slip of {cells.exercise!r} names bug {slip.bug!r}; its checker knows {sorted(bugs)}"
            )
        diagnosis = diagnosis_text(bugs[slip.bug].says) if slip.bug else slip.diagnosis
        source = right.replace(slip.old, slip.new)
        attempts.append(Attempt(slip.bug or slip.label, source, False, diagnosis))
    attempts.append(Attempt("no_return", without_return(right), False, NO_RETURN_DIAGNOSIS))
    attempts.append(Attempt("right", right, True))
    return attempts


# --------------------------------------------------------------------------- what the page shows


@dataclass
class Seen:
    """What the check cell showed after one attempt."""

    attempt: Attempt
    text: str  # the check's output as text, maths left out, white space collapsed
    errors: list[str] = field(default_factory=list)  # errors and stderr the two cells or the kernel showed
    typed: str = ""  # the stub's text in JupyterLab's model after typing
    mouse: int = 0  # mouse and pointer events the page received during the attempt
    seconds: float = 0.0
    screenshot: Path | None = None


#: A traceback, or a file of NumPy (or of any installed package), in a check's output.
DEEP_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|site-packages|dist-packages|numpy[/\\]\w")


def judge(cells: ExerciseCells, seen: Seen) -> list[str]:
    """What is wrong with what the check showed for one attempt (empty: what a learner should see)."""
    a = seen.attempt
    where = f"{cells.id}, {a.label}"
    problems = []
    if seen.mouse:
        problems.append(f"{where}: {seen.mouse} mouse or pointer events during a keyboard-only attempt")
    if seen.typed != a.source:
        problems.append(f"{where}: the stub holds other text than was typed:\n{seen.typed}")
    for error in seen.errors:
        problems.append(f"{where}: an error or stderr is shown:\n{error.strip()[:1500]}")
    if DEEP_TRACEBACK.search(seen.text):
        problems.append(f"{where}: the check shows a traceback or a library's file:\n{seen.text[:1500]}")
    if a.correct:
        if not seen.text.startswith("Correct"):
            problems.append(
                f"{where}: the right solution is not accepted; the check shows:\n{seen.text[:1500]}"
            )
        return problems
    if not seen.text.startswith("Not yet"):
        problems.append(f"{where}: a wrong solution is not rejected; the check shows:\n{seen.text[:1500]}")
        return problems
    missing = [piece for piece in a.diagnosis if piece not in seen.text]
    if missing or not a.diagnosis:
        problems.append(
            f"{where}: the check does not name the mistake; it lacks {missing or 'a diagnosis'} and shows:\n"
            f"{seen.text[:1500]}"
        )
    return problems


# --------------------------------------------------------------------------- the learner's keys


class ExerciseDriver:
    """Does exercises in an open `NotebookPage` with the keyboard only."""

    def __init__(self, notebook: NotebookPage, timeout: float = 120.0):
        self.notebook = notebook
        self.page = notebook.page
        self.timeout = timeout
        # The notebook tab in front and focused, as when the learner has just opened it; a
        # widget that kept the focus (a quiz's box, a slider) would take the arrow keys.
        self.page.evaluate(
            "() => { if (document.activeElement) document.activeElement.blur();"
            " window.jupyterapp.shell.activateById(__rc.panel.id); __rc.panel.content.mode = 'command';"
            " __rc.panel.content.activate(); __rc.panel.content.node.focus(); }"
        )
        # Counts every mouse or pointer event, to show that the attempts use none (once per page).
        self.page.evaluate(
            "() => { if (window.__rcMouse !== undefined) return; window.__rcMouse = 0;"
            " for (const t of ['mousedown', 'mouseup', 'click', 'dblclick', 'pointerdown', 'wheel'])"
            "   document.addEventListener(t, () => { window.__rcMouse += 1; }, true); }"
        )

    def run_above(self, index: int) -> None:
        """Run every cell above cell `index` (JupyterLab's "Run All Above Selected Cell")."""
        self.page.evaluate(
            "async (i) => { __rc.panel.content.activeCellIndex = i;"
            " await window.jupyterapp.commands.execute('notebook:run-all-above'); }",
            index,
        )
        self.page.wait_for_timeout(50)
        self.notebook.wait_idle(self.notebook.timeout)

    def _state(self) -> dict:
        return self.page.evaluate(
            "() => ({active: __rc.panel.content.activeCellIndex, mode: __rc.panel.content.mode,"
            " n: __rc.cells().length})"
        )

    def go_to(self, index: int) -> None:
        """Command mode (Escape), then the arrow keys until cell `index` is selected."""
        self.page.keyboard.press("Escape")
        state = self._state()
        for _ in range(state["n"] + 1):
            if state["active"] == index and state["mode"] == "command":
                return
            self.page.keyboard.press("ArrowDown" if state["active"] < index else "ArrowUp")
            state = self._state()
        raise RuntimeError(f"the arrow keys did not reach cell {index}: {state}")

    def write(self, index: int, source: str) -> str:
        """Enter to edit cell `index`, Ctrl+A, the new text; returns the cell's text in the model."""
        self.go_to(index)
        self.page.keyboard.press("Enter")
        self.page.wait_for_function("() => __rc.panel.content.mode === 'edit'", timeout=5000)
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.insert_text(source)
        return self.page.evaluate("(i) => __rc.cells()[i].model.sharedModel.getSource()", index)

    def run_to(self, first: int, last: int) -> None:
        """Shift+Enter from cell `first` (being edited) through cell `last`; wait until all have run.

        Each run is counted by the kernel's ``execute_input`` messages, since the
        execution count a fresh kernel gives a cell is often the one stored in the notebook.
        """
        inputs = "() => Object.keys(__rc.iopub.inputs).length"
        before = self.page.evaluate(inputs)
        for _ in range(first, last + 1):
            self.page.keyboard.press("Shift+Enter")
        self.page.wait_for_function(
            f"(n) => ({inputs})() >= n && !__rc.busy()",
            arg=before + last - first + 1,
            timeout=self.timeout * 1000,
            polling=30,
        )

    def output(self, index: int) -> dict:
        try:  # Markdown output: let MathJax typeset it before it is read and photographed
            self.page.wait_for_function(
                "(i) => { const o = (" + _js("exercise_output") + ")(i); return o && !o.typesetting; }",
                arg=index,
                timeout=5000,
                polling=30,
            )
        except Exception:  # noqa: BLE001 - read as it is
            pass
        return self.page.evaluate(_js("exercise_output"), index)

    def attempt(self, cells: ExerciseCells, attempt: Attempt, shots: Path | None = None) -> Seen:
        """Type `attempt` into the stub, run the stub and the check, and read the check."""
        start = time.monotonic()
        errors_from, mouse = self.page.evaluate("() => [__rc.iopub.errors.length, window.__rcMouse]")
        typed = self.write(cells.stub, attempt.source)
        self.run_to(cells.stub, cells.check)
        errors = [p.text or p.kind for p in self.notebook.problems(errors_from=errors_from, scan_page=False)]
        stub, check = self.output(cells.stub), self.output(cells.check)
        errors += stub["errors"] + check["errors"]
        text = " ".join(check["text"].split())
        seen = Seen(attempt, text, errors, typed, self.page.evaluate("() => window.__rcMouse") - mouse)
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            seen.screenshot = shots / f"{cells.id}-{attempt.label}.png"
            area = self.page.locator(".jp-Notebook .jp-Cell").nth(cells.check)
            area.scroll_into_view_if_needed()
            area.screenshot(path=str(seen.screenshot))
        seen.seconds = time.monotonic() - start
        return seen
