"""A locked, read-only or damaged catalog is reported with the fix, and never rebuilt by mistake."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from core.catalog import db
from core.catalog.db import DamagedCatalogError, catalog_versions, open_catalog
from core.errors import CatalogError
from resources import CATALOG_DIR


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "seed"
    shutil.copytree(CATALOG_DIR, copy)
    return copy


@pytest.fixture
def database(tmp_path: Path, seed_dir: Path) -> Path:
    path = tmp_path / "catalog.sqlite"
    open_catalog(path, seed_dir).dispose()
    return path


def test_locked_catalog_names_fix(database, seed_dir, monkeypatch):
    monkeypatch.setattr(db, "LOCK_TIMEOUT_S", 0.1)
    holder = sqlite3.connect(database)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for rebuild in (False, True):
            with pytest.raises(CatalogError) as caught:
                open_catalog(database, seed_dir, rebuild_if_corrupt=rebuild)
            assert not isinstance(caught.value, DamagedCatalogError)
            message = str(caught.value)
            assert str(database) in message
            assert "locked by another program" in message
            assert "Close the other" in message
    finally:
        holder.rollback()
        holder.close()
    assert not database.with_name("catalog.sqlite.corrupt").exists()
    open_catalog(database, seed_dir).dispose()


def test_read_only_catalog_names_fix(database, seed_dir, monkeypatch):
    # The tests run as root, where chmod does not stop writes, so the file is
    # opened through SQLite's read-only URI mode instead.
    def read_only_engine(path):
        return create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")

    monkeypatch.setattr(db, "_create_engine", read_only_engine)
    for rebuild in (False, True):
        with pytest.raises(CatalogError) as caught:
            open_catalog(database, seed_dir, rebuild_if_corrupt=rebuild)
        assert not isinstance(caught.value, DamagedCatalogError)
        message = str(caught.value)
        assert str(database) in message
        assert "read-only" in message
        assert "write permission" in message
    assert database.is_file()
    assert not database.with_name("catalog.sqlite.corrupt").exists()


def test_unwritable_folder_names_fix(tmp_path, seed_dir, monkeypatch):
    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", denied)
    folder = tmp_path / "no-access"
    with pytest.raises(CatalogError) as caught:
        open_catalog(folder / "catalog.sqlite", seed_dir)
    assert str(folder) in str(caught.value)
    assert "writable" in str(caught.value)


def test_damaged_catalog_is_damaged_error(database, seed_dir):
    database.write_bytes(b"\x00" * 4096)
    with pytest.raises(DamagedCatalogError) as caught:
        open_catalog(database, seed_dir)
    assert "--rebuild-catalog" in str(caught.value)


def test_rebuild_replaces_seed_and_keeps_user_row(database, seed_dir):
    with sqlite3.connect(database) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(generators)")]
        seed_row = connection.execute("SELECT * FROM generators LIMIT 1").fetchone()
        user_row = dict(zip(columns, seed_row), key="site-genset", origin="user")
        connection.execute(
            f"INSERT INTO generators ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})", [user_row[c] for c in columns])
        connection.execute("DROP TABLE accelerators")

    with pytest.raises(DamagedCatalogError):
        open_catalog(database, seed_dir)
    engine = open_catalog(database, seed_dir, rebuild_if_corrupt=True)
    with engine.connect() as connection:
        origins = dict(connection.exec_driver_sql("SELECT key, origin FROM generators").all())
        accelerators = connection.exec_driver_sql("SELECT COUNT(*) FROM accelerators").scalar()
    engine.dispose()
    assert origins["site-genset"] == "user"
    assert accelerators > 0
    assert database.with_name("catalog.sqlite.corrupt").is_file()


def test_catalog_versions(database, seed_dir):
    engine = open_catalog(database, seed_dir)
    versions = catalog_versions(engine)
    engine.dispose()
    assert versions["schema_version"] == str(db.SCHEMA_VERSION)
    assert len(versions["seed_version"]) == 64
    assert versions["built_at"]


def _rewrite(path: Path, data: bytes) -> None:
    path.write_bytes(data)


@pytest.mark.parametrize("case", ["empty", "binary", "utf16", "latin1", "truncated", "wrong_csv",
                                  "impossible_value"])
def test_bad_seed_csv_names_file_line_and_fix(tmp_path, seed_dir, case):
    path = seed_dir / "generators.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if case == "empty":
        _rewrite(path, b"")
        expected = ("line 1", "empty")
    elif case == "binary":
        _rewrite(path, b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 200)
        expected = ("line 1", "UTF-8")
    elif case == "utf16":
        _rewrite(path, text.encode("utf-16"))
        expected = ("line 1", "UTF-8")
    elif case == "latin1":
        lines[3] = lines[3].replace(",", ",Générateur ", 1)
        _rewrite(path, "\n".join(lines).encode("latin-1"))
        expected = ("line 4", "UTF-8")
    elif case == "truncated":
        cut_line = ",".join(lines[-1].split(",")[:3])
        _rewrite(path, "\n".join([*lines[:-1], cut_line]).encode("utf-8"))
        expected = (f"line {len(lines)}", "truncated")
    elif case == "wrong_csv":
        _rewrite(path, b"name;power\nA;5\n")
        expected = ("line 1", "unknown column")
    else:
        header = lines[0].split(",")
        cells = lines[1].split(",")
        cells[header.index("prime_kw")] = "-5"
        lines[1] = ",".join(cells)
        _rewrite(path, "\n".join(lines).encode("utf-8"))
        expected = ("line 2", "prime_kw")
    with pytest.raises(CatalogError) as caught:
        open_catalog(tmp_path / "catalog.sqlite", seed_dir)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message
