"""The script of `rnncourse.access` is in every quiz form and every explorer.

What the script does in the page (live region, radio group, slider names, figure alt,
focus ring) is checked in the browser by ``tests/browser``; here, that the widgets carry it.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("ipywidgets")

from rnncourse import access, explorers  # noqa: E402
from rnncourse.quiz import ChoiceQuestion, ShapeQuestion  # noqa: E402


def _scripts(box) -> list[str]:
    """The JavaScript of every ``rnncourse-access`` Output widget under `box`."""
    found, stack = [], [box]
    while stack:
        w = stack.pop()
        if "rnncourse-access" in w._dom_classes:
            found += [o["data"]["application/javascript"] for o in w.outputs]
        stack.extend(getattr(w, "children", ()))
    return found


@pytest.mark.parametrize(
    "question",
    [
        ShapeQuestion("Shape of a_t?", answer=(5, 10), name="a_t", qid="access_shape"),
        ChoiceQuestion("Which?", options=["one", "two"], correct=[1], qid="access_one"),
        ChoiceQuestion("Which?", options=["one", "two", "three"], correct=[0, 2], qid="access_many"),
    ],
)
def test_every_quiz_form_runs_the_script(question):
    (script,) = _scripts(question.widget())
    assert script.endswith(access.SCRIPT)
    assert "aria-live" in script and "'.rnncourse-quiz-feedback'" in script


def test_an_explorer_runs_the_script_with_the_alt_text_of_its_figure():
    ex = explorers.gradient_explorer()
    (script,) = _scripts(ex.widget)
    assert script.endswith(access.SCRIPT)
    alts = json.loads(script.split("window.__rnncourseFigureAlt || {}, ", 1)[1].split(");\n", 1)[0])
    assert alts == {"rnncourse-explorer-gradient": ex.figure_alt}
    assert ex.figure_alt != explorers.base.Explorer.figure_alt  # its own words, not the default
