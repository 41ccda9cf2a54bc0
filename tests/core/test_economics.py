"""Present values, capital recovery factor and levelized cost."""

import pytest

from core.economics import (
    CostBreakdown,
    capital_recovery_factor,
    present_value_of_replacements,
    present_value_of_series,
    series_present_value_factor,
)


def test_series_present_value_matches_year_by_year_sum():
    # 1,000 per year for 3 years at 8 %, growing 2 % a year:
    # 1000/1.08 + 1020/1.08^2 + 1040.4/1.08^3.
    expected = 1000 / 1.08 + 1020 / 1.08 ** 2 + 1040.4 / 1.08 ** 3

    assert present_value_of_series(1000.0, 0.08, 3, 0.02) == pytest.approx(expected, rel=1e-12)
    assert series_present_value_factor(0.08, 3, 0.02) == pytest.approx(expected / 1000.0, rel=1e-12)
    assert present_value_of_series(0.0, 0.08, 3, 0.02) == 0.0


def test_series_with_zero_rates_is_plain_sum():
    assert present_value_of_series(500.0, 0.0, 20) == pytest.approx(10_000.0)


def test_replacements_skip_items_outliving_project():
    assert present_value_of_replacements(1000.0, 30.0, 0.05, 25) == 0.0
    assert present_value_of_replacements(1000.0, 10.0, 0.05, 25) == pytest.approx(
        1000 / 1.05 ** 10 + 1000 / 1.05 ** 20)


def test_annualized_and_levelized_cost():
    costs = CostBreakdown(capital=1000.0, replacements=100.0, fuel=200.0, operation_maintenance=50.0,
                          project_life_years=10, discount_rate=0.0, served_kwh_per_year=1350.0)

    assert costs.net_present_cost == pytest.approx(1350.0)
    assert capital_recovery_factor(0.0, 10) == pytest.approx(0.1)
    assert costs.annualized_cost == pytest.approx(135.0)
    assert costs.levelized_cost_per_kwh == pytest.approx(0.1)
