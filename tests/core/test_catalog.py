"""Tests of the spec catalog against a real SQLite file built from the shipped CSVs."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.catalog import queries
from core.catalog.db import SCHEMA_VERSION, open_catalog, session_scope
from core.catalog.listing import TABLES, format_table
from core.catalog.models import SEEDED_MODELS, Accelerator, CatalogInfo, Generator
from core.errors import CatalogError, InputError
from resources import CATALOG_DIR


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped seed CSVs that a test may edit."""
    copy = tmp_path / "seed"
    shutil.copytree(CATALOG_DIR, copy)
    return copy


@pytest.fixture
def engine(tmp_path: Path, seed_dir: Path):
    engine = open_catalog(tmp_path / "catalog.sqlite", seed_dir)
    yield engine
    engine.dispose()


def _edit_cell(path: Path, key: str, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fieldnames = list(rows[0].keys())
    for row in rows:
        if row["key"] == key:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_database_builds_from_csvs(engine, tmp_path: Path):
    assert (tmp_path / "catalog.sqlite").is_file()
    with session_scope(engine) as session:
        for model, file_name in SEEDED_MODELS.items():
            with (CATALOG_DIR / file_name).open(encoding="utf-8") as handle:
                csv_rows = sum(1 for _ in csv.DictReader(handle))
            assert queries.count_rows(session, model) == csv_rows, file_name
            assert csv_rows > 0, file_name
        info = session.get(CatalogInfo, 1)
        assert info.schema_version == SCHEMA_VERSION
        assert len(info.seed_version) == 64


def test_required_rows_present(engine):
    expected_accelerators = {
        "h100-pcie", "h100-sxm5", "h100-nvl", "h200-nvl", "l40s", "l4", "a100-pcie-80gb", "a40",
        "a30", "a10", "rtx-6000-ada", "jetson-agx-orin-64gb", "jetson-agx-orin-32gb",
        "jetson-orin-nx-16gb", "igx-orin-igpu",
    }
    with session_scope(engine) as session:
        keys = {row.key for row in queries.list_accelerators(session)}
        assert expected_accelerators <= keys
        assert {row.category for row in queries.list_workload_presets(session)} == {
            "realtime_llm_chat", "av_perception", "robotics", "trading", "medical_imaging",
            "video_analytics", "scientific_batch", "media_batch", "synthetic_data",
            "risk_overnight",
        }
        servers = queries.list_servers(session)
        assert any(server.gpu_form_factor == "sxm" for server in servers)
        assert sum(server.rugged for server in servers if server.kind == "server") >= 2
        fuels = {generator.fuel for generator in queries.list_generators(session)}
        assert fuels == {"diesel", "propane"}


def test_every_row_has_provenance(engine):
    with session_scope(engine) as session:
        for model in SEEDED_MODELS:
            for row in queries.list_rows(session, model):
                assert row.source.strip(), f"{model.__tablename__}.{row.key}"
                assert len(row.source_date) == 10, f"{model.__tablename__}.{row.key}"
                assert row.origin == "seed"


@pytest.mark.parametrize(
    ("key", "column", "right", "trap"),
    [
        ("h100-sxm5", "fp16_dense_tflops", 989.5, 1979),
        ("l4", "fp16_dense_tflops", 121, 242),
        ("l40s", "tdp_w", 350, 300),
        ("a100-pcie-80gb", "tdp_w", 300, 250),
    ],
)
def test_seed_avoids_data_entry_traps(engine, key, column, right, trap):
    with session_scope(engine) as session:
        value = getattr(queries.get_accelerator(session, key), column)
    assert value == pytest.approx(right, abs=0.6)
    assert value != pytest.approx(trap, rel=0.05)


@pytest.mark.parametrize(("key", "sparse_tflops"), [("h100-sxm5", "1979"), ("l4", "242")])
def test_sparse_tflops_in_csv_rejected(tmp_path, seed_dir, key, sparse_tflops):
    _edit_cell(seed_dir / "accelerators.csv", key, "fp16_dense_tflops", sparse_tflops)
    expected = r"accelerators\.csv, line \d+, column 'fp16_dense_tflops'"
    with pytest.raises(CatalogError, match=expected):
        open_catalog(tmp_path / "catalog.sqlite", seed_dir)


def test_sparse_fp8_in_csv_rejected(tmp_path, seed_dir):
    _edit_cell(seed_dir / "accelerators.csv", "h100-pcie", "fp8_dense_tflops", "3026")
    with pytest.raises(CatalogError, match="fp8_dense_tflops.*sparse"):
        open_catalog(tmp_path / "catalog.sqlite", seed_dir)


def test_bad_csv_value_location(tmp_path, seed_dir):
    path = seed_dir / "pv_modules.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[2]]))
    cells[header.index("voc_v")] = "49,65"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerow(next(csv.reader([lines[1]])))
        writer.writerow(cells)
        for line in lines[3:]:
            writer.writerow(next(csv.reader([line])))

    with pytest.raises(CatalogError) as caught:
        open_catalog(tmp_path / "catalog.sqlite", seed_dir)
    message = str(caught.value)
    assert "pv_modules.csv" in message
    assert "line 3" in message
    assert "column 'voc_v'" in message
    assert "'49,65' is not a number" in message


def test_out_of_range_csv_value_rejected(tmp_path, seed_dir):
    _edit_cell(seed_dir / "accelerators.csv", "a40", "memory_gb", "-48")
    with pytest.raises(CatalogError, match="column 'memory_gb'.*out of range"):
        open_catalog(tmp_path / "catalog.sqlite", seed_dir)


def test_missing_required_csv_value_rejected(tmp_path, seed_dir):
    _edit_cell(seed_dir / "generators.csv", "generac-lc-20kw-diesel", "source_date", "")
    expected = "generators.csv, line 3, column 'source_date': a value is required"
    with pytest.raises(CatalogError, match=expected):
        open_catalog(tmp_path / "catalog.sqlite", seed_dir)


def test_unknown_reference_rejected(tmp_path, seed_dir):
    servers_csv = seed_dir / "servers.csv"
    _edit_cell(servers_csv, "igx-orin-devkit", "integrated_accelerator_key", "igx-orin")
    with pytest.raises(CatalogError, match="integrated_accelerator_key.*'igx-orin' is not a key"):
        open_catalog(tmp_path / "catalog.sqlite", seed_dir)


def test_user_rows_survive_reseed(tmp_path, seed_dir):
    database = tmp_path / "catalog.sqlite"
    engine = open_catalog(database, seed_dir)
    with session_scope(engine) as session:
        queries.add_user_row(
            session,
            Generator,
            key="site-genset-9kw",
            name="Site 9 kW diesel",
            manufacturer="Local",
            fuel="diesel",
            prime_kw=9,
            fuel_f0_l_per_h_per_kw=0.08,
            fuel_f1_l_per_h_per_kw=0.30,
            fuel_curve_source="two readings of the day tank",
            min_load_ratio=0.3,
            lifetime_h=15000,
            phases=1,
            voltage_v=230,
        )
        old_version = session.get(CatalogInfo, 1).seed_version
    engine.dispose()

    _edit_cell(seed_dir / "accelerators.csv", "l4", "idle_w", "15")
    engine = open_catalog(database, seed_dir)
    with session_scope(engine) as session:
        user_row = queries.get_generator(session, "site-genset-9kw")
        assert user_row.origin == "user"
        assert user_row.source == "entered by the user"
        assert queries.get_accelerator(session, "l4").idle_w == 15
        assert session.get(CatalogInfo, 1).seed_version != old_version
    engine.dispose()


def test_removed_seed_row_disappears_on_reseed(tmp_path, seed_dir):
    database = tmp_path / "catalog.sqlite"
    open_catalog(database, seed_dir).dispose()
    path = seed_dir / "pdus.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("apc-ap8941")) + "\n")

    engine = open_catalog(database, seed_dir)
    with session_scope(engine) as session:
        with pytest.raises(CatalogError):
            queries.get_pdu(session, "apc-ap8941")
    engine.dispose()


def test_corrupted_database_names_file(tmp_path, seed_dir):
    database = tmp_path / "catalog.sqlite"
    database.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CatalogError) as caught:
        open_catalog(database, seed_dir)
    assert str(database) in str(caught.value)
    assert "rebuild" in str(caught.value)


def test_truncated_database_names_file(tmp_path, seed_dir):
    database = tmp_path / "catalog.sqlite"
    open_catalog(database, seed_dir).dispose()
    data = database.read_bytes()
    database.write_bytes(data[:100] + b"\x00" * 50 + data[150:2048])
    with pytest.raises(CatalogError, match="catalog.sqlite"):
        open_catalog(database, seed_dir)


def test_foreign_sqlite_file_rejected(tmp_path, seed_dir):
    database = tmp_path / "catalog.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(CatalogError, match="not a catalog"):
        open_catalog(database, seed_dir)


def test_rebuild_keeps_readable_user_rows(tmp_path, seed_dir):
    database = tmp_path / "catalog.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE generators (key TEXT, name TEXT, source TEXT, source_date TEXT, "
            "confidence TEXT, origin TEXT, estimated_fields TEXT, notes TEXT, price REAL, "
            "price_currency TEXT, price_date TEXT, price_basis TEXT, manufacturer TEXT, fuel TEXT, "
            "prime_kw REAL, standby_kw REAL, fuel_f0_l_per_h_per_kw REAL, "
            "fuel_f1_l_per_h_per_kw REAL, fuel_curve_source TEXT, min_load_ratio REAL, "
            "lifetime_h REAL, phases INTEGER, voltage_v REAL)"
        )
        connection.execute(
            "INSERT INTO generators VALUES ('site-genset', 'Site genset', 'user', '2026-01-01', "
            "'estimate', 'user', NULL, NULL, NULL, NULL, NULL, NULL, 'Local', 'diesel', 9, NULL, "
            "0.08, 0.3, 'readings', 0.3, 15000, 1, 230)"
        )

    engine = open_catalog(database, seed_dir, rebuild_if_corrupt=True)
    with session_scope(engine) as session:
        assert queries.get_generator(session, "site-genset").origin == "user"
        assert queries.get_accelerator(session, "l4").tdp_w == 72
    engine.dispose()
    assert (tmp_path / "catalog.sqlite.corrupt").is_file()


def test_newer_schema_rejected(tmp_path, seed_dir):
    database = tmp_path / "catalog.sqlite"
    open_catalog(database, seed_dir).dispose()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE catalog_info SET schema_version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(CatalogError, match="schema version"):
        open_catalog(database, seed_dir)


def test_unknown_key_lists_valid_keys(engine):
    with session_scope(engine) as session:
        with pytest.raises(CatalogError) as caught:
            queries.get_generator(session, "honda-eu7000")
    message = str(caught.value)
    assert "generators" in message
    assert "'honda-eu7000'" in message
    assert "generac-" in message


def test_add_user_row_rejects_invalid_value(engine):
    with session_scope(engine) as session:
        with pytest.raises(InputError, match="accelerators > fp16_dense_tflops"):
            queries.add_user_row(
                session,
                Accelerator,
                key="my-l4",
                name="L4 typed from the headline",
                vendor="NVIDIA",
                form_factor="pcie",
                memory_gb=24,
                memory_bandwidth_gbps=300,
                fp16_dense_tflops=242,
                tdp_w=72,
                idle_w=16,
                loaded_idle_w=22,
                nvlink="none",
                slot_width=1,
                unified_memory=False,
                os_reserved_gb=0,
            )


def test_add_user_row_rejects_duplicate_key(engine):
    with session_scope(engine) as session:
        with pytest.raises(CatalogError, match="already has a row with key 'l4'"):
            queries.add_user_row(
                session,
                Accelerator,
                key="l4",
                name="Another L4",
                vendor="NVIDIA",
                form_factor="pcie",
                memory_gb=24,
                memory_bandwidth_gbps=300,
                fp16_dense_tflops=121,
                tdp_w=72,
                idle_w=16,
                loaded_idle_w=22,
                nvlink="none",
                slot_width=1,
                unified_memory=False,
                os_reserved_gb=0,
            )


def test_igx_expresses_both_gpu_variants(engine):
    with session_scope(engine) as session:
        igx = queries.get_server(session, "igx-orin-devkit")
        integrated = queries.get_accelerator(session, igx.integrated_accelerator_key)
        discrete = queries.get_accelerator(session, "rtx-6000-ada")
    assert integrated.unified_memory
    assert igx.gpu_slots >= 1
    assert igx.gpu_form_factor == discrete.form_factor
    assert discrete.tdp_w <= igx.max_gpu_tdp_w


def test_generator_fit_reproduces_source_point(engine):
    # Generac 20 kW diesel draws 1.98 US gal/h at full standby load in the genmon data.
    with session_scope(engine) as session:
        generator = queries.get_generator(session, "generac-lc-20kw-diesel")
    flow_l_per_h = (
        generator.fuel_f0_l_per_h_per_kw * generator.prime_kw
        + generator.fuel_f1_l_per_h_per_kw * generator.standby_kw
    )
    assert flow_l_per_h == pytest.approx(1.98 * 3.78541, rel=0.05)


def test_format_table_lists_all_tables(engine):
    with session_scope(engine) as session:
        overview = format_table(session)
        accelerators = format_table(session, "accelerators")
    for name in TABLES:
        assert name in overview
    assert "h100-pcie" in accelerators
    assert "fp16_dense_tflops" in accelerators.splitlines()[0]


def test_format_table_unknown_name(engine):
    with session_scope(engine) as session:
        with pytest.raises(CatalogError, match="Unknown catalog table 'gpus'"):
            format_table(session, "gpus")
