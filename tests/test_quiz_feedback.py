"""What the quizzes say back, over the whole bank.

- a count (a whole-number answer with tol 0) is never told about rounding or a
  tolerance, and a parameter count short by exactly its biases is told the biases
  are missing;
- a choice question names an option by the text the widget shows, and a question
  with one right option is answered with radio buttons;
- the example of how to answer (static text and input hint) is never accepted;
- diagnoses speak of what the question asks (one test per case that was wrong);
- a quiz shown again after a restart says it was solved, and when;
- no plain-text output holds a `$`.
"""

from __future__ import annotations

import re

import pytest
from test_quiz import _parts  # CSS class -> widgets of a form

from rnncourse import progress, quiz
from rnncourse.quiz import ChoiceQuestion, NumericQuestion, bank

QUESTIONS = [(stem, e) for stem in bank.notebooks_with_a_bank() for e in bank.load_bank(stem).values()]
IDS = [f"{stem[:2]}-{e['id']}" for stem, e in QUESTIONS]
COUNTS = [(s, e) for s, e in QUESTIONS if e["kind"] == "numeric" and e.get("tol") == 0]

# The biases of each parameter count, from the sizes in its prompt: one bias per neuron of each b.
BIASES = {
    ("03_architecture", "layer3_params"): 20,  # b^3: n_3 = 20
    ("05_dimensions", "layer1_params"): 7,  # b^1: n_1 = 7
    ("05_dimensions", "network_params"): 7 + 1,  # b^1 (n_1 = 7) and b^2 (n_2 = 1)
    ("11_lstm_gru_preview", "lstm_params"): 4 * 16,  # b^i, b^f, b^g, b^o: n_h = 16 each
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    quiz.set_notebook(None)
    quiz._displayed.clear()
    yield
    quiz.set_notebook(None)
    quiz._displayed.clear()


def ask(stem: str, qid: str):
    return quiz.ask(qid, notebook=stem)


# --------------------------------------------------------------------------- 1. counts are exact


def test_a_count_short_of_its_biases_is_told_so_never_about_rounding():
    q = NumericQuestion("How many parameters does layer 3 have?", 620, tol=0, biases=20)
    msg = q.check("600").message
    assert "the biases are missing" in msg
    for response in ("600", "621", "619", "620.5"):
        msg = q.check(response).message
        assert not re.search(r"rounding|tolerance|±", msg), msg


def test_every_how_many_question_is_a_count():
    for stem, e in QUESTIONS:
        if e["kind"] == "numeric" and e["prompt"].startswith("How many"):
            assert e.get("tol") == 0, f"{stem}/{e['id']}: a count needs tol 0 (it is exact)"


@pytest.mark.parametrize(("stem", "entry"), COUNTS, ids=[f"{s[:2]}-{e['id']}" for s, e in COUNTS])
def test_counts_never_talk_about_rounding(stem, entry):
    q = ask(stem, entry["id"])
    a = entry["answer"]
    for response in (a + 1, a - 1, a + 0.5, a * 1.04, a + 2):
        msg = q.check(response).message
        assert not re.search(r"rounding|tolerance|±", msg), f"{stem}/{entry['id']}: {response} -> {msg}"


def test_every_parameter_count_declares_its_biases():
    counts = {(s, e["id"]): e for s, e in COUNTS if re.search(r"parameters|learn", e["prompt"])}
    assert set(counts) == set(BIASES)
    for key, entry in counts.items():
        assert entry.get("biases") == BIASES[key], f"{key}: biases should be {BIASES[key]}"


@pytest.mark.parametrize("key", sorted(BIASES), ids=[q for _, q in sorted(BIASES)])
def test_a_count_without_the_biases_gets_the_bias_diagnosis(key):
    stem, qid = key
    q = ask(stem, qid)
    msg = q.check(str(int(q.answer) - BIASES[key])).message
    assert "the biases are missing" in msg and "rounding" not in msg, msg


# --------------------------------------------------------------------------- 2. choice questions

CHOICES = [(s, e) for s, e in QUESTIONS if e["kind"] == "choice"]


@pytest.mark.parametrize(("stem", "entry"), CHOICES, ids=[f"{s[:2]}-{e['id']}" for s, e in CHOICES])
def test_choice_widget_kind_and_feedback_names_the_option_shown(stem, entry):
    ipywidgets = pytest.importorskip("ipywidgets")
    q = ask(stem, entry["id"])
    parts = _parts(q.widget())
    options = parts["rnncourse-quiz-option"]
    (button,) = parts["rnncourse-quiz-check"]
    (feedback,) = parts["rnncourse-quiz-feedback"]
    single = isinstance(entry["correct"], int)
    if single:
        (radio,) = options
        assert isinstance(radio, ipywidgets.RadioButtons) and radio.value is None
        assert list(radio.options) == entry["options"]  # what the learner sees
        wrong = next(o for i, o in enumerate(entry["options"]) if i != entry["correct"])
        radio.value = wrong
        button.click()
        assert "Not yet" in feedback.value and wrong.replace("'", "&#x27;") in feedback.value
        assert not re.search(r"\b[a-z]\) is not", feedback.value)
    else:
        assert all(isinstance(b, ipywidgets.Checkbox) for b in options)
        assert sorted(b.description for b in options) == sorted(entry["options"])


def test_a_single_answer_question_cannot_tick_two_in_the_widget():
    ipywidgets = pytest.importorskip("ipywidgets")
    q = ChoiceQuestion("What may you shuffle?", ["the sequences", "the steps", "both", "neither"], correct=0)
    (radio,) = _parts(q.widget())["rnncourse-quiz-option"]
    assert isinstance(radio, ipywidgets.RadioButtons)
    assert q.check("c").message == 'Not yet: "both" is not the right option.'


# --------------------------------------------------------------------------- 3. examples are never answers


def _examples(q) -> list[str]:
    """Every example of an answer the static texts and the input hint show."""
    found = re.findall(r"\.check\('([^']*)'\)", repr(q) + q._repr_markdown_())
    shown = q._placeholder + " " + q._instructions() if q.kind != "choice" else ""
    if q.kind == "shape":
        found += re.findall(r"\([^)]*\)|\[[^\]]*\]|\d+x\d+", shown)
    elif q.kind == "numeric":
        found += re.findall(r"(?<=[ ,])[-+]?[\d./e-]*\d", shown)
    return found


@pytest.mark.parametrize(("stem", "entry"), QUESTIONS, ids=IDS)
def test_the_example_is_never_an_accepted_answer(stem, entry):
    q = ask(stem, entry["id"])
    examples = _examples(q)
    assert examples, f"{stem}/{entry['id']}: no example found"
    for example in examples:
        assert not q._judge(example)[0], f"{stem}/{entry['id']}: the example {example!r} is accepted"
    text = repr(q) + q._repr_markdown_()
    assert "q.check" not in text  # the notebook's variable is not known here: no name is given


def test_the_example_differs_from_the_answer_where_it_used_to_equal_it():
    warm = ask("00_start_here", "warmup")  # answer (2, 3)
    bound = ask("10_vanishing_gradients", "tanh_bound")  # 0.5^20: 1e-6 is accepted
    assert not bound._judge(bound._example())[0]
    assert ask("01_sequences", "what_to_shuffle")._example() == "b"  # a) is the answer
    assert ask("07_rnn_types", "many_to_one")._example() == "a, b"  # a, c is the answer
    assert not warm._judge(warm._example())[0]


# --------------------------------------------------------------------------- 4. diagnoses on topic

FIXED = [
    # (notebook, qid, response, key phrase of the new wording, phrase it must not have)
    ("04_feeding_sequences", "keras_x", "(5, 20, 32)", "batch-first layout (m, T, n_0)", "This course"),
    ("07_rnn_types", "tagger_logits", "(12, 64, 7)", "indexing [t] gives the array of step t", "X[t]"),
    ("07_rnn_types", "tagger_logits", "(64, 12, 7)", "(m, T, n)", "n_0"),
    ("06_simplified_notation", "stacked_input", "(3, 64)", "stacked on top of each other", "side by side"),
    ("10_vanishing_gradients", "tanh_bound", "0.5^19", "one factor of 0.5 short: count the steps", "of 2"),
    ("10_vanishing_gradients", "tanh_bound", "0.5^21", "one factor of 0.5 too many", "exactly 2"),
    ("08_training", "dl_dw_r", "(64, 32)", "that is the shape of a_{t-1}^T", "dL/dz_t transposed"),
    ("05_dimensions", "b1", "(1, 7)", "A bias is a column", "(rows, columns)"),
    ("06_simplified_notation", "w1", "(10, 7)", "looks transposed", "W_F^l is"),
    ("08_training", "batch_loss", "1.01", "not within the tolerance", "whole number"),
]


@pytest.mark.parametrize(("stem", "qid", "response", "says", "not_says"), FIXED)
def test_diagnosis_speaks_of_the_question(stem, qid, response, says, not_says):
    msg = ask(stem, qid).check(response).message
    assert says in msg and not_says not in msg, msg


# --------------------------------------------------------------------------- 5. solved before a restart


def test_a_quiz_solved_before_shows_the_answer_and_the_date():
    pytest.importorskip("ipywidgets")
    quiz.set_notebook("05_dimensions")
    assert quiz.ask("w_f1").check("7 x 3").correct
    quiz.ask("w_f1").check("(3, 7)")  # a wrong answer after the right one
    when = progress.attempts()[0].time[:10]
    fresh = quiz.ask("w_f1")  # as after a kernel restart
    parts = _parts(fresh.widget())
    (text,) = parts["rnncourse-quiz-input"]
    (solved,) = parts["rnncourse-quiz-solved"]
    assert text.value == "7 x 3"
    assert solved.layout.display != "none" and f"You solved this on {when}" in solved.value
    assert len(progress.attempts()) == 2  # filling it in is not a new answer
    (button,) = parts["rnncourse-quiz-check"]
    text.value = "(3, 7)"  # and it can be answered again
    assert len(progress.attempts()) == 3
    assert f"You solved this on {when}" in repr(fresh)  # plain text, without widgets
    assert f"You solved this on {when}" in fresh._repr_markdown_()


def test_a_solved_choice_question_shows_its_right_option():
    pytest.importorskip("ipywidgets")
    quiz.set_notebook("03_architecture")
    quiz.ask("params_vs_t").check("a")
    (radio,) = _parts(quiz.ask("params_vs_t").widget())["rnncourse-quiz-option"]
    assert radio.value == "it stays the same"
    assert 'answering "it stays the same"' in repr(quiz.ask("params_vs_t"))


def test_unsolved_or_solved_elsewhere_shows_nothing():
    pytest.importorskip("ipywidgets")
    quiz.ask("w_f1", notebook="05_dimensions").check("(3, 7)")  # wrong
    progress.record("06_simplified_notation", "w_f1", "7x3", True)  # another notebook
    q = quiz.ask("w_f1", notebook="05_dimensions")
    parts = _parts(q.widget())
    (text,) = parts["rnncourse-quiz-input"]
    (solved,) = parts["rnncourse-quiz-solved"]
    assert text.value == "" and solved.layout.display == "none"
    assert "solved" not in repr(q)


# --------------------------------------------------------------------------- 6. plain text without $


@pytest.mark.parametrize(("stem", "entry"), QUESTIONS, ids=IDS)
def test_no_dollar_in_plain_text(stem, entry):
    from IPython.lib.pretty import pretty

    q = ask(stem, entry["id"])
    texts = [repr(q), q._right_text()]
    answer = entry["answer"] if entry["kind"] != "choice" else entry["correct"]
    for response in [w["response"] for w in entry.get("wrong", [])] + [answer]:
        fb = q.check(response)
        texts += [str(fb), pretty(fb)]
    assert any("Hint:" in t for t in texts) and any("Explanation:" in t for t in texts)
    for text in texts:
        assert "$" not in text, f"{stem}/{entry['id']}: {text!r}"
    if "$" in entry.get("explanation", ""):  # the Markdown keeps the maths for the front end to typeset
        assert "$" in q.check(answer)._repr_markdown_()


def test_a_count_that_fits_two_slips_names_both():
    """In 05, 77 is the network without its biases and also the recurrent layer alone."""
    msg = ask("05_dimensions", "network_params").check("77").message
    assert "the biases are missing" in msg and "only the recurrent layer" in msg, msg
