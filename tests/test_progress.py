"""Tests of rnncourse.progress (the SQLite store) and of ``python -m rnncourse progress``."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from rnncourse import progress, quiz

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _forget_unsaved_answers():
    """Answers a test leaves in memory do not carry over to the next test."""
    yield
    progress._memory.clear()
    progress._reasons.clear()
    progress._warned.clear()


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
    assert progress.record("05_dimensions", "q1", "7x10", True).saved is True
    assert progress.record("05_dimensions", "q1", "(10, 7)", False).saved is True
    rows = progress.attempts()
    assert [(r.notebook, r.qid, r.response, r.correct) for r in rows] == [
        ("05_dimensions", "q1", "7x10", True),
        ("05_dimensions", "q1", "(10, 7)", False),
    ]
    assert rows[0].time.endswith("+00:00") and "T" in rows[0].time
    assert _rows_on_disk(db) == [("05_dimensions", "q1", "7x10", 1), ("05_dimensions", "q1", "(10, 7)", 0)]


def test_rollback_journal_mode(db):
    """Committed answers live in the database file itself, not in a -wal file beside it."""
    progress.record("n", "q", "r", True)
    con = sqlite3.connect(str(db))
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_a_database_left_in_wal_mode_is_switched_to_the_rollback_journal(db):
    db.parent.mkdir(parents=True)
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA journal_mode = WAL")
    con.execute(progress._SCHEMA)
    con.execute(
        "INSERT INTO attempts (notebook, qid, response, correct, time) VALUES ('05', 'q', 'old', 1, 't')"
    )
    con.commit()
    con.close()
    assert progress.record("05", "q", "new", True).saved
    con = sqlite3.connect(str(db))
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    assert [r[2] for r in _rows_on_disk(db)] == ["old", "new"]


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

    assert progress.record(Odd(), "q", "r", True).saved is False
    assert progress.record("n", "q", "\x00\U0001f600" * 1000, True).saved is True


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


def test_garbage_in_the_way_is_refused_and_the_quiz_keeps_working(db):
    db.parent.mkdir(parents=True)
    garbage = os.urandom(8192)
    db.write_bytes(garbage)
    q = quiz.NumericQuestion("Parameters of W_F?", 21)
    with pytest.warns(RuntimeWarning, match="left untouched"):
        assert q.check("21").correct
    assert db.read_bytes() == garbage
    assert len(progress.attempts()) == 1  # kept in memory


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
        with pytest.warns(RuntimeWarning, match="was not saved"):
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
        assert progress.record("05", "q", "first", False).saved is False
    blocker.unlink()  # the location becomes writable again
    assert progress.record("05", "q", "second", True).saved is True
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
        assert progress.record("nb", "after", "x", True).saved is True


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


def test_cli_prints_a_table_per_notebook(db):
    progress.record("05_dimensions", "w_f1", "r", False)
    progress.record("05_dimensions", "w_f1", "r", True)
    progress.record("05_dimensions", "b1", "r", False)
    progress.record("02_recurrence", "cell_forward", "ok", True)
    out = _cli(db, "progress")
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines() if line.split()}
    assert rows["05_dimensions"][:2] == ["1/2", "of"] and rows["05_dimensions"][2] == "7"
    assert "b1," in rows["05_dimensions"] and "w_f1," not in rows["05_dimensions"]
    assert rows["02_recurrence"][3:6] == ["1/1", "of", "1"]  # the exercise
    assert "cell_forward" not in " ".join(rows["02_recurrence"])
    assert rows["total"][0] == "1/2" and rows["total"][3] == "1/1"


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


# --------------------------------------------------------------------------- what `record` reports


def test_record_says_why_an_answer_was_not_saved_and_how_to_fix_it(tmp_path, monkeypatch):
    path = _unwritable_path(tmp_path)
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(path))
    with pytest.warns(RuntimeWarning):
        first = progress.record("05", "q", "first", False)
    second = progress.record("05", "q", "second", True)
    for result, waiting in ((first, 1), (second, 2)):
        assert not result.saved and not result
        assert result.unsaved == waiting
        assert result.reason
        assert "RNNCOURSE_PROGRESS" in result.message and str(path) in result.message


def test_a_saved_answer_says_so(db):
    result = progress.record("05", "q", "7x10", True)
    assert result.saved and result and result.unsaved == 0 and result.message == ""
    assert result.path == str(db)


def test_answers_waiting_in_memory_are_retried_by_the_next_record(tmp_path, monkeypatch):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    path = blocker / "db.sqlite3"
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(path))
    with pytest.warns(RuntimeWarning):
        progress.record("05", "q", "one", False)
    progress.record("05", "q", "two", False)
    blocker.unlink()
    result = progress.record("05", "q", "three", True)
    assert result.saved and result.unsaved == 0
    assert [r[2] for r in _rows_on_disk(path)] == ["one", "two", "three"]


# --------------------------------------------------------------------------- responses that cannot be encoded


def test_a_lone_surrogate_is_stored_and_blocks_nothing(db):
    assert progress.record("05", "q", "7,\udfff10", False)
    assert progress.record("05", "q", "7,10", True)
    assert [r[2] for r in _rows_on_disk(db)] == ["7,\\udfff10", "7,10"]


def test_a_lone_surrogate_waiting_in_memory_blocks_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    path = blocker / "db.sqlite3"
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(path))
    with pytest.warns(RuntimeWarning):
        progress.record("05", "q\ud800", "7,\udfff10", False)
    blocker.unlink()
    assert progress.record("05", "q", "7,10", True)
    assert [(r[1], r[2]) for r in _rows_on_disk(path)] == [("q\\ud800", "7,\\udfff10"), ("q", "7,10")]


# --------------------------------------------------------------------------- files the course did not make


def _snapshot(path: Path) -> tuple:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def _unrelated_sqlite(path: Path) -> None:
    con = sqlite3.connect(str(path))
    con.execute("CREATE TABLE songs (title TEXT)")
    con.execute("INSERT INTO songs VALUES ('Ode to Joy')")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("text file", lambda p: p.write_text("my thesis, chapter 1\n" * 100)),
        ("empty file", lambda p: p.write_bytes(b"")),
        ("random bytes", lambda p: p.write_bytes(os.urandom(8192))),
        ("unrelated SQLite database", _unrelated_sqlite),
    ],
)
def test_a_file_that_is_not_a_course_database_is_left_untouched(db, kind, make):
    db.parent.mkdir(parents=True)
    make(db)
    before = _snapshot(db)
    with pytest.warns(RuntimeWarning, match="not a course progress database"):
        result = progress.record("05", "q", "7x10", True)
    assert not result.saved
    assert "not a course progress database" in result.message and "RNNCOURSE_PROGRESS" in result.message
    assert progress.record("05", "q", "7x10", False).saved is False
    progress.attempts()
    progress.reset()
    out = _cli(db, "progress")
    assert "not a course progress database" in out.stdout + out.stderr
    assert _snapshot(db) == before, f"the {kind} was changed"


def _course_db_with_rows(db: Path, n: int) -> None:
    for i in range(n):
        assert progress.record("05", "q", str(i), True)


def test_a_corrupt_course_database_is_moved_aside(db):
    _course_db_with_rows(db, 200)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : 3 * page] = b"\xa5" * (2 * page)  # the table's pages become garbage
    db.write_bytes(bytes(data))
    progress._checked.clear()  # as in a new kernel
    with pytest.warns(RuntimeWarning, match="moved aside"):
        assert progress.record("05", "q", "after", True).saved
    moved = list(db.parent.glob("progress.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == bytes(data)
    assert _rows_on_disk(db) == [("05", "q", "after", 1)]


# --------------------------------------------------------------------------- durability


HOLDER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1])
con.execute("SELECT count(*) FROM attempts").fetchall()
print("open", flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete"])
def test_committed_answers_survive_a_damaged_wal(db, damage):
    """Another kernel holds the database open and is killed; then the -wal file is damaged."""
    n = 30
    assert progress.record("05", "q", "first", True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True, env=_env(db)
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        for i in range(1, n):
            assert progress.record("05", "q", str(i), True)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.communicate(timeout=60)
    wal = db.with_name(db.name + "-wal")
    if damage == "truncate" and wal.exists():
        with open(wal, "r+b") as f:
            f.truncate(wal.stat().st_size // 2)
    elif damage == "garbage":
        size = wal.stat().st_size if wal.exists() else 8192
        wal.write_bytes(wal.read_bytes()[:32] + os.urandom(size) if wal.exists() else os.urandom(size))
    elif damage == "delete" and wal.exists():
        wal.unlink()
    progress._checked.clear()
    assert [a.response for a in progress.attempts()] == ["first", *map(str, range(1, n))]


def test_committed_answers_are_in_the_main_file(db, tmp_path):
    assert progress.record("05", "q", "first", True)
    other = sqlite3.connect(str(db))  # another kernel with the file open
    other.execute("SELECT count(*) FROM attempts").fetchall()
    try:
        for i in range(10):
            assert progress.record("05", "q", str(i), True)
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(db.read_bytes())  # the main file alone, as a backup tool would copy it
        assert len(_rows_on_disk(copy)) == 11
    finally:
        other.close()


# --------------------------------------------------------------------------- where the file is


def test_memory_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RNNCOURSE_PROGRESS", ":memory:")
    with pytest.warns(RuntimeWarning, match="keeps nothing"):
        result = progress.record("05", "q", "7x10", True)
    assert not result.saved and "keeps nothing" in result.message and "RNNCOURSE_PROGRESS" in result.message
    assert list(tmp_path.iterdir()) == []  # no file named ':memory:' appeared
    out = subprocess.run(
        [sys.executable, "-m", "rnncourse", "progress"],
        capture_output=True,
        text=True,
        env={**_env(tmp_path / "x"), "RNNCOURSE_PROGRESS": ":memory:"},
        cwd=tmp_path,
        timeout=60,
    )
    assert "keeps nothing" in out.stdout + out.stderr and out.returncode != 0
    assert list(tmp_path.iterdir()) == []


def test_a_relative_path_is_resolved_once(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    monkeypatch.setenv("RNNCOURSE_PROGRESS", "relative-progress.sqlite3")
    monkeypatch.chdir(first)
    assert progress.record("05", "q", "a", True).path == str(first / "relative-progress.sqlite3")
    monkeypatch.chdir(second)  # a kernel whose working directory changed
    assert progress.record("05", "q", "b", True).path == str(first / "relative-progress.sqlite3")
    assert progress.default_path() == first / "relative-progress.sqlite3"
    assert [r[2] for r in _rows_on_disk(first / "relative-progress.sqlite3")] == ["a", "b"]
    assert not (second / "relative-progress.sqlite3").exists()


# --------------------------------------------------------------------------- read-only and full disks


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def mounted(tmp_path):
    """A small tmpfs of its own (needs root): a real read-only or full file system, not a simulation."""
    if not _can_mount():
        pytest.skip("needs root and mount(8) to make a real read-only or full file system")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_cli_shows_the_answers_on_a_read_only_file_system(mounted, monkeypatch):
    db = mounted / "progress.sqlite3"
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(db))
    for i, qid in enumerate(quiz.load_bank("05_dimensions")):
        progress.record("05_dimensions", qid, "r", i % 2 == 0)
    subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
    with pytest.raises(OSError):
        (mounted / "probe").write_text("x")  # really read-only, for root too
    out = _cli(db, "progress")
    assert out.returncode == 0, out.stderr
    assert "No quiz answers" not in out.stdout
    assert next(line for line in out.stdout.splitlines() if line.startswith("total")).split()[1] == "4/7"
    with pytest.warns(RuntimeWarning, match="read-only"):
        result = progress.record("05_dimensions", "late", "r", True)
    assert not result.saved and "read-only" in result.reason


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
        try:
            while True:
                f.write(b"\0")
        except OSError:
            pass


def test_a_full_disk_is_reported_as_full_and_the_answers_are_still_shown(mounted, monkeypatch):
    db = mounted / "progress.sqlite3"
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(db))
    ids = list(quiz.load_bank("05_dimensions"))
    for i in range(20):
        progress.record("05_dimensions", ids[i % len(ids)], "r" * 100, True)
    _fill(mounted)
    with pytest.warns(RuntimeWarning, match="full"):
        result = progress.record("05_dimensions", "late", "x" * 20000, True)
    assert not result.saved
    assert "full" in result.reason and "cannot rollback" not in result.reason, result.reason
    out = _cli(db, "progress")
    assert out.returncode == 0, out.stderr
    assert next(line for line in out.stdout.splitlines() if line.startswith("total")).split()[1] == "7/7"
    (mounted / "filler").unlink()
    assert progress.record("05_dimensions", "later", "r", True).saved
    assert len(_rows_on_disk(db)) == 22


def test_answers_still_unsaved_when_python_stops_are_named_on_stderr(tmp_path):
    path = _unwritable_path(tmp_path)
    code = "from rnncourse import progress; progress.record('05', 'q', 'r', True)"
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        capture_output=True,
        text=True,
        env=_env(path),
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "1 quiz answer(s) could not be saved" in out.stderr and str(path) in out.stderr


HALF_WRITER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA cache_size = 1")  # pages spill into the file before the commit
con.execute("BEGIN IMMEDIATE")
for i in range(5000):
    con.execute("INSERT INTO attempts (notebook, qid, response, correct, time) VALUES ('x', 'y', ?, 1, 't')",
                ("z" * 200,))
print("mid", flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_kernel_killed_mid_write_leaves_only_committed_answers(db):
    for i in range(3):
        assert progress.record("05", "q", str(i), True)
    p = subprocess.Popen([sys.executable, "-c", HALF_WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "mid"
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.communicate(timeout=60)
    assert db.with_name(db.name + "-journal").exists()  # a hot journal, as a crash leaves it
    progress._checked.clear()
    assert [a.response for a in progress.attempts()] == ["0", "1", "2"]
    assert progress.record("05", "q", "3", True)
    assert [r[2] for r in _rows_on_disk(db)] == ["0", "1", "2", "3"]
