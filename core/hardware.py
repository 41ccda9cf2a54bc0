"""Hardware choice: for each workload, the accelerators and servers that meet it with the least power.

Defaults follow the hardware matrix of the inference workload taxonomy: PCIe
and embedded parts for off-grid sites, SXM/HGX systems only when nothing else
fits (with a warning, since one such server draws several kW), and an NVLink
bridge only where tensor parallel inference must meet a tight latency.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core import demand
from core.demand import AcceleratorData, LLMArchitectureData
from core.power import AcceleratorPower, ServerPowerModel
from core.project import Workload

logger = logging.getLogger(__name__)

# A batch server is switched off between runs and woken for each run (the hybrid
# pattern of an always-on edge box plus a server that wakes only for batch
# work). Off, it still draws standby power for its management controller.
# Estimates: a server BMC and standby rail 15 W, an embedded box 2 W.
STANDBY_W_SERVER = 15.0
STANDBY_W_EDGE = 2.0

# Workload categories that run best on an embedded SoC with unified memory
# (Jetson AGX Orin, IGX Orin): no copy between CPU and GPU memory, 15-75 W.
UNIFIED_MEMORY_CATEGORIES = ("av_perception", "robotics")

# Sub-millisecond trading: an FPGA network card responds in microseconds, where a
# GPU kernel launch alone costs several microseconds and PCIe adds more.
FPGA_LATENCY_THRESHOLD_MS = 1.0


def accelerator_data(row: Any) -> AcceleratorData:
    """Copy the sizing numbers of a catalog Accelerator row."""
    return AcceleratorData(
        key=row.key,
        name=row.name,
        form_factor=row.form_factor,
        memory_gb=row.memory_gb,
        memory_bandwidth_gbps=row.memory_bandwidth_gbps,
        fp16_dense_tflops=row.fp16_dense_tflops,
        fp8_dense_tflops=row.fp8_dense_tflops,
        int8_dense_tops=row.int8_dense_tops,
        nvlink=row.nvlink,
        nvlink_gbps=row.nvlink_gbps,
        unified_memory=bool(row.unified_memory),
        os_reserved_gb=row.os_reserved_gb or 0.0,
        nvdec_count=getattr(row, "nvdec_count", None),
        tdp_w=row.tdp_w,
    )


def architecture_data(row: Any) -> LLMArchitectureData:
    """Copy the sizing numbers of a catalog LLMArchitecture row."""
    return LLMArchitectureData(
        name=row.name,
        params_total_b=row.params_total_b,
        params_active_b=row.params_active_b,
        layers=row.layers,
        hidden_size=row.hidden_size,
        attention_heads=row.attention_heads,
        kv_heads=row.kv_heads,
        head_dim=row.head_dim,
        ffn_size=row.ffn_size,
        vocab_size=row.vocab_size,
        tied_embeddings=bool(getattr(row, "tied_embeddings", False)),
    )


def hourly_utilization(workload: Workload, busy_utilization: float | None = None) -> np.ndarray:
    """Return utilization (0-1) for each hour of the day, shape (24,)."""
    schedule = workload.schedule
    busy = schedule.busy_utilization if busy_utilization is None else busy_utilization
    hours = np.arange(24)
    in_busy = (hours >= schedule.busy_start_h) & (hours < schedule.busy_end_h)
    return np.where(in_busy, busy, schedule.quiet_utilization)


@dataclass
class ServerGroup:
    """Identical servers carrying one workload."""

    server_key: str
    server_name: str
    server_count: int
    accelerators_per_server: int
    power: ServerPowerModel
    rack_units: int
    rugged: bool
    price: float | None

    def wall_power_w(self, utilization, model_loaded: bool = True):
        """Return the AC power of the whole group [W]."""
        return self.server_count * self.power.wall_power_w(utilization, model_loaded)

    @property
    def standby_w(self) -> float:
        """Return the draw of the whole group while switched off [W]."""
        each_w = STANDBY_W_SERVER if self.rack_units else STANDBY_W_EDGE
        return self.server_count * each_w


@dataclass
class HardwareOption:
    """One way to carry a workload: an accelerator type, how many, and in which servers."""

    accelerator_key: str
    accelerator_name: str
    form_factor: str
    accelerator_count: int
    feasible: bool
    sizing: Any
    servers: ServerGroup | None = None
    tensor_parallel: int = 1
    nvlink_bridges: int = 0
    average_wall_w: float = math.inf
    peak_wall_w: float = math.inf
    capital_cost: float | None = None
    why_not: str = ""
    accelerator_price: float | None = None
    power_cap_w: float | None = None
    power_cap_note: str = ""

    @property
    def label(self) -> str:
        return f"{self.accelerator_count} x {self.accelerator_name}"


@dataclass
class WorkloadChoice:
    """The chosen hardware for one workload, the runner-up and the reason."""

    workload: Workload
    chosen: HardwareOption | None
    runner_up: HardwareOption | None
    options: list[HardwareOption]
    reason: str
    warnings: list[str] = field(default_factory=list)
    daily_utilization: np.ndarray = field(default_factory=lambda: np.zeros(24))
    model_loaded: bool = True
    batch_run_hours: float = 0.0


def _price(row: Any) -> float | None:
    return getattr(row, "price", None)


def _match_servers(accel_row: Any, servers: list[Any], tensor_parallel: int,
                   needs_bridge: bool, override: str) -> list[Any]:
    """Return the servers that can host ``accel_row`` with TP groups kept inside one server."""
    matches = []
    for server in servers:
        if override and server.key != override:
            continue
        if accel_row.form_factor == "embedded":
            if server.integrated_accelerator_key == accel_row.key:
                matches.append(server)
            continue
        if server.integrated_accelerator_key:
            continue
        if server.gpu_form_factor != accel_row.form_factor:
            continue
        if server.max_gpu_tdp_w < accel_row.tdp_w:
            continue
        if server.gpu_slots < tensor_parallel:
            continue
        if needs_bridge and not server.nvlink_bridge_supported:
            continue
        matches.append(server)
    return matches


def effective_power_cap_w(workload: Workload, accel_row: Any) -> tuple[float | None, str]:
    """Return the power cap to apply to ``accel_row`` [W] (None for TDP) and a note on any change.

    A cap at or above TDP is dropped; a cap below the card's minimum settable
    limit (catalog ``min_power_cap_w``) is raised to that minimum.
    """
    cap_w = workload.power_cap_w
    if cap_w is None:
        return None, ""
    if isinstance(cap_w, bool) or not isinstance(cap_w, (int, float)) or cap_w <= 0:
        raise ValueError(
            f"power cap {cap_w!r} is invalid; give a wattage above 0 or leave it empty")
    if cap_w >= accel_row.tdp_w:
        return None, ""
    minimum_w = accel_row.min_power_cap_w
    if minimum_w is not None and cap_w < minimum_w:
        return float(minimum_w), (
            f"the {cap_w:g} W cap is below the {minimum_w:g} W minimum that "
            f"{accel_row.name} accepts; {minimum_w:g} W is used")
    return float(cap_w), ""


def _server_group(accel_row: Any, server: Any, accelerator_count: int,
                  tensor_parallel: int, power_cap_w: float | None = None) -> ServerGroup:
    if accel_row.form_factor == "embedded":
        per_server = 1
    else:
        per_server = max((server.gpu_slots // tensor_parallel) * tensor_parallel, 1)
    server_count = math.ceil(accelerator_count / per_server)
    per_server = math.ceil(accelerator_count / server_count)
    accel_power = AcceleratorPower(
        idle_w=accel_row.idle_w,
        loaded_idle_w=accel_row.loaded_idle_w,
        active_w=power_cap_w if power_cap_w is not None else accel_row.tdp_w,
    )
    model = ServerPowerModel(
        accelerator=accel_power,
        accelerator_count=per_server,
        platform_idle_w=server.platform_idle_w,
        platform_active_w=server.platform_active_w,
        psu_rating_w=server.psu_rating_w,
        psu_count=server.psu_count,
        psu_efficiency_class=server.psu_efficiency_class,
    )
    return ServerGroup(
        server_key=server.key,
        server_name=server.name,
        server_count=server_count,
        accelerators_per_server=per_server,
        power=model,
        rack_units=server.rack_units,
        rugged=bool(server.rugged),
        price=_price(server),
    )


def _size_option(workload: Workload, accel_row: Any, catalog: dict[str, Any],
                 power_cap_w: float | None = None) -> HardwareOption:
    """Size one accelerator type for the workload, without choosing a server yet."""
    accel = accelerator_data(accel_row)
    option = HardwareOption(
        accelerator_key=accel_row.key,
        accelerator_name=accel_row.name,
        form_factor=accel_row.form_factor,
        accelerator_count=0,
        feasible=False,
        sizing=None,
        accelerator_price=_price(accel_row),
    )
    if accel_row.form_factor == "fpga" and workload.kind != "trading":
        option.why_not = "FPGA cards are sized only for trading workloads"
        return option
    if workload.kind == "llm":
        _size_llm_option(option, workload, accel, catalog, power_cap_w)
    elif workload.kind in ("vision", "trading"):
        _size_vision_option(option, workload, accel, accel_row, power_cap_w)
    elif workload.kind == "batch":
        _size_batch_option(option, workload, accel, accel_row, catalog, power_cap_w)
    return option


def _size_llm_option(option: HardwareOption, workload: Workload, accel: AcceleratorData,
                     catalog: dict[str, Any], power_cap_w: float | None) -> None:
    spec = workload.llm
    if not accel.memory_bandwidth_gbps or not accel.fp16_dense_tflops:
        option.why_not = "the catalog row has no memory bandwidth or dense FP16 figure"
        return
    arch_row = catalog["llm_models"].get(spec.model)
    if arch_row is None:
        option.why_not = f"LLM model '{spec.model}' is not in the catalog"
        return
    sizing = demand.size_llm(
        architecture_data(arch_row), accel, spec.precision, spec.context_tokens,
        spec.concurrent_users, spec.prompt_tokens, spec.max_time_per_token_ms,
        spec.max_time_to_first_token_ms, spec.min_tokens_per_s_per_user,
        power_cap_w=power_cap_w)
    option.sizing = sizing
    option.accelerator_count = sizing.accelerator_count
    option.tensor_parallel = sizing.tensor_parallel
    option.feasible = sizing.feasible
    if not sizing.feasible:
        option.why_not = "; ".join(sizing.notes)
    if sizing.tensor_parallel > 1 and accel.nvlink == "bridge":
        option.nvlink_bridges = sizing.replicas * (sizing.tensor_parallel // 2)


def _size_vision_option(option: HardwareOption, workload: Workload, accel: AcceleratorData,
                        accel_row: Any, power_cap_w: float | None) -> None:
    spec_v = workload.vision
    if accel_row.form_factor == "fpga" and not accel_row.int8_dense_tops:
        option.why_not = "no dense compute figure for this FPGA card in the catalog"
        return
    # A trading feed is market data, not video, so it needs no decoder.
    codec = "none" if workload.kind == "trading" else spec_v.video_codec
    try:
        sizing_v = demand.size_vision(
            accel, spec_v.gflop_per_frame, spec_v.fps, spec_v.streams, spec_v.max_latency_ms,
            precision=spec_v.precision, video_codec=codec, video_width=spec_v.video_width,
            video_height=spec_v.video_height, power_cap_w=power_cap_w)
    except ValueError as error:
        option.why_not = str(error)
        return
    option.sizing = sizing_v
    option.accelerator_count = sizing_v.accelerator_count
    option.feasible = sizing_v.feasible
    if not sizing_v.feasible:
        option.why_not = (f"latency: {sizing_v.latency_ms:.2f} ms per frame vs target "
                          f"{spec_v.max_latency_ms:g} ms")


def _size_batch_option(option: HardwareOption, workload: Workload, accel: AcceleratorData,
                       accel_row: Any, catalog: dict[str, Any],
                       power_cap_w: float | None) -> None:
    spec_b = workload.batch
    reference_row = catalog["accelerators"].get(spec_b.reference_accelerator)
    if reference_row is None:
        option.why_not = (f"reference accelerator '{spec_b.reference_accelerator}' is not "
                          "in the catalog")
        return
    if accel_row.form_factor == "fpga":
        option.why_not = "FPGA cards are not sized for batch jobs"
        return
    model_fit = None
    if spec_b.model:
        arch_row = catalog["llm_models"].get(spec_b.model)
        if arch_row is None:
            option.why_not = f"batch model '{spec_b.model}' is not in the catalog"
            return
        model_fit = demand.fit_batch_model(
            architecture_data(arch_row), accel, spec_b.precision, spec_b.context_tokens,
            spec_b.sequences_in_flight)
    sizing_b = demand.size_batch(accel, accelerator_data(reference_row),
                                 spec_b.accelerator_hours_per_run, spec_b.window_start_h,
                                 spec_b.deadline_h, model_fit=model_fit,
                                 power_cap_w=power_cap_w)
    option.sizing = sizing_b
    option.accelerator_count = sizing_b.accelerator_count
    option.feasible = sizing_b.feasible
    if model_fit is not None:
        option.tensor_parallel = model_fit.tensor_parallel
    reasons = []
    if model_fit is not None and not model_fit.fits_memory:
        reasons.append(
            f"memory: {spec_b.model} with {spec_b.sequences_in_flight} sequences of "
            f"{spec_b.context_tokens} tokens needs {model_fit.memory_per_gpu_gb:.1f} GB per "
            f"accelerator at tensor parallel {model_fit.tensor_parallel}, has "
            f"{model_fit.usable_memory_per_gpu_gb:.1f} GB usable")
    if not sizing_b.fits_window:
        reasons.append(
            f"window: {sizing_b.run_hours:.1f} h per run on {sizing_b.accelerator_count} "
            f"accelerators vs the {sizing_b.window_hours} h window")
    option.why_not = "; ".join(reasons)


def _utilization_for(workload: Workload, option: HardwareOption) -> tuple[np.ndarray, bool, float]:
    """Return (hourly utilization (24,), model stays loaded, batch run hours per day)."""
    if workload.kind in ("vision", "trading"):
        return hourly_utilization(workload, option.sizing.utilization), True, 0.0
    if workload.kind == "batch":
        return np.zeros(24), False, option.sizing.run_hours
    return hourly_utilization(workload), True, 0.0


def _average_power_w(group: ServerGroup, utilization: np.ndarray, model_loaded: bool,
                     batch_run_hours: float) -> float:
    if batch_run_hours > 0:
        active_w = float(group.wall_power_w(1.0))
        return group.standby_w + (active_w - group.standby_w) * batch_run_hours / 24.0
    return float(np.mean(group.wall_power_w(utilization, model_loaded)))


def _capital_cost(option: HardwareOption) -> float | None:
    if option.accelerator_price is None or option.servers is None:
        return None
    if option.servers.price is None:
        return None
    accel_cost = option.accelerator_price * option.accelerator_count
    if option.form_factor == "embedded":
        accel_cost = 0.0  # the embedded module is part of the box price
    return accel_cost + option.servers.price * option.servers.server_count


def choose_hardware(workload: Workload, catalog: dict[str, Any],
                    rank_by: str = "power") -> WorkloadChoice:
    """Rank every catalog accelerator for ``workload`` and choose the best feasible one.

    ``catalog`` maps table names ("accelerators", "servers", "llm_models") to
    dictionaries of catalog rows by key. Options are ranked by average wall
    power (the off-grid default) or capital cost; SXM systems come after every
    PCIe or embedded option that fits.
    """
    accelerators = list(catalog["accelerators"].values())
    if workload.accelerator_override:
        accelerators = [row for row in accelerators if row.key == workload.accelerator_override]
    servers = list(catalog["servers"].values())

    options: list[HardwareOption] = []
    for accel_row in accelerators:
        power_cap_w, cap_note = effective_power_cap_w(workload, accel_row)
        option = _size_option(workload, accel_row, catalog, power_cap_w)
        option.power_cap_w, option.power_cap_note = power_cap_w, cap_note
        if option.sizing is not None and option.accelerator_count > 0:
            needs_bridge = option.nvlink_bridges > 0
            matches = _match_servers(accel_row, servers, option.tensor_parallel, needs_bridge,
                                     workload.server_override)
            if not matches:
                option.feasible = False
                option.why_not = option.why_not or _no_server_text(
                    accel_row, option.tensor_parallel, needs_bridge, workload.server_override)
            best_group = None
            best_average_w = math.inf
            for server in matches:
                group = _server_group(accel_row, server, option.accelerator_count,
                                      option.tensor_parallel, power_cap_w)
                utilization, loaded, run_hours = _utilization_for(workload, option)
                average_w = _average_power_w(group, utilization, loaded, run_hours)
                # Among equal power a rugged chassis wins: the site is remote and dusty.
                better = average_w < best_average_w - 1e-6 or (
                    abs(average_w - best_average_w) <= 1e-6 and group.rugged)
                if better:
                    best_group, best_average_w = group, average_w
            if best_group is not None:
                option.servers = best_group
                option.average_wall_w = best_average_w
                option.peak_wall_w = float(best_group.wall_power_w(1.0))
                option.capital_cost = _capital_cost(option)
        options.append(option)

    def rank_key(option: HardwareOption):
        sxm = option.form_factor == "sxm"
        if rank_by == "cost":
            # Unpriced options go after priced ones, so cost and watts never compare.
            unpriced = option.capital_cost is None
            cost = math.inf if unpriced else option.capital_cost
            return (not option.feasible, sxm, unpriced, cost, option.average_wall_w,
                    option.accelerator_count)
        return (not option.feasible, sxm, option.average_wall_w, option.accelerator_count)

    options.sort(key=rank_key)
    feasible = [option for option in options if option.feasible and option.servers is not None]
    chosen = feasible[0] if feasible else None
    runner_up = feasible[1] if len(feasible) > 1 else None
    choice = WorkloadChoice(workload=workload, chosen=chosen, runner_up=runner_up,
                            options=options, reason="")
    if chosen is None:
        closest = options[0] if options else None
        why = f" Closest: {closest.label} ({closest.why_not})." if closest else ""
        choice.reason = "No catalog accelerator meets this workload." + why
        choice.warnings.append(f"'{workload.name}': no hardware meets the workload.{why}")
        return choice

    utilization, loaded, run_hours = _utilization_for(workload, chosen)
    choice.daily_utilization = utilization
    choice.model_loaded = loaded
    choice.batch_run_hours = run_hours
    choice.reason = _reason_text(workload, chosen, runner_up, len(feasible), rank_by)
    choice.warnings.extend(_warnings(workload, chosen, catalog))
    return choice


def _no_server_text(accel_row: Any, tensor_parallel: int, needs_bridge: bool,
                    server_override: str) -> str:
    """Return why no catalog server hosts the accelerator, naming the requirement."""
    if server_override:
        return f"server '{server_override}' (override) cannot host it"
    if accel_row.form_factor == "embedded":
        return "no catalog box carries this module"
    needs = [f"{accel_row.form_factor} slots for {tensor_parallel} card(s) "
             f"of {accel_row.tdp_w:g} W"]
    if needs_bridge:
        needs.append("NVLink bridge support")
    return "no catalog server has " + " and ".join(needs)


def _sizing_summary(workload: Workload, option: HardwareOption) -> str:
    sizing = option.sizing
    if workload.kind == "llm":
        return (f"{sizing.memory_per_gpu_gb:.1f} of {sizing.usable_memory_per_gpu_gb:.1f} GB "
                f"per accelerator, {sizing.time_per_token_ms:.1f} ms per token "
                f"(target {workload.llm.max_time_per_token_ms:g} ms), "
                f"{sizing.time_to_first_token_ms:.0f} ms to first token, "
                f"{sizing.replicas} replica{'s' if sizing.replicas > 1 else ''} of "
                f"{sizing.tensor_parallel} accelerator{'s' if sizing.tensor_parallel > 1 else ''}"
                f" (tensor parallel {sizing.tensor_parallel})")
    if workload.kind in ("vision", "trading"):
        text = (f"{sizing.required_tops:.1f} dense TOPS needed, "
                f"{sizing.effective_tops_per_accelerator:.1f} effective TOPS per accelerator, "
                f"{sizing.latency_ms:.2f} ms per frame "
                f"(target {workload.vision.max_latency_ms:g} ms)")
        if sizing.decode_capacity_1080p30_per_accelerator is not None:
            text += (f", video decode {sizing.decode_streams_1080p30:.1f} of "
                     f"{sizing.decode_capacity_1080p30_per_accelerator:g} 1080p30 streams "
                     "per accelerator")
        return text + f"; binding limit: {sizing.binding_limit}"
    text = (f"{sizing.accelerator_hours:.1f} accelerator-hours per run, "
            f"{sizing.run_hours:.1f} h on {sizing.accelerator_count} "
            f"in a {sizing.window_hours} h window")
    if sizing.model_fit is not None:
        fit = sizing.model_fit
        text += (f", {fit.model} takes {fit.memory_per_gpu_gb:.1f} of "
                 f"{fit.usable_memory_per_gpu_gb:.1f} GB per accelerator")
    return text


def _reason_text(workload: Workload, chosen: HardwareOption, runner_up: HardwareOption | None,
                 feasible_count: int, rank_by: str) -> str:
    metric = "capital cost" if rank_by == "cost" else "average power"
    text = (f"{chosen.label} in {chosen.servers.server_count} x {chosen.servers.server_name}: "
            f"lowest {metric} ({chosen.average_wall_w:.0f} W average, "
            f"{chosen.peak_wall_w:.0f} W peak) of {feasible_count} options that meet the "
            f"workload; {_sizing_summary(workload, chosen)}.")
    if workload.accelerator_override:
        text = f"Chosen by the engineer (override). {text}"
    if runner_up is not None:
        delta_w = runner_up.average_wall_w - chosen.average_wall_w
        text += (f" Runner-up: {runner_up.label} in {runner_up.servers.server_name}, "
                 f"{delta_w:+.0f} W average.")
    return text


def _warnings(workload: Workload, chosen: HardwareOption, catalog: dict[str, Any]) -> list[str]:
    warnings = []
    name = workload.name
    if chosen.form_factor == "sxm":
        warnings.append(
            f"'{name}': {chosen.accelerator_name} is an SXM module in an HGX/DGX-class server; "
            "such systems draw several kW and need high airflow or liquid cooling, a poor fit "
            "off-grid. Prefer PCIe or embedded parts where the workload allows.")
    if chosen.tensor_parallel > 1:
        if chosen.nvlink_bridges:
            warnings.append(
                f"'{name}': tensor parallel {chosen.tensor_parallel} across "
                f"{chosen.accelerator_name} cards; order {chosen.nvlink_bridges} NVLink "
                "bridge(s) and a server that supports them.")
        elif chosen.form_factor == "pcie":
            warnings.append(
                f"'{name}': tensor parallel {chosen.tensor_parallel} over PCIe without NVLink; "
                "the all-reduce traffic adds latency per token (included in the estimate).")
    if workload.kind == "trading":
        target_ms = workload.vision.max_latency_ms
        if target_ms < FPGA_LATENCY_THRESHOLD_MS and chosen.form_factor != "fpga":
            warnings.append(
                f"'{name}': a {target_ms:g} ms target is sub-millisecond; an FPGA network card "
                "(for example AMD Alveo) fits better than a GPU, whose kernel launch and PCIe "
                "transfers alone take microseconds to tens of microseconds.")
    warnings.extend(_taxonomy_warnings(workload, chosen))
    accel_row = catalog["accelerators"].get(chosen.accelerator_key)
    if accel_row is not None and accel_row.unified_memory:
        warnings.append(
            f"'{name}': {chosen.accelerator_name} shares its memory between CPU and GPU; "
            f"{accel_row.os_reserved_gb or 0:g} GB is kept for the operating system.")
    return warnings


def _taxonomy_warnings(workload: Workload, chosen: HardwareOption) -> list[str]:
    """Return the warnings on power caps, video decode, form factor, FP64 and chassis."""
    warnings = []
    name = workload.name
    if chosen.power_cap_note:
        warnings.append(f"'{name}': {chosen.power_cap_note}.")
    if chosen.power_cap_w is not None:
        warnings.append(
            f"'{name}': {chosen.accelerator_name} is capped at {chosen.power_cap_w:g} W. "
            "The sizing slows compute-bound work (prefill, vision, batch) in proportion to "
            "the cap, an estimate, and decode only below "
            f"{demand.DECODE_POWER_FRACTION_OF_TDP:.0%} of TDP, where memory-bound decode "
            "stops drawing more; set the same limit with nvidia-smi -pl on site.")
    sizing = chosen.sizing
    if isinstance(sizing, demand.ComputeSizing):
        for note in sizing.notes:
            warnings.append(f"'{name}': {note}.")
        if sizing.binding_limit == "video decode":
            warnings.append(
                f"'{name}': video decode sets the count: {sizing.decode_streams_1080p30:.1f} "
                "1080p30-equivalent streams need "
                f"{sizing.decode_count} x {chosen.accelerator_name} at "
                f"{sizing.decode_capacity_1080p30_per_accelerator:g} streams each "
                f"(an estimate per NVDEC engine), where compute needs {sizing.compute_count}.")
    if (workload.category in UNIFIED_MEMORY_CATEGORIES and chosen.form_factor != "embedded"):
        warnings.append(
            f"'{name}': this category usually runs on an embedded SoC with unified memory "
            "(Jetson AGX Orin or IGX Orin), which avoids CPU-GPU copies and draws 15-75 W. "
            f"{chosen.accelerator_name} was chosen because no embedded part met the workload "
            "or an override requested it.")
    if workload.category == "scientific_batch":
        warnings.append(
            f"'{name}': scientific codes often need FP64; the job is scaled by dense FP16 "
            f"throughput, so check the FP64 rate of {chosen.accelerator_name} if the job "
            "needs it (L4, L40S, A40 and RTX cards run FP64 at a small fraction of FP32).")
    if chosen.servers is not None and not chosen.servers.rugged and chosen.servers.rack_units:
        warnings.append(
            f"'{name}': {chosen.servers.server_name} is not a rugged chassis; house it in a "
            "conditioned, filtered room, since a standard server does not suit an open-air "
            "or unconditioned shed (dust and humidity).")
    return warnings
