"""Design search: grid, ranking by net present cost, cost-against-fuel front and the table."""

import math
from types import SimpleNamespace

import pytest

from core.dispatch import SimulationResult
from core.search import (
    MAX_PV_OPTIONS,
    EconomicSettings,
    _count_options,
    candidate_table,
    cost_fuel_front,
    cost_of_design,
    generator_options,
)
from core.system import GeneratorDesign

TABLE_KEYS = {"pv_kwp", "battery_nominal_kwh", "generator", "generator_kw", "net_present_cost", "capital",
              "fuel_l_per_year", "renewable_fraction", "generator_hours", "unmet_kwh", "dumped_kwh",
              "meets_target", "on_cost_fuel_front"}


def test_search_ranks_feasible_by_cost(sand_point_plan):
    candidates = sand_point_plan.candidates
    feasible = [c for c in candidates if c.meets_target]
    costs = [c.net_present_cost for c in feasible]

    assert candidates[:len(feasible)] == feasible
    assert costs == sorted(costs)


def test_search_grid_spans_pv_battery_generators(sand_point_plan):
    candidates = sand_point_plan.candidates
    strings = {c.pv_array.strings for c in candidates}
    parallels = {c.battery_bank.parallel for c in candidates}
    generators = {(c.generator.unit.name, c.generator.count) for c in candidates}
    peak_load_kw = sand_point_plan.load.peak_load_kw

    assert min(strings) == 0
    assert len(strings) >= 10
    assert max(parallels) >= 2 * min(parallels)
    assert len(generators) > 1
    assert len(candidates) == len(strings) * len(parallels) * len(generators)
    for candidate in candidates:
        assert candidate.generator.unit.fuel == sand_point_plan.project.site.fuel
        assert candidate.generator.available_kw >= peak_load_kw


def test_search_winner_has_hourly_result(sand_point_plan):
    best = sand_point_plan.candidates[0]
    plan = sand_point_plan
    site = plan.project.site
    targets = plan.project.targets
    economics = EconomicSettings(targets.project_life_years, targets.discount_rate, site.fuel_price_per_l,
                                 targets.fuel_escalation_rate)

    assert isinstance(best.simulation, SimulationResult)
    assert plan.simulation is best.simulation
    assert plan.generator is best.generator
    # The cost ranked from simulate_many totals equals the cost from the
    # hourly rerun of the winner.
    rerun = cost_of_design(best.pv_array, best.battery_bank, plan.inverter, best.generator,
                           best.simulation, economics)
    assert rerun.net_present_cost == pytest.approx(best.net_present_cost, rel=1e-6)


def test_cost_fuel_front_of_plan(sand_point_plan):
    candidates = sand_point_plan.candidates
    front = cost_fuel_front(candidates)
    flagged = [c for c in candidates if c.on_cost_fuel_front]

    assert len(front) >= 2
    assert {id(c) for c in front} == {id(c) for c in flagged}
    assert candidates[0] in front
    for cheaper, thriftier in zip(front, front[1:]):
        assert thriftier.fuel_l_per_year >= cheaper.fuel_l_per_year
        assert thriftier.net_present_cost < cheaper.net_present_cost
    # Every feasible candidate off the front is matched or beaten on both axes.
    for candidate in candidates:
        if not candidate.meets_target or candidate.on_cost_fuel_front:
            continue
        assert any(member.fuel_l_per_year <= candidate.fuel_l_per_year
                   and member.net_present_cost <= candidate.net_present_cost for member in front)


def test_candidate_table_rows(sand_point_plan):
    candidates = sand_point_plan.candidates
    rows = candidate_table(candidates)

    assert len(rows) == len(candidates)
    assert set(rows[0]) == TABLE_KEYS
    for row, candidate in zip(rows, candidates):
        assert row["net_present_cost"] == candidate.costs.net_present_cost
        assert row["capital"] == candidate.costs.capital
        assert row["fuel_l_per_year"] == candidate.simulation.fuel_l
        assert 0.0 <= row["renewable_fraction"] <= 1.0
        assert row["unmet_kwh"] >= 0.0
        assert row["dumped_kwh"] >= 0.0
    generator_only = [row for row in rows if row["pv_kwp"] == 0.0]
    assert generator_only
    assert all(row["renewable_fraction"] < 0.05 for row in generator_only)


def candidate(fuel_l, cost, meets_target=True):
    return SimpleNamespace(fuel_l_per_year=fuel_l, net_present_cost=cost, meets_target=meets_target)


def test_cost_fuel_front_drops_dominated_and_infeasible():
    cheap = candidate(100.0, 1000.0)
    thrifty = candidate(10.0, 3000.0)
    dominated = candidate(50.0, 3500.0)
    tie_on_fuel = candidate(10.0, 3100.0)
    infeasible = candidate(0.0, 10.0, meets_target=False)
    middle = candidate(40.0, 2000.0)

    front = cost_fuel_front([cheap, thrifty, dominated, tie_on_fuel, infeasible, middle])

    assert front == [thrifty, middle, cheap]
    assert cost_fuel_front([infeasible]) == []


def test_generator_options_keep_fuel_and_peak():
    hand_unit = SimpleNamespace(name="hand", fuel="diesel", prime_kw=10.0)
    units = [hand_unit,
             SimpleNamespace(name="small", fuel="diesel", prime_kw=4.0),
             SimpleNamespace(name="large", fuel="diesel", prime_kw=20.0),
             SimpleNamespace(name="propane", fuel="propane", prime_kw=20.0)]
    hand = GeneratorDesign(unit=hand_unit, count=1, derate_factor=0.9, required_kw=8.0)

    options = generator_options(hand, units, peak_load_kw=5.0)

    # 4 kW x 0.9 = 3.6 kW does not cover the 5 kW peak.
    assert [option.unit.name for option in options] == ["hand", "large"]
    assert options[0] is hand
    assert all(option.derate_factor == 0.9 for option in options)
    assert generator_options(hand, None, None) == [hand]


def test_count_options_samples_wide_range():
    assert _count_options(2, 6, 4, 10) == [2, 3, 4, 5, 6]
    assert _count_options(3, 1, 3, 10) == [3]

    wide = _count_options(0, 300, 123, MAX_PV_OPTIONS)

    assert wide[0] == 0
    assert wide[-1] == 300
    assert 123 in wide
    assert len(wide) <= MAX_PV_OPTIONS + 1
    assert math.isclose(wide[1] - wide[0], 10, abs_tol=1)
