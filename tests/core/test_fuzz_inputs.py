"""Property tests: mutated project and weather files load, or raise ConfiguratorError.

Any other exception is a bug, because it would reach the user as a traceback.
The "ci" profile runs 300 examples per property (60 for the full-year weather
properties) in about 35 s. OFFGRID_HYPOTHESIS_PROFILE=thorough runs 3000 (1000)
with random seeds and takes several minutes.
"""

from __future__ import annotations

import copy
import json
import math
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.errors import ConfiguratorError
from core.project import load_project, validate_project
from core.weather import bundled_weather_path, read_weather
from resources import EXAMPLES_DIR

_COMMON = {"deadline": None,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                     HealthCheck.large_base_example]}
settings.register_profile("ci", max_examples=300, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=3000, **_COMMON)
PROFILE = os.environ.get("OFFGRID_HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

# A mutated weather file that still reads takes about 0.1 s (a full year through
# pvlib and pandas), so the properties that keep most rows run fewer examples.
full_year_examples = settings(max_examples=60 if PROFILE == "ci" else 1000)

# pvlib's TMY3 reader lets pandas warn about columns of mixed types in a corrupted file.
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.DtypeWarning")

EXAMPLE_PROJECT = EXAMPLES_DIR / "sand_point_alaska.json"
EXAMPLE_BYTES = EXAMPLE_PROJECT.read_bytes()
EXAMPLE_DATA = json.loads(EXAMPLE_BYTES)
TMY3_LINES = bundled_weather_path("703165TY.csv").read_text(encoding="utf-8").splitlines()

# Scratch folder shared by all examples: hypothesis reruns a test body many
# times, and one file per property that each example overwrites is enough.
SCRATCH = Path(tempfile.mkdtemp(prefix="offgrid-fuzz-"))


def _leaf_paths(value, prefix=()):
    """Yield the key path of every value inside a parsed JSON document."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, prefix + (index,))


PROJECT_PATHS = [path for path in _leaf_paths(EXAMPLE_DATA) if path]

json_scalars = st.one_of(
    st.none(), st.booleans(), st.text(max_size=20),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=10,
)


def _load_project_or_configurator_error(raw: bytes) -> None:
    """Write ``raw`` as a project file and check that it loads validly or raises ConfiguratorError."""
    path = SCRATCH / "project.json"
    path.write_bytes(raw)
    try:
        project = load_project(path)
    except ConfiguratorError as error:
        assert str(path) in str(error) or ">" in str(error) or ":" in str(error)
        return
    validate_project(project)


@given(st.lists(st.tuples(st.integers(0, len(EXAMPLE_BYTES) - 1), st.integers(0, 255)),
                min_size=1, max_size=8))
def test_project_byte_flips(flips):
    raw = bytearray(EXAMPLE_BYTES)
    for position, byte in flips:
        raw[position] = byte
    _load_project_or_configurator_error(bytes(raw))


@given(st.integers(0, len(EXAMPLE_BYTES)))
def test_project_truncation(length):
    _load_project_or_configurator_error(EXAMPLE_BYTES[:length])


@given(st.sampled_from(PROJECT_PATHS), json_values, st.booleans())
def test_project_field_replaced(path, value, delete):
    data = copy.deepcopy(EXAMPLE_DATA)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    text = json.dumps(data, allow_nan=True)
    _load_project_or_configurator_error(text.encode("utf-8"))


@given(st.sampled_from(PROJECT_PATHS),
       st.sampled_from(["1" * 5000, "1e999", "-1e999", "NaN", "[" * 5000, '"\\ud800"', "{}",
                        "[]", "null", "true", '"12"', "1" * 40]))
def test_project_raw_literal(path, literal):
    """Insert raw JSON text that json.dumps cannot produce: huge numbers, deep nesting, NaN."""
    data = copy.deepcopy(EXAMPLE_DATA)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    marker = "__FUZZ_VALUE__"
    parent[path[-1]] = marker
    text = json.dumps(data).replace(f'"{marker}"', literal)
    _load_project_or_configurator_error(text.encode("utf-8"))


@given(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-8-sig",
                        "utf-32"]),
       st.text(alphabet="éüßø°µ", min_size=1, max_size=5))
def test_project_other_encodings(encoding, name):
    data = copy.deepcopy(EXAMPLE_DATA)
    data["info"]["name"] = f"Site {name}"
    text = json.dumps(data, ensure_ascii=False)
    _load_project_or_configurator_error(text.encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_project_bom_encodings_load(tmp_path, encoding):
    data = copy.deepcopy(EXAMPLE_DATA)
    data["info"]["name"] = "Station Nordkapp ø"
    path = tmp_path / "project.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding=encoding)
    assert load_project(path).info.name == "Station Nordkapp ø"


def test_project_latin1_names_line_and_fix(tmp_path):
    data = copy.deepcopy(EXAMPLE_DATA)
    data["info"]["customer"] = "Société Minière"
    path = tmp_path / "latin1.json"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    path.write_bytes(text.encode("latin-1"))
    line = text[:text.index("Société")].count("\n") + 1
    with pytest.raises(ConfiguratorError) as caught:
        load_project(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"line {line}, column" in message
    assert "UTF-8" in message


def test_project_huge_integer_named(tmp_path):
    text = json.dumps(EXAMPLE_DATA).replace('"autonomy_days": 1.5', '"autonomy_days": 1' + "0" * 400)
    assert text != json.dumps(EXAMPLE_DATA)
    path = tmp_path / "huge.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfiguratorError, match="days of autonomy"):
        load_project(path)


def test_project_empty_file_named(tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    with pytest.raises(ConfiguratorError, match="is empty"):
        load_project(path)


def test_project_file_is_never_executed(tmp_path):
    """A project file is data: eval, exec and pickle payloads stay strings or are rejected."""
    marker = tmp_path / "executed"
    payload = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    data = copy.deepcopy(EXAMPLE_DATA)
    data["info"]["name"] = payload
    data["info"]["notes"] = "cos\nsystem\n(S'touch " + str(marker) + "'\ntR."
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    project = load_project(path)
    assert project.info.name == payload
    assert not marker.exists()

    for wrapped in (payload, "{" + f'"format": {payload}' + "}"):
        path.write_text(wrapped, encoding="utf-8")
        with pytest.raises(ConfiguratorError):
            load_project(path)
        assert not marker.exists()

    pickled = tmp_path / "pickle.json"
    pickled.write_bytes(b"\x80\x04\x95" + b"cos\nsystem\n(S'touch " + str(marker).encode() +
                        b"'\ntR.")
    with pytest.raises(ConfiguratorError):
        load_project(pickled)
    assert not marker.exists()


# --- weather files ------------------------------------------------------------

TMY3_HEADER, TMY3_COLUMNS, TMY3_ROWS = TMY3_LINES[0], TMY3_LINES[1], TMY3_LINES[2:]
WEATHER_CELLS = st.one_of(
    st.sampled_from(["", "NaN", "nan", "-9900", "1e308", "-1e308", "inf", "abc", "99999999999",
                     "1,2", '"', "-0", "12/31/1900", "25:00", "00:00"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=6),
)


def _read_weather_or_configurator_error(text: str | bytes, name: str = "weather.csv") -> None:
    path = SCRATCH / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    try:
        weather = read_weather(path)
    except ConfiguratorError as error:
        assert str(path) in str(error) or path.name in str(error)
        return
    assert len(weather.ghi_w_m2) == 8760
    assert all(math.isfinite(value) for value in weather.ghi_w_m2[:24])


@full_year_examples
@given(st.integers(0, len(TMY3_ROWS)), st.integers(0, len(TMY3_ROWS)))
def test_weather_rows_dropped(start, stop):
    assume(start <= stop)
    rows = TMY3_ROWS[:start] + TMY3_ROWS[stop:]
    _read_weather_or_configurator_error("\n".join([TMY3_HEADER, TMY3_COLUMNS, *rows]) + "\n")


@full_year_examples
@given(st.lists(st.tuples(st.integers(0, len(TMY3_ROWS) + 1), st.integers(0, 70), WEATHER_CELLS),
                min_size=1, max_size=12))
def test_weather_cells_corrupted(edits):
    lines = list(TMY3_LINES)
    for line_number, column, cell in edits:
        cells = lines[line_number].split(",")
        cells[column % len(cells)] = cell
        lines[line_number] = ",".join(cells)
    _read_weather_or_configurator_error("\n".join(lines) + "\n")


@full_year_examples
@given(st.randoms(use_true_random=False), st.integers(1, 200))
def test_weather_rows_shuffled_or_duplicated(random, count):
    rows = list(TMY3_ROWS)
    if count % 2:
        random.shuffle(rows)
    for _ in range(count % 7):
        rows.insert(random.randrange(len(rows)), random.choice(rows))
    _read_weather_or_configurator_error("\n".join([TMY3_HEADER, TMY3_COLUMNS, *rows]) + "\n")


@given(st.integers(0, 20_000), st.lists(st.tuples(st.integers(0, 600_000), st.integers(0, 255)),
                                         max_size=6),
       st.sampled_from(["weather.csv", "weather.epw", "weather.tm2", "weather.json"]))
def test_weather_bytes_truncated_and_flipped(length, flips, name):
    raw = bytearray("\n".join(TMY3_LINES).encode("utf-8")[: length * 30])
    for position, byte in flips:
        if raw:
            raw[position % len(raw)] = byte
    _read_weather_or_configurator_error(bytes(raw), name)


@given(st.sampled_from(["utf-16", "utf-32", "latin-1"]), st.integers(1, 8762))
def test_weather_other_encodings(encoding, line_count):
    text = "\n".join(TMY3_LINES[:line_count]).replace("SAND POINT", "SAND PØINT")
    _read_weather_or_configurator_error(text.encode(encoding, errors="replace"))


def _plain_csv(values: list[str]) -> str:
    lines = ["timestamp,ghi,temp_air"]
    for hour, value in enumerate(values):
        lines.append(f"2023-01-01 {hour % 24:02d}:00,{value},10")
    return "\n".join(lines) + "\n"


@given(st.lists(WEATHER_CELLS, min_size=0, max_size=48))
def test_plain_csv_cells(values):
    path = SCRATCH / "plain.csv"
    path.write_text(_plain_csv(values), encoding="utf-8", errors="surrogatepass")
    try:
        read_weather(path, latitude_deg=50.0, longitude_deg=10.0, utc_offset_h=1.0)
    except ConfiguratorError as error:
        assert path.name in str(error)


def test_weather_utf16_names_fix(tmp_path):
    path = tmp_path / "703165TY.csv"
    path.write_text("\n".join(TMY3_LINES), encoding="utf-16")
    with pytest.raises(ConfiguratorError) as caught:
        read_weather(path)
    assert str(path) in str(caught.value)
    assert "save it again as UTF-8" in str(caught.value)


def test_weather_huge_file_rejected_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr("core.weather.MAX_WEATHER_FILE_BYTES", 1000)
    path = tmp_path / "703165TY.csv"
    path.write_text("\n".join(TMY3_LINES[:100]), encoding="utf-8")
    with pytest.raises(ConfiguratorError, match="larger than any typical-year"):
        read_weather(path)


def test_project_huge_file_rejected(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(6_000_000)
    with pytest.raises(ConfiguratorError, match="too large for a project file"):
        load_project(path)


@pytest.mark.parametrize("offset", ["1e308", "24000000000.0", "-30", "nan"])
def test_weather_impossible_header_offset(tmp_path, offset):
    header = TMY3_HEADER.split(",")
    header[3] = offset
    path = tmp_path / "703165TY.csv"
    path.write_text("\n".join([",".join(header), TMY3_COLUMNS, *TMY3_ROWS]), encoding="utf-8")
    with pytest.raises(ConfiguratorError) as caught:
        read_weather(path)
    assert str(path) in str(caught.value)
