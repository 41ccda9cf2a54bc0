"""The project: everything the user entered, and its JSON file format.

A project file is data only. It is parsed with :mod:`json`, checked field by
field, and nothing in it is ever executed. Saving writes a temporary file
beside the target and renames it over the target, so a crash or a full disk
never leaves half a file.
"""

from __future__ import annotations

import codecs
import json
import logging
import math
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from core.errors import FileFormatError, InputError

logger = logging.getLogger(__name__)

FILE_FORMAT = "offgrid-configurator-project"
FORMAT_VERSION = 1
MAX_PROJECT_FILE_BYTES = 5_000_000  # a project is a few kB; anything larger is not a project

WORKLOAD_KINDS = ("llm", "vision", "batch", "trading")
PRECISIONS = ("fp16", "bf16", "fp8", "int8", "int4-awq", "int4-gptq", "gguf-q4_k_m")
FUELS = ("diesel", "propane")
DISPATCH_STRATEGIES = ("load_following", "cycle_charging")
RANK_BY = ("power", "cost")
DISPLAY_UNITS = ("metric", "imperial")
VIDEO_CODECS = ("h264", "h265", "none")
VISION_PRECISIONS = ("int8", "fp8", "fp16")
PV_TRACKING = ("fixed", "single_axis")
AC_SYSTEMS = ("230V-1ph", "208V-1ph", "208V-3ph", "400V-3ph", "120V-1ph")

# Prefix of a weather path that points into the data folder shipped with pvlib.
PVLIB_DATA_PREFIX = "pvlib:"

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# Allowed ranges of the monthly climate table. The GHI bound is a loose input
# check, and core.synthetic applies the tighter limit of 0.8 times the
# extraterrestrial irradiation at the site's latitude.
MAX_MONTHLY_GHI_KWH_M2_DAY = 12.0
MIN_MONTHLY_TEMP_C = -70.0
MAX_MONTHLY_TEMP_C = 60.0


@dataclass
class ProjectInfo:
    """Cover-page facts of the proposal."""

    name: str = "New off-grid AI site"
    customer: str = ""
    author: str = ""
    date: str = ""
    currency: str = "USD"
    notes: str = ""
    units: str = "metric"  # display units of the proposal: "metric" or "imperial"
    # Units of the project currency per unit of another currency, for catalog
    # prices in that currency, e.g. {"USD": 0.92} in a EUR project.
    exchange_rates: dict[str, float] = field(default_factory=dict)


@dataclass
class LLMSpec:
    """A language-model serving workload."""

    model: str = "llama-3-8b"
    precision: str = "fp16"
    context_tokens: int = 8192
    concurrent_users: int = 10
    prompt_tokens: int = 1000
    min_tokens_per_s_per_user: float = 10.0
    max_time_per_token_ms: float = 50.0
    max_time_to_first_token_ms: float = 2000.0


@dataclass
class VisionSpec:
    """A camera or sensor pipeline that runs a detection or classification model."""

    model_name: str = "YOLOv8s (640x640)"
    gflop_per_frame: float = 28.6
    fps: float = 15.0
    streams: int = 8
    max_latency_ms: float = 100.0
    # Precision the network runs at; sets which dense peak the sizing uses.
    precision: str = "int8"
    # Codec of the camera streams for the NVDEC check: "h264", "h265", or "none"
    # for raw frames (MIPI CSI cameras) that need no decode.
    video_codec: str = "h264"
    video_width: int = 1920
    video_height: int = 1080


@dataclass
class BatchSpec:
    """A deferrable job that repeats once a day inside a time window.

    The job size is given as accelerator-hours on a reference accelerator; the
    planner scales it by dense compute when it picks another one.
    """

    reference_accelerator: str = "h100-pcie"
    accelerator_hours_per_run: float = 4.0
    window_start_h: int = 20
    deadline_h: int = 6
    # Optional LLM the job runs (a catalog key); when set, the planner checks
    # that its weights and KV cache fit the accelerator memory.
    model: str = ""
    precision: str = "fp16"
    context_tokens: int = 4096
    sequences_in_flight: int = 32


@dataclass
class Schedule:
    """When the workload is busy; outside these hours the servers stay up with the model loaded."""

    busy_start_h: int = 0
    busy_end_h: int = 24
    busy_utilization: float = 0.6
    quiet_utilization: float = 0.0


@dataclass
class Workload:
    """One workload with its kind-specific parameters and optional hardware override."""

    name: str = "Workload"
    category: str = "realtime_llm_chat"
    kind: str = "llm"
    llm: LLMSpec | None = None
    vision: VisionSpec | None = None
    batch: BatchSpec | None = None
    schedule: Schedule = field(default_factory=Schedule)
    accelerator_override: str = ""
    server_override: str = ""
    # GPU power limit per accelerator [W] (nvidia-smi -pl); None runs at TDP.
    power_cap_w: float | None = None


@dataclass
class Site:
    """Site location, weather file, fuel, PV mounting and electrical settings."""

    name: str = ""
    latitude_deg: float = 0.0
    longitude_deg: float = 0.0
    elevation_m: float = 0.0
    # Offset of local standard time from UTC [h]; None means round(longitude / 15).
    # Only the synthetic year uses it, because weather files carry their own offset.
    utc_offset_h: float | None = None
    weather_file: str = ""
    # Monthly climate for a site without a weather file, 12 values each, January
    # first: mean daily GHI [kWh/m2/day], mean air temperature [degC] and,
    # optionally, the mean daily minimum and maximum [degC]. A weather file,
    # when given, is used instead.
    monthly_ghi_kwh_m2_day: list[float] | None = None
    monthly_temp_mean_c: list[float] | None = None
    monthly_temp_min_c: list[float] | None = None
    monthly_temp_max_c: list[float] | None = None
    # Seed of the day-to-day variability of the synthetic year.
    synthetic_seed: int = 0
    record_low_c: float | None = None
    record_high_c: float | None = None
    battery_room_temp_c: float = 20.0
    fuel: str = "diesel"
    fuel_price_per_l: float = 1.5
    pv_tilt_deg: float = 30.0
    pv_azimuth_deg: float = 180.0
    # "fixed" tilt, or "single_axis" tracking; for a tracker the tilt and
    # azimuth are those of the rotation axis.
    pv_tracking: str = "fixed"
    ac_system: str = "230V-1ph"
    ac_frequency_hz: int = 50
    site_auxiliary_w: float = 150.0
    cooling_cop: float = 3.0
    free_cooling_below_c: float = 20.0
    # One-way DC cable lengths [m] for cable sizing.
    pv_cable_length_m: float = 30.0
    controller_battery_cable_length_m: float = 5.0
    battery_inverter_cable_length_m: float = 3.0

    @property
    def has_monthly_table(self) -> bool:
        """True when the monthly GHI and mean temperature columns are both filled."""
        return self.monthly_ghi_kwh_m2_day is not None and self.monthly_temp_mean_c is not None

    @property
    def resolved_utc_offset_h(self) -> float:
        """Return ``utc_offset_h``, or round(longitude / 15) when it is not set."""
        if self.utc_offset_h is not None:
            return float(self.utc_offset_h)
        return float(round(self.longitude_deg / 15.0))


@dataclass
class Targets:
    """Design targets: autonomy, reliability, budget and how to rank hardware."""

    autonomy_days: float = 1.5
    max_unmet_fraction: float = 0.0
    budget: float | None = None
    rank_hardware_by: str = "power"
    dispatch_strategy: str = "load_following"
    performance_ratio: float = 0.75
    battery_soc_min: float = 0.10
    generator_min_load_ratio: float = 0.30
    generator_target_loading: float = 0.75
    psu_redundancy: str = "1+1"
    project_life_years: int = 20
    discount_rate: float = 0.06
    fuel_escalation_rate: float = 0.02


@dataclass
class Project:
    """Everything the user entered for one site."""

    info: ProjectInfo = field(default_factory=ProjectInfo)
    site: Site = field(default_factory=Site)
    workloads: list[Workload] = field(default_factory=list)
    targets: Targets = field(default_factory=Targets)

    def to_dict(self) -> dict[str, Any]:
        """Return the project as a JSON-ready dictionary with the file header."""
        return {"format": FILE_FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}

    def resolve_weather_path(self, project_dir: Path | None) -> Path:
        """Return the weather file as an absolute path.

        ``pvlib:NAME`` points into the data folder that pvlib ships; a relative
        path is taken relative to the project file's folder.
        """
        text = self.site.weather_file.strip()
        if not text:
            raise InputError("Site > weather file", text, "the path of a TMY3, TMY2, EPW, PVGIS, NSRDB or hourly CSV file")
        if text.startswith(PVLIB_DATA_PREFIX):
            import pvlib

            return Path(pvlib.__file__).parent / "data" / text[len(PVLIB_DATA_PREFIX):]
        path = Path(text).expanduser()
        if not path.is_absolute() and project_dir is not None:
            path = project_dir / path
        return path


# --- validation -------------------------------------------------------------


def _plain_number(value: float) -> str:
    """Format a range bound without scientific notation: 1,048,576 rather than 1.04858e+06."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _check_number(
    field_name: str, value: Any, low: float, high: float, *, integer: bool = False
) -> None:
    """Raise InputError unless ``value`` is a finite number in [low, high]."""
    kind = "an integer" if integer else "a number"
    allowed = f"{kind} from {_plain_number(low)} to {_plain_number(high)}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(field_name, value, allowed)
    if not low <= value <= high:
        # Compared before any float() call, because float() overflows on a huge JSON integer.
        raise InputError(field_name, _short(value), allowed)
    if integer and float(value) != int(value):
        raise InputError(field_name, value, allowed)
    if not math.isfinite(float(value)):
        raise InputError(field_name, value, allowed)


def _short(value: Any) -> Any:
    """Return ``value``, or a shortened text for an integer too long to show in a message."""
    if isinstance(value, int) and abs(value) > 10**30:
        return f"an integer of {len(str(abs(value)))} digits"
    return value


def _check_choice(field_name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InputError(field_name, value, "one of " + ", ".join(choices))


MONTHLY_COLUMNS = (
    ("monthly_ghi_kwh_m2_day", "monthly GHI [kWh/m²/day]", 0.0, MAX_MONTHLY_GHI_KWH_M2_DAY),
    ("monthly_temp_mean_c", "monthly mean temperature [°C]", MIN_MONTHLY_TEMP_C,
     MAX_MONTHLY_TEMP_C),
    ("monthly_temp_min_c", "monthly mean daily minimum [°C]", MIN_MONTHLY_TEMP_C,
     MAX_MONTHLY_TEMP_C),
    ("monthly_temp_max_c", "monthly mean daily maximum [°C]", MIN_MONTHLY_TEMP_C,
     MAX_MONTHLY_TEMP_C),
)


def validate_monthly_climate(site: Site) -> None:
    """Raise InputError naming the column and month of the first bad monthly value.

    Each column is None or a list of 12 numbers, January first. GHI and mean
    temperature come together, so do the daily minimum and maximum, and in
    every month minimum <= mean <= maximum.
    """
    for attribute, label, low, high in MONTHLY_COLUMNS:
        values = getattr(site, attribute)
        if values is None:
            continue
        if not isinstance(values, list) or len(values) != 12:
            raise InputError(f"Site > {label}", values, "a list of 12 numbers, January first")
        for month, value in enumerate(values):
            field_name = f"Site > {label}, {MONTH_NAMES[month]}"
            if value is None:
                raise InputError(field_name, "missing",
                                 f"a number from {_plain_number(low)} to {_plain_number(high)}")
            _check_number(field_name, value, low, high)

    pairs = (("monthly_ghi_kwh_m2_day", "monthly_temp_mean_c"),
             ("monthly_temp_min_c", "monthly_temp_max_c"))
    labels = {attribute: label for attribute, label, _low, _high in MONTHLY_COLUMNS}
    for first, second in pairs:
        for filled, empty in ((first, second), (second, first)):
            if getattr(site, filled) is not None and getattr(site, empty) is None:
                raise InputError(f"Site > {labels[empty]}", "missing",
                                 f"12 values, because the {labels[filled]} column is filled")

    if site.monthly_temp_min_c is None or site.monthly_temp_mean_c is None:
        return
    for month in range(12):
        low = site.monthly_temp_min_c[month]
        mean = site.monthly_temp_mean_c[month]
        high = site.monthly_temp_max_c[month]
        if low > mean:
            raise InputError(f"Site > {labels['monthly_temp_min_c']}, {MONTH_NAMES[month]}", low,
                             f"a value at or below the mean temperature {mean:g} °C")
        if high < mean:
            raise InputError(f"Site > {labels['monthly_temp_max_c']}, {MONTH_NAMES[month]}", high,
                             f"a value at or above the mean temperature {mean:g} °C")


def validate_workload(workload: Workload, index: int) -> None:
    """Raise InputError for the first out-of-range field of one workload."""
    label = f"Workload {index + 1} ('{workload.name}')"
    if not workload.name.strip():
        raise InputError(f"Workload {index + 1} > name", workload.name, "a non-empty name")
    _check_choice(f"{label} > kind", workload.kind, WORKLOAD_KINDS)

    schedule = workload.schedule
    _check_number(f"{label} > busy from (hour)", schedule.busy_start_h, 0, 23, integer=True)
    _check_number(f"{label} > busy until (hour)", schedule.busy_end_h, 1, 24, integer=True)
    if schedule.busy_end_h <= schedule.busy_start_h:
        raise InputError(
            f"{label} > busy until (hour)",
            schedule.busy_end_h,
            f"an hour after the start hour {schedule.busy_start_h}",
        )
    _check_number(f"{label} > busy utilization", schedule.busy_utilization, 0.0, 1.0)
    _check_number(f"{label} > quiet utilization", schedule.quiet_utilization, 0.0, 1.0)

    if workload.kind == "llm":
        spec = workload.llm
        if spec is None:
            raise InputError(f"{label} > LLM parameters", None, "model, precision and concurrency")
        _check_choice(f"{label} > precision", spec.precision, PRECISIONS)
        _check_number(f"{label} > context tokens", spec.context_tokens, 256, 1_048_576,
                      integer=True)
        _check_number(f"{label} > concurrent users", spec.concurrent_users, 1, 10_000,
                      integer=True)
        _check_number(f"{label} > prompt tokens", spec.prompt_tokens, 1, spec.context_tokens,
                      integer=True)
        _check_number(f"{label} > tokens per second per user", spec.min_tokens_per_s_per_user,
                      0.1, 1000)
        _check_number(f"{label} > time per output token [ms]", spec.max_time_per_token_ms,
                      1, 10_000)
        _check_number(f"{label} > time to first token [ms]", spec.max_time_to_first_token_ms,
                      10, 600_000)
    elif workload.kind in ("vision", "trading"):
        spec_v = workload.vision
        if spec_v is None:
            raise InputError(f"{label} > vision parameters", None, "model, frame rate and streams")
        _check_number(f"{label} > GFLOP per frame", spec_v.gflop_per_frame, 0.001, 100_000)
        _check_number(f"{label} > frames per second", spec_v.fps, 0.01, 1000)
        _check_number(f"{label} > streams", spec_v.streams, 1, 10_000, integer=True)
        _check_number(f"{label} > latency target [ms]", spec_v.max_latency_ms, 0.001, 60_000)
        _check_choice(f"{label} > vision precision", spec_v.precision, VISION_PRECISIONS)
        _check_choice(f"{label} > video codec", spec_v.video_codec, VIDEO_CODECS)
        _check_number(f"{label} > video width [px]", spec_v.video_width, 16, 16_384, integer=True)
        _check_number(f"{label} > video height [px]", spec_v.video_height, 16, 16_384,
                      integer=True)
    elif workload.kind == "batch":
        spec_b = workload.batch
        if spec_b is None:
            raise InputError(f"{label} > batch parameters", None, "job size and window")
        _check_number(f"{label} > accelerator-hours per run", spec_b.accelerator_hours_per_run,
                      0.01, 10_000)
        _check_number(f"{label} > window start (hour)", spec_b.window_start_h, 0, 23,
                      integer=True)
        _check_number(f"{label} > deadline (hour)", spec_b.deadline_h, 0, 24, integer=True)
        if spec_b.deadline_h == spec_b.window_start_h:
            raise InputError(f"{label} > deadline (hour)", spec_b.deadline_h,
                             "an hour other than the window start")
        if spec_b.model:
            _check_choice(f"{label} > batch precision", spec_b.precision, PRECISIONS)
            _check_number(f"{label} > batch context tokens", spec_b.context_tokens, 256,
                          1_048_576, integer=True)
            _check_number(f"{label} > sequences in flight", spec_b.sequences_in_flight, 1,
                          100_000, integer=True)
    if workload.power_cap_w is not None:
        _check_number(f"{label} > GPU power cap [W]", workload.power_cap_w, 5, 1000)


def validate_project(project: Project) -> None:
    """Raise InputError naming the first field that is out of range."""
    info = project.info
    if not info.name.strip():
        raise InputError("Project > name", info.name, "a non-empty name")
    if len(info.currency.strip()) != 3 or not info.currency.isalpha():
        raise InputError("Project > currency", info.currency, "a three-letter code such as USD")
    _check_choice("Project > display units", info.units, DISPLAY_UNITS)
    if not isinstance(info.exchange_rates, dict):
        raise InputError("Project > exchange rates", info.exchange_rates,
                         'an object of currency codes and rates, such as {"USD": 0.92}')
    for code, rate in info.exchange_rates.items():
        if len(code) != 3 or not code.isalpha():
            raise InputError("Project > exchange rates", code, "a three-letter currency code")
        _check_number(f"Project > exchange rate of {code}", rate, 1e-6, 1e6)

    site = project.site
    _check_number("Site > latitude [deg]", site.latitude_deg, -90, 90)
    _check_number("Site > longitude [deg]", site.longitude_deg, -180, 180)
    _check_number("Site > elevation [m]", site.elevation_m, -500, 6000)
    if site.utc_offset_h is not None:
        _check_number("Site > UTC offset [h]", site.utc_offset_h, -12, 14)
        if float(site.utc_offset_h) * 4 != round(float(site.utc_offset_h) * 4):
            raise InputError("Site > UTC offset [h]", site.utc_offset_h,
                             "whole, half or quarter hours, such as 5.5 or 5.75")
    validate_monthly_climate(site)
    _check_number("Site > synthetic year seed", site.synthetic_seed, 0, 2**32 - 1, integer=True)
    if site.record_low_c is not None:
        _check_number("Site > record low [degC]", site.record_low_c, -90, 40)
    if site.record_high_c is not None:
        _check_number("Site > record high [degC]", site.record_high_c, -40, 60)
    _check_number("Site > battery room temperature [degC]", site.battery_room_temp_c, -40, 50)
    _check_choice("Site > fuel", site.fuel, FUELS)
    _check_number("Site > fuel price per litre", site.fuel_price_per_l, 0, 100)
    _check_number("Site > PV tilt [deg]", site.pv_tilt_deg, 0, 90)
    _check_number("Site > PV azimuth [deg]", site.pv_azimuth_deg, 0, 360)
    _check_choice("Site > PV mounting", site.pv_tracking, PV_TRACKING)
    _check_choice("Site > AC system", site.ac_system, AC_SYSTEMS)
    if site.ac_frequency_hz not in (50, 60):
        raise InputError("Site > AC frequency [Hz]", site.ac_frequency_hz, "50 or 60")
    _check_number("Site > auxiliary load [W]", site.site_auxiliary_w, 0, 1_000_000)
    _check_number("Site > cooling COP", site.cooling_cop, 0.5, 10)
    _check_number("Site > free cooling below [degC]", site.free_cooling_below_c, -20, 45)
    _check_number("Site > PV cable length, one way [m]", site.pv_cable_length_m, 0.5, 2000)
    _check_number("Site > controller to battery cable length [m]",
                  site.controller_battery_cable_length_m, 0.2, 200)
    _check_number("Site > battery to inverter cable length [m]",
                  site.battery_inverter_cable_length_m, 0.2, 200)

    if not project.workloads:
        raise InputError("Workloads", "none", "at least one workload")
    seen: dict[str, int] = {}
    for index, workload in enumerate(project.workloads):
        validate_workload(workload, index)
        name = workload.name.strip().casefold()
        if name in seen:
            # Loads, racks and the report are labelled by workload name.
            raise InputError(f"Workload {index + 1} > name", workload.name,
                             f"a name other than that of workload {seen[name] + 1}")
        seen[name] = index

    targets = project.targets
    _check_number("Targets > days of autonomy", targets.autonomy_days, 0, 14)
    _check_number("Targets > maximum unmet load fraction", targets.max_unmet_fraction, 0, 0.2)
    if targets.budget is not None:
        _check_number("Targets > budget", targets.budget, 0, 1e12)
    _check_choice("Targets > rank hardware by", targets.rank_hardware_by, RANK_BY)
    _check_choice("Targets > dispatch strategy", targets.dispatch_strategy, DISPATCH_STRATEGIES)
    _check_number("Targets > performance ratio", targets.performance_ratio, 0.4, 1.0)
    _check_number("Targets > battery minimum state of charge", targets.battery_soc_min, 0, 0.8)
    _check_number("Targets > generator minimum load ratio", targets.generator_min_load_ratio,
                  0, 0.9)
    _check_number("Targets > generator target loading", targets.generator_target_loading,
                  0.3, 1.0)
    _check_choice("Targets > PSU redundancy", targets.psu_redundancy, ("1+1", "N+1", "none"))
    _check_number("Targets > project life [years]", targets.project_life_years, 1, 40,
                  integer=True)
    _check_number("Targets > real discount rate", targets.discount_rate, 0, 0.3)
    _check_number("Targets > fuel price escalation per year", targets.fuel_escalation_rate,
                  -0.1, 0.3)


# --- reading and writing ----------------------------------------------------


def _build(cls: type, data: Any, where: str) -> Any:
    """Build dataclass ``cls`` from a JSON object, rejecting unknown keys and wrong types."""
    if not isinstance(data, dict):
        raise InputError(where, data, "a JSON object")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise InputError(f"{where} > {unknown[0]}", data[unknown[0]],
                         "one of the fields " + ", ".join(known))
    for name, value in data.items():
        default = known[name].default
        if isinstance(default, str) and not isinstance(value, str):
            raise InputError(f"{where} > {name}", value, "a text value")
    return cls(**data)


def project_from_dict(data: Any) -> Project:
    """Build a Project from parsed JSON, checking the header, structure and every value."""
    if not isinstance(data, dict):
        raise InputError("Project file", type(data).__name__, "a JSON object")
    if data.get("format") != FILE_FORMAT:
        raise InputError("Project file > format", data.get("format"), f"'{FILE_FORMAT}'")
    version = data.get("format_version")
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        supported = ("1" if FORMAT_VERSION == 1 else f"an integer from 1 to {FORMAT_VERSION}")
        raise InputError("Project file > format_version", version,
                         f"{supported}, the versions this program reads; a newer file needs a "
                         "newer program")
    known_sections = {"format", "format_version", "info", "site", "workloads", "targets"}
    unknown = sorted(set(data) - known_sections)
    if unknown:
        raise InputError(f"Project file > {unknown[0]}", data[unknown[0]],
                         "one of the sections " + ", ".join(sorted(known_sections)))
    for section in ("info", "site", "workloads"):
        if section not in data:
            raise InputError(f"Project file > {section}", "missing",
                             f"a '{section}' section, as in the bundled example projects")

    info = _build(ProjectInfo, data.get("info", {}), "Project")
    site = _build(Site, data.get("site", {}), "Site")
    targets = _build(Targets, data.get("targets", {}), "Targets")

    raw_workloads = data.get("workloads", [])
    if not isinstance(raw_workloads, list):
        raise InputError("Workloads", raw_workloads, "a list of workloads")
    workloads = []
    for index, raw in enumerate(raw_workloads):
        where = f"Workload {index + 1}"
        if not isinstance(raw, dict):
            raise InputError(where, raw, "a JSON object")
        raw = dict(raw)
        nested = {
            "llm": LLMSpec, "vision": VisionSpec, "batch": BatchSpec, "schedule": Schedule,
        }
        for key, cls in nested.items():
            # A null schedule is rejected by _build; null kind parameters mean "not used".
            if raw.get(key) is not None or (key == "schedule" and key in raw):
                raw[key] = _build(cls, raw[key], f"{where} > {key}")
        if "schedule" not in raw:
            raw["schedule"] = Schedule()
        workloads.append(_build(Workload, raw, where))

    project = Project(info=info, site=site, workloads=workloads, targets=targets)
    try:
        validate_project(project)
    except TypeError as error:
        # A string where a number belongs makes a comparison fail before the range check.
        raise InputError("Project file", "a value of the wrong type", str(error)) from error
    return project


def load_project(path: Path | str) -> Project:
    """Read and check a project file.

    Raises
    ------
    FileFormatError
        The file is missing, unreadable, too large or not JSON.
    InputError
        The JSON parses but a field is missing or out of range.
    """
    path = Path(path)
    try:
        size_bytes = path.stat().st_size
    except FileNotFoundError:
        raise FileFormatError(path, "file not found.", "Check the path.") from None
    except OSError as error:
        raise FileFormatError(path, f"cannot be read ({error.strerror}).") from None
    if size_bytes > MAX_PROJECT_FILE_BYTES:
        raise FileFormatError(path, f"is {size_bytes:,} bytes, too large for a project file.",
                              "Open a project saved by this program.")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileFormatError(path, f"cannot be read ({error.strerror}).") from None
    text = _decode_project_text(path, raw)
    if not text.strip():
        raise FileFormatError(path, "is empty.",
                              "Open a project (.json) saved by this program, or a backup copy.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileFormatError(
            path, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).",
            "The file may be truncated or edited by hand. Open a project (.json) saved by this "
            "program, or a backup copy.") from None
    except ValueError as error:
        # Python refuses integers of more than 4300 digits (sys.get_int_max_str_digits).
        raise FileFormatError(path, f"contains a number too large to read ({error}).",
                              "Correct the number or open a project saved by this program.") from None
    except RecursionError:
        raise FileFormatError(path, "nests JSON objects or lists too deeply to be a project.",
                              "Open a project (.json) saved by this program.") from None
    project = project_from_dict(data)
    logger.info("Loaded project %s from %s", project.info.name, path)
    return project


def _decode_project_text(path: Path, raw: bytes) -> str:
    """Decode a project file: UTF-8 with or without a BOM, or UTF-16 with a BOM.

    Some Windows editors save JSON as UTF-16, and their BOM identifies it. Any
    other encoding (Latin-1, Windows-1252) raises FileFormatError naming the
    line and column of the first byte that is not UTF-8.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileFormatError(
                path, f"starts as UTF-16 text but byte {error.start} is invalid ({error.reason}).",
                "The file is truncated or damaged; open a backup copy.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line = raw.count(b"\n", 0, start) + 1
        column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        if b"\x00" in raw[:4096]:
            problem = "is a binary file, not a UTF-8 text file"
            fix = "Open a project (.json) saved by this program."
        else:
            problem = (f"is not a UTF-8 text file (byte 0x{raw[start]:02x} at line {line}, "
                       f"column {column})")
            fix = ("If you edited it, save it again as UTF-8 (for example, Latin-1 or "
                   "Windows-1252 text must be converted).")
        raise FileFormatError(path, problem + ".", fix) from None


def save_project(project: Project, path: Path | str) -> None:
    """Write the project as JSON: to a temporary file first, then renamed over ``path``."""
    path = Path(path)
    text = json.dumps(project.to_dict(), indent=2, ensure_ascii=False) + "\n"
    handle, temp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    logger.info("Saved project %s to %s", project.info.name, path)
