"""``python -m tools.figures`` (or ``python tools/figures``) from the root of a checkout: redraw img/."""

import sys
from pathlib import Path

if not __package__:  # run as ``python tools/figures``: import the package from the checkout
    root = Path(__file__).resolve().parents[2]
    sys.path[0] = str(root)  # not tools/figures/ itself, whose module names are not top-level
    from tools.figures import main
else:
    from . import main

if __name__ == "__main__":
    main()
