"""``python -m benchmarks [rnn|concat|explorer|ui|charlm] [options]``: run one benchmark (rnn by default)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

WHAT = ("rnn", "concat", "explorer", "ui", "charlm")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of the course, reported as ratios from one run.",
        add_help=False,
    )
    parser.add_argument("what", nargs="?", default="rnn", choices=WHAT)
    args, rest = parser.parse_known_args(argv)
    if args.what == "rnn":
        from .rnn import main as run
    elif args.what == "concat":
        from .concat import main as run
    elif args.what == "explorer":
        from .explorers import main as run
    elif args.what == "charlm":
        from .charlm import main as run
    else:
        from .ui import main as run
    return run(rest)


if __name__ == "__main__":
    raise SystemExit(main())
