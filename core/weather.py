"""Typical-year weather files read onto the product's hourly time base.

Every hourly series in the product is a numpy array of 8760 values in local
standard time (no daylight saving time, no 29 February), and each value is
labelled by the START of its hour. TMY2, TMY3 and EPW label each value by the
END of its hour (hour 1 to 24), so the importer moves every row back one hour.
Rows of a typical meteorological year come from different calendar years, so
they are ordered by the month, day and hour printed in the file, never by the
calendar year.

Gaps of up to ``MAX_FILLED_GAP_H`` hours are filled by linear interpolation and
listed in ``WeatherYear.notes``. Longer gaps raise ``FileFormatError``, because
reading missing values as zero sun would shrink the solar resource without
any warning.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from core.errors import FileFormatError, InputError
from core.units import HOURS_PER_YEAR

logger = logging.getLogger(__name__)

MODEL_YEAR = 2023  # a non-leap year used only to label the typical year's hours
MAX_FILLED_GAP_H = 3  # maximum run of missing hours filled by interpolation

BUNDLED_WEATHER_FILES = {
    "703165TY.csv": "Sand Point, AK (NSRDB TMY3)",
    "723170TYA.CSV": "Greensboro, NC (NSRDB TMY3)",
    "12839.tm2": "Miami, FL (NSRDB TMY2)",
}

_FORMAT_BY_SUFFIX = {".csv": "tmy3", ".tm2": "tmy2", ".epw": "epw"}
_FORMAT_NAMES = {"tmy3": "TMY3", "tmy2": "TMY2", "epw": "EPW"}
_SERIES = ("ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_m_s")
_IRRADIANCE = ("ghi_w_m2", "dni_w_m2", "dhi_w_m2")

# Values that TMY2 and EPW files use for "missing" (EnergyPlus Auxiliary
# Programs, EPW data dictionary; NREL TMY2 user manual). TMY2 stores
# temperature and wind speed in tenths, so 9999 there is also a missing code.
_EPW_MISSING = {"ghi_w_m2": 9999, "dni_w_m2": 9999, "dhi_w_m2": 9999,
                "temp_air_c": 99.9, "wind_speed_m_s": 999}
_TMY2_MISSING = {"ghi_w_m2": 9999, "dni_w_m2": 9999, "dhi_w_m2": 9999,
                 "temp_air_c": 9999, "wind_speed_m_s": 9999}


@dataclass
class WeatherYear:
    """One typical year of hourly weather on the product's time base.

    Every array has shape (8760,), hourly, local standard time, each value
    labelled by the start of its hour (index 0 is 1 January 00:00-01:00).
    Irradiance values are averages over the hour [W/m2].
    """

    ghi_w_m2: np.ndarray
    dni_w_m2: np.ndarray
    dhi_w_m2: np.ndarray
    temp_air_c: np.ndarray
    wind_speed_m_s: np.ndarray
    latitude_deg: float
    longitude_deg: float
    elevation_m: float
    utc_offset_h: float
    station_name: str
    source_path: str
    source_format: str
    notes: list[str] = field(default_factory=list)
    record_low_c: float = float("nan")
    record_high_c: float = float("nan")

    @property
    def time_index(self) -> pd.DatetimeIndex:
        """Hour-start labels of the 8760 values, in the fixed year ``MODEL_YEAR``.

        The time zone is the station's fixed UTC offset (local standard time),
        so pvlib computes solar position without daylight saving time.
        """
        tz = datetime.timezone(datetime.timedelta(hours=self.utc_offset_h))
        start = pd.Timestamp(year=MODEL_YEAR, month=1, day=1, tz=tz)
        return pd.date_range(start, periods=HOURS_PER_YEAR, freq="h")


def bundled_weather_path(name: str) -> Path:
    """Return the path of a weather file shipped in pvlib's ``data`` folder.

    ``name`` is one of ``BUNDLED_WEATHER_FILES``: "703165TY.csv" (Sand Point,
    AK, TMY3), "723170TYA.CSV" (Greensboro, NC, TMY3) or "12839.tm2" (Miami,
    FL, TMY2).
    """
    if name not in BUNDLED_WEATHER_FILES:
        raise InputError("Bundled weather file", name, "one of " + ", ".join(BUNDLED_WEATHER_FILES))

    path = Path(pvlib.__file__).parent / "data" / name
    if not path.is_file():
        raise FileFormatError(path, "is missing from the installed pvlib package.",
                              "Reinstall pvlib (pip install --force-reinstall pvlib).")
    return path


def read_weather(path: str | Path, fmt: str = "auto") -> WeatherYear:
    """Read a TMY3 (.csv), TMY2 (.tm2) or EPW (.epw) file into a ``WeatherYear``.

    ``fmt`` is "auto" (chosen from the file extension), "tmy3", "tmy2" or
    "epw". Rows are moved from hour-end to hour-start labels, ordered by the
    month, day and hour of the typical year, and 29 February is dropped.

    Raises ``FileFormatError`` for a missing, empty, binary or unreadable
    file, for rows outside a 365-day year, and for gaps longer than
    ``MAX_FILLED_GAP_H`` hours.
    """
    path = Path(path)
    fmt = _check_file_and_format(path, fmt)

    raw, meta = _read_with_pvlib(path, fmt)
    frame, station_name = _standard_columns(raw, meta, fmt, path)
    notes: list[str] = []

    frame = _drop_leap_day(frame, notes)
    hourly = _place_on_year_grid(frame, path)

    series = {name: hourly[name].to_numpy(dtype=float) for name in _SERIES}
    row_count = int(hourly["present"].sum())
    time_index = pd.date_range(f"{MODEL_YEAR}-01-01", periods=HOURS_PER_YEAR, freq="h")
    for name in _SERIES:
        series[name] = _fill_short_gaps(series[name], name, time_index, path, row_count, notes)

    for name in _IRRADIANCE:
        negative_count = int(np.count_nonzero(series[name] < 0.0))
        if negative_count:
            series[name] = np.clip(series[name], 0.0, None)
            notes.append(f"{name}: {negative_count} negative values set to 0 W/m2.")

    for note in notes:
        logger.info("%s: %s", path, note)

    return WeatherYear(
        ghi_w_m2=series["ghi_w_m2"],
        dni_w_m2=series["dni_w_m2"],
        dhi_w_m2=series["dhi_w_m2"],
        temp_air_c=series["temp_air_c"],
        wind_speed_m_s=series["wind_speed_m_s"],
        latitude_deg=float(meta["latitude"]),
        longitude_deg=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        utc_offset_h=float(meta["TZ"]),
        station_name=station_name,
        source_path=str(path),
        source_format=fmt,
        notes=notes,
        record_low_c=float(series["temp_air_c"].min()),
        record_high_c=float(series["temp_air_c"].max()),
    )


def _check_file_and_format(path: Path, fmt: str) -> str:
    """Reject missing, empty and binary files and resolve ``fmt``."""
    if not path.exists():
        raise FileFormatError(path, "file not found.", "Check the path or choose another weather file.")
    if not path.is_file():
        raise FileFormatError(path, "is a folder, not a weather file.", "Choose a .csv, .tm2 or .epw file.")
    if path.stat().st_size == 0:
        raise FileFormatError(path, "file is empty.", "Download or export the weather file again.")

    with path.open("rb") as handle:
        head = handle.read(4096)
    if b"\x00" in head:
        raise FileFormatError(path, "is a binary file, not a text weather file.",
                              "Choose a TMY3 .csv, TMY2 .tm2 or EPW .epw text file.")

    if fmt == "auto":
        fmt = _FORMAT_BY_SUFFIX.get(path.suffix.lower(), "")
        if not fmt:
            raise FileFormatError(path, f"has an unknown extension {path.suffix!r}.",
                                  "Rename it to .csv (TMY3), .tm2 (TMY2) or .epw (EPW), or pass fmt.")
    if fmt not in _FORMAT_NAMES:
        raise InputError("Weather file format", fmt, '"auto", "tmy3", "tmy2" or "epw"')
    return fmt


def _read_with_pvlib(path: Path, fmt: str) -> tuple[pd.DataFrame, dict]:
    """Call the pvlib reader and turn its parse errors into ``FileFormatError``."""
    try:
        if fmt == "tmy3":
            return pvlib.iotools.read_tmy3(path, map_variables=True)
        if fmt == "tmy2":
            return pvlib.iotools.read_tmy2(path)
        return pvlib.iotools.read_epw(path)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        # ValueError also covers UnicodeDecodeError and pandas ParserError.
        raise FileFormatError(
            path,
            f"could not be read as a {_FORMAT_NAMES[fmt]} file ({type(exc).__name__}: {exc}).",
            f"Check that the file is a complete {_FORMAT_NAMES[fmt]} file, or choose the matching format.",
        ) from exc


def _standard_columns(raw: pd.DataFrame, meta: dict, fmt: str, path: Path) -> tuple[pd.DataFrame, str]:
    """Return month, day, hour_start and the five series in product units, plus the station name.

    ``hour_start`` is 0-23: the file's hour-end label (1-24) minus one hour.
    """
    try:
        if fmt == "tmy3":
            dates = raw["Date (MM/DD/YYYY)"].astype(str).str.split("/")
            month = dates.str[0].astype(int)
            day = dates.str[1].astype(int)
            hour_end = raw["Time (HH:MM)"].astype(str).str.split(":").str[0].astype(int)
            values = {"ghi_w_m2": raw["ghi"], "dni_w_m2": raw["dni"], "dhi_w_m2": raw["dhi"],
                      "temp_air_c": raw["temp_air"], "wind_speed_m_s": raw["wind_speed"]}
            station_name = f"{str(meta.get('Name', '')).strip(chr(34))} {meta.get('State', '')}".strip()

        elif fmt == "tmy2":
            month = raw["month"].astype(int)
            day = raw["day"].astype(int)
            hour_end = raw["hour"].astype(int)
            values = {"ghi_w_m2": raw["GHI"], "dni_w_m2": raw["DNI"], "dhi_w_m2": raw["DHI"],
                      "temp_air_c": raw["DryBulb"], "wind_speed_m_s": raw["Wspd"]}
            values = {k: v.where(v != _TMY2_MISSING[k]) for k, v in values.items()}
            # TMY2 stores dry-bulb temperature and wind speed in tenths.
            values["temp_air_c"] = values["temp_air_c"] / 10.0
            values["wind_speed_m_s"] = values["wind_speed_m_s"] / 10.0
            station_name = f"{meta.get('City', '')} {meta.get('State', '')}".strip()

        else:
            month = raw["month"].astype(int)
            day = raw["day"].astype(int)
            hour_end = raw["hour"].astype(int)
            values = {"ghi_w_m2": raw["ghi"], "dni_w_m2": raw["dni"], "dhi_w_m2": raw["dhi"],
                      "temp_air_c": raw["temp_air"], "wind_speed_m_s": raw["wind_speed"]}
            values = {k: pd.to_numeric(v, errors="coerce") for k, v in values.items()}
            values = {k: v.where(v < _EPW_MISSING[k]) for k, v in values.items()}
            station_name = ", ".join(str(meta.get(key, "")).strip() for key in ("city", "state-prov", "country")
                                     if str(meta.get(key, "")).strip() not in ("", "-"))
    except (KeyError, ValueError, TypeError) as exc:
        raise FileFormatError(
            path, f"has an unreadable date or hour column ({type(exc).__name__}: {exc}).",
            f"Check that the file is a complete {_FORMAT_NAMES[fmt]} file.") from exc

    frame = pd.DataFrame({"month": month.to_numpy(), "day": day.to_numpy(), "hour_start": hour_end.to_numpy() - 1})
    for name, column in values.items():
        frame[name] = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    return frame, station_name


def _drop_leap_day(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Remove 29 February rows, because the product's year has 365 days."""
    leap_day = (frame["month"] == 2) & (frame["day"] == 29)
    if leap_day.any():
        notes.append(f"29 February removed ({int(leap_day.sum())} hourly rows), because the model year has 365 days.")
        frame = frame.loc[~leap_day]
    return frame


def _place_on_year_grid(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Order rows by month, day and hour and put them on the 8760-hour grid.

    Hours with no row come back as NaN, with ``present`` False, so the gap
    check treats missing rows and missing values alike.
    """
    grid = pd.date_range(f"{MODEL_YEAR}-01-01", periods=HOURS_PER_YEAR, freq="h")
    grid_keys = pd.MultiIndex.from_arrays([grid.month, grid.day, grid.hour], names=["month", "day", "hour_start"])

    keys = pd.MultiIndex.from_frame(frame[["month", "day", "hour_start"]])
    outside = ~keys.isin(grid_keys)
    if outside.any():
        first = frame.loc[outside].iloc[0]
        raise FileFormatError(
            path,
            f"has a row dated month {first['month']}, day {first['day']}, hour {first['hour_start'] + 1} "
            f"that is not an hour of a 365-day year (hours run 1-24 and label the end of each hour).",
            "Check the date columns of the file.")

    duplicated = keys.duplicated()
    if duplicated.any():
        first = frame.loc[duplicated].iloc[0]
        raise FileFormatError(
            path,
            f"has more than one row for month {first['month']}, day {first['day']}, "
            f"hour {first['hour_start'] + 1}; a typical year has exactly one row per hour.",
            "Remove the duplicate rows or export the file again.")

    frame = frame.set_index(keys).drop(columns=["month", "day", "hour_start"])
    frame["present"] = True
    hourly = frame.reindex(grid_keys)
    hourly["present"] = hourly["present"].fillna(False).astype(bool)
    return hourly


def _fill_short_gaps(values: np.ndarray, name: str, time_index: pd.DatetimeIndex, path: Path,
                     row_count: int, notes: list[str]) -> np.ndarray:
    """Fill runs of up to ``MAX_FILLED_GAP_H`` NaN hours linearly and raise on longer runs.

    The typical year is treated as cyclic, so a gap on 1 January 00:00 is
    interpolated from 31 December 23:00.
    """
    missing = np.isnan(values)
    if not missing.any():
        return values

    runs = _nan_runs(missing)
    long_runs = [(start, length) for start, length in runs if length > MAX_FILLED_GAP_H]
    if long_runs:
        start, length = long_runs[0]
        first_missing = time_index[start].strftime("%d %b %H:%M")
        row_text = ""
        if row_count != HOURS_PER_YEAR:
            row_text = f" The file has {row_count} hourly rows; a 365-day year needs {HOURS_PER_YEAR}."
        raise FileFormatError(
            path,
            f"{name} is missing for {length} hours starting {first_missing} local standard time "
            f"(gaps of up to {MAX_FILLED_GAP_H} h are filled by interpolation).{row_text}",
            "Fill the gap in the source data or choose a complete weather file.")

    hours = np.arange(HOURS_PER_YEAR, dtype=float)
    known = ~missing
    filled = values.copy()
    filled[missing] = np.interp(hours[missing], hours[known], values[known], period=HOURS_PER_YEAR)

    first_missing = time_index[runs[0][0]].strftime("%d %b %H:%M")
    notes.append(f"{name}: {int(missing.sum())} missing hours in {len(runs)} gaps of at most "
                 f"{MAX_FILLED_GAP_H} h filled by linear interpolation (first at {first_missing}).")
    return filled


def _nan_runs(missing: np.ndarray) -> list[tuple[int, int]]:
    """Return (start index, length) of each run of True values in ``missing``."""
    padded = np.concatenate(([False], missing, [False])).astype(np.int8)
    edges = np.diff(padded)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return [(int(s), int(e - s)) for s, e in zip(starts, ends)]
