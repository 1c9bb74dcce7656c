"""bench.curve's growth exponent (the bench itself runs for minutes: not in CI)."""

from __future__ import annotations

import pytest

from bench.curve import growth_exponent


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
