"""Tests for the figure builder tools/figures: the registry matches img/, notebooks use existing figures,
every drawing function runs, and regenerated figures keep their committed pixel size."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib.image as mpimg
import pytest
from matplotlib.figure import Figure

from tools import figures

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "img"
NOTEBOOKS = ROOT / "notebooks"

# ![alt](../img/NAME.png) and <img src="../img/NAME.png"> (single or double quotes)
_IMG_REF = re.compile(
    r"!\[[^\]]*\]\(\s*(?:\.\./)?img/([^)\s]+)\s*\)"
    r"|<img[^>]*\bsrc\s*=\s*[\"'](?:\.\./)?img/([^\"']+)[\"']",
    re.IGNORECASE,
)


def _committed_images() -> set[str]:
    return {p.name for p in IMG.glob("*.png")}


def _markdown_cells():
    """(notebook path, cell id, text) of every Markdown cell of every notebook."""
    for nb_path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            source = cell.get("source", "")
            yield nb_path, cell.get("id"), "".join(source) if isinstance(source, list) else source


def _notebook_image_refs() -> dict[str, set[str]]:
    """Image file names referenced from the Markdown cells of every notebook."""
    refs: dict[str, set[str]] = {}
    for nb_path, _, text in _markdown_cells():
        for match in _IMG_REF.finditer(text):
            name = match.group(1) or match.group(2)
            refs.setdefault(name, set()).add(nb_path.name)
    return refs


def test_every_image_has_a_drawing_function():
    missing = sorted(_committed_images() - set(figures.FIGURES))
    assert not missing, f"img/ holds files no function in tools.figures.FIGURES draws: {missing}"


def test_every_registered_figure_is_committed():
    missing = sorted(set(figures.FIGURES) - _committed_images())
    assert not missing, f"FIGURES lists {missing} but img/ lacks them; run `python -m tools.figures`"


def test_registry_names_are_png_files():
    for name, func in figures.FIGURES.items():
        assert name.endswith(".png") and "/" not in name, name
        assert callable(func), name


def test_notebooks_only_reference_existing_images():
    available = _committed_images()
    missing = {name: sorted(nbs) for name, nbs in _notebook_image_refs().items() if name not in available}
    assert not missing, f"notebooks reference images missing from img/: {missing}"


def test_image_reference_pattern():
    md = (
        "see ![the grid](../img/layers_time_grid.png) and "
        '<img src="../img/bptt_flow.png" width="600"> and <img width=300 src=\'../img/gru_cell.png\'>'
    )
    found = {m.group(1) or m.group(2) for m in _IMG_REF.finditer(md)}
    assert found == {"layers_time_grid.png", "bptt_flow.png", "gru_cell.png"}


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_draw_function_returns_a_figure_with_text(name):
    fig = figures.FIGURES[name]()
    assert isinstance(fig, Figure), f"{name}: expected a matplotlib Figure, got {type(fig)}"
    assert fig.axes, f"{name}: the figure has no Axes"
    texts = [t for ax in fig.axes for t in ax.texts if t.get_text().strip()] + [
        t for t in fig.texts if t.get_text().strip()
    ]
    assert texts, f"{name}: the figure has no text labels"


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_regenerated_figure_keeps_its_pixel_size(name, tmp_path):
    committed = IMG / name
    if not committed.exists():
        pytest.fail(f"img/{name} is missing; run `python -m tools.figures`")
    path = figures.save_figure(name, tmp_path)
    new, old = mpimg.imread(path), mpimg.imread(committed)
    assert new.shape == old.shape, (
        f"{name}: regenerated image is {new.shape[1]}x{new.shape[0]} px, "
        f"committed one is {old.shape[1]}x{old.shape[0]} px; run `python -m tools.figures`"
    )


def test_save_figure_rejects_unknown_names(tmp_path):
    with pytest.raises(KeyError, match="no figure named"):
        figures.save_figure("no_such_figure.png", tmp_path)


def test_command_line_only(tmp_path, capsys):
    figures.main(["--only", "clipping", "--outdir", str(tmp_path)])
    assert (tmp_path / "clipping.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clipping.png"]


def test_figures_are_built_outside_the_package():
    import rnncourse

    assert not (Path(rnncourse.__file__).parent / "figures.py").exists()
    assert Path(figures.__file__).parent == ROOT / "tools" / "figures"


# --------------------------------------------------------------------------------------
# alt text: a reader who cannot see an image is told what it shows
# --------------------------------------------------------------------------------------
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)\s]+)[^)]*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT_ATTR = re.compile(r"\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
_SRC_ATTR = re.compile(r"\bsrc\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
MIN_ALT_WORDS = 4  # fewer words name an image ("the diagram") without saying what it shows


def _alt_problem(alt: str | None, src: str) -> str | None:
    """Why `alt` does not describe the image at `src`, or None when it does."""
    if alt is None:
        return "no alt attribute"
    words = alt.split()
    stem = Path(src).stem.lower()
    if len(words) < MIN_ALT_WORDS:
        return f"alt text {alt!r} has {len(words)} word(s); say what the image shows"
    if alt.strip().lower() in {stem, stem.replace("_", " "), Path(src).name.lower()}:
        return f"alt text {alt!r} only repeats the file name"
    return None


def _markdown_images(text: str) -> list[tuple[str, str | None]]:
    """(src, alt) of every image in a Markdown text, in Markdown or HTML syntax."""
    found = [(m.group(2), m.group(1)) for m in _MD_IMAGE.finditer(text)]
    for tag in _HTML_IMAGE.findall(text):
        alt, src = _ALT_ATTR.search(tag), _SRC_ATTR.search(tag)
        found.append((src.group(1) if src else "?", (alt.group(1) or alt.group(2) or "") if alt else None))
    return found


def test_alt_text_check_catches_missing_and_vague_alt():
    md = (
        '![](../img/a.png) ![gru cell](../img/gru_cell.png) <img src="../img/b.png"> '
        '<img alt="The LSTM cell with its three gates" src="../img/lstm_cell.png">'
    )
    problems = [_alt_problem(alt, src) for src, alt in _markdown_images(md)]
    assert [p is None for p in problems] == [False, False, False, True], problems


def test_every_image_in_the_notebooks_has_descriptive_alt_text():
    problems = []
    for nb_path, cell_id, text in _markdown_cells():
        for src, alt in _markdown_images(text):
            problem = _alt_problem(alt, src)
            if problem:
                problems.append(f"{nb_path.name} cell {cell_id}: {src}: {problem}")
    assert not problems, "images without a description:\n" + "\n".join(problems)
