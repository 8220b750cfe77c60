"""Run a learner's function safely: with a time limit, and with its error in its own words.

In the main thread of a POSIX system (a Jupyter kernel, a console, the tests) the
function runs under a timer signal (``SIGALRM``): when the time limit passes, the
function is stopped where it is, the kernel is free again, and the check says so.
(A single long NumPy call is only stopped when it returns to Python.) Elsewhere
(Windows, or a check called from another thread) it runs in a daemon thread: the
check reports it and moves on, but Python cannot stop a thread, so a function that
never ends keeps a core busy until the kernel is interrupted or restarted.

When the function raises, the report shows the last line of the *learner's* code in
the traceback (not a line inside NumPy or this package), with its file, line number
and source.
"""

from __future__ import annotations

import os
import signal
import sys
import sysconfig
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Outcome", "call_with_limit", "learner_line", "TIME_LIMIT_S"]

#: Seconds a learner's function may run on one case before the check gives up on it.
TIME_LIMIT_S = 5.0

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # rnncourse/
_NOT_THEIRS = tuple(
    p for p in (_PACKAGE, os.path.dirname(np.__file__), sysconfig.get_paths().get("stdlib")) if p
)


@dataclass
class Outcome:
    """What happened when the learner's function ran: a value, an error, or no end in time."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    seconds: float = 0.0
    stopped: bool = False  # True if the function was stopped at the limit, False if it may still run


class _TimeUp(BaseException):
    """Raised by the timer inside the learner's function (a BaseException: `except Exception` misses it)."""


def _can_alarm() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


def call_with_limit(work: Callable[[], Any], limit: float | None = None) -> Outcome:
    """Run ``work()`` for at most `limit` seconds (`TIME_LIMIT_S` if None); never raises its errors.

    KeyboardInterrupt (the learner interrupting the kernel) is not caught.
    """
    limit = TIME_LIMIT_S if limit is None else float(limit)
    if _can_alarm():
        return _call_with_alarm(work, limit)
    return _call_in_thread(work, limit)


def _call_with_alarm(work: Callable[[], Any], limit: float) -> Outcome:
    box = Outcome()

    def on_alarm(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            with np.errstate(all="ignore"):  # overflow shows up as inf/NaN, reported by the checker
                value = work()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        box.value = value
    except _TimeUp:
        box.timed_out, box.stopped, box.seconds = True, True, limit
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the learner's error, whatever it is
        box.error = exc
    finally:
        signal.signal(signal.SIGALRM, previous)
    return box


def _call_in_thread(work: Callable[[], Any], limit: float) -> Outcome:
    box = Outcome()

    def target() -> None:
        try:
            with np.errstate(all="ignore"):  # overflow shows up as inf/NaN, reported below
                box.value = work()
        except BaseException as exc:  # the learner's error, whatever it is
            box.error = exc

    thread = threading.Thread(target=target, name="rnncourse-exercise", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        box.timed_out = True
        box.seconds = limit
    return box


def _theirs(frame: traceback.FrameSummary) -> bool:
    return not os.path.abspath(frame.filename).startswith(_NOT_THEIRS)


def learner_line(exc: BaseException) -> str:
    """The learner's last frame in the traceback of `exc`, as markup text.

    ``File "...", line N, in name`` followed by the source line in backticks, or ""
    when no frame of the traceback is the learner's.
    """
    f = _last_theirs(exc)
    if f is None:
        return ""
    source = (f.line or "").strip()
    return f"{_location(f.filename, f.lineno)}, in `{f.name}`" + (f":\n\n    {source}" if source else "")


def learner_source(exc: BaseException) -> str:
    """The source text of the learner's last line in the traceback of `exc` ("" if none)."""
    f = _last_theirs(exc)
    return (f.line or "").strip() if f is not None else ""


def _last_theirs(exc: BaseException) -> traceback.FrameSummary | None:
    theirs = [f for f in traceback.extract_tb(exc.__traceback__) if _theirs(f)]
    return theirs[-1] if theirs else None


def _location(filename: str, lineno: int | None) -> str:
    """Where a line is, as the learner knows it: ``Cell In[5], line 3`` for a notebook cell.

    Code typed into a cell runs from a temporary file of the kernel's
    (``/tmp/ipykernel_1234/2871.py``) that the learner has never seen; IPython maps it
    to the cell's execution count, as its own tracebacks show it.
    """
    ipython = sys.modules.get("IPython")  # imported by every kernel; never imported here
    shell = ipython.get_ipython() if hasattr(ipython, "get_ipython") else None
    names = getattr(getattr(shell, "compile", None), "_filename_map", None)
    count = names.get(filename) if isinstance(names, dict) else None
    if count is not None:
        return f"Cell In[{count}], line {lineno}"
    folder = os.path.basename(os.path.dirname(filename))
    if folder.startswith("ipykernel_") or filename.startswith("<ipython-input-"):
        return f"Line {lineno} of your cell"
    return f'File "{filename}", line {lineno}'


def error_text(exc: BaseException) -> str:
    """``TypeError: message`` in one line (long messages cut)."""
    text = str(exc).strip().replace("\n", " ")
    if len(text) > 400:
        text = text[:400] + " ..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
