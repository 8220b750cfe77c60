"""The course's own source code as a text corpus, built at run time.

The corpus is every ``.py`` file of the installed `rnncourse` package, sorted by its
path inside the package and joined with a header line naming the file. It is read
afresh each time, so it follows the package as its code changes: nothing is copied
into the repository and no length is fixed anywhere.

The held-out part is the *last* share of the characters (10% by default), cut at the
start of a line. A contiguous tail, not whole files, because

- it keeps the share fixed while files are added, renamed or grow;
- the training text and the held-out text are each one unbroken stretch, so the
  hidden state can be carried through either of them, as truncated BPTT does;
- the baselines and the model score exactly the same characters.

The model never trains on the tail. (Files near the end of the sorted list, such as
``widgets.py``, are partly held out; code styles are shared across the package, so
the tail is a fair sample of "more code like this".)

Introduced in notebook 12.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FILE_HEADER", "package_dir", "source_files", "source_corpus", "split_text"]

#: The line that introduces each file in the corpus; ``{path}`` is e.g. ``rnncourse/rnn.py``.
FILE_HEADER = "\n# ==== {path} ====\n"


def package_dir() -> Path:
    """The directory of the installed `rnncourse` package."""
    import rnncourse

    return Path(rnncourse.__file__).resolve().parent


def source_files(root: str | Path | None = None) -> list[Path]:
    """Every ``.py`` file under `root` (the installed package by default), sorted by relative path.

    Compiled files and ``__pycache__`` folders are skipped.
    """
    root = package_dir() if root is None else Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"source_files: {root} is not a directory.")
    files = [p for p in root.rglob("*.py") if "__pycache__" not in p.parts]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def source_corpus(root: str | Path | None = None) -> str:
    """The source files of `root` (the installed package by default) as one string.

    Each file is preceded by ``FILE_HEADER`` naming it (relative to the folder that
    holds `root`, e.g. ``rnncourse/cells.py``). The same files give the same string.
    """
    root = package_dir() if root is None else Path(root)
    parts = []
    for p in source_files(root):
        rel = Path(root.name) / p.relative_to(root)
        parts.append(FILE_HEADER.format(path=rel.as_posix()))
        parts.append(p.read_text(encoding="utf-8"))
    if not parts:
        raise FileNotFoundError(f"source_corpus: no .py files under {root}.")
    return "".join(parts)


def split_text(text: str, held_out: float = 0.1) -> tuple[str, str]:
    """Split `text` into a training part and the held-out tail.

    Parameters
    ----------
    text : the whole corpus
    held_out : share of the characters kept for validation, in (0, 1)

    Returns
    -------
    train : the first part of `text`
    val : the rest, starting at the beginning of a line; ``train + val == text``
    """
    if not 0 < held_out < 1:
        raise ValueError(f"split_text: held_out must lie strictly between 0 and 1, got {held_out!r}.")
    if len(text) < 2:
        raise ValueError(f"split_text: the text has {len(text)} characters; it needs at least 2.")
    cut = int(round(len(text) * (1 - held_out)))
    cut = min(max(cut, 1), len(text) - 1)
    nl = text.rfind("\n", 0, cut)  # move the cut back to the start of its line ...
    if nl > 0 and cut - nl < 200:  # ... if that line is not unusually long
        cut = nl + 1
    return text[:cut], text[cut:]
