"""Read and validate the seed CSV files that the catalog database is built from.

One CSV per table, header row = column names. An empty cell is NULL. Every
error names the file, the line (1 = header) and the column, so a data-entry
mistake can be found and fixed in a text editor.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Float, Integer, inspect

from core.catalog.models import SEEDED_MODELS, Base
from core.catalog.validation import REFERENCES, check_row
from core.errors import CatalogError

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})

ENCODING_FIX = ("Save the file as CSV in UTF-8 (in a spreadsheet: 'CSV UTF-8'), or restore "
                "the shipped copy.")

# Columns a CSV must not set: the loader fills them in.
LOADER_COLUMNS = frozenset({"origin"})


@dataclass(frozen=True)
class SeedRow:
    """One validated CSV row with the line it came from."""

    values: dict[str, Any]
    path: Path
    line: int


def column_specs(model: type[Base]) -> dict[str, tuple[type, bool]]:
    """Return ``{column: (python type, nullable)}`` of a model, in table order."""
    specs: dict[str, tuple[type, bool]] = {}
    for column in inspect(model).columns:
        if isinstance(column.type, Boolean):
            python_type: type = bool
        elif isinstance(column.type, Integer):
            python_type = int
        elif isinstance(column.type, Float):
            python_type = float
        else:
            python_type = str
        specs[column.key] = (python_type, bool(column.nullable) and not column.primary_key)
    return specs


def parse_cell(text: str, python_type: type) -> Any:
    """Convert one CSV cell to ``python_type``; raise ValueError with the reason."""
    if python_type is bool:
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"{text!r} is not a boolean; expected true or false")
    if python_type is int:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an integer") from None
    if python_type is float:
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    return text


def read_seed_csv(model: type[Base], path: Path) -> list[SeedRow]:
    """Read, convert and validate every row of one seed CSV file.

    Raises CatalogError naming the file, line and column of the first problem.
    """
    specs = column_specs(model)
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as error:
        raise CatalogError(f"Cannot read seed file {path}: {error.strerror}.") from error
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            message = f"{path}, line 1: the file is empty; expected a header row."
            raise CatalogError(message) from None
        except UnicodeDecodeError as error:
            raise CatalogError(_encoding_message(path)) from error
        except csv.Error as error:
            message = f"{path}, line 1: not a readable CSV file ({error}). {ENCODING_FIX}"
            raise CatalogError(message) from error
        _check_header(model, path, header, specs)
        try:
            return [
                _read_row(model, path, reader.line_num, header, cells, specs)
                for cells in reader
                if any(cell.strip() for cell in cells)
            ]
        except UnicodeDecodeError as error:
            raise CatalogError(_encoding_message(path)) from error
        except csv.Error as error:
            raise CatalogError(
                f"{path}, line {reader.line_num}: not a readable CSV row ({error}). "
                f"{ENCODING_FIX}"
            ) from error


def _encoding_message(path: Path) -> str:
    """Return the message for a seed file that is not UTF-8, with the line of the first bad byte.

    The text reader decodes in blocks, so its line count does not locate the byte.
    """
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        kind = "binary data" if b"\x00" in raw[:4096] else f"byte 0x{raw[error.start]:02x}"
        return f"{path}, line {line}: not UTF-8 text ({kind}). {ENCODING_FIX}"
    return f"{path}: not UTF-8 text. {ENCODING_FIX}"


def _check_header(model: type[Base], path: Path, header: list[str], specs: dict) -> None:
    expected = [name for name in specs if name not in LOADER_COLUMNS]
    for name in header:
        if name not in specs or name in LOADER_COLUMNS:
            raise CatalogError(
                f"{path}, line 1, column '{name}': unknown column for table "
                f"{model.__tablename__}; expected columns: {', '.join(expected)}."
            )
    if len(set(header)) != len(header):
        duplicates = sorted({name for name in header if header.count(name) > 1})
        raise CatalogError(f"{path}, line 1: duplicate column(s) {', '.join(duplicates)}.")
    for name in expected:
        if name not in header and not specs[name][1]:
            raise CatalogError(
                f"{path}, line 1, column '{name}': required column is missing from the header."
            )


def _read_row(
    model: type[Base],
    path: Path,
    line: int,
    header: list[str],
    cells: list[str],
    specs: dict[str, tuple[type, bool]],
) -> SeedRow:
    if len(cells) != len(header):
        raise CatalogError(
            f"{path}, line {line}: {len(cells)} cells, but the header has {len(header)} columns. "
            "Add or remove cells (quote a value that contains a comma); a short last line "
            "means the file is truncated."
        )
    values: dict[str, Any] = {}
    for name, cell in zip(header, cells):
        python_type, nullable = specs[name]
        text = cell.strip()
        if text == "":
            if not nullable:
                raise CatalogError(f"{path}, line {line}, column '{name}': a value is required.")
            values[name] = None
            continue
        try:
            values[name] = parse_cell(text, python_type)
        except ValueError as error:
            raise CatalogError(f"{path}, line {line}, column '{name}': {error}.") from None
    values["origin"] = "seed"
    problems = check_row(model, values)
    if problems:
        column, problem = problems[0]
        raise CatalogError(f"{path}, line {line}, column '{column}': {problem}.")
    return SeedRow(values=values, path=path, line=line)


def load_seed_rows(seed_dir: Path) -> dict[type[Base], list[SeedRow]]:
    """Read every seed CSV in ``seed_dir`` and check keys and cross-table references."""
    rows_by_model: dict[type[Base], list[SeedRow]] = {}
    for model, file_name in SEEDED_MODELS.items():
        rows = read_seed_csv(model, seed_dir / file_name)
        _check_unique_keys(rows)
        rows_by_model[model] = rows
    _check_references(rows_by_model)
    return rows_by_model


def _check_unique_keys(rows: list[SeedRow]) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        key = row.values["key"]
        if key in first_line:
            raise CatalogError(
                f"{row.path}, line {row.line}, column 'key': duplicate key {key!r} "
                f"(first used on line {first_line[key]})."
            )
        first_line[key] = row.line


def _check_references(rows_by_model: dict[type[Base], list[SeedRow]]) -> None:
    for (model, column), target in REFERENCES.items():
        known = {row.values["key"] for row in rows_by_model[target]}
        for row in rows_by_model[model]:
            value = row.values.get(column)
            if value is not None and value not in known:
                raise CatalogError(
                    f"{row.path}, line {row.line}, column '{column}': {value!r} is not a key "
                    f"of table {target.__tablename__}."
                )


def seed_version(seed_dir: Path) -> str:
    """Return a SHA-256 hex digest over the names and bytes of the seed CSV files."""
    digest = hashlib.sha256()
    for file_name in sorted(SEEDED_MODELS.values()):
        path = seed_dir / file_name
        digest.update(file_name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError as error:
            raise CatalogError(f"Cannot read seed file {path}: {error.strerror}.") from error
    return digest.hexdigest()
