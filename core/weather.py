"""Typical-year weather files read onto the product's hourly time base.

Every hourly series in the product is a numpy array of 8760 values in local
standard time (no daylight saving time, no 29 February), and each value is
labelled by the START of its hour. Supported files and their time labels:

- TMY2, TMY3 and EPW label each value by the END of its hour (hour 1 to 24),
  so the importer moves every row back one hour.
- PVGIS typical-year files (CSV and JSON) are in UTC and carry no time zone.
  They are moved to local standard time with ``utc_offset_h``, or with
  round(longitude / 15) hours when none is given.
  NOTE: a PVGIS row stamped HH:00 is read as the hour HH:00-HH+1:00 UTC. This
  is inferred from the file's "Irradiance Time Offset" (a few minutes after
  HH:00), not from a PVGIS statement about averaging periods.
- NSRDB and other SAM CSV files label each row by the start of its interval
  (Year, Month, Day, Hour, Minute) at the header's "Time Zone" offset.
- A plain CSV with a ``timestamp`` column labels each row by the start of its
  interval, see ``read_weather``.

Rows of a typical meteorological year come from different calendar years, so
they are ordered by the month, day and hour of each row, never by the
calendar year. Sub-hourly rows are averaged to hours.

Gaps of up to ``MAX_FILLED_GAP_H`` hours are filled by linear interpolation and
listed in ``WeatherYear.notes``. Longer gaps raise ``FileFormatError``, because
reading missing values as zero sun would shrink the solar resource without
any warning.
"""

from __future__ import annotations

import csv
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
# Largest weather file read [bytes]. A year of 1-minute rows in a plain CSV is
# about 30-40 MB (an estimate at 60-80 bytes a row), so a larger file is not a weather year.
MAX_WEATHER_FILE_BYTES = 100_000_000

BUNDLED_WEATHER_FILES = {
    "703165TY.csv": "Sand Point, AK (NSRDB TMY3)",
    "723170TYA.CSV": "Greensboro, NC (NSRDB TMY3)",
    "12839.tm2": "Miami, FL (NSRDB TMY2)",
}

_FORMAT_BY_SUFFIX = {".tm2": "tmy2", ".epw": "epw", ".json": "pvgis"}
_FORMAT_NAMES = {"tmy3": "TMY3", "tmy2": "TMY2", "epw": "EPW", "pvgis": "PVGIS typical-year",
                 "nsrdb": "NSRDB / SAM CSV", "csv": "plain hourly CSV"}
# Columns of a plain hourly CSV; dni, dhi and wind_speed are optional.
PLAIN_CSV_COLUMNS = ("timestamp", "ghi", "dni", "dhi", "temp_air", "wind_speed")
# Wind speed used when a plain CSV has no wind_speed column [m/s]. Calm air
# gives the highest cell temperature, so the PV estimate errs low.
DEFAULT_WIND_SPEED_M_S = 0.0
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


def read_weather(path: str | Path, fmt: str = "auto", *, latitude_deg: float | None = None,
                 longitude_deg: float | None = None, utc_offset_h: float | None = None,
                 elevation_m: float | None = None) -> WeatherYear:
    """Read a weather file into a ``WeatherYear`` on the product's time base.

    ``fmt`` is "auto", "tmy3", "tmy2", "epw", "pvgis" (PVGIS typical-year CSV
    or JSON), "nsrdb" (NSRDB or other SAM CSV) or "csv" (plain hourly CSV).
    "auto" chooses by extension (.tm2, .epw, .json) and, for .csv, by the
    first line of the file.

    ``utc_offset_h`` is the site's local standard time offset [h, whole or
    half hours]. PVGIS files need it to leave UTC, and round(longitude / 15)
    is used when it is None. A plain CSV needs ``latitude_deg``,
    ``longitude_deg`` and ``utc_offset_h``. Files that carry their own time
    zone (TMY2, TMY3, EPW, NSRDB) reject a different ``utc_offset_h``.

    A plain CSV has a header row with the columns ``PLAIN_CSV_COLUMNS``.
    Each ``timestamp`` (ISO 8601, for example "2023-01-01 00:00") labels the
    START of its interval. A timestamp without an offset is local standard
    time, and one with an offset ("2023-01-01T09:00Z") is converted to it.
    Missing dni and dhi are split from ghi with the Erbs model, and a missing
    wind_speed is ``DEFAULT_WIND_SPEED_M_S``.

    Rows are placed by month, day and hour, 29 February is dropped, and
    sub-hourly rows are averaged to hours. Each of these steps is listed in
    ``WeatherYear.notes``. Raises ``FileFormatError`` for a missing, empty,
    binary or unreadable file, for rows outside a 365-day year, and for gaps
    longer than ``MAX_FILLED_GAP_H`` hours.
    """
    path = Path(path)
    fmt = _check_file_and_format(path, fmt)
    site = {"latitude_deg": latitude_deg, "longitude_deg": longitude_deg,
            "utc_offset_h": utc_offset_h, "elevation_m": elevation_m}
    _check_site_arguments(site, fmt)
    notes: list[str] = []

    if fmt in ("tmy3", "tmy2", "epw"):
        raw, meta = _read_with_pvlib(path, fmt)
        frame, station_name = _standard_columns(raw, meta, fmt, path)
        location = {"latitude_deg": float(meta["latitude"]), "longitude_deg": float(meta["longitude"]),
                    "elevation_m": float(meta["altitude"]), "utc_offset_h": float(meta["TZ"])}
        file_offset_h = location["utc_offset_h"]
    elif fmt == "pvgis":
        frame, location, station_name = _read_pvgis(path, site, notes)
        file_offset_h = 0.0
    elif fmt == "nsrdb":
        frame, location, station_name, file_offset_h = _read_sam_csv(path)
    else:
        frame, location, file_offset_h = _read_plain_csv(path, site, notes)
        station_name = f"{location['latitude_deg']:.3f}, {location['longitude_deg']:.3f}"

    _check_file_location(path, location)
    given_offset = site["utc_offset_h"]
    if fmt in ("tmy3", "tmy2", "epw", "nsrdb") and given_offset is not None \
            and given_offset != location["utc_offset_h"]:
        raise InputError(f"UTC offset for {path.name}", given_offset,
                         f"None or the file's own offset {location['utc_offset_h']:+g} h")

    frame = _drop_leap_day(frame, notes)
    frame = _average_to_hours(frame, notes)
    hourly = _place_on_year_grid(frame, path)
    hourly = _shift_to_local_time(hourly, location["utc_offset_h"] - file_offset_h, notes)

    series = {name: hourly[name].to_numpy(dtype=float) for name in hourly.columns if name != "present"}
    row_count = int(hourly["present"].sum())
    time_index = pd.date_range(f"{MODEL_YEAR}-01-01", periods=HOURS_PER_YEAR, freq="h")
    for name, values in series.items():
        series[name] = _fill_short_gaps(values, name, time_index, path, row_count, notes)

    for name in _IRRADIANCE:
        if name not in series:
            continue
        negative_count = int(np.count_nonzero(series[name] < 0.0))
        if negative_count:
            series[name] = np.clip(series[name], 0.0, None)
            notes.append(f"{name}: {negative_count} negative values set to 0 W/m2.")

    weather = WeatherYear(
        ghi_w_m2=series["ghi_w_m2"],
        dni_w_m2=series.get("dni_w_m2", np.zeros(HOURS_PER_YEAR)),
        dhi_w_m2=series.get("dhi_w_m2", np.zeros(HOURS_PER_YEAR)),
        temp_air_c=series["temp_air_c"],
        wind_speed_m_s=series.get("wind_speed_m_s", np.full(HOURS_PER_YEAR, DEFAULT_WIND_SPEED_M_S)),
        station_name=station_name,
        source_path=str(path),
        source_format=fmt,
        notes=notes,
        record_low_c=float(series["temp_air_c"].min()),
        record_high_c=float(series["temp_air_c"].max()),
        **location,
    )
    if "dni_w_m2" not in series or "dhi_w_m2" not in series:
        split_ghi_with_erbs(weather)
        notes.append("dni and dhi were missing and were split from ghi with the Erbs model "
                     "(pvlib.irradiance.erbs, sun at mid-hour).")
    if "wind_speed_m_s" not in series:
        notes.append(f"wind_speed was missing and is set to {DEFAULT_WIND_SPEED_M_S:g} m/s.")

    for note in notes:
        logger.info("%s: %s", path, note)
    return weather


def split_ghi_with_erbs(weather: WeatherYear) -> None:
    """Replace ``weather``'s DNI and DHI by the Erbs split of its GHI, in place.

    The sun position is taken at mid-hour, because the values are hourly means.
    """
    mid_hour = weather.time_index + pd.Timedelta(minutes=30)
    solar_position = pvlib.solarposition.get_solarposition(
        mid_hour, weather.latitude_deg, weather.longitude_deg, altitude=weather.elevation_m)
    split = pvlib.irradiance.erbs(weather.ghi_w_m2, solar_position["zenith"].to_numpy(),
                                  mid_hour.day_of_year.to_numpy())
    weather.dni_w_m2 = np.nan_to_num(np.asarray(split["dni"], dtype=float))
    weather.dhi_w_m2 = np.nan_to_num(np.asarray(split["dhi"], dtype=float))


def _check_site_arguments(site: dict, fmt: str) -> None:
    """Reject out-of-range site arguments and, for a plain CSV, missing ones."""
    if fmt == "csv":
        for name in ("latitude_deg", "longitude_deg", "utc_offset_h"):
            if site[name] is None:
                raise InputError(f"Plain CSV weather > {name}", None,
                                 "a number; a plain CSV carries no location or time zone")
    latitude, longitude, offset = site["latitude_deg"], site["longitude_deg"], site["utc_offset_h"]
    if latitude is not None and not -90.0 <= latitude <= 90.0:
        raise InputError("Weather > latitude", latitude, "degrees from -90 to 90 (north positive)")
    if longitude is not None and not -180.0 <= longitude <= 180.0:
        raise InputError("Weather > longitude", longitude, "degrees from -180 to 180 (east positive)")
    if offset is not None and (not -12.0 <= offset <= 14.0 or offset * 2 != round(offset * 2)):
        raise InputError("Weather > UTC offset", offset, "whole or half hours from -12 to +14")


def _check_file_location(path: Path, location: dict) -> None:
    """Reject a file header whose latitude, longitude or UTC offset is impossible."""
    limits = {"latitude_deg": (-90.0, 90.0, "latitude [deg]"),
              "longitude_deg": (-180.0, 180.0, "longitude [deg]"),
              "utc_offset_h": (-12.0, 14.0, "UTC offset [h]")}
    for name, (low, high, label) in limits.items():
        value = location[name]
        if not np.isfinite(value) or not low <= value <= high:
            raise FileFormatError(path, f"gives the {label} as {value:g}, outside {low:g} to {high:g}.",
                                  "Correct the header line of the file or download it again.")


def _check_file_and_format(path: Path, fmt: str) -> str:
    """Reject missing, empty and binary files and resolve ``fmt``."""
    if not path.exists():
        raise FileFormatError(path, "file not found.", "Check the path or choose another weather file.")
    if not path.is_file():
        raise FileFormatError(path, "is a folder, not a weather file.", "Choose a .csv, .tm2 or .epw file.")
    size_bytes = path.stat().st_size
    if size_bytes == 0:
        raise FileFormatError(path, "file is empty.", "Download or export the weather file again.")
    if size_bytes > MAX_WEATHER_FILE_BYTES:
        raise FileFormatError(path, f"is {size_bytes:,} bytes, larger than any typical-year weather "
                              f"file ({MAX_WEATHER_FILE_BYTES:,} bytes at most).",
                              "Choose a one-year TMY3, TMY2, EPW, PVGIS, NSRDB or hourly CSV file.")

    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileFormatError(path, "is UTF-16 text; the weather readers need UTF-8 or ASCII.",
                              "Open it in a text editor and save it again as UTF-8.")
    if b"\x00" in head:
        raise FileFormatError(path, "is a binary file, not a text weather file.",
                              "Choose a TMY3 .csv, TMY2 .tm2 or EPW .epw text file.")

    if fmt == "auto":
        if path.suffix.lower() == ".csv":
            return _sniff_csv_format(head)
        fmt = _FORMAT_BY_SUFFIX.get(path.suffix.lower(), "")
        if not fmt:
            raise FileFormatError(path, f"has an unknown extension {path.suffix!r}.",
                                  "Rename it to .csv (TMY3, PVGIS, NSRDB or plain CSV), .json (PVGIS), "
                                  ".tm2 (TMY2) or .epw (EPW), or pass fmt.")
    if fmt not in _FORMAT_NAMES:
        raise InputError("Weather file format", fmt, '"auto", ' + ", ".join(f'"{name}"' for name in _FORMAT_NAMES))
    return fmt


def _sniff_csv_format(head: bytes) -> str:
    """Choose the format of a .csv file from its first line.

    PVGIS files start with "Latitude (decimal degrees):", SAM CSV files with a
    row of metadata names that includes Latitude and Longitude, and a plain
    CSV with a header that includes ghi. Anything else is read as TMY3, whose
    reader reports a file that is not TMY3 either.
    """
    first_line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip().lstrip("\ufeff")
    fields = [name.strip().strip('"').lower() for name in first_line.split(",")]
    if first_line.startswith("Latitude (decimal degrees)"):
        return "pvgis"
    if "latitude" in fields and "longitude" in fields:
        return "nsrdb"
    if "ghi" in fields:
        return "csv"
    return "tmy3"


def _read_with_pvlib(path: Path, fmt: str) -> tuple[pd.DataFrame, dict]:
    """Call the pvlib reader and turn its parse errors into ``FileFormatError``."""
    try:
        if fmt == "tmy3":
            return pvlib.iotools.read_tmy3(path, map_variables=True)
        if fmt == "tmy2":
            return pvlib.iotools.read_tmy2(path)
        return pvlib.iotools.read_epw(path)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError) as exc:
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
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise FileFormatError(
            path, f"has an unreadable date or hour column ({type(exc).__name__}: {exc}).",
            f"Check that the file is a complete {_FORMAT_NAMES[fmt]} file.") from exc

    frame = pd.DataFrame({"month": month.to_numpy(), "day": day.to_numpy(), "hour_start": hour_end.to_numpy() - 1})
    for name, column in values.items():
        frame[name] = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    return frame, station_name


def _read_pvgis(path: Path, site: dict, notes: list[str]) -> tuple[pd.DataFrame, dict, str]:
    """Read a PVGIS typical-year CSV or JSON file with pvlib.

    Returns the rows in UTC (month, day, hour_start, minute and the series),
    the site location with its local standard time offset, and a station name.
    """
    try:
        raw, meta = pvlib.iotools.read_pvgis_tmy(path, pvgis_format=_pvgis_format(path), map_variables=True)
        inputs = meta["inputs"]
        location = inputs.get("location", inputs)
        latitude = float(location["latitude"])
        longitude = float(location["longitude"])
        elevation = float(location["elevation"])
        timestamps = pd.DatetimeIndex(raw.index)
        values = {name: raw[column] for name, column in
                  (("ghi_w_m2", "ghi"), ("dni_w_m2", "dni"), ("dhi_w_m2", "dhi"),
                   ("temp_air_c", "temp_air"), ("wind_speed_m_s", "wind_speed"))}
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError) as exc:
        raise FileFormatError(
            path, f"could not be read as a PVGIS typical-year file ({type(exc).__name__}: {exc}).",
            "Check that the file is a complete PVGIS TMY download (CSV or JSON), or choose the matching format.",
        ) from exc

    unreadable_count = int(timestamps.isna().sum())
    if unreadable_count:
        raise FileFormatError(
            path, f"has {unreadable_count} PVGIS rows without a valid time(UTC); a PVGIS typical year "
            f"has {HOURS_PER_YEAR} rows, so the file is truncated or edited.",
            "Download the PVGIS TMY file again.")

    offset_h = site["utc_offset_h"]
    if offset_h is None:
        offset_h = float(round(longitude / 15.0))
        notes.append(f"PVGIS files are in UTC and give no time zone, so local standard time is taken as "
                     f"UTC{offset_h:+g} h = round(longitude / 15); pass utc_offset_h if the site uses another.")
    frame = _frame_from_timestamps(timestamps, values)
    location = {"latitude_deg": latitude, "longitude_deg": longitude, "elevation_m": elevation,
                "utc_offset_h": float(offset_h)}
    return frame, location, f"PVGIS {latitude:.3f}, {longitude:.3f}"


def _pvgis_format(path: Path) -> str:
    """Return the pvlib ``pvgis_format`` of ``path``: "json" for .json, else "csv"."""
    return "json" if path.suffix.lower() == ".json" else "csv"


def _read_sam_csv(path: Path) -> tuple[pd.DataFrame, dict, str, float]:
    """Read an NSRDB or other SAM CSV file.

    The first two lines are metadata names and values, the third the column
    names (Year, Month, Day, Hour, optional Minute, GHI, DNI, DHI,
    Temperature, Wind Speed). NSRDB PSM files, recognised by their "Local Time
    Zone" field, go through ``pvlib.iotools.read_nsrdb_psm4``. Returns the
    rows at the file's offset, the location, a station name and that offset.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            names = next(csv.reader([handle.readline()]))
            values = next(csv.reader([handle.readline()]))
        meta = {name.strip(): value.strip() for name, value in zip(names, values)}
        if "Local Time Zone" in meta:
            raw, _ = pvlib.iotools.read_nsrdb_psm4(path, map_variables=False)
        else:
            raw = pd.read_csv(path, skiprows=2)
        raw.columns = [str(column).strip() for column in raw.columns]
        file_offset_h = float(meta["Time Zone"])
        location = {"latitude_deg": float(meta["Latitude"]), "longitude_deg": float(meta["Longitude"]),
                    "elevation_m": float(meta.get("Elevation") or 0.0),
                    "utc_offset_h": float(meta.get("Local Time Zone") or file_offset_h)}
        minute = raw["Minute"] if "Minute" in raw.columns else 0
        timestamps = pd.DatetimeIndex(pd.to_datetime(pd.DataFrame(
            {"year": raw["Year"], "month": raw["Month"], "day": raw["Day"], "hour": raw["Hour"],
             "minute": minute})))
        series = {"ghi_w_m2": raw["GHI"], "dni_w_m2": raw["DNI"], "dhi_w_m2": raw["DHI"],
                  "temp_air_c": raw["Temperature"]}
        if "Wind Speed" in raw.columns:
            series["wind_speed_m_s"] = raw["Wind Speed"]
    except (ValueError, KeyError, IndexError, TypeError, StopIteration, OverflowError) as exc:
        raise FileFormatError(
            path, f"could not be read as an NSRDB / SAM CSV file ({type(exc).__name__}: {exc}).",
            "Check the two metadata rows (with Latitude, Longitude and Time Zone) and the columns "
            "Year, Month, Day, Hour, GHI, DNI, DHI and Temperature.") from exc

    station_name = " ".join(meta.get(key, "") for key in ("City", "State", "Country")
                            if meta.get(key, "") not in ("", "-")).strip()
    station_name = station_name or f"NSRDB {meta.get('Location ID', '')}".strip()
    return _frame_from_timestamps(timestamps, series), location, station_name, file_offset_h


def _read_plain_csv(path: Path, site: dict, notes: list[str]) -> tuple[pd.DataFrame, dict, float]:
    """Read a plain CSV with ``PLAIN_CSV_COLUMNS``; see ``read_weather`` for the timestamp rule."""
    try:
        raw = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"could not be read as a CSV file ({type(exc).__name__}: {exc}).",
                              "Save the file as comma-separated text with one header row.") from exc
    if not isinstance(raw.index, pd.RangeIndex):
        # pandas turns the leading cells into an index when the first data row
        # has more cells than the header.
        raise FileFormatError(path, f"line 2 has more cells than the header row "
                              f"({len(raw.columns)} columns: {', '.join(map(str, raw.columns))}).",
                              "Remove the extra cells, or quote values that contain a comma.")
    raw.columns = [str(column).strip().lower() for column in raw.columns]
    missing = [name for name in ("timestamp", "ghi", "temp_air") if name not in raw.columns]
    if missing:
        raise FileFormatError(path, f"has no column {', '.join(missing)} (columns found: "
                              f"{', '.join(raw.columns)}).",
                              "Name the columns " + ", ".join(PLAIN_CSV_COLUMNS) + " (dni, dhi and wind_speed "
                              "are optional).")

    offset_h = float(site["utc_offset_h"])
    try:
        timestamps = pd.DatetimeIndex(pd.to_datetime(raw["timestamp"].astype(str),
                                                     format="ISO8601"))
    except (ValueError, TypeError) as exc:
        raise FileFormatError(path, f"has a timestamp that is not ISO 8601 ({exc}).",
                              'Write timestamps as "2023-01-01 00:00" (local standard time) or with an '
                              'offset such as "2023-01-01T09:00Z".') from exc
    if timestamps.tz is not None:
        local_zone = datetime.timezone(datetime.timedelta(hours=offset_h))
        timestamps = timestamps.tz_convert(local_zone).tz_localize(None)
        notes.append(f"Timestamps with a UTC offset were converted to local standard time UTC{offset_h:+g} h.")

    series = {"ghi_w_m2": raw["ghi"], "temp_air_c": raw["temp_air"]}
    has_components = "dni" in raw.columns and "dhi" in raw.columns
    if has_components:
        series["dni_w_m2"] = raw["dni"]
        series["dhi_w_m2"] = raw["dhi"]
    if "wind_speed" in raw.columns:
        series["wind_speed_m_s"] = raw["wind_speed"]

    location = {"latitude_deg": float(site["latitude_deg"]), "longitude_deg": float(site["longitude_deg"]),
                "elevation_m": float(site["elevation_m"] or 0.0), "utc_offset_h": offset_h}
    return _frame_from_timestamps(timestamps, series), location, offset_h


def _frame_from_timestamps(timestamps: pd.DatetimeIndex, values: dict) -> pd.DataFrame:
    """Return month, day, hour_start, minute and ``values`` as float columns."""
    frame = pd.DataFrame({"month": timestamps.month, "day": timestamps.day, "hour_start": timestamps.hour,
                          "minute": timestamps.minute})
    for name, column in values.items():
        frame[name] = pd.to_numeric(pd.Series(column), errors="coerce").to_numpy(dtype=float)
    return frame


def _average_to_hours(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Average sub-hourly rows to hourly means and drop the minute column.

    An hour keeps the mean of the rows present in it. Duplicated intervals are
    left in place, so the grid check reports them.
    """
    if "minute" not in frame.columns:
        return frame
    hour_keys = ["month", "day", "hour_start"]
    if frame.duplicated(hour_keys + ["minute"]).any():
        return frame.drop(columns="minute")

    rows_per_hour = frame.groupby(hour_keys).size()
    if rows_per_hour.max() <= 1:
        return frame.drop(columns="minute")

    interval_min = 60 / float(rows_per_hour.median())
    hourly = frame.drop(columns="minute").groupby(hour_keys, as_index=False).mean()
    notes.append(f"Sub-hourly data ({interval_min:g}-minute rows) averaged to hourly means; "
                 f"{int((rows_per_hour < rows_per_hour.median()).sum())} hours had fewer rows than the rest.")
    return hourly


def _shift_to_local_time(hourly: pd.DataFrame, shift_h: float, notes: list[str]) -> pd.DataFrame:
    """Move hourly values from the file's time zone to local standard time.

    ``shift_h`` is the local offset minus the file's offset, so local hour i
    takes file hour i - shift_h. The typical year is cyclic, so the hours that
    leave one end of the year enter at the other. A half-hour shift averages
    the two file hours that each overlap half of the local hour.
    """
    if shift_h == 0:
        return hourly
    low, high = int(np.floor(shift_h)), int(np.ceil(shift_h))
    shifted = hourly.copy()
    for name in hourly.columns:
        values = hourly[name].to_numpy()
        if name == "present":
            shifted[name] = np.roll(values, low) & np.roll(values, high)
        else:
            shifted[name] = 0.5 * (np.roll(values, low) + np.roll(values, high))
    notes.append(f"Timestamps moved by {shift_h:+g} h to local standard time; the {abs(high)} hours that "
                 f"cross 1 January 00:00 come from the other end of the typical year.")
    return shifted


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
            f"has a row dated month {first['month']}, day {first['day']}, hour {first['hour_start']} "
            f"(hour start, 0-23) that is not an hour of a 365-day year.",
            "Check the date and hour columns of the file.")

    duplicated = keys.duplicated()
    if duplicated.any():
        first = frame.loc[duplicated].iloc[0]
        raise FileFormatError(
            path,
            f"has more than one row for month {first['month']}, day {first['day']}, "
            f"hour {first['hour_start']} (hour start, 0-23). A typical year has one row per hour "
            f"or per sub-hourly interval.",
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
