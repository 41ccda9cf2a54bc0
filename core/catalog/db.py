"""Open, build, migrate and reseed the SQLite catalog database.

The database is a cache of the shipped seed CSVs plus the components the user
added (rows with origin "user"). When the seed CSVs change, their SHA-256
(``seed_version``) changes too, and every seed row is replaced while user rows
stay. The schema version is stored beside it, and ``MIGRATIONS`` moves an older
file forward one version at a time.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, delete, insert, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from core.catalog.models import SEEDED_MODELS, Base, CatalogInfo
from core.catalog.seed import load_seed_rows, seed_version
from core.errors import CatalogError
from resources import CATALOG_DIR

logger = logging.getLogger(__name__)

APP_NAME = "offgrid-configurator"
DATABASE_FILE_NAME = "catalog.sqlite"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Seconds a connection waits for another program's lock before it gives up
# (5.0 is the default of Python's sqlite3.connect).
LOCK_TIMEOUT_S = 5.0


class DamagedCatalogError(CatalogError):
    """A catalog file that is not a readable catalog, so rebuild_if_corrupt=True can replace it."""


def _create_schema_v1(connection: Connection) -> None:
    Base.metadata.create_all(connection)


def _add_tied_embeddings_v2(connection: Connection) -> None:
    """Add llm_architectures.tied_embeddings (models that share input and output embeddings).

    A database built by version 2 code already has the column from
    ``create_all``; only files built by version 1 code lack it.
    """
    columns = {row[1] for row in connection.execute(text("PRAGMA table_info(llm_architectures)"))}
    if "tied_embeddings" not in columns:
        connection.execute(text(
            "ALTER TABLE llm_architectures ADD COLUMN tied_embeddings BOOLEAN"))


def _add_generator_frequency_v3(connection: Connection) -> None:
    """Add generators.frequency_hz (50 or 60 Hz), which the generator choice matches to the site."""
    columns = {row[1] for row in connection.execute(text("PRAGMA table_info(generators)"))}
    if "frequency_hz" not in columns:
        connection.execute(text("ALTER TABLE generators ADD COLUMN frequency_hz INTEGER"))


# MIGRATIONS[i] upgrades a database from schema version i to i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _create_schema_v1, _add_tied_embeddings_v2, _add_generator_frequency_v3]
SCHEMA_VERSION = len(MIGRATIONS)


def default_database_path() -> Path:
    """Return the per-user catalog file, e.g. ~/.local/share/offgrid-configurator/catalog.sqlite."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DATABASE_FILE_NAME


def open_catalog(
    path: Path | None = None,
    seed_dir: Path | None = None,
    *,
    rebuild_if_corrupt: bool = False,
) -> Engine:
    """Open the catalog at ``path``, building, migrating or reseeding it as needed.

    A database that cannot be read raises CatalogError naming the file. With
    ``rebuild_if_corrupt=True`` the damaged file is renamed to
    ``<name>.corrupt``, user rows that can still be read are copied out of it,
    and a new database is built.
    """
    path = Path(path) if path is not None else default_database_path()
    seed_dir = Path(seed_dir) if seed_dir is not None else CATALOG_DIR
    seed_rows = load_seed_rows(seed_dir)
    version = seed_version(seed_dir)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CatalogError(
            f"Cannot create the catalog folder {path.parent}: {error.strerror}. "
            "Check that the folder is writable or pass another database path."
        ) from error

    try:
        return _open_checked(path, seed_rows, version)
    except _DamagedDatabase as damage:
        if not rebuild_if_corrupt:
            raise DamagedCatalogError(
                f"Catalog database {path} cannot be read: {damage}. "
                "Rebuild it from the shipped data: choose Rebuild the catalog when the wizard "
                "starts, or run 'offgrid-configurator --rebuild-catalog catalog'. The damaged "
                f"file is kept as {path.name}.corrupt, and the components you added that can "
                "still be read are copied into the new catalog."
            ) from damage
        return _rebuild(path, seed_rows, version, str(damage))


class _DamagedDatabase(Exception):
    """The file exists but is not a readable catalog database."""


def _open_checked(path: Path, seed_rows: dict, version: str) -> Engine:
    if path.exists():
        _check_file_header(path)
    engine = _create_engine(path)
    try:
        with engine.begin() as connection:
            _check_integrity(connection)
            _migrate(connection, path)
            _reseed_if_changed(connection, seed_rows, version)
            _check_writable(connection)
    except CatalogError:
        engine.dispose()
        raise
    except DBAPIError as error:
        engine.dispose()
        _raise_access_error(path, error)
        raise _DamagedDatabase(str(error.orig)) from error
    except SQLAlchemyError as error:
        engine.dispose()
        raise _DamagedDatabase(str(error)) from error
    return engine


def _create_engine(path: Path) -> Engine:
    return create_engine(f"sqlite:///{path}", connect_args={"timeout": LOCK_TIMEOUT_S})


def _raise_access_error(path: Path, error: DBAPIError) -> None:
    """Raise CatalogError with the fix when SQLite reports a lock or missing permission.

    These files are intact, so they must never be renamed and rebuilt as damaged.
    """
    if not isinstance(error.orig, sqlite3.OperationalError):
        return
    reason = str(error.orig)
    if "locked" in reason or "busy" in reason:
        raise CatalogError(
            f"Catalog database {path} is locked by another program ({reason}). Close the other "
            "copies of Off-grid AI Configurator and any SQLite tool that has the file open, then "
            "start again. Or pass another database path with --catalog."
        ) from error
    if "readonly" in reason or "read-only" in reason:
        raise CatalogError(
            f"Catalog database {path} is read-only ({reason}). Give your user write permission "
            f"on the file and on its folder {path.parent}, or copy the file to a writable folder "
            "and pass that path with --catalog."
        ) from error
    if "unable to open" in reason:
        raise CatalogError(
            f"Cannot open catalog database {path}: {reason}. "
            "Check that the file and its folder are readable and writable."
        ) from error


def _check_writable(connection: Connection) -> None:
    """Write the catalog_info row back unchanged, so a read-only or locked file fails at start.

    Without this write, a read-only catalog whose seed is current would open
    and fail only at the first write (a component the user adds).
    """
    connection.execute(text("UPDATE catalog_info SET built_at = built_at"))


def catalog_versions(engine: Engine) -> dict[str, str]:
    """Return the schema version, seed version (SHA-256 of the seed CSVs) and build time."""
    with engine.connect() as connection:
        row = connection.execute(
            select(CatalogInfo.schema_version, CatalogInfo.seed_version, CatalogInfo.built_at)
        ).one()
    return {"schema_version": str(row.schema_version), "seed_version": row.seed_version,
            "built_at": row.built_at}


def _check_file_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise CatalogError(
            f"Cannot read catalog database {path}: {error.strerror}. "
            "Check that the file is readable."
        ) from error
    if magic and magic != SQLITE_MAGIC:
        raise _DamagedDatabase("the file is not an SQLite database")


def _check_integrity(connection: Connection) -> None:
    result = connection.execute(text("PRAGMA quick_check")).scalars().all()
    if result != ["ok"]:
        raise _DamagedDatabase("SQLite integrity check failed: " + "; ".join(result[:3]))


def _table_names(connection: Connection) -> set[str]:
    rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
    return {row[0] for row in rows}


def _migrate(connection: Connection, path: Path) -> None:
    tables = _table_names(connection)
    if CatalogInfo.__tablename__ in tables:
        info = connection.execute(select(CatalogInfo.schema_version)).scalar_one_or_none()
        if info is None:
            raise _DamagedDatabase("the catalog_info table has no row")
        current = info
    elif tables:
        raise _DamagedDatabase(
            "the file is an SQLite database but not a catalog (no catalog_info table)"
        )
    else:
        current = 0

    if current > SCHEMA_VERSION:
        raise CatalogError(
            f"Catalog database {path} has schema version {current}, but this version of the "
            f"application reads up to version {SCHEMA_VERSION}. Update the application, or "
            "pass another database path."
        )
    for step in range(current, SCHEMA_VERSION):
        logger.info("Migrating catalog schema from version %d to %d", step, step + 1)
        MIGRATIONS[step](connection)
    if current == 0:
        connection.execute(
            insert(CatalogInfo).values(
                id=1, schema_version=SCHEMA_VERSION, seed_version="", built_at=_now()
            )
        )
    elif current < SCHEMA_VERSION:
        connection.execute(CatalogInfo.__table__.update().values(schema_version=SCHEMA_VERSION))
    missing = {table.name for table in Base.metadata.sorted_tables} - _table_names(connection)
    if missing:
        raise _DamagedDatabase(f"table(s) {', '.join(sorted(missing))} are missing")


def _reseed_if_changed(connection: Connection, seed_rows: dict, version: str) -> None:
    stored = connection.execute(select(CatalogInfo.seed_version)).scalar_one()
    if stored == version:
        return
    logger.info(
        "Seed data changed (%s -> %s); replacing seed rows", stored[:12] or "none", version[:12]
    )
    for model, rows in seed_rows.items():
        connection.execute(delete(model).where(model.origin == "seed"))
        user_keys = set(connection.execute(select(model.key)).scalars())
        fresh = [row.values for row in rows if row.values["key"] not in user_keys]
        for row in rows:
            if row.values["key"] in user_keys:
                logger.warning(
                    "Seed row %s.%s has the same key as a user row; keeping the user row",
                    model.__tablename__,
                    row.values["key"],
                )
        if fresh:
            connection.execute(insert(model), fresh)
    connection.execute(
        CatalogInfo.__table__.update().values(seed_version=version, built_at=_now())
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _read_user_rows(path: Path) -> dict[type[Base], list[dict[str, Any]]]:
    """Copy the user rows out of a damaged database, table by table, skipping unreadable ones."""
    salvaged: dict[type[Base], list[dict[str, Any]]] = {}
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return salvaged
    try:
        for model in SEEDED_MODELS:
            # A file from an older schema lacks newer columns; read the ones it has.
            try:
                present = {row[1] for row in connection.execute(
                    f"PRAGMA table_info({model.__tablename__})")}
            except sqlite3.Error:
                present = set()
            columns = [column.key for column in model.__table__.columns
                       if not present or column.key in present]
            query = (
                f"SELECT {', '.join(columns)} FROM {model.__tablename__} WHERE origin = 'user'"
            )
            try:
                rows = connection.execute(query).fetchall()
            except sqlite3.Error as error:
                logger.warning("Could not read user rows of %s: %s", model.__tablename__, error)
                continue
            salvaged[model] = [dict(zip(columns, row)) for row in rows]
    finally:
        connection.close()
    return salvaged


def _rebuild(path: Path, seed_rows: dict, version: str, reason: str) -> Engine:
    salvaged = _read_user_rows(path)
    backup = path.with_name(path.name + ".corrupt")
    logger.error(
        "Catalog %s cannot be read (%s); moving it to %s and rebuilding", path, reason, backup
    )
    try:
        shutil.move(path, backup)
    except OSError as error:
        raise CatalogError(
            f"Catalog database {path} cannot be read ({reason}), and moving it to {backup} "
            f"failed: {error.strerror}. Delete the file by hand and start again."
        ) from error
    engine = _open_checked(path, seed_rows, version)
    restored_count = 0
    with engine.begin() as connection:
        for model, rows in salvaged.items():
            for row in rows:
                # A user row wins over a seed row with the same key, as in a reseed.
                connection.execute(delete(model).where(model.key == row["key"]))
                connection.execute(insert(model).values(**row))
                restored_count += 1
    logger.info("Rebuilt catalog %s; restored %d user row(s)", path, restored_count)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on any exception."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
