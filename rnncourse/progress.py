"""The learner's progress: every quiz answer, kept in a small SQLite database.

Each call to a question's ``check`` (from the widget or from Python) adds one
record: the notebook, the question id, the response as text, whether it was
right, and the time (UTC, ISO 8601). Records are never lost:

- each record is written in its own transaction, in WAL mode, with a busy
  timeout of 10 s, so two kernels answering at the same moment both keep theirs,
  and a kernel killed half-way keeps everything it had committed;
- a database that is corrupt or is not a database at all is renamed
  ``<name>.corrupt-<timestamp>`` (with a warning) and a fresh one is started;
- a location that cannot be written (read-only disk, no permission) gives one
  warning, and the records of this session are kept in memory instead. They are
  written to disk as soon as the database can be written again.

Nothing in this module raises into a notebook: `record` returns ``False`` when
the record could only be kept in memory.

Where the database lives
------------------------
``$RNNCOURSE_PROGRESS`` if set (read at every call), otherwise the user's data
directory: ``$XDG_DATA_HOME/rnncourse/progress.sqlite3`` (default
``~/.local/share/rnncourse/...``) on Linux, ``~/Library/Application
Support/rnncourse/...`` on macOS, ``%APPDATA%\\rnncourse\\...`` on Windows.

Run ``python -m rnncourse progress`` to see a summary per notebook.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

__all__ = ["Attempt", "default_path", "record", "attempts", "summary", "reset"]

FILENAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    notebook TEXT    NOT NULL,
    qid      TEXT    NOT NULL,
    response TEXT    NOT NULL,
    correct  INTEGER NOT NULL,
    time     TEXT    NOT NULL
)
"""

# SQLite primary result codes that mean "this file is damaged or not a database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

_lock = threading.Lock()
_memory: dict[str, list[tuple[str, str, str, int, str]]] = {}  # path -> records not yet on disk
_warned: set[str] = set()  # paths we already warned about (unwritable)
_checked: set[str] = set()  # paths whose integrity was checked in this process


class Attempt(NamedTuple):
    """One recorded answer."""

    notebook: str
    qid: str
    response: str
    correct: bool
    time: str  # UTC, ISO 8601


class _Unwritable(Exception):
    """The database location cannot be opened or written."""


def default_path() -> Path:
    """Path of the progress database, decided now (not at import time).

    Returns
    -------
    ``$RNNCOURSE_PROGRESS`` if set, else ``progress.sqlite3`` in the per-user
    data directory of this platform (see the module docstring).
    """
    override = os.environ.get("RNNCOURSE_PROGRESS")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share"
    return base / "rnncourse" / FILENAME


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def _move_aside(path: Path, exc: BaseException) -> None:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):  # sidecar files belong to the damaged database
        side = path.with_name(path.name + suffix)
        if side.exists():
            try:
                side.replace(target.with_name(target.name + suffix))
            except OSError:
                pass
    warnings.warn(
        f"rnncourse: the progress database {path} could not be read ({exc}). "
        f"It was moved aside to {target.name} and a new, empty one was started; "
        "your earlier answers are in the moved file.",
        RuntimeWarning,
        stacklevel=4,
    )


def _open(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database; raise `_Unwritable` or `sqlite3.Error`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _Unwritable(str(exc)) from exc
    try:
        con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise _Unwritable(str(exc)) from exc
    try:
        con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        con.execute("PRAGMA journal_mode = WAL").fetchone()  # a garbage file fails here
        con.execute("PRAGMA synchronous = FULL")
        con.execute(_SCHEMA)
        key = str(path)
        if key not in _checked:
            status = con.execute("PRAGMA quick_check").fetchone()
            if not status or status[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {status[0] if status else '?'}")
            _checked.add(key)
    except BaseException:
        con.close()
        raise
    return con


def _heal(path: Path, exc: sqlite3.Error) -> None:
    """Move a corrupt database aside so that the next attempt starts a new one."""
    try:
        _move_aside(path, exc)
    except FileNotFoundError:
        pass  # another kernel moved it aside first
    except OSError as move_exc:
        raise _Unwritable(f"{exc}; could not move it aside: {move_exc}") from exc


def _run(path: Path, work):
    """Open the database at `path` and call ``work(con)``, healing a corrupt file once.

    Raises `_Unwritable` when the location cannot be used.
    """
    for attempt in range(2):
        try:
            con = _open(path)
        except sqlite3.Error as exc:
            if _is_corruption(exc) and attempt == 0 and path.exists():
                _heal(path, exc)
                continue
            raise _Unwritable(str(exc)) from exc
        try:
            return work(con)
        except sqlite3.Error as exc:
            if _is_corruption(exc) and attempt == 0:
                con.close()
                _checked.discard(str(path))
                _heal(path, exc)
                continue
            raise _Unwritable(str(exc)) from exc
        finally:
            con.close()
    raise _Unwritable("the database could not be repaired")


def _warn_unwritable(path: Path, reason: str) -> None:
    key = str(path)
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(
        f"rnncourse: cannot write your quiz progress to {path} ({reason}). "
        "The quizzes keep working and this session's answers are kept in memory. "
        "Set the environment variable RNNCOURSE_PROGRESS to a writable file to keep them.",
        RuntimeWarning,
        stacklevel=4,
    )


def record(
    notebook: str,
    qid: str,
    response: str,
    correct: bool,
    when: str | None = None,
    path: str | os.PathLike | None = None,
) -> bool:
    """Record one answer. Never raises.

    Parameters
    ----------
    notebook : name of the notebook, e.g. ``"05_dimensions"``.
    qid : the question's stable id.
    response : the learner's response, as text.
    correct : whether it was accepted.
    when : UTC time in ISO 8601; now if omitted.
    path : database file; `default_path()` if omitted.

    Returns
    -------
    ``True`` if the record is on disk, ``False`` if it is kept in memory only.
    """
    try:
        db = Path(path) if path is not None else default_path()
        row = (str(notebook), str(qid), str(response), int(bool(correct)), when or _now())
    except Exception:  # a strange argument must not break a quiz
        return False
    key = str(db)
    with _lock:
        pending = _memory.get(key, [])

        def work(con: sqlite3.Connection) -> None:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany(
                    "INSERT INTO attempts (notebook, qid, response, correct, time) VALUES (?, ?, ?, ?, ?)",
                    [*pending, row],
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

        try:
            _run(db, work)
        except _Unwritable as exc:
            _memory.setdefault(key, []).append(row)
            _warn_unwritable(db, str(exc))
            return False
        except Exception as exc:  # anything unforeseen: keep the record, warn, carry on
            _memory.setdefault(key, []).append(row)
            _warn_unwritable(db, f"{type(exc).__name__}: {exc}")
            return False
        _memory.pop(key, None)
        return True


def attempts(path: str | os.PathLike | None = None) -> list[Attempt]:
    """All recorded answers, oldest first (on disk, then those kept in memory)."""
    db = Path(path) if path is not None else default_path()
    rows: list = []
    if db.exists():
        try:
            rows = _run(
                db,
                lambda con: con.execute(
                    "SELECT notebook, qid, response, correct, time FROM attempts ORDER BY id"
                ).fetchall(),
            )
        except _Unwritable as exc:
            _warn_unwritable(db, str(exc))
    with _lock:
        rows = list(rows) + list(_memory.get(str(db), []))
    return [Attempt(nb, q, r, bool(c), t) for nb, q, r, c, t in rows]


def summary(path: str | os.PathLike | None = None) -> list[dict]:
    """Progress per notebook, sorted by notebook name.

    Returns
    -------
    One dict per notebook: ``notebook``, ``answered`` (questions with at least one
    attempt), ``correct`` (questions answered correctly at least once) and
    ``attempts`` (all checks).
    """
    per: dict[str, dict] = {}
    for a in attempts(path):
        entry = per.setdefault(a.notebook, {"answered": set(), "correct": set(), "attempts": 0})
        entry["answered"].add(a.qid)
        if a.correct:
            entry["correct"].add(a.qid)
        entry["attempts"] += 1
    return [
        {
            "notebook": nb,
            "answered": len(e["answered"]),
            "correct": len(e["correct"]),
            "attempts": e["attempts"],
        }
        for nb, e in sorted(per.items())
    ]


def reset(path: str | os.PathLike | None = None) -> int:
    """Delete every recorded answer (on disk and in memory); return how many were deleted."""
    db = Path(path) if path is not None else default_path()
    with _lock:
        deleted = len(_memory.pop(str(db), []))
    if db.exists():

        def work(con: sqlite3.Connection) -> int:
            con.execute("BEGIN IMMEDIATE")
            n = con.execute("DELETE FROM attempts").rowcount
            con.execute("COMMIT")
            return n

        try:
            deleted += _run(db, work)
        except _Unwritable as exc:
            _warn_unwritable(db, str(exc))
    return deleted
