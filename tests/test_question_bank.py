"""The question bank: valid, in step with the notebooks, and every stated answer behaves as stated.

- every notebook has a bank file, and every bank file a notebook;
- ids are unique within a notebook (also checked by the loader);
- every ``quiz.ask(...)`` id of a notebook exists in its bank, and every question
  of the bank is asked, once;
- every stated answer (and every listed ``right`` response) is accepted, and every
  listed ``wrong`` variant is rejected with the diagnosis it names;
- the loader refuses a broken bank with a message naming the file, question and field.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from rnncourse import quiz
from rnncourse.quiz import bank

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    quiz.set_notebook(None)
    yield
    quiz.set_notebook(None)


def asked_ids(stem: str) -> list[str]:
    """The ids passed to quiz.ask(...) in the code cells of a notebook, in order (read, not run)."""
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    ids = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        source = "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "ask"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "quiz"
            ):
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant), (
                    f"{stem}: quiz.ask must be given the id as a literal string"
                )
                ids.append(node.args[0].value)
    return ids


def notebook_name(stem: str) -> str:
    """The name the notebook gives quiz.set_notebook(...)."""
    text = (ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8")
    names = re.findall(r'quiz\.set_notebook\(\\"([^"\\]+)\\"\)', text)
    assert names, f"{stem}: no quiz.set_notebook(...) call"
    return names[0]


def all_questions() -> list[tuple[str, dict]]:
    return [(stem, e) for stem in bank.notebooks_with_a_bank() for e in bank.load_bank(stem).values()]


QUESTIONS = all_questions()
IDS = [f"{stem[:2]}-{e['id']}" for stem, e in QUESTIONS]


def test_every_notebook_has_a_bank_and_every_bank_a_notebook():
    assert len(NOTEBOOKS) == 13
    assert bank.notebooks_with_a_bank() == NOTEBOOKS


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_names_itself_for_the_bank(stem):
    assert notebook_name(stem) == stem


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_ids_are_unique_within_the_notebook(stem):
    raw = json.loads(bank.bank_path(stem).read_text(encoding="utf-8"))
    ids = [q["id"] for q in raw["questions"]]
    assert len(ids) == len(set(ids)), f"{stem}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_bank_matches_the_notebook(stem):
    asked = asked_ids(stem)
    in_bank = list(bank.load_bank(stem))
    assert asked, f"{stem}: no quiz.ask(...) cell"
    missing = [i for i in asked if i not in in_bank]
    assert not missing, f"{stem}: asks for ids not in {bank.bank_path(stem).name}: {missing}"
    never = [i for i in in_bank if i not in asked]
    assert not never, f"{stem}: bank questions that no cell asks: {never}"
    twice = sorted({i for i in asked if asked.count(i) > 1})
    assert not twice, f"{stem}: asked twice: {twice}"
    assert asked == in_bank, f"{stem}: the bank should list its questions in the order the notebook asks them"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_no_quiz_cell_holds_an_answer(stem):
    """A quiz cell shows a question by id: no question is built in the notebook itself."""
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "Question(" not in cell.source, f"{stem}: a cell builds a question, not asking the bank"
            if "quiz.ask(" in cell.source:
                folded = "source_hidden" in json.dumps(cell.metadata)
                assert not folded, f"{stem}: a one-line quiz cell is folded"
                assert "NBVAL_IGNORE_OUTPUT" in cell.source


@pytest.mark.parametrize(("stem", "entry"), QUESTIONS, ids=IDS)
def test_stated_answer_is_accepted(stem, entry):
    q = quiz.ask(entry["id"], notebook=stem)
    assert q.qid == entry["id"] and q.notebook == stem
    answer = entry["answer"] if entry["kind"] != "choice" else entry["correct"]
    fb = q.check(answer)
    assert fb.correct, f"{stem}/{entry['id']}: the stated answer {answer!r} is refused: {fb.message}"
    for response in entry.get("right", []):
        fb = q.check(response)
        assert fb.correct, f"{stem}/{entry['id']}: {response!r} should be accepted: {fb.message}"
    right, wrong = q._key()  # what the browser tests will type
    assert q.check(right).correct and not q.check(wrong).correct


NUMERIC = [(stem, e) for stem, e in QUESTIONS if e["kind"] == "numeric"]


@pytest.mark.parametrize(("stem", "entry"), NUMERIC, ids=[f"{s[:2]}-{e['id']}" for s, e in NUMERIC])
def test_no_example_shown_with_a_numeric_question_is_its_answer(stem, entry):
    """The box's placeholder and the instructions show numbers (0.25, 1e-3, 1/4): none may be accepted."""
    q = quiz.ask(entry["id"], notebook=stem)
    shown = " ".join([q._placeholder, q._instructions(), q._format_help(), str(q._example())])
    examples = re.findall(r"\d[\d.e/-]*\d|\d", shown)
    assert examples, f"no example found in {shown!r}"
    accepted = [x for x in examples if q.check(x).correct]
    assert not accepted, f"{stem}/{entry['id']}: the form shows {accepted} as an example, and it is accepted"


@pytest.mark.parametrize(("stem", "entry"), QUESTIONS, ids=IDS)
def test_wrong_variants_get_their_diagnosis(stem, entry):
    q = quiz.ask(entry["id"], notebook=stem)
    assert entry.get("wrong"), f"{stem}/{entry['id']}: list at least one wrong variant and its diagnosis"
    for w in entry["wrong"]:
        fb = q.check(w["response"])
        assert not fb.correct, f"{stem}/{entry['id']}: {w['response']!r} is accepted but listed as wrong"
        assert w["diagnosis"] in fb.message, (
            f"{stem}/{entry['id']}: {w['response']!r} should be told {w['diagnosis']!r}, got {fb.message!r}"
        )


def test_ask_uses_the_notebook_set_by_set_notebook():
    quiz.set_notebook("05_dimensions")
    q = quiz.ask("w_f1")
    assert isinstance(q, quiz.ShapeQuestion) and q.notebook == "05_dimensions" and q.answer == (7, 3)
    assert "w_f1" in repr(q) and "(7, 3)" not in repr(q)


def test_ask_an_unknown_id_or_notebook_says_what_exists():
    quiz.set_notebook("05_dimensions")
    with pytest.raises(quiz.BankError, match=r"no question 'w_f9'.*w_f1"):
        quiz.ask("w_f9")
    quiz.set_notebook("99_nothing")
    with pytest.raises(quiz.BankError, match=r"no question bank for notebook '99_nothing'.*05_dimensions"):
        quiz.ask("w_f1")


# --------------------------------------------------------------------------- the loader refuses bad banks


def _good() -> dict:
    return {
        "notebook": "99_test",
        "questions": [
            {"id": "s", "kind": "shape", "prompt": "Shape?", "answer": [7, 3]},
            {"id": "n", "kind": "numeric", "prompt": "Count?", "answer": 21, "tol": 0},
            {"id": "c", "kind": "choice", "prompt": "Which?", "options": ["x", "y"], "correct": 1},
        ],
    }


def _break(change):
    data = _good()
    change(data)
    return data


BROKEN = {
    "wrong notebook": (lambda d: d.update(notebook="98_other"), "says it is the bank of '98_other'"),
    "duplicate id": (lambda d: d["questions"][1].update(id="s"), "question 2 \\(id 's'\\).*used twice"),
    "unknown kind": (lambda d: d["questions"][0].update(kind="essay"), "kind must be one of"),
    "missing answer": (lambda d: d["questions"][0].pop("answer"), "a shape question needs answer"),
    "misspelt field": (lambda d: d["questions"][1].update(tolerance=1), "unknown field\\(s\\) tolerance"),
    "bad shape": (lambda d: d["questions"][0].update(answer=[7, "3"]), "answer must be a list of sizes"),
    "bad related": (lambda d: d["questions"][0].update(related={"W": 7}), "related must map names"),
    "bad number": (lambda d: d["questions"][1].update(answer="21"), "answer must be a number"),
    "bad correct": (lambda d: d["questions"][2].update(correct=2), "correct must be an option index"),
    "bad id": (lambda d: d["questions"][2].update(id="a b"), "id must be letters"),
    "empty prompt": (lambda d: d["questions"][2].update(prompt=" "), "the prompt is empty"),
    "bad wrong": (lambda d: d["questions"][0].update(wrong=[{"response": "x"}]), "each wrong variant"),
    "bad gives_away": (
        lambda d: d["questions"][2].update(gives_away="x"),
        "gives_away must be a list of phrases",
    ),
    "no questions": (lambda d: d.update(questions=[]), "must be a non-empty list"),
    "negative tol": (lambda d: d["questions"][1].update(tol=-1), "tol and rel_tol must be >= 0"),
}


@pytest.fixture
def scratch_bank(tmp_path, monkeypatch):
    monkeypatch.setattr(bank, "BANK", tmp_path)

    def write(data) -> None:
        path = tmp_path / "99_test.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")

    return write


def test_a_good_scratch_bank_loads(scratch_bank):
    scratch_bank(_good())
    assert list(bank.load_bank("99_test")) == ["s", "n", "c"]
    assert quiz.ask("c", notebook="99_test").check("b").correct


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_banks_are_refused_clearly(scratch_bank, case):
    change, message = BROKEN[case]
    scratch_bank(_break(change))
    with pytest.raises(quiz.BankError, match="99_test.json.*" + message):
        bank.load_bank("99_test")


def test_invalid_json_is_refused_clearly(scratch_bank):
    scratch_bank('{"notebook": "99_test", "questions": [')
    with pytest.raises(quiz.BankError, match="99_test.json is not valid JSON"):
        bank.load_bank("99_test")
