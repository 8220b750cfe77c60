"""An answer that cannot be saved says so in the feedback the learner sees, with the fix."""

from __future__ import annotations

import pytest

from rnncourse import quiz


@pytest.fixture
def unwritable(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # No one, not even root, can create a file below a regular file.
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(blocker / "progress.sqlite3"))
    yield blocker
    from rnncourse import progress

    progress._memory.clear()  # the unsaved answers of these tests are not the learner's


def _question():
    return quiz.ShapeQuestion("What is the shape of x_t?", (3, 64), name="x_t", qid="not_saved_demo")


def test_feedback_says_the_answer_was_not_saved_and_how_to_fix_it(unwritable):
    fb = _question().check("(3, 64)")
    assert fb.correct
    assert fb.not_saved and "RNNCOURSE_PROGRESS" in fb.not_saved
    assert "Not saved:" in str(fb) and "RNNCOURSE_PROGRESS" in fb._repr_markdown_()


def _parts(widget, acc=None):
    acc = {} if acc is None else acc
    for cls in getattr(widget, "_dom_classes", ()):
        acc.setdefault(cls, widget)
    for child in getattr(widget, "children", ()):
        _parts(child, acc)
    return acc


def test_the_widget_feedback_line_says_it_too(unwritable):
    pytest.importorskip("ipywidgets")
    parts = _parts(_question().widget())
    parts["rnncourse-quiz-input"].value = "(3, 64)"
    parts["rnncourse-quiz-check"].click()
    feedback = parts["rnncourse-quiz-feedback"].value
    assert "Correct" in feedback and "Not saved:" in feedback and "RNNCOURSE_PROGRESS" in feedback


def test_a_saved_answer_has_no_note(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_PROGRESS", str(tmp_path / "progress.sqlite3"))
    fb = _question().check("(3, 64)")
    assert fb.correct and fb.not_saved == "" and "Not saved" not in str(fb)
