"""Cost of saving one quiz answer, for each way of committing it to SQLite.

    python tools/bench_progress.py [--answers 200] [--dir FOLDER] [--old path/to/old_progress.py]

Each configuration opens a connection, inserts one row in its own transaction and
closes the connection, once per answer, as `rnncourse.progress.record` does:

- ``wal``                : journal_mode=WAL, synchronous=FULL (the store before the change);
- ``wal+checkpoint``     : the same, then ``PRAGMA wal_checkpoint(FULL)`` after each answer;
- ``delete``             : rollback journal, journal_mode=DELETE, synchronous=FULL (the store now);
- ``truncate``           : rollback journal, journal_mode=TRUNCATE, synchronous=FULL;
- ``record()``           : `rnncourse.progress.record` end to end (with its checks of the file);
- ``old record()``       : with ``--old``, the `record` of another copy of progress.py.

Times depend on the disk (fsync) and the machine; the ratios to ``wal`` are what
to compare. Use a folder on the disk the learners use (the default is the
current directory: /tmp is often a RAM disk, where fsync costs nothing).
"""

from __future__ import annotations

import argparse
import importlib.util
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnncourse import progress  # noqa: E402

SCHEMA = progress._SCHEMA
INSERT = progress._INSERT
ROW = ("05_dimensions", "q1", "(7, 64)", 1, "2026-01-01T00:00:00.000+00:00")


def _raw(mode: str, checkpoint: bool):
    def answer(path: Path) -> None:
        con = sqlite3.connect(str(path), isolation_level=None, timeout=10)
        con.execute(f"PRAGMA journal_mode = {mode}").fetchone()
        con.execute("PRAGMA synchronous = FULL")
        con.execute(SCHEMA)
        con.execute("BEGIN IMMEDIATE")
        con.execute(INSERT, ROW)
        con.execute("COMMIT")
        if checkpoint:
            con.execute("PRAGMA wal_checkpoint(FULL)").fetchall()
        con.close()

    return answer


def _record_of(module):
    return lambda path: module.record(*ROW[:3], True, path=path)


def _load(path: str):
    spec = importlib.util.spec_from_file_location("old_progress", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _time(answer, folder: Path, n: int) -> float:
    """Seconds per answer over `n` answers into a new database (after 5 warm-up answers)."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = Path(tmp) / "progress.sqlite3"
        for _ in range(5):
            answer(path)
        start = time.perf_counter()
        for _ in range(n):
            answer(path)
        return (time.perf_counter() - start) / n


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100, help="answers per configuration and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, interleaved; the median is shown")
    parser.add_argument("--dir", default=".", help="folder for the test databases (default: here)")
    parser.add_argument("--old", help="another progress.py whose record() to time too")
    args = parser.parse_args(argv)
    folder = Path(args.dir).resolve()
    cases = {
        "wal": _raw("WAL", False),
        "wal+checkpoint": _raw("WAL", True),
        "delete": _raw("DELETE", False),
        "truncate": _raw("TRUNCATE", False),
        "record()": _record_of(progress),
    }
    if args.old:
        cases["old record()"] = _record_of(_load(args.old))
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):  # interleaved, so that a busy moment of the machine hits every case
        for name, answer in cases.items():
            runs[name].append(_time(answer, folder, args.answers))
    results = {name: statistics.median(times) for name, times in runs.items()}
    base = results["wal"]
    where = f"in {folder} (SQLite {sqlite3.sqlite_version})"
    print(f"median of {args.rounds} rounds of {args.answers} answers, {where}\n")
    print(f"{'configuration':<16} {'ms/answer':>10} {'vs wal':>8}")
    for name, seconds in results.items():
        print(f"{name:<16} {seconds * 1e3:>10.3f} {seconds / base:>8.2f}")


if __name__ == "__main__":
    main()
