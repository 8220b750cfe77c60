"""Command line of the course: ``python -m rnncourse <command>``.

Commands
--------
progress                  print your quiz progress, one line per notebook
progress --reset          delete it (asks for confirmation; ``--yes`` skips the question)
lab [NOTEBOOK] [OPTIONS]  open the course in JupyterLab; OPTIONS go to jupyter lab
                          (``--allow-root`` is added when run as root)
nbgrader DIR              write an nbgrader course directory with every notebook that has exercises

Each command is one function taking the parsed arguments and returning an exit
status; add a new one with `_add_<name>` below and an entry in `_COMMANDS`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence


def _progress(args: argparse.Namespace) -> int:
    from rnncourse import progress

    path = progress.default_path() if args.path is None else args.path
    if str(path).strip() == progress.MEMORY:
        print(
            f"{progress.ENV} is set to '{progress.MEMORY}', which keeps nothing: no quiz answers are saved. "
            f"Set {progress.ENV} to a file, e.g. ~/rnncourse-progress.sqlite3.",
            file=sys.stderr,
        )
        return 1
    if args.reset:
        return _reset(path, assume_yes=args.yes)
    found = progress.read(path)  # read-only: works on a read-only folder or a full disk
    if found.problem:
        print(found.problem, file=sys.stderr)
    if not found.attempts:
        if found.problem:
            return 1
        print(f"No quiz answers recorded yet in {path}.\n")
    else:
        print(f"Progress in {path}\n")
    print(progress.report(path))
    print(
        "\ncorrect/answered of N: answered right at least once / tried, of the N the notebook asks; "
        "still open: not yet answered right."
    )
    return 0


def _reset(path, assume_yes: bool) -> int:
    from rnncourse import progress

    found = progress.read(path)
    if found.problem:
        print(found.problem, file=sys.stderr)
        return 1
    n = len(found.attempts)
    if not assume_yes:
        try:
            reply = input(f"Delete all {n} recorded quiz answers in {path}? [y/N] ")
        except (EOFError, OSError, RuntimeError):  # no stdin: never reset by accident
            print("\nNo answer read; nothing was deleted.")
            return 1
        if reply.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return 1
    deleted = progress.reset(path)
    print(f"Deleted {deleted} recorded answers from {path}.")
    return 0


def _add_progress(sub) -> None:
    p = sub.add_parser("progress", help="show (or reset) your quiz progress")
    p.add_argument("--reset", action="store_true", help="delete all recorded answers")
    p.add_argument("--yes", "-y", action="store_true", help="with --reset: do not ask for confirmation")
    p.add_argument(
        "--path", default=None, help="progress database (default: $RNNCOURSE_PROGRESS or the user data dir)"
    )
    p.set_defaults(func=_progress)


def _lab(args: argparse.Namespace) -> int:
    from rnncourse import launch

    return launch.main(args.notebook, args.jupyter_options)


def _add_lab(sub) -> None:
    p = sub.add_parser("lab", help="open the course in JupyterLab")
    p.add_argument("notebook", nargs="?", default=None, help="the notebook to open (default: 00_start_here)")
    p.epilog = (
        "Options for jupyter lab itself go after the notebook, e.g. python -m rnncourse lab --no-browser"
        " --port 8890 (or after --)"
    )
    p.set_defaults(func=_lab)


def _nbgrader(args: argparse.Namespace) -> int:
    from rnncourse import classroom

    return classroom.main(args.dir, args.notebooks)


def _add_nbgrader(sub) -> None:
    p = sub.add_parser("nbgrader", help="write an nbgrader course directory (for teachers)")
    p.add_argument("dir", help="a new or empty folder, or one this command wrote before")
    p.add_argument(
        "--notebooks", default=None, help="the course notebooks (default: notebooks/ of the checkout)"
    )
    p.set_defaults(func=_nbgrader)


_COMMANDS: list[Callable] = [_add_lab, _add_progress, _add_nbgrader]


def _jupyter_options_start(argv: list[str]) -> int | None:
    """Where the options for JupyterLab begin: after ``--``, or, for ``lab``, at its first option.

    ``python -m rnncourse lab --no-browser --port 8890`` passes both options on, as
    ``python -m rnncourse lab -- --no-browser --port 8890`` does; ``-h`` stays ours.
    """
    if argv[:1] == ["lab"]:  # the first option, "--" included
        return next((i for i, a in enumerate(argv) if a.startswith("-") and a not in ("-h", "--help")), None)
    return argv.index("--") if "--" in argv else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m rnncourse", description="Tools for the rnncourse course."
    )
    sub = parser.add_subparsers(title="commands", metavar="<command>")
    for add in _COMMANDS:
        add(sub)
    argv = list(sys.argv[1:] if argv is None else argv)
    cut = _jupyter_options_start(argv)
    passed_on = [a for a in argv[cut:] if a != "--"] if cut is not None else []  # "--" is ours
    args = parser.parse_args(argv[:cut] if cut is not None else argv)
    args.jupyter_options = passed_on
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    return args.func(args)


def _run() -> int:
    """`main`, quiet when whatever reads the output stops early (``python -m rnncourse progress | head``)."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # What is left to print goes nowhere, and Python's own flush at exit must not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(_run())
