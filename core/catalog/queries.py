"""Typed look-ups of catalog rows, and adding a user component."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.catalog.models import (
    CatalogInfo,
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
from core.catalog.seed import column_specs
from core.catalog.validation import REFERENCES, check_row
from core.errors import CatalogError, InputError

RowT = TypeVar("RowT")

KEYS_SHOWN_IN_ERRORS = 8
USER_ROW_DEFAULTS = {"source": "entered by the user", "confidence": "estimate"}


def get_row(session: Session, model: type[RowT], key: str) -> RowT:
    """Return the row of ``model`` with ``key``; raise CatalogError if there is none."""
    row = session.get(model, key)
    if row is None:
        raise CatalogError(_missing_key_message(session, model, key))
    return row


def list_rows(session: Session, model: type[RowT]) -> list[RowT]:
    """Return every row of ``model``, ordered by key."""
    return list(session.scalars(select(model).order_by(model.key)))


def _missing_key_message(session: Session, model: type, key: str) -> str:
    keys = list(session.scalars(select(model.key).order_by(model.key)))
    table = model.__tablename__
    if not keys:
        return f"No row with key {key!r} in catalog table {table}: the table is empty."
    close = difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
    shown = close or keys[:KEYS_SHOWN_IN_ERRORS]
    label = "Did you mean" if close else "Valid keys include"
    more = "" if close or len(keys) <= KEYS_SHOWN_IN_ERRORS else f" ({len(keys)} in all)"
    return f"No row with key {key!r} in catalog table {table}. {label}: {', '.join(shown)}{more}."


def get_accelerator(session: Session, key: str) -> Accelerator:
    """Return the accelerator with ``key``."""
    return get_row(session, Accelerator, key)


def list_accelerators(session: Session) -> list[Accelerator]:
    """Return every accelerator, ordered by key."""
    return list_rows(session, Accelerator)


def get_server(session: Session, key: str) -> Server:
    """Return the server or edge platform with ``key``."""
    return get_row(session, Server, key)


def list_servers(session: Session) -> list[Server]:
    """Return every server and edge platform, ordered by key."""
    return list_rows(session, Server)


def get_pv_module(session: Session, key: str) -> PVModule:
    """Return the PV module with ``key``."""
    return get_row(session, PVModule, key)


def list_pv_modules(session: Session) -> list[PVModule]:
    """Return every PV module, ordered by key."""
    return list_rows(session, PVModule)


def get_battery_module(session: Session, key: str) -> BatteryModule:
    """Return the battery module with ``key``."""
    return get_row(session, BatteryModule, key)


def list_battery_modules(session: Session) -> list[BatteryModule]:
    """Return every battery module, ordered by key."""
    return list_rows(session, BatteryModule)


def get_inverter_charger(session: Session, key: str) -> InverterCharger:
    """Return the inverter/charger with ``key``."""
    return get_row(session, InverterCharger, key)


def list_inverter_chargers(session: Session) -> list[InverterCharger]:
    """Return every inverter/charger, ordered by key."""
    return list_rows(session, InverterCharger)


def get_charge_controller(session: Session, key: str) -> ChargeController:
    """Return the MPPT charge controller with ``key``."""
    return get_row(session, ChargeController, key)


def list_charge_controllers(session: Session) -> list[ChargeController]:
    """Return every MPPT charge controller, ordered by key."""
    return list_rows(session, ChargeController)


def get_generator(session: Session, key: str) -> Generator:
    """Return the generator with ``key``."""
    return get_row(session, Generator, key)


def list_generators(session: Session) -> list[Generator]:
    """Return every generator, ordered by key."""
    return list_rows(session, Generator)


def get_pdu(session: Session, key: str) -> PDU:
    """Return the rack PDU with ``key``."""
    return get_row(session, PDU, key)


def list_pdus(session: Session) -> list[PDU]:
    """Return every rack PDU, ordered by key."""
    return list_rows(session, PDU)


def get_llm_architecture(session: Session, key: str) -> LLMArchitecture:
    """Return the LLM architecture with ``key``."""
    return get_row(session, LLMArchitecture, key)


def list_llm_architectures(session: Session) -> list[LLMArchitecture]:
    """Return every LLM architecture, ordered by key."""
    return list_rows(session, LLMArchitecture)


def get_workload_preset(session: Session, key: str) -> WorkloadPreset:
    """Return the workload preset with ``key`` (the key equals the category name)."""
    return get_row(session, WorkloadPreset, key)


def list_workload_presets(session: Session) -> list[WorkloadPreset]:
    """Return every workload preset, ordered by key."""
    return list_rows(session, WorkloadPreset)


def get_catalog_info(session: Session) -> CatalogInfo:
    """Return the row that records the schema version and the seed data version."""
    info = session.scalar(select(CatalogInfo))
    if info is None:
        raise CatalogError("The catalog has no version record; delete the database file so it "
                           "is rebuilt from the bundled seed data.")
    return info


def count_rows(session: Session, model: type) -> int:
    """Return the number of rows in the table of ``model``."""
    return session.scalar(select(func.count()).select_from(model)) or 0


def add_user_row(session: Session, model_cls: type[RowT], **values: Any) -> RowT:
    """Validate and add a component the user entered, with origin "user".

    ``source`` defaults to "entered by the user", ``source_date`` to today and
    ``confidence`` to "estimate". Raises InputError for a missing or invalid
    value and CatalogError if the key is already taken. The caller commits.
    """
    specs = column_specs(model_cls)
    table = model_cls.__tablename__
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise InputError(f"{table} > {unknown[0]}", values[unknown[0]], "a column of " + table)

    row = {**USER_ROW_DEFAULTS, "source_date": date.today().isoformat(), **values}
    row["origin"] = "user"
    for column, (python_type, nullable) in specs.items():
        value = row.get(column)
        if value is None:
            if not nullable:
                raise InputError(f"{table} > {column}", None, f"a {python_type.__name__} value")
            continue
        row[column] = _coerce(table, column, value, python_type)

    problems = check_row(model_cls, row)
    if problems:
        column, problem = problems[0]
        raise InputError(f"{table} > {column}", row.get(column), problem)
    for (model, column), target in REFERENCES.items():
        if model is model_cls and row.get(column) is not None:
            get_row(session, target, row[column])

    if session.get(model_cls, row["key"]) is not None:
        raise CatalogError(
            f"Catalog table {table} already has a row with key {row['key']!r}; choose another key."
        )
    instance = model_cls(**row)
    session.add(instance)
    session.flush()
    return instance


def _coerce(table: str, column: str, value: Any, python_type: type) -> Any:
    if python_type is bool:
        if isinstance(value, bool):
            return value
        raise InputError(f"{table} > {column}", value, "true or false")
    if python_type in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{table} > {column}", value, f"a {python_type.__name__}")
        if python_type is int and not float(value).is_integer():
            raise InputError(f"{table} > {column}", value, "a whole number")
        return python_type(value)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{table} > {column}", value, "non-empty text")
    return value.strip()
