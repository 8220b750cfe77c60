"""The exercise checkers against hostile functions, and what they show, record and hint.

The mutation tests (every known bug, named) are in test_exercises_rnn.py and
test_exercises_training.py.
"""

import inspect
import linecache
import sys
import threading
import time
import types

import numpy as np
import pytest

from rnncourse import cells, optim, progress, rnn
from rnncourse.exercises import (
    bugs,
    bugs_training,
    check_backward,
    check_cell_forward,
    check_clip_by_norm,
    check_embedding_backward,
    check_forward,
    check_lstm_cell_forward,
    check_sample,
    reset_attempts,
    runner,
    solutions,
)
from rnncourse.exercises.engine import EQUATIONS, bug_body, run_check
from rnncourse.exercises.feedback import to_markdown, to_text
from rnncourse.gradcheck import numerical_gradient, rel_error

CHECKERS = [
    check_cell_forward,
    check_forward,
    check_backward,
    check_sample,
    check_clip_by_norm,
    check_lstm_cell_forward,
    check_embedding_backward,
]
IDS = [c.__name__ for c in CHECKERS]


@pytest.fixture(autouse=True)
def _store(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    reset_attempts()


# ---------------------------------------------------------------------------
# Hostile functions, for every checker
# ---------------------------------------------------------------------------
def raises(*args):
    values = list(args)
    return values[99]  # IndexError, on this very line


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    pass


def returns_list(*args):
    return [[0.0, 1.0], [2.0, 3.0]]


@pytest.mark.parametrize("check", CHECKERS, ids=IDS)
def test_an_error_shows_the_learners_own_line(check):
    result = check(raises)
    assert not result.correct and result.kind == "error"
    assert "IndexError" in result.message
    assert "test_exercises.py" in result.message and "return values[99]" in result.message
    assert f"line {inspect.getsourcelines(raises)[1] + 2}" in result.message


def _typed_in_a_cell(filename: str):
    """`raises`, as if typed into a notebook cell that the kernel runs from `filename`.

    Like IPython, the cell's text goes into `linecache` under that name, so that
    tracebacks can show its lines.
    """
    source = "\n\ndef raises(*args):\n    values = [1, 2]\n    return values[99]\n"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["raises"]


def test_an_error_in_a_cell_names_the_cell_not_the_kernels_file(monkeypatch):
    """The kernel's temporary file means nothing to a learner: say "Cell In[7]" as IPython does."""
    from rnncourse.exercises import check_cell_forward

    cell_file = "/tmp/ipykernel_4242/2871.py"
    message = check_cell_forward(_typed_in_a_cell(cell_file)).message
    assert "Line 5 of your cell, in `raises`" in message and "ipykernel_4242" not in message, message
    assert "return values[99]" in message

    shell = types.SimpleNamespace(compile=types.SimpleNamespace(_filename_map={cell_file: 7}))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    message = check_cell_forward(_typed_in_a_cell(cell_file)).message
    assert "Cell In[7], line 5, in `raises`" in message and "ipykernel_4242" not in message, message


@pytest.mark.parametrize("check", CHECKERS, ids=IDS)
def test_the_stub_is_not_written_yet(check):
    result = check(stub)
    assert not result.correct and result.kind == "stub"
    assert result.message.startswith("Not written yet")
    assert "What to do:" in result.message


@pytest.mark.parametrize("check", CHECKERS, ids=IDS)
@pytest.mark.parametrize("fn", [returns_none, returns_list, "not a function"], ids=["None", "list", "str"])
def test_wrong_types_get_a_clear_message(check, fn):
    result = check(fn)
    assert not result.correct and result.kind == "type", result.message
    assert "Traceback" not in result.message


@pytest.mark.parametrize("check", CHECKERS, ids=IDS)
def test_a_function_that_never_ends_is_stopped(check):
    def sleeps(*args):
        time.sleep(30)

    t0 = time.perf_counter()
    result = check(sleeps, time_limit=0.2)
    assert time.perf_counter() - t0 < 5
    assert not result.correct and result.kind == "timeout"
    assert "still running after 0.2 s" in result.message and "stopped it" in result.message


def test_a_loop_that_catches_every_exception_is_still_stopped():
    def stubborn(*args):
        while True:
            try:
                time.sleep(1)
            except Exception:
                pass

    result = check_forward(stubborn, time_limit=0.2)
    assert result.kind == "timeout"


def test_without_a_timer_signal_the_function_runs_in_a_thread(monkeypatch):
    monkeypatch.setattr(runner, "_can_alarm", lambda: False)
    release = threading.Event()

    def waits(*args):
        release.wait(30)  # as time.sleep(30), but the test can end the thread

    try:
        result = check_cell_forward(waits, time_limit=0.2)
    finally:
        release.set()
    assert result.kind == "timeout"
    assert "still running after 0.2 s" in result.message and "interrupt" in result.message
    assert check_cell_forward(solutions.cell_forward).correct  # and the thread path passes a right one
    assert check_cell_forward(raises).kind == "error"


def test_a_numpy_shape_error_lists_the_arguments_in_course_notation():
    result = check_cell_forward(lambda x_t, a_prev, W_F, W_R, b: np.tanh(W_F @ a_prev + W_R @ x_t + b))
    assert result.kind == "error" and "shape error" in result.message
    assert "`x_t` (n_in, m) = (3, 4)" in result.message and "`W_F` (n_h, n_in) = (5, 3)" in result.message


def test_nan_wrong_shape_and_mutated_inputs():
    result = check_cell_forward(
        lambda x_t, a_prev, W_F, W_R, b: np.full((W_F.shape[0], x_t.shape[1]), np.nan)
    )
    assert result.kind == "nan" and "NaN" in result.message
    result = check_forward(lambda X, a0, W_F, W_R, b: np.zeros((X.shape[0], W_F.shape[0])))
    assert result.kind == "shape" and "(T, n_h, m)" in result.message

    def mutates(x_t, a_prev, W_F, W_R, b):
        a_prev *= 0.5
        return solutions.cell_forward(x_t, a_prev, W_F, W_R, b)

    result = check_cell_forward(mutates)
    assert result.kind == "mutated" and "`a_prev`" in result.message

    def missing_key(dA, X, A, a0, W_F, W_R):
        g = solutions.backward(dA, X, A, a0, W_F, W_R)
        del g["a0"]
        return g

    result = check_backward(missing_key)
    assert result.kind == "type" and '"a0"' in result.message


# ---------------------------------------------------------------------------
# What the feedback shows, records and hints
# ---------------------------------------------------------------------------
ALL_BUGS = [
    *bugs.CELL_FORWARD,
    *bugs.FORWARD,
    *bugs.BACKWARD,
    *bugs_training.CLIP_BY_NORM,
    *bugs_training.SAMPLE,
    *bugs_training.LSTM_CELL_FORWARD,
    *bugs_training.EMBEDDING_BACKWARD,
]


@pytest.mark.parametrize("bug", ALL_BUGS, ids=[b.id for b in ALL_BUGS])
def test_plain_text_has_no_latex_and_markdown_has_balanced_maths(bug):
    body = bug_body(bug)
    text, md = to_text(body), to_markdown(body)
    assert "$" not in text and "\\" not in text and "{{" not in text and "**" not in text
    assert md.count("$") % 2 == 0 and md.count("$") >= 2 and "{{" not in md
    assert bug.equation in EQUATIONS


def test_markdown_repr_renders_latex():
    result = check_cell_forward(lambda x_t, a_prev, W_F, W_R, b: np.tanh(W_F @ x_t + W_R @ a_prev))
    md = result._repr_markdown_()
    assert "$" in md and "**Not yet.**" in md
    assert str(result) == repr(result) == result.message and "$" not in str(result)


def test_the_package_imports_numpy_only():
    import subprocess
    import sys

    code = (
        "import sys, rnncourse.exercises; "
        "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython', 'scipy') if m in sys.modules]; "
        "print(bad); sys.exit(bool(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_hints_escalate_and_name_the_course_implementation():
    def wrong(x_t, a_prev, W_F, W_R, b):
        return solutions.cell_forward(x_t, a_prev, W_F, W_R, b) * 1.1

    seen = [check_cell_forward(wrong).message for _ in range(5)]
    assert "Hint:" in seen[0] and "The equation:" not in seen[0] and "To compare:" not in seen[0]
    assert "The equation:" in seen[2] and "To compare:" not in seen[2]
    assert "To compare:" in seen[4] and "rnncourse.rnn.cell_forward" in seen[4]
    assert check_cell_forward(solutions.cell_forward).correct


def _solution_lines():
    for fn in (getattr(solutions, n) for n in solutions.__all__):
        for line in inspect.getsource(fn).splitlines()[1:]:
            code = line.split("#")[0].strip()
            if len(code) >= 16 and not code.startswith(('"', "def ", "return ")):
                yield code


def test_no_message_holds_a_line_of_the_solutions():
    lines = list(_solution_lines())
    assert len(lines) > 10
    messages = [bug_body(b) for b in ALL_BUGS]
    for check in CHECKERS:
        messages.append(check(stub).markup)
        for _ in range(5):
            messages.append(check(returns_list).markup)  # the fifth shows every hint
    for line in lines:
        assert not any(line in m for m in messages), line
    for m in messages:  # and the console text of every one is free of LaTeX
        assert "$" not in to_text(m) and "\\" not in to_text(m) and "{{" not in to_text(m), m


def test_every_check_is_recorded_like_a_quiz_answer():
    check_cell_forward(solutions.cell_forward)
    check_cell_forward(lambda x_t, a_prev, W_F, W_R, b: np.tanh(W_F @ x_t + b))
    check_clip_by_norm(stub)
    rows = progress.attempts()
    assert [(r.notebook, r.qid, r.correct) for r in rows] == [
        ("02_recurrence", "cell_forward", True),
        ("02_recurrence", "cell_forward", False),
        ("10_vanishing_gradients", "clip_by_norm", False),
    ]
    assert rows[1].response == "bug: previous_state_ignored" and rows[2].response == "stub"


def test_a_checker_bug_propagates_under_tests_and_is_hidden_in_a_notebook(monkeypatch):
    from rnncourse.exercises.check_rnn import CELL_FORWARD

    class Broken(type(CELL_FORWARD)):
        def cases(self):
            raise RuntimeError("broken case generator")

    broken = Broken(**{f: getattr(CELL_FORWARD, f) for f in CELL_FORWARD.__dataclass_fields__})
    with pytest.raises(RuntimeError):
        run_check(broken, solutions.cell_forward)
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    result = run_check(broken, solutions.cell_forward)
    assert not result.correct and result.kind == "internal" and "not yours" in result.message


# ---------------------------------------------------------------------------
# The reference solutions agree with the course's functions and with numerical gradients
# ---------------------------------------------------------------------------
def _layer(T=4, n_in=3, n_h=5, m=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(T, n_in, m))
    a0 = rng.normal(size=(n_h, m)) * 0.5
    p = {
        "W_F": rng.normal(size=(n_h, n_in)) * 0.5,
        "W_R": rng.normal(size=(n_h, n_h)) * 0.5,
        "b": rng.normal(size=(n_h, 1)) * 0.5,
    }
    return X, a0, p


def test_solutions_equal_the_course_functions():
    X, a0, p = _layer()
    A, cache = rnn.forward(X, p, a0)
    np.testing.assert_allclose(solutions.forward(X, a0, p["W_F"], p["W_R"], p["b"]), A, rtol=1e-12)
    np.testing.assert_allclose(solutions.cell_forward(X[0], a0, p["W_F"], p["W_R"], p["b"]), A[0], rtol=1e-12)
    dA = np.random.default_rng(1).normal(size=A.shape)
    mine, course = solutions.backward(dA, X, A, a0, p["W_F"], p["W_R"]), rnn.backward(dA, cache)
    for k in ("W_F", "W_R", "b", "a0"):
        np.testing.assert_allclose(mine[k], course[k], rtol=1e-10, atol=1e-12)
    grads = {k: v * 10 for k, v in p.items()}
    for k, v in solutions.clip_by_norm(grads, 1.0).items():
        np.testing.assert_allclose(v, optim.clip_by_norm(grads, 1.0)[0][k], rtol=1e-12)
    lp = cells.lstm_init_params(3, 5, seed=2)
    c0 = np.random.default_rng(3).normal(size=(5, 2))
    a_t, c_t, _ = cells.lstm_cell_forward(X[0], a0, c0, lp)
    mine_a, mine_c = solutions.lstm_cell_forward(X[0], a0, c0, lp)
    np.testing.assert_allclose(mine_a, a_t, rtol=1e-12)
    np.testing.assert_allclose(mine_c, c_t, rtol=1e-12)


def test_reference_bptt_matches_numerical_gradients():
    X, a0, p = _layer()
    W = np.random.default_rng(4).normal(size=(4, 5, 2))  # L = sum(W * A)

    def loss():
        return float(np.sum(W * solutions.forward(X, a0, p["W_F"], p["W_R"], p["b"])))

    A = solutions.forward(X, a0, p["W_F"], p["W_R"], p["b"])
    grads = solutions.backward(W, X, A, a0, p["W_F"], p["W_R"])
    for k, arr in (("W_F", p["W_F"]), ("W_R", p["W_R"]), ("b", p["b"]), ("a0", a0)):
        assert rel_error(grads[k], numerical_gradient(loss, arr)) < 1e-7, k


def halves_its_first_argument(*args):
    first = args[0]
    for a in first.values() if isinstance(first, dict) else [first]:
        a *= 0.5
    return None


@pytest.mark.parametrize("check", CHECKERS, ids=IDS)
def test_a_function_that_changes_its_input_is_told_so(check):
    result = check(halves_its_first_argument)
    assert not result.correct and result.kind in ("mutated", "bug")
    assert "in place" in result.message


def test_every_case_has_all_sizes_different():
    from rnncourse.exercises import check_rnn, check_training

    exercises = [
        check_rnn.CELL_FORWARD,
        check_rnn.FORWARD,
        check_rnn.BACKWARD,
        check_training.LSTM,
        check_training.EMBEDDING,
    ]
    for ex in exercises:
        cases = ex.cases()
        assert len(cases) >= 3
        for case in cases:
            sizes = [v for v in case.sizes.values() if v != 1]  # 1 only in the edge cases
            assert len(sizes) == len(set(sizes)), (ex.id, case.sizes)
        assert sum(1 for c in cases if c.sizes.get("T", 2) > 1) >= 3, ex.id  # T > 1 in most cases


@pytest.mark.parametrize("name", solutions.__all__)
def test_each_solution_is_self_contained_and_passes_its_checker(name):
    """The nbgrader export pastes a solution's body into a notebook cell where only `np` is defined."""
    import rnncourse.exercises as ex

    source = inspect.getsource(getattr(solutions, name))
    namespace = {"np": np}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # only np: no helper of the module
    assert getattr(ex, f"check_{name}")(namespace[name]).correct
