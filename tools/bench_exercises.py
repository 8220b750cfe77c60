"""Median time of each exercise checker on a correct function (the reference solution).

    python tools/bench_exercises.py [--repeat 7]

A correct function is the slow path for most checkers (every case runs to the end);
the target is under 0.5 s each. The progress store is pointed at a temporary file so
the measurements do not add to the learner's record.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per checker (default 7)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RNNCOURSE_PROGRESS"] = str(Path(tmp) / "progress.sqlite3")
        from rnncourse import exercises as ex
        from rnncourse.exercises import solutions as s

        pairs = [
            (ex.check_cell_forward, s.cell_forward),
            (ex.check_forward, s.forward),
            (ex.check_backward, s.backward),
            (ex.check_sample, s.sample),
            (ex.check_clip_by_norm, s.clip_by_norm),
            (ex.check_lstm_cell_forward, s.lstm_cell_forward),
            (ex.check_embedding_backward, s.embedding_backward),
        ]
        print(f"{'checker':<26} {'median s':>9} {'min s':>7}  (correct function, {args.repeat} runs)")
        for check, ref in pairs:
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                result = check(ref)
                times.append(time.perf_counter() - t0)
                assert result.correct, result.message
            print(f"{check.__name__:<26} {statistics.median(times):>9.3f} {min(times):>7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
