"""SQLAlchemy models of the spec catalog.

Every table row is one purchasable component or one reference record, keyed by a
stable slug (``"h100-pcie"``). Units are part of every column name. Compute
columns store DENSE peak rates: NVIDIA datasheets print the 2:4-sparse figure as
the headline (marked with an asterisk), and dense is half of it.

Each row records where its numbers come from (``source``, ``source_date``), how
far to trust them (``confidence``), and which columns are estimates
(``estimated_fields``, comma-separated column names).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CONFIDENCE_LEVELS = ("verified", "derived", "secondary", "estimate")
ORIGINS = ("seed", "user")
PRICE_BASES = ("list price", "retail quote", "estimate")


class Base(DeclarativeBase):
    """Declarative base of all catalog tables."""


class CatalogRow:
    """Columns shared by every catalog table: identity and provenance."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    source_date: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(8), default="seed")
    estimated_fields: Mapped[str | None] = mapped_column(Text, default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key={self.key!r}, name={self.name!r})"


class PricedRow(CatalogRow):
    """A purchasable component. Prices are indicative, never a quote."""

    price: Mapped[float | None] = mapped_column(Float, default=None)
    price_currency: Mapped[str | None] = mapped_column(String(3), default=None)
    price_date: Mapped[str | None] = mapped_column(String(10), default=None)
    price_basis: Mapped[str | None] = mapped_column(String(16), default=None)


class Accelerator(PricedRow, Base):
    """A GPU, embedded SoC or FPGA card that runs inference."""

    __tablename__ = "accelerators"

    vendor: Mapped[str] = mapped_column(String(64))
    form_factor: Mapped[str] = mapped_column(String(16))
    memory_gb: Mapped[float] = mapped_column(Float)
    memory_bandwidth_gbps: Mapped[float] = mapped_column(Float)
    fp16_dense_tflops: Mapped[float] = mapped_column(Float)
    fp8_dense_tflops: Mapped[float | None] = mapped_column(Float)
    int8_dense_tops: Mapped[float | None] = mapped_column(Float)
    tdp_w: Mapped[float] = mapped_column(Float)
    min_power_cap_w: Mapped[float | None] = mapped_column(Float)
    idle_w: Mapped[float] = mapped_column(Float)
    loaded_idle_w: Mapped[float] = mapped_column(Float)
    nvlink: Mapped[str] = mapped_column(String(8))
    nvlink_gbps: Mapped[float | None] = mapped_column(Float)
    slot_width: Mapped[int] = mapped_column(Integer)
    unified_memory: Mapped[bool] = mapped_column(Boolean)
    os_reserved_gb: Mapped[float] = mapped_column(Float)
    nvdec_count: Mapped[int | None] = mapped_column(Integer)
    pcie_gen: Mapped[int | None] = mapped_column(Integer)
    cooling: Mapped[str | None] = mapped_column(String(16))


class Server(PricedRow, Base):
    """A rack server or edge box that hosts accelerators."""

    __tablename__ = "servers"

    vendor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    rugged: Mapped[bool] = mapped_column(Boolean)
    gpu_slots: Mapped[int] = mapped_column(Integer)
    gpu_form_factor: Mapped[str] = mapped_column(String(16))
    max_gpu_tdp_w: Mapped[float] = mapped_column(Float)
    integrated_accelerator_key: Mapped[str | None] = mapped_column(String(64))
    psu_rating_w: Mapped[float] = mapped_column(Float)
    psu_count: Mapped[int] = mapped_column(Integer)
    psu_redundancy: Mapped[str] = mapped_column(String(8))
    psu_efficiency_class: Mapped[str] = mapped_column(String(16))
    platform_idle_w: Mapped[float] = mapped_column(Float)
    platform_active_w: Mapped[float] = mapped_column(Float)
    rack_units: Mapped[int] = mapped_column(Integer)
    depth_mm: Mapped[float] = mapped_column(Float)
    input_voltage: Mapped[str] = mapped_column(String(64))
    psu_inrush_a: Mapped[float | None] = mapped_column(Float)
    nvlink_bridge_supported: Mapped[bool] = mapped_column(Boolean)


class PVModule(PricedRow, Base):
    """A photovoltaic module with STC ratings (1000 W/m2, 25 degC cell, AM1.5)."""

    __tablename__ = "pv_modules"

    manufacturer: Mapped[str] = mapped_column(String(64))
    pmax_w: Mapped[float] = mapped_column(Float)
    vmp_v: Mapped[float] = mapped_column(Float)
    imp_a: Mapped[float] = mapped_column(Float)
    voc_v: Mapped[float] = mapped_column(Float)
    isc_a: Mapped[float] = mapped_column(Float)
    gamma_pmax_pct_per_c: Mapped[float] = mapped_column(Float)
    beta_voc_pct_per_c: Mapped[float] = mapped_column(Float)
    alpha_isc_pct_per_c: Mapped[float] = mapped_column(Float)
    noct_c: Mapped[float | None] = mapped_column(Float)
    length_mm: Mapped[float] = mapped_column(Float)
    width_mm: Mapped[float] = mapped_column(Float)
    weight_kg: Mapped[float] = mapped_column(Float)
    max_system_v: Mapped[float] = mapped_column(Float)
    cells: Mapped[int] = mapped_column(Integer)
    bifacial: Mapped[bool | None] = mapped_column(Boolean)


class BatteryModule(PricedRow, Base):
    """A lithium iron phosphate battery module."""

    __tablename__ = "battery_modules"

    manufacturer: Mapped[str] = mapped_column(String(64))
    chemistry: Mapped[str] = mapped_column(String(8))
    nominal_v: Mapped[float] = mapped_column(Float)
    capacity_ah: Mapped[float] = mapped_column(Float)
    energy_kwh: Mapped[float] = mapped_column(Float)
    max_charge_a: Mapped[float] = mapped_column(Float)
    max_discharge_a: Mapped[float] = mapped_column(Float)
    round_trip_efficiency: Mapped[float] = mapped_column(Float)
    soc_min: Mapped[float] = mapped_column(Float)
    soc_max: Mapped[float] = mapped_column(Float)
    cycle_life: Mapped[int] = mapped_column(Integer)
    cycle_life_dod: Mapped[float] = mapped_column(Float)
    charge_temp_min_c: Mapped[float] = mapped_column(Float)
    charge_temp_max_c: Mapped[float] = mapped_column(Float)
    discharge_temp_min_c: Mapped[float] = mapped_column(Float)
    max_in_parallel: Mapped[int | None] = mapped_column(Integer)
    calendar_life_years: Mapped[float | None] = mapped_column(Float)


class InverterCharger(PricedRow, Base):
    """A battery inverter/charger that forms the off-grid AC bus."""

    __tablename__ = "inverter_chargers"

    manufacturer: Mapped[str] = mapped_column(String(64))
    battery_v: Mapped[float] = mapped_column(Float)
    continuous_va: Mapped[float] = mapped_column(Float)
    continuous_w_25c: Mapped[float] = mapped_column(Float)
    continuous_w_40c: Mapped[float | None] = mapped_column(Float)
    surge_w: Mapped[float] = mapped_column(Float)
    max_efficiency: Mapped[float] = mapped_column(Float)
    idle_w: Mapped[float] = mapped_column(Float)
    search_mode_w: Mapped[float | None] = mapped_column(Float)
    charge_current_a: Mapped[float] = mapped_column(Float)
    ac_input_current_a: Mapped[float] = mapped_column(Float)
    max_in_parallel: Mapped[int] = mapped_column(Integer)
    three_phase_capable: Mapped[bool] = mapped_column(Boolean)
    output_v: Mapped[float] = mapped_column(Float)
    output_hz: Mapped[float] = mapped_column(Float)


class ChargeController(PricedRow, Base):
    """An MPPT solar charge controller. ``max_pv_isc_a`` is per MPPT input (tracker)."""

    __tablename__ = "charge_controllers"

    manufacturer: Mapped[str] = mapped_column(String(64))
    max_pv_voc_v: Mapped[float] = mapped_column(Float)
    mppt_v_min: Mapped[float | None] = mapped_column(Float)
    mppt_v_max: Mapped[float | None] = mapped_column(Float)
    max_pv_isc_a: Mapped[float] = mapped_column(Float)
    max_charge_a: Mapped[float] = mapped_column(Float)
    battery_voltages: Mapped[str] = mapped_column(String(32))
    max_efficiency: Mapped[float] = mapped_column(Float)
    trackers: Mapped[int] = mapped_column(Integer)


class Generator(PricedRow, Base):
    """A diesel or propane generator with a linear fuel curve.

    Fuel flow [L/h] = F0 x rated kW + F1 x output kW while running (the HOMER
    generator fuel-curve model). Propane is litres of liquid propane.
    """

    __tablename__ = "generators"

    manufacturer: Mapped[str] = mapped_column(String(64))
    fuel: Mapped[str] = mapped_column(String(8))
    prime_kw: Mapped[float] = mapped_column(Float)
    standby_kw: Mapped[float | None] = mapped_column(Float)
    fuel_f0_l_per_h_per_kw: Mapped[float] = mapped_column(Float)
    fuel_f1_l_per_h_per_kw: Mapped[float] = mapped_column(Float)
    fuel_curve_source: Mapped[str] = mapped_column(Text)
    min_load_ratio: Mapped[float] = mapped_column(Float)
    lifetime_h: Mapped[float] = mapped_column(Float)
    phases: Mapped[int] = mapped_column(Integer)
    voltage_v: Mapped[float] = mapped_column(Float)
    frequency_hz: Mapped[int | None] = mapped_column(Integer)


class PDU(PricedRow, Base):
    """A rack power distribution unit."""

    __tablename__ = "pdus"

    manufacturer: Mapped[str] = mapped_column(String(64))
    voltage_v: Mapped[float] = mapped_column(Float)
    phases: Mapped[int] = mapped_column(Integer)
    input_current_a: Mapped[float] = mapped_column(Float)
    inlet: Mapped[str] = mapped_column(String(64))
    outlets_c13: Mapped[int] = mapped_column(Integer)
    outlets_c19: Mapped[int] = mapped_column(Integer)
    metered: Mapped[bool] = mapped_column(Boolean)
    switched: Mapped[bool] = mapped_column(Boolean)
    continuous_kva: Mapped[float] = mapped_column(Float)


class LLMArchitecture(CatalogRow, Base):
    """Shape of a transformer LLM, as its ``config.json`` gives it."""

    __tablename__ = "llm_architectures"

    params_total_b: Mapped[float] = mapped_column(Float)
    params_active_b: Mapped[float] = mapped_column(Float)
    layers: Mapped[int] = mapped_column(Integer)
    hidden_size: Mapped[int] = mapped_column(Integer)
    attention_heads: Mapped[int] = mapped_column(Integer)
    kv_heads: Mapped[int] = mapped_column(Integer)
    head_dim: Mapped[int] = mapped_column(Integer)
    ffn_size: Mapped[int] = mapped_column(Integer)
    vocab_size: Mapped[int] = mapped_column(Integer)
    experts: Mapped[int | None] = mapped_column(Integer)
    experts_per_token: Mapped[int | None] = mapped_column(Integer)
    max_context_tokens: Mapped[int] = mapped_column(Integer)
    sliding_window_tokens: Mapped[int | None] = mapped_column(Integer)
    # config.json tie_word_embeddings: the output head reuses the input embedding.
    tied_embeddings: Mapped[bool | None] = mapped_column(Boolean, default=None)


class WorkloadPreset(CatalogRow, Base):
    """Default parameters and hardware guidance for one workload category."""

    __tablename__ = "workload_presets"

    category: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    latency_class: Mapped[str] = mapped_column(String(64))
    latency_target_ms: Mapped[float | None] = mapped_column(Float)
    batch_window: Mapped[str | None] = mapped_column(String(32))
    recommended_hardware: Mapped[str] = mapped_column(Text)
    llm_model_key: Mapped[str | None] = mapped_column(String(64))
    precision: Mapped[str | None] = mapped_column(String(16))
    context_tokens: Mapped[int | None] = mapped_column(Integer)
    concurrent_users: Mapped[int | None] = mapped_column(Integer)
    vision_gflop_per_frame: Mapped[float | None] = mapped_column(Float)
    fps: Mapped[float | None] = mapped_column(Float)
    streams: Mapped[int | None] = mapped_column(Integer)
    batch_gpu_hours: Mapped[float | None] = mapped_column(Float)
    deadline_h: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)


class CatalogInfo(Base):
    """The single row that records the schema version and the seed data it was built from."""

    __tablename__ = "catalog_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    seed_version: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[str] = mapped_column(String(32))


# Tables whose rows come from the seed CSVs, in load order, with the CSV file name of each.
SEEDED_MODELS: dict[type[Base], str] = {
    Accelerator: "accelerators.csv",
    Server: "servers.csv",
    PVModule: "pv_modules.csv",
    BatteryModule: "battery_modules.csv",
    InverterCharger: "inverter_chargers.csv",
    ChargeController: "charge_controllers.csv",
    Generator: "generators.csv",
    PDU: "pdus.csv",
    LLMArchitecture: "llm_architectures.csv",
    WorkloadPreset: "workload_presets.csv",
}
