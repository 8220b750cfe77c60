"""Benchmarks you can rerun from a checkout of the course: ``python -m benchmarks [rnn|concat|explorer|ui]``.

- ``rnn`` (the default): forward + BPTT against one large matrix product on the same machine;
- ``concat``: one product with ``W = [W_F | W_R]`` against two products per time step;
- ``explorer``: slider change to new PNG, for every explorer, in this process;
- ``ui``: slider key press to new figure in a real JupyterLab page (needs Chromium and Playwright).

They are measurements, not tests: compare the ratios printed by one run, never
seconds across runs. They live beside the package, not in it: ``rnncourse``
holds only what the notebooks import.
"""
