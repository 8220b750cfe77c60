"""Tests of rnncourse.progress (the SQLite store) and of ``python -m rnncourse progress``."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from rnncourse import progress, quiz

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A fresh progress database path, set through the environment as a learner would."""
    path = tmp_path / "data" / "progress.sqlite3"
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(path))
    return path


def _env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(ROOT), RNNCOURSE_PROGRESS=str(db), PYTHONUNBUFFERED="1")
    return env


def _rows_on_disk(db: Path) -> list[tuple]:
    con = sqlite3.connect(str(db))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return con.execute("SELECT notebook, qid, response, correct FROM attempts ORDER BY id").fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- basics


def test_record_and_read_back(db):
    assert progress.record("05_dimensions", "q1", "7x10", True) is True
    assert progress.record("05_dimensions", "q1", "(10, 7)", False) is True
    rows = progress.attempts()
    assert [(r.notebook, r.qid, r.response, r.correct) for r in rows] == [
        ("05_dimensions", "q1", "7x10", True),
        ("05_dimensions", "q1", "(10, 7)", False),
    ]
    assert rows[0].time.endswith("+00:00") and "T" in rows[0].time
    assert _rows_on_disk(db) == [("05_dimensions", "q1", "7x10", 1), ("05_dimensions", "q1", "(10, 7)", 0)]


def test_wal_mode(db):
    progress.record("n", "q", "r", True)
    con = sqlite3.connect(str(db))
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_path_is_read_at_call_time(tmp_path, monkeypatch):
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(first))
    progress.record("n", "q", "r", True)
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(second))
    progress.record("n", "q", "r", False)
    assert len(_rows_on_disk(first)) == 1 and len(_rows_on_disk(second)) == 1


def test_default_path_follows_the_platform(tmp_path, monkeypatch):
    monkeypatch.delenv("RNNCOURSE_PROGRESS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert progress.default_path() == tmp_path / "xdg" / "rnncourse" / "progress.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert progress.default_path() == tmp_path / ".local" / "share" / "rnncourse" / "progress.sqlite3"
    monkeypatch.setattr(sys, "platform", "darwin")
    expected = tmp_path / "Library" / "Application Support" / "rnncourse" / "progress.sqlite3"
    assert progress.default_path() == expected
    monkeypatch.setattr(sys, "platform", "win32")
    assert progress.default_path() == tmp_path / "appdata" / "rnncourse" / "progress.sqlite3"


def test_every_check_is_recorded(db):
    quiz.set_notebook("05_dimensions")
    try:
        q = quiz.ShapeQuestion("Shape of a_t?", answer=(7, 64), qid="a_t")
        q.check("64x7")
        q.check((7, 64))
    finally:
        quiz.set_notebook(None)
    assert _rows_on_disk(db) == [("05_dimensions", "a_t", "64x7", 0), ("05_dimensions", "a_t", "(7, 64)", 1)]


def test_record_never_raises_on_odd_arguments(db):
    class Odd:
        def __str__(self):
            raise RuntimeError("no")

    assert progress.record(Odd(), "q", "r", True) is False
    assert progress.record("n", "q", "\x00\U0001f600" * 1000, True) is True


def test_summary_and_reset(db):
    for nb, qid, ok in [("05", "a", False), ("05", "a", True), ("05", "b", False), ("06", "c", True)]:
        progress.record(nb, qid, "r", ok)
    assert progress.summary() == [
        {"notebook": "05", "answered": 2, "correct": 1, "attempts": 3},
        {"notebook": "06", "answered": 1, "correct": 1, "attempts": 1},
    ]
    assert progress.reset() == 4
    assert progress.summary() == []


# --------------------------------------------------------------------------- failures


def test_corrupt_database_is_moved_aside(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database \x00\xff" * 200)
    with pytest.warns(RuntimeWarning, match="moved aside"):
        assert progress.record("05", "q", "7x10", True) is True
    moved = list(db.parent.glob("progress.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"this is not a database")
    assert _rows_on_disk(db) == [("05", "q", "7x10", 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new database works without further warnings
        assert progress.record("05", "q", "7x10", True) is True


def test_corrupt_database_and_a_quiz(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(os.urandom(8192))
    q = quiz.NumericQuestion("Parameters of W_F?", 21)
    with pytest.warns(RuntimeWarning, match="could not be read"):
        assert q.check("21").correct
    assert len(_rows_on_disk(db)) == 1


def _unwritable_path(tmp_path: Path) -> Path:
    """A database path that cannot be created, for root as well as for other users."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root ignores directory permissions
        blocker = tmp_path / "afile"
        blocker.write_text("a regular file, not a directory")
        return blocker / "db.sqlite3"
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    return locked / "sub" / "db.sqlite3"


def test_unwritable_location_warns_once_and_the_quiz_keeps_working(tmp_path, monkeypatch):
    path = _unwritable_path(tmp_path)
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(path))
    q = quiz.ShapeQuestion("Shape of b?", answer=(7, 1), qid="b")
    try:
        with pytest.warns(RuntimeWarning, match="cannot write your quiz progress"):
            assert q.check("1x7").correct is False
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # only one warning per location
            assert q.check("7x1").correct is True
        kept = progress.attempts()
        assert [(a.qid, a.response, a.correct) for a in kept] == [("b", "1x7", False), ("b", "7x1", True)]
        assert not path.exists()
    finally:
        if path.parent.name == "sub":
            path.parent.parent.chmod(0o700)


def test_records_kept_in_memory_reach_the_disk_later(tmp_path, monkeypatch):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    path = blocker / "db.sqlite3"
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(path))
    with pytest.warns(RuntimeWarning):
        assert progress.record("05", "q", "first", False) is False
    blocker.unlink()  # the location becomes writable again
    assert progress.record("05", "q", "second", True) is True
    assert [r[2] for r in _rows_on_disk(path)] == ["first", "second"]


WRITER = """
import sys
from rnncourse import progress
name, n = sys.argv[1], int(sys.argv[2])
i = 0
while n < 0 or i < n:
    if not progress.record("nb", name, str(i), i % 2 == 0):
        sys.exit("record %d was not written to disk" % i)
    print(i, flush=True)
    i += 1
"""


def test_two_processes_writing_at_once_lose_nothing(db):
    db.parent.mkdir(parents=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, "200"],
            env=_env(db),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("kernel-1", "kernel-2")
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    rows = _rows_on_disk(db)
    assert len(rows) == 400
    for name in ("kernel-1", "kernel-2"):
        assert sorted(int(r[2]) for r in rows if r[1] == name) == list(range(200))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_writer_killed_mid_run_keeps_every_committed_record(db):
    db.parent.mkdir(parents=True)
    p = subprocess.Popen(
        [sys.executable, "-c", WRITER, "victim", "-1"],
        env=_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed = []
    try:
        while len(committed) < 100:
            line = p.stdout.readline()
            assert line, p.stderr.read()
            committed.append(int(line))
    finally:
        os.kill(p.pid, signal.SIGKILL)
        rest, _ = p.communicate(timeout=60)
    committed += [int(x) for x in rest.split()]  # lines printed before the kill
    assert p.returncode == -signal.SIGKILL
    on_disk = {int(r[2]) for r in _rows_on_disk(db) if r[1] == "victim"}
    assert set(committed) <= on_disk
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert progress.record("nb", "after", "x", True) is True


# --------------------------------------------------------------------------- the command line


def _cli(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rnncourse", *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        env=_env(db),
        cwd=ROOT,
        timeout=60,
    )


@pytest.fixture
def small_db(db) -> Path:
    for nb, qid, ok in [
        ("05_dimensions", "a", False),
        ("05_dimensions", "a", True),
        ("05_dimensions", "b", False),
        ("06_simplified_notation", "c", True),
    ]:
        progress.record(nb, qid, "r", ok)
    return db


def test_cli_prints_a_table_per_notebook(small_db):
    out = _cli(small_db, "progress")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    header = next(line for line in lines if line.startswith("notebook"))
    assert header.split() == ["notebook", "answered", "correct", "attempts"]
    table = {
        line.split()[0]: line.split()[1:] for line in lines if line.split() and line.split()[0][:2].isdigit()
    }
    assert table == {"05_dimensions": ["2", "1", "3"], "06_simplified_notation": ["1", "1", "1"]}
    assert next(line for line in lines if line.startswith("total")).split()[1:] == ["3", "2", "4"]


def test_cli_on_an_empty_database(db):
    out = _cli(db, "progress")
    assert out.returncode == 0 and "No quiz answers recorded yet" in out.stdout


@pytest.mark.parametrize(
    ("stdin", "kept"), [("n\n", True), ("\n", True), (None, True), ("", True), ("y\n", False)]
)
def test_cli_reset_asks_first(small_db, stdin, kept):
    out = _cli(small_db, "progress", "--reset", stdin=stdin)
    assert "[y/N]" in out.stdout
    assert len(_rows_on_disk(small_db)) == (4 if kept else 0), out.stdout
    assert out.returncode == (1 if kept else 0)


def test_cli_reset_yes_skips_the_question(small_db):
    out = _cli(small_db, "progress", "--reset", "--yes")
    assert out.returncode == 0 and "[y/N]" not in out.stdout and "Deleted 4" in out.stdout
    assert _rows_on_disk(small_db) == []


def test_cli_without_a_command_prints_help(db):
    out = _cli(db)
    assert out.returncode == 2 and "progress" in out.stdout
