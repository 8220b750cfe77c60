"""The progress table: of how many, what is open, and reading never writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rnncourse import progress, quiz

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "progress.sqlite3"
    monkeypatch.setenv(progress.ENV, str(path))
    return path


def test_totals_come_from_the_bank_and_the_exercises(db):
    rows = {r["notebook"]: r for r in progress.table()}
    assert rows["05_dimensions"]["quizzes"]["total"] == len(quiz.load_bank("05_dimensions"))
    assert rows["02_recurrence"]["exercises"]["open"] == ["cell_forward"]
    assert rows["00_start_here"]["quizzes"]["open"] == ["warmup"]


def test_answers_move_from_open_to_correct(db):
    progress.record("05_dimensions", "w_f1", "x", False)
    progress.record("05_dimensions", "b1", "x", True)
    row = next(r for r in progress.table() if r["notebook"] == "05_dimensions")["quizzes"]
    assert (row["answered"], row["correct"]) == (2, 1)
    assert "b1" not in row["open"] and "w_f1" in row["open"]


def test_report_and_show_read_without_writing(db, capsys):
    text = progress.report()
    progress.show()
    assert "total" in text and "0/0 of" in text and "warmup" in capsys.readouterr().out
    assert progress.report(markdown=True).startswith("| notebook |")
    assert not db.exists()


def test_a_paused_check_records_nothing(db):
    with progress.paused():
        quiz.ask("warmup", "00_start_here").check("3x2")
    assert progress.read().attempts == [] and not db.exists()


def _code_cells(name: str) -> list[str]:
    nb = json.loads(next((ROOT / "notebooks").glob(f"{name}*.ipynb")).read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_running_notebook_00_records_nothing(db, capsys):
    scope: dict = {}
    for src in _code_cells("00"):
        code = "\n".join(line for line in src.splitlines() if not line.startswith(("%", "!")))
        exec(compile(code, "00", "exec"), scope)
    assert progress.read().attempts == []
