"""The ipywidgets form of a question: prompt, input, Check button, feedback, hint, explanation.

ipywidgets is imported only when a form is built, so that importing
`rnncourse.quiz` needs neither ipywidgets nor IPython.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from .. import access, palette
from .feedback import Feedback, _md, strict
from .registry import css_safe

if TYPE_CHECKING:
    from .question import Question


def build(question: Question):
    """Build the form (an ``ipywidgets.VBox``) and add this question to `answer_key`.

    The outer box has the CSS classes ``rnncourse-quiz`` and
    ``rnncourse-quiz-<qid>``; the parts have ``rnncourse-quiz-input`` (or
    ``rnncourse-quiz-option``), ``rnncourse-quiz-check``,
    ``rnncourse-quiz-feedback``, ``rnncourse-quiz-hint`` and
    ``rnncourse-quiz-explanation``; `rnncourse.access` makes the feedback line a
    polite live region (``role="status"``) and the radio buttons one group. When the
    progress file holds a right answer to this question (a kernel restarted after
    solving it), that answer is filled in and a line ``rnncourse-quiz-solved`` says
    when; the learner can answer again.
    """
    import ipywidgets as w

    prompt = w.HTMLMath(value=f"<b>Quiz.</b> {_md(question.prompt)}")
    prompt.add_class("rnncourse-quiz-prompt")
    inputs, read, fill = question._inputs(w)
    solved = w.HTML(value="", layout=w.Layout(display="none"))
    solved.add_class("rnncourse-quiz-solved")
    before = question.solved_before()
    if before is not None:  # filled in before the inputs are observed: this is not a new answer
        fill(before.response)
        solved.value = f"<i>{html.escape(question._solved_line(before))}</i>"
        solved.layout.display = None
    button = w.Button(description="Check", button_style="primary", icon="check")
    button.add_class("rnncourse-quiz-check")
    feedback = w.HTML(value="")
    feedback.add_class("rnncourse-quiz-feedback")
    hint = w.HTMLMath(value="", layout=w.Layout(display="none"))  # hints hold maths too
    hint.add_class("rnncourse-quiz-hint")
    explanation = w.HTMLMath(value="", layout=w.Layout(display="none"))
    explanation.add_class("rnncourse-quiz-explanation")

    def show(fb: Feedback) -> None:
        color = palette.CORRECT if fb.correct else palette.WRONG
        feedback.value = f'<span style="color:{color}">{html.escape(fb.message)}</span>'
        if fb.not_saved:
            feedback.value += f"<br><b>Not saved:</b> {html.escape(fb.not_saved)}"
        if fb.hint:
            hint.value = f"<i>Hint:</i> {_md(fb.hint)}"
            hint.layout.display = None
        if fb.explanation:
            explanation.value = f"<i>Explanation:</i> {_md(fb.explanation)}"
            explanation.layout.display = None
        if fb.correct:
            hint.layout.display = "none"

    state: dict[str, Any] = {"last": object()}

    def on_check(_=None) -> None:
        try:
            response = read()
            state["last"] = response
            show(question.check(response))
        except Exception as exc:  # never a traceback in the learner's notebook
            if strict():  # ... but the tests must see it
                raise
            feedback.value = html.escape(f"Not yet: something went wrong while checking ({exc}).")

    def on_submit(change) -> None:  # Enter (or leaving the box) in a Text
        if change.get("name") == "value" and change.get("new", "").strip():
            on_check()

    def on_click(_b) -> None:
        response = read()
        if response == state["last"] and feedback.value:
            return  # already checked when the value was submitted
        on_check()

    button.on_click(on_click)
    for widget in inputs:
        if isinstance(widget, w.Text):
            widget.observe(on_submit, names="value")
    controls = w.VBox([*inputs, button]) if question.kind == "choice" else w.HBox([*inputs, button])
    # The script makes the feedback line a live region and the radio buttons one group.
    box = w.VBox([prompt, solved, controls, feedback, hint, explanation, access.script_output(w)])
    box.add_class("rnncourse-quiz")
    box.add_class("rnncourse-quiz-" + css_safe(question.qid))
    box.layout.margin = "0.5em 0"
    box.layout.padding = "0.5em"
    box.layout.border = "1px solid #d0d7de"
    question._register()
    return box
