"""Least-cost search over PV strings, battery strings and generator sizes around the hand-method design.

Every candidate is simulated hour by hour for a year, all at once through
``simulate_many``. The ones that serve the always-on load within the
reliability target are ranked by the net present cost of the energy system
(PV, controllers, battery, inverter/chargers, generator, fuel, replacements
and upkeep). The compute hardware is the same in every candidate and is left
out of the comparison.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from core.battery import BatteryConfig
from core.dispatch import DeferrableJob, DesignTotals, SimulationResult, simulate_many, simulate_year
from core.economics import (
    CostBreakdown,
    present_value_of_replacements,
    present_value_of_series,
)
from core.generator import GeneratorConfig
from core.system import BatteryBankDesign, GeneratorDesign, InverterDesign, PVArrayDesign

logger = logging.getLogger(__name__)

# Range of the grid as multiples of the hand-method sizes. 0 PV strings gives
# a generator-battery system; the upper ends check that the optimum is not at
# the edge of the range.
PV_MAX_FRACTION = 1.5
BATTERY_MAX_FRACTION = 2.0
# Maximum number of string counts tried on each axis. A wider range is
# sampled evenly and keeps its ends and the hand-method count.
MAX_PV_OPTIONS = 31
MAX_PARALLEL_OPTIONS = 17

# Service lives and upkeep where the catalog has no figure (estimates).
POWER_ELECTRONICS_LIFE_YEARS = 12
DEFAULT_BATTERY_CALENDAR_LIFE_YEARS = 15
DEFAULT_GENERATOR_LIFE_H = 15_000  # HOMER Pro default generator lifetime
PV_UPKEEP_FRACTION_PER_YEAR = 0.01
BATTERY_UPKEEP_FRACTION_PER_YEAR = 0.01
GENERATOR_UPKEEP_PER_KW_RUN_HOUR = 0.025


@dataclass
class EconomicSettings:
    """Project life, real discount rate and fuel price with its escalation."""

    project_life_years: int
    discount_rate: float
    fuel_price_per_l: float
    fuel_escalation_rate: float


@dataclass
class Candidate:
    """One simulated design with its costs.

    ``simulation`` is the full ``SimulationResult`` for the first candidate
    that ``search_designs`` returns and the annual ``DesignTotals`` for the
    others. Both have the totals used here under the same names.
    """

    pv_array: PVArrayDesign
    battery_bank: BatteryBankDesign
    generator: GeneratorDesign
    simulation: SimulationResult | DesignTotals
    costs: CostBreakdown
    meets_target: bool
    on_cost_fuel_front: bool = False

    @property
    def unmet_fraction(self) -> float:
        load = self.simulation.load_kwh
        return self.simulation.unmet_kwh / load if load > 0 else 0.0

    @property
    def net_present_cost(self) -> float:
        return self.costs.net_present_cost

    @property
    def capital(self) -> float:
        return self.costs.capital

    @property
    def fuel_l_per_year(self) -> float:
        return self.simulation.fuel_l


def _price(row: Any) -> float:
    return float(getattr(row, "price", None) or 0.0)


def _battery_life_years(bank: BatteryBankDesign, simulation: SimulationResult | DesignTotals) -> float:
    module = bank.module
    calendar_years = module.calendar_life_years or DEFAULT_BATTERY_CALENDAR_LIFE_YEARS
    if not module.cycle_life or not simulation.battery_throughput_kwh:
        return calendar_years
    # Lifetime throughput: rated cycles x their depth x nominal energy.
    lifetime_kwh = module.cycle_life * (module.cycle_life_dod or 0.8) * bank.nominal_kwh
    cycle_years = lifetime_kwh / simulation.battery_throughput_kwh
    return min(calendar_years, cycle_years)


def cost_of_design(pv_array: PVArrayDesign, bank: BatteryBankDesign, inverter: InverterDesign,
                   generator: GeneratorDesign, simulation: SimulationResult | DesignTotals,
                   economics: EconomicSettings) -> CostBreakdown:
    """Return the net present cost of the energy system of one design from its annual totals."""
    years = economics.project_life_years
    rate = economics.discount_rate
    pv_capital = (_price(pv_array.module) * pv_array.module_count
                  + _price(pv_array.controller) * pv_array.controllers)
    battery_capital = _price(bank.module) * bank.module_count
    inverter_capital = _price(inverter.unit) * inverter.count
    generator_capital = _price(generator.unit) * generator.count
    capital = pv_capital + battery_capital + inverter_capital + generator_capital

    generator_hours = simulation.generator_hours
    generator_life_years = ((generator.unit.lifetime_h or DEFAULT_GENERATOR_LIFE_H)
                            / generator_hours if generator_hours > 0 else math.inf)
    replacements = (
        present_value_of_replacements(battery_capital, _battery_life_years(bank, simulation),
                                      rate, years)
        + present_value_of_replacements(inverter_capital, POWER_ELECTRONICS_LIFE_YEARS, rate,
                                        years)
        + present_value_of_replacements(_price(pv_array.controller) * pv_array.controllers,
                                        POWER_ELECTRONICS_LIFE_YEARS, rate, years)
        + present_value_of_replacements(generator_capital, generator_life_years, rate, years)
    )
    fuel = present_value_of_series(simulation.fuel_l * economics.fuel_price_per_l, rate, years,
                                   economics.fuel_escalation_rate)
    upkeep_per_year = (PV_UPKEEP_FRACTION_PER_YEAR * pv_capital
                       + BATTERY_UPKEEP_FRACTION_PER_YEAR * battery_capital
                       + GENERATOR_UPKEEP_PER_KW_RUN_HOUR * generator.rated_kw * generator_hours)
    upkeep = present_value_of_series(upkeep_per_year, rate, years)
    served_kwh = simulation.load_kwh - simulation.unmet_kwh + simulation.deferrable_served_kwh
    return CostBreakdown(capital=capital, replacements=replacements, fuel=fuel,
                         operation_maintenance=upkeep, project_life_years=years,
                         discount_rate=rate, served_kwh_per_year=served_kwh)


def _with_strings(array: PVArrayDesign, strings: int) -> PVArrayDesign:
    controllers = math.ceil(strings / array.strings_per_controller) if strings else 0
    return replace(array, strings=strings, controllers=controllers, notes=list(array.notes))


def _with_parallel(bank: BatteryBankDesign, parallel: int) -> BatteryBankDesign:
    bus_v = bank.bus_v
    module = bank.module
    return replace(bank, parallel=parallel,
                   max_charge_kw=parallel * module.max_charge_a * bus_v / 1000,
                   max_discharge_kw=parallel * module.max_discharge_a * bus_v / 1000)


def _count_options(low: int, high: int, keep: int, max_options: int) -> list[int]:
    """Return whole counts from ``low`` to ``high``: every one, or ``max_options`` evenly spaced plus ``keep``."""
    high = max(low, high)
    if high - low + 1 <= max_options:
        counts = set(range(low, high + 1))
    else:
        counts = {int(round(value)) for value in np.linspace(low, high, max_options)}
    if low <= keep <= high:
        counts.add(keep)
    return sorted(counts)


def generator_options(hand_design: GeneratorDesign, units: Sequence[Any] | None,
                      peak_load_kw: float | None) -> list[GeneratorDesign]:
    """Return the hand-method generator and every single set of its fuel that covers the peak load.

    A unit covers the peak load when its prime rating, derated like the hand
    design's set, is at least ``peak_load_kw``. The list is ordered by rating.
    """
    options = [hand_design]
    if not units or peak_load_kw is None:
        return options
    fuel = hand_design.unit.fuel
    for unit in sorted(units, key=lambda row: row.prime_kw):
        if unit.fuel != fuel or unit.prime_kw * hand_design.derate_factor < peak_load_kw:
            continue
        if unit is hand_design.unit and hand_design.count == 1:
            continue
        options.append(GeneratorDesign(unit=unit, count=1, derate_factor=hand_design.derate_factor,
                                       required_kw=hand_design.required_kw))
    return sorted(options, key=lambda design: design.available_kw)


def generator_config_for(design: GeneratorDesign, hand_config: GeneratorConfig,
                         min_load_ratio_target: float | None) -> GeneratorConfig:
    """Return the simulation generator of ``design`` with the dispatch rules of ``hand_config``.

    The minimum load ratio is the larger of the project's target and the
    unit's own figure, as make_plan sets it for the hand-method generator.
    Without a target, the hand-method set's ratio is kept.
    """
    unit = design.unit
    if min_load_ratio_target is None:
        min_load_ratio = hand_config.min_load_ratio
    else:
        min_load_ratio = max(min_load_ratio_target, unit.min_load_ratio or 0.0)
    return replace(hand_config,
                   rated_kw=unit.prime_kw * design.derate_factor,
                   fuel_f0_l_per_h_per_kw=unit.fuel_f0_l_per_h_per_kw,
                   fuel_f1_l_per_h_per_kw=unit.fuel_f1_l_per_h_per_kw,
                   min_load_ratio=min_load_ratio,
                   count=design.count)


def search_designs(
    pv_array: PVArrayDesign,
    bank: BatteryBankDesign,
    inverter: InverterDesign,
    generator: GeneratorDesign,
    pv_kw_per_kwp: np.ndarray,
    always_on_kw: np.ndarray,
    jobs: list[DeferrableJob],
    make_battery: Callable[[BatteryBankDesign], BatteryConfig],
    generator_config: GeneratorConfig,
    simulate_kwargs: dict[str, Any],
    economics: EconomicSettings,
    max_unmet_fraction: float,
    min_parallel: int,
    generator_units: Sequence[Any] | None = None,
    peak_load_kw: float | None = None,
    generator_min_load_ratio: float | None = None,
) -> list[Candidate]:
    """Simulate PV, battery and generator sizes around the hand-method design and rank them by cost.

    The grid crosses three axes. PV: every string count from 0 to
    ``PV_MAX_FRACTION`` times the hand-method count. Battery: every parallel
    string count from ``min_parallel`` to ``BATTERY_MAX_FRACTION`` times the
    hand-method count. Generator: ``generator_options`` of ``generator_units``
    (catalog rows) and ``peak_load_kw``. The PV and battery axes are sampled
    evenly when longer than ``MAX_PV_OPTIONS`` and ``MAX_PARALLEL_OPTIONS``.
    ``generator_config`` is the simulation generator of ``generator``, and
    ``generator_min_load_ratio`` the project's minimum load ratio target.
    ``make_battery(bank)`` builds the simulation battery of a bank.

    Returns every candidate, those meeting the reliability target first, each
    group sorted by net present cost. The first candidate carries the full
    hourly ``SimulationResult`` and the rest carry ``DesignTotals``. Candidates
    on the Pareto front of net present cost against annual fuel are flagged
    ``on_cost_fuel_front`` (see ``cost_fuel_front``).
    """
    started = time.perf_counter()
    strings_options = _count_options(0, math.ceil(pv_array.strings * PV_MAX_FRACTION), pv_array.strings,
                                     MAX_PV_OPTIONS)
    parallel_options = _count_options(min_parallel, math.ceil(bank.parallel * BATTERY_MAX_FRACTION),
                                      bank.parallel, MAX_PARALLEL_OPTIONS)
    generators = generator_options(generator, generator_units, peak_load_kw)

    arrays = [_with_strings(pv_array, strings) for strings in strings_options]
    banks = [_with_parallel(bank, parallel) for parallel in parallel_options]
    batteries = [make_battery(candidate_bank) for candidate_bank in banks]
    configs = [generator_config if design is generator
               else generator_config_for(design, generator_config, generator_min_load_ratio)
               for design in generators]

    grid = [(a, b, g) for a in range(len(arrays)) for b in range(len(banks)) for g in range(len(generators))]
    totals = simulate_many(
        pv_kw_per_kwp, [arrays[a].kwp for a, _, _ in grid], always_on_kw,
        [batteries[b] for _, b, _ in grid], [configs[g] for _, _, g in grid],
        deferrable=jobs, **simulate_kwargs)

    candidates = []
    for index, (a, b, g) in enumerate(grid):
        design_totals = totals.candidate(index)
        costs = cost_of_design(arrays[a], banks[b], inverter, generators[g], design_totals, economics)
        load_kwh = design_totals.load_kwh
        unmet_fraction = design_totals.unmet_kwh / load_kwh if load_kwh > 0 else 0.0
        candidates.append(Candidate(arrays[a], banks[b], generators[g], design_totals, costs,
                                    unmet_fraction <= max_unmet_fraction + 1e-9))
    ranking = sorted(range(len(grid)),
                     key=lambda i: (not candidates[i].meets_target, candidates[i].costs.net_present_cost))
    for candidate in cost_fuel_front(candidates):
        candidate.on_cost_fuel_front = True

    # The hourly flows of the chosen design, for the plan and the report.
    best_index = ranking[0]
    best = candidates[best_index]
    _, b, g = grid[best_index]
    best.simulation = simulate_year(pv_kw_per_kwp * best.pv_array.kwp, always_on_kw, batteries[b], configs[g],
                                    deferrable=jobs, **simulate_kwargs)
    candidates = [candidates[i] for i in ranking]
    logger.info("Searched %d designs (%d PV, %d battery, %d generator options) in %.2f s, "
                "best net present cost %.0f", len(candidates), len(arrays), len(banks), len(generators),
                time.perf_counter() - started, best.costs.net_present_cost)
    return candidates


def cost_fuel_front(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Return the candidates meeting the target that no other beats on both cost and fuel.

    A candidate is on the front when every other feasible candidate with the
    same or less annual fuel has a higher net present cost. The front is
    ordered by annual fuel, from least to most, so its cost falls along it.
    Empty when no candidate meets the target.
    """
    feasible = sorted((c for c in candidates if c.meets_target),
                      key=lambda c: (c.fuel_l_per_year, c.net_present_cost))
    front = []
    lowest_cost = math.inf
    for candidate in feasible:
        if candidate.net_present_cost < lowest_cost:
            front.append(candidate)
            lowest_cost = candidate.net_present_cost
    return front


def candidate_table(candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
    """Return one row per candidate with the figures the report and the wizard show.

    Keys and units: "pv_kwp", "battery_nominal_kwh", "generator" (set count and
    unit name), "generator_kw" (derated output of all sets), "net_present_cost"
    and "capital" [project currency], "fuel_l_per_year", "renewable_fraction"
    (0-1), "generator_hours" [h/year], "unmet_kwh" and "dumped_kwh"
    [kWh/year], "meets_target" and "on_cost_fuel_front".
    """
    rows = []
    for candidate in candidates:
        totals = candidate.simulation
        rows.append({
            "pv_kwp": candidate.pv_array.kwp,
            "battery_nominal_kwh": candidate.battery_bank.nominal_kwh,
            "generator": f"{candidate.generator.count} x {candidate.generator.unit.name}",
            "generator_kw": candidate.generator.available_kw,
            "net_present_cost": candidate.net_present_cost,
            "capital": candidate.capital,
            "fuel_l_per_year": totals.fuel_l,
            "renewable_fraction": totals.renewable_fraction,
            "generator_hours": totals.generator_hours,
            "unmet_kwh": totals.unmet_kwh,
            "dumped_kwh": totals.dumped_kwh,
            "meets_target": candidate.meets_target,
            "on_cost_fuel_front": candidate.on_cost_fuel_front,
        })
    return rows
