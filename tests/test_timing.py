"""rnncourse.timing: interleaved comparisons, medians, and errors that say what to pass."""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse import timing


def test_compare_interleaves_and_rotates_the_order():
    calls: list[str] = []
    candidates = {name: (lambda name=name: calls.append(name)) for name in "abc"}
    result = timing.compare(candidates, repeats=6, warmup=0)
    rounds = [calls[i : i + 3] for i in range(0, len(calls), 3)]
    assert len(rounds) == 6 and all(sorted(r) == ["a", "b", "c"] for r in rounds)
    assert [r[0] for r in rounds] == ["a", "b", "c", "a", "b", "c"]  # nobody always goes first
    assert set(result.medians) == {"a", "b", "c"}
    assert all(t.shape == (6,) for t in result.times.values())


def test_warmup_and_number_count_calls():
    calls = []
    timing.compare(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeats=4, warmup=2, number=3
    )
    assert calls.count("a") == 2 + 4 * 3 and calls.count("b") == 2 + 4 * 3
    n = []
    timing.median_time(lambda: n.append(1), repeats=5, warmup=1, number=2)
    assert len(n) == 1 + 5 * 2


def test_ratio_is_the_median_of_round_by_round_quotients():
    result = timing.Comparison({"slow": np.array([2.0, 4.0, 30.0]), "fast": np.array([1.0, 2.0, 3.0])})
    assert result.ratio("slow", "fast") == pytest.approx(2.0)  # the round disturbed by load (10x) is dropped
    assert result.ratios("slow") == pytest.approx({"slow": 1.0, "fast": 2.0})
    assert "x faster than slow" in result.table()
    with pytest.raises(KeyError, match="candidates are"):
        result.ratio("slow", "nope")


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="at least two"):
        timing.compare({"only": lambda: None})
    with pytest.raises(TypeError, match=r"candidates\['b'\] should be a callable"):
        timing.compare({"a": lambda: None, "b": 3})
    with pytest.raises(ValueError, match="repeats should be a whole number"):
        timing.median_time(lambda: None, repeats=0)


@pytest.mark.slow
def test_compare_sees_ten_times_the_work():
    x = np.random.default_rng(0).standard_normal(20_000)
    result = timing.compare({"ten": lambda: [x.sum() for _ in range(10)], "one": lambda: x.sum()}, repeats=50)
    assert result.ratio("ten", "one") > 3
