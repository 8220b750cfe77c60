"""A training computed once per test run: the results of seeded training calls, kept in a folder.

Off unless the environment variable ``RNNCOURSE_CACHE`` names a folder. The test suite
sets it for the notebook kernels it starts, nbval's and the browser tests' JupyterLab,
so that a notebook run by both trains each of its models once per run instead of twice.

A call is looked up by everything its result depends on:

- the function's module and name, and every argument after binding the defaults;
- for a method, the state of its object (parameters, optimiser state, history);
- the source of every module of the ``rnncourse`` package, so any change of the code
  trains again.

Arrays are compared by dtype, shape and bytes, objects by their attributes. A call with an
argument that cannot be compared this way (a callback, a random generator) or that depends
on the clock (``max_seconds``) is not cached: it simply runs. On a hit the object is
updated in place, its arrays included, to the state it had after the first call, the lines
the first call printed are printed again, and the same result is returned.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ENV", "cached"]

#: The environment variable naming the cache folder; unset (the default) means no cache.
ENV = "RNNCOURSE_CACHE"


class _Uncacheable(Exception):
    """An argument whose content cannot be hashed faithfully."""


@functools.cache
def _source_digest() -> str:
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _feed(h, value: Any, seen: set[int]) -> None:
    """Hash `value` by content into `h`; raise `_Uncacheable` for what has no faithful content."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, (np.ndarray, np.generic)):
        a = np.asarray(value)
        if a.dtype.hasobject:
            raise _Uncacheable("object array")
        h.update(f"nd:{a.dtype.str}:{a.shape};".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    elif isinstance(value, (list, tuple)):
        if id(value) in seen:
            raise _Uncacheable("cycle")
        seen.add(id(value))
        h.update(f"{type(value).__name__}[{len(value)}]".encode())
        for item in value:
            _feed(h, item, seen)
    elif isinstance(value, dict):
        if id(value) in seen:
            raise _Uncacheable("cycle")
        seen.add(id(value))
        h.update(f"dict[{len(value)}]".encode())
        for key in sorted(value, key=repr):
            _feed(h, key, seen)
            _feed(h, value[key], seen)
    elif isinstance(value, (set, frozenset)):
        h.update(f"set[{len(value)}]".encode())
        for item in sorted(value, key=repr):
            _feed(h, item, seen)
    elif hasattr(value, "__dict__") and not callable(value) and not isinstance(value, type):
        if id(value) in seen:
            raise _Uncacheable("cycle")
        seen.add(id(value))
        cls = type(value)
        if getattr(cls, "__slots__", None):
            raise _Uncacheable(f"{cls.__name__} has __slots__")
        h.update(f"obj:{cls.__module__}.{cls.__qualname__}".encode())
        _feed(h, vars(value), seen)
    else:
        raise _Uncacheable(type(value).__name__)


def _key(fn: Callable, bound: inspect.BoundArguments) -> str:
    h = hashlib.sha256()
    h.update(f"{fn.__module__}.{fn.__qualname__};{_source_digest()};".encode())
    _feed(h, dict(bound.arguments), set())
    return h.hexdigest()


def _restore(target: Any, state: Any) -> Any:
    """Put `state` into `target` in place where the two have the same shape; return what to keep."""
    if isinstance(target, np.ndarray) and isinstance(state, np.ndarray):
        if target.shape == state.shape and target.dtype == state.dtype and target.flags.writeable:
            target[...] = state
            return target
        return state
    if isinstance(target, dict) and isinstance(state, dict):
        for key in [k for k in target if k not in state]:
            del target[key]
        for key, value in state.items():
            target[key] = _restore(target[key], value) if key in target else value
        return target
    if isinstance(target, list) and isinstance(state, list):
        target[:] = state
        return target
    if hasattr(target, "__dict__") and type(target) is type(state) and hasattr(state, "__dict__"):
        _restore(vars(target), vars(state))
        return target
    return state


class _Tee(io.TextIOBase):
    """Writes to the stream it replaces and remembers what was written."""

    def __init__(self, stream) -> None:
        self.stream, self.parts = stream, []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


@contextlib.contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on `path` (a second process computing the same call waits)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, at worst the work is done twice
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached(mutates_first: bool = False, clock_args: tuple[str, ...] = ("max_seconds",)):
    """Decorate a seeded, deterministic training function so that ``RNNCOURSE_CACHE`` can keep its result.

    Parameters
    ----------
    mutates_first : the call changes its first argument (``self`` of a ``fit`` method, or
        the model given to a training function); its state after the call is kept too
    clock_args : arguments that make the result depend on the clock when not None; such
        calls are never cached
    """

    def decorate(fn: Callable) -> Callable:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            folder = os.environ.get(ENV)
            if not folder:
                return fn(*args, **kwargs)
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return fn(*args, **kwargs)  # let the function itself say what is wrong
            bound.apply_defaults()
            if any(bound.arguments.get(name) is not None for name in clock_args):
                return fn(*args, **kwargs)
            try:
                key = _key(fn, bound)
            except _Uncacheable:
                return fn(*args, **kwargs)
            where = Path(folder)
            where.mkdir(parents=True, exist_ok=True)
            path = where / f"{fn.__name__}-{key[:32]}.pickle"
            with _locked(where / f"{path.name}.lock"):
                if path.exists():
                    with open(path, "rb") as handle:
                        saved = pickle.load(handle)
                    if mutates_first:
                        _restore(vars(args[0]), saved["state"])
                    sys.stdout.write(saved["printed"])
                    if saved["result_attr"] is not None:
                        return getattr(args[0], saved["result_attr"])
                    return saved["result"]
                tee = _Tee(sys.stdout)
                with contextlib.redirect_stdout(tee):
                    result = fn(*args, **kwargs)
                first = args[0] if mutates_first else None
                attr = next((n for n, v in vars(first).items() if v is result), None) if first else None
                saved = {
                    "state": vars(first) if first is not None else None,
                    "result": None if attr is not None else result,
                    "result_attr": attr,
                    "printed": "".join(tee.parts),
                }
                with tempfile.NamedTemporaryFile(dir=where, delete=False, suffix=".tmp") as handle:
                    try:
                        pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
                    except (pickle.PicklingError, TypeError, AttributeError):
                        handle.close()
                        os.unlink(handle.name)  # not kept: the next call trains again
                        return result
                os.replace(handle.name, path)
                return result

        return wrapper

    return decorate
