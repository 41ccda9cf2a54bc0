"""The proposal as a plain report object: sections of text, tables and chart data.

:func:`build_report` turns a :class:`core.plan.Plan` into a :class:`Report`.
Every number is formatted here, with its unit in the table header or beside
the value, so a writer (the PDF in :mod:`core.report.pdf`, or a test) only lays
the strings out. The project's ``info.units`` picks metric or imperial display
(:class:`UnitFormat`); heat always shows BTU/h beside W, and the values inside
the plan stay SI.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

import numpy as np

from core import cables as cable_rules
from core.daily import average_day
from core.drawings import Diagram, RackItem, SingleLineText, rack_elevation, single_line_diagram
from core.errors import InputError
from core.plan import Plan
from core.rackplan import CONTINUOUS_LOAD_LIMIT, RACK_UNITS, Rack
from core.search import cost_fuel_front
from core.sizing import MONTH_NAMES
from core.system import (
    DC_BUS_CHARGE_V,
    DC_BUS_LOW_V,
    MPPT_START_MARGIN_V,
    NEC_PV_ISC_FACTOR,
    PSU_INRUSH_ESTIMATE_A,
    string_window,
)
from core.units import (
    LITRES_PER_US_GALLON,
    MONTH_OF_HOUR,
    celsius_to_fahrenheit,
    litres_to_us_gallons,
    metres_to_feet,
    w_to_btu_per_h,
)

REPORT_TITLE = "Off-grid AI site proposal"
QUOTE_NEEDED = "quote needed"

# Section titles, in order; the PDF writer numbers them.
HEADLINE = "Headline figures"
WORKLOADS = "Workloads and hardware"
RACKS = "Rack power plan"
ENERGY = "Energy system"
WIRING = "Single-line diagram, DC cables and rack elevations"
FUEL = "Annual fuel"
BOM = "Bill of materials"
ASSUMPTIONS = "Assumptions and sources"
WARNINGS = "Warnings"
SECTION_TITLES = (HEADLINE, WORKLOADS, RACKS, ENERGY, WIRING, FUEL, BOM, ASSUMPTIONS, WARNINGS)
UNIT_SYSTEMS = ("metric", "imperial")
# Width of the drawings [pt]: the A4 content width of the PDF writer.
DRAWING_WIDTH = 493.0

WORKLOAD_KIND_NAMES = {
    "llm": "language model serving",
    "vision": "vision pipeline",
    "trading": "low-latency trading",
    "batch": "deferrable batch job",
}


# --- the report object ------------------------------------------------------


@dataclass
class Text:
    """A paragraph of plain text (no markup); ``kind`` is "body", "heading", "note" or "warning"."""

    text: str
    kind: str = "body"


@dataclass
class Table:
    """A table of formatted strings with units in the header.

    ``widths`` are relative column widths and ``numeric`` marks the columns
    to right-align. The last ``total_rows`` rows are totals.
    """

    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    numeric: list[bool]
    title: str = ""
    total_rows: int = 0
    note: str = ""


@dataclass
class Series:
    """One data series of a chart; ``key`` names the quantity ("pv", "load", "soc" ...)."""

    key: str
    label: str
    values: np.ndarray
    axis: str = "left"


@dataclass
class Chart:
    """Numbers for one chart: a line chart over hours of the day or a monthly bar chart.

    ``kind`` is "daily" (series of shape (24,), one value per hour starting at
    hour 0, drawn as lines, with "right" series on a second axis) or
    "monthly" (series of shape (12,), January first, drawn as grouped bars).
    """

    kind: str
    title: str
    categories: list[str]
    x_label: str
    left_label: str
    series: list[Series]
    right_label: str = ""
    right_range: tuple[float, float] | None = None


@dataclass
class Figure:
    """A vector drawing built from plain geometry (:mod:`core.drawings`)."""

    title: str
    diagram: Diagram
    note: str = ""


Block = Text | Table | Chart | Figure


@dataclass
class Section:
    """One numbered section of the report with its blocks in reading order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Text]:
        return [block for block in self.blocks if isinstance(block, Text)]

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    @property
    def charts(self) -> list[Chart]:
        return [block for block in self.blocks if isinstance(block, Chart)]

    @property
    def figures(self) -> list[Figure]:
        return [block for block in self.blocks if isinstance(block, Figure)]

    def add_text(self, text: str, kind: str = "body") -> None:
        self.blocks.append(Text(text, kind))


@dataclass
class Report:
    """Cover fields and the sections of one proposal."""

    title: str
    project_name: str
    customer: str
    site_name: str
    site_location: str
    date: str
    author: str
    program_version: str
    catalog_version: str
    notes: str
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        """Return the section called ``title``; raises KeyError when there is none."""
        for section in self.sections:
            if section.title == title:
                return section
        raise KeyError(title)


# --- number formatting ------------------------------------------------------


def fmt(value: float | None, decimals: int = 0) -> str:
    """Format a number with thousands separators; None and NaN become an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞"
    text = f"{value:,.{decimals}f}"
    # "-0" and "-0.0" read as a sign error in a proposal.
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    return text


def fmt_sig(value: float, digits: int = 3) -> str:
    """Format a number to about ``digits`` significant digits without trailing zeros.

    Used for targets and latencies that span 0.005 ms to 2,000 ms.
    """
    if value == 0 or not math.isfinite(value):
        return fmt(value)
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(value)))), 0)
    text = fmt(value, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_pct(fraction: float, decimals: int = 0) -> str:
    """Format a fraction as a percentage with a space before the sign, e.g. "87 %"."""
    return f"{fmt(fraction * 100, decimals)} %"


def fmt_heat(power_w: float) -> str:
    """Format heat as "1,234 W (4,211 BTU/h)"."""
    return f"{fmt(power_w)} W ({fmt(w_to_btu_per_h(power_w))} BTU/h)"


def fmt_fuel(volume_l: float) -> str:
    """Format fuel as "1,234 L (326 US gal)"."""
    return f"{fmt(volume_l)} L ({fmt(litres_to_us_gallons(volume_l))} US gal)"


@dataclass
class UnitFormat:
    """Display units of one report: "metric", or "imperial" with the metric value in brackets."""

    system: str = "metric"

    @property
    def imperial(self) -> bool:
        return self.system == "imperial"

    def temperature(self, temp_c: float, decimals: int = 1) -> str:
        metric = f"{fmt(temp_c, decimals)} °C"
        if self.imperial:
            return f"{fmt(celsius_to_fahrenheit(temp_c), decimals)} °F ({metric})"
        return metric

    def length(self, length_m: float) -> str:
        metric = f"{fmt_sig(length_m)} m"
        if self.imperial:
            return f"{fmt(metres_to_feet(length_m))} ft ({metric})"
        return metric

    def elevation(self, elevation_m: float) -> str:
        if self.imperial:
            return f"{fmt(metres_to_feet(elevation_m))} ft ({fmt(elevation_m)} m)"
        return f"{fmt(elevation_m)} m"

    def cable(self, size_mm2: float, parallel: int = 1) -> str:
        awg, _ = cable_rules.awg_equivalent(size_mm2)
        metric = f"{fmt_sig(size_mm2)} mm²"
        text = f"{awg} ({metric})" if self.imperial else f"{metric} ({awg})"
        return f"{parallel} x {text} in parallel" if parallel > 1 else text

    def fuel(self, volume_l: float) -> str:
        if self.imperial:
            return f"{fmt(litres_to_us_gallons(volume_l))} US gal ({fmt(volume_l)} L)"
        return fmt_fuel(volume_l)


def unit_format(plan: Plan) -> UnitFormat:
    """Return the display units of ``plan``'s project; raises InputError for an unknown system."""
    system = plan.project.info.units
    if system not in UNIT_SYSTEMS:
        raise InputError("Project > units", system, "one of " + ", ".join(UNIT_SYSTEMS))
    return UnitFormat(system)


def fmt_money(amount: float | None, currency: str) -> str:
    """Format an amount with its currency code, or "quote needed" when there is no price."""
    if amount is None:
        return QUOTE_NEEDED
    return f"{fmt(amount)} {currency}"


def headline_values(plan: Plan) -> dict[str, str]:
    """Format ``plan.headline()`` with units, keyed as the headline dictionary."""
    head = plan.headline()
    currency = plan.project.info.currency
    sim = plan.simulation
    total_load_kwh = sim.load_kwh + sim.deferrable_served_kwh + sim.deferrable_missed_kwh
    unmet_share = sim.unmet_kwh / total_load_kwh if total_load_kwh > 0 else 0.0
    return {
        "daily_load_kwh": f"{fmt(head['daily_load_kwh'], 1)} kWh/day",
        "peak_load_kw": f"{fmt(head['peak_load_kw'], 2)} kW",
        "pv_kwp": f"{fmt(head['pv_kwp'], 2)} kWp",
        "battery_usable_kwh": f"{fmt(head['battery_usable_kwh'], 1)} kWh",
        "battery_nominal_kwh": f"{fmt(head['battery_nominal_kwh'], 1)} kWh",
        "generator_kw": f"{fmt(head['generator_kw'], 1)} kW",
        "annual_fuel_l": unit_format(plan).fuel(head["annual_fuel_l"]),
        "annual_fuel_cost": fmt_money(head["annual_fuel_cost"], currency),
        "generator_hours": f"{fmt(head['generator_hours'])} h",
        "unmet_load_kwh": (f"{fmt(head['unmet_load_kwh'], 1)} kWh "
                           f"({fmt_pct(unmet_share, 2)} of the load)"),
        "renewable_fraction": fmt_pct(head["renewable_fraction"]),
        "capital_cost": fmt_money(head["capital_cost"], currency),
        "energy_net_present_cost": fmt_money(head["energy_net_present_cost"], currency),
        "levelized_cost_per_kwh": f"{fmt(head['levelized_cost_per_kwh'], 3)} {currency}/kWh",
    }


HEADLINE_LABELS = {
    "daily_load_kwh": "Daily load (annual mean, always-on and batch)",
    "peak_load_kw": "Peak load (always-on and all batch jobs at once)",
    "pv_kwp": "PV array",
    "battery_usable_kwh": "Battery, usable",
    "battery_nominal_kwh": "Battery, nominal",
    "generator_kw": "Generator, prime rating",
    "annual_fuel_l": "Annual fuel",
    "annual_fuel_cost": "Annual fuel cost",
    "generator_hours": "Generator run hours per year",
    "unmet_load_kwh": "Unmet load per year",
    "renewable_fraction": "Renewable fraction",
    "capital_cost": "Capital cost (priced lines only)",
    "energy_net_present_cost": "Energy system net present cost",
    "levelized_cost_per_kwh": "Levelized cost of energy",
}


# --- building the report ----------------------------------------------------


def build_report(plan: Plan) -> Report:
    """Build the proposal's report object from ``plan``."""
    project = plan.project
    info = project.info
    site = project.site
    location = (f"{fmt(abs(site.latitude_deg), 3)}° {'N' if site.latitude_deg >= 0 else 'S'}, "
                f"{fmt(abs(site.longitude_deg), 3)}° {'E' if site.longitude_deg >= 0 else 'W'}, "
                f"elevation {unit_format(plan).elevation(site.elevation_m)}")
    report = Report(
        title=REPORT_TITLE,
        project_name=info.name,
        customer=info.customer,
        site_name=site.name,
        site_location=location,
        date=info.date or datetime.date.today().isoformat(),
        author=info.author,
        program_version=plan.program_version,
        catalog_version=plan.catalog_version or "unknown",
        notes=info.notes,
    )
    report.sections = [
        _headline_section(plan),
        _workload_section(plan),
        _rack_section(plan),
        _energy_section(plan),
        _wiring_section(plan),
        _fuel_section(plan),
        _bom_section(plan),
        _assumption_section(plan),
        _warning_section(plan),
    ]
    return report


def _key_value_table(rows: list[tuple[str, str]], title: str = "",
                     header: tuple[str, str] = ("Quantity", "Value")) -> Table:
    return Table(header=list(header), rows=[[label, value] for label, value in rows],
                 widths=[0.55, 0.45], numeric=[False, False], title=title)


def _headline_section(plan: Plan) -> Section:
    section = Section(HEADLINE)
    values = headline_values(plan)
    section.blocks.append(_key_value_table(
        [(HEADLINE_LABELS[key], values[key]) for key in HEADLINE_LABELS]))
    unpriced = len(plan.bom.unpriced_lines)
    if unpriced:
        section.add_text(
            f"The capital cost excludes {unpriced} bill-of-materials line(s) marked "
            f"'{QUOTE_NEEDED}'. Prices are indicative catalog prices, not a quote.", "note")
    costs = plan.candidates[0].costs
    section.add_text(
        f"Net present cost and levelized cost cover the energy system (capital, replacements, "
        f"fuel, operation and maintenance) over {costs.project_life_years} years at a "
        f"{fmt_pct(costs.discount_rate, 1)} discount rate.", "note")
    return section


# --- workloads --------------------------------------------------------------


def _workload_requirement(workload) -> str:
    schedule = workload.schedule
    busy = (f"Busy {schedule.busy_start_h:02d}:00-{schedule.busy_end_h:02d}:00 at "
            f"{fmt_pct(schedule.busy_utilization)} utilization, "
            f"{fmt_pct(schedule.quiet_utilization)} otherwise.")
    if workload.kind == "llm":
        spec = workload.llm
        return (f"Model {spec.model} at {spec.precision}, {fmt(spec.concurrent_users)} concurrent "
                f"users, {fmt(spec.context_tokens)}-token context, {fmt(spec.prompt_tokens)}-token "
                f"prompts. Targets: at most {fmt(spec.max_time_per_token_ms, 1)} ms per output "
                f"token, at most {fmt(spec.max_time_to_first_token_ms)} ms to the first token, at "
                f"least {fmt(spec.min_tokens_per_s_per_user, 1)} tokens/s per user. {busy}")
    if workload.kind in ("vision", "trading"):
        spec_v = workload.vision
        return (f"Model {spec_v.model_name}, {fmt(spec_v.gflop_per_frame, 1)} GFLOP per frame, "
                f"{fmt(spec_v.streams)} streams at {fmt(spec_v.fps, 1)} frames/s. Target: at most "
                f"{fmt_sig(spec_v.max_latency_ms)} ms per frame. {busy}")
    spec_b = workload.batch
    return (f"{fmt(spec_b.accelerator_hours_per_run, 1)} accelerator-hours per daily run on "
            f"{spec_b.reference_accelerator}, window {spec_b.window_start_h:02d}:00 to deadline "
            f"{spec_b.deadline_h:02d}:00; the dispatcher runs it in solar surplus where it can.")


def _sizing_rows(workload, option) -> list[tuple[str, str]]:
    """Return the sizing figures of one hardware option as (quantity, value) pairs."""
    if option is None:
        return []
    sizing = option.sizing
    rows = [
        ("Accelerators", option.label),
        ("Servers", (f"{option.servers.server_count} x {option.servers.server_name}"
                     if option.servers is not None else "none that fits")),
    ]
    if sizing is None:
        return rows
    if workload.kind == "llm":
        rows += [
            ("Memory per accelerator [GB]",
             f"{fmt(sizing.memory_per_gpu_gb, 1)} of {fmt(sizing.usable_memory_per_gpu_gb, 1)} "
             "usable"),
            ("Weights [GB]", fmt(sizing.weights_gb, 1)),
            ("KV cache per replica [GB]", fmt(sizing.kv_cache_gb_per_replica, 1)),
            ("Tensor parallel x replicas", f"{sizing.tensor_parallel} x {sizing.replicas}"),
            ("Time per output token [ms]",
             f"{fmt(sizing.time_per_token_ms, 1)} "
             f"(target {fmt_sig(workload.llm.max_time_per_token_ms)})"),
            ("Time to first token [ms]",
             f"{fmt(sizing.time_to_first_token_ms)} "
             f"(target {fmt(workload.llm.max_time_to_first_token_ms)})"),
            ("Throughput per user [tokens/s]", fmt(sizing.tokens_per_s_per_user, 1)),
            ("Throughput, all users [tokens/s]", fmt(sizing.tokens_per_s_total)),
        ]
    elif workload.kind in ("vision", "trading"):
        spec_v = workload.vision
        rows += [
            ("Dense compute needed [TOPS]", fmt(sizing.required_tops, 2)),
            ("Effective compute per accelerator [TOPS]",
             fmt(sizing.effective_tops_per_accelerator, 2)),
            ("Time per frame [ms]",
             f"{fmt_sig(sizing.latency_ms, 4)} (target {fmt_sig(spec_v.max_latency_ms)})"),
            ("Throughput [frames/s]", fmt(spec_v.fps * spec_v.streams, 1)),
            ("Accelerator utilization", fmt_pct(sizing.utilization)),
        ]
        if sizing.decode_capacity_1080p30_per_accelerator:
            rows.append(("Video decode [1080p30 streams]",
                         f"{fmt(sizing.decode_streams_1080p30, 1)} of "
                         f"{fmt(sizing.decode_capacity_1080p30_per_accelerator, 0)} per "
                         "accelerator"))
        rows.append(("Sets the accelerator count", sizing.binding_limit))
    else:
        rows += [
            ("Accelerator-hours per run [h]", fmt(sizing.accelerator_hours, 1)),
            ("Run time per day [h]", fmt(sizing.run_hours, 1)),
            ("Window [h]", fmt(sizing.window_hours)),
        ]
        fit = sizing.model_fit
        if fit is not None:
            rows.append(("Model memory per accelerator [GB]",
                         f"{fmt(fit.memory_per_gpu_gb, 1)} of "
                         f"{fmt(fit.usable_memory_per_gpu_gb, 1)} usable, tensor parallel "
                         f"{fit.tensor_parallel} ({fit.model})"))
    cap_w = getattr(option, "power_cap_w", None)
    if cap_w:
        rows.append(("GPU power cap [W]", fmt(cap_w)))
    rows += [
        ("Average power [W]", fmt(option.average_wall_w)),
        ("Peak power [W]", fmt(option.peak_wall_w)),
        ("Hardware cost", "not priced" if option.capital_cost is None
         else fmt(option.capital_cost)),
    ]
    return rows


def _workload_section(plan: Plan) -> Section:
    section = Section(WORKLOADS)
    currency = plan.project.info.currency
    summary_rows = []
    for choice in plan.choices:
        option = choice.chosen
        summary_rows.append([
            choice.workload.name,
            WORKLOAD_KIND_NAMES.get(choice.workload.kind, choice.workload.kind),
            option.label if option else "none meets the workload",
            (f"{option.servers.server_count} x {option.servers.server_name}"
             if option and option.servers else "–"),
            fmt(option.average_wall_w) if option else "–",
            fmt(option.peak_wall_w) if option else "–",
        ])
    section.blocks.append(Table(
        header=["Workload", "Kind", "Accelerators", "Servers", "Average [W]", "Peak [W]"],
        rows=summary_rows, widths=[0.2, 0.15, 0.2, 0.21, 0.12, 0.12],
        numeric=[False, False, False, False, True, True]))

    for choice in plan.choices:
        workload = choice.workload
        section.add_text(f"{workload.name}: "
                         f"{WORKLOAD_KIND_NAMES.get(workload.kind, workload.kind)}", "heading")
        section.add_text(_workload_requirement(workload))
        if choice.chosen is None:
            section.add_text(choice.reason, "warning")
            continue
        section.add_text(f"Why this hardware: {choice.reason}")
        chosen_rows = _sizing_rows(workload, choice.chosen)
        runner_rows = dict(_sizing_rows(workload, choice.runner_up))
        rows = [[label, value, runner_rows.get(label, "–")] for label, value in chosen_rows]
        for row in rows:
            if row[0] == "Hardware cost":
                row[0] = f"Hardware cost [{currency}]"
        section.blocks.append(Table(
            header=["Sizing", "Chosen", "Runner-up" if choice.runner_up else "Runner-up (none)"],
            rows=rows, widths=[0.34, 0.33, 0.33], numeric=[False, False, False]))
    return section


# --- racks ------------------------------------------------------------------


def _supply_text(voltage_v: float, phases: int) -> str:
    return f"{fmt(voltage_v)} V {'3-phase' if phases == 3 else '1-phase'}"


def _unit_position(bottom: int, height: int) -> str:
    top = bottom + height - 1
    return f"U{bottom}" if height == 1 else f"U{bottom}-U{top}"


def _psu_feeds_text(server) -> str:
    """Return "A1 L1-L2, B1 L1-L2": each PSU's circuit (feed and PDU number) and leg."""
    return ", ".join(f"{label.rsplit(' ', 1)[-1]} {leg}"
                     for label, leg in zip(server.psu_circuits, server.psu_legs))


def _rack_tables(rack: Rack, cooling_cop: float | None) -> list[Block]:
    blocks: list[Block] = []
    server_rows = []
    for server in rack.servers:
        bottom = server.top_unit - server.rack_units + 1
        server_rows.append([
            _unit_position(bottom, server.rack_units), server.name, str(server.rack_units),
            f"{server.psu_count} x {fmt(server.psu_rating_w)} W, {server.outlet}"
            if server.psu_rating_w else f"external adapter, {server.outlet}",
            _psu_feeds_text(server),
            fmt(server.peak_w), fmt(server.average_w), fmt(w_to_btu_per_h(server.peak_w)),
        ])
    server_rows.append(["Total", f"{rack.used_units} U used of {RACK_UNITS} U",
                        str(rack.used_units), "", "", fmt(rack.peak_w), fmt(rack.average_w),
                        fmt(rack.heat_btu_per_h)])
    blocks.append(Table(
        header=["Position", "Server", "RU", "PSUs and inlet", "PSU circuit and leg",
                "Peak [W]", "Average [W]", "Heat at peak [BTU/h]"],
        rows=server_rows, widths=[0.09, 0.23, 0.05, 0.15, 0.15, 0.09, 0.1, 0.14],
        numeric=[False, False, True, False, False, True, True, True], total_rows=1,
        title=f"{rack.name}: servers"))

    circuit_rows = []
    for circuit in rack.circuits:
        legs = ", ".join(f"{name} {fmt(load_va)}" for name, load_va in circuit.leg_va.items())
        circuit_rows.append([
            circuit.label, f"{circuit.pdu.name}, {circuit.pdu.inlet}",
            _supply_text(circuit.voltage_v, circuit.phases), fmt(circuit.breaker_a), legs,
            fmt_pct(circuit.normal_loading), fmt(circuit.failover_va),
            fmt_pct(circuit.failover_loading),
            f"{circuit.c13_used}/{circuit.pdu.outlets_c13} C13, "
            f"{circuit.c19_used}/{circuit.pdu.outlets_c19} C19",
            "yes" if circuit.within_limit and circuit.outlets_fit else "NO",
        ])
    blocks.append(Table(
        header=["Circuit", "PDU and inlet", "Supply", "Breaker [A]", "Normal load per leg [VA]",
                "Normal loading", "Failover [VA]", "Failover loading",
                "Outlets used / offered", "Within limits"],
        rows=circuit_rows, widths=[0.1, 0.17, 0.08, 0.07, 0.13, 0.08, 0.09, 0.08, 0.12, 0.08],
        numeric=[False, False, False, True, False, True, True, True, False, False],
        title=f"{rack.name}: branch circuits"))

    cooling = (f" Cooling at COP {fmt_sig(cooling_cop)} when the outside air is too warm for "
               f"free cooling: {fmt(rack.cooling_w)} W electrical, already in the load profile."
               if cooling_cop else "")
    blocks.append(Text(
        f"{rack.name}: the server PSUs need {rack.outlets_c13_needed} C13 and "
        f"{rack.outlets_c19_needed} C19 outlets across all feeds. Heat to remove at peak: "
        f"{fmt_heat(rack.peak_w)}.{cooling}", "note"))
    return blocks


def _rack_section(plan: Plan) -> Section:
    section = Section(RACKS)
    rack_plan = plan.rack_plan
    redundancy = {"1+1": "1+1 (each feed carries the whole rack when the other fails)",
                  "N+1": "N+1 (the feeds share the load)",
                  "none": "none (one feed)"}.get(rack_plan.redundancy, rack_plan.redundancy)
    section.add_text(
        f"AC system {rack_plan.ac_system}; PSU redundancy {redundancy}. {len(rack_plan.racks)} "
        f"rack(s), {rack_plan.pdu_count} PDUs. Branch circuits carry continuous load at no more "
        f"than {fmt_pct(CONTINUOUS_LOAD_LIMIT)} of the breaker rating (NEC 210.20(A)), checked "
        f"at the failover load. Volt-amperes are the peak wall power over a power factor of "
        f"0.95. Total IT heat at peak: {fmt_heat(rack_plan.peak_w)}.")
    for rack in rack_plan.racks:
        section.blocks.extend(_rack_tables(rack, rack_plan.cooling_cop))
    if rack_plan.cooling_cop:
        section.add_text(
            f"Cooling of all racks at peak: {fmt(rack_plan.cooling_w)} W electrical for "
            f"{fmt_heat(rack_plan.peak_w)} of heat at COP {fmt_sig(rack_plan.cooling_cop)}.")

    total_va = sum(rack_plan.phase_loads_va.values())
    phase_rows = []
    for line, load_va in rack_plan.phase_loads_va.items():
        share = load_va / total_va if total_va > 0 else 0.0
        phase_rows.append([line, fmt(load_va), fmt(rack_plan.line_currents_a.get(line, 0.0), 1),
                           fmt_pct(share)])
    imbalance = (f"Largest deviation of a line current from the mean: "
                 f"{fmt_pct(rack_plan.phase_imbalance)}. Line-to-line legs are combined as "
                 "phasors at one power factor." if len(rack_plan.line_currents_a) > 1 else "")
    section.blocks.append(Table(
        header=["Supply line", "Normal load [VA]", "Line current [A]", "Share of total"],
        rows=phase_rows, widths=[0.25, 0.25, 0.25, 0.25], numeric=[False, True, True, True],
        title="Line loads with both feeds healthy", note=imbalance))
    for note in rack_plan.notes:
        section.add_text(note, "note")
    return section


# --- energy system ----------------------------------------------------------


def _daily_chart(plan: Plan, month: int, month_rank: str) -> Chart:
    sim = plan.simulation
    series = [
        Series("pv", "Solar output available [kW]", average_day(sim.pv_available_kw, month)),
        Series("load", "Always-on load [kW]", average_day(sim.load_always_on_kw, month)),
        Series("batch", "Batch load [kW]", average_day(sim.load_deferrable_kw, month)),
        Series("generator", "Generator output [kW]", average_day(sim.generator_kw, month)),
        Series("soc", "Battery state of charge [%], right axis", average_day(sim.soc, month) * 100,
               axis="right"),
    ]
    return Chart(
        kind="daily",
        title=f"Average day in {MONTH_NAMES[month]}, the {month_rank} month",
        categories=[f"{hour:02d}" for hour in range(24)],
        x_label="Hour of day, local standard time (hourly means drawn at mid-hour)",
        left_label="Power [kW]",
        right_label="State of charge [%]",
        right_range=(0.0, 100.0),
        series=series,
    )


def _monthly_flows(plan: Plan) -> dict[str, np.ndarray]:
    sim = plan.simulation
    flows = dict(sim.monthly_energy())
    flows["pv_available_kwh"] = np.bincount(MONTH_OF_HOUR, weights=sim.pv_available_kw,
                                            minlength=12)
    flows["fuel_l"] = np.bincount(MONTH_OF_HOUR, weights=sim.fuel_l_per_h, minlength=12)
    flows["generator_h"] = np.bincount(MONTH_OF_HOUR, weights=sim.generator_on.astype(float),
                                       minlength=12)
    return flows


MONTHLY_COLUMNS = (
    ("pv_available_kwh", "PV available [kWh]"),
    ("pv_used_kwh", "PV used [kWh]"),
    ("load_kwh", "Always-on load [kWh]"),
    ("deferrable_kwh", "Batch served [kWh]"),
    ("generator_kwh", "Generator [kWh]"),
    ("dumped_kwh", "Dumped [kWh]"),
    ("unmet_kwh", "Unmet [kWh]"),
)


def _monthly_table(flows: dict[str, np.ndarray]) -> Table:
    rows = []
    for month in range(12):
        rows.append([MONTH_NAMES[month]] + [fmt(flows[key][month]) for key, _ in MONTHLY_COLUMNS])
    rows.append(["Year"] + [fmt(flows[key].sum()) for key, _ in MONTHLY_COLUMNS])
    return Table(
        header=["Month"] + [label for _, label in MONTHLY_COLUMNS],
        rows=rows, widths=[0.09] + [0.13] * len(MONTHLY_COLUMNS),
        numeric=[False] + [True] * len(MONTHLY_COLUMNS), total_rows=1,
        title="Monthly energy balance (simulation)",
        note="Dumped energy is curtailed PV and generator output that neither the load nor the "
             "battery could take.")


def _monthly_chart(flows: dict[str, np.ndarray]) -> Chart:
    return Chart(
        kind="monthly",
        title="Monthly energy",
        categories=list(MONTH_NAMES),
        x_label="Month",
        left_label="Energy [kWh]",
        series=[
            Series("pv", "PV used [kWh]", flows["pv_used_kwh"]),
            Series("generator", "Generator [kWh]", flows["generator_kwh"]),
            Series("load", "Always-on load [kWh]", flows["load_kwh"]),
            Series("batch", "Batch served [kWh]", flows["deferrable_kwh"]),
            Series("dumped", "Dumped [kWh]", flows["dumped_kwh"]),
            Series("unmet", "Unmet [kWh]", flows["unmet_kwh"]),
        ],
    )


def _pv_table(plan: Plan) -> Table:
    pv = plan.pv_array
    module = pv.module
    controller = pv.controller
    units = unit_format(plan)
    window = string_window(module, controller, pv.design_low_c, pv.design_high_c)
    per_controller = ", ".join(str(count) for count in pv.strings_by_controller)
    rows = [
        ("Module", f"{module.name}, {fmt(module.pmax_w)} W STC, Voc {fmt_sig(module.voc_v)} V, "
                   f"Isc {fmt_sig(module.isc_a)} A"),
        ("Modules per string", str(pv.modules_per_string)),
        ("Strings", str(pv.strings)),
        ("Modules in all", str(pv.module_count)),
        ("Array rating [kWp]", fmt(pv.kwp, 2)),
        ("MPPT charge controllers", f"{pv.controllers} x {controller.name}"),
        ("Strings on each controller", per_controller),
        ("Strings per controller, at most",
         f"{pv.strings_per_controller}: {window.strings_by_isc} by the "
         f"{fmt_sig(controller.max_pv_isc_a)} A PV short-circuit limit, "
         f"{window.strings_by_charge} by the {fmt_sig(controller.max_charge_a)} A charge current"),
        ("PV current into the most loaded controller [A]",
         f"{fmt(pv.controller_max_current_a, 1)} = {fmt_sig(NEC_PV_ISC_FACTOR)} x "
         f"{fmt_sig(module.isc_a)} A x {max(pv.strings_by_controller, default=0)} strings "
         f"(limit {fmt_sig(controller.max_pv_isc_a)} A; NEC 690.8(A)(1))"),
        ("Design low / high air temperature",
         f"{units.temperature(pv.design_low_c)} / {units.temperature(pv.design_high_c)}"),
        ("String Voc at the design low [V]",
         f"{fmt(pv.cold_voc_string_v, 1)} = {pv.modules_per_string} x {fmt_sig(module.voc_v)} V x "
         f"(1 + {fmt_sig(module.beta_voc_pct_per_c)} %/°C x ({fmt(pv.design_low_c, 1)} - 25)) "
         f"(limit {fmt_sig(window.max_voltage_v)} V)"),
        ("String Vmp with hot cells [V]",
         f"{fmt(pv.hot_vmp_string_v, 1)} with cells at {units.temperature(window.hot_cell_c, 0)} "
         f"(at least {fmt(window.min_voltage_v, 1)} to charge)"),
        ("Tilt / azimuth [°]",
         f"{fmt(plan.project.site.pv_tilt_deg)} / {fmt(plan.project.site.pv_azimuth_deg)}"),
    ]
    return _key_value_table(rows, title="PV array")


def _battery_table(plan: Plan) -> Table:
    bank = plan.battery_bank
    module = bank.module
    targets = plan.project.targets
    units = unit_format(plan)
    rows = [
        ("Module", f"{module.name} ({module.chemistry}), {fmt(module.nominal_v, 1)} V, "
                   f"{fmt(module.energy_kwh, 2)} kWh, {fmt_sig(module.max_charge_a)} A charge / "
                   f"{fmt_sig(module.max_discharge_a)} A discharge continuous"),
        ("Series x parallel", f"{bank.series} x {bank.parallel} = {bank.module_count} modules"),
        ("DC bus [V]", fmt(bank.bus_v, 1)),
        ("Nominal energy [kWh]", fmt(bank.nominal_kwh, 1)),
        ("Usable energy [kWh]",
         f"{fmt(plan.battery_usable_kwh, 1)} (state of charge down to "
         f"{fmt_pct(targets.battery_soc_min)})"),
        ("Maximum charge / discharge [kW]",
         f"{fmt(bank.max_charge_kw, 1)} / {fmt(bank.max_discharge_kw, 1)}"),
    ]
    check = plan.battery_check
    if check is not None:
        rows += [
            ("Charge current [A]",
             f"PV {fmt(check.pv_charge_a)} + chargers on the generator "
             f"{fmt(check.charger_charge_a)} = {fmt(check.charge_a)} "
             f"(bank limit {fmt(check.charge_limit_a)})"),
            ("Discharge current at the peak load [A]",
             f"{fmt(check.peak_discharge_a)} at {fmt(DC_BUS_LOW_V)} V (bank limit "
             f"{fmt(check.discharge_limit_a)})"),
            ("Inverters at full continuous output [A]", fmt(check.inverter_full_dc_a)),
            ("Parallel strings set by", check.limiting),
        ]
    rows += [
        ("Round-trip efficiency", fmt_pct(module.round_trip_efficiency)),
        ("Minimum charge temperature", units.temperature(module.charge_temp_min_c)),
        ("Battery room temperature", units.temperature(plan.project.site.battery_room_temp_c)),
    ]
    return _key_value_table(rows, title="Battery bank")


def _inverter_table(plan: Plan) -> Table:
    inverter = plan.inverter
    unit = inverter.unit
    units = unit_format(plan)
    per_phase = (f"{inverter.units_per_phase} per phase on 3 phases"
                 if inverter.phases == 3 else f"{inverter.count} in parallel")
    rows = [
        ("Inverter/chargers", f"{inverter.count} x {unit.name}"),
        ("Units in parallel", f"{per_phase} (at most {unit.max_in_parallel} per phase)"),
        ("Continuous output at 25 °C [W]", fmt(inverter.continuous_w)),
        (f"Continuous output at the design high of {units.temperature(inverter.design_high_c)} "
         "[W]",
         fmt(inverter.continuous_w_hot) + ("" if unit.continuous_w_40c is not None else
                                           " (no 40 °C rating in the catalog)")),
        ("Peak load [W]", fmt(plan.load.peak_load_kw * 1000)),
        ("Surge output [W]", fmt(inverter.surge_w)),
        ("Idle draw, counted in the load [W]", fmt(inverter.idle_w)),
    ]
    check = plan.inverter_check
    if check is not None:
        startup = check.startup
        estimate = (f", {startup.estimated_psus} at the {fmt_sig(PSU_INRUSH_ESTIMATE_A)} A "
                    "estimate" if startup.estimated_psus else "")
        rows += [
            ("Black start: PSU inrush of all servers together",
             f"{startup.psu_count} PSUs, {fmt(startup.inrush_a)} A{estimate}; "
             f"{fmt(startup.inrush_va / 1000, 1)} kVA at {fmt(startup.voltage_v)} V for up to one "
             "mains cycle"),
            ("AC input limit [W]",
             f"{fmt(check.ac_input_limit_w)} = {inverter.count} x "
             f"{fmt_sig(unit.ac_input_current_a)} A x {fmt(unit.output_v)} V"),
            ("Generator available / load + charge power [W]",
             f"{fmt(check.generator_w)} / {fmt(check.peak_load_w)} + "
             f"{fmt(check.charge_power_w)}"),
            ("AC input current limit to set [A]", fmt(check.input_current_setting_a, 1)),
        ]
    return _key_value_table(rows, title="Inverter/chargers")


def _generator_table(plan: Plan) -> Table:
    generator = plan.generator
    unit = generator.unit
    site = plan.project.site
    rows = [
        ("Generator", f"{generator.count} x {unit.name}"
                      + ("" if unit.fuel in unit.name.lower() else f" ({unit.fuel})")),
        ("Prime rating [kW]", fmt(generator.rated_kw, 1)),
        ("Derating for altitude and heat",
         f"{fmt_pct(generator.derate_factor, 1)} at {fmt(site.elevation_m)} m and "
         f"{fmt(plan.design_high_c, 1)} °C"),
        ("Available output [kW]", fmt(generator.available_kw, 1)),
        ("Required by the hand method [kW]", fmt(generator.required_kw, 1)),
        ("Minimum load", fmt_pct(max(plan.project.targets.generator_min_load_ratio,
                                     unit.min_load_ratio or 0.0))),
        ("Fuel curve F0 / F1 [L/h per kW]",
         f"{fmt(unit.fuel_f0_l_per_h_per_kw, 4)} / {fmt(unit.fuel_f1_l_per_h_per_kw, 4)}"),
    ]
    return _key_value_table(rows, title="Generator")


def _hand_method_table(plan: Plan) -> Table:
    rows = []
    for step in plan.quick.steps:
        value = MONTH_NAMES[int(step.value) - 1] if step.unit == "month" else fmt(step.value, 3)
        unit = "" if step.unit == "month" else step.unit
        rows.append([step.label, value, unit, step.formula])
    return Table(header=["Step", "Value", "Unit", "Formula with numbers"], rows=rows,
                 widths=[0.24, 0.11, 0.09, 0.56], numeric=[False, True, False, False],
                 title=f"Worst-month hand method ({MONTH_NAMES[plan.worst_month]})")


def _comparison_table(plan: Plan) -> Table:
    quick = plan.quick
    rows = [
        ["PV array [kWp]", fmt(quick.pv_kwp, 2), fmt(plan.pv_array.kwp, 2)],
        ["Battery, usable [kWh]", fmt(quick.battery_usable_kwh, 1),
         fmt(plan.battery_usable_kwh, 1)],
        ["Battery, nominal [kWh]", fmt(quick.battery_nominal_kwh, 1),
         fmt(plan.battery_bank.nominal_kwh, 1)],
        ["Generator [kW]", fmt(quick.generator_kw, 1),
         f"{fmt(plan.generator.available_kw, 1)} available"],
    ]
    return Table(header=["Quantity", "Hand method", "Installed (whole catalog units)"],
                 rows=rows, widths=[0.4, 0.25, 0.35], numeric=[False, True, True],
                 title="Hand method beside the installed system",
                 note="The installed PV, battery and generator come from a search of "
                      "simulated sizes around the hand-method design (PV strings, battery "
                      "modules and every generator of the project's fuel that carries the "
                      "peak load), ranked by net present cost among those that meet the "
                      "unmet-load target, so they can differ from the hand method in either "
                      "direction.")


CANDIDATES_SHOWN = 6


def _candidate_row(label: str, candidate) -> list[str]:
    sim = candidate.simulation
    generator = candidate.generator
    generator_text = (f"{generator.count} x {fmt(generator.unit.prime_kw, 1)} kW"
                      if generator is not None else "none")
    return [
        label,
        fmt(candidate.pv_array.kwp, 2),
        fmt(candidate.battery_bank.nominal_kwh, 1),
        generator_text,
        fmt(sim.fuel_l),
        fmt(sim.unmet_kwh, 1),
        fmt(candidate.costs.net_present_cost),
        "yes" if candidate.meets_target else "no",
    ]


CANDIDATE_HEADER = ["Rank", "PV [kWp]", "Battery nominal [kWh]", "Generator",
                    "Fuel [L/year]", "Unmet [kWh/year]"]


def _candidate_table(plan: Plan) -> Table:
    currency = plan.project.info.currency
    rows = [_candidate_row("chosen" if rank == 1 else str(rank), candidate)
            for rank, candidate in enumerate(plan.candidates[:CANDIDATES_SHOWN], start=1)]
    return Table(
        header=CANDIDATE_HEADER + [f"Net present cost [{currency}]", "Meets target"],
        rows=rows, widths=[0.08, 0.1, 0.12, 0.13, 0.11, 0.12, 0.2, 0.14],
        numeric=[False, True, True, False, True, True, True, False],
        title=f"Designs compared by the search ({len(plan.candidates)} simulated, "
              f"best {min(CANDIDATES_SHOWN, len(plan.candidates))} shown)")


FRONT_SHOWN = 8


def _cost_fuel_front_table(plan: Plan) -> Table:
    """Build the table of designs that no other beats on both cost and fuel, least fuel first."""
    currency = plan.project.info.currency
    front = cost_fuel_front(plan.candidates)
    if len(front) > FRONT_SHOWN:
        # Keep both ends and evenly spaced points between them.
        picks = sorted({round(i * (len(front) - 1) / (FRONT_SHOWN - 1))
                        for i in range(FRONT_SHOWN)})
        front = [front[i] for i in picks]
    rows = [_candidate_row("chosen" if candidate is plan.candidates[0] else "", candidate)
            for candidate in front]
    return Table(
        header=CANDIDATE_HEADER + [f"Net present cost [{currency}]", "Meets target"],
        rows=rows, widths=[0.08, 0.1, 0.12, 0.13, 0.11, 0.12, 0.2, 0.14],
        numeric=[False, True, True, False, True, True, True, False],
        title="Cost against fuel: designs that no other beats on both",
        note="Each row burns less fuel than the rows below it, and costs more over the "
             "project life than they do; the least-cost design is marked 'chosen'.")


def _simulation_table(plan: Plan) -> Table:
    sim = plan.simulation
    rows = [
        ("PV energy available at the AC bus [kWh]", fmt(sim.pv_energy_kwh)),
        ("Always-on load [kWh]", fmt(sim.load_kwh)),
        ("Batch work served / missed [kWh]",
         f"{fmt(sim.deferrable_served_kwh)} / {fmt(sim.deferrable_missed_kwh)}"),
        ("Generator energy [kWh]", fmt(sim.generator_kwh)),
        ("Generator run hours / starts", f"{fmt(sim.generator_hours)} h / {sim.generator_starts}"),
        ("Fuel", fmt_fuel(sim.fuel_l)),
        ("Dumped energy [kWh]", fmt(sim.dumped_kwh)),
        ("Unmet load [kWh]", fmt(sim.unmet_kwh, 1)),
        ("Renewable fraction", fmt_pct(sim.renewable_fraction)),
        ("Battery throughput [kWh]", fmt(sim.battery_throughput_kwh)),
    ]
    return _key_value_table(rows, title="Hourly simulation over one typical year")


def _energy_section(plan: Plan) -> Section:
    section = Section(ENERGY)
    weather = plan.weather
    section.add_text(
        f"Weather: {weather.station_name} ({weather.source_format}). The worst month for solar "
        f"is {MONTH_NAMES[plan.worst_month]} and the best is {MONTH_NAMES[plan.best_month]}, "
        "ranked by daily load over peak sun hours. Dispatch strategy: "
        f"{plan.project.targets.dispatch_strategy.replace('_', ' ')}.")
    section.blocks.append(_pv_table(plan))
    section.blocks.append(_battery_table(plan))
    section.blocks.append(_inverter_table(plan))
    section.blocks.append(_generator_table(plan))
    section.blocks.append(_hand_method_table(plan))
    section.blocks.append(_comparison_table(plan))
    section.blocks.append(_candidate_table(plan))
    section.blocks.append(_cost_fuel_front_table(plan))
    section.blocks.append(_simulation_table(plan))
    flows = _monthly_flows(plan)
    section.blocks.append(_monthly_table(flows))
    section.blocks.append(_daily_chart(plan, plan.worst_month, "worst"))
    section.blocks.append(_daily_chart(plan, plan.best_month, "best"))
    section.blocks.append(_monthly_chart(flows))
    return section


# --- wiring: single-line diagram, DC cables, rack elevations -----------------

CABLE_TAGS = {"pv": "C1", "controller_battery": "C2", "battery_inverter": "C3",
              "generator": "C4"}


def _cable_text(run, units: UnitFormat) -> str:
    return (f"{run.count} x 2-core {units.cable(run.size_mm2, run.parallel)}, "
            f"{units.length(run.length_m)} one way")


def _single_line_text(plan: Plan, units: UnitFormat) -> SingleLineText:
    pv = plan.pv_array
    bank = plan.battery_bank
    inverter = plan.inverter
    generator = plan.generator
    rack_plan = plan.rack_plan
    check = plan.inverter_check
    feed_a = [c for rack in rack_plan.racks for c in rack.circuits if c.feed == "A"]
    feed_b = [c for rack in rack_plan.racks for c in rack.circuits if c.feed == "B"]

    def pdu_lines(feed: str, circuits) -> list[str]:
        if not circuits:
            return [f"Feed {feed}: none"]
        pdu = circuits[0].pdu
        return [f"Feed {feed}: {len(circuits)} PDU(s)", pdu.name,
                f"{fmt(pdu.voltage_v)} V {pdu.input_current_a:g} A, {pdu.inlet}"]

    cables = plan.cables
    legend = []
    if cables is not None:
        legend = [
            f"C1 PV string runs: {_cable_text(cables.pv_string, units)}",
            f"C2 Controller to busbar: {_cable_text(cables.controller_battery, units)}",
            f"C3 Busbar to inverter: {_cable_text(cables.battery_inverter, units)}",
        ]
    if check is not None:
        legend.append(
            f"C4 Generator to AC input: {fmt(check.generator_w / 1000, 1)} kW available, "
            f"inverter input limit {fmt(check.ac_input_limit_w / 1000, 1)} kW; set the "
            f"input current limit to {fmt(check.input_current_setting_a, 1)} A per unit")
    legend.append("Cable sizes: see the DC cable table. AC branch circuits: see the rack "
                  "power plan. Overcurrent protection is not drawn.")
    return SingleLineText(
        pv=["PV array", f"{pv.strings} strings x {pv.modules_per_string} modules",
            pv.module.name, f"{fmt(pv.kwp, 2)} kWp"],
        controllers=["MPPT charge controllers", f"{pv.controllers} x {pv.controller.name}",
                     "strings each: " + ", ".join(map(str, pv.strings_by_controller)),
                     f"{fmt_sig(pv.controller.max_charge_a)} A charge each"],
        battery=["Battery bank", f"{bank.series} x {bank.parallel} x {bank.module.name}",
                 f"{fmt(bank.bus_v, 1)} V, {fmt(bank.nominal_kwh, 1)} kWh"],
        inverter=["Inverter/chargers", f"{inverter.count} x {inverter.unit.name}",
                  f"{fmt(inverter.continuous_w)} W at 25 °C, {fmt(inverter.surge_w)} W surge",
                  f"{fmt(inverter.unit.output_v)} V {fmt(inverter.unit.output_hz)} Hz"],
        generator=["Generator", f"{generator.count} x {generator.unit.name}",
                   f"{fmt(generator.available_kw, 1)} kW available ({generator.unit.fuel})",
                   f"{fmt(generator.unit.voltage_v)} V, {generator.unit.phases}-phase"],
        ac_distribution=["AC distribution", rack_plan.ac_system,
                         f"{rack_plan.pdu_count} branch circuits"],
        pdus_a=pdu_lines("A", feed_a),
        pdus_b=pdu_lines("B", feed_b),
        racks=["Racks", f"{len(rack_plan.racks)} x {RACK_UNITS}U",
               f"{fmt(rack_plan.peak_w)} W peak IT",
               f"{sum(len(rack.servers) for rack in rack_plan.racks)} servers"],
        busbar=f"DC busbar {fmt(bank.bus_v, 1)} V",
        cable_tags=CABLE_TAGS,
        legend=legend,
    )


def _cable_table(plan: Plan, units: UnitFormat) -> Table:
    rows = []
    for tag, run in zip(("C1", "C2", "C3"), plan.cables.runs):
        rows.append([
            f"{tag} {run.name}", str(run.count), units.length(run.length_m),
            f"{fmt(run.design_current_a, 1)} ({run.basis})",
            units.cable(run.size_mm2, run.parallel),
            f"{fmt(run.ampacity_a)} at {units.temperature(run.ambient_c, 0)}",
            f"{fmt(run.drop_v, 2)} V = {fmt_pct(run.drop_fraction, 2)} "
            f"(limit {fmt_pct(run.drop_limit)})",
            run.limited_by,
        ])
    return Table(
        header=["Run", "Count", "Length, one way", "Design current [A]", "Cross-section",
                "Ampacity [A]", "Voltage drop", "Size set by"],
        rows=rows, widths=[0.12, 0.07, 0.08, 0.24, 0.14, 0.11, 0.14, 0.1],
        numeric=[False, True, False, False, False, False, False, False],
        title="DC cables, copper",
        note=(f"Ampacity: {cable_rules.AMPACITY_TABLE_NAME}, times the ambient correction for "
              "XLPE; no grouping factor is applied, so derate bundled string cables. Voltage "
              f"drop: 2 x length x current x {cable_rules.COPPER_RESISTIVITY_20C} ohm mm²/m x "
              f"(1 + {cable_rules.COPPER_TEMPERATURE_COEFFICIENT} x "
              f"({fmt(cable_rules.CONDUCTOR_TEMPERATURE_C)} - 20)) / cross-section, with the "
              f"conductor at {fmt(cable_rules.CONDUCTOR_TEMPERATURE_C)} °C. Lengths are the "
              "project's planning values; measure them on site."))


def _rack_elevation(rack: Rack, units: UnitFormat, cooling_cop: float | None) -> Diagram:
    items = []
    for server in rack.servers:
        bottom = server.top_unit - server.rack_units + 1
        items.append(RackItem(bottom, server.rack_units,
                              f"{server.name}, {fmt(server.peak_w)} W"))
    feed_a = [c for c in rack.circuits if c.feed == "A"]
    feed_b = [c for c in rack.circuits if c.feed == "B"]

    def pdu_label(circuits) -> str:
        if not circuits:
            return ""
        names = ", ".join(c.label.rsplit(" ", 1)[-1] for c in circuits)
        pdu = circuits[0].pdu
        return f"PDU {names}: {pdu.name}, {pdu.input_current_a:g} A"

    notes = [rack.name,
             f"{rack.used_units} U used of {RACK_UNITS} U",
             f"Peak {fmt(rack.peak_w)} W, {fmt(rack.heat_btu_per_h)} BTU/h"]
    if cooling_cop:
        notes.append(f"Cooling {fmt(rack.cooling_w)} W at COP {fmt_sig(cooling_cop)}")
    notes.append("PSU circuit and leg:")
    for server in rack.servers:
        notes.append(f"{server.name}: {_psu_feeds_text(server)}")
    return rack_elevation(f"{rack.name}: elevation", RACK_UNITS, items, pdu_label(feed_a),
                          pdu_label(feed_b), notes, DRAWING_WIDTH)


def _wiring_section(plan: Plan) -> Section:
    section = Section(WIRING)
    units = unit_format(plan)
    section.blocks.append(Figure(
        "Single-line diagram", single_line_diagram(_single_line_text(plan, units),
                                                   DRAWING_WIDTH),
        note="Arrows show the direction of power flow. The DC busbar joins the charge "
             "controllers, the battery bank and the inverter/chargers."))
    if plan.cables is not None:
        section.blocks.append(_cable_table(plan, units))
    for rack in plan.rack_plan.racks:
        section.blocks.append(Figure(f"{rack.name}: elevation, front view",
                                     _rack_elevation(rack, units, plan.rack_plan.cooling_cop)))
    return section


# --- fuel, bill of materials, assumptions, warnings -------------------------


def _fuel_section(plan: Plan) -> Section:
    section = Section(FUEL)
    sim = plan.simulation
    site = plan.project.site
    currency = plan.project.info.currency
    flows = _monthly_flows(plan)
    specific = sim.fuel_l / sim.generator_kwh if sim.generator_kwh > 0 else float("nan")

    rows = [
        ("Annual fuel", fmt_fuel(sim.fuel_l)),
        ("Fuel price", f"{fmt(site.fuel_price_per_l, 2)} {currency}/L "
                       f"({fmt(site.fuel_price_per_l * LITRES_PER_US_GALLON, 2)} "
                       f"{currency}/US gal)"),
        ("Annual fuel cost", fmt_money(plan.annual_fuel_cost, currency)),
        ("Generator energy [kWh]", fmt(sim.generator_kwh)),
        ("Generator run hours / starts", f"{fmt(sim.generator_hours)} h / {sim.generator_starts}"),
        ("Fuel per generator kWh [L/kWh]", fmt(specific, 3)),
        ("Fuel", site.fuel),
    ]
    section.blocks.append(_key_value_table(rows))

    month_rows = []
    for month in range(12):
        month_rows.append([MONTH_NAMES[month], fmt(flows["fuel_l"][month]),
                           fmt(litres_to_us_gallons(flows["fuel_l"][month])),
                           fmt(flows["generator_h"][month])])
    month_rows.append(["Year", fmt(flows["fuel_l"].sum()),
                       fmt(litres_to_us_gallons(flows["fuel_l"].sum())),
                       fmt(flows["generator_h"].sum())])
    section.blocks.append(Table(
        header=["Month", "Fuel [L]", "Fuel [US gal]", "Generator run [h]"], rows=month_rows,
        widths=[0.25, 0.25, 0.25, 0.25], numeric=[False, True, True, True], total_rows=1,
        title="Fuel by month, for planning deliveries"))
    return section


def _bom_section(plan: Plan) -> Section:
    section = Section(BOM)
    bom = plan.bom
    currency = bom.currency
    rows = []
    for line in bom.lines:
        priced = line.unit_price is not None
        rows.append([
            line.category, line.description, fmt(line.quantity),
            fmt(line.unit_price) if priced else QUOTE_NEEDED,
            fmt(line.total) if priced else QUOTE_NEEDED,
            line.price_date or "–",
            line.price_basis or "–",
        ])
    unpriced = len(bom.unpriced_lines)
    total_label = (f"Total of priced lines; excludes {unpriced} line(s) marked '{QUOTE_NEEDED}'"
                   if unpriced else "Total")
    rows.append(["", total_label, "", "", fmt(bom.total), "", ""])
    section.blocks.append(Table(
        header=["Category", "Item", "Qty", f"Unit price [{currency}]", f"Total [{currency}]",
                "Price date", "Price basis"],
        rows=rows, widths=[0.13, 0.33, 0.06, 0.12, 0.12, 0.11, 0.13],
        numeric=[False, False, True, True, True, False, False], total_rows=1))
    section.add_text(
        "Prices are indicative catalog prices with the date they were seen, not a quote. "
        "Installation, freight to site, cabling, mounting structures and permits are not "
        "included.", "note")
    return section


def _assumption_section(plan: Plan) -> Section:
    section = Section(ASSUMPTIONS)
    rows = [[item.topic, item.text, item.source or "–"] for item in plan.assumptions]
    section.blocks.append(Table(header=["Topic", "Assumption", "Source"], rows=rows,
                                widths=[0.15, 0.55, 0.3], numeric=[False, False, False]))
    return section


def _warning_section(plan: Plan) -> Section:
    section = Section(WARNINGS)
    if not plan.warnings:
        section.add_text("The plan raised no warnings.")
    for warning in plan.warnings:
        section.add_text(warning, "warning")
    return section

