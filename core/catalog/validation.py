"""Physical-range and consistency checks for catalog rows.

The same checks run on every seed CSV row and on every component a user adds,
so a typo such as a sparse TFLOPS figure or a sibling SKU's TDP is rejected
before it reaches a sizing result. Each check returns ``(column, problem)``
pairs and leaves the error type to the caller.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.catalog.models import (
    CONFIDENCE_LEVELS,
    ORIGINS,
    PDU,
    PRICE_BASES,
    Accelerator,
    BatteryModule,
    ChargeController,
    Generator,
    InverterCharger,
    LLMArchitecture,
    PVModule,
    Server,
    WorkloadPreset,
)

Problem = tuple[str, str]
Row = Mapping[str, Any]

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._\-]*$")

WORKLOAD_CATEGORIES = (
    "realtime_llm_chat",
    "av_perception",
    "robotics",
    "trading",
    "medical_imaging",
    "video_analytics",
    "scientific_batch",
    "media_batch",
    "synthetic_data",
    "risk_overnight",
)

# Dense FP16 FLOP per byte of memory bandwidth. Dense parts sit between about 150
# (A100) and 420 (L40S, L4); storing a 2:4-sparse headline doubles the ratio, to
# 590-840 for H100, L40S and L4. The limit catches that mistake on most parts.
MAX_DENSE_FLOP_PER_BYTE = 500.0

# Dense FP8 or INT8 is at most twice dense FP16 on every part in the catalog. A
# ratio near 4 means a sparse FP8/INT8 figure was paired with a dense FP16 one.
MAX_LOW_PRECISION_RATIO = 2.05


@dataclass(frozen=True)
class Range:
    """Allowed interval of a numeric column; ``None`` bounds are open."""

    gt: float | None = None
    ge: float | None = None
    le: float | None = None

    def describe(self) -> str:
        parts = []
        if self.gt is not None:
            parts.append(f"> {self.gt:g}")
        if self.ge is not None:
            parts.append(f">= {self.ge:g}")
        if self.le is not None:
            parts.append(f"<= {self.le:g}")
        return " and ".join(parts)

    def contains(self, value: float) -> bool:
        if self.gt is not None and not value > self.gt:
            return False
        if self.ge is not None and not value >= self.ge:
            return False
        if self.le is not None and not value <= self.le:
            return False
        return True


POSITIVE = Range(gt=0)
NON_NEGATIVE = Range(ge=0)
FRACTION = Range(ge=0, le=1)

COMMON_CHOICES: dict[str, tuple[str, ...]] = {
    "confidence": CONFIDENCE_LEVELS,
    "origin": ORIGINS,
    "price_basis": PRICE_BASES,
}

CHOICES: dict[type, dict[str, tuple[str, ...]]] = {
    Accelerator: {
        "form_factor": ("pcie", "sxm", "embedded", "fpga"),
        "nvlink": ("none", "bridge", "switch"),
        "cooling": ("passive", "active", "liquid", "module"),
    },
    Server: {
        "kind": ("server", "edge"),
        "gpu_form_factor": ("pcie", "sxm", "embedded"),
        "psu_redundancy": ("N+1", "1+1", "none"),
        "psu_efficiency_class": ("titanium", "platinum", "gold", "none"),
    },
    BatteryModule: {"chemistry": ("LFP",)},
    Generator: {"fuel": ("diesel", "propane"), "frequency_hz": (50, 60)},
    WorkloadPreset: {
        "category": WORKLOAD_CATEGORIES,
        "kind": ("llm", "vision", "batch", "trading"),
        "precision": ("fp16", "bf16", "fp8", "int8", "int4-awq", "int4-gptq", "gguf-q4_k_m"),
    },
}

RANGES: dict[type, dict[str, Range]] = {
    Accelerator: {
        "memory_gb": Range(ge=0, le=1024),
        "memory_bandwidth_gbps": Range(ge=0, le=20000),
        "fp16_dense_tflops": Range(ge=0, le=5000),
        "fp8_dense_tflops": Range(gt=0, le=10000),
        "int8_dense_tops": Range(gt=0, le=10000),
        "tdp_w": Range(gt=0, le=2000),
        "min_power_cap_w": Range(gt=0, le=2000),
        "idle_w": Range(ge=0, le=500),
        "loaded_idle_w": Range(ge=0, le=1000),
        "nvlink_gbps": Range(gt=0, le=3600),
        "slot_width": Range(ge=0, le=4),
        "os_reserved_gb": Range(ge=0, le=64),
        "nvdec_count": Range(ge=0, le=16),
        "pcie_gen": Range(ge=1, le=6),
    },
    Server: {
        "gpu_slots": Range(ge=0, le=16),
        "max_gpu_tdp_w": Range(ge=0, le=2000),
        "psu_rating_w": Range(gt=0, le=10000),
        "psu_count": Range(ge=1, le=12),
        "platform_idle_w": Range(gt=0, le=3000),
        "platform_active_w": Range(gt=0, le=5000),
        "rack_units": Range(ge=0, le=10),
        "depth_mm": Range(gt=0, le=1300),
        "psu_inrush_a": Range(gt=0, le=200),
    },
    PVModule: {
        "pmax_w": Range(gt=0, le=1000),
        "vmp_v": Range(gt=0, le=100),
        "imp_a": Range(gt=0, le=30),
        "voc_v": Range(gt=0, le=120),
        "isc_a": Range(gt=0, le=30),
        "gamma_pmax_pct_per_c": Range(ge=-1.0, le=0),
        "beta_voc_pct_per_c": Range(ge=-1.0, le=0),
        "alpha_isc_pct_per_c": Range(ge=0, le=0.2),
        "noct_c": Range(ge=30, le=60),
        "length_mm": Range(gt=0, le=3000),
        "width_mm": Range(gt=0, le=2000),
        "weight_kg": Range(gt=0, le=60),
        "max_system_v": Range(ge=600, le=1500),
        "cells": Range(ge=1, le=300),
    },
    BatteryModule: {
        "nominal_v": Range(gt=0, le=1000),
        "capacity_ah": Range(gt=0, le=2000),
        "energy_kwh": Range(gt=0, le=500),
        "max_charge_a": Range(gt=0, le=2000),
        "max_discharge_a": Range(gt=0, le=2000),
        "round_trip_efficiency": Range(ge=0.7, le=1.0),
        "soc_min": FRACTION,
        "soc_max": FRACTION,
        "cycle_life": Range(ge=100, le=20000),
        "cycle_life_dod": Range(gt=0, le=1),
        "charge_temp_min_c": Range(ge=-40, le=20),
        "charge_temp_max_c": Range(ge=20, le=70),
        "discharge_temp_min_c": Range(ge=-40, le=20),
        "max_in_parallel": Range(ge=1, le=1000),
        "calendar_life_years": Range(gt=0, le=40),
    },
    InverterCharger: {
        "battery_v": Range(ge=12, le=1000),
        "continuous_va": Range(gt=0, le=100000),
        "continuous_w_25c": Range(gt=0, le=100000),
        "continuous_w_40c": Range(gt=0, le=100000),
        "surge_w": Range(gt=0, le=200000),
        "max_efficiency": Range(ge=0.7, le=1.0),
        "idle_w": Range(ge=0, le=500),
        "search_mode_w": Range(ge=0, le=500),
        "charge_current_a": Range(ge=0, le=1000),
        "ac_input_current_a": Range(gt=0, le=1000),
        "max_in_parallel": Range(ge=1, le=100),
        "output_v": Range(ge=100, le=480),
        "output_hz": Range(ge=50, le=60),
    },
    ChargeController: {
        "max_pv_voc_v": Range(gt=0, le=1500),
        "mppt_v_min": Range(gt=0, le=1500),
        "mppt_v_max": Range(gt=0, le=1500),
        "max_pv_isc_a": Range(gt=0, le=500),
        "max_charge_a": Range(gt=0, le=500),
        "max_efficiency": Range(ge=0.8, le=1.0),
        "trackers": Range(ge=1, le=8),
    },
    Generator: {
        "prime_kw": Range(gt=0, le=2000),
        "standby_kw": Range(gt=0, le=2500),
        "fuel_f0_l_per_h_per_kw": Range(ge=0, le=0.4),
        "fuel_f1_l_per_h_per_kw": Range(ge=0.1, le=0.8),
        "min_load_ratio": FRACTION,
        "lifetime_h": Range(gt=0, le=200000),
        "phases": Range(ge=1, le=3),
        "voltage_v": Range(ge=100, le=600),
    },
    PDU: {
        "voltage_v": Range(ge=100, le=480),
        "phases": Range(ge=1, le=3),
        "input_current_a": Range(gt=0, le=125),
        "outlets_c13": Range(ge=0, le=60),
        "outlets_c19": Range(ge=0, le=60),
        "continuous_kva": Range(gt=0, le=100),
    },
    LLMArchitecture: {
        "params_total_b": Range(gt=0, le=5000),
        "params_active_b": Range(gt=0, le=5000),
        "layers": Range(ge=1, le=300),
        "hidden_size": Range(ge=64, le=65536),
        "attention_heads": Range(ge=1, le=1024),
        "kv_heads": Range(ge=1, le=1024),
        "head_dim": Range(ge=8, le=1024),
        "ffn_size": Range(ge=64, le=262144),
        "vocab_size": Range(ge=100, le=1_000_000),
        "experts": Range(ge=2, le=1024),
        "experts_per_token": Range(ge=1, le=64),
        "max_context_tokens": Range(ge=512, le=10_000_000),
        "sliding_window_tokens": Range(ge=64, le=10_000_000),
    },
    WorkloadPreset: {
        "latency_target_ms": Range(gt=0, le=3_600_000),
        "context_tokens": Range(ge=1, le=10_000_000),
        "concurrent_users": Range(ge=1, le=100_000),
        "vision_gflop_per_frame": Range(gt=0, le=10_000),
        "fps": Range(gt=0, le=1000),
        "streams": Range(ge=1, le=10_000),
        "batch_gpu_hours": Range(gt=0, le=1_000_000),
        "deadline_h": Range(gt=0, le=10_000),
    },
}


def check_row(model: type, row: Row) -> list[Problem]:
    """Check one row of ``model`` given as ``{column: parsed value}``.

    Returns every problem found as ``(column, problem)``; an empty list means the
    row is valid. The caller reports missing required values, because only the
    caller can name the CSV cell or keyword argument they came from.
    """
    problems: list[Problem] = []
    problems += _check_common(row)
    problems += _check_choices(model, row)
    problems += _check_ranges(model, row)
    if not problems:
        cross_check = CROSS_CHECKS.get(model)
        if cross_check is not None:
            problems += cross_check(row)
    return problems


def _check_common(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    key = row.get("key")
    if key is not None and not KEY_PATTERN.match(str(key)):
        problems.append(("key", "must be a lower-case slug of letters, digits, '.', '_' and '-'"))
    for column in ("source_date", "price_date"):
        value = row.get(column)
        if value is not None and not ISO_DATE.match(str(value)):
            problems.append((column, f"{value!r} is not an ISO date (YYYY-MM-DD)"))
    for column, choices in COMMON_CHOICES.items():
        value = row.get(column)
        if value is not None and value not in choices:
            problems.append((column, f"{value!r} is not one of {', '.join(choices)}"))
    if row.get("price") is not None:
        if row["price"] <= 0:
            problems.append(("price", f"{row['price']!r} must be > 0"))
        for column in ("price_currency", "price_date", "price_basis"):
            if row.get(column) is None:
                problems.append((column, "is required when a price is given"))
    return problems


def _check_choices(model: type, row: Row) -> list[Problem]:
    problems: list[Problem] = []
    for column, choices in CHOICES.get(model, {}).items():
        value = row.get(column)
        if value is not None and value not in choices:
            problems.append((column, f"{value!r} is not one of {', '.join(choices)}"))
    return problems


def _check_ranges(model: type, row: Row) -> list[Problem]:
    problems: list[Problem] = []
    for column, allowed in RANGES.get(model, {}).items():
        value = row.get(column)
        if value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            problems.append((column, f"{value!r} is not a finite number"))
        elif not allowed.contains(value):
            problems.append((column, f"{value!r} is out of range; expected {allowed.describe()}"))
    return problems


def _relative_error(actual: float, expected: float) -> float:
    return abs(actual - expected) / abs(expected)


def _check_accelerator(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    is_fpga = row["form_factor"] == "fpga"
    fp16 = row["fp16_dense_tflops"]
    if not is_fpga:
        if row["memory_gb"] <= 0:
            problems.append(("memory_gb", "must be > 0 for a GPU or SoC"))
        if fp16 <= 0:
            problems.append(("fp16_dense_tflops", "must be > 0 for a GPU or SoC"))
        elif row["memory_bandwidth_gbps"] <= 0:
            problems.append(("memory_bandwidth_gbps", "must be > 0 for a GPU or SoC"))
        else:
            flop_per_byte = fp16 * 1000.0 / row["memory_bandwidth_gbps"]
            if flop_per_byte > MAX_DENSE_FLOP_PER_BYTE:
                problems.append((
                    "fp16_dense_tflops",
                    f"{fp16:g} TFLOPS is {flop_per_byte:.0f} FLOP per byte of memory bandwidth, "
                    f"above {MAX_DENSE_FLOP_PER_BYTE:.0f}; this is usually the 2:4-sparse "
                    "headline figure, so store half of it",
                ))

    for column in ("fp8_dense_tflops", "int8_dense_tops"):
        value = row.get(column)
        if value is not None and fp16 > 0 and value > MAX_LOW_PRECISION_RATIO * fp16:
            problems.append((
                column,
                f"{value:g} is more than {MAX_LOW_PRECISION_RATIO:g} x dense FP16 ({fp16:g}); "
                "this is usually a 2:4-sparse figure, so store half of it",
            ))

    if row["idle_w"] > row["loaded_idle_w"]:
        problems.append(("loaded_idle_w", "must be >= idle_w"))
    if row["loaded_idle_w"] > row["tdp_w"]:
        problems.append(("loaded_idle_w", "must be <= tdp_w"))
    cap = row.get("min_power_cap_w")
    if cap is not None and cap > row["tdp_w"]:
        problems.append(("min_power_cap_w", "must be <= tdp_w"))

    if (row["nvlink"] == "none") != (row.get("nvlink_gbps") is None):
        problems.append(("nvlink_gbps", "must be empty exactly when nvlink is 'none'"))
    if row["form_factor"] == "embedded" and row["slot_width"] != 0:
        problems.append(("slot_width", "must be 0 for an embedded module"))
    if row["unified_memory"]:
        if row["os_reserved_gb"] >= row["memory_gb"]:
            problems.append(("os_reserved_gb", "must be below memory_gb"))
    elif row["os_reserved_gb"] != 0:
        problems.append(("os_reserved_gb", "must be 0 unless unified_memory is true"))
    return problems


def _check_server(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    if row["platform_idle_w"] > row["platform_active_w"]:
        problems.append(("platform_idle_w", "must be <= platform_active_w"))
    if row["gpu_form_factor"] == "embedded" and not row.get("integrated_accelerator_key"):
        problems.append(("integrated_accelerator_key", "is required for an embedded platform"))
    if row["psu_redundancy"] != "none" and row["psu_count"] < 2:
        problems.append(("psu_count", "must be >= 2 for a redundant power supply"))
    return problems


def _check_pv_module(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    if row["vmp_v"] >= row["voc_v"]:
        problems.append(("vmp_v", "must be below voc_v"))
    if row["imp_a"] >= row["isc_a"]:
        problems.append(("imp_a", "must be below isc_a"))
    product_w = row["vmp_v"] * row["imp_a"]
    if _relative_error(product_w, row["pmax_w"]) > 0.02:
        problems.append((
            "pmax_w",
            f"{row['pmax_w']:g} W differs from vmp_v x imp_a = {product_w:.1f} W by more than 2 %",
        ))
    return problems


def _check_battery(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    energy_kwh = row["nominal_v"] * row["capacity_ah"] / 1000.0
    if _relative_error(row["energy_kwh"], energy_kwh) > 0.03:
        problems.append((
            "energy_kwh",
            f"{row['energy_kwh']:g} kWh differs from nominal_v x capacity_ah = "
            f"{energy_kwh:.2f} kWh by more than 3 %",
        ))
    if row["soc_min"] >= row["soc_max"]:
        problems.append(("soc_min", "must be below soc_max"))
    if row["charge_temp_min_c"] >= row["charge_temp_max_c"]:
        problems.append(("charge_temp_min_c", "must be below charge_temp_max_c"))
    return problems


def _check_inverter(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    if row["continuous_w_25c"] > row["continuous_va"]:
        problems.append(("continuous_w_25c", "must be <= continuous_va"))
    derated = row.get("continuous_w_40c")
    if derated is not None and derated > row["continuous_w_25c"]:
        problems.append(("continuous_w_40c", "must be <= continuous_w_25c"))
    if row["surge_w"] < row["continuous_w_25c"]:
        problems.append(("surge_w", "must be >= continuous_w_25c"))
    search = row.get("search_mode_w")
    if search is not None and search > row["idle_w"]:
        problems.append(("search_mode_w", "must be <= idle_w"))
    return problems


def _check_charge_controller(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    low, high = row.get("mppt_v_min"), row.get("mppt_v_max")
    if high is not None and high > row["max_pv_voc_v"]:
        problems.append(("mppt_v_max", "must be <= max_pv_voc_v"))
    if low is not None and high is not None and low >= high:
        problems.append(("mppt_v_min", "must be below mppt_v_max"))
    if not re.fullmatch(r"\d+(/\d+)*", row["battery_voltages"]):
        problems.append(("battery_voltages", "must be voltages separated by '/', e.g. 12/24/48"))
    return problems


def _check_generator(row: Row) -> list[Problem]:
    standby = row.get("standby_kw")
    if standby is not None and standby < row["prime_kw"]:
        return [("standby_kw", "must be >= prime_kw")]
    return []


def _check_pdu(row: Row) -> list[Problem]:
    if row["phases"] == 2:
        return [("phases", "must be 1 or 3")]
    # Continuous rating under the NEC 80 % rule for continuous loads.
    amps = row["input_current_a"] * 0.8
    if row["phases"] == 3:
        expected_kva = math.sqrt(3) * row["voltage_v"] * amps / 1000.0
        formula = "sqrt(3) x V_LL x A x 0.8"
    else:
        expected_kva = row["voltage_v"] * amps / 1000.0
        formula = "V x A x 0.8"
    if _relative_error(row["continuous_kva"], expected_kva) > 0.02:
        return [(
            "continuous_kva",
            f"{row['continuous_kva']:g} kVA differs from {formula} = {expected_kva:.2f} kVA",
        )]
    return []


def _check_llm(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    if row["params_active_b"] > row["params_total_b"]:
        problems.append(("params_active_b", "must be <= params_total_b"))
    if row["attention_heads"] % row["kv_heads"] != 0:
        problems.append(("kv_heads", "must divide attention_heads"))
    experts, per_token = row.get("experts"), row.get("experts_per_token")
    if (experts is None) != (per_token is None):
        problems.append(("experts_per_token", "must be given exactly when experts is given"))
    elif experts is not None and per_token > experts:
        problems.append(("experts_per_token", "must be <= experts"))
    return problems


def _check_workload(row: Row) -> list[Problem]:
    problems: list[Problem] = []
    kind = row["kind"]
    if kind == "llm":
        for column in ("llm_model_key", "precision", "context_tokens", "concurrent_users"):
            if row.get(column) is None:
                problems.append((column, "is required for an LLM workload"))
    if kind == "vision":
        for column in ("vision_gflop_per_frame", "fps", "streams"):
            if row.get(column) is None:
                problems.append((column, "is required for a vision workload"))
    if kind == "batch":
        for column in ("batch_window", "batch_gpu_hours", "deadline_h"):
            if row.get(column) is None:
                problems.append((column, "is required for a batch workload"))
    elif row.get("latency_target_ms") is None:
        problems.append(("latency_target_ms", "is required unless kind is 'batch'"))
    return problems


CROSS_CHECKS: dict[type, Callable[[Row], list[Problem]]] = {
    Accelerator: _check_accelerator,
    Server: _check_server,
    PVModule: _check_pv_module,
    BatteryModule: _check_battery,
    InverterCharger: _check_inverter,
    ChargeController: _check_charge_controller,
    Generator: _check_generator,
    PDU: _check_pdu,
    LLMArchitecture: _check_llm,
    WorkloadPreset: _check_workload,
}

# Columns that name a row of another table: (model, column) -> referenced model.
REFERENCES: dict[tuple[type, str], type] = {
    (Server, "integrated_accelerator_key"): Accelerator,
    (WorkloadPreset, "llm_model_key"): LLMArchitecture,
}
