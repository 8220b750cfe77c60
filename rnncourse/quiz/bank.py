"""The question bank: the course's questions as data, one JSON file per notebook.

A notebook's quiz cell is one line, ``quiz.ask("w_f1")``: it shows the question
with that id from ``bank/<notebook>.json``, the notebook being the one named by
`rnncourse.quiz.set_notebook` in the notebook's import cell. The answer is in
the bank, not in the cell. JSON, because the standard library reads it on every
Python the course supports (3.10 has no ``tomllib``).

The schema, checked on load (a mistake raises `BankError` naming the file, the
question and the field)::

    {"notebook": "05_dimensions",
     "questions": [
       {"id": "w_f1", "kind": "shape", "prompt": "...",
        "answer": [7, 3], "name": "W_F^1", "batch": 64,
        "related": {"W_R^1": [7, 7]},
        "explanation": "...", "hint": "...",
        "right": ["7x3"],
        "wrong": [{"response": "(3, 7)", "diagnosis": "looks transposed"}],
        "notebook_value": "params['W_F'].shape"}]}

Every question has ``id`` (letters, digits, ``_`` and ``-``; unique in its
notebook), ``kind`` and ``prompt``; ``explanation`` and ``hint`` are optional.
By kind:

- ``shape``: ``answer`` (a list of sizes); optional ``name``, ``batch``, ``related``
  (name -> list of sizes).
- ``numeric``: ``answer`` (a number); optional ``tol`` and ``rel_tol``; for a
  parameter count, ``biases`` (how many of the parameters are biases: the count
  without them is told the biases are missing); for a power, ``power`` (``[base,
  steps]`` with ``base ** steps`` the answer: one step short or over is told so);
  ``slips`` (``[[value, diagnosis], ...]``: what a wrong value that the automatic
  diagnoses would misread is told, e.g. a count that two slips both give).
- ``choice``: ``options`` (a list of texts), ``correct`` (an index or a list of
  indices, 0-based); optional ``multiple``.

Fields for the tests only: ``right`` (more responses that must be accepted),
``wrong`` (responses that must be rejected, each with a ``diagnosis``: words the
feedback must contain), ``notebook_value`` (a Python expression over the
notebook's variables that computes the answer; `tests/test_quiz_consistency.py`
runs the notebook and compares; this module never evaluates it), and
``gives_away`` (phrases with which the notebook states the answer, which
`tests/test_quiz_placement.py` requires to come after the quiz, not just above it).
"""

from __future__ import annotations

import json
import numbers
import re
from pathlib import Path
from typing import Any

from .choice import ChoiceQuestion
from .numeric import NumericQuestion
from .question import Question
from .registry import current_notebook
from .shape import ShapeQuestion

BANK = Path(__file__).resolve().parent / "bank"
_ID = re.compile(r"[A-Za-z0-9_-]+")

_COMMON = {"id", "kind", "prompt", "explanation", "hint", "right", "wrong", "notebook_value", "gives_away"}
_FIELDS = {
    "shape": ({"answer"}, {"name", "batch", "related"}),
    "numeric": ({"answer"}, {"tol", "rel_tol", "biases", "power", "slips"}),
    "choice": ({"options", "correct"}, {"multiple"}),
}
_cache: dict[Path, tuple[float, dict[str, dict]]] = {}


class BankError(ValueError):
    """A bank file is missing, is not valid JSON, or breaks the schema; the message says where."""


def bank_path(notebook: str) -> Path:
    """The bank file of a notebook, e.g. ``bank/05_dimensions.json``.

    Parameters
    ----------
    notebook : the notebook's name without ``.ipynb``, e.g. ``"05_dimensions"``.
    """
    return BANK / f"{notebook}.json"


def notebooks_with_a_bank() -> list[str]:
    """The notebooks that have a bank file, sorted by name."""
    return sorted(p.stem for p in BANK.glob("*.json"))


def load_bank(notebook: str) -> dict[str, dict]:
    """The validated questions of a notebook, id -> entry, in the order of the file.

    Parameters
    ----------
    notebook : the notebook's name without ``.ipynb``, e.g. ``"05_dimensions"``.

    Raises
    ------
    BankError if the file is missing or breaks the schema.
    """
    path = bank_path(notebook)
    if not path.is_file():
        known = ", ".join(notebooks_with_a_bank()) or "none"
        raise BankError(
            f"no question bank for notebook {notebook!r}: {path} does not exist. "
            f"Notebooks with a bank: {known}. Is quiz.set_notebook(...) given the notebook's name?"
        )
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BankError(f"{path.name} is not valid JSON: {exc}") from None
    entries = _validate_file(data, notebook, path.name)
    _cache[path] = (mtime, entries)
    return entries


def ask(qid: str, notebook: str | None = None) -> Question:
    """The question `qid` of the notebook's bank, ready to show (last in a cell) or to check.

    Parameters
    ----------
    qid : the question's id in the bank, e.g. ``"w_f1"``.
    notebook : the notebook whose bank to read; default `current_notebook()`.

    Returns
    -------
    A fresh `ShapeQuestion`, `NumericQuestion` or `ChoiceQuestion` whose ``qid``
    is `qid`, recorded under `notebook`.
    """
    notebook = notebook or current_notebook()
    entries = load_bank(notebook)
    if qid not in entries:
        raise BankError(
            f"{bank_path(notebook).name} has no question {qid!r}; its ids are: {', '.join(entries)}."
        )
    return build(entries[qid], notebook)


def build(entry: dict, notebook: str) -> Question:
    """A question from one validated bank entry.

    Parameters
    ----------
    entry : one question of the bank, as returned by `load_bank`.
    notebook : the notebook the question is recorded under.
    """
    common = {
        "explanation": entry.get("explanation", ""),
        "hint": entry.get("hint", ""),
        "qid": entry["id"],
        "notebook": notebook,
    }
    kind = entry["kind"]
    if kind == "shape":
        related = {k: tuple(v) for k, v in entry.get("related", {}).items()}
        return ShapeQuestion(
            entry["prompt"],
            tuple(entry["answer"]),
            name=entry.get("name"),
            related=related or None,
            batch=entry.get("batch"),
            **common,
        )
    if kind == "numeric":
        extra = {k: entry[k] for k in ("tol", "rel_tol", "biases") if k in entry}
        if "power" in entry:
            extra["power"] = tuple(entry["power"])
        if "slips" in entry:
            extra["slips"] = {value: text for value, text in entry["slips"]}
        return NumericQuestion(entry["prompt"], entry["answer"], **extra, **common)
    return ChoiceQuestion(
        entry["prompt"], entry["options"], entry["correct"], multiple=entry.get("multiple"), **common
    )


# --------------------------------------------------------------------------- validation


def _validate_file(data: Any, notebook: str, fname: str) -> dict[str, dict]:
    if not isinstance(data, dict) or set(data) != {"notebook", "questions"}:
        raise BankError(f'{fname}: the file must be an object {{"notebook": ..., "questions": [...]}}.')
    if data["notebook"] != notebook:
        raise BankError(f"{fname}: says it is the bank of {data['notebook']!r}, expected {notebook!r}.")
    if not isinstance(data["questions"], list) or not data["questions"]:
        raise BankError(f'{fname}: "questions" must be a non-empty list.')
    entries: dict[str, dict] = {}
    for i, entry in enumerate(data["questions"]):
        where = f"{fname}, question {i + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            where += f" (id {entry['id']!r})"
        _validate_entry(entry, where)
        if entry["id"] in entries:
            raise BankError(f"{where}: the id {entry['id']!r} is used twice in this notebook.")
        entries[entry["id"]] = entry
    return entries


def _validate_entry(entry: Any, where: str) -> None:
    if not isinstance(entry, dict):
        raise BankError(f"{where}: a question must be a JSON object, got {type(entry).__name__}.")
    for field in ("id", "kind", "prompt"):
        if field not in entry:
            raise BankError(f"{where}: the field {field!r} is missing.")
    if not isinstance(entry["id"], str) or not _ID.fullmatch(entry["id"]):
        raise BankError(f"{where}: id must be letters, digits, '_' or '-', got {entry['id']!r}.")
    kind = entry["kind"]
    if kind not in _FIELDS:
        raise BankError(f"{where}: kind must be one of {sorted(_FIELDS)}, got {kind!r}.")
    required, optional = _FIELDS[kind]
    missing = required - set(entry)
    if missing:
        raise BankError(f"{where}: a {kind} question needs {', '.join(sorted(missing))}.")
    unknown = set(entry) - required - optional - _COMMON
    if unknown:
        allowed = ", ".join(sorted(required | optional | _COMMON))
        raise BankError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; the fields are: {allowed}.")
    for field in ("prompt", "explanation", "hint", "name", "notebook_value"):
        if field in entry and not isinstance(entry[field], str):
            raise BankError(f"{where}: {field} must be a string, got {entry[field]!r}.")
    if not entry["prompt"].strip():
        raise BankError(f"{where}: the prompt is empty.")
    _validate_kind(entry, kind, where)
    _validate_test_fields(entry, where)
    try:
        build(entry, "bank")
    except ValueError as exc:
        raise BankError(f"{where}: {exc}") from None


def _sizes(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in value)
    )


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _validate_kind(entry: dict, kind: str, where: str) -> None:
    if kind == "shape":
        if not _sizes(entry["answer"]):
            raise BankError(f"{where}: answer must be a list of sizes, e.g. [7, 3], got {entry['answer']!r}.")
        related = entry.get("related", {})
        if not isinstance(related, dict) or not all(_sizes(v) for v in related.values()):
            raise BankError(f'{where}: related must map names to lists of sizes, e.g. {{"W_R": [7, 7]}}.')
        batch = entry.get("batch", 1)
        if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
            raise BankError(f"{where}: batch must be a whole number >= 1 (the batch size m).")
    elif kind == "numeric":
        for field in ("answer", "tol", "rel_tol", "biases"):
            if field in entry and not _number(entry[field]):
                raise BankError(f"{where}: {field} must be a number, got {entry[field]!r}.")
        power = entry.get("power", [1, 2])
        if not (isinstance(power, list) and len(power) == 2 and _number(power[0]) and _sizes(power[1:])):
            raise BankError(f"{where}: power must be [base, steps], e.g. [0.5, 10], got {power!r}.")
        slips = entry.get("slips", [])
        if not (
            isinstance(slips, list)
            and all(
                isinstance(x, list) and len(x) == 2 and _number(x[0]) and isinstance(x[1], str) for x in slips
            )
        ):
            raise BankError(f'{where}: slips must be [[value, "what it is told"], ...], got {slips!r}.')
    else:
        options = entry["options"]
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise BankError(f"{where}: options must be a list of texts.")
        correct = entry["correct"]
        indices = correct if isinstance(correct, list) else [correct]
        if not indices or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(options) for i in indices
        ):
            raise BankError(
                f"{where}: correct must be an option index (0 to {len(options) - 1}) or a list of them, "
                f"got {correct!r}."
            )
        if "multiple" in entry and not isinstance(entry["multiple"], bool):
            raise BankError(f"{where}: multiple must be true or false.")


def _validate_test_fields(entry: dict, where: str) -> None:
    right = entry.get("right", [])
    if not isinstance(right, list):
        raise BankError(f"{where}: right must be a list of responses that must be accepted.")
    phrases = entry.get("gives_away", [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise BankError(f"{where}: gives_away must be a list of phrases of the notebook, got {phrases!r}.")
    wrong = entry.get("wrong", [])
    if not isinstance(wrong, list):
        raise BankError(f'{where}: wrong must be a list of {{"response": ..., "diagnosis": ...}}.')
    for w in wrong:
        if (
            not isinstance(w, dict)
            or set(w) != {"response", "diagnosis"}
            or not isinstance(w["diagnosis"], str)
            or not w["diagnosis"].strip()
        ):
            raise BankError(
                f'{where}: each wrong variant must be {{"response": ..., "diagnosis": "words of the '
                f'feedback"}}, got {w!r}.'
            )
