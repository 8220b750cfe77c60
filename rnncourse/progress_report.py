"""The learner's progress as a table: per notebook, quizzes and exercises done of how many.

`summary` counts what is recorded; `table` adds what the course asks (every question
of the bank, every exercise of `rnncourse.exercises`) and names what is still open;
`show` displays it (Markdown in a notebook, text in a console). Reading never writes.
"""

from __future__ import annotations

import os

from rnncourse import progress

_SUMMARY_KEYS = ("notebook", "answered", "correct", "attempts")


def summary(path: str | os.PathLike | None = None, records: list | None = None) -> list[dict]:
    """Recorded answers per notebook, sorted by notebook.

    Returns
    -------
    One dict per notebook: ``notebook``, ``answered`` (questions with at least one
    attempt), ``correct`` (questions answered correctly at least once) and
    ``attempts`` (all checks).
    """
    per: dict[str, dict] = {}
    for a in progress.attempts(path) if records is None else records:
        entry = per.setdefault(a.notebook, {"answered": set(), "correct": set(), "attempts": 0})
        entry["answered"].add(a.qid)
        if a.correct:
            entry["correct"].add(a.qid)
        entry["attempts"] += 1
    counts = {nb: (len(e["answered"]), len(e["correct"]), e["attempts"]) for nb, e in per.items()}
    return [dict(zip(_SUMMARY_KEYS, (nb, *counts[nb]))) for nb in sorted(counts)]


def course_items() -> dict[str, dict[str, list[str]]]:
    """Every notebook's quiz ids (bank order) and exercise ids: {notebook: {"quizzes", "exercises"}}."""
    from rnncourse import quiz
    from rnncourse.exercises import check_rnn, check_training, engine

    items: dict[str, dict[str, list[str]]] = {}
    for nb in quiz.notebooks_with_a_bank():
        items.setdefault(nb, {"quizzes": [], "exercises": []})["quizzes"] = list(quiz.load_bank(nb))
    for module in (check_rnn, check_training):
        for value in vars(module).values():
            if isinstance(value, engine.Exercise):
                entry = items.setdefault(value.notebook, {"quizzes": [], "exercises": []})
                entry["exercises"].append(value.id)
    return dict(sorted(items.items()))


def table(path: str | os.PathLike | None = None, records: list | None = None) -> list[dict]:
    """Per notebook: for quizzes and exercises, ``total``, ``answered``, ``correct`` and ``open`` ids."""
    found = progress.read(path).attempts if records is None else records
    answered: dict[tuple, bool] = {}
    for a in found:
        answered[(a.notebook, a.qid)] = answered.get((a.notebook, a.qid), False) or a.correct
    rows = []
    for nb, kinds in course_items().items():
        row: dict = {"notebook": nb}
        for kind, ids in kinds.items():
            done = [i for i in ids if (nb, i) in answered]
            right = [i for i in ids if answered.get((nb, i))]
            row[kind] = {
                "total": len(ids),
                "answered": len(done),
                "correct": len(right),
                "open": [i for i in ids if i not in right],
            }
        rows.append(row)
    return rows


def _cell(part: dict) -> str:
    return f"{part['correct']}/{part['answered']} of {part['total']}" if part["total"] else "-"


def report(path: str | os.PathLike | None = None, markdown: bool = False) -> str:
    """The progress table as text (or Markdown): correct/answered of how many, and what is open."""
    rows = table(path)
    head = ("notebook", "quizzes correct/answered", "exercises correct/answered", "still open")
    lines = []
    tot = {k: [0, 0, 0] for k in ("quizzes", "exercises")}
    for r in rows:
        for k in tot:
            tot[k] = [tot[k][0] + r[k]["correct"], tot[k][1] + r[k]["answered"], tot[k][2] + r[k]["total"]]
        still = ", ".join(r["quizzes"]["open"] + [f"exercise {e}" for e in r["exercises"]["open"]]) or "none"
        lines.append((r["notebook"], _cell(r["quizzes"]), _cell(r["exercises"]), still))
    q, e = tot["quizzes"], tot["exercises"]
    lines.append(("total", f"{q[0]}/{q[1]} of {q[2]}", f"{e[0]}/{e[1]} of {e[2]}", ""))
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(out + ["| " + " | ".join(line) + " |" for line in lines])
    w = [max(len(x[i]) for x in [head, *lines]) for i in range(3)]
    return "\n".join("  ".join(x[i].ljust(w[i]) for i in range(3)) + "  " + x[3] for x in [head, *lines])


def show(path: str | os.PathLike | None = None) -> None:
    """Display the progress table: Markdown in a notebook, text in a console. Never writes."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display

        if get_ipython() is not None and "IPKernelApp" in get_ipython().config:
            display(Markdown(report(path, markdown=True)))
            return
    except ImportError:
        pass
    print(report(path))
