"""Energy-system components from the catalog: PV strings, battery bank, inverter/chargers, generator.

Sizes from the worst-month hand method are turned into whole catalog units:
modules in whole strings per MPPT controller, battery modules in series and
parallel for the DC bus, inverter/chargers in parallel, and a generator
derated for altitude and heat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.errors import CatalogError

DC_BUS_NOMINAL_V = 48.0
# LFP absorption voltage of a 16-cell (51.2 V) bank, for charge current and the
# MPPT start condition (Victron Lithium NG: 56-56.8 V charge).
DC_BUS_CHARGE_V = 56.8
# Victron MPPT controllers start when PV voltage exceeds battery voltage + 5 V.
MPPT_START_MARGIN_V = 5.0
# Cell temperature above ambient at 1000 W/m2 for an open-rack module with a
# 45 degC NOCT: (NOCT - 20) / 800 x 1000 = 31 K.
HOT_CELL_RISE_K = 31.0
# Continuous inverter rating over the peak load; surge over the peak for PSU
# inrush and fan spin-up (1.5-2x the steady peak is the usual guidance).
INVERTER_CONTINUOUS_MARGIN = 1.25
INVERTER_SURGE_FACTOR = 2.0


@dataclass
class PVArrayDesign:
    """Modules in strings on MPPT charge controllers."""

    module: Any
    controller: Any
    modules_per_string: int
    strings_per_controller: int
    controllers: int
    strings: int
    cold_voc_string_v: float
    hot_vmp_string_v: float
    design_low_c: float
    design_high_c: float
    notes: list[str] = field(default_factory=list)

    @property
    def module_count(self) -> int:
        return self.modules_per_string * self.strings

    @property
    def kwp(self) -> float:
        return self.module_count * self.module.pmax_w / 1000.0


@dataclass
class BatteryBankDesign:
    """Battery modules in series and parallel on the DC bus."""

    module: Any
    series: int
    parallel: int
    max_charge_kw: float
    max_discharge_kw: float

    @property
    def module_count(self) -> int:
        return self.series * self.parallel

    @property
    def nominal_kwh(self) -> float:
        return self.module_count * self.module.energy_kwh

    @property
    def bus_v(self) -> float:
        return self.series * self.module.nominal_v


@dataclass
class InverterDesign:
    """Inverter/chargers in parallel on the AC bus."""

    unit: Any
    count: int
    continuous_w: float
    surge_w: float
    idle_w: float


@dataclass
class GeneratorDesign:
    """The generator set and its derated output."""

    unit: Any
    count: int
    derate_factor: float
    required_kw: float

    @property
    def rated_kw(self) -> float:
        return self.unit.prime_kw * self.count

    @property
    def available_kw(self) -> float:
        return self.rated_kw * self.derate_factor


def design_pv_array(target_kwp: float, modules: list[Any], controllers: list[Any],
                    design_low_c: float, design_high_c: float) -> PVArrayDesign:
    """Lay out at least ``target_kwp`` in whole strings on the fewest controllers.

    Modules per string: the string's open-circuit voltage at the design low
    temperature, Voc x (1 + beta x (T_low - 25)), must stay under the
    controller's maximum PV voltage; the string's MPP voltage with cells at
    T_high + 31 K must stay above the battery charge voltage + 5 V (and the
    MPPT window where the controller gives one).
    """
    if not modules or not controllers:
        raise CatalogError("The catalog needs at least one PV module and one charge controller.")
    best: PVArrayDesign | None = None
    for module in modules:
        cold_voc_v = module.voc_v * (1 + module.beta_voc_pct_per_c / 100 * (design_low_c - 25))
        hot_cell_c = design_high_c + HOT_CELL_RISE_K
        # Datasheets rarely give a Vmp coefficient; the Pmax coefficient is the
        # conservative stand-in because Vmp falls at least as fast as Voc.
        hot_vmp_v = module.vmp_v * (1 + module.gamma_pmax_pct_per_c / 100 * (hot_cell_c - 25))
        for controller in controllers:
            max_series = math.floor(controller.max_pv_voc_v / cold_voc_v)
            min_voltage_v = max(DC_BUS_CHARGE_V + MPPT_START_MARGIN_V,
                                controller.mppt_v_min or 0.0)
            min_series = math.ceil(min_voltage_v / hot_vmp_v)
            if controller.mppt_v_max:
                max_series = min(max_series, math.floor(controller.mppt_v_max / module.vmp_v))
            if max_series < min_series or max_series < 1:
                continue
            series = max_series
            string_w = series * module.pmax_w
            # Strings per controller: charge current at the bus charge voltage, and
            # the controller's PV short-circuit current limit.
            by_current = math.floor(controller.max_charge_a * DC_BUS_CHARGE_V / string_w)
            by_isc = math.floor(controller.max_pv_isc_a / module.isc_a)
            per_controller = max(min(by_current, by_isc), 0)
            if per_controller < 1:
                continue
            strings = max(1, math.ceil(target_kwp * 1000 / string_w))
            count = math.ceil(strings / per_controller)
            design = PVArrayDesign(
                module=module, controller=controller, modules_per_string=series,
                strings_per_controller=per_controller, controllers=count, strings=strings,
                cold_voc_string_v=series * cold_voc_v, hot_vmp_string_v=series * hot_vmp_v,
                design_low_c=design_low_c, design_high_c=design_high_c,
            )
            if best is None or _pv_cost_key(design) < _pv_cost_key(best):
                best = design
    if best is None:
        raise CatalogError(
            "No catalog PV module and charge controller pair gives a valid string at the site's "
            f"temperatures ({design_low_c:g} to {design_high_c:g} degC).")
    return best


def _pv_cost_key(design: PVArrayDesign) -> tuple:
    """Prefer the least installed kWp over target, then fewer controllers and modules."""
    price = (design.module.price or 0) * design.module_count + (
        design.controller.price or 0) * design.controllers
    return (round(design.kwp, 1), design.controllers, price, design.module_count)


def design_battery_bank(target_nominal_kwh: float, modules: list[Any], peak_load_kw: float,
                        charge_power_kw: float) -> BatteryBankDesign:
    """Build at least ``target_nominal_kwh`` on the 48 V bus from one module type.

    Parallel strings are added until both the energy and the discharge current
    at the peak load (and the charge current at ``charge_power_kw``) sit within
    the modules' continuous ratings.
    """
    best: BatteryBankDesign | None = None
    for module in modules:
        series = max(1, round(DC_BUS_NOMINAL_V / module.nominal_v))
        bus_v = series * module.nominal_v
        by_energy = math.ceil(target_nominal_kwh / (series * module.energy_kwh))
        discharge_a = peak_load_kw * 1000 / bus_v
        charge_a = charge_power_kw * 1000 / bus_v
        by_discharge = math.ceil(discharge_a / module.max_discharge_a)
        by_charge = math.ceil(charge_a / module.max_charge_a)
        parallel = max(1, by_energy, by_discharge, by_charge)
        if module.max_in_parallel and parallel > module.max_in_parallel:
            continue
        design = BatteryBankDesign(
            module=module, series=series, parallel=parallel,
            max_charge_kw=parallel * module.max_charge_a * bus_v / 1000,
            max_discharge_kw=parallel * module.max_discharge_a * bus_v / 1000,
        )
        if best is None or (design.nominal_kwh, design.module_count) < (
                best.nominal_kwh, best.module_count):
            best = design
    if best is None:
        raise CatalogError(
            f"No catalog battery module builds {target_nominal_kwh:.1f} kWh on a 48 V bus within "
            "its parallel limit.")
    return best


def design_inverter(peak_load_kw: float, units: list[Any],
                    three_phase: bool = False) -> InverterDesign:
    """Choose the fewest 48 V inverter/chargers whose continuous and surge ratings carry the load.

    A three-phase system needs units that can form a three-phase bank, in
    multiples of three; each phase then carries a third of the load.
    """
    need_continuous_w = peak_load_kw * 1000 * INVERTER_CONTINUOUS_MARGIN
    need_surge_w = peak_load_kw * 1000 * INVERTER_SURGE_FACTOR
    best: InverterDesign | None = None
    for unit in units:
        if abs(unit.battery_v - DC_BUS_NOMINAL_V) > 1:
            continue
        if three_phase and not unit.three_phase_capable:
            continue
        count = max(math.ceil(need_continuous_w / unit.continuous_w_25c),
                    math.ceil(need_surge_w / unit.surge_w), 1)
        if three_phase:
            count = 3 * math.ceil(count / 3)
        if unit.max_in_parallel and count > unit.max_in_parallel:
            continue
        design = InverterDesign(unit=unit, count=count, continuous_w=count * unit.continuous_w_25c,
                                surge_w=count * unit.surge_w, idle_w=count * unit.idle_w)
        if best is None or (design.continuous_w, design.idle_w) < (best.continuous_w,
                                                                     best.idle_w):
            best = design
    if best is None:
        raise CatalogError(
            f"No 48 V inverter/charger in the catalog carries {peak_load_kw:.1f} kW within its "
            "parallel limit.")
    return best


def generator_derate_factor(elevation_m: float, design_high_c: float) -> float:
    """Return the output fraction at altitude and heat.

    Wacker Neuson and Stamford rule: -3 % per 500 m above 1000 m and -3 % per
    5 degC above 40 degC at the air intake, cumulative.
    """
    altitude = 1 - 0.03 * max(0.0, (elevation_m - 1000) / 500)
    heat = 1 - 0.03 * max(0.0, (design_high_c - 40) / 5)
    return altitude * heat


def design_generator(required_kw: float, units: list[Any], fuel: str, elevation_m: float,
                     design_high_c: float) -> GeneratorDesign:
    """Choose the smallest generator of ``fuel`` whose derated prime output covers ``required_kw``.

    When no single unit is large enough, identical units run in parallel.
    """
    candidates = sorted((unit for unit in units if unit.fuel == fuel),
                        key=lambda unit: unit.prime_kw)
    if not candidates:
        raise CatalogError(f"The catalog has no {fuel} generator.")
    derate = generator_derate_factor(elevation_m, design_high_c)
    for unit in candidates:
        if unit.prime_kw * derate >= required_kw:
            return GeneratorDesign(unit=unit, count=1, derate_factor=derate,
                                   required_kw=required_kw)
    largest = candidates[-1]
    count = math.ceil(required_kw / (largest.prime_kw * derate))
    return GeneratorDesign(unit=largest, count=count, derate_factor=derate,
                           required_kw=required_kw)
