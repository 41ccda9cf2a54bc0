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
# NEC 690.8(A)(1): the maximum PV source-circuit current is the sum of the
# parallel modules' rated short-circuit currents x 1.25, for irradiance above
# the 1000 W/m2 of standard test conditions.
NEC_PV_ISC_FACTOR = 1.25
# Temperatures at which inverter/chargers publish their continuous rating.
INVERTER_RATING_LOW_C = 25.0
INVERTER_RATING_HIGH_C = 40.0
# Battery voltage for discharge currents: 16 LFP cells near empty at 3.0 V,
# where the same power draws the most current.
DC_BUS_LOW_V = 48.0
# Server PSU inrush when the catalog gives none: switch-mode supplies draw
# 20-60 A for half to one mains cycle while their input capacitors charge
# (Reignpower application note "What is Inrush Current?", 2013). This is an
# estimate; take the figure from the server's technical guide where it has one.
PSU_INRUSH_ESTIMATE_A = 50.0


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
    def strings_by_controller(self) -> list[int]:
        """Whole strings on each controller, spread as evenly as possible."""
        if self.controllers == 0:
            return []
        base, extra = divmod(self.strings, self.controllers)
        return [base + 1 if index < extra else base for index in range(self.controllers)]

    @property
    def string_max_current_a(self) -> float:
        """Maximum current of one string, 1.25 x Isc (NEC 690.8(A)(1))."""
        return NEC_PV_ISC_FACTOR * self.module.isc_a

    @property
    def controller_max_current_a(self) -> float:
        """Maximum PV current into the most loaded controller, 1.25 x Isc x its strings."""
        return self.string_max_current_a * max(self.strings_by_controller, default=0)

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
    design_high_c: float = INVERTER_RATING_LOW_C
    continuous_w_hot: float = 0.0
    phases: int = 1

    @property
    def units_per_phase(self) -> int:
        return self.count // self.phases


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


@dataclass
class StringWindow:
    """Series and parallel limits of one PV module on one charge controller."""

    module: Any
    controller: Any
    cold_voc_v: float
    hot_vmp_v: float
    hot_cell_c: float
    min_voltage_v: float
    max_voltage_v: float
    min_series: int
    max_series: int
    strings_by_isc: int
    strings_by_charge: int

    @property
    def max_strings(self) -> int:
        return max(min(self.strings_by_isc, self.strings_by_charge), 0)

    def problems(self, series: int, strings: int = 1) -> list[str]:
        """Describe every limit that ``series`` modules in ``strings`` parallel strings break."""
        found = []
        plural = "module" if series == 1 else "modules"
        cold_v = series * self.cold_voc_v
        if cold_v > self.max_voltage_v + 1e-9:
            found.append(
                f"{series} {plural} in series: {cold_v:.1f} V cold Voc exceeds the "
                f"{self.max_voltage_v:g} V {self._max_voltage_source()} by "
                f"{cold_v - self.max_voltage_v:.1f} V")
        mppt_v_max = self.controller.mppt_v_max
        if mppt_v_max and series * self.module.vmp_v > mppt_v_max + 1e-9:
            stc_v = series * self.module.vmp_v
            found.append(
                f"{series} {plural} in series: {stc_v:.1f} V Vmp at STC exceeds the controller's "
                f"{mppt_v_max:g} V MPPT maximum by {stc_v - mppt_v_max:.1f} V")
        hot_v = series * self.hot_vmp_v
        if hot_v < self.min_voltage_v - 1e-9:
            found.append(
                f"{series} {plural} in series: {hot_v:.1f} V hot Vmp (cells at "
                f"{self.hot_cell_c:.0f} °C) is {self.min_voltage_v - hot_v:.1f} V below the "
                f"{self.min_voltage_v:.1f} V the controller needs to charge")
        current_a = strings * NEC_PV_ISC_FACTOR * self.module.isc_a
        limit_a = self.controller.max_pv_isc_a
        if current_a > limit_a + 1e-9:
            found.append(
                f"{strings} string{'s' if strings != 1 else ''}: 1.25 x {self.module.isc_a:g} A "
                f"Isc x {strings} = {current_a:.1f} A exceeds the controller's {limit_a:g} A PV "
                f"short-circuit limit by {current_a - limit_a:.1f} A")
        return found

    def _max_voltage_source(self) -> str:
        if self.max_voltage_v < self.controller.max_pv_voc_v:
            return "module maximum system voltage"
        return "controller limit"


def string_window(module: Any, controller: Any, design_low_c: float,
                  design_high_c: float) -> StringWindow:
    """Work out how many ``module`` fit in series and parallel on ``controller``.

    Voltage: the string's open-circuit voltage at the design low temperature,
    Voc x (1 + beta x (T_low - 25)), must stay under the controller's maximum
    PV voltage (NEC 690.7(A)) and the module's maximum system voltage; the
    string's MPP voltage with cells at T_high + 31 K must stay above the battery
    charge voltage + 5 V (and the MPPT window where the controller gives one).
    Current: 1.25 x Isc per string (NEC 690.8(A)(1)) against the controller's
    maximum PV short-circuit current, and the string power at the bus charge
    voltage against the controller's charge current.
    """
    cold_voc_v = module.voc_v * (1 + module.beta_voc_pct_per_c / 100 * (design_low_c - 25))
    hot_cell_c = design_high_c + HOT_CELL_RISE_K
    # Datasheets rarely give a Vmp coefficient; the Pmax coefficient is the
    # conservative stand-in because Vmp falls at least as fast as Voc.
    hot_vmp_v = module.vmp_v * (1 + module.gamma_pmax_pct_per_c / 100 * (hot_cell_c - 25))
    max_voltage_v = min(controller.max_pv_voc_v, module.max_system_v or math.inf)
    max_series = math.floor(max_voltage_v / cold_voc_v)
    if controller.mppt_v_max:
        max_series = min(max_series, math.floor(controller.mppt_v_max / module.vmp_v))
    min_voltage_v = max(DC_BUS_CHARGE_V + MPPT_START_MARGIN_V, controller.mppt_v_min or 0.0)
    min_series = max(1, math.ceil(min_voltage_v / hot_vmp_v))
    series = max(max_series, 1)
    strings_by_charge = math.floor(controller.max_charge_a * DC_BUS_CHARGE_V
                                   / (series * module.pmax_w))
    strings_by_isc = math.floor(controller.max_pv_isc_a / (NEC_PV_ISC_FACTOR * module.isc_a))
    return StringWindow(
        module=module, controller=controller, cold_voc_v=cold_voc_v, hot_vmp_v=hot_vmp_v,
        hot_cell_c=hot_cell_c, min_voltage_v=min_voltage_v, max_voltage_v=max_voltage_v,
        min_series=min_series, max_series=max_series, strings_by_isc=strings_by_isc,
        strings_by_charge=strings_by_charge)


def _window_problem(window: StringWindow) -> str:
    """Describe why no string of this pair works, at the series count nearest to working."""
    if window.max_series < window.min_series:
        problems = window.problems(window.min_series)
    else:
        problems = window.problems(window.max_series, 1)
    names = f"{window.module.name} on {window.controller.name}"
    return f"{names}: " + "; ".join(problems or ["no valid string"])


def design_pv_array(target_kwp: float, modules: list[Any], controllers: list[Any],
                    design_low_c: float, design_high_c: float) -> PVArrayDesign:
    """Lay out at least ``target_kwp`` in whole strings on the fewest controllers.

    Each pair of module and controller is checked by :func:`string_window`.
    Strings use the most modules in series that the cold Voc allows, and each
    controller takes as many whole strings as its PV short-circuit current and
    charge current allow. When no pair works, the CatalogError names the limit
    each pair breaks and by how much.
    """
    if not modules or not controllers:
        raise CatalogError("The catalog needs at least one PV module and one charge controller.")
    best: PVArrayDesign | None = None
    rejected: list[str] = []
    for module in modules:
        for controller in controllers:
            window = string_window(module, controller, design_low_c, design_high_c)
            if window.max_series < window.min_series or window.max_strings < 1:
                rejected.append(_window_problem(window))
                continue
            series = window.max_series
            string_w = series * module.pmax_w
            per_controller = window.max_strings
            strings = max(1, math.ceil(target_kwp * 1000 / string_w))
            count = math.ceil(strings / per_controller)
            design = PVArrayDesign(
                module=module, controller=controller, modules_per_string=series,
                strings_per_controller=per_controller, controllers=count, strings=strings,
                cold_voc_string_v=series * window.cold_voc_v,
                hot_vmp_string_v=series * window.hot_vmp_v,
                design_low_c=design_low_c, design_high_c=design_high_c,
            )
            if best is None or _pv_cost_key(design) < _pv_cost_key(best):
                best = design
    if best is None:
        raise CatalogError(
            "No catalog PV module and charge controller pair gives a valid string at the site's "
            f"temperatures ({design_low_c:g} to {design_high_c:g} °C). " + " ".join(
                f"{problem}." for problem in rejected))
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


def continuous_rating_w(unit: Any, ambient_c: float) -> float:
    """Return one unit's continuous output [W] at ``ambient_c``.

    Linear between the 25 °C and 40 °C ratings and along the same line above
    40 °C; the 25 °C rating below 25 °C or when the catalog has no 40 °C value.
    """
    if unit.continuous_w_40c is None or ambient_c <= INVERTER_RATING_LOW_C:
        return float(unit.continuous_w_25c)
    # NOTE: above 40 °C the line is extrapolated; datasheets give a 65 °C point
    # that the catalog does not store.
    slope = (unit.continuous_w_40c - unit.continuous_w_25c) / (
        INVERTER_RATING_HIGH_C - INVERTER_RATING_LOW_C)
    return max(0.0, unit.continuous_w_25c + slope * (ambient_c - INVERTER_RATING_LOW_C))


def design_inverter(peak_load_kw: float, units: list[Any], three_phase: bool = False,
                    design_high_c: float = INVERTER_RATING_LOW_C,
                    output_v_range: tuple[float, float] | None = None,
                    frequency_hz: float | None = None) -> InverterDesign:
    """Choose the fewest 48 V inverter/chargers whose continuous and surge ratings carry the load.

    The continuous rating is taken at ``design_high_c``. A three-phase system
    needs units that can form a three-phase bank, in multiples of three, and
    ``max_in_parallel`` then applies per phase. Units whose output voltage
    lies in ``output_v_range`` and whose frequency is ``frequency_hz`` are
    preferred; others are chosen only when none of those carries the load
    (the plan then warns).
    """
    if output_v_range is not None:
        low_v, high_v = output_v_range
        matching = [unit for unit in units if low_v <= (unit.output_v or 0) <= high_v
                    and (frequency_hz is None or unit.output_hz == frequency_hz)]
        if matching:
            try:
                return design_inverter(peak_load_kw, matching, three_phase, design_high_c)
            except CatalogError:
                pass  # fall back to every unit; the plan warns about the voltage
    need_continuous_w = peak_load_kw * 1000 * INVERTER_CONTINUOUS_MARGIN
    need_surge_w = peak_load_kw * 1000 * INVERTER_SURGE_FACTOR
    phases = 3 if three_phase else 1
    best: InverterDesign | None = None
    for unit in units:
        if abs(unit.battery_v - DC_BUS_NOMINAL_V) > 1:
            continue
        if three_phase and not unit.three_phase_capable:
            continue
        hot_w = continuous_rating_w(unit, design_high_c)
        if hot_w <= 0:
            continue
        count = max(math.ceil(need_continuous_w / hot_w),
                    math.ceil(need_surge_w / unit.surge_w), 1)
        count = phases * math.ceil(count / phases)
        if unit.max_in_parallel and count // phases > unit.max_in_parallel:
            continue
        design = InverterDesign(unit=unit, count=count, continuous_w=count * unit.continuous_w_25c,
                                surge_w=count * unit.surge_w, idle_w=count * unit.idle_w,
                                design_high_c=design_high_c, continuous_w_hot=count * hot_w,
                                phases=phases)
        if best is None or (design.continuous_w, design.idle_w) < (best.continuous_w,
                                                                     best.idle_w):
            best = design
    if best is None:
        raise CatalogError(
            f"No 48 V inverter/charger in the catalog carries {peak_load_kw:.1f} kW at "
            f"{design_high_c:g} °C within its parallel limit.")
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


# --- checks of the chosen system -------------------------------------------


@dataclass
class BatteryCheck:
    """Charge and discharge currents of the bank against the module and inverter limits [A]."""

    pv_charge_a: float
    charger_charge_a: float
    charge_limit_a: float
    peak_discharge_a: float
    inverter_full_dc_a: float
    discharge_limit_a: float
    parallel_by_charge: int
    parallel_by_discharge: int
    parallel: int
    limiting: str
    warnings: list[str] = field(default_factory=list)

    @property
    def charge_a(self) -> float:
        return self.pv_charge_a + self.charger_charge_a


def inverter_dc_current_a(ac_power_w: float, unit: Any) -> float:
    """Return the DC current [A] an inverter draws for ``ac_power_w`` at the low bus voltage."""
    return ac_power_w / (unit.max_efficiency * DC_BUS_LOW_V)


def check_battery_bank(bank: BatteryBankDesign, pv_array: PVArrayDesign,
                       inverter: InverterDesign, peak_load_kw: float) -> BatteryCheck:
    """Check the bank's currents and name the limit that sets its parallel string count.

    Charge: the PV array's output at the bus charge voltage, capped by the
    controllers' charge current, plus the inverter/chargers' charge current
    while the generator runs. Discharge: the peak load through the inverters at
    the low bus voltage (48 V) against the modules' continuous rating, and the
    inverters' full continuous DC draw against the same rating.
    """
    module = bank.module
    pv_charge_a = min(pv_array.kwp * 1000 / DC_BUS_CHARGE_V,
                      pv_array.controllers * pv_array.controller.max_charge_a)
    charger_a = inverter.count * inverter.unit.charge_current_a
    charge_limit_a = bank.parallel * module.max_charge_a
    peak_a = inverter_dc_current_a(peak_load_kw * 1000, inverter.unit)
    full_a = inverter_dc_current_a(inverter.continuous_w, inverter.unit)
    discharge_limit_a = bank.parallel * module.max_discharge_a
    by_charge = math.ceil((pv_charge_a + charger_a) / module.max_charge_a)
    by_discharge = math.ceil(peak_a / module.max_discharge_a)

    if bank.parallel > max(by_charge, by_discharge):
        limiting = (f"energy: {bank.nominal_kwh:.1f} kWh needs {bank.parallel} parallel "
                    f"string(s); the charge current needs {by_charge} and the discharge current "
                    f"{by_discharge}")
    elif by_discharge >= by_charge and bank.parallel == by_discharge:
        limiting = (f"discharge current: {peak_a:.0f} A at peak load over "
                    f"{module.max_discharge_a:g} A per module")
    elif bank.parallel == by_charge:
        limiting = (f"charge current: {pv_charge_a + charger_a:.0f} A over "
                    f"{module.max_charge_a:g} A per module")
    else:
        limiting = (f"energy: {bank.parallel} parallel string(s) chosen by the search, fewer "
                    "than the currents need")

    warnings = []
    total_charge_a = pv_charge_a + charger_a
    if total_charge_a > charge_limit_a + 1e-9:
        warnings.append(
            f"Battery charge current: PV {pv_charge_a:.0f} A + chargers {charger_a:.0f} A = "
            f"{total_charge_a:.0f} A exceeds the bank's {charge_limit_a:.0f} A "
            f"({bank.parallel} x {module.max_charge_a:g} A). Set the charge current limit of the "
            f"controllers and chargers (Victron DVCC or the BMS) to {charge_limit_a:.0f} A, as the "
            f"simulation assumes, or add {by_charge - bank.parallel} parallel string(s).")
    if peak_a > discharge_limit_a + 1e-9:
        warnings.append(
            f"Battery discharge current at the peak load, {peak_a:.0f} A, exceeds the bank's "
            f"{discharge_limit_a:.0f} A continuous rating; add parallel strings.")
    if full_a > discharge_limit_a + 1e-9:
        warnings.append(
            f"The inverters at their full continuous output draw {full_a:.0f} A, more than the "
            f"bank's {discharge_limit_a:.0f} A continuous rating; the BMS may disconnect on an "
            "overload. Limit the inverter output or add parallel strings.")
    return BatteryCheck(
        pv_charge_a=pv_charge_a, charger_charge_a=charger_a, charge_limit_a=charge_limit_a,
        peak_discharge_a=peak_a, inverter_full_dc_a=full_a, discharge_limit_a=discharge_limit_a,
        parallel_by_charge=by_charge, parallel_by_discharge=by_discharge,
        parallel=bank.parallel, limiting=limiting, warnings=warnings)


@dataclass
class StartupLoad:
    """PSU inrush of the servers when all start together after a black start."""

    psu_count: int
    inrush_a: float
    estimated_psus: int
    voltage_v: float

    @property
    def inrush_va(self) -> float:
        return self.inrush_a * self.voltage_v


@dataclass
class InverterCheck:
    """The inverter/chargers against the load, the start-up surge and the generator."""

    continuous_w_25c: float
    continuous_w_hot: float
    design_high_c: float
    peak_load_w: float
    surge_w: float
    startup: StartupLoad
    ac_input_limit_w: float
    generator_w: float
    charge_power_w: float
    input_current_setting_a: float
    warnings: list[str] = field(default_factory=list)


def server_startup_load(servers: list[tuple[Any, int]], voltage_v: float) -> StartupLoad:
    """Add up the PSU inrush of ``servers``, given as (catalog server row, PSUs in use) pairs.

    Every PSU is counted because both supplies of a redundant pair switch on
    together. A server row without ``psu_inrush_a`` uses PSU_INRUSH_ESTIMATE_A.
    """
    inrush_a = 0.0
    psus = 0
    estimated = 0
    for row, psu_count in servers:
        per_psu = getattr(row, "psu_inrush_a", None)
        if per_psu is None:
            per_psu = PSU_INRUSH_ESTIMATE_A
            estimated += psu_count
        inrush_a += per_psu * psu_count
        psus += psu_count
    return StartupLoad(psu_count=psus, inrush_a=inrush_a, estimated_psus=estimated,
                       voltage_v=voltage_v)


def check_inverter(inverter: InverterDesign, peak_load_kw: float, startup: StartupLoad,
                   generator: GeneratorDesign) -> InverterCheck:
    """Check the inverter/chargers' ratings, the black-start surge and the generator input."""
    unit = inverter.unit
    peak_w = peak_load_kw * 1000
    warnings = []
    if inverter.continuous_w_hot < peak_w:
        warnings.append(
            f"The inverters' continuous rating at {inverter.design_high_c:g} °C, "
            f"{inverter.continuous_w_hot:.0f} W, is below the {peak_w:.0f} W peak load.")
    if startup.inrush_va > inverter.surge_w:
        estimate = (f" ({startup.estimated_psus} PSU(s) at the {PSU_INRUSH_ESTIMATE_A:g} A "
                    "estimate)" if startup.estimated_psus else "")
        warnings.append(
            f"Black start: {startup.psu_count} server PSUs switching on together draw about "
            f"{startup.inrush_a:.0f} A inrush{estimate}, {startup.inrush_va / 1000:.1f} kVA at "
            f"{startup.voltage_v:g} V for up to one mains cycle, above the inverters' "
            f"{inverter.surge_w / 1000:.1f} kW surge rating. Stagger the start: switched-PDU "
            "outlet power-on delays or the servers' AC-recovery delay.")

    # The AC input limit is ac_input_current_a per unit at the output voltage.
    ac_input_limit_w = inverter.count * unit.ac_input_current_a * unit.output_v
    generator_w = generator.available_kw * 1000
    charge_power_w = inverter.count * unit.charge_current_a * DC_BUS_CHARGE_V / unit.max_efficiency
    setting_a = min(unit.ac_input_current_a,
                    generator_w / (inverter.count * unit.output_v))
    if generator_w > ac_input_limit_w + 1e-9:
        warnings.append(
            f"The generator can deliver {generator_w / 1000:.1f} kW but the inverter/chargers "
            f"accept at most {ac_input_limit_w / 1000:.1f} kW on their AC input "
            f"({inverter.count} x {unit.ac_input_current_a:g} A x {unit.output_v:g} V); the "
            "rest of the generator stays unused.")
    if generator_w < peak_w + charge_power_w - 1e-9:
        warnings.append(
            f"The generator's {generator_w / 1000:.1f} kW is less than the peak load plus the "
            f"chargers' full charge power ({(peak_w + charge_power_w) / 1000:.1f} kW). Set the "
            f"inverter/chargers' AC input current limit to {setting_a:.0f} A so they reduce "
            "charging instead of overloading the generator.")
    return InverterCheck(
        continuous_w_25c=inverter.continuous_w, continuous_w_hot=inverter.continuous_w_hot,
        design_high_c=inverter.design_high_c, peak_load_w=peak_w, surge_w=inverter.surge_w,
        startup=startup, ac_input_limit_w=ac_input_limit_w, generator_w=generator_w,
        charge_power_w=charge_power_w, input_current_setting_a=setting_a, warnings=warnings)
