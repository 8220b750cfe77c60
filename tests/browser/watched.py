"""Run a Python module as ``__main__`` for as long as the process that started it lives.

``python watched.py [--parent PID] [--signal NAME] -m MODULE ARGS...``

The JupyterLab server of the browser tests runs under this script with the test
process as its parent, and so does every kernel, with the server as its parent.
When the parent goes (a test run killed with SIGKILL has no chance to clean
up), the child goes too:

- on Linux, ``prctl(PR_SET_PDEATHSIG)`` asks the kernel to send `--signal` the
  moment the parent dies;
- everywhere, a daemon thread checks twice a second that the parent is still
  the same process, sends the signal if not, and exits for good 10 s later.

It imports the standard library only, so it costs nothing in the processes it wraps.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def _pdeathsig(sig: int) -> bool:
    """Ask Linux to send `sig` to this process when its parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watchdog(parent: int, sig: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), sig)
    time.sleep(10)
    os._exit(1)


def main(argv: list[str]) -> None:
    parent, sig = os.getppid(), signal.SIGTERM
    while argv and argv[0] in ("--parent", "--signal"):
        if argv[0] == "--parent":
            parent = int(argv[1])
        else:
            sig = signal.Signals[argv[1]]
        argv = argv[2:]
    if len(argv) < 2 or argv[0] != "-m":
        raise SystemExit("usage: watched.py [--parent PID] [--signal NAME] -m MODULE ARGS...")
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        sys.path[0] = os.getcwd()  # as ``python -m`` would have it, not this script's folder
    _pdeathsig(sig)
    if os.getppid() != parent:  # the parent died before the request above took effect
        raise SystemExit(f"watched.py: parent {parent} is gone")
    threading.Thread(target=_watchdog, args=(parent, sig), daemon=True, name="parent-watchdog").start()
    module = argv[1]
    sys.argv = [module, *argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
