"""bench.curve's growth exponent and per-step peak memory (the bench itself runs for
minutes: not in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

from bench.curve import growth_exponent, merge_runs
from bench.timing import PeakMemory


@pytest.mark.parametrize("power", [0.5, 1.0, 1.15, 2.0])
def test_exponent_of_a_power_law_is_its_power(power: float) -> None:
    sizes = [1_000_000, 5_000_000, 20_000_000]
    values = [3e-7 * size**power for size in sizes]
    assert growth_exponent(sizes, values) == pytest.approx(power, abs=1e-3)


def test_exponent_needs_two_positive_points() -> None:
    assert growth_exponent([1_000_000], [2.0]) is None
    assert growth_exponent([1_000_000, 5_000_000], [2.0, 0.0]) is None
    # a cost that does not grow has exponent 0
    assert growth_exponent([10, 100, 1000], [4.0, 4.0, 4.0]) == pytest.approx(0.0, abs=1e-9)


def test_missing_points_are_left_out_of_the_exponent() -> None:
    sizes = [1_000_000, 5_000_000, 20_000_000]
    assert growth_exponent(sizes, [1.0, None, 20.0]) == pytest.approx(1.0, abs=1e-3)
    assert growth_exponent(sizes, [None, None, 20.0]) is None


def test_runs_of_one_size_combine_later_values_winning() -> None:
    earlier = {"follows": 1_000_000, "profiles": 100, "load_bolt_s": 10.0, "leiden_s": 2.0}
    again = {"follows": 1_000_000, "profiles": 100, "leiden_s": 3.0}
    larger = {"follows": 4_000_000, "profiles": 400, "leiden_s": 12.0, "neo4j_rss_mb": 900}
    merged = merge_runs([larger, earlier, again])
    assert merged["sizes"] == [1_000_000, 4_000_000]
    assert merged["profiles"] == [100, 400]
    # the later run of 1M timed Leiden only: the earlier load time stays
    assert merged["series"]["load_bolt_s"] == [10.0, None]
    assert merged["series"]["leiden_s"] == [3.0, 12.0]
    assert merged["exponents"]["leiden_s"] == pytest.approx(1.0, abs=1e-3)
    # memory figures are series, but no cost: no exponent is fitted to them
    assert merged["series"]["neo4j_rss_mb"] == [None, 900.0]
    assert "neo4j_rss_mb" not in merged["exponents"]


def test_peak_memory_sees_what_a_step_held_and_let_go() -> None:
    with PeakMemory({"bench": os.getpid}, every=0.01) as memory:
        before = memory.peaks["bench"]
        assert before is not None
        held = np.ones(300 * 2**20, dtype=np.uint8)  # 300 MiB, every page written
        taken = memory.samples
        deadline = time.monotonic() + 60
        while memory.samples < taken + 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        del held
    assert memory.samples >= taken + 2
    # the step's peak, though the array is gone by its end
    assert memory.peaks["bench"] >= before + 250


def test_peak_memory_of_no_process_or_a_gone_one_is_none() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with PeakMemory({"none": lambda: None, "gone": lambda: gone.pid}, every=0.01) as memory:
        pass
    assert memory.peaks == {"none": None, "gone": None}
    assert memory.samples >= 2
