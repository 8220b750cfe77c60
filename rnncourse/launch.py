"""Open the course in JupyterLab: ``python -m rnncourse lab [NOTEBOOK] [JUPYTER OPTIONS]``.

It starts JupyterLab from the same Python that has `rnncourse` installed (so the
notebooks' kernel and the widgets' front end are the ones you installed), opens
the first notebook, and adds ``--allow-root`` only when you run as root, as in
many containers and cloud notebooks, where JupyterLab otherwise stops at once
with "Running as root is not recommended".
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["FIRST_NOTEBOOK", "lab_command", "main"]

FIRST_NOTEBOOK = "00_start_here.ipynb"


def notebooks_dir() -> Path:
    """The course's notebooks folder: ./notebooks if it is here, else the one beside the package."""
    here = Path.cwd() / "notebooks"
    if (here / FIRST_NOTEBOOK).exists():
        return here
    return Path(__file__).resolve().parent.parent / "notebooks"


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(
    notebook: str | None = None, extra: Sequence[str] = (), root: bool | None = None
) -> list[str]:
    """The command that opens `notebook` (default: the first one) in JupyterLab."""
    folder = notebooks_dir()
    target = Path(notebook) if notebook else folder / FIRST_NOTEBOOK
    if not target.exists() and (folder / target).exists():
        target = folder / target
    cmd = [sys.executable, "-m", "jupyter", "lab", str(target)]
    if (_is_root() if root is None else root) and "--allow-root" not in extra:
        cmd.append("--allow-root")
    return cmd + list(extra)


def main(notebook: str | None = None, extra: Sequence[str] = ()) -> int:
    """Start JupyterLab and wait for it; return its exit status."""
    cmd = lab_command(notebook, extra)
    target = Path(cmd[4])
    if not target.exists():
        print(f"There is no notebook {target}. The course's notebooks are in {notebooks_dir()}.")
        return 2
    if "--allow-root" in cmd and "--allow-root" not in extra:
        print("Running as root: starting JupyterLab with --allow-root.")
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0
