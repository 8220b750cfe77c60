"""The private JupyterLab server: its token stays off command lines, it dies with the test run,
a failed start leaves nothing behind, and the token goes only to the server it started."""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .lab import LabServer, descendants, repo_root

pytestmark = pytest.mark.browser

linux_only = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@linux_only
def test_token_is_not_on_any_command_line(lab):
    kernel = lab.api("POST", "/api/kernels", {"name": "python3"})  # to look at its command line too
    try:
        pids = [lab.proc.pid, *descendants(lab.proc.pid)]
        assert len(pids) >= 2, "expected the server and at least one kernel"
        for pid in pids:
            assert lab.token not in _cmdline(pid), f"the token is on the command line of pid {pid}"
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=False).stdout
        assert ps and lab.token not in ps, "`ps` shows the token"
    finally:
        lab.api("DELETE", f"/api/kernels/{kernel['id']}")


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        type(self).seen.append(self.headers.get("Authorization", ""))
        body = json.dumps({"started": "now"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("info", ["none", "wrong pid"])
def test_token_goes_only_to_the_server_it_started(tmp_path, info):
    """A stranger answering on the port (no server-info file from our process) never sees the token."""
    _Recorder.seen = []
    stranger = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=stranger.serve_forever, daemon=True).start()
    lab = LabServer(root=tmp_path)
    lab.port = stranger.server_address[1]
    lab.proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        if info == "wrong pid":
            runtime = tmp_path / "runtime"
            runtime.mkdir()
            (runtime / f"jpserver-{lab.proc.pid}.json").write_text(
                json.dumps({"pid": lab.proc.pid + 1, "port": lab.port, "token": lab.token})
            )
        with pytest.raises(RuntimeError):
            lab._wait_ready(time.monotonic() + 2)
    finally:
        lab.proc.kill()
        lab.proc.wait()
        stranger.shutdown()
    assert not any(lab.token in header for header in _Recorder.seen), "the token was sent to a stranger"


def test_failed_start_leaves_no_folder():
    lab = LabServer(extra_args=("--no-such-option-anywhere",), timeout=30)
    folder = lab.tmp
    assert folder.is_dir()
    with pytest.raises(RuntimeError, match="did not start"):
        lab.start()
    assert not folder.exists(), f"{folder} is left behind after a failed start"
    assert lab.proc is not None and lab.proc.poll() is not None


_START_AND_WAIT = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.browser.lab import LabServer, descendants

lab = LabServer(root=Path({folder!r})).start()
lab.api("POST", "/api/kernels", {{"name": "python3"}})
deadline = time.monotonic() + 60
while time.monotonic() < deadline and not descendants(lab.proc.pid):
    time.sleep(0.2)
time.sleep(1)
print(json.dumps([lab.proc.pid, *descendants(lab.proc.pid)]), flush=True)
time.sleep(600)
"""


@linux_only
def test_killed_test_run_leaves_nothing_running(tmp_path):
    """SIGKILL the process that started the server: the server and its kernel end within seconds."""
    code = _START_AND_WAIT.format(root=str(repo_root()), folder=str(tmp_path / "lab"))
    runner = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pids = []
    try:
        line = runner.stdout.readline()
        pids = json.loads(line)
        assert len(pids) >= 2, f"expected the server and a kernel, got {pids}"
        assert all(_alive(p) for p in pids)
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.25)
    left = [f"{p}: {_cmdline(p)}" for p in pids if _alive(p)]
    for p in pids:  # never leave them behind, even when the test fails
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, "still running after the test process was killed:\n" + "\n".join(left)


# --------------------------------------------------------------------------- which browser


def _executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_chromium_is_the_named_one_else_the_first_default_found(tmp_path, monkeypatch):
    from . import lab

    shell, desktop = tmp_path / "headless-shell", _executable(tmp_path / "chromium")
    monkeypatch.setattr(lab, "DEFAULT_CHROMIUMS", (str(shell), str(desktop)))
    monkeypatch.delenv(lab.CHROMIUM_ENV, raising=False)
    assert lab.find_chromium() == desktop  # the headless shell is not installed
    _executable(shell)
    assert lab.find_chromium() == shell  # and now it is: it comes first
    named = _executable(tmp_path / "my-chrome")
    monkeypatch.setenv(lab.CHROMIUM_ENV, str(named))
    assert lab.find_chromium() == named
    # A name that is no executable is not quietly replaced by a default, and the message says so.
    monkeypatch.setenv(lab.CHROMIUM_ENV, str(tmp_path / "typo"))
    assert lab.find_chromium() is None
    assert f"{lab.CHROMIUM_ENV}={tmp_path / 'typo'}" in lab.missing_chromium()
    monkeypatch.delenv(lab.CHROMIUM_ENV)
    shell.unlink()
    desktop.unlink()
    assert lab.find_chromium() is None
    assert str(shell) in lab.missing_chromium() and "chromium-headless-shell" in lab.missing_chromium()
