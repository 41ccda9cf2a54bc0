"""Plain-text tables of the catalog for ``offgrid-configurator catalog [TABLE]``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.catalog.models import (
    PDU,
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
from core.catalog.queries import count_rows, list_rows
from core.errors import CatalogError

# Command-line table name -> model.
TABLES: dict[str, type] = {
    "accelerators": Accelerator,
    "servers": Server,
    "pv_modules": PVModule,
    "batteries": BatteryModule,
    "inverters": InverterCharger,
    "charge_controllers": ChargeController,
    "generators": Generator,
    "pdus": PDU,
    "llm_models": LLMArchitecture,
    "workloads": WorkloadPreset,
}

# Columns shown per table; key, confidence and origin are always shown.
DISPLAY_COLUMNS: dict[str, tuple[str, ...]] = {
    "accelerators": (
        "form_factor", "memory_gb", "memory_bandwidth_gbps", "fp16_dense_tflops", "tdp_w", "idle_w",
    ),
    "servers": ("kind", "gpu_slots", "gpu_form_factor", "psu_rating_w", "psu_count", "rack_units"),
    "pv_modules": ("pmax_w", "vmp_v", "imp_a", "voc_v", "isc_a", "gamma_pmax_pct_per_c"),
    "batteries": ("nominal_v", "capacity_ah", "energy_kwh", "max_discharge_a", "cycle_life"),
    "inverters": ("battery_v", "continuous_va", "continuous_w_25c", "surge_w", "idle_w"),
    "charge_controllers": ("max_pv_voc_v", "max_pv_isc_a", "max_charge_a", "battery_voltages"),
    "generators": (
        "fuel", "prime_kw", "fuel_f0_l_per_h_per_kw", "fuel_f1_l_per_h_per_kw", "min_load_ratio",
    ),
    "pdus": ("voltage_v", "phases", "input_current_a", "inlet", "continuous_kva"),
    "llm_models": ("params_total_b", "params_active_b", "layers", "kv_heads", "max_context_tokens"),
    "workloads": ("kind", "latency_class", "latency_target_ms", "batch_window"),
}


def format_table(session: Session, table_name: str | None = None) -> str:
    """Return a plain-text table of one catalog table, or of all tables with row counts."""
    if table_name is None:
        lines = [[name, TABLES[name].__tablename__, str(count_rows(session, TABLES[name]))]
                 for name in TABLES]
        return _render(["table", "database table", "rows"], lines)

    model = TABLES.get(table_name)
    if model is None:
        raise CatalogError(
            f"Unknown catalog table {table_name!r}; expected one of {', '.join(TABLES)}."
        )
    columns = ["key", *DISPLAY_COLUMNS[table_name], "confidence", "origin"]
    lines = [[_format_value(getattr(row, column)) for column in columns]
             for row in list_rows(session, model)]
    return _render(columns, lines)


def _format_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _render(header: list[str], lines: list[list[str]]) -> str:
    widths = [len(title) for title in header]
    for line in lines:
        widths = [max(width, len(cell)) for width, cell in zip(widths, line)]
    rendered = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
        for line in [header, ["-" * width for width in widths], *lines]
    ]
    return "\n".join(rendered)
