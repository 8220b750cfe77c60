"""Execute course notebooks top to bottom in a fresh kernel and store their outputs.

    python tools/refresh_notebooks.py                       # every notebook
    python tools/refresh_notebooks.py notebooks/05_*.ipynb  # some

This is how the committed outputs are made, which nbval then compares. Widget
state and widget views are not saved: a notebook opened before it is run shows
each quiz and explorer as text, and the learner's run rebuilds the widgets.
Quiz answers given while executing go to a throwaway progress file.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def refresh(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RNNCOURSE_PROGRESS"] = str(Path(tmp) / "progress.sqlite3")
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        t0 = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - t0
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                # A stored widget view points at a model that no longer exists; opened
                # before running, it would show "Error displaying widget". Keep only its
                # text and Markdown forms, which any viewer can show.
                data = out.get("data", {})
                if data.pop(WIDGET_VIEW, None) is not None:
                    data["text/plain"] = "(an interactive widget: run this cell to use it)"
                if out.get("output_type") == "error":
                    raise SystemExit(f"{path.name}: a cell raised {out['ename']}: {out['evalue']}")
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        seconds = refresh(p.resolve())
        print(f"{p.name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
