"""The learner's progress: every quiz answer, kept in a small SQLite database.

Each question's ``check`` adds one record: the notebook, the question id, the
response as text, whether it was right, and the time (UTC, ISO 8601). Records
are never lost silently:

- each record is written in its own transaction, with a rollback journal
  (``journal_mode=DELETE``) and ``synchronous=FULL``, so a committed answer is in
  the database file itself: a killed kernel, or a damaged or deleted ``-wal``
  file, cannot take it away. A busy timeout of 10 s lets two kernels answering at
  the same moment both keep theirs;
- text that cannot be encoded (a lone surrogate) is stored backslash-escaped;
- a database of the course that is damaged is renamed
  ``<name>.corrupt-<timestamp>`` (with a warning) and a fresh one is started. Any
  other file (a text file, an empty file, another program's database) is never
  moved or changed: the answers are kept in memory and `record` says why;
- a location that cannot be written (read-only disk, full disk, no permission)
  gives one warning, and the answers of this session are kept in memory. They
  are written with the next answer that can be saved; any still unsaved when
  Python stops are named on stderr.

Nothing here raises into a notebook: `record` returns a `SaveResult`, false when
the answer is only in memory, with a sentence saying why and what to do. Reading
(`attempts`, ``python -m rnncourse progress``) never needs write access.

Where the database lives
------------------------
``$RNNCOURSE_PROGRESS`` if set (read at every call; a relative path is resolved
against the working directory once, at its first use, and kept), otherwise the
user's data directory: ``$XDG_DATA_HOME/rnncourse/progress.sqlite3`` (default
``~/.local/share/rnncourse/...``) on Linux, ``~/Library/Application
Support/rnncourse/...`` on macOS, ``%APPDATA%\\rnncourse\\...`` on Windows.
``RNNCOURSE_PROGRESS=:memory:`` is refused: it would keep nothing.

Run ``python -m rnncourse progress`` to see a summary per notebook; checks made
inside ``with paused():`` (a demonstration) are not recorded.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sqlite3
import sys
import threading
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

__all__ = ["Attempt", "Reading", "SaveResult", "default_path", "record", "read", "attempts"]
__all__ += ["summary", "reset", "paused", "report", "show", "table"]

FILENAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 10.0
ENV = "RNNCOURSE_PROGRESS"
MEMORY = ":memory:"

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
_COLUMNS = {"id", "notebook", "qid", "response", "correct", "time"}
_SELECT = "SELECT notebook, qid, response, correct, time FROM attempts ORDER BY id"
_INSERT = "INSERT INTO attempts (notebook, qid, response, correct, time) VALUES (?, ?, ?, ?, ?)"
_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database
_SIDECARS = ("-journal", "-wal", "-shm")

_SQLITE_READONLY, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 8, 11, 13, 26  # result codes

Row = tuple[str, str, str, int, str]

_lock = threading.RLock()
_paused = threading.local()
_memory: dict[str, list[Row]] = {}  # path -> records not yet on disk
_reasons: dict[str, str] = {}  # path -> why its records are not on disk
_warned: set[str] = set()  # paths we already warned about
_checked: set[str] = set()  # paths whose integrity was checked in this process
_resolved: dict[str, Path] = {}  # value of $RNNCOURSE_PROGRESS -> the absolute path it named at first use


class Attempt(NamedTuple):
    """One recorded answer."""

    notebook: str
    qid: str
    response: str
    correct: bool
    time: str  # UTC, ISO 8601


@dataclass(frozen=True)
class SaveResult:
    """What became of one answer given to `record`; true when it is saved.

    Attributes
    ----------
    saved : the answer, and every earlier one kept in memory, is in the database file.
    path : the database file.
    unsaved : answers of this session kept only in memory (0 when saved).
    reason : why they are not saved ('' when saved).
    message : a sentence for the learner saying what happened and how to fix it ('' when saved).
    """

    saved: bool
    path: str
    unsaved: int = 0
    reason: str = ""
    message: str = ""

    def __bool__(self) -> bool:
        return self.saved


class Reading(NamedTuple):
    """What `read` found: the answers, and why the file could not be read ('' if it could)."""

    attempts: list[Attempt]
    problem: str


class _Unwritable(Exception):
    """The database location cannot be opened or written."""


class _NotCourseFile(_Unwritable):
    """A file that the course did not make is in the way; it is left untouched."""


class _Damaged(Exception):
    """A database of the course that cannot be read."""


# --------------------------------------------------------------------------- where


def default_path() -> Path:
    """Path of the progress database, decided now (not at import time).

    Returns
    -------
    ``$RNNCOURSE_PROGRESS`` if set (made absolute at its first use; ``Path(":memory:")`` as is),
    else ``progress.sqlite3`` in the per-user data directory (see the module docstring).
    """
    override = os.environ.get(ENV)
    if override:  # a relative path is made absolute at its first use, and kept
        with _lock:
            return _resolved.setdefault(override, _target(override))
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share"
    return base / "rnncourse" / FILENAME


def _target(path: str | os.PathLike | None) -> Path:
    if path is None:
        return default_path()
    return Path(MEMORY) if str(path).strip() == MEMORY else Path(os.path.abspath(Path(path).expanduser()))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _text(value: object) -> str:
    """``str(value)`` that can always be stored: unencodable characters become backslash escapes."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


# --------------------------------------------------------------------------- errors


def _code(exc: BaseException) -> int | None:
    return getattr(exc, "sqlite_errorcode", 0x100) & 0xFF or None  # Python >= 3.11 has the code


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = _code(exc)
    if code is not None:
        return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def _reason(exc: BaseException) -> str:
    """A short, plain reason for a failed write."""
    text = str(exc)
    code = _code(exc)
    if code == _SQLITE_FULL or "database or disk is full" in text or "No space left" in text:
        return f"the disk is full ({text})"
    if code == _SQLITE_READONLY or "readonly" in text or "Read-only file system" in text:
        return f"the file or its folder is read-only ({text})"
    return text or type(exc).__name__


_FIX = f"set the environment variable {ENV} to a file you can write (e.g. ~/rnncourse-progress.sqlite3)"


def _advice(path: Path, reason: str) -> str:
    if str(path) == MEMORY:
        return f"{ENV} is set to '{MEMORY}', which keeps nothing once Python stops. To keep them, {_FIX}."
    fix = "free some space, or " if reason.startswith("the disk is full") else ""
    return (
        f"Your answer was not saved to {path}: {reason}. It is kept in memory and saved with your "
        f"next answer once the file can be written. To make that happen, {fix}{_FIX} and restart the kernel."
    )


def _warn(path: Path, message: str) -> None:
    if str(path) in _warned:
        return
    _warned.add(str(path))
    warnings.warn(f"rnncourse: {message}", RuntimeWarning, stacklevel=4)


# --------------------------------------------------------------------------- is it ours?


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection; it never writes the file or needs its folder to be writable."""
    for query in ("mode=ro", "mode=ro&immutable=1"):  # the second for a WAL database in a read-only folder
        con = sqlite3.connect(f"{path.as_uri()}?{query}", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()
            return con
        except sqlite3.OperationalError as exc:
            con.close()
            if _is_corruption(exc) or "locked" in str(exc) or "immutable" in query:
                raise


def _first_page_names_our_table(path: Path) -> bool:
    """Whether page 1 (which holds the schema) creates the course's table; read as raw bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
            size = int.from_bytes(head[16:18], "big")
            page = f.read((65536 if size == 1 else size) - 100)
    except OSError:
        return False
    return head[:16] == _HEADER and b"CREATE TABLE attempts" in page and b"notebook TEXT" in page


def _roll_back_unfinished(path: Path) -> None:
    """Undo the half-written answer of a kernel killed mid-write (a read-only connection cannot)."""
    try:
        if path.with_name(path.name + "-journal").stat().st_size and _first_page_names_our_table(path):
            con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)  # reading rolls the journal back
            try:
                con.execute("SELECT count(*) FROM sqlite_master").fetchall()
            finally:
                con.close()
    except (OSError, sqlite3.Error):
        pass  # no journal, or a read-only folder: read what the file holds


def _identify(path: Path) -> None:
    """Return if `path` is a readable course database; else raise `_NotCourseFile` (anything the
    course did not make), `_Damaged` (a course database that cannot be read) or `_Unwritable`."""
    if path.is_dir():
        raise _NotCourseFile("it is a folder")
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise _Unwritable(_reason(exc)) from exc
    if not head:
        raise _NotCourseFile("it is empty")
    if head != _HEADER:
        raise _NotCourseFile("it is not an SQLite database")
    _roll_back_unfinished(path)
    try:
        con = _connect_ro(path)
        try:
            columns = {row[1] for row in con.execute("PRAGMA table_info(attempts)")}
            if _COLUMNS <= columns and str(path) not in _checked:
                status = con.execute("PRAGMA quick_check").fetchone()
                if not status or status[0] != "ok":
                    raise _Damaged(f"integrity check failed: {status[0] if status else '?'}")
                _checked.add(str(path))
        finally:
            con.close()
    except sqlite3.Error as exc:
        if not _is_corruption(exc):
            raise _Unwritable(_reason(exc)) from exc
        if _first_page_names_our_table(path):
            raise _Damaged(str(exc)) from exc
        raise _NotCourseFile(f"it is an SQLite database that cannot be read ({exc})") from exc
    if not _COLUMNS <= columns:
        raise _NotCourseFile("it is an SQLite database without the course's table 'attempts'")


def _not_ours_message(path: Path, what: str) -> str:
    return (
        f"{path} is not a course progress database ({what}), so it was left untouched and your "
        f"answers are not saved there. To keep them, {_FIX} and restart the kernel."
    )


# --------------------------------------------------------------------------- making and repairing


def _create(path: Path) -> None:
    """Make a new, empty course database at `path`, all at once; nothing if one appears first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _Unwritable(_reason(exc)) from exc
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    try:
        con = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = DELETE").fetchone()
            con.execute(_SCHEMA)
        finally:
            con.close()
        try:
            os.link(tmp, path)  # fails if another kernel made it first: keep theirs
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system
            if not path.exists():
                os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        raise _Unwritable(_reason(exc)) from exc
    finally:
        for name in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):
                name.unlink()


def _move_aside(path: Path, exc: BaseException) -> None:
    """Rename a damaged course database (and its sidecar files) so that a new one can start."""
    if not _first_page_names_our_table(path):  # never move a file the course did not make
        raise _NotCourseFile(f"it is a damaged SQLite database the course did not make ({exc})")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        path.replace(target)
    except FileNotFoundError:
        return  # another kernel moved it aside first
    except OSError as move_exc:
        raise _Unwritable(f"it is damaged ({exc}) and could not be moved aside: {move_exc}") from exc
    for suffix in _SIDECARS:  # sidecar files belong to the damaged database
        side = path.with_name(path.name + suffix)
        if side.exists():
            with contextlib.suppress(OSError):
                side.replace(target.with_name(target.name + suffix))
    _checked.discard(str(path))
    warnings.warn(
        f"rnncourse: the progress database {path} could not be read ({exc}). "
        f"It was moved aside to {target.name} and a new, empty one was started; "
        "your earlier answers are in the moved file.",
        RuntimeWarning,
        stacklevel=5,
    )


def _open(path: Path) -> sqlite3.Connection:
    """Open the course database for writing, making it if needed; raise `_Unwritable` or `_Damaged`."""
    if not path.exists():
        _create(path)
    _identify(path)
    try:
        con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise _Unwritable(_reason(exc)) from exc
    try:
        con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        con.execute("PRAGMA synchronous = FULL")
        try:  # a database made in WAL mode by an earlier version: commit into the file itself
            con.execute("PRAGMA journal_mode = DELETE").fetchone()
        except sqlite3.OperationalError:
            pass  # another connection has it open in WAL mode; `_commit` checkpoints instead
    except sqlite3.Error as exc:
        con.close()
        raise _Unwritable(_reason(exc)) from exc
    return con


def _write(path: Path, work):
    """Open the database at `path` and call ``work(con)``; move a damaged one aside once.

    Raises `_Unwritable` when the location cannot be used.
    """
    for attempt in range(2):
        try:
            con = _open(path)
        except _Damaged as exc:
            if attempt:
                raise _Unwritable(f"it is damaged ({exc})") from exc
            _move_aside(path, exc)
            continue
        try:
            return work(con)
        except sqlite3.Error as exc:
            if not (_is_corruption(exc) and attempt == 0):
                raise _Unwritable(_reason(exc)) from exc
            con.close()
            _move_aside(path, exc)
        finally:
            con.close()
    raise _Unwritable("the database could not be repaired")


def _commit(con: sqlite3.Connection, sql: str, rows: list[Row] | None) -> int:
    """Run `sql` (once, or for each of `rows`) in one transaction; return the rows changed.

    The error raised is the first one (e.g. a full disk), not a failed rollback after it.
    """
    con.execute("BEGIN IMMEDIATE")
    try:
        result = (con.execute(sql) if rows is None else con.executemany(sql, rows)).rowcount
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:  # SQLite may have rolled back already (e.g. on a full disk)
            try:
                con.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        raise
    try:  # committed: a failed checkpoint must not make the answers count as unsaved
        if con.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            con.execute("PRAGMA wal_checkpoint(FULL)").fetchall()
    except sqlite3.Error:
        pass
    return result


# --------------------------------------------------------------------------- the public functions


def record(
    notebook: str,
    qid: str,
    response: str,
    correct: bool,
    when: str | None = None,
    path: str | os.PathLike | None = None,
) -> SaveResult:
    """Record one answer, together with any kept in memory before. Never raises.

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
    A `SaveResult`: true if the answer is on disk; otherwise ``.message`` says
    why and how to fix it, and the answer waits in memory for the next record.
    """
    if getattr(_paused, "depth", 0):
        return SaveResult(False, "", 0, "recording is paused", "")
    try:
        db = _target(path)
        row = (_text(notebook), _text(qid), _text(response), int(bool(correct)), _text(when or _now()))
    except Exception as exc:  # a strange argument must not break a quiz
        reason = f"the answer could not be turned into text ({type(exc).__name__}: {exc})"
        return SaveResult(False, str(path or ""), 0, reason, f"Your answer was not saved: {reason}.")
    key = str(db)
    with _lock:
        pending = _memory.setdefault(key, [])
        pending.append(row)
        if key == MEMORY:
            reason = f"{ENV} is '{MEMORY}', which keeps nothing"
            return _unsaved(db, reason, _advice(db, reason))
        rows = list(pending)
        try:
            _write(db, lambda con: _commit(con, _INSERT, rows))
        except _NotCourseFile as exc:
            return _unsaved(db, str(exc), _not_ours_message(db, str(exc)))
        except Exception as exc:  # _Unwritable, or anything unforeseen: keep the record, say so
            reason = str(exc) if isinstance(exc, _Unwritable) else f"{type(exc).__name__}: {exc}"
            return _unsaved(db, reason, _advice(db, reason))
        del pending[: len(rows)]
        _reasons.pop(key, None)
        return SaveResult(True, key)


def _unsaved(db: Path, reason: str, message: str) -> SaveResult:
    key = str(db)
    _reasons[key] = reason
    _warn(db, message)
    return SaveResult(False, key, len(_memory.get(key, [])), reason, message)


def read(path: str | os.PathLike | None = None) -> Reading:
    """All recorded answers, oldest first (on disk, then those kept in memory), read-only.

    Returns
    -------
    A `Reading`: the answers, and ``problem``, a sentence saying why the file
    could not be read ('' when it could, or when there is no file yet).
    """
    db = _target(path)
    rows: list = []
    problem = ""
    if str(db) == MEMORY:
        problem = _advice(db, "")
    elif db.exists():
        try:
            _identify(db)
            con = _connect_ro(db)
            try:
                rows = con.execute(_SELECT).fetchall()
            finally:
                con.close()
        except _NotCourseFile as exc:
            problem = _not_ours_message(db, str(exc))
        except _Damaged as exc:
            problem = f"{db} is damaged ({exc}); your next answer moves it aside and starts a new one."
        except (_Unwritable, sqlite3.Error) as exc:
            problem = f"{db} could not be read: {_reason(exc)}."
    with _lock:
        rows = list(rows) + list(_memory.get(str(db), []))
    return Reading([Attempt(nb, q, r, bool(c), t) for nb, q, r, c, t in rows], problem)


def attempts(path: str | os.PathLike | None = None) -> list[Attempt]:
    """All recorded answers, oldest first (on disk, then those kept in memory); warns once on a problem."""
    found = read(path)
    if found.problem:
        _warn(_target(path), found.problem)
    return found.attempts


def reset(path: str | os.PathLike | None = None) -> int:
    """Delete every recorded answer (on disk and in memory); return how many were deleted."""
    db = _target(path)
    with _lock:
        deleted = len(_memory.pop(str(db), []))
        _reasons.pop(str(db), None)
    if str(db) != MEMORY and db.exists():
        try:
            deleted += _write(db, lambda con: _commit(con, "DELETE FROM attempts", None))
        except _NotCourseFile as exc:
            _warn(db, _not_ours_message(db, str(exc)))
        except _Unwritable as exc:
            _warn(db, f"could not delete the answers in {db}: {exc}")
    return deleted


@contextlib.contextmanager
def paused():
    """Within this block `record` saves nothing (for demonstrations of a quiz)."""
    _paused.depth = getattr(_paused, "depth", 0) + 1
    try:
        yield
    finally:
        _paused.depth -= 1


@atexit.register
def _flush_at_exit() -> None:
    """Try once more to save answers kept in memory; name on stderr any that are lost."""
    with _lock:
        for key, rows in list(_memory.items()):
            if not rows:
                continue
            try:
                if key != MEMORY:
                    _write(Path(key), lambda con, rows=list(rows): _commit(con, _INSERT, rows))
                    continue
            except Exception:
                pass
            reason = _reasons.get(key, "unknown reason")
            lost = f"{len(rows)} quiz answer(s) could not be saved to {key} ({reason})"
            print(
                f"rnncourse: {lost} and are lost now that Python stops. Next time, {_FIX}.", file=sys.stderr
            )


from rnncourse.progress_report import report, show, summary, table  # noqa: E402  (reads through this module)
