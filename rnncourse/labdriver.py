"""Drive the course in a real browser: a private JupyterLab server and headless Chromium.

The kernel side of every notebook is checked by nbval. What nbval cannot see is
the page a learner looks at: a slider drawn as the text ``IntSlider(value=0)``,
"Error displaying widget", a plot that does not redraw when the slider moves, a
quiz whose Check button says nothing. This module opens the notebooks the way a
learner does and looks for exactly those failures. The browser tests
(``tests/browser``) and the latency benchmark (``python -m rnncourse.bench_ui``)
both use it.

`LabServer` starts JupyterLab on 127.0.0.1 with a random free port, a token, and
its own config, runtime, data, settings and workspace directories, on a
temporary copy of ``notebooks/`` with ``img/`` beside it, so autosave never
touches the real notebooks. `NotebookPage` opens one notebook in one browser
page, runs every cell, and offers the checks:

- `NotebookPage.problems` : every error the kernel published (a cell's or a
  widget callback's traceback), "Error displaying widget", widgets left as
  their text representation, widgets stuck at "Loading widget...".
- `NotebookPage.check_sliders` : every slider moves and its output redraws.
- `NotebookPage.check_quizzes` : every quiz diagnoses a wrong answer and
  accepts the right one, using ``rnncourse.quiz.answer_key()`` from the
  notebook's own kernel.
- `NotebookPage.measure_latency` : time from a slider key press to the new
  figure of an explorer, measured in the page.

Playwright is imported inside functions only, so ``import rnncourse`` never
needs it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CHROMIUM_ARGS",
    "EXPLORERS",
    "LabServer",
    "Latency",
    "NotebookPage",
    "Problem",
    "css_safe",
    "find_chromium",
    "launch_chromium",
    "measure_explorers",
    "repo_root",
]

#: Environment variable naming the Chromium executable.
CHROMIUM_ENV = "RNNCOURSE_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"

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

#: JupyterLab settings that keep every cell in the DOM and keep pop-ups away.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


def repo_root() -> Path:
    """The directory holding ``rnncourse/``, ``notebooks/`` and ``img/``."""
    return Path(__file__).resolve().parent.parent


def find_chromium() -> Path | None:
    """Chromium named by ``RNNCOURSE_CHROMIUM``, else Debian's ``/usr/bin/chromium``; None if absent."""
    path = Path(os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM)
    if path.is_file() and os.access(path, os.X_OK):
        return path
    return None


def launch_chromium(playwright: Any, executable: Path | str) -> Any:
    """Launch headless Chromium with a fresh, empty profile (Playwright makes one per launch)."""
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    """Process ids below `pid` (Linux /proc); kernels run in their own process groups."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
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


class LabServer:
    """A private JupyterLab server on a temporary copy of the course.

    Parameters
    ----------
    notebooks : directory of notebooks to copy (default ``<repo>/notebooks``)
    img : directory of images copied beside it as ``img/`` (default ``<repo>/img``)
    timeout : seconds to wait for the server to answer
    """

    def __init__(self, notebooks: Path | None = None, img: Path | None = None, timeout: float = 90.0):
        root = repo_root()
        self.source_notebooks = Path(notebooks) if notebooks else root / "notebooks"
        self.source_img = Path(img) if img else root / "img"
        self.timeout = timeout
        self.tmp = Path(tempfile.mkdtemp(prefix="rnncourse-lab-"))
        self.course = self.tmp / "course"
        self.notebooks = self.course / "notebooks"
        self.token = secrets.token_hex(24)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = self.tmp / "server.log"
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
            path = self.tmp / sub
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        # The python3 kernelspec lives in <sys.prefix>/share/jupyter, which stays on the path;
        # ipykernel's own spec is the fallback if it were missing.
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_CONFIG_PATH", None)
        env["RNNCOURSE_PROGRESS"] = str(self.tmp / "progress.json")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo_root()), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        # The kernel is started as `python`: make that this interpreter.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        return env

    def _write_settings(self) -> None:
        for plugin, values in LAB_SETTINGS.items():
            path = self.tmp / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))

    def start(self) -> LabServer:
        """Copy the course, start the server and wait until its API answers."""
        self.course.mkdir(parents=True)
        if self.source_notebooks.is_dir():
            shutil.copytree(self.source_notebooks, self.notebooks)
        else:
            self.notebooks.mkdir()
        if self.source_img.is_dir():
            shutil.copytree(self.source_img, self.course / "img")
        env = self._environment()
        self._write_settings()
        last_error = ""
        for _attempt in range(3):
            self.port = _free_port()
            cmd = [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.course}",
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=",
                "--ServerApp.terminals_enabled=False",
            ]
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
            self.proc = subprocess.Popen(
                cmd,
                cwd=self.course,
                env=env,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    self.api("GET", "/api/status")
                    return self
                except (OSError, urllib.error.URLError) as exc:
                    last_error = str(exc)
                    time.sleep(0.25)
            self._kill()
        raise RuntimeError(
            f"JupyterLab did not start ({last_error}); see {self.log_path}:\n{self.log_tail()}"
        )

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the server's REST API with the token; the decoded JSON reply (or None)."""
        data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as reply:
            text = reply.read()
        return json.loads(text) if text else None

    def shutdown_sessions(self, path: str | None = None) -> None:
        """Shut down the kernel of the notebook at `path` (all kernels if None)."""
        try:
            for session in self.api("GET", "/api/sessions") or []:
                if path is None or session.get("path") == path:
                    self.api("DELETE", f"/api/sessions/{session['id']}")
        except (OSError, urllib.error.URLError):
            pass

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
        pids = _descendants(self.proc.pid) if self.proc.poll() is None else []
        for pid in [self.proc.pid, *pids]:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            for pid in [self.proc.pid, *pids]:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            self.proc.wait(5)
        for pid in pids:  # kernels left behind by a dead server
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def stop(self, keep_files: bool = False) -> None:
        """Shut the server down through its API, kill what is left, remove the copy."""
        if self.proc is not None and self.proc.poll() is None:
            kernels = _descendants(self.proc.pid)
            try:
                self.api("POST", "/api/shutdown")
                self.proc.wait(15)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                pass
            if self.proc.poll() is None:
                self._kill()
            for pid in kernels:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        if self._log is not None:
            self._log.close()
        if not keep_files:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------- page


def _widget_repr_pattern() -> str:
    """A regex for the text representation of any ipywidgets widget, e.g. ``IntSlider(value=0)``."""
    try:
        import ipywidgets

        names = sorted(
            {
                n
                for n, o in vars(ipywidgets).items()
                if isinstance(o, type) and issubclass(o, ipywidgets.Widget)
            },
            key=len,
            reverse=True,
        )
    except ImportError:  # pragma: no cover - ipywidgets is a dependency
        names = ["IntSlider", "FloatSlider", "VBox", "HBox", "Output", "Image", "Text", "HTML", "interactive"]
    names = [n for n in names if n not in ("Widget", "DOMWidget", "CoreWidget", "ValueWidget")] or names
    widgets = r"\b(?:" + "|".join(names) + r")\((?:\)|[A-Za-z_]+=)"
    # the plain-text forms of the course's own explorers and quizzes
    course = r"^<\w*Explorer: |^Quiz \((?:shape|numeric|choice), "
    return widgets + "|" + course


_JS_HELPERS = r"""
window.__rc = window.__rc || {};
__rc.controls = '.widget-slider, .widget-readout, .widget-text, .widget-textarea, .widget-dropdown, '
  + '.widget-checkbox, .widget-toggle-button, .widget-toggle-buttons, .widget-radio, .widget-select, '
  + '.widget-button, .widget-play, .widget-colorpicker, .widget-datepicker';
__rc.cells = () => __rc.panel.content.widgets;
__rc.outputs = (i) => __rc.cells()[i].node.querySelector('.jp-Cell-outputArea');
__rc.source = (i) => {
  const lines = (__rc.cells()[i].model.sharedModel.getSource() || '').split('\n').filter(l => l.trim());
  const line = lines.find(l => !l.trim().startsWith('#')) || lines[0] || '';
  return line.trim().slice(0, 80);
};
__rc.snapshot = (node) => {
  if (!node) return '';
  const clone = node.cloneNode(true);
  clone.querySelectorAll(__rc.controls).forEach(e => e.remove());
  const parts = [clone.textContent];
  clone.querySelectorAll('img').forEach(e => parts.push('img:' + (e.getAttribute('src') || '')));
  clone.querySelectorAll('svg').forEach(e => parts.push('svg:' + e.innerHTML));
  node.querySelectorAll('canvas').forEach(e => {
    try { parts.push('canvas:' + e.toDataURL()); } catch (err) { /* a tainted canvas */ }
  });
  return parts.join('\n');
};
__rc.all = () => {
  const nodes = __rc.cells().map((c, i) => __rc.outputs(i));
  return nodes.map(n => __rc.snapshot(n)).join('\n\u241e\n');
};
__rc.kernel = () => __rc.panel.sessionContext.session && __rc.panel.sessionContext.session.kernel;
__rc.busy = () => {
  const k = __rc.kernel();
  if (!k || k.status !== 'idle') return true;
  const prompts = Array.from(__rc.panel.node.querySelectorAll('.jp-InputPrompt'));
  return prompts.some(p => p.textContent.includes('[*]'));
};
"""

_FIND_PANEL_JS = r"""
async (path) => {
  const app = window.jupyterapp;
  await app.restored;
  for (let i = 0; i < 1200; i++) {
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === path && w.content && w.sessionContext) {
        window.__rc = window.__rc || {};
        window.__rc.panel = w;
        app.shell.activateById(w.id);
        await w.context.ready;
        return true;
      }
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return false;
}
"""

_RUN_ALL_JS = r"""
async () => {
  const app = window.jupyterapp;
  app.shell.activateById(__rc.panel.id);
  __rc.panel.content.activeCellIndex = 0;
  return await app.commands.execute('notebook:run-all-cells');
}
"""

_LISTEN_JS = r"""
() => {
  const kernel = __rc.kernel();
  __rc.iopub = {errors: [], inputs: {}, commIdle: 0, commIdleAt: 0};
  if (!kernel) return false;
  const strip = (s) => String(s).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  kernel.iopubMessage.connect((_, msg) => {
    const type = msg.header.msg_type;
    const parent = msg.parent_header || {};
    if (type === 'execute_input') __rc.iopub.inputs[parent.msg_id] = msg.content.execution_count;
    if (type === 'status' && msg.content.execution_state === 'idle' && parent.msg_type === 'comm_msg') {
      __rc.iopub.commIdle += 1;  // the kernel has handled a message from a widget
      __rc.iopub.commIdleAt = performance.now();
    }
    if (type === 'error') {
      __rc.iopub.errors.push({
        parent: parent.msg_type || '', id: parent.msg_id || '',
        text: strip((msg.content.traceback || []).join('\n')
                    || (msg.content.ename + ': ' + msg.content.evalue)),
      });
    }
  });
  return true;
}
"""

_SCAN_JS = r"""
([reSource, errorsFrom, scanPage]) => {
  const widgetRe = new RegExp(reSource);
  const found = [];
  for (const e of __rc.iopub.errors.slice(errorsFrom)) {
    const count = __rc.iopub.inputs[e.id];
    const i = count === undefined ? -1 : __rc.cells().findIndex(c => c.model.executionCount === count);
    const kind = e.parent === 'execute_request'
      ? 'error output' : 'error in a widget callback (' + e.parent + ')';
    found.push({cell: i, source: i >= 0 ? __rc.source(i) : '', kind, text: e.text.slice(-1500)});
  }
  if (!scanPage) return found;
  __rc.cells().forEach((cell, i) => {
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    if (!area) return;
    const where = {cell: i, source: __rc.source(i)};
    area.querySelectorAll('.jp-OutputArea-output').forEach(o => {
      const mime = o.getAttribute('data-mime-type') || '';
      if (['text/plain', 'application/vnd.jupyter.stdout', 'application/vnd.jupyter.stderr'].includes(mime)) {
        const text = (o.innerText || o.textContent || '').trim();
        if (widgetRe.test(text)) {
          found.push({...where, kind: 'widget shown as text', text: text.slice(0, 300)});
        }
      }
    });
    area.querySelectorAll('.jupyter-widgets, .jp-OutputArea-output').forEach(e => {
      const own = Array.from(e.childNodes)
        .filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
      if (own.startsWith('Error displaying widget')) {
        found.push({...where, kind: 'Error displaying widget', text: own});
      }
      if (own.startsWith('Loading widget...')) {
        found.push({...where, kind: 'widget never rendered', text: own});
      }
    });
    area.querySelectorAll('.jupyter-widgets-error-widget').forEach(e => {
      found.push({...where, kind: 'Error displaying widget', text: 'a widget view failed to load'});
    });
  });
  return found;
}
"""

_LIST_SLIDERS_JS = r"""
() => {
  const sliders = [];
  __rc.cells().forEach((cell, i) => {
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    if (!area) return;
    area.querySelectorAll('.widget-slider').forEach(s => {
      const handle = s.querySelector('.noUi-handle');
      const k = sliders.length;
      s.setAttribute('data-rc-slider', String(k));
      const label = s.querySelector('.widget-label');
      const explorer = s.closest('.rnncourse-explorer');
      sliders.push({
        index: k, cell: i, source: __rc.source(i),
        label: label ? label.innerText.trim() : '',
        hasHandle: !!handle,
        disabled: !!s.querySelector('[disabled]') || (handle && handle.hasAttribute('disabled')),
        explorer: explorer
          ? Array.from(explorer.classList).filter(c => c.startsWith('rnncourse-explorer-')).join(' ') : '',
      });
    });
  });
  return sliders;
}
"""

_HANDLE_STATE_JS = r"""
(k) => {
  const h = document.querySelector(`[data-rc-slider="${k}"] .noUi-handle`);
  const r = document.querySelector(`[data-rc-slider="${k}"] .widget-readout`);
  return {
    now: h ? h.getAttribute('aria-valuenow') : null,
    min: h ? h.getAttribute('aria-valuemin') : null,
    max: h ? h.getAttribute('aria-valuemax') : null,
    readout: r ? r.textContent.trim() : '',
  };
}
"""

_ANSWER_KEY_JS = r"""
async (code) => {
  const kernel = __rc.kernel();
  if (!kernel) return {error: 'no kernel'};
  let out = '', err = '';
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  future.onIOPub = (msg) => {
    const t = msg.header.msg_type;
    if (t === 'stream') out += msg.content.text;
    if (t === 'error') err += msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return {out, err};
}
"""

_ANSWER_KEY_CODE = """\
import json as __rc_json, MODULE as __rc_quiz


def __rc_options():
    try:
        from ipywidgets.widgets.widget import _instances
    except ImportError:
        return {}
    found = {}

    def walk(widget, acc):
        if "rnncourse-quiz-option" in getattr(widget, "_dom_classes", ()):
            acc.append(widget.description)
        for child in getattr(widget, "children", None) or ():
            walk(child, acc)

    for widget in list(_instances.values()):
        classes = getattr(widget, "_dom_classes", ())
        if "rnncourse-quiz" in classes:
            acc = []
            walk(widget, acc)
            for c in classes:
                if c.startswith("rnncourse-quiz-"):
                    found[c[len("rnncourse-quiz-"):]] = acc
    return found


print("\\x1eRCKEY" + __rc_json.dumps({"key": __rc_quiz.answer_key(), "options": __rc_options()}) + "\\x1e")
del __rc_json, __rc_quiz, __rc_options
"""

_LIST_QUIZZES_JS = r"""
() => {
  const quizzes = [];
  __rc.cells().forEach((cell, i) => {
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    if (!area) return;
    area.querySelectorAll('.rnncourse-quiz').forEach(q => {
      const k = quizzes.length;
      q.setAttribute('data-rc-quiz', String(k));
      const inner = ['input', 'option', 'check', 'feedback'];
      const qids = Array.from(q.classList)
        .filter(c => c.startsWith('rnncourse-quiz-'))
        .map(c => c.slice('rnncourse-quiz-'.length))
        .filter(c => !inner.includes(c));
      quizzes.push({index: k, cell: i, source: __rc.source(i), qid: qids[0] || null});
    });
  });
  return quizzes;
}
"""

_FEEDBACK_JS = r"""
(k) => {
  const f = document.querySelector(`[data-rc-quiz="${k}"] .rnncourse-quiz-feedback`);
  if (!f) return null;
  const c = f.querySelector('.widget-html-content') || f;
  return (c.innerText || c.textContent || '').trim();
}
"""

_LATENCY_SETUP_JS = r"""
(name) => {
  const root = __rc.panel.node.querySelector('.rnncourse-explorer-' + name);
  if (!root) return null;
  const slider = root.querySelector('.widget-slider');
  if (!slider) return {error: 'no slider inside the explorer'};
  slider.setAttribute('data-rc-latency', name);
  const handle = slider.querySelector('.noUi-handle');
  const hasFigure = (n) => n.nodeType === 1
    && (['IMG', 'TABLE'].includes(n.tagName) || !!n.querySelector('img, table'));
  const state = {t0: null, t1: null, kind: null};
  window.__rc.lat = state;
  if (window.__rc.latObserver) window.__rc.latObserver.disconnect();
  const observer = new MutationObserver((records) => {
    if (state.t0 === null || state.t1 !== null) return;
    for (const m of records) {
      const target = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (target && target.closest('.widget-slider')) continue;
      let hit = null;
      if (m.type === 'attributes' && m.attributeName === 'src' && target.tagName === 'IMG') hit = 'img src';
      else if (m.type === 'childList' && Array.from(m.addedNodes).some(hasFigure)) hit = 'new figure';
      else if (target && target.closest('table')) hit = 'table';
      if (hit) { state.t1 = performance.now(); state.kind = hit; return; }
    }
  });
  observer.observe(root, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['src'], characterData: true,
  });
  window.__rc.latObserver = observer;
  if (!window.__rc.latKeydown) {
    window.__rc.latKeydown = true;
    document.addEventListener('keydown', (e) => {
      if (e.target && e.target.closest && e.target.closest('[data-rc-latency]') && window.__rc.lat) {
        window.__rc.lat.t0 = performance.now();
        window.__rc.lat.t1 = null;
      }
    }, true);
  }
  const label = slider.querySelector('.widget-label');
  return {label: label ? label.innerText.trim() : '', hasHandle: !!handle};
}
"""


@dataclass
class Latency:
    """Key press to new figure, in milliseconds, for one explorer."""

    explorer: str
    notebook: str
    slider: str
    samples: list[float] = field(default_factory=list)
    kind: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    def line(self) -> str:
        s = self.samples
        return (
            f"{self.explorer:<9} {self.notebook:<36} slider {self.slider!r:<14} n={len(s):<3} "
            f"median {self.median:7.1f} ms  min {min(s):7.1f}  max {max(s):7.1f}  ({self.kind})"
        )


@dataclass
class Problem:
    """Something a learner would see go wrong, located by cell."""

    notebook: str
    cell: int
    source: str
    kind: str
    text: str = ""

    def __str__(self) -> str:
        text = self.text.strip().replace("\n", "\n      ")
        return f"{self.notebook} cell {self.cell} ({self.source!r}): {self.kind}" + (
            f"\n      {text}" if text else ""
        )


class NotebookPage:
    """One notebook open in one browser page of a `LabServer`.

    Parameters
    ----------
    lab : the running server
    context : a Playwright browser context
    path : notebook path relative to the server root, e.g. ``notebooks/01_rnn.ipynb``
    """

    def __init__(self, lab: LabServer, context: Any, path: str, timeout: float | None = None):
        self.lab = lab
        self.context = context
        self.path = path
        self.name = Path(path).name
        self.timeout = timeout or float(os.environ.get("RNNCOURSE_BROWSER_TIMEOUT", "300"))
        self.page: Any = None
        self.console_errors: list[str] = []
        self.options: dict[str, list[str]] = {}

    # -- opening and running

    def open(self) -> NotebookPage:
        """Open the notebook in a new page with a workspace of its own."""
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        workspace = re.sub(r"[^A-Za-z0-9]+", "-", self.path).strip("-")
        self.page.goto(
            f"{self.lab.url}/lab/workspaces/{workspace}/tree/{self.path}?reset&token={self.lab.token}",
            wait_until="domcontentloaded",
        )
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        if not self.page.evaluate(_FIND_PANEL_JS, self.path):
            raise RuntimeError(f"{self.path} did not open in JupyterLab")
        self.page.evaluate(_JS_HELPERS)
        deadline = time.monotonic() + 120
        ready = "() => { const k = __rc.kernel(); return !!k && k.status === 'idle'; }"
        while not self.page.evaluate(ready):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kernel of {self.path} did not start; see {self.lab.log_path}")
            accept = self.page.locator(".jp-Dialog .jp-mod-accept")
            if accept.count():  # "Select Kernel" for a notebook without kernelspec: take the default
                accept.first.click()
            self.page.wait_for_timeout(100)
        self.page.evaluate(_LISTEN_JS)
        return self

    def run_all(self) -> None:
        """Run every cell and wait until the kernel is idle and widgets have rendered."""
        self.page.evaluate(_RUN_ALL_JS)
        self.page.wait_for_timeout(200)
        self.wait_idle(self.timeout)
        try:  # widgets render asynchronously after the kernel is done
            self.page.wait_for_function(
                "() => !Array.from(__rc.panel.node.querySelectorAll('.jp-OutputArea-output'))"
                ".some(o => (o.textContent || '').trim().startsWith('Loading widget...'))",
                timeout=15_000,
            )
        except Exception:  # noqa: BLE001 - reported by problems()
            pass
        self.page.wait_for_timeout(200)

    def wait_idle(self, timeout: float = 60.0, settle_ms: int = 80) -> None:
        """Wait until the kernel is idle and no cell shows ``[*]``, twice in a row."""
        for _ in range(2):
            self.page.wait_for_function("() => !__rc.busy()", timeout=timeout * 1000, polling=100)
            self.page.wait_for_timeout(settle_ms)

    def close(self) -> None:
        """Shut the notebook's kernel down and close the page."""
        self.lab.shutdown_sessions(self.path)
        if self.page is not None:
            self.page.close()
            self.page = None

    def __enter__(self) -> NotebookPage:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what went wrong on the page

    def problems(self, errors_from: int = 0, scan_page: bool = True) -> list[Problem]:
        """Errors the kernel published, "Error displaying widget", widgets shown as text or never rendered.

        Errors are those published on the kernel's IOPub channel since the page opened
        (from `errors_from` on): tracebacks of cells and of widget callbacks alike, wherever
        the page shows them. `scan_page` adds what the page itself shows wrongly.
        """
        found = self.page.evaluate(_SCAN_JS, [_widget_repr_pattern(), errors_from, scan_page])
        problems = [Problem(self.name, f["cell"], f["source"], f["kind"], f["text"]) for f in found]
        for p in problems:
            if p.kind == "Error displaying widget" and self.console_errors:
                p.text += "\nbrowser console: " + self.console_errors[0].splitlines()[0]
        return problems

    # -- sliders

    def sliders(self) -> list[dict]:
        return self.page.evaluate(_LIST_SLIDERS_JS)

    def check_sliders(
        self, redraw_timeout: float = 60.0, grace: float = 2.0
    ) -> tuple[list[dict], list[Problem]]:
        """Move every slider one step; its output (or, failing that, any output) must change.

        The change must come within `grace` seconds of the kernel handling the new value
        (and within `redraw_timeout` seconds in all).

        Returns the sliders found and the problems seen. An error the kernel publishes
        after the key press (the slider's callback raised) is a problem too, wherever
        the page shows it (an Output widget, the log console, nowhere).
        """
        sliders = self.sliders()
        problems: list[Problem] = []
        for s in sliders:
            where = dict(notebook=self.name, cell=s["cell"], source=s["source"])
            name = f"slider {s['label']!r}" if s["label"] else f"slider #{s['index']}"
            if not s["hasHandle"] or s["disabled"]:
                if not s["hasHandle"]:
                    problems.append(Problem(**where, kind=f"{name} has no handle to move"))
                continue
            k = s["index"]
            self.wait_idle()
            state = self.page.evaluate(_HANDLE_STATE_JS, k)
            at_max = (
                state["now"] is not None
                and state["max"] is not None
                and float(state["now"]) >= float(state["max"])
            )
            key = "ArrowLeft" if at_max else "ArrowRight"
            cell_before = self.page.evaluate("(i) => __rc.snapshot(__rc.outputs(i))", s["cell"])
            all_before = self.page.evaluate("() => __rc.all()")
            errors, idle = self.page.evaluate("() => [__rc.iopub.errors.length, __rc.iopub.commIdle]")
            handle = self.page.locator(f'[data-rc-slider="{k}"] .noUi-handle').first
            handle.scroll_into_view_if_needed()
            handle.focus()
            self.page.keyboard.press(key)
            moved = self.page.evaluate(_HANDLE_STATE_JS, k)
            if moved["now"] == state["now"] and moved["readout"] == state["readout"]:
                key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"  # blocked that way?
                self.page.keyboard.press(key)
                moved = self.page.evaluate(_HANDLE_STATE_JS, k)
            if moved["now"] == state["now"] and moved["readout"] == state["readout"]:
                problems.append(
                    Problem(
                        **where,
                        kind=f"{name} did not move on ArrowRight or ArrowLeft",
                        text=f"value {state['now']} in [{state['min']}, {state['max']}]",
                    )
                )
                continue
            # Done when the output changed, or the kernel raised, or it handled the new
            # value and nothing changed for `grace` seconds after.
            changed_js = (
                "([i, before, all]) => __rc.snapshot(__rc.outputs(i)) !== before || __rc.all() !== all"
            )
            try:
                self.page.wait_for_function(
                    f"([i, before, all, n, idle, grace]) => ({changed_js})([i, before, all])"
                    " || __rc.iopub.errors.length > n"
                    " || (__rc.iopub.commIdle > idle && !__rc.busy()"
                    "     && performance.now() - __rc.iopub.commIdleAt > grace)",
                    arg=[s["cell"], cell_before, all_before, errors, idle, grace * 1000],
                    timeout=redraw_timeout * 1000,
                    polling=50,
                )
            except Exception:  # noqa: BLE001 - Playwright's TimeoutError: reported below
                pass
            changed = self.page.evaluate(changed_js, [s["cell"], cell_before, all_before])
            self.wait_idle()
            raised = self.problems(errors_from=errors, scan_page=False)
            for p in raised:
                p.kind = f"{name}: its callback raised ({p.kind})"
                p.cell, p.source = s["cell"], s["source"]
            problems += raised
            if not changed and not raised:
                problems.append(
                    Problem(
                        **where,
                        kind=f"{name}: output did not change after {key}",
                        text=f"value {state['now']} -> {moved['now']}",
                    )
                )
        return sliders, problems

    # -- quizzes

    def answer_key(self, module: str = "rnncourse.quiz") -> list[dict]:
        """``<module>.answer_key()`` evaluated in the notebook's own kernel.

        The same call reads, from the kernel's live widgets, the raw description of
        every option of every quiz in display order (kept in ``self.options``): the
        page may show them as typeset math, which no longer reads like the key.
        """
        code = _ANSWER_KEY_CODE.replace("MODULE", module)
        reply = self.page.evaluate(_ANSWER_KEY_JS, code)
        if reply.get("err"):
            raise RuntimeError(f"answer_key() failed in the kernel of {self.name}: {reply['err']}")
        m = re.search("\x1eRCKEY(.*?)\x1e", reply.get("out", ""), re.S)
        if not m:
            raise RuntimeError(f"answer_key() printed nothing usable in {self.name}: {reply!r}")
        found = json.loads(m.group(1))
        self.options = found["options"]
        return found["key"]

    def quizzes(self) -> list[dict]:
        return self.page.evaluate(_LIST_QUIZZES_JS)

    def _feedback_after(self, k: int, before: str | None, idle: int, timeout: float) -> str | None:
        """The feedback once the kernel has handled the click (None if it never did)."""
        try:
            self.page.wait_for_function(
                "(n) => __rc.iopub.commIdle > n && !__rc.busy()", arg=idle, timeout=timeout * 1000, polling=50
            )
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError
            return None
        try:  # the view redraws right after the kernel's update; allow it a moment
            self.page.wait_for_function(
                "([k, before]) => { const f = (" + _FEEDBACK_JS + ")(k); return f && f !== before; }",
                arg=[k, before],
                timeout=1500,
                polling=50,
            )
        except Exception:  # noqa: BLE001 - unchanged feedback is judged by the caller
            pass
        return self.page.evaluate(_FEEDBACK_JS, k)

    def _answer(self, quiz: Any, qid: str, kind: str, answer: Any) -> int:
        """Enter `answer` and click Check; the count of handled widget messages before the click."""
        if kind == "choice":
            # The page may show an option as typeset math; the kernel's descriptions are raw.
            wanted = {_norm(a) for a in (answer if isinstance(answer, list) else [answer])}
            options = quiz.locator(".rnncourse-quiz-option")
            raw = self.options.get(qid, [])
            if len(raw) != options.count():
                raw = [options.nth(i).inner_text() for i in range(options.count())]
            seen = {_norm(t) for t in raw}
            for i, text in enumerate(raw):
                options.nth(i).locator("input[type=checkbox]").set_checked(_norm(text) in wanted)
            missing = wanted - seen
            if missing:
                raise AssertionError(f"options {sorted(missing)} not found among {sorted(seen)}")
        else:
            box = quiz.locator(".rnncourse-quiz-input input, .rnncourse-quiz-input textarea").first
            box.fill(str(answer))
            box.press("Tab")
        self.page.wait_for_timeout(50)
        self.wait_idle(settle_ms=60)
        idle = self.page.evaluate("() => __rc.iopub.commIdle")
        quiz.locator(".rnncourse-quiz-check").first.click()
        return idle

    def check_quizzes(
        self, module: str = "rnncourse.quiz", timeout: float = 30.0
    ) -> tuple[list[dict], list[Problem]]:
        """Answer every quiz wrongly, then rightly; the feedback must say "Not yet", then "Correct"."""
        quizzes = self.quizzes()
        problems: list[Problem] = []
        if not quizzes:
            try:
                key = self.answer_key(module)
            except RuntimeError:
                return quizzes, problems
            if key:
                problems.append(
                    Problem(
                        self.name,
                        -1,
                        "",
                        "quizzes in answer_key() but none on the page",
                        ", ".join(str(q.get("qid")) for q in key),
                    )
                )
            return quizzes, problems
        key = self.answer_key(module)
        by_qid = {css_safe(q["qid"]): q for q in key}
        if len(key) != len(quizzes):
            problems.append(
                Problem(
                    self.name,
                    -1,
                    "",
                    "number of quizzes on the page differs from answer_key()",
                    f"{len(quizzes)} on the page {[q['qid'] for q in quizzes]}, "
                    f"{len(key)} in answer_key() {list(by_qid)}",
                )
            )
        for q in quizzes:
            where = dict(notebook=self.name, cell=q["cell"], source=q["source"])
            entry = by_qid.get(str(q["qid"]))
            if entry is None:
                problems.append(Problem(**where, kind=f"quiz {q['qid']!r} is not in answer_key()"))
                continue
            locator = self.page.locator(f'[data-rc-quiz="{q["index"]}"]').first
            locator.scroll_into_view_if_needed()
            label = f"quiz {q['qid']!r} ({entry['kind']})"
            before = self.page.evaluate(_FEEDBACK_JS, q["index"])
            if before is None:
                problems.append(Problem(**where, kind=f"{label} has no .rnncourse-quiz-feedback"))
                continue
            try:
                idle = self._answer(locator, q["qid"], entry["kind"], entry["wrong"])
            except Exception as exc:  # noqa: BLE001
                problems.append(
                    Problem(**where, kind=f"{label}: could not enter the wrong answer", text=str(exc))
                )
                continue
            wrong = self._feedback_after(q["index"], before, idle, timeout)
            if not wrong:
                problems.append(
                    Problem(
                        **where,
                        kind=f"{label}: no feedback after a wrong answer",
                        text=f"answer {entry['wrong']!r}",
                    )
                )
            elif not wrong.startswith("Not yet"):
                problems.append(
                    Problem(
                        **where,
                        kind=f"{label}: wrong answer not diagnosed",
                        text=f"answer {entry['wrong']!r} got {wrong!r}",
                    )
                )
            elif len(wrong[len("Not yet") :].strip(" .,:;!-\u2014")) < 3:
                problems.append(Problem(**where, kind=f"{label}: 'Not yet' without a diagnosis", text=wrong))
            try:
                idle = self._answer(locator, q["qid"], entry["kind"], entry["right"])
            except Exception as exc:  # noqa: BLE001
                problems.append(
                    Problem(**where, kind=f"{label}: could not enter the right answer", text=str(exc))
                )
                continue
            right = self._feedback_after(q["index"], wrong if wrong is not None else before, idle, timeout)
            if not (right or "").startswith("Correct"):
                problems.append(
                    Problem(
                        **where,
                        kind=f"{label}: right answer not accepted",
                        text=f"answer {entry['right']!r} got {right!r}",
                    )
                )
        return quizzes, problems

    # -- pictures and timings

    def screenshots(self, folder: Path) -> list[Path]:
        """Save each quiz and each output that holds a slider as a PNG in `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        stem = Path(self.name).stem
        saved: list[Path] = []
        for q in self.quizzes():
            path = folder / f"{stem}-quiz-{q['qid'] or q['index']}.png"
            self.page.locator(f'[data-rc-quiz="{q["index"]}"]').first.screenshot(path=str(path))
            saved.append(path)
        for cell in sorted({s["cell"] for s in self.sliders()}):
            path = folder / f"{stem}-cell{cell:02d}-sliders.png"
            area = self.page.locator(".jp-Notebook .jp-Cell").nth(cell).locator(".jp-Cell-outputArea")
            area.screenshot(path=str(path))
            saved.append(path)
        return saved

    def explorers(self) -> list[str]:
        """Names of the explorers on the page (``rnncourse-explorer-<name>``)."""
        return self.page.evaluate(
            "() => Array.from(__rc.panel.node.querySelectorAll('.rnncourse-explorer')).flatMap(e =>"
            " Array.from(e.classList).filter(c => c.startsWith('rnncourse-explorer-'))"
            ".map(c => c.slice('rnncourse-explorer-'.length)))"
        )

    def measure_latency(self, name: str, changes: int = 12, timeout: float = 30.0) -> Latency | None:
        """Median time from a key press on the explorer's first slider to its new figure.

        A MutationObserver on the explorer, installed before the key press, notes the
        first change of an ``<img>`` src or a table; the key press is timed by a
        keydown listener. Both use ``performance.now()`` in the page.
        """
        setup = self.page.evaluate(_LATENCY_SETUP_JS, name)
        if setup is None:
            return None
        if "error" in setup or not setup.get("hasHandle"):
            raise RuntimeError(
                f"explorer {name!r} in {self.name}: {setup.get('error', 'slider has no handle')}"
            )
        result = Latency(name, self.name, setup["label"])
        handle = self.page.locator(f'[data-rc-latency="{name}"] .noUi-handle').first
        handle.scroll_into_view_if_needed()
        kinds = set()
        direction = "ArrowRight"
        for _ in range(changes):
            self.wait_idle(settle_ms=60)
            state = self.page.evaluate(
                "() => { const h = document.querySelector('[data-rc-latency] .noUi-handle');"
                " return [h.getAttribute('aria-valuenow'), h.getAttribute('aria-valuemin'),"
                " h.getAttribute('aria-valuemax')]; }"
            )
            now, lo, hi = (float(v) if v is not None else None for v in state)
            if now is not None and hi is not None and now >= hi:
                direction = "ArrowLeft"
            elif now is not None and lo is not None and now <= lo:
                direction = "ArrowRight"
            self.page.evaluate("() => { __rc.lat.t0 = null; __rc.lat.t1 = null; }")
            handle.focus()
            self.page.keyboard.press(direction)
            self.page.wait_for_function(
                "() => __rc.lat.t1 !== null && __rc.lat.t0 !== null", timeout=timeout * 1000, polling="raf"
            )
            t0, t1, kind = self.page.evaluate("() => [__rc.lat.t0, __rc.lat.t1, __rc.lat.kind]")
            result.samples.append(t1 - t0)
            kinds.add(kind)
        self.page.evaluate("() => __rc.latObserver && __rc.latObserver.disconnect()")
        result.kind = ", ".join(sorted(kinds))
        return result


def css_safe(qid: object) -> str:
    """A question id as it appears in the CSS class ``rnncourse-quiz-<qid>``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(qid))


def _norm(text: str) -> str:
    """Option text compared without math delimiters and runs of white space."""
    return " ".join(str(text).replace("$", "").split())


def _mentions_explorer(path: Path) -> bool:
    try:
        cells = json.loads(path.read_text()).get("cells", [])
    except (OSError, ValueError):
        return False
    return any(
        "explorer" in "".join(c.get("source", "")).lower() for c in cells if c.get("cell_type") == "code"
    )


def measure_explorers(
    lab: LabServer,
    context: Any,
    names: tuple[str, ...] = EXPLORERS,
    changes: int = 12,
    hints: dict[str, str] | None = None,
    report: Any = None,
    paths: list[Path] | None = None,
) -> dict[str, Latency]:
    """Find each named explorer in the server's notebooks and time `changes` redraws of it.

    The notebooks searched are `paths` (default: all of the server's ``notebooks/``).
    Those named in `hints` (explorer -> path) are opened first, then those whose
    code mentions an explorer, then the rest, until every explorer is measured.
    Explorers that are nowhere are missing from the result.
    """
    paths = sorted(lab.notebooks.glob("*.ipynb")) if paths is None else list(paths)
    first = [lab.course / p for p in (hints or {}).values()]
    order = list(dict.fromkeys(first + [p for p in paths if _mentions_explorer(p)] + paths))
    found: dict[str, Latency] = {}
    for path in order:
        if all(n in found for n in names):
            break
        rel = path.relative_to(lab.course).as_posix()
        with NotebookPage(lab, context, rel) as page:
            page.run_all()
            for name in page.explorers():
                if name in names and name not in found:
                    latency = page.measure_latency(name, changes)
                    if latency is not None:
                        found[name] = latency
                        if report:
                            report(latency.line())
    return found
