"""Every notebook: the quizzes' answers in the bank agree with what the notebooks compute.

Each notebook's code cells are run in one namespace, in order, as a kernel would
run them, up to its first training or timing cell (``.fit(``, ``median_time(``,
``train_lag(``): those take minutes, are checked by their own asserts under
nbval, and no quiz answer depends on them. The quiz cells after that point are
still asked. Every question a cell asks (``quiz.ask(...)``) is collected, and
each bank question with a ``notebook_value`` (an expression over the notebook's
variables) has its answer compared with that value, so a change to the numbers
of a notebook that leaves a quiz behind fails here. Notebooks 01-03 have more
specific checks below.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from rnncourse import quiz, rnn  # noqa: E402
from rnncourse.quiz import ChoiceQuestion, NumericQuestion, Question, ShapeQuestion, bank  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
STEMS = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SLOW = (".fit(", "median_time(", "train_lag(")  # training and timing cells: not run here
_runs: dict[str, tuple[dict, list[Question]]] = {}


def run_notebook(stem: str) -> tuple[dict, list[Question]]:
    """Run the code cells of notebooks/<stem>.ipynb up to the first slow one; return the namespace
    and the questions asked, in order (the quiz cells after a slow cell are asked too)."""
    if stem in _runs:
        return _runs[stem]
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    ns: dict = {"__name__": f"notebook_{stem}"}
    questions: list[Question] = []
    real_ask = quiz.ask

    def ask(qid, notebook=None):
        q = real_ask(qid, notebook)
        questions.append(q)
        return q

    quiz.ask = ask
    stopped = False
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            stopped = stopped or any(marker in cell.source for marker in SLOW)
            if stopped and "quiz.ask(" not in cell.source:
                continue
            exec(compile(cell.source, f"{stem}.ipynb", "exec"), ns)
            plt.close("all")
    finally:
        quiz.ask = real_ask
        quiz.set_notebook(None)
    _runs[stem] = ns, questions
    return ns, questions


def by_id(questions: list[Question], qid: str, kind: type) -> Question:
    matches = [q for q in questions if q.qid == qid]
    assert len(matches) == 1, f"expected one question {qid!r}, found {len(matches)}"
    assert isinstance(matches[0], kind), f"{qid!r} is a {type(matches[0]).__name__}, not a {kind.__name__}"
    return matches[0]


def find(questions: list[Question], kind: type, words: str) -> Question:
    matches = [q for q in questions if isinstance(q, kind) and words in q.prompt]
    assert len(matches) == 1, (
        f"expected one {kind.__name__} whose prompt contains {words!r}, found {len(matches)}"
    )
    return matches[0]


@pytest.fixture(autouse=True)
def _progress(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))


@pytest.mark.parametrize("stem", STEMS)
def test_every_quiz_is_asked_and_belongs_to_its_notebook(stem):
    _, questions = run_notebook(stem)
    assert [q.qid for q in questions] == list(bank.load_bank(stem)), f"{stem}: asked != bank"
    wrong = {q.qid: q.notebook for q in questions if q.notebook != stem}
    assert not wrong, f"{stem}: questions recorded under another notebook name: {wrong}"


VALUES = [(stem, e) for stem in STEMS for e in bank.load_bank(stem).values() if "notebook_value" in e]


@pytest.mark.parametrize(("stem", "entry"), VALUES, ids=[f"{s[:2]}-{e['id']}" for s, e in VALUES])
def test_answer_agrees_with_the_notebook(stem, entry):
    ns, questions = run_notebook(stem)
    q = by_id(questions, entry["id"], Question)
    value = eval(entry["notebook_value"], ns)  # an expression from the bank, over the notebook's names
    if isinstance(q, ShapeQuestion):
        assert tuple(value) == q.answer, (
            f"{stem}/{q.qid}: the bank says {q.answer}, the notebook computes {tuple(value)}"
        )
    else:
        assert abs(float(value) - q.answer) <= q.tolerance / 10 + 1e-12, (
            f"{stem}/{q.qid}: the bank says {q.answer}, the notebook computes {value}"
        )
    assert q.check(value if isinstance(q, NumericQuestion) else tuple(value)).correct


def test_most_computable_answers_are_checked_against_the_notebooks():
    computable = [e for s in STEMS for e in bank.load_bank(s).values() if e["kind"] != "choice"]
    checked = [e for e in computable if "notebook_value" in e]
    unchecked = sorted(e["id"] for e in computable if "notebook_value" not in e)
    assert unchecked == ["warmup"], f"answers with no notebook value: {unchecked}"
    assert checked


@pytest.fixture
def nb01():
    return run_notebook("01_sequences")


@pytest.fixture
def nb02():
    return run_notebook("02_recurrence")


@pytest.fixture
def nb03():
    return run_notebook("03_architecture")


def test_01_sorting_quiz_matches_the_example(nb01):
    ns, questions = nb01
    q = find(questions, NumericQuestion, "[82, 6, 25, 12, 71]")
    x = ns["x"]
    # the first output is only certain after the last input: changing x_T changes y_1
    changed = x[:-1] + [min(x) - 1]
    assert sorted(changed)[0] != sorted(x)[0]
    assert q.answer == len(x)
    q3 = find(questions, ChoiceQuestion, "y_3 = 25")
    assert sorted(x)[2] == 25 and sorted(ns["x_changed"])[2] != 25
    assert q3.options[next(iter(q3.correct))] == "all five inputs"


def test_01_order_quiz_has_several_right_options(nb01):
    _, questions = nb01
    q = find(questions, ChoiceQuestion, "sequential data")
    assert len(q.correct) >= 2 and q.multiple
    chosen = [q.options[i] for i in q.correct]
    assert not any("table of houses" in o or "single photograph" in o for o in chosen)


def test_02_hand_step_matches_cell_forward_and_the_numeric_quiz(nb02):
    ns, questions = nb02
    # the hand computation and rnn.cell_forward agree at both steps
    np.testing.assert_allclose(ns["a_1_lib"], ns["a_1"], atol=1e-12)
    np.testing.assert_allclose(ns["a_2_lib"], ns["a_2"], atol=1e-12)
    assert np.any(ns["recurrent_2"] != 0), "step 2 should show a non-zero recurrent term"
    q = find(questions, NumericQuestion, "third entry of $W_R\\, a_1$")
    assert abs(q.answer - ns["recurrent_2"][2, 0]) <= q.tolerance / 10, (
        f"the quiz expects {q.answer}, the notebook computes {ns['recurrent_2'][2, 0]}"
    )
    assert q.check(f"{ns['recurrent_2'][2, 0]:.3f}").correct


def test_02_batch_shape_quiz_matches_forward(nb02):
    ns, questions = nb02
    q = find(questions, ShapeQuestion, "m = 32 sentences")
    X = np.zeros((ns["T"], ns["n_0"], 32))  # (T, n_0, m)
    A, _ = rnn.forward(X, ns["params"])
    assert A.shape[1:] == q.answer


def test_02_same_word_gives_different_hidden_states(nb02):
    ns, questions = nb02
    A, words = ns["A"], ns["words"]
    firsts = [t for t, w in enumerate(words) if w == "the"]
    assert len(firsts) >= 2
    assert not np.allclose(A[firsts[0]], A[firsts[1]]), "the quiz says a_1 and a_4 differ"
    q = find(questions, ChoiceQuestion, "Are the hidden states")
    assert q.options[next(iter(q.correct))].startswith("no")


def test_03_shape_quizzes_match_the_stacked_network(nb03):
    ns, questions = nb03
    p3 = ns["layer_params"][3]
    assert ns["sizes"][2:] == [10, 20]
    assert find(questions, ShapeQuestion, "$W_F^3$").answer == p3["W_F"].shape
    assert find(questions, ShapeQuestion, "$W_R^3$").answer == p3["W_R"].shape
    assert find(questions, ShapeQuestion, "$b^3$").answer == p3["b"].shape
    q = find(questions, ShapeQuestion, "$a_t^3$")
    assert ns["A3"].shape[1:] == q.answer and q.batch == ns["m"]
    n_params = sum(v.size for v in p3.values())
    assert find(questions, NumericQuestion, "parameters").answer == n_params


def test_03_transposed_weights_are_diagnosed(nb03):
    _, questions = nb03
    q = find(questions, ShapeQuestion, "$W_F^3$")
    assert "transposed" in q.check("(10, 20)").message
    assert "W_R^3" in q.check("(20, 20)").message


def test_03_parameter_count_does_not_depend_on_T(nb03):
    ns, questions = nb03
    params = ns["params"]
    rng = np.random.default_rng(0)
    n_in = params["W_F"].shape[1]
    shapes = {T: rnn.forward(rng.standard_normal((T, n_in, 2)), params)[0].shape for T in (3, 30)}
    assert shapes[3][0] == 3 and shapes[30][0] == 30
    q = find(questions, ChoiceQuestion, "What happens to its number of parameters")
    assert q.options[next(iter(q.correct))] == "it stays the same"


def test_01_data_set_has_one_sequence_per_column(nb01):
    ns, _ = nb01
    data = ns["data"]
    assert data.shape == (ns["T"], ns["m"]) == (30, 500), "the data set should be (T, m): batch in columns"
    assert ns["inside"] > 0.8 and abs(ns["between"]) < 0.1, "the prose says about 0.9 inside, about 0 between"


def test_02_heat_map_counts_neurons_from_0_like_the_explorer(nb02):
    ns, _ = nb02
    labels = [label.get_text() for label in ns["ax"].get_yticklabels()]
    n_1 = ns["params"]["W_R"].shape[0]
    assert labels == [f"neuron {i}" for i in range(n_1)]
