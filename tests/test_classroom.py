"""The nbgrader export: exercise cells become solution cells, checks become locked graded cells."""

from __future__ import annotations

import json
import sys

import pytest

from rnncourse import classroom

STUB = '''\
def double(x):
    """Return twice x.

    x : (n, m) any array
    """
    # Your code here: one line.
    raise NotImplementedError("double is not written yet")
'''

SOLUTIONS = '''\
def double(x):
    """The reference."""
    y = 2 * x
    return y
'''


def _cell(kind, source, **mark):
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        cell.update(outputs=[{"output_type": "stream", "name": "stdout", "text": "old"}], execution_count=3)
    if mark:
        cell["metadata"]["rnncourse"] = mark
    return cell


def _notebook(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def solutions(tmp_path, monkeypatch):
    (tmp_path / "fake_solutions.py").write_text(SOLUTIONS)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    mod = importlib.import_module("fake_solutions")
    yield mod
    sys.modules.pop("fake_solutions", None)


def _course_notebook():
    return _notebook(
        _cell("markdown", "# Doubling\n![two arrows](../img/ff_vs_rnn.png)"),
        _cell("code", "import numpy as np"),
        _cell("code", STUB, exercise="double", role="stub"),
        _cell("code", "check_double(double)", exercise="double", role="check"),
    )


def test_exercise_cells_found_and_validated():
    nb = _course_notebook()
    assert classroom.exercise_cells(nb) == {"double": {"stub": 2, "check": 3}}
    lonely = _notebook(_cell("code", STUB, exercise="double", role="stub"))
    with pytest.raises(ValueError, match="no check cell"):
        classroom.exercise_cells(lonely)
    backwards = _notebook(
        _cell("code", "check_double(double)", exercise="double", role="check"),
        _cell("code", STUB, exercise="double", role="stub"),
    )
    with pytest.raises(ValueError, match="before its stub"):
        classroom.exercise_cells(backwards)


def test_solution_cell_holds_the_reference_between_markers(solutions):
    src = classroom.solution_cell_source(STUB, "double", solutions)
    assert "raise NotImplementedError" not in src
    assert "# Your code here" not in src
    assert '"""Return twice x.' in src  # the learner's docstring stays
    body = src.split("### BEGIN SOLUTION\n")[1].split("    ### END SOLUTION")[0]
    assert body == "    y = 2 * x\n    return y\n"
    assert "The reference." not in src  # the solution's own docstring is not copied
    ns: dict = {}
    exec(src, ns)
    assert ns["double"](21) == 42


def test_assignment_metadata(solutions):
    out, images = classroom.to_assignment(_course_notebook(), "02_demo", solutions)
    meta = [c["metadata"]["nbgrader"] for c in out["cells"]]
    assert meta[2]["solution"] and not meta[2]["locked"] and not meta[2]["grade"]
    assert meta[3]["grade"] and meta[3]["locked"] and meta[3]["points"] == classroom.DEFAULT_POINTS
    assert all(m["locked"] for k, m in enumerate(meta) if k != 2)
    assert len({m["grade_id"] for m in meta}) == len(meta)
    assert "assert_passed(check_double(double))" in out["cells"][3]["source"]
    assert all(c.get("outputs", []) == [] for c in out["cells"])
    assert "(img/ff_vs_rnn.png)" in out["cells"][0]["source"] and images == ["ff_vs_rnn.png"]
    assert all("rnncourse" not in c["metadata"] for c in out["cells"])


def test_assert_passed(capsys):
    class FB:
        def __init__(self, ok):
            self.correct, self.message = ok, "message"

        def __str__(self):
            return f"feedback {self.correct}"

    classroom.assert_passed(FB(True))
    with pytest.raises(AssertionError):
        classroom.assert_passed(FB(False))
    assert "feedback False" in capsys.readouterr().out


def test_write_course_touches_only_its_own_files(tmp_path, solutions):
    nbs = tmp_path / "course" / "notebooks"
    nbs.mkdir(parents=True)
    (tmp_path / "course" / "img").mkdir()
    (tmp_path / "course" / "img" / "ff_vs_rnn.png").write_bytes(b"png")
    (nbs / "02_demo.ipynb").write_text(json.dumps(_course_notebook()))
    (nbs / "03_plain.ipynb").write_text(json.dumps(_notebook(_cell("markdown", "no exercises"))))

    out = tmp_path / "grading"
    written = classroom.write_course(out, nbs, solutions)
    assert [p.relative_to(out).as_posix() for p in written] == ["source/02_demo/02_demo.ipynb"]
    assert (out / "source" / "02_demo" / "img" / "ff_vs_rnn.png").read_bytes() == b"png"
    assert "course_id" in (out / "nbgrader_config.py").read_text()
    again = classroom.write_course(out, nbs, solutions)  # its own files: replaced
    assert again == written

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not written by"):
        classroom.write_course(foreign, nbs, solutions)
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]

    # A file the course did not write, inside a folder it did write: refused, left alone.
    (out / "source" / "02_demo" / "02_demo.ipynb").unlink()
    manifest = json.loads((out / classroom.MANIFEST).read_text())
    manifest.remove("source/02_demo/02_demo.ipynb")
    (out / classroom.MANIFEST).write_text(json.dumps(manifest))
    (out / "source" / "02_demo" / "02_demo.ipynb").write_text("a teacher's own edit")
    with pytest.raises(FileExistsError):
        classroom.write_course(out, nbs, solutions)
    assert (out / "source" / "02_demo" / "02_demo.ipynb").read_text() == "a teacher's own edit"


def test_command_line_without_notebooks(tmp_path, capsys):
    from rnncourse.__main__ import main

    assert main(["nbgrader", str(tmp_path / "x"), "--notebooks", str(tmp_path / "missing")]) == 2
    assert "No course notebooks" in capsys.readouterr().out
