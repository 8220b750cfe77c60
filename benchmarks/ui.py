"""Explorer latency in a real browser: from a slider key press to the new figure on the page.

Run ``python -m benchmarks ui`` from the root of a checkout. It
starts a private JupyterLab on a copy of ``notebooks/``, opens the notebooks in
headless Chromium, runs them, and for each explorer (the gradient explorer and
the shape explorer) presses an arrow key on its first slider at least ten
times. The page itself times each change: ``performance.now()`` at the keydown,
and again when a MutationObserver on the explorer sees the new figure (the
``<img>`` src changing, or the table being redrawn). It prints the median.

This is a measurement, not a test: nothing fails when it is slow. It exits 1 if
an explorer is in no notebook yet, 2 if Chromium or Playwright is missing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

# The browser driver of the tests, importable from a checkout (benchmarks are not installed).
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from tests.browser.lab import (  # noqa: E402
    EXPLORERS,
    LabServer,
    find_chromium,
    launch_chromium,
    missing_chromium,
)

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks ui", description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=15, help="slider changes per explorer (at least 10)")
    parser.add_argument(
        "--explorer",
        action="append",
        choices=EXPLORERS,
        help="measure only this explorer (repeatable; default: all)",
    )
    parser.add_argument("--notebooks", type=Path, default=None, help="notebook folder (default: notebooks/)")
    args = parser.parse_args(argv)
    changes = max(10, args.changes)
    names = tuple(args.explorer or EXPLORERS)

    chromium = find_chromium()
    if chromium is None:
        print(f"{missing_chromium()}.", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print(
            "Playwright for Python is not installed: pip install playwright (no browser download needed).",
            file=sys.stderr,
        )
        return 2
    from tests.browser.page import measure_explorers

    with LabServer(notebooks=args.notebooks) as lab, sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        try:
            print(f"Explorer latency: slider key press to new figure in the page, {changes} changes each")
            print(f"  {os.cpu_count()} cores, Python {platform.python_version()}, Chromium {browser.version}")
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            found = measure_explorers(lab, context, names=names, changes=changes)
        finally:
            browser.close()
    print()
    for name in names:
        if name in found:
            latency = found[name]
            print(latency.line())
            print(f"          samples (ms): {', '.join(f'{t:.0f}' for t in latency.samples)}")
    missing = [n for n in names if n not in found]
    if missing:
        for name in missing:
            print(
                f"no explorer with class rnncourse-explorer-{name} in any notebook of "
                f"{args.notebooks or 'notebooks/'} yet: not measured",
                file=sys.stderr,
            )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
