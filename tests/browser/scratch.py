"""Small notebooks, good and deliberately broken, that prove the browser checks can fail.

The quizzes here follow the contract of `rnncourse.quiz` (CSS classes and an
``answer_key()``), but live in a module ``scratchquiz`` made inside the kernel,
so a broken quiz can be built on purpose. Like the course's, they carry the
script of `rnncourse.access` (live region, focus ring), unless ``ACCESS = False``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

QUIZ_MODULE = "scratchquiz"

_QUIZ_KIT = """\
import sys, types
import ipywidgets as w
from rnncourse.access import script_output

ACCESS = True  # False: no live region, no focus ring (the script is what gives them)

scratchquiz = types.ModuleType("scratchquiz")
scratchquiz.KEY = []
scratchquiz.answer_key = lambda: list(scratchquiz.KEY)
sys.modules["scratchquiz"] = scratchquiz


def _frame(qid, prompt, inputs, judge, hint=""):
    check = w.Button(description="Check")
    check.add_class("rnncourse-quiz-check")
    feedback = w.HTML("")
    feedback.add_class("rnncourse-quiz-feedback")
    shown_hint = w.HTML("")  # a plain HTML widget: maths in it is never typeset
    shown_hint.add_class("rnncourse-quiz-hint")

    def on_check(_=None):
        feedback.value = judge()
        shown_hint.value = hint if feedback.value.startswith("Not yet") else ""

    check.on_click(on_check)
    for text in inputs:
        if isinstance(text, w.Text):  # Enter in the box checks, as in the course's form
            text.observe(on_check, names="value")
    title = w.HTML(f"<b>{prompt}</b>")
    title.add_class("rnncourse-quiz-prompt")
    box = w.VBox([title, *inputs, check, feedback, shown_hint] + ([script_output(w)] if ACCESS else []))
    box.add_class("rnncourse-quiz")
    box.add_class(f"rnncourse-quiz-{qid}")
    return box


def shape_quiz(qid, right, wrong, always_correct=False, hint=""):
    text = w.Text(placeholder="(n_h, m)", continuous_update=False)
    text.add_class("rnncourse-quiz-input")

    def judge():
        if always_correct or text.value.replace(" ", "") == right.replace(" ", ""):
            return "Correct: the batch goes in the columns."
        return f"Not yet: {text.value} looks transposed."

    scratchquiz.KEY.append({"qid": qid, "kind": "shape", "right": right, "wrong": wrong})
    return _frame(qid, f"Shape of a<t> ({qid})?", [text], judge, hint)


def choice_quiz(qid, options, right, wrong):
    boxes = []
    for option in options:
        box = w.Checkbox(description=option, value=False, indent=False)
        box.add_class("rnncourse-quiz-option")
        boxes.append(box)

    def judge():
        ticked = {b.description for b in boxes if b.value}
        if ticked == set(right):
            return "Correct."
        return "Not yet: " + ", ".join(sorted(ticked ^ set(right))) + " is the odd one out."

    scratchquiz.KEY.append({"qid": qid, "kind": "choice", "right": list(right), "wrong": list(wrong)})
    return _frame(qid, f"Which are true? ({qid})", boxes, judge)
"""

_PLOT_SLIDER = """\
import matplotlib.pyplot as plt
import numpy as np
import ipywidgets as w
from IPython.display import display

k = w.IntSlider(value=1, min=1, max=5, description="k", continuous_update=False)
out = w.interactive_output(lambda k: (plt.plot(np.sin(k * np.linspace(0, 6, 50))), plt.show()), {"k": k})
display(w.VBox([k, out]))
"""

_IMAGE_SLIDER = """\
import io
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import ipywidgets as w

fig, ax = plt.subplots(figsize=(3, 2))
plt.close(fig)
(line,) = ax.plot(np.linspace(0, 1, 20))
image = w.Image(format="png")
image.add_class("rnncourse-explorer-figure")
scale = w.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.1, description="scale", continuous_update=False)


def redraw(change=None):
    line.set_ydata(scale.value * np.linspace(0, 1, 20) ** 2)
    ax.set_ylim(0, 3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    image.value = buf.getvalue()


scale.observe(redraw, "value")
redraw()
from rnncourse.access import script_output

alt = script_output(w, {"rnncourse-explorer-gradient": "A curve that grows with the scale."})
explorer = w.VBox([scale, image, alt])
explorer.add_class("rnncourse-explorer")
explorer.add_class("rnncourse-explorer-gradient")
explorer
"""

_TABLE_SLIDER = """\
import ipywidgets as w

m = w.IntSlider(value=4, min=1, max=64, description="m", continuous_update=False)
table = w.HTML()


def redraw(change=None):
    rows = "".join(f"<tr><td>{name}</td><td>({n}, {m.value})</td></tr>" for name, n in [("x", 3), ("a", 5)])
    table.value = f"<table>{rows}</table>"


m.observe(redraw, "value")
redraw()
explorer = w.VBox([m, table])
explorer.add_class("rnncourse-explorer")
explorer.add_class("rnncourse-explorer-shapes")
explorer
"""

_BAD_CALLBACKS = """\
import ipywidgets as w
from IPython.display import display


def draw(k):
    if k != 1:
        raise ValueError(f"draw failed for k={k}")
    print("k is", k)


k = w.IntSlider(value=1, min=1, max=5, description="raises_out", continuous_update=False)
display(w.VBox([k, w.interactive_output(draw, {"k": k})]))
"""

_BAD_OBSERVER = """\
import ipywidgets as w

label = w.HTML("value 0")
s = w.IntSlider(value=0, min=0, max=5, description="raises_obs", continuous_update=False)


def update(change):
    raise RuntimeError("observer failed")
    label.value = f"value {change.new}"


s.observe(update, "value")
w.VBox([s, label])
"""

_NOT_REDRAWN = """\
import ipywidgets as w

frozen = w.IntSlider(value=0, min=0, max=5, description="frozen", continuous_update=False)
w.VBox([frozen, w.HTML("this never changes")])
"""

_TEXT_REPR = """\
import ipywidgets as w

print(w.IntSlider(value=3))
"""

_TEXT_REPR_BUNDLE = """\
from IPython.display import display

display({"text/plain": "VBox(children=(IntSlider(value=0), Output()))"}, raw=True)
"""

_ERROR_WIDGET = """\
import ipywidgets as w
from traitlets import Unicode


class Missing(w.DOMWidget):
    _view_name = Unicode("NoSuchView").tag(sync=True)
    _view_module = Unicode("no-such-widget-module").tag(sync=True)
    _view_module_version = Unicode("0.0.1").tag(sync=True)


Missing()
"""

_WARNING = """\
import warnings

warnings.warn("only a warning: stderr is not an error")
print("still fine")
"""


# One pixel, as a PNG.
_PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

#: A notebook whose content a screen reader or a keyboard user cannot follow (cell name -> code).
_INACCESSIBLE = {
    "quiz kit": _QUIZ_KIT,
    "no script": "ACCESS = False",
    # in an HTML widget: JupyterLab gives an <img> of an HTML output alt="Image" by itself
    "image without alt": f"import ipywidgets as w\nw.HTML('<img src=\"data:image/png;base64,{_PIXEL}\">')",
    "faint text": (
        "from IPython.display import HTML\n"
        "HTML('<p style=\"color:#c8c8c8\">This grey text is hard to read.</p>')"
    ),
    "slider": (
        "import ipywidgets as w\n"
        "level = w.IntSlider(value=1, min=0, max=5, description='level', continuous_update=False)\n"
        "w.VBox([level, w.interactive_output(lambda level: print('level', level), {'level': level})])"
    ),
    "quiz": "display(shape_quiz('silent', '(5, 10)', '(10, 5)', hint='Hint: compare with $W_R$.'))",
}

#: Index of each cell of ``scratch_inaccessible.ipynb`` (cell 0 is its title).
INACCESSIBLE_CELL = {name: i + 1 for i, name in enumerate(_INACCESSIBLE)}

_BROKEN = {
    "warning": _WARNING,
    "print": _TEXT_REPR,
    "bundle": _TEXT_REPR_BUNDLE,
    "missing view": _ERROR_WIDGET,
    "raising output": _BAD_CALLBACKS,
    "raising observer": _BAD_OBSERVER,
    "frozen": _NOT_REDRAWN,
    "quiz kit": _QUIZ_KIT,
    "quizzes": (
        "display(shape_quiz('fine', '(5, 10)', '(10, 5)'))\n"
        "display(shape_quiz('always_yes', '(5, 10)', '(10, 5)', always_correct=True))"
    ),
    "zero division": "1 / 0",  # last: Run All stops at an error
}

#: Index of each cell of ``scratch_broken.ipynb`` (cell 0 is its title).
BROKEN_CELL = {name: i + 1 for i, name in enumerate(_BROKEN)}


def _write(folder: Path, name: str, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}")] + [nbformat.v4.new_code_cell(c) for c in cells]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


#: The course's accessibility script alone, with a figure alt table: what closing a notebook must take out.
_ACCESS = (
    "import ipywidgets as w\n"
    "from rnncourse.access import script_output\n"
    "script_output(w, figure_alt={'x': 'a figure'})"
)


def write_all(folder: Path) -> dict[str, Path]:
    """Write every scratch notebook into `folder`; a dict from role to path."""
    good_quizzes = (
        "display(shape_quiz('shape_a', '(5, 10)', '(10, 5)'))\n"
        "display(choice_quiz('facts', ['tanh is bounded', 'relu is bounded', 'sigmoid is bounded'],"
        " ['tanh is bounded', 'sigmoid is bounded'], ['relu is bounded']))"
    )
    return {
        "good": _write(
            folder,
            "scratch_good.ipynb",
            [_WARNING, _PLOT_SLIDER, _IMAGE_SLIDER, _TABLE_SLIDER, _QUIZ_KIT, good_quizzes],
        ),
        "broken": _write(folder, "scratch_broken.ipynb", [_BROKEN[name] for name in BROKEN_CELL]),
        "inaccessible": _write(
            folder, "scratch_inaccessible.ipynb", [_INACCESSIBLE[name] for name in INACCESSIBLE_CELL]
        ),
        "access": _write(folder, "scratch_access.ipynb", [_ACCESS]),
    }
