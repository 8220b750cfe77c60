"""Fixtures for the browser tests: one JupyterLab server and one Chromium for the whole run.

Without Chromium (or Playwright) the tests skip and say why; with
``RNNCOURSE_REQUIRE_BROWSER=1`` a missing browser is a failure instead.
``RNNCOURSE_CHROMIUM`` names the browser (default: Debian's headless shell, else its chromium),
``RNNCOURSE_SCREENSHOTS`` a folder for a PNG of every quiz, slider output and
exercise attempt of the course (none are taken without it: a screenshot asserts
nothing and costs the run CPU time; the scratch notebook's test takes a few to
show that they work).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .lab import LabServer, find_chromium, launch_chromium, missing_chromium
from .page import LabApp

#: What the run found, printed by `pytest_terminal_summary`.
REPORT: dict = {"screenshots": None, "latency": {}, "shots": 0, "axe": {}}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless Chromium (slow; needs Chromium and Playwright)"
    )


def _unavailable(reason: str) -> None:
    if os.environ.get("RNNCOURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason} (RNNCOURSE_REQUIRE_BROWSER=1 requires the browser tests to run)", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    path = find_chromium()
    if path is None:
        _unavailable(missing_chromium())
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: Path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(
            "Playwright for Python is not installed (pip install playwright; no browser download needed)"
        )
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_path)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab(browser, tmp_path_factory):
    """One JupyterLab for the whole run, on a copy of notebooks/ and img/ in pytest's temporary folder."""
    server = LabServer(root=tmp_path_factory.mktemp("lab")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_context(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


@pytest.fixture(scope="session")
def app(lab, browser_context):
    """JupyterLab loaded once in one page; every notebook of this process opens in it in turn."""
    app = LabApp(lab, browser_context)
    yield app
    app.close()


@pytest.fixture(scope="session")
def report() -> dict:
    """Shared with `pytest_terminal_summary`: latencies and the screenshot count."""
    return REPORT


@pytest.fixture(scope="session")
def screenshots() -> Path | None:
    """The folder ``RNNCOURSE_SCREENSHOTS`` names, made if need be; None (no screenshots) without it."""
    folder = os.environ.get("RNNCOURSE_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    REPORT["screenshots"] = path
    return path


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    # The explorers' latencies and the axe-core counts are printed by the top conftest.py,
    # which sees every xdist worker's tests.
    if REPORT["screenshots"] is not None and REPORT["shots"]:
        terminalreporter.section("browser screenshots")
        terminalreporter.write_line(
            f"{REPORT['shots']} screenshots of quizzes, sliders and exercises in {REPORT['screenshots']}"
        )
