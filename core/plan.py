"""The orchestrator: one call turns a project into a plan.

The wizard and the command line both call :func:`make_plan`, so a PDF made
headless carries the same numbers as the one the wizard exports.

Electrical convention of the hourly simulation: energy is balanced on the AC
bus that feeds the racks. PV output after the MPPT controllers passes the
inverter (its efficiency applies once), the battery's round-trip efficiency is
split evenly between charge and discharge, and the generator feeds the AC bus
directly. The inverter/chargers' idle draw is part of the always-on load.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from core import __version__
from core.battery import BatteryConfig
from core.bom import BillOfMaterials
from core.cables import CableSchedule, size_dc_cables
from core.catalog import queries
from core.catalog.db import session_scope
from core.dispatch import SimulationResult
from core.errors import ConfiguratorError, InputError
from core.generator import GeneratorConfig
from core.hardware import WorkloadChoice, choose_hardware
from core.loadprofile import LoadProfile, build_load_profile
from core.project import Project, validate_project
from core.pv import PVArrayConfig, monthly_poa_kwh_m2_per_day, pv_output_kw_per_kwp
from core.rackplan import (
    INVERTER_OUTPUT_V_RANGE,
    RackPlan,
    plan_racks,
    supply_is_three_phase,
)
from core.search import Candidate, EconomicSettings, search_designs
from core.sizing import QuickSizing, quick_size
from core.system import (
    BatteryBankDesign,
    BatteryCheck,
    GeneratorDesign,
    InverterCheck,
    InverterDesign,
    PVArrayDesign,
    check_battery_bank,
    check_inverter,
    design_battery_bank,
    design_generator,
    design_inverter,
    design_pv_array,
    server_startup_load,
)
from core.synthetic import METHOD_SOURCE, synthetic_year_for_site
from core.weather import WeatherYear, read_weather

logger = logging.getLogger(__name__)

# Inverter efficiency applied to PV energy on its way to the AC bus (PVWatts
# nominal inverter efficiency is 96 %; off-grid inverter/chargers publish
# 93-96 % maximum, so 0.94 is used for the whole load range).
INVERTER_EFFICIENCY = 0.94
CYCLE_CHARGING_SETPOINT_SOC = 0.80
# A typical 42U enclosed rack; the catalog has no rack rows yet.
RACK_DESCRIPTION = "42U enclosed rack, 600 x 1070 mm, with blanking panels"

ProgressCallback = Callable[[int, str], None]


@dataclass
class Assumption:
    """One assumption of the plan with the source it rests on."""

    topic: str
    text: str
    source: str


@dataclass
class Plan:
    """Everything computed for one project: hardware, loads, energy system, racks and costs."""

    project: Project
    weather: WeatherYear
    choices: list[WorkloadChoice]
    load: LoadProfile
    pv_kw_per_kwp: np.ndarray
    psh_by_month: np.ndarray
    quick: QuickSizing
    pv_array: PVArrayDesign
    battery_bank: BatteryBankDesign
    inverter: InverterDesign
    generator: GeneratorDesign
    simulation: SimulationResult
    candidates: list[Candidate]
    rack_plan: RackPlan
    bom: BillOfMaterials
    design_low_c: float
    design_high_c: float
    warnings: list[str] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)
    catalog_version: str = ""
    program_version: str = __version__
    # Every server at full load at once, with auxiliary load, cooling and
    # inverter idle draw [kW]; inverters, battery currents and the generator
    # are sized on it.
    design_peak_kw: float = 0.0
    battery_check: BatteryCheck | None = None
    inverter_check: InverterCheck | None = None
    cables: CableSchedule | None = None

    @property
    def battery_usable_kwh(self) -> float:
        bank = self.battery_bank
        return bank.nominal_kwh * (1.0 - self.project.targets.battery_soc_min)

    @property
    def annual_fuel_cost(self) -> float:
        return self.simulation.fuel_l * self.project.site.fuel_price_per_l

    @property
    def worst_month(self) -> int:
        """Index (0-11) of the month with the highest ratio of load to peak sun hours."""
        return int(self.quick.worst_month)

    @property
    def best_month(self) -> int:
        ratio = self.load.daily_load_kwh_by_month() / np.maximum(self.psh_by_month, 1e-6)
        return int(np.argmin(ratio))

    def headline(self) -> dict[str, float]:
        """Return the headline figures with units in the keys."""
        sim = self.simulation
        return {
            "daily_load_kwh": self.load.daily_load_kwh,
            "peak_load_kw": self.design_peak_kw,
            "pv_kwp": self.pv_array.kwp,
            "battery_usable_kwh": self.battery_usable_kwh,
            "battery_nominal_kwh": self.battery_bank.nominal_kwh,
            "generator_kw": self.generator.rated_kw,
            "annual_fuel_l": sim.fuel_l,
            "annual_fuel_cost": self.annual_fuel_cost,
            "generator_hours": sim.generator_hours,
            "unmet_load_kwh": sim.unmet_kwh,
            "renewable_fraction": sim.renewable_fraction,
            "capital_cost": self.bom.total,
            "energy_net_present_cost": self.candidates[0].costs.net_present_cost,
            "levelized_cost_per_kwh": self.candidates[0].costs.levelized_cost_per_kwh,
        }


def load_catalog(engine: Engine) -> dict[str, dict[str, Any]]:
    """Read every catalog table into dictionaries of detached rows by key."""
    with session_scope(engine) as session:
        tables = {
            "accelerators": queries.list_accelerators(session),
            "servers": queries.list_servers(session),
            "pv_modules": queries.list_pv_modules(session),
            "batteries": queries.list_battery_modules(session),
            "inverters": queries.list_inverter_chargers(session),
            "charge_controllers": queries.list_charge_controllers(session),
            "generators": queries.list_generators(session),
            "pdus": queries.list_pdus(session),
            "llm_models": queries.list_llm_architectures(session),
            "workloads": queries.list_workload_presets(session),
        }
        session.expunge_all()
    return {name: {row.key: row for row in rows} for name, rows in tables.items()}


def _report(progress: ProgressCallback | None, percent: int, message: str) -> None:
    logger.info("Plan: %s", message)
    if progress is not None:
        progress(percent, message)


def make_plan(project: Project, engine: Engine, project_dir: Path | None = None,
              progress: ProgressCallback | None = None,
              weather: WeatherYear | None = None) -> Plan:
    """Turn ``project`` into a plan using the catalog behind ``engine``.

    ``project_dir`` resolves a relative weather path. ``progress`` receives
    (percent, message) between steps. A ``weather`` already read can be passed
    to skip reading the file again.
    """
    validate_project(project)
    site = project.site
    targets = project.targets

    _report(progress, 5, "Reading the catalog")
    catalog = load_catalog(engine)
    check_catalog_keys(project, catalog)
    price_warnings, unpriced_keys = convert_catalog_prices(catalog, project.info.currency,
                                                           project.info.exchange_rates)

    _report(progress, 10, "Reading the weather file")
    if weather is None:
        weather = site_weather_year(project, project_dir)
    design_low_c = site.record_low_c if site.record_low_c is not None else weather.record_low_c
    design_high_c = (site.record_high_c if site.record_high_c is not None
                     else weather.record_high_c)

    _report(progress, 20, "Choosing accelerators and servers")
    choices = [choose_hardware(workload, catalog, targets.rank_hardware_by)
               for workload in project.workloads]
    warnings: list[str] = []
    for choice in choices:
        warnings.extend(choice.warnings)
    unserved = [choice for choice in choices if choice.chosen is None]
    if unserved:
        # Sizing the energy system without a workload would quietly undersize it.
        raise ConfiguratorError(" ".join(
            f"Workload '{choice.workload.name}': {choice.reason}" for choice in unserved)
            + " Relax its latency or size targets, or add hardware to the catalog.")

    _report(progress, 35, "Building the hourly load profile")
    load = build_load_profile(choices, weather.temp_air_c, site.site_auxiliary_w,
                              site.cooling_cop, site.free_cooling_below_c)

    _report(progress, 45, "Computing PV output with pvlib")
    pv_config = PVArrayConfig(tilt_deg=site.pv_tilt_deg, azimuth_deg=site.pv_azimuth_deg,
                              tracking=site.pv_tracking)
    pv_kw_per_kwp = pv_output_kw_per_kwp(weather, pv_config) * INVERTER_EFFICIENCY
    psh_by_month = monthly_poa_kwh_m2_per_day(weather, pv_config)

    _report(progress, 55, "Sizing by the worst-month method")
    design_peak_kw = coincident_peak_kw(choices, load, site.cooling_cop)
    inverter = design_inverter(design_peak_kw, list(catalog["inverters"].values()),
                               supply_is_three_phase(site.ac_system), design_high_c,
                               INVERTER_OUTPUT_V_RANGE[site.ac_system], site.ac_frequency_hz)
    inverter_idle_kw = inverter.idle_w / 1000.0
    load.always_on_kw = load.always_on_kw + inverter_idle_kw
    load.auxiliary_kw = load.auxiliary_kw + inverter_idle_kw
    design_peak_kw += inverter_idle_kw
    battery_module_rte = _typical_battery_rte(catalog)
    quick = quick_size(
        load.daily_load_kwh_by_month(), psh_by_month, design_peak_kw,
        autonomy_days=targets.autonomy_days,
        performance_ratio=targets.performance_ratio,
        battery_dod=1.0 - targets.battery_soc_min,
        battery_round_trip_efficiency=battery_module_rte,
        generator_target_loading=targets.generator_target_loading,
    )

    _report(progress, 65, "Choosing PV modules, battery modules and the generator")
    pv_array = design_pv_array(quick.pv_kwp, list(catalog["pv_modules"].values()),
                               list(catalog["charge_controllers"].values()),
                               design_low_c, design_high_c)
    charge_kw = pv_array.kwp  # the battery must absorb the array's full output at noon
    battery_bank = design_battery_bank(quick.battery_nominal_kwh,
                                       list(catalog["batteries"].values()),
                                       design_peak_kw, charge_kw)
    generator_units = generators_for_site(list(catalog["generators"].values()), site)
    generator = design_generator(quick.generator_kw, generator_units,
                                 site.fuel, site.elevation_m, design_high_c)

    _report(progress, 72, "Simulating candidate designs hour by hour")
    module = battery_bank.module

    def make_battery(bank: BatteryBankDesign) -> BatteryConfig:
        return BatteryConfig(
            nominal_kwh=bank.nominal_kwh,
            max_charge_kw=bank.max_charge_kw,
            max_discharge_kw=min(bank.max_discharge_kw, inverter.continuous_w / 1000.0),
            soc_min=targets.battery_soc_min,
            soc_max=module.soc_max or 1.0,
            round_trip_efficiency=module.round_trip_efficiency,
            initial_soc=module.soc_max or 1.0,
            charge_temp_min_c=module.charge_temp_min_c,
        )

    unit = generator.unit
    generator_config = GeneratorConfig(
        rated_kw=unit.prime_kw * generator.derate_factor,
        fuel_f0_l_per_h_per_kw=unit.fuel_f0_l_per_h_per_kw,
        fuel_f1_l_per_h_per_kw=unit.fuel_f1_l_per_h_per_kw,
        min_load_ratio=max(targets.generator_min_load_ratio, unit.min_load_ratio or 0.0),
        count=generator.count,
    )
    battery_temp_c = np.full_like(weather.temp_air_c, site.battery_room_temp_c)
    simulate_kwargs = {
        "strategy": targets.dispatch_strategy,
        "setpoint_soc": CYCLE_CHARGING_SETPOINT_SOC,
        "battery_temp_c": battery_temp_c,
        "max_generator_loading": targets.generator_target_loading,
    }
    economics = EconomicSettings(
        project_life_years=targets.project_life_years,
        discount_rate=targets.discount_rate,
        fuel_price_per_l=site.fuel_price_per_l,
        fuel_escalation_rate=targets.fuel_escalation_rate,
    )
    # The bank must carry the peak load and hold the days of autonomy the
    # project requests, so the search starts there and only goes up.
    min_parallel = max(_min_parallel_for_power(battery_bank, design_peak_kw),
                       _min_parallel_for_autonomy(battery_bank, quick.battery_nominal_kwh))
    candidates = search_designs(
        pv_array, battery_bank, inverter, generator, pv_kw_per_kwp, load.always_on_kw,
        load.deferrable_jobs, make_battery, generator_config, simulate_kwargs, economics,
        targets.max_unmet_fraction, min_parallel,
        generator_units=generator_units, peak_load_kw=design_peak_kw,
        generator_min_load_ratio=targets.generator_min_load_ratio)
    best = candidates[0]
    pv_array, battery_bank, simulation = best.pv_array, best.battery_bank, best.simulation
    generator = best.generator

    _report(progress, 88, "Planning racks, PDUs and circuits")
    rack_plan = plan_racks(choices, list(catalog["pdus"].values()), site.ac_system,
                           targets.psu_redundancy, site.cooling_cop)
    warnings.extend(rack_plan.warnings)
    battery_check, inverter_check, cables = _electrical_checks(
        project, choices, catalog["servers"], pv_array, battery_bank, inverter, generator,
        design_peak_kw, rack_plan, design_high_c)
    warnings.extend(battery_check.warnings + inverter_check.warnings)

    _report(progress, 94, "Pricing the bill of materials")
    bom = _build_bom(project, catalog, choices, pv_array, battery_bank, inverter, generator,
                     rack_plan)
    warnings.extend(bom.warnings)

    warnings.extend(_weather_source_warnings(project, weather))
    warnings.extend(_site_warnings(project, weather, inverter, generator))
    if weather.source_format == "synthetic" and site.record_low_c is None:
        warnings.append(
            f"The PV strings are checked at {design_low_c:.1f} °C, the coldest hour of a synthetic "
            "year built from monthly means; enter the site's record low on the Site page so the "
            "cold string voltage is checked at a real cold night.")
    warnings.extend(_energy_warnings(project, load, simulation, generator, design_low_c,
                                     module, site.battery_room_temp_c))
    plan = Plan(
        project=project,
        weather=weather,
        choices=choices,
        load=load,
        pv_kw_per_kwp=pv_kw_per_kwp,
        psh_by_month=psh_by_month,
        quick=quick,
        pv_array=pv_array,
        battery_bank=battery_bank,
        inverter=inverter,
        generator=generator,
        simulation=simulation,
        candidates=candidates,
        rack_plan=rack_plan,
        bom=bom,
        design_low_c=design_low_c,
        design_high_c=design_high_c,
        warnings=warnings,
        catalog_version=_catalog_version(engine),
        design_peak_kw=design_peak_kw,
        battery_check=battery_check,
        inverter_check=inverter_check,
        cables=cables,
    )
    plan.assumptions = _assumptions(plan, pv_config, price_warnings)
    # A missing rate matters only where the bill of materials lost a price to it.
    if any(line.key in unpriced_keys for line in plan.bom.lines):
        plan.warnings.extend(price_warnings)
    _report(progress, 100, "Plan ready")
    return plan


def _electrical_checks(project: Project, choices: list[WorkloadChoice],
                       server_rows: dict[str, Any], pv_array: PVArrayDesign,
                       bank: BatteryBankDesign, inverter: InverterDesign,
                       generator: GeneratorDesign, peak_load_kw: float, rack_plan: RackPlan,
                       design_high_c: float) -> tuple[BatteryCheck, InverterCheck, CableSchedule]:
    """Check the chosen system's currents, start-up surge and generator input; size DC cables."""
    site = project.site
    groups = [choice.chosen.servers for choice in choices
              if choice.chosen is not None and choice.chosen.servers is not None]
    servers = [(server_rows[group.server_key], max(group.power.psu_count, 1))
               for group in groups for _ in range(group.server_count)]
    voltage_v = rack_plan.racks[0].circuits[0].voltage_v if rack_plan.racks[0].circuits else (
        inverter.unit.output_v)
    startup = server_startup_load(servers, voltage_v)
    battery_check = check_battery_bank(bank, pv_array, inverter, peak_load_kw)
    inverter_check = check_inverter(inverter, peak_load_kw, startup, generator)
    cables = size_dc_cables(pv_array, bank, inverter, site.pv_cable_length_m,
                            site.controller_battery_cable_length_m,
                            site.battery_inverter_cable_length_m, design_high_c,
                            site.battery_room_temp_c)
    return battery_check, inverter_check, cables


def convert_catalog_prices(catalog: dict[str, dict[str, Any]], currency: str,
                           rates: dict[str, float]) -> tuple[list[str], set[str]]:
    """Put every catalog price into the project currency, in place on the detached rows.

    A price in another currency is converted at ``rates[its currency]``, in
    units of the project currency per unit of the other. Without a rate the
    price is dropped, so capital cost, the design search and the bill of
    materials all leave it out alike. Returns one warning per missing rate and
    the keys of the rows whose price was dropped.
    """
    missing: dict[str, int] = {}
    dropped: set[str] = set()
    for rows in catalog.values():
        for row in rows.values():
            price = getattr(row, "price", None)
            row_currency = getattr(row, "price_currency", None) or currency
            if price is None or row_currency == currency:
                continue
            rate = rates.get(row_currency)
            if rate is None:
                missing[row_currency] = missing.get(row_currency, 0) + 1
                dropped.add(row.key)
                row.price = None
                continue
            row.price = price * rate
            row.price_currency = currency
            row.price_basis = (f"{row.price_basis or 'price'}, converted from {row_currency} at "
                               f"{rate:g}")
    return [
        f"{count} catalog price{'s are' if count > 1 else ' is'} in {code} and the project uses "
        f"{currency}; enter the rate (1 {code} = ? {currency}) on the Project page, or "
        f"{'they stay' if count > 1 else 'it stays'} out of every cost."
        for code, count in sorted(missing.items())
    ], dropped


def generators_for_site(units: list[Any], site: Any) -> list[Any]:
    """Return the generators of the site's fuel and mains frequency.

    When the catalog has none at that frequency, every unit of the fuel is
    returned and the plan warns about the frequency of the one it picks.
    """
    of_fuel = [unit for unit in units if unit.fuel == site.fuel]
    matching = [unit for unit in of_fuel
                if unit.frequency_hz is None or unit.frequency_hz == site.ac_frequency_hz]
    return matching or of_fuel


def check_catalog_keys(project: Project, catalog: dict[str, dict[str, Any]]) -> None:
    """Raise InputError when a workload names a model, accelerator or server the catalog lacks."""

    def check(field_name: str, key: str, table: str) -> None:
        if key and key not in catalog[table]:
            known = sorted(catalog[table])
            shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            raise InputError(field_name, key, f"a key of the catalog table {table}: {shown}")

    for index, workload in enumerate(project.workloads):
        label = f"Workload {index + 1} ('{workload.name}')"
        check(f"{label} > accelerator override", workload.accelerator_override, "accelerators")
        check(f"{label} > server override", workload.server_override, "servers")
        if workload.kind == "llm" and workload.llm is not None:
            check(f"{label} > model", workload.llm.model, "llm_models")
        if workload.kind == "batch" and workload.batch is not None:
            check(f"{label} > reference accelerator", workload.batch.reference_accelerator,
                  "accelerators")
            check(f"{label} > batch model", workload.batch.model, "llm_models")


def coincident_peak_kw(choices: list[WorkloadChoice], load: LoadProfile,
                       cooling_cop: float) -> float:
    """Return the load with every server at full utilization at once [kW].

    This is the rack plan's peak plus the auxiliary load and, where any hour
    needs the compressor, the cooling of that IT peak. The hourly profile's own
    peak is lower, because it averages each hour and follows the schedules.
    """
    it_peak_kw = sum(choice.chosen.peak_wall_w for choice in choices
                     if choice.chosen is not None) / 1000.0
    cooling_kw = it_peak_kw / cooling_cop if load.cooling_kw.max() > 0 else 0.0
    return max(it_peak_kw + cooling_kw + float(load.auxiliary_kw.max()), load.peak_load_kw)


def _min_parallel_for_autonomy(bank: BatteryBankDesign, nominal_kwh: float) -> int:
    """Return the fewest parallel strings that hold ``nominal_kwh`` (the days of autonomy)."""
    string_kwh = bank.series * bank.module.energy_kwh
    return max(1, math.ceil(nominal_kwh / string_kwh - 1e-9))


def site_weather_year(project: Project, project_dir: Path | None) -> WeatherYear:
    """Read the site's weather file, or build a synthetic year from its monthly table.

    The weather file wins when both are given. Raises InputError when the site
    has neither.
    """
    site = project.site
    if site.weather_file.strip():
        return read_weather(project.resolve_weather_path(project_dir))
    if site.has_monthly_table:
        return synthetic_year_for_site(site)
    raise InputError("Site > weather", "neither a weather file nor monthly averages",
                     "a weather file (TMY3, TMY2, EPW, PVGIS, NSRDB or hourly CSV) or the 12 monthly GHI values and mean "
                     "temperatures; choose a weather file or fill the monthly table")


def _weather_source_warnings(project: Project, weather: WeatherYear) -> list[str]:
    site = project.site
    if weather.source_format == "synthetic" or not site.has_monthly_table:
        return []
    return [f"The site has both a weather file and a monthly table; the plan uses the weather "
            f"file {Path(weather.source_path).name} and not the table."]


# Farther than this, the weather file describes another climate.
MAX_STATION_DISTANCE_KM = 50.0


def _distance_km(lat1_deg: float, lon1_deg: float, lat2_deg: float, lon2_deg: float) -> float:
    """Great-circle distance on a sphere of radius 6371 km (haversine formula)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    half_chord = (math.sin((lat2 - lat1) / 2) ** 2
                  + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(half_chord, 1.0)))


def _site_warnings(project: Project, weather: WeatherYear, inverter: InverterDesign,
                   generator: GeneratorDesign) -> list[str]:
    site = project.site
    warnings = []
    distance_km = _distance_km(site.latitude_deg, site.longitude_deg, weather.latitude_deg,
                               weather.longitude_deg)
    if distance_km > MAX_STATION_DISTANCE_KM:
        warnings.append(
            f"The site ({site.latitude_deg:.3f}°, {site.longitude_deg:.3f}°) is "
            f"{distance_km:,.0f} km from the weather station {weather.station_name} "
            f"({weather.latitude_deg:.3f}°, {weather.longitude_deg:.3f}°). The solar model uses "
            "the station's position and data; use a weather file for the site.")
    low_v, high_v = INVERTER_OUTPUT_V_RANGE[site.ac_system]
    inverter_v = inverter.unit.output_v
    inverter_hz = inverter.unit.output_hz
    if (inverter_v and not low_v <= inverter_v <= high_v) or (
            inverter_hz and inverter_hz != site.ac_frequency_hz):
        warnings.append(
            f"{inverter.unit.name} puts out {inverter_v:g} V {inverter_hz:g} Hz, but the AC "
            f"system is {site.ac_system} at {site.ac_frequency_hz} Hz; the catalog has no unit "
            "that matches and carries the load, so choose one or check that the servers, PDUs "
            "and generator accept it.")
    generator_hz = getattr(generator.unit, "frequency_hz", None)
    if generator_hz and generator_hz != site.ac_frequency_hz:
        warnings.append(
            f"{generator.unit.name} runs at {generator_hz} Hz and the site at "
            f"{site.ac_frequency_hz} Hz: while it carries the load through the inverter/chargers' "
            "transfer switch the racks see its frequency. Order the set for the site's frequency.")
    generator_v = getattr(generator.unit, "voltage_v", None)
    if generator_v and not low_v * 0.9 <= generator_v <= high_v * 1.1:
        warnings.append(
            f"{generator.unit.name} is rated {generator_v:g} V, the AC system is "
            f"{site.ac_system}; the inverter/charger's AC input must accept it.")
    return warnings


def _min_parallel_for_power(bank: BatteryBankDesign, peak_load_kw: float) -> int:
    """Return the fewest parallel strings whose discharge rating carries the peak load."""
    per_string_kw = bank.module.max_discharge_a * bank.bus_v / 1000.0
    return max(1, math.ceil(peak_load_kw / per_string_kw))


def _typical_battery_rte(catalog: dict[str, dict[str, Any]]) -> float:
    values = [row.round_trip_efficiency for row in catalog["batteries"].values()
              if row.round_trip_efficiency]
    return float(np.median(values)) if values else 0.92


def _catalog_version(engine: Engine) -> str:
    try:
        with session_scope(engine) as session:
            info = queries.get_catalog_info(session)
            return f"schema {info.schema_version}, seed data {info.seed_version[:12]}"
    except ConfiguratorError:
        return ""


def _build_bom(project: Project, catalog: dict[str, dict[str, Any]],
               choices: list[WorkloadChoice], pv_array: PVArrayDesign,
               battery_bank: BatteryBankDesign, inverter: InverterDesign,
               generator: GeneratorDesign, rack_plan: RackPlan) -> BillOfMaterials:
    bom = BillOfMaterials(currency=project.info.currency)
    for choice in choices:
        option = choice.chosen
        if option is None or option.servers is None:
            continue
        group = option.servers
        server_row = catalog["servers"][group.server_key]
        bom.add("Compute", server_row, group.server_count,
                f"{group.server_name} for '{choice.workload.name}'")
        if option.form_factor != "embedded":
            accel_row = catalog["accelerators"][option.accelerator_key]
            bom.add("Compute", accel_row, option.accelerator_count,
                    f"{option.accelerator_name} for '{choice.workload.name}'")
        if option.nvlink_bridges:
            bom.add_unpriced("Compute", "nvlink-bridge",
                             f"NVLink bridge for {option.accelerator_name} pairs",
                             option.nvlink_bridges)
    bom.add("Solar", pv_array.module, pv_array.module_count)
    bom.add("Solar", pv_array.controller, pv_array.controllers)
    bom.add("Storage", battery_bank.module, battery_bank.module_count)
    bom.add("Power conversion", inverter.unit, inverter.count)
    bom.add("Generator", generator.unit, generator.count)
    pdus: dict[str, tuple[Any, int]] = {}
    for rack in rack_plan.racks:
        for circuit in rack.circuits:
            row, count = pdus.get(circuit.pdu.key, (circuit.pdu, 0))
            pdus[circuit.pdu.key] = (row, count + 1)
    for row, count in pdus.values():
        bom.add("Rack power", row, count)
    bom.add_unpriced("Racks", "rack-42u", RACK_DESCRIPTION, len(rack_plan.racks))

    # DC protection the single-line diagram implies; the catalog has no rows for it yet.
    bom.add_unpriced("DC protection", "dc-busbar",
                     "DC busbar with main battery disconnect, rated for the battery-to-inverter "
                     "current", 1)
    bom.add_unpriced("DC protection", "battery-string-fuse",
                     f"Battery fuse, one per parallel string of {battery_bank.module.name}",
                     battery_bank.parallel)
    bom.add_unpriced("DC protection", "pv-disconnect",
                     "PV DC disconnect with string fuses, one per charge controller",
                     pv_array.controllers)
    return bom


def _energy_warnings(project: Project, load: LoadProfile, simulation: SimulationResult,
                     generator: GeneratorDesign, design_low_c: float, battery_module: Any,
                     battery_room_temp_c: float) -> list[str]:
    warnings = []
    targets = project.targets
    if simulation.load_kwh > 0:
        unmet_fraction = simulation.unmet_kwh / simulation.load_kwh
        if unmet_fraction > targets.max_unmet_fraction + 1e-9:
            warnings.append(
                f"Unmet load is {simulation.unmet_kwh:.0f} kWh per year "
                f"({unmet_fraction:.2%}), above the target of "
                f"{targets.max_unmet_fraction:.2%}.")
    if simulation.deferrable_missed_kwh > 0:
        warnings.append(
            f"Batch work of {simulation.deferrable_missed_kwh:.0f} kWh per year could not finish "
            f"before its deadline ({simulation.missed_windows} missed windows).")
    if generator.derate_factor < 1.0:
        warnings.append(
            f"Generator output derated to {generator.derate_factor:.0%} for altitude "
            f"({project.site.elevation_m:.0f} m) and heat.")
    if battery_room_temp_c < battery_module.charge_temp_min_c:
        warnings.append(
            f"The battery room at {battery_room_temp_c:g} °C is below the "
            f"{battery_module.charge_temp_min_c:g} °C minimum charge temperature of "
            f"{battery_module.name}; the simulation blocks charging until it is heated.")
    if generator.rated_kw * generator.derate_factor < load.peak_load_kw:
        warnings.append("The generator cannot carry the peak load alone.")
    if math.isfinite(design_low_c) and design_low_c < -20:
        warnings.append(
            f"Design low of {design_low_c:g} °C: check that the battery room stays heated "
            "and that the generator has a block heater.")
    return warnings


def _assumptions(plan: Plan, pv_config: PVArrayConfig,
                 price_notes: list[str] | None = None) -> list[Assumption]:
    project = plan.project
    targets = project.targets
    weather = plan.weather
    site = project.site
    generator_unit = plan.generator.unit
    items = [
        Assumption("Time base",
                   "Hourly series of 8760 values in local standard time, each labelled by the "
                   "start of its hour, without daylight saving time and without 29 February. "
                   "TMY3 and EPW values labelled at the end of the hour are shifted back one "
                   "hour.", "NSRDB TMY3 user manual (NREL/TP-581-43156)"),
        _weather_assumption(weather),
        Assumption("PV model",
                   f"{_mounting_text(pv_config)}; "
                   f"pvlib solar position at mid-hour, {pv_config.transposition_model} "
                   f"transposition, SAPM cell temperature ({pv_config.temperature_model}), "
                   f"PVWatts DC model with {pv_config.gamma_pdc_per_c * 100:.2f} %/°C, "
                   f"{pv_config.losses_pct:.2f} % system losses, MPPT efficiency "
                   f"{pv_config.mppt_efficiency:.0%}, inverter efficiency "
                   f"{INVERTER_EFFICIENCY:.0%}.",
                   "pvlib-python; NREL PVWatts Version 5 Manual (Dobos 2014)"),
        Assumption("Worst-month sizing",
                   f"PV = daily load / (worst-month peak sun hours x performance ratio "
                   f"{targets.performance_ratio:g}); battery = daily load x "
                   f"{targets.autonomy_days:g} days of autonomy / discharge efficiency, over "
                   f"a usable window of {1 - targets.battery_soc_min:.0%}.",
                   "Standard off-grid hand method (worst-month energy balance)"),
        Assumption("Battery",
                   f"{plan.battery_bank.module.name}: round-trip efficiency "
                   f"{plan.battery_bank.module.round_trip_efficiency:.0%} split evenly between "
                   f"charge and discharge; state of charge kept from {targets.battery_soc_min:.0%} "
                   f"to {(plan.battery_bank.module.soc_max or 1.0):.0%}; battery room at "
                   f"{site.battery_room_temp_c:g} °C.",
                   "HOMER battery throughput model; " + (plan.battery_bank.module.source or "")),
        Assumption("Generator fuel",
                   f"F = F0 x rated kW + F1 x output kW with F0 "
                   f"{generator_unit.fuel_f0_l_per_h_per_kw:.3f} and F1 "
                   f"{generator_unit.fuel_f1_l_per_h_per_kw:.3f} L/h/kW; minimum load "
                   f"{max(targets.generator_min_load_ratio, generator_unit.min_load_ratio or 0):.0%}"
                   f"; dispatch {targets.dispatch_strategy.replace('_', ' ')}.",
                   generator_unit.fuel_curve_source or generator_unit.source or ""),
        Assumption("Generator derating",
                   "-3 % per 500 m above 1000 m and -3 % per 5 °C above 40 °C.",
                   "Wacker Neuson G 2.5A / Stamford alternator derating rules"),
        Assumption("LLM sizing",
                   "Weights = parameters x bits per weight; KV cache per token = 2 x layers x "
                   "KV heads x head size x 2 bytes; decode time from memory bandwidth at 60 % "
                   "efficiency, time to first token from dense compute at 50 %; 90 % of "
                   "accelerator memory usable.",
                   "Measured decode at 52-83 % of the bandwidth roofline (NVIDIA NIM, vLLM)"),
        Assumption("Vision sizing",
                   "Frames/s x GFLOP per frame against dense INT8 (else FP16) compute at 10 % "
                   "efficiency.", "Published batch-1 TensorRT runs reach 5-25 % of dense peak"),
        Assumption("Server power",
                   "Accelerator power rises linearly from loaded idle to TDP with utilization; "
                   "platform power from idle to active likewise; PSU efficiency from the 80 PLUS "
                   "curve at each supply's share of the load.",
                   "80 PLUS programme requirements"),
        Assumption("Cooling",
                   f"IT heat removed at COP {site.cooling_cop:g} when the outside air is at or "
                   f"above {site.free_cooling_below_c:g} °C, by filtered outside air below.",
                   "Engineering estimate; adjust to the site's cooling design"),
        Assumption("Rack power",
                   "Branch circuits loaded to at most 80 % of the breaker for continuous load; "
                   f"PSU redundancy {targets.psu_redundancy}; 1 W = 3.412 BTU/h.",
                   "NEC 210.20(A); ASHRAE unit conversion"),
        Assumption("Prices",
                   f"Indicative prices in {project.info.currency} from the catalog with the "
                   "date they were seen; lines without a price need a quote and are not in the "
                   "total. " + " ".join(price_notes or []), "Catalog price columns"),
        Assumption("Design temperatures",
                   f"Design low {plan.design_low_c:.1f} °C and high {plan.design_high_c:.1f} "
                   "°C " + _design_temperature_basis(site, plan.weather),
                   "NEC 690.7 string voltage at the lowest expected temperature"),
    ]
    return items


def _weather_assumption(weather: WeatherYear) -> Assumption:
    if weather.source_format == "synthetic":
        return Assumption("Weather",
                          f"{weather.station_name}: a synthetic hourly year built from the "
                          "site's 12 monthly averages, because no weather file was given. "
                          + " ".join(weather.notes),
                          METHOD_SOURCE)
    return Assumption("Weather",
                      f"{weather.station_name}: {weather.source_format} file "
                      f"{Path(weather.source_path).name}. " + " ".join(weather.notes),
                      "Typical meteorological year")


def _design_temperature_basis(site: Any, weather: WeatherYear) -> str:
    if site.record_low_c is not None:
        return "as entered."
    if weather.source_format == "synthetic":
        return ("from the synthetic year, whose days only swing between the monthly mean "
                "minimum and maximum, so the design low is far milder than a real cold night; "
                "enter the site's record low.")
    return ("from the weather file's hourly extremes; a typical year is milder than the "
            "record, so enter the site's record low where known.")


def _mounting_text(config: PVArrayConfig) -> str:
    if config.tracking == "single_axis":
        return (f"single-axis tracker, axis tilt {config.tilt_deg:g}° and azimuth "
                f"{config.azimuth_deg:g}°, rotation limit ±{config.max_angle_deg:g}°, "
                f"backtracking at ground coverage ratio {config.gcr:g}")
    return (f"fixed tilt {config.tilt_deg:g}° facing azimuth {config.azimuth_deg:g}°, one row "
            "without row-to-row shading")


def plan_summary_text(plan: Plan) -> str:
    """Return the headline figures as aligned text lines for the command line."""
    head = plan.headline()
    currency = plan.project.info.currency
    rows = [
        ("Daily load", f"{head['daily_load_kwh']:.1f} kWh"),
        ("Peak load", f"{head['peak_load_kw']:.2f} kW"),
        ("PV array", f"{head['pv_kwp']:.2f} kWp"),
        ("Battery usable / nominal",
         f"{head['battery_usable_kwh']:.1f} / {head['battery_nominal_kwh']:.1f} kWh"),
        ("Generator", f"{head['generator_kw']:.1f} kW"),
        ("Annual fuel", f"{head['annual_fuel_l']:.0f} L"),
        ("Generator hours", f"{head['generator_hours']:.0f} h"),
        ("Unmet load", f"{head['unmet_load_kwh']:.1f} kWh"),
        ("Renewable fraction", f"{head['renewable_fraction']:.0%}"),
        ("Capital cost", f"{head['capital_cost']:,.0f} {currency}"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)
