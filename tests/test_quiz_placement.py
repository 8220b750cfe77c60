"""Every quiz comes before its answer: the cells just above a quiz never show what it accepts.

For every ``quiz.ask("id")`` cell of every notebook, the test reads the cells just
above it (at most `WINDOW`, stopping after a section heading or at the previous
quiz) and looks in their markdown and their stored outputs for the answer in the
form a learner would type it:

- a shape of two or more sizes: ``(20, 10)``, ``(20,10)``, ``20x10``, ``20 × 10``;
- a number with at least two significant digits, rounded as the question's
  tolerance allows (``-0.124``, ``620``, ``3.22``) or as listed in ``right``;
  one-digit numbers (5, 0.5) are everywhere and are not looked for;
- the text of a right option of a choice question, when it has three words or more;
- any phrase of the question's ``gives_away`` list in the bank: the sentences with
  which the notebook states an answer that is not a number or a shape.

Code cells' source is not read, only what they print: the learner reads prose and
outputs, and code that merely assigns a size is no answer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rnncourse.quiz import bank

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WINDOW = 3  # cells above a quiz that are read
ASK = re.compile(r"""quiz\.ask\(\s*["']([A-Za-z0-9_-]+)["']""")
HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)


def _text(cell: dict) -> str:
    """What the learner reads of a cell: its markdown, or the text a code cell printed."""
    if cell["cell_type"] == "markdown":
        return "".join(cell["source"])
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        data = out.get("data", {})
        parts += ["".join(data[k]) for k in ("text/plain", "text/markdown") if k in data]
    return "\n".join(parts)


def _asked(cell: dict) -> str | None:
    match = ASK.search("".join(cell["source"])) if cell["cell_type"] == "code" else None
    return match.group(1) if match else None


def cells_above(cells: list[dict], i: int) -> list[tuple[str, str]]:
    """(cell id, text) of the cells read above the quiz in cell i, nearest first.

    From a cell with a section heading only the text after its last heading is kept,
    and nothing above it; a previous quiz cell ends the window.
    """
    window = []
    for cell in reversed(cells[max(0, i - WINDOW) : i]):
        if _asked(cell):
            break
        text = _text(cell)
        headings = list(HEADING.finditer(text)) if cell["cell_type"] == "markdown" else []
        window.append((cell.get("id", "?"), text[headings[-1].start() :] if headings else text))
        if headings:
            break
    return window


def _significant(number: str) -> int:
    return len(re.sub(r"\D", "", number).lstrip("0"))


def answer_patterns(entry: dict) -> list[re.Pattern]:
    """Regular expressions for the answer of a bank entry as a learner would type it."""
    kind = entry["kind"]
    texts: list[str] = []
    if kind == "shape" and len(entry["answer"]) >= 2:
        sizes = [str(n) for n in entry["answer"]]
        texts += [
            r"\(\s*" + r"\s*,\s*".join(sizes) + r"\s*\)",
            r"(?<![\d.])" + r"\s*[x×]\s*".join(sizes) + r"(?!\d)",
        ]
    elif kind == "numeric":
        answer = abs(float(entry["answer"]))
        tol = max(entry.get("tol", 1e-9), entry.get("rel_tol", 0.0) * answer)
        numbers = {f"{round(answer, d):.{d}f}" for d in range(8) if abs(round(answer, d) - answer) <= tol}
        numbers |= {r.lstrip("-") for r in entry.get("right", []) if re.fullmatch(r"-?\d+(\.\d+)?", r)}
        texts += [r"(?<![\d.])" + re.escape(n) + r"(?![\d])" for n in numbers if _significant(n) >= 2]
    elif kind == "choice":
        correct = entry["correct"] if isinstance(entry["correct"], list) else [entry["correct"]]
        options = [entry["options"][i] for i in correct]
        texts += [re.escape(" ".join(o.split())) for o in options if len(o.split()) >= 3]
    texts += [re.escape(" ".join(p.split())) for p in entry.get("gives_away", [])]
    return [re.compile(t, re.IGNORECASE) for t in texts]


def give_aways(path: Path) -> list[str]:
    """One line per quiz of the notebook whose answer is in the cells just above it."""
    entries = bank.load_bank(path.stem)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        qid = _asked(cell)
        if qid is None:
            continue
        patterns = answer_patterns(entries[qid])
        for cell_id, text in cells_above(cells, i):
            flat = " ".join(text.split())
            hits = {m.group(0) for p in patterns for m in p.finditer(flat)}
            if hits:
                found.append(
                    f"quiz {qid!r} (cell {cell.get('id')}) is answered just above, "
                    f"in cell {cell_id}: {sorted(hits)}"
                )
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_quiz_is_answered_just_above_itself(path):
    found = give_aways(path)
    assert not found, "move the quiz above the cell that answers it, or reword the cell:\n" + "\n".join(found)


CASES = [
    # (cells above the quiz, bank entry, whether the answer is given away)
    (
        [{"cell_type": "code", "source": "", "outputs": [{"text": "W has shape (20, 10)\n"}]}],
        {"kind": "shape", "answer": [20, 10]},
        True,
    ),
    (
        [{"cell_type": "markdown", "source": "It is a 20 × 10 matrix."}],
        {"kind": "shape", "answer": [20, 10]},
        True,
    ),
    (
        [{"cell_type": "markdown", "source": "Layer 3 has 20 neurons and layer 2 has 10."}],
        {"kind": "shape", "answer": [20, 10]},
        False,
    ),
    (
        [{"cell_type": "markdown", "source": "So $W_R a_1$ has third entry $-0.124$."}],
        {"kind": "numeric", "answer": -0.12352, "tol": 0.0005},
        True,
    ),
    (
        [{"cell_type": "markdown", "source": "Read 5 numbers, then 0.124 seconds."}],
        {"kind": "numeric", "answer": 5, "tol": 0},
        False,
    ),
    (
        [{"cell_type": "markdown", "source": "In 1620 there were 6200 ships."}],
        {"kind": "numeric", "answer": 620, "tol": 0},
        False,
    ),
    (
        [{"cell_type": "markdown", "source": "The count of\nparameters does not depend on T."}],
        {
            "kind": "choice",
            "options": ["it stays the same", "it doubles"],
            "correct": 0,
            "gives_away": ["parameters does not depend"],
        },
        True,
    ),
    (
        [
            {"cell_type": "markdown", "source": "## A new section\n\nIt is (20, 10)."},
            {"cell_type": "markdown", "source": "## Intro"},
        ],
        {"kind": "shape", "answer": [20, 10]},
        True,
    ),
]


@pytest.mark.parametrize(("above", "entry", "given"), CASES)
def test_the_search_finds_typed_answers_and_ignores_incidental_numbers(above, entry, given):
    cells = [*above[::-1], {"cell_type": "code", "source": 'quiz.ask("q")', "outputs": []}]
    patterns = answer_patterns(entry)
    texts = [" ".join(t.split()) for _, t in cells_above(cells, len(cells) - 1)]
    assert any(p.search(t) for p in patterns for t in texts) == given


def test_the_window_stops_at_a_heading_and_at_the_previous_quiz():
    quiz_cell = {"cell_type": "code", "source": 'quiz.ask("a")', "outputs": []}
    md = {"cell_type": "markdown", "source": "The answer is (20, 10).", "id": "early"}
    heading = {
        "cell_type": "markdown",
        "source": "(20, 10) first.\n\n## Next part\n\nNo shape here.",
        "id": "h",
    }
    assert cells_above([md, heading, quiz_cell], 2) == [("h", "## Next part\n\nNo shape here.")]
    assert cells_above([md, quiz_cell, quiz_cell], 2) == []
