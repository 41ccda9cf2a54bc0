"""Least-cost search over whole PV strings and battery modules around the hand-method sizes.

Every candidate is simulated hour by hour for a year; the ones that serve the
always-on load within the reliability target are ranked by the net present
cost of the energy system (PV, controllers, battery, inverter/chargers,
generator, fuel, replacements and upkeep). The compute hardware is the same in
every candidate and is left out of the comparison.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from core.battery import BatteryConfig
from core.dispatch import DeferrableJob, SimulationResult, simulate_year
from core.economics import (
    CostBreakdown,
    present_value_of_replacements,
    present_value_of_series,
)
from core.generator import GeneratorConfig
from core.system import BatteryBankDesign, GeneratorDesign, InverterDesign, PVArrayDesign

logger = logging.getLogger(__name__)

# Fractions of the worst-month PV and battery sizes to try. Below 1 the
# generator covers the dark months; 0 PV strings gives a generator-battery
# system; above 1 checks that the optimum is not at the edge of the range.
PV_FRACTIONS = (0.0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.25, 1.5)
BATTERY_FRACTIONS = (0.5, 0.75, 1.0, 1.5)

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
    """One simulated design with its costs."""

    pv_array: PVArrayDesign
    battery_bank: BatteryBankDesign
    simulation: SimulationResult
    costs: CostBreakdown
    meets_target: bool

    @property
    def unmet_fraction(self) -> float:
        load = self.simulation.load_kwh
        return self.simulation.unmet_kwh / load if load > 0 else 0.0


def _price(row: Any) -> float:
    return float(getattr(row, "price", None) or 0.0)


def _battery_life_years(bank: BatteryBankDesign, simulation: SimulationResult) -> float:
    module = bank.module
    calendar_years = module.calendar_life_years or DEFAULT_BATTERY_CALENDAR_LIFE_YEARS
    if not module.cycle_life or not simulation.battery_throughput_kwh:
        return calendar_years
    # Lifetime throughput: rated cycles x their depth x nominal energy.
    lifetime_kwh = module.cycle_life * (module.cycle_life_dod or 0.8) * bank.nominal_kwh
    cycle_years = lifetime_kwh / simulation.battery_throughput_kwh
    return min(calendar_years, cycle_years)


def cost_of_design(pv_array: PVArrayDesign, bank: BatteryBankDesign, inverter: InverterDesign,
                   generator: GeneratorDesign, simulation: SimulationResult,
                   economics: EconomicSettings) -> CostBreakdown:
    """Return the net present cost of the energy system of one design."""
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


def search_designs(
    pv_array: PVArrayDesign,
    bank: BatteryBankDesign,
    inverter: InverterDesign,
    generator: GeneratorDesign,
    pv_kw_per_kwp: np.ndarray,
    always_on_kw: np.ndarray,
    jobs: list[DeferrableJob],
    make_battery: Any,
    generator_config: GeneratorConfig,
    simulate_kwargs: dict[str, Any],
    economics: EconomicSettings,
    max_unmet_fraction: float,
    min_parallel: int,
) -> list[Candidate]:
    """Simulate PV and battery sizes around the hand-method design and rank them by cost.

    ``make_battery(bank) -> BatteryConfig`` builds the simulation battery of a
    bank. Returns every candidate, those meeting the reliability target first,
    each group sorted by net present cost.
    """
    strings_options = sorted({max(0, round(pv_array.strings * f)) for f in PV_FRACTIONS})
    parallel_options = sorted({max(min_parallel, round(bank.parallel * f))
                               for f in BATTERY_FRACTIONS})
    candidates = []
    for strings in strings_options:
        array = _with_strings(pv_array, strings)
        pv_kw = pv_kw_per_kwp * array.kwp
        for parallel in parallel_options:
            candidate_bank = _with_parallel(bank, parallel)
            battery: BatteryConfig = make_battery(candidate_bank)
            simulation = simulate_year(pv_kw, always_on_kw, battery, generator_config,
                                       deferrable=jobs, **simulate_kwargs)
            costs = cost_of_design(array, candidate_bank, inverter, generator, simulation,
                                   economics)
            load_kwh = simulation.load_kwh
            unmet_fraction = simulation.unmet_kwh / load_kwh if load_kwh > 0 else 0.0
            candidates.append(Candidate(array, candidate_bank, simulation, costs,
                                        unmet_fraction <= max_unmet_fraction + 1e-9))
    candidates.sort(key=lambda c: (not c.meets_target, c.costs.net_present_cost))
    logger.info("Searched %d designs; best net present cost %.0f", len(candidates),
                candidates[0].costs.net_present_cost)
    return candidates
