"""Daily and monthly reductions of hourly year arrays."""

import datetime
from types import SimpleNamespace

import numpy as np
import pytest

from core.daily import (
    DAYS_PER_YEAR,
    FIRST_DAY_OF_MONTH,
    average_day,
    day_date,
    day_label,
    month_of_day,
    monthly_weather,
    simulation_average_day,
    simulation_single_day,
    single_day,
    soc_at_hour_boundaries,
)
from core.report.model import average_day as report_average_day

HOURS = np.arange(8760, dtype=float)


def _simulation(seed: int = 1) -> SimpleNamespace:
    rng = np.random.default_rng(seed)
    names = ("pv_available_kw", "pv_used_kw", "load_always_on_kw", "load_deferrable_kw",
             "generator_kw")
    arrays = {name: rng.uniform(0.0, 5.0, 8760) for name in names}
    arrays["soc"] = rng.uniform(0.1, 1.0, 8760)
    arrays["initial_stored_kwh"] = 19.0
    return SimpleNamespace(**arrays)


def test_january_average_is_mean_of_slices():
    values = np.random.default_rng(7).normal(size=8760)
    slices = [values[day * 24:(day + 1) * 24] for day in range(31)]
    expected = np.mean(slices, axis=0)

    result = average_day(values, 0)

    assert result.shape == (24,)
    np.testing.assert_allclose(result, expected)


def test_december_average_uses_last_31_days():
    values = HOURS.copy()
    expected = values[-31 * 24:].reshape(31, 24).mean(axis=0)

    np.testing.assert_allclose(average_day(values, 11), expected)


def test_report_uses_same_average_day():
    assert report_average_day is average_day


def test_day_zero_is_first_january():
    result = single_day(HOURS, 0)

    assert result.shape == (24,)
    np.testing.assert_array_equal(result, np.arange(24))
    assert day_date(0) == datetime.date(2001, 1, 1)
    assert day_label(0) == "1 Jan"


def test_last_day_is_31_december():
    np.testing.assert_array_equal(single_day(HOURS, 364), np.arange(8736, 8760))
    assert day_label(364) == "31 Dec"


def test_single_day_is_a_copy():
    values = HOURS.copy()
    single_day(values, 3)[:] = -1.0

    assert values[72] == 72.0


@pytest.mark.parametrize(("day", "label", "month"), [
    (14, "15 Jan", 0), (31, "1 Feb", 1), (58, "28 Feb", 1), (59, "1 Mar", 2),
    (195, "15 Jul", 6), (334, "1 Dec", 11),
])
def test_day_label_and_month(day, label, month):
    assert day_label(day) == label
    assert month_of_day(day) == month


def test_first_day_of_month():
    assert FIRST_DAY_OF_MONTH[0] == 0
    assert FIRST_DAY_OF_MONTH[1] == 31
    assert FIRST_DAY_OF_MONTH[11] == 334
    assert DAYS_PER_YEAR == 365


@pytest.mark.parametrize("day", [-1, 365])
def test_day_out_of_range_rejected(day):
    with pytest.raises(ValueError, match="out of range"):
        single_day(HOURS, day)


def test_month_out_of_range_rejected():
    with pytest.raises(ValueError, match="month 12 is out of range"):
        average_day(HOURS, 12)


def test_wrong_shape_rejected():
    with pytest.raises(ValueError, match=r"shape \(8760,\)"):
        average_day(np.zeros(8784), 0)


def test_soc_boundaries_start_with_initial_state():
    soc = np.linspace(0.2, 0.9, 8760)

    boundaries = soc_at_hour_boundaries(soc, 1.0)

    assert boundaries.shape == (8761,)
    assert boundaries[0] == 1.0
    np.testing.assert_array_equal(boundaries[1:], soc)


def test_single_day_profile_slices_every_series():
    simulation = _simulation()
    day = 100

    profile = simulation_single_day(simulation, day, battery_nominal_kwh=20.0)

    hours = slice(day * 24, day * 24 + 24)
    np.testing.assert_array_equal(profile.pv_available_kw, simulation.pv_available_kw[hours])
    np.testing.assert_array_equal(profile.load_always_on_kw, simulation.load_always_on_kw[hours])
    np.testing.assert_array_equal(profile.load_batch_kw, simulation.load_deferrable_kw[hours])
    np.testing.assert_array_equal(profile.generator_kw, simulation.generator_kw[hours])
    assert profile.soc_percent.shape == (25,)
    assert profile.soc_percent[0] == pytest.approx(simulation.soc[day * 24 - 1] * 100)
    np.testing.assert_allclose(profile.soc_percent[1:], simulation.soc[hours] * 100)
    assert profile.title == "11 Apr"


def test_day_zero_soc_starts_at_initial_state():
    simulation = _simulation()

    profile = simulation_single_day(simulation, 0, battery_nominal_kwh=20.0)

    assert profile.soc_percent[0] == pytest.approx(95.0)
    assert profile.soc_percent[24] == pytest.approx(simulation.soc[23] * 100)


def test_average_profile_matches_average_day():
    simulation = _simulation()

    profile = simulation_average_day(simulation, 6, battery_nominal_kwh=20.0)

    np.testing.assert_allclose(profile.pv_used_kw, average_day(simulation.pv_used_kw, 6))
    np.testing.assert_allclose(profile.soc_percent[1:], average_day(simulation.soc, 6) * 100)
    july_starts = simulation.soc[FIRST_DAY_OF_MONTH[6] * 24 - 1:
                                 FIRST_DAY_OF_MONTH[7] * 24 - 1:24]
    assert profile.soc_percent[0] == pytest.approx(july_starts.mean() * 100)
    assert profile.title == "average day in Jul"


def test_day_zero_soc_unknown_without_nominal():
    profile = simulation_single_day(_simulation(), 0)

    assert np.isnan(profile.soc_percent[0])


def test_average_january_soc_includes_initial_state():
    simulation = _simulation()

    profile = simulation_average_day(simulation, 0, battery_nominal_kwh=20.0)

    starts = np.concatenate(([0.95], simulation.soc[23:30 * 24:24]))
    assert profile.soc_percent[0] == pytest.approx(starts.mean() * 100)


def test_average_january_soc_skips_unknown_start():
    simulation = _simulation()

    profile = simulation_average_day(simulation, 0)

    later_starts = simulation.soc[23:30 * 24:24]
    assert len(later_starts) == 30
    assert profile.soc_percent[0] == pytest.approx(later_starts.mean() * 100)


def test_monthly_weather_summary():
    ghi = np.where(HOURS % 24 == 12, 1000.0, 0.0)  # 1 kWh/m² at noon each day
    temp = np.full(8760, 10.0)
    temp[31 * 24 + 5] = -7.5  # one cold hour in February
    weather = SimpleNamespace(ghi_w_m2=ghi, temp_air_c=temp)

    summary = monthly_weather(weather)

    np.testing.assert_allclose(summary.ghi_kwh_m2_per_day, np.ones(12))
    assert summary.min_temp_c[1] == -7.5
    assert summary.min_temp_c[0] == 10.0
    assert summary.mean_temp_c[1] == pytest.approx(10.0 - 17.5 / (28 * 24))
