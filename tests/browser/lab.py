"""A private JupyterLab server for the browser tests and the latency benchmark, and the Chromium they drive.

`LabServer` starts JupyterLab on 127.0.0.1 with a random free port, a random
token, and its own config, runtime, data, settings and workspace directories,
on a copy of ``notebooks/`` with ``img/`` beside it, so autosave never touches
the real notebooks. Its safeguards:

- the token is in a config file only its owner can read, never on a command
  line that ``ps`` shows;
- the server and every kernel it starts run under ``watched.py``, which ends
  them when their parent goes, so a killed test run leaves nothing running;
- before the token is sent anywhere, `start` checks that the server answering
  is the process it started: alive, and named with its pid and port in the
  server-info file it writes into the private runtime directory;
- a start that fails kills what it started and removes the folders it made.

Playwright is imported by the caller, not here.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_ENV",
    "DEFAULT_CHROMIUMS",
    "EXPLORERS",
    "LabServer",
    "explorer_homes",
    "find_chromium",
    "launch_chromium",
    "missing_chromium",
    "repo_root",
]

#: Environment variable naming the Chromium executable.
CHROMIUM_ENV = "RNNCOURSE_CHROMIUM"
#: Where Debian puts Chromium, in the order they are tried when ``RNNCOURSE_CHROMIUM`` is unset:
#: the headless shell first (package ``chromium-headless-shell``: the same Blink and V8, without
#: the desktop browser around them; in back-to-back runs of the whole suite the machine was
#: busy 352-357 CPU-s with it against 358-384 with the desktop build), then ``chromium``.
DEFAULT_CHROMIUMS = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
    "/usr/bin/chromium",
)

#: The test run's folder of trainings done once (``rnncourse.cache``), set by the top conftest.py.
TEST_CACHE_ENV = "RNNCOURSE_TEST_CACHE"

#: Flags that let Chromium run headless as root on a machine with a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

#: The explorers whose redraw latency is measured, by their ``rnncourse-explorer-<name>`` class.
EXPLORERS = ("gradient", "shapes")

#: JupyterLab settings that keep pop-ups away and autosave off. The notebooks are windowed as
#: JupyterLab does by default ("contentVisibility": a cell is drawn when it first comes into
#: view), so the tests see the page a learner sees; `NotebookPage.run_all` scrolls through.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "contentVisibility"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}

#: nbgrader (in the test extra, for the classroom round trip) adds menus, a toolbar button
#: and server handlers that a learner's ``pip install -e .`` does not have: the test server
#: turns them off, so the browser tests see the page a learner sees (and start faster).
NBGRADER_SERVER_EXTENSIONS = [
    f"nbgrader.server_extensions.{name}"
    for name in ("formgrader", "validate_assignment", "assignment_list", "course_list")
]
NBGRADER_LAB_EXTENSION = "@jupyter/nbgrader"

#: Runs the server and the kernels for as long as their parent lives.
WATCHED = Path(__file__).resolve().parent / "watched.py"


def explorer_homes(notebooks: Path) -> dict[str, str]:
    """Explorer name -> the stem of the first notebook in `notebooks` (by name) that calls it.

    An explorer ``rnncourse-explorer-<name>`` is made by ``explorers.<name>_explorer``, with
    a plural name made singular (``shapes``: ``shape_explorer``).
    """
    homes: dict[str, str] = {}
    for path in sorted(Path(notebooks).glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        for name in ("gradient", "shapes", "clipping", "hidden_state", "melody", "text"):
            if f"{name.removesuffix('s')}_explorer(" in text:
                homes.setdefault(name, path.stem)
    return homes


def repo_root() -> Path:
    """The checkout holding ``rnncourse/``, ``notebooks/``, ``img/`` and ``tests/``."""
    return Path(__file__).resolve().parents[2]


def find_chromium() -> Path | None:
    """Chromium named by ``RNNCOURSE_CHROMIUM``, else the first of `DEFAULT_CHROMIUMS`; None if absent.

    A ``RNNCOURSE_CHROMIUM`` that names no executable is not replaced by a default: the
    run uses the browser it was told to, or none.
    """
    named = os.environ.get(CHROMIUM_ENV)
    for candidate in [named] if named else DEFAULT_CHROMIUMS:
        path = Path(candidate)
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def missing_chromium() -> str:
    """What to say when `find_chromium` finds nothing: where it looked and how to get a browser."""
    named = os.environ.get(CHROMIUM_ENV)
    where = f"at {CHROMIUM_ENV}={named}" if named else "at any of " + ", ".join(DEFAULT_CHROMIUMS)
    return (
        f"Chromium not found {where}; install Debian's chromium-headless-shell (or chromium), "
        f"or set {CHROMIUM_ENV} to a Chromium or Chrome executable"
    )


def launch_chromium(playwright: Any, executable: Path | str) -> Any:
    """Launch headless Chromium with a fresh, empty profile (Playwright makes one per launch)."""
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Process ids below `pid` (Linux /proc; empty elsewhere); kernels run in their own process groups."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass


class LabServer:
    """A private JupyterLab server on a copy of the course.

    Parameters
    ----------
    notebooks : directory of notebooks to copy (default ``<repo>/notebooks``)
    img : directory of images copied beside it as ``img/`` (default ``<repo>/img``)
    timeout : seconds to wait for the server to answer
    root : an empty directory for the server's files, e.g. from pytest's ``tmp_path_factory``
        (left to its owner); by default a temporary directory that `stop` removes
    extra_args : more command-line arguments for ``jupyter lab``
    """

    def __init__(
        self,
        notebooks: Path | None = None,
        img: Path | None = None,
        timeout: float = 90.0,
        root: Path | None = None,
        extra_args: tuple[str, ...] = (),
    ):
        repo = repo_root()
        self.source_notebooks = Path(notebooks) if notebooks else repo / "notebooks"
        self.source_img = Path(img) if img else repo / "img"
        self.timeout = timeout
        self.extra_args = tuple(extra_args)
        self._owns_root = root is None
        self.tmp = Path(tempfile.mkdtemp(prefix="rnncourse-lab-")) if root is None else Path(root)
        self.course = self.tmp / "course"
        self.notebooks = self.course / "notebooks"
        self.token = secrets.token_hex(24)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = self.tmp / "server.log"
        self._log = None
        self._shutdowns: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _dir(self, name: str) -> Path:
        path = self.tmp / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTERLAB_SETTINGS_DIR": "settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "IPYTHONDIR": "ipython",
            "MPLCONFIGDIR": "matplotlib",
        }
        for name, sub in dirs.items():
            env[name] = str(self._dir(sub))
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_CONFIG_PATH", None)
        env.pop("JUPYTER_TOKEN", None)
        env["RNNCOURSE_PROGRESS"] = str(self.tmp / "progress.json")
        if os.environ.get(TEST_CACHE_ENV):  # trainings shared with nbval's kernels (see conftest.py)
            env["RNNCOURSE_CACHE"] = os.environ[TEST_CACHE_ENV]
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo_root()), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        return env

    def _write_config(self) -> None:
        """Settings, the kernelspec that ties each kernel to the server, and the token (mode 0600)."""
        for plugin, values in LAB_SETTINGS.items():
            path = self._dir("settings") / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        # Found before <sys.prefix>/share/jupyter/kernels/python3: the user data directory comes first.
        spec = {
            "argv": [sys.executable, str(WATCHED), "--signal", "SIGKILL", "-m", "ipykernel_launcher"]
            + ["-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "metadata": {"debugger": True},
        }
        kernel = self._dir("data") / "kernels" / "python3"
        kernel.mkdir(parents=True, exist_ok=True)
        (kernel / "kernel.json").write_text(json.dumps(spec, indent=1))
        config = self._dir("config") / "jupyter_server_config.json"
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        server = {"jpserver_extensions": dict.fromkeys(NBGRADER_SERVER_EXTENSIONS, False)}
        with os.fdopen(fd, "w") as f:
            json.dump({"IdentityProvider": {"token": self.token}, "ServerApp": server}, f)
        labconfig = self._dir("config") / "labconfig"
        labconfig.mkdir(exist_ok=True)
        (labconfig / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {NBGRADER_LAB_EXTENSION: True}})
        )

    def command(self) -> list[str]:
        """The command line of the server: everything but the token, which is in the config file."""
        return [
            sys.executable,
            str(WATCHED),
            "--parent",
            str(os.getpid()),
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.course}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--ServerApp.terminals_enabled=False",
            *self.extra_args,
        ]

    def start(self) -> LabServer:
        """Copy the course, start the server and wait until it is known to be ours and answers.

        On failure everything started is killed and, unless `root` was given, the
        folder is removed, before the error is raised.
        """
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> LabServer:
        self.course.mkdir(parents=True)
        if self.source_notebooks.is_dir():
            shutil.copytree(self.source_notebooks, self.notebooks)
        else:
            self.notebooks.mkdir()
        if self.source_img.is_dir():
            shutil.copytree(self.source_img, self.course / "img")
        env = self._environment()
        self._write_config()
        last_error = ""
        for _attempt in range(3):
            self.port = _free_port()
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
            self.proc = subprocess.Popen(
                self.command(),
                cwd=self.course,
                env=env,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            offset = self._log.tell()
            try:
                self._wait_ready(time.monotonic() + self.timeout)
                return self
            except RuntimeError as exc:
                last_error = str(exc)
            self._kill()
            self._log.close()
            if "already in use" not in self.log_since(offset):
                break  # only a port taken between _free_port and the server's bind is worth a retry
        raise RuntimeError(f"JupyterLab did not start ({last_error}); log:\n{self.log_tail()}")

    def server_info(self) -> dict | None:
        """The server-info file our server wrote into the private runtime directory (None if not yet)."""
        if self.proc is None:
            return None
        path = self.tmp / "runtime" / f"jpserver-{self.proc.pid}.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def _wait_ready(self, deadline: float) -> None:
        """Wait until our process is alive, says it listens on our port, and answers our token."""
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError("the server exited")
            info = self.server_info()
            if info is None:
                time.sleep(0.25)
                continue
            if info.get("pid") != self.proc.pid or info.get("port") != self.port:
                raise RuntimeError(f"server info names pid {info.get('pid')}, port {info.get('port')}")
            try:
                status = self.api("GET", "/api/status")
            except (OSError, urllib.error.URLError) as exc:
                if isinstance(exc, urllib.error.HTTPError):
                    raise RuntimeError(f"/api/status refused the token: HTTP {exc.code}") from exc
                time.sleep(0.25)
                continue
            if self.proc.poll() is None and isinstance(status, dict) and "started" in status:
                return
            raise RuntimeError(f"/api/status answered {status!r}")
        raise RuntimeError(f"no answer within {self.timeout:.0f} s")

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the server's REST API with the token; the decoded JSON reply (or None)."""
        data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as reply:
            text = reply.read()
        return json.loads(text) if text else None

    def shutdown_sessions(self, path: str | None = None, wait: bool = True) -> None:
        """Shut down the kernel of the notebook at `path` (all kernels if None).

        With ``wait=False`` the kernels are asked to stop and the call returns at once:
        the server takes about a second to see a kernel out, time the next notebook
        can use. `stop` waits for every shutdown still under way.
        """
        try:
            found = self.api("GET", "/api/sessions") or []
            sessions = [s for s in found if path is None or s.get("path") == path]
        except (OSError, urllib.error.URLError):
            return

        def delete() -> None:
            for session in sessions:
                try:
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30.0)
                except (OSError, urllib.error.URLError):
                    pass

        if wait:
            delete()
            return
        thread = threading.Thread(target=delete, name=f"shutdown {path}", daemon=True)
        thread.start()
        self._shutdowns.append(thread)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def log_tail(self, n: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def _kill(self) -> None:
        if self.proc is None:
            return
        pids = descendants(self.proc.pid) if self.proc.poll() is None else []
        _signal_all([self.proc.pid, *pids], signal.SIGTERM)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            _signal_all([self.proc.pid, *pids], signal.SIGKILL)
            self.proc.wait(5)
        _signal_all(pids, signal.SIGKILL)  # kernels left behind by a dead server

    def stop(self, keep_files: bool = False) -> None:
        """Shut the server down through its API, kill what is left, remove the folder if it is ours."""
        for thread in self._shutdowns:  # kernels asked to stop by shutdown_sessions(wait=False)
            thread.join(30)
        self._shutdowns.clear()
        if self.proc is not None and self.proc.poll() is None:
            kernels = descendants(self.proc.pid)
            try:
                self.api("POST", "/api/shutdown")
                self.proc.wait(15)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                pass
            if self.proc.poll() is None:
                self._kill()
            _signal_all(kernels, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
        if self._owns_root and not keep_files:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
