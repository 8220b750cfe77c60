"""Wall time and whole-machine CPU time of the test suite, for one or more checkouts, back to back.

    python tools/suite_time.py [CHECKOUT ...] [-- PYTEST_ARGS ...]

Runs ``python -m pytest`` (with the given arguments, none by default: the README's
command) in each checkout in turn, with ``RNNCOURSE_REQUIRE_BROWSER=1`` as CI sets it,
and prints for each the exit status, the wall time, and the busy CPU-seconds of the
whole machine (from ``/proc/stat``: the suite's own processes, its notebook kernels,
JupyterLab and Chromium alike) against the CPU-seconds the machine had. With two
checkouts it prints the second's times as ratios of the first's.

Run the checkouts back to back on an otherwise idle machine: a shared machine's speed
drifts over minutes, so only times from one sitting compare. Each checkout runs with the
Python that runs this script, which must have the test tools (``pip install -e ".[test]"``
of any checkout); each checkout's own ``rnncourse`` is put first on ``PYTHONPATH``, for
its notebook kernels too. Linux only (``/proc/stat``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def _cpu() -> tuple[float, float]:
    """(busy, all) CPU-seconds of the machine since boot: busy leaves out idle and I/O wait."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    total = sum(fields[:8])
    return (total - fields[3] - fields[4]) / hz, total / hz


def measure(checkout: Path, args: list[str]) -> dict:
    # PYTHONPATH: the notebook kernels of this checkout import its rnncourse, whichever is installed
    path = os.pathsep.join(filter(None, [str(checkout), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, RNNCOURSE_REQUIRE_BROWSER="1", PYTHONPATH=path)
    busy0, all0 = _cpu()
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=checkout, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    wall = time.monotonic() - start
    busy1, all1 = _cpu()
    tail = [line for line in done.stdout.splitlines() if line.strip()][-1:] or [""]
    return {"checkout": checkout, "rc": done.returncode, "wall": wall, "busy": busy1 - busy0,
            "all": all1 - all0, "summary": tail[0].strip("= ")}  # fmt: skip


def main(argv: list[str]) -> int:
    if "--" in argv:
        cut = argv.index("--")
        checkouts, args = argv[:cut], argv[cut + 1 :]
    else:
        checkouts, args = argv, []
    paths = [Path(c).resolve() for c in checkouts] or [Path.cwd()]
    results = []
    for path in paths:
        if not (path / "pyproject.toml").is_file():
            print(f"{path} is not a checkout of the course (no pyproject.toml)", file=sys.stderr)
            return 2
        r = measure(path, args)
        results.append(r)
        print(f"{path}: exit {r['rc']}, {r['wall']:.0f} s wall, {r['busy']:.0f} busy CPU-s of {r['all']:.0f}"
              f"  ({r['summary']})", flush=True)  # fmt: skip
    if len(results) == 2:
        a, b = results
        print(f"second / first: wall {b['wall'] / a['wall']:.2f}x, busy CPU {b['busy'] / a['busy']:.2f}x")
    return max(r["rc"] for r in results)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
