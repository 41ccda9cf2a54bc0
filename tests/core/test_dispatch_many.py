"""Many designs in one hourly loop: simulate_many against simulate_year, candidate by candidate."""

import dataclasses

import numpy as np
import pytest

from core.battery import BatteryConfig
from core.dispatch import DeferrableJob, simulate_many, simulate_year, totals_of
from core.errors import InputError
from core.generator import GeneratorConfig
from core.pv import PVArrayConfig, pv_output_kw_per_kwp
from core.weather import bundled_weather_path, read_weather

HOURS = 8760
CANDIDATES_PER_CASE = 10
RELATIVE_TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def sand_point():
    return read_weather(bundled_weather_path("703165TY.csv"))


@pytest.fixture(scope="module")
def pv_kw_per_kwp(sand_point):
    return pv_output_kw_per_kwp(sand_point, PVArrayConfig(tilt_deg=50))


def server_load_kw():
    """A 0.6 kW server with a 0.2 kW evening cooling bump, shape (8760,) [kW]."""
    load = np.full(HOURS, 0.6)
    hour_of_day = np.arange(HOURS) % 24
    load[(hour_of_day >= 17) & (hour_of_day < 22)] += 0.2
    return load


def batch_jobs():
    return [DeferrableJob("daytime batch", 2.0, 0.5, window_start_h=9, deadline_h=17, priority=2),
            DeferrableJob("nightly eval", 3.0, 1.0, window_start_h=20, deadline_h=6, priority=1)]


def random_candidates(rng, count):
    """Return PV sizes, batteries and generators that differ in every per-candidate field."""
    kwp = rng.uniform(0.0, 8.0, count)
    kwp[0] = 0.0
    batteries = []
    for nominal_kwh in rng.uniform(2.0, 40.0, count):
        batteries.append(BatteryConfig(
            nominal_kwh=nominal_kwh, max_charge_kw=nominal_kwh * rng.uniform(0.1, 0.5),
            max_discharge_kw=nominal_kwh * rng.uniform(0.1, 0.5), initial_soc=rng.uniform(0.2, 1.0),
            round_trip_efficiency=rng.uniform(0.80, 0.96)))
    generators = [GeneratorConfig(rated_kw=rng.uniform(0.8, 4.0), count=int(rng.integers(1, 3)),
                                  min_run_time_h=int(rng.integers(1, 4)),
                                  min_load_ratio=rng.uniform(0.0, 0.4),
                                  fuel_f0_l_per_h_per_kw=rng.uniform(0.03, 0.15))
                  for _ in range(count)]
    generators[1] = None
    return kwp, batteries, generators


def assert_totals_match(expected, actual, label):
    for name in (field.name for field in dataclasses.fields(expected)):
        reference = getattr(expected, name)
        value = getattr(actual, name)
        scale = max(abs(reference), 1e-3)
        assert abs(value - reference) <= RELATIVE_TOLERANCE * scale, (
            f"{label}: {name} is {value}, simulate_year gives {reference}")


CASES = [
    ("load_following", False, True),
    ("cycle_charging", False, True),
    ("load_following", True, True),
    ("cycle_charging", True, True),
    ("cycle_charging", True, False),
]


@pytest.mark.parametrize("strategy, cold_room, with_jobs", CASES)
def test_many_equals_year_per_candidate(sand_point, pv_kw_per_kwp, strategy, cold_room, with_jobs):
    rng = np.random.default_rng(len(strategy) + 2 * cold_room + 4 * with_jobs)
    kwp, batteries, generators = random_candidates(rng, CANDIDATES_PER_CASE)
    # Unconditioned enclosure at Sand Point ambient (-10.6 to 19.4 degC):
    # capacity derating and the +5 degC charge block are active.
    temp_c = sand_point.temp_air_c if cold_room else None
    jobs = batch_jobs() if with_jobs else []
    load = server_load_kw()

    many = simulate_many(pv_kw_per_kwp, kwp, load, batteries, generators, deferrable=jobs,
                         strategy=strategy, battery_temp_c=temp_c)

    assert len(many) == CANDIDATES_PER_CASE
    for i in range(CANDIDATES_PER_CASE):
        year = simulate_year(pv_kw_per_kwp * kwp[i], load, batteries[i], generators[i], deferrable=jobs,
                             strategy=strategy, battery_temp_c=temp_c)
        assert_totals_match(totals_of(year), many.candidate(i), f"candidate {i}")
    # The random draw must exercise the rules under test, not only easy hours.
    assert np.any(many.unmet_kwh > 0.0)
    assert np.any(many.generator_starts > 0)
    if with_jobs:
        assert np.any(many.deferrable_missed_kwh > 0.0)
        assert np.all(many.deferrable_served_kwh > 0.0)


def test_many_several_sets_empty_battery(pv_kw_per_kwp):
    load = server_load_kw() * 4.0
    batteries = [BatteryConfig(nominal_kwh=0.0, max_charge_kw=0.0, max_discharge_kw=0.0),
                 BatteryConfig(nominal_kwh=5.0, max_charge_kw=2.0, max_discharge_kw=2.0, initial_soc=0.1)]
    generators = [GeneratorConfig(rated_kw=1.0, count=4, min_load_ratio=0.5, min_run_time_h=2),
                  GeneratorConfig(rated_kw=0.7, count=3)]
    kwp = [3.0, 0.0]

    many = simulate_many(pv_kw_per_kwp, kwp, load, batteries, generators, deferrable=batch_jobs(),
                         strategy="cycle_charging")

    for i in range(2):
        year = simulate_year(pv_kw_per_kwp * kwp[i], load, batteries[i], generators[i],
                             deferrable=batch_jobs(), strategy="cycle_charging")
        assert_totals_match(totals_of(year), many.candidate(i), f"candidate {i}")
    assert many.battery_throughput_kwh[0] == 0.0


def test_many_renewable_fraction_matches_year(pv_kw_per_kwp):
    battery = BatteryConfig(nominal_kwh=20.0, max_charge_kw=4.0, max_discharge_kw=4.0)
    load = server_load_kw()

    many = simulate_many(pv_kw_per_kwp, [0.0, 4.0], load, [battery, battery],
                         [GeneratorConfig(2.0), GeneratorConfig(2.0)])

    for i, kwp in enumerate([0.0, 4.0]):
        year = simulate_year(pv_kw_per_kwp * kwp, load, battery, GeneratorConfig(2.0))
        assert many.renewable_fraction[i] == pytest.approx(year.renewable_fraction, rel=RELATIVE_TOLERANCE)
        assert many.candidate(i).renewable_fraction == pytest.approx(year.renewable_fraction,
                                                                     rel=RELATIVE_TOLERANCE)


def test_many_rejects_mixed_soc_windows(pv_kw_per_kwp):
    batteries = [BatteryConfig(nominal_kwh=10.0, max_charge_kw=5.0, max_discharge_kw=5.0, soc_min=0.1),
                 BatteryConfig(nominal_kwh=10.0, max_charge_kw=5.0, max_discharge_kw=5.0, soc_min=0.2)]

    with pytest.raises(InputError, match="soc_min"):
        simulate_many(pv_kw_per_kwp, [1.0, 2.0], server_load_kw(), batteries, [None, None])


def test_many_rejects_unequal_candidate_lists(pv_kw_per_kwp):
    battery = BatteryConfig(nominal_kwh=10.0, max_charge_kw=5.0, max_discharge_kw=5.0)

    with pytest.raises(InputError, match="one battery and one generator"):
        simulate_many(pv_kw_per_kwp, [1.0, 2.0], server_load_kw(), [battery], [None, None])
    with pytest.raises(InputError, match="PV size"):
        simulate_many(pv_kw_per_kwp, [-1.0], server_load_kw(), [battery], [None])
