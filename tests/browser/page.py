"""One notebook open in JupyterLab in a browser page (`LabApp`), and the checks a learner's eye would make.

`NotebookPage` opens one notebook, runs every cell, and offers the checks:

- `NotebookPage.problems` : every error the kernel published (a cell's or a
  widget callback's traceback), "Error displaying widget", widgets left as
  their text representation, widgets stuck at "Loading widget...".
- `NotebookPage.check_sliders` : every slider moves with the arrow keys, shows
  its focus, and its output redraws.
- `NotebookPage.check_quizzes` : every quiz diagnoses a wrong answer and
  accepts the right one, using ``rnncourse.quiz.answer_key()`` from the
  notebook's own kernel, answered with the keyboard only (Tab, typing, Enter,
  arrow keys, Space) and with a visible focus on each control; its feedback line
  is a live region, and no ``$`` is left in its rendered text.
- `NotebookPage.measure_latency` : time from a slider key press to the new
  figure of an explorer, measured in the page.
- `NotebookPage.accessibility` : axe-core's violations in the course's own
  content (rendered Markdown and cell outputs), not in JupyterLab's chrome.

The JavaScript run in the page lives in ``js/`` beside this file, one function
or script per file, read when first used.
"""

from __future__ import annotations

import functools
import json
import os
import re
import statistics
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rnncourse.quiz import css_safe

from .lab import EXPLORERS, LabServer

__all__ = [
    "AXE_EXCLUSIONS",
    "Accessibility",
    "LabApp",
    "Latency",
    "NotebookPage",
    "Problem",
    "measure_explorers",
]

JS_DIR = Path(__file__).resolve().parent / "js"


@functools.cache
def _js(name: str) -> str:
    """The JavaScript of ``js/<name>.js``: a function expression or a script for ``page.evaluate``."""
    return (JS_DIR / f"{name}.js").read_text()


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
            options = getattr(widget, "options", None)  # radio buttons: one widget, all the options
            acc.extend(list(options) if options else [widget.description])
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


#: Violations that come from ipywidgets or JupyterLab themselves, not from the course's content:
#: (axe rule, CSS selector of the node, why). Each is left out of `NotebookPage.accessibility`
#: for that rule and that selector only, and counted as excluded.
AXE_EXCLUSIONS: list[tuple[str, str, str]] = [
    (
        "image-alt",
        ".jp-RenderedImage > img",
        "JupyterLab draws an image/png output (a matplotlib figure) as an <img> without alt and "
        "offers no way to give it one: its image renderer ignores the output's metadata",
    ),
    (
        "link-in-text-block",
        ".jp-RenderedMarkdown a",
        "JupyterLab's theme draws a Markdown link without underline, in a blue 1.86:1 against the "
        "text; the course writes Markdown and cannot restyle JupyterLab's links",
    ),
]

#: The most presses of Tab from a quiz's prompt to its next control (answer box, option, Check).
TAB_LIMIT = 3

#: axe-core's impact levels, worst first.
IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass
class Accessibility:
    """axe-core's findings in one notebook: the violations and the nodes left out by `AXE_EXCLUSIONS`."""

    notebook: str
    nodes: int
    violations: list[dict]
    excluded: list[dict] = field(default_factory=list)

    def count(self, impact: str) -> int:
        """Number of violated rules of this impact (each rule counted once, however many nodes)."""
        return sum(1 for v in self.violations if v["impact"] == impact)

    def serious(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in ("critical", "serious")]

    def line(self) -> str:
        counts = "  ".join(f"{i} {self.count(i)}" for i in IMPACTS)
        rules = ", ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)" for v in self.violations)
        by_rule: dict[str, int] = {}
        for n in self.excluded:
            by_rule[n["rule"]] = by_rule.get(n["rule"], 0) + 1
        excluded = ", ".join(f"{rule} {count} nodes" for rule, count in sorted(by_rule.items()))
        excluded = f"  [excluded: {excluded}]" if excluded else ""
        return f"{self.notebook:<36} {counts}  {rules or '-'}{excluded}"

    def listing(self, violations: list[dict]) -> str:
        lines = []
        for v in violations:
            lines.append(f"  - {v['id']} ({v['impact']}): {v['help']}")
            for n in v["nodes"][:8]:
                lines.append(f"      cell {n['cell']}: {n['target']}\n        {n['html']}")
                lines.append("        " + n["summary"].replace("\n", "\n        "))
            if len(v["nodes"]) > 8:
                lines.append(f"      ... and {len(v['nodes']) - 8} more nodes")
        return "\n".join(lines)


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


class LabApp:
    """One browser page with JupyterLab loaded once, in which notebooks are opened one at a time.

    As a learner works: the app loads once and each notebook opens in it, instead of a new
    page (and a new load of JupyterLab, ~7 CPU-seconds) per notebook. Between two notebooks
    `forget` closes the tab and takes out what the course's outputs installed in the page
    (``rnncourse.access``'s script and style sheet), so each notebook is judged on what it
    shows by itself. A page that crashed or was closed is loaded again.

    lab : the running server
    context : a Playwright browser context
    """

    def __init__(self, lab: LabServer, context: Any):
        self.lab = lab
        self.context = context
        self.page: Any = None
        self.loads = 0
        self.leftovers: list[tuple[str, list[str]]] = []
        self.current: NotebookPage | None = None

    def take(self, notebook: NotebookPage) -> Any:
        """The page for `notebook`, which is now the one open: the one open before is closed."""
        if self.current is not None and self.current is not notebook:
            self.current.close()
        self.current = notebook
        return self.ready()

    def ready(self) -> Any:
        """The page, with JupyterLab loaded and restored (loaded now if it is not)."""
        if self.page is not None and not self.page.is_closed():
            return self.page
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.loads += 1
        workspace = f"rnncourse-tests-{os.getpid()}-{self.loads}"
        self.page.goto(
            f"{self.lab.url}/lab/workspaces/{workspace}?reset&token={self.lab.token}",
            wait_until="domcontentloaded",
        )
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        self.page.evaluate("async () => { await window.jupyterapp.restored; }")
        return self.page

    def forget(self, path: str) -> None:
        """Close the notebook at `path` without saving, and take out what the course installed.

        If that fails or leaves something behind (kept in `leftovers`), the page is closed,
        so that the next notebook gets a fresh one.
        """
        try:
            left = self.page.evaluate(_js("forget"), path)
        except Exception:
            self.close()
            raise
        if left:
            self.leftovers.append((path, left))
            self.close()

    def close(self) -> None:
        if self.page is not None and not self.page.is_closed():
            self.page.close()
        self.page = None


class NotebookPage:
    """One notebook open in the page of a `LabApp`.

    Parameters
    ----------
    lab : the running server
    app : the page JupyterLab is loaded in
    path : notebook path relative to the server root, e.g. ``notebooks/01_rnn.ipynb``
    """

    def __init__(self, lab: LabServer, app: LabApp, path: str, timeout: float | None = None):
        self.lab = lab
        self.app = app
        self.path = path
        self.name = Path(path).name
        self.timeout = timeout or float(os.environ.get("RNNCOURSE_BROWSER_TIMEOUT", "300"))
        self.page: Any = None
        self.console_errors: list[str] = []
        self.options: dict[str, list[str]] = {}
        self.unseen_focus: list[str] = []
        self._listeners: list[tuple[str, Any]] = []

    # -- opening and running

    def open(self) -> NotebookPage:
        """Open the notebook in the app's page, as a learner opens it from the file browser."""
        self.page = self.app.take(self)
        self._listeners = [
            ("console", lambda m: m.type == "error" and self.console_errors.append(m.text)),
            ("pageerror", lambda e: self.console_errors.append(str(e))),
        ]
        for event, listener in self._listeners:
            self.page.on(event, listener)
        self._open_panel()
        self.page.evaluate(_js("helpers"))
        deadline = time.monotonic() + 120
        ready = "() => { const k = __rc.kernel(); return !!k && k.status === 'idle'; }"
        while not self.page.evaluate(ready):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kernel of {self.path} did not start; see {self.lab.log_path}")
            accept = self.page.locator(".jp-Dialog .jp-mod-accept")
            if accept.count():  # "Select Kernel" for a notebook without kernelspec: take the default
                accept.first.click()
            self.page.wait_for_timeout(100)
        self.page.evaluate(_js("listen"))
        return self

    def _open_panel(self) -> None:
        """Open the notebook's tab and wait until its file is loaded; once more if that fails.

        A tab that never loads is the server's or the page's failure, not the notebook's
        cells'. The second try is reported as a warning; a second failure raises with what
        JupyterLab's dialog said and what the server logged (e.g. "Unreadable Notebook").
        """
        opening = "(path) => { window.__rc = {}; jupyterapp.commands.execute('docmanager:open', {path}); }"
        log_from = self.lab.log_size()
        for attempt in (1, 2):
            self.page.evaluate(opening, self.path)
            found = self.page.evaluate(_js("find_panel"), self.path)
            if found["state"] == "ready":
                return
            said = f"{self.path} was {found['state']} after docmanager:open (attempt {attempt})"
            if found["dialog"]:
                said += f"; the page's dialog said: {found['dialog']}"
            self.page.evaluate(_js("forget"), self.path)  # its tab, if any, and the dialog
            if attempt == 1:
                warnings.warn(f"{said}; opening it again", stacklevel=2)
        raise RuntimeError(f"{said}\nthe server logged:\n{self.lab.log_since(log_from)[-4000:]}")

    def run_all(self) -> None:
        """Run every cell and wait until the kernel is idle and widgets have rendered."""
        self.page.evaluate(_js("run_all"))
        self.page.wait_for_timeout(50)
        self.wait_idle(self.timeout)
        undrawn = self.page.evaluate(_js("render_all"))
        if undrawn:
            raise RuntimeError(f"{undrawn} cells of {self.path} were still not drawn after scrolling to them")
        try:  # widgets render asynchronously after the kernel is done
            self.page.wait_for_function(
                "() => !Array.from(__rc.panel.node.querySelectorAll('.jp-OutputArea-output'))"
                ".some(o => (o.textContent || '').trim().startsWith('Loading widget...'))",
                timeout=15_000,
            )
        except Exception:  # noqa: BLE001 - reported by problems()
            pass
        self.page.wait_for_timeout(50)

    def wait_idle(self, timeout: float = 60.0, settle_ms: int = 30) -> None:
        """Wait until the kernel is idle and no cell shows ``[*]``, twice in a row."""
        for _ in range(2):
            self.page.wait_for_function("() => !__rc.busy()", timeout=timeout * 1000, polling=30)
            self.page.wait_for_timeout(settle_ms)

    def wait_synced(self, timeout: float = 60.0) -> None:
        """Wait until the kernel has handled every message the page's widgets sent it, and is idle.

        Counted, not timed: each message a widget sends (a value typed or ticked, a click)
        is answered by one "idle" status of the kernel (see ``js/listen.js``).
        """
        self.page.wait_for_function(
            "() => __rc.commsHandled() && !__rc.busy()", timeout=timeout * 1000, polling=20
        )

    def close(self) -> None:
        """Close the notebook's tab unsaved and shut its kernel down (without waiting for it to stop).

        Opening another notebook in the same `LabApp` closes this one first: one notebook is
        open at a time, and a closed one has no page (use it again with `open`).

        What the notebook's outputs installed in the page goes with it (`LabApp.forget`), so
        the next notebook opened in the page shows only what it installs itself.
        """
        if self.page is None:
            return
        try:
            if not self.page.is_closed():
                self.app.forget(self.path)
        finally:
            for event, listener in self._listeners:
                self.page.remove_listener(event, listener)
            self._listeners = []
            self.page = None
            if self.app.current is self:
                self.app.current = None
            self.lab.shutdown_sessions(self.path, wait=False)

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
        found = self.page.evaluate(_js("scan"), [_widget_repr_pattern(), errors_from, scan_page])
        problems = [Problem(self.name, f["cell"], f["source"], f["kind"], f["text"]) for f in found]
        for p in problems:
            if p.kind == "Error displaying widget" and self.console_errors:
                p.text += "\nbrowser console: " + self.console_errors[0].splitlines()[0]
        return problems

    # -- sliders

    def sliders(self) -> list[dict]:
        return self.page.evaluate(_js("list_sliders"))

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
            self.wait_synced()  # the last slider's values handled
            state = self.page.evaluate(_js("handle_state"), k)
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
            focus = self.page.evaluate(_js("focus_state"))
            if not focus["visible"]:
                problems.append(
                    Problem(
                        **where,
                        kind=f"{name}: focus not visible on its handle",
                        text=f"outline {focus['outline']}, box-shadow {focus['shadow']}",
                    )
                )
            moved = self.page.evaluate(_js("handle_state"), k)
            if moved["now"] == state["now"] and moved["readout"] == state["readout"]:
                key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"  # blocked that way?
                self.page.keyboard.press(key)
                moved = self.page.evaluate(_js("handle_state"), k)
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
            self.wait_synced()  # its callback done
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
        reply = self.page.evaluate(_js("answer_key"), code)
        if reply.get("err"):
            raise RuntimeError(f"answer_key() failed in the kernel of {self.name}: {reply['err']}")
        m = re.search("\x1eRCKEY(.*?)\x1e", reply.get("out", ""), re.S)
        if not m:
            raise RuntimeError(f"answer_key() printed nothing usable in {self.name}: {reply!r}")
        found = json.loads(m.group(1))
        self.options = found["options"]
        return found["key"]

    def quizzes(self) -> list[dict]:
        return self.page.evaluate(_js("list_quizzes"))

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
                "([k, before]) => { const f = (" + _js("feedback") + ")(k); return f && f !== before; }",
                arg=[k, before],
                timeout=1500,
                polling=50,
            )
        except Exception:  # noqa: BLE001 - unchanged feedback is judged by the caller
            pass
        return self.page.evaluate(_js("feedback"), k)

    def _start_at(self, quiz: Any) -> None:
        """Keyboard focus on the quiz's prompt, where a learner reading it is.

        A tabindex of -1 lets the prompt hold the focus without adding a Tab stop;
        from here on only the keyboard is used.
        """
        start = quiz.locator(".rnncourse-quiz-prompt").first
        if not start.count():
            start = quiz.locator(":scope > *").first
        start.evaluate("e => { e.tabIndex = -1; e.focus(); }")

    def _tab_to(self, target: Any, what: str, limit: int = TAB_LIMIT) -> int:
        """Press Tab until the focus is inside `target`; the number of presses (at most `limit`)."""
        for presses in range(1, limit + 1):
            self.page.keyboard.press("Tab")
            if target.evaluate("e => e.contains(document.activeElement)"):
                return presses
        focus = self.page.evaluate(_js("focus_state"))
        raise AssertionError(
            f"{what} not reached with {limit} presses of Tab (the focus is on {focus['what']})"
        )

    def _focus_shown(self, what: str) -> None:
        """Note in `unseen_focus` when the focused element draws no outline and no box shadow."""
        focus = self.page.evaluate(_js("focus_state"))
        if not focus["visible"]:
            self.unseen_focus.append(
                f"{what} ({focus['what']}) shows no focus: "
                f"outline {focus['outline']}, box-shadow {focus['shadow']}"
            )

    def _answer(self, quiz: Any, qid: str, kind: str, answer: Any) -> int:
        """Enter `answer` with the keyboard only and check it; the count of handled widget messages before.

        From the prompt, Tab reaches the answer box (type, then Enter checks) or the
        options (arrow keys in a group of radio buttons, Space on a check box), then
        Tab reaches the Check button and Enter presses it.
        """
        keyboard = self.page.keyboard
        self._start_at(quiz)
        if kind == "choice":
            # The page may show an option as typeset math; the kernel's descriptions are raw.
            wanted = {_norm(a) for a in (answer if isinstance(answer, list) else [answer])}
            radios = quiz.locator(".rnncourse-quiz-option input[type=radio]")
            single = radios.count() > 0  # one right option: radio buttons, else one checkbox per option
            options = radios if single else quiz.locator(".rnncourse-quiz-option")
            raw = self.options.get(qid, [])
            if len(raw) != options.count():
                labels = quiz.locator(".rnncourse-quiz-option label") if single else options
                raw = [labels.nth(i).inner_text() for i in range(options.count())]
            seen = {_norm(t) for t in raw}
            missing = wanted - seen
            if missing:
                raise AssertionError(f"options {sorted(missing)} not found among {sorted(seen)}")
            if single:
                target = next(i for i, t in enumerate(raw) if _norm(t) in wanted)
                self._tab_to(quiz.locator(".rnncourse-quiz-option").first, "the options")
                self._focus_shown("a radio button")
                focused = "(rs) => rs.indexOf(document.activeElement)"
                for _ in range(len(raw)):  # arrow keys within one group of radio buttons
                    at = radios.evaluate_all(focused)
                    if at == target:
                        break
                    keyboard.press("ArrowDown" if at < target else "ArrowUp")
                    if radios.evaluate_all(focused) == at:
                        raise AssertionError("the arrow keys do not move between the options")
                if radios.evaluate_all(focused) != target:
                    raise AssertionError(f"option {target + 1} not reached with the arrow keys")
                if not radios.nth(target).is_checked():
                    keyboard.press("Space")
                if not radios.nth(target).is_checked():
                    raise AssertionError(f"option {target + 1} not chosen with the arrow keys or Space")
            else:
                for i, text in enumerate(raw):
                    box = options.nth(i).locator("input[type=checkbox]")
                    self._tab_to(box, f"option {i + 1}")
                    if i == 0:
                        self._focus_shown("a check box")
                    if box.is_checked() != (_norm(text) in wanted):
                        keyboard.press("Space")
                    if box.is_checked() != (_norm(text) in wanted):
                        raise AssertionError(f"Space did not tick or untick option {i + 1}")
            self.wait_synced()  # the kernel has the options ticked
            self._tab_to(quiz.locator(".rnncourse-quiz-check").first, "the Check button")
            self._focus_shown("the Check button")
            idle = self.page.evaluate("() => __rc.iopub.commIdle")
            keyboard.press("Enter")
            return idle
        box = quiz.locator(".rnncourse-quiz-input input, .rnncourse-quiz-input textarea").first
        self._tab_to(box, "the answer box")
        self._focus_shown("the answer box")
        keyboard.press("ControlOrMeta+A")  # the previous answer, replaced by what is typed
        keyboard.type(str(answer))
        if box.input_value() != str(answer):
            raise AssertionError(f"typing {answer!r} left {box.input_value()!r} in the answer box")
        self.wait_synced()
        idle = self.page.evaluate("() => __rc.iopub.commIdle")
        keyboard.press("Enter")  # the box sends its value on Enter, and the quiz checks it
        return idle

    def _quiz_text_problems(self, k: int, where: dict, label: str, typeset_timeout: float) -> list[Problem]:
        """A problem for each part of quiz `k` whose rendered text still shows a ``$``."""
        self.wait_typeset(f'[data-rc-quiz="{k}"]', timeout=typeset_timeout)
        text = self.page.evaluate(_js("quiz_text"), k)
        return [
            Problem(**where, kind=f"{label}: its {part} shows a '$' (maths not typeset)", text=shown[:300])
            for part, shown in text["parts"].items()
            if "$" in shown
        ]

    def check_quizzes(
        self, module: str = "rnncourse.quiz", timeout: float = 30.0, typeset_timeout: float = 10.0
    ) -> tuple[list[dict], list[Problem]]:
        """Answer every quiz wrongly, then rightly; the feedback must say "Not yet", then "Correct".

        `timeout` is how long the kernel may take to answer, `typeset_timeout` how long the
        page may take to typeset the maths of the feedback before a ``$`` left is a problem.
        """
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
            before = self.page.evaluate(_js("feedback"), q["index"])
            if before is None:
                problems.append(Problem(**where, kind=f"{label} has no .rnncourse-quiz-feedback"))
                continue
            if not self.page.evaluate(_js("quiz_text"), q["index"])["live"]:
                problems.append(
                    Problem(
                        **where,
                        kind=f"{label}: its feedback line is not announced",
                        text="no aria-live or role=status on the feedback line or around it",
                    )
                )
            self.unseen_focus = []
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
            shown = self._quiz_text_problems(q["index"], where, label, typeset_timeout)  # the hint, shown now
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
            after = self.page.evaluate(_js("quiz_text"), q["index"])
            if after["live"] and right and right not in (after["liveText"] or ""):
                problems.append(
                    Problem(
                        **where,
                        kind=f"{label}: the live region does not hold the feedback",
                        text=f"live region {after['liveText']!r}, feedback {right!r}",
                    )
                )
            for p in self._quiz_text_problems(q["index"], where, label, typeset_timeout):  # the explanation
                if p.kind not in {s.kind for s in shown}:
                    shown.append(p)
            problems += shown
            for seen in dict.fromkeys(self.unseen_focus):
                problems.append(Problem(**where, kind=f"{label}: focus not visible", text=seen))
        return quizzes, problems

    # -- accessibility

    def accessibility(self, exclusions: list[tuple[str, str, str]] | None = None) -> Accessibility:
        """axe-core on the rendered Markdown and the cell outputs (``.jp-MarkdownOutput``,
        ``.jp-OutputArea-output``) of the open notebook; JupyterLab's own chrome is not looked at.

        axe-core comes bundled with the ``axe-playwright-python`` package (no download).
        Maths is typeset first, so that axe sees what the learner sees.
        """
        from axe_playwright_python.base import AXE_SCRIPT

        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SCRIPT)
        rules = AXE_EXCLUSIONS if exclusions is None else exclusions
        # axe judges colours only on screen: a window as tall as the notebook shows it all at
        # once, so one pass does (a pass per screen costs a second or more each).
        size = self.page.viewport_size
        tall = self.page.evaluate(
            "() => { const n = __rc.panel.content.node;"
            " const s = n.querySelector('.jp-WindowedPanel-outer') || n;"
            " return s.scrollHeight - s.clientHeight; }"
        )
        self.page.set_viewport_size({"width": size["width"], "height": min(size["height"] + tall, 40000)})
        try:
            # With the whole notebook on screen every cell is drawn, so the text the maths
            # check reads is there (JupyterLab skips drawing the cells off screen).
            self.page.wait_for_timeout(100)
            self.wait_typeset(".jp-MarkdownOutput, .rnncourse-quiz", timeout=5.0)
            found = self.page.evaluate(_js("axe"), [[list(r) for r in rules]])
        finally:
            self.page.set_viewport_size(size)
        return Accessibility(self.name, found["nodes"], found["violations"], found["excluded"])

    def wait_typeset(self, selector: str, timeout: float = 10.0) -> bool:
        """Wait until no element matching `selector` in the notebook shows a ``$``; False on timeout.

        JupyterLab typesets maths asynchronously (Markdown and HTMLMath widgets alike);
        once typeset, ``$...$`` is gone from the rendered text.
        """
        try:
            self.page.wait_for_function(
                "(sel) => !Array.from(__rc.panel.node.querySelectorAll(sel))"
                ".some(e => (e.innerText || '').includes('$'))",
                arg=selector,
                timeout=timeout * 1000,
                polling=30,
            )
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the caller judges
            return False
        return True

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
        setup = self.page.evaluate(_js("latency_setup"), name)
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
            self.wait_synced()
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
    app: LabApp,
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
        with NotebookPage(lab, app, rel) as page:
            page.run_all()
            for name in page.explorers():
                if name in names and name not in found:
                    latency = page.measure_latency(name, changes)
                    if latency is not None:
                        found[name] = latency
                        if report:
                            report(latency.line())
    return found
