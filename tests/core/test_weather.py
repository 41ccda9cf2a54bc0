"""Weather import: time base, ordering, leap days, gaps and unreadable files."""

import numpy as np
import pandas as pd
import pytest

from core.errors import FileFormatError, InputError
from core.weather import MODEL_YEAR, bundled_weather_path, read_weather

EPW_HEADER_LINES = [
    "LOCATION,Test Site,TS,XYZ,Synthetic,000000,10.000,20.000,2.0,100.0",
    "DESIGN CONDITIONS,0",
    "TYPICAL/EXTREME PERIODS,0",
    "GROUND TEMPERATURES,0",
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
    "COMMENTS 1,synthetic file written by the test suite",
    "COMMENTS 2,",
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
]


def synthetic_ghi_w_m2(hour_start):
    """Clear-day bell between 06:00 and 18:00 [W/m2]."""
    return np.clip(800.0 * np.sin(np.pi * (hour_start + 0.5 - 6.0) / 12.0), 0.0, None)


def write_epw(path, year=2021, drop_rows=0, overrides=None):
    """Write an EPW file with one row per hour of ``year`` (8784 rows in a leap year).

    ``overrides`` maps a row number to a dict of column values, for example
    {100: {"ghi": 9999}} to mark GHI missing in row 100.
    """
    times = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h")
    lines = list(EPW_HEADER_LINES)
    for row, ts in enumerate(times[: len(times) - drop_rows]):
        values = {"temp_air": 15.0 + 5.0 * np.sin(2 * np.pi * ts.hour / 24), "ghi": synthetic_ghi_w_m2(ts.hour),
                  "wind_speed": 3.0}
        values["dni"] = values["ghi"] * 0.6
        values["dhi"] = values["ghi"] * 0.4
        values.update((overrides or {}).get(row, {}))
        fields = [ts.year, ts.month, ts.day, ts.hour + 1, 60, "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9",
                  values["temp_air"], 10.0, 70, 101325, 0, 1415, 300,
                  values["ghi"], values["dni"], values["dhi"], 0, 0, 0, 0,
                  180, values["wind_speed"], 5, 5, 20.0, 77777, 9, 999999999, 10, 0.1, 0, 88, 0.2, 0, 1.0]
        lines.append(",".join(str(f) for f in fields))
    path.write_text("\n".join(lines) + "\n")
    return path


def raw_tmy3_rows(name):
    """Return the data rows of a bundled TMY3 file as read by pandas, untouched."""
    return pd.read_csv(bundled_weather_path(name), skiprows=1)


def test_sand_point_annual_ghi():
    weather = read_weather(bundled_weather_path("703165TY.csv"))

    # Annual GHI from the monthly means of the NSRDB TMY3 file for Sand Point, AK:
    # sum over months of (mean hourly GHI x hours in the month) = 829.2 kWh/m2.
    ghi = pd.Series(weather.ghi_w_m2, index=weather.time_index)
    monthly_mean_w_m2 = ghi.groupby(ghi.index.month).mean()
    hours_per_month = ghi.groupby(ghi.index.month).size()
    annual_kwh_m2 = float((monthly_mean_w_m2 * hours_per_month).sum() / 1000.0)

    assert annual_kwh_m2 == pytest.approx(829.2, abs=0.5)
    assert weather.ghi_w_m2.shape == (8760,)
    assert weather.notes == []


def test_sand_point_metadata():
    weather = read_weather(bundled_weather_path("703165TY.csv"))

    assert weather.latitude_deg == pytest.approx(55.317)
    assert weather.longitude_deg == pytest.approx(-160.517)
    assert weather.utc_offset_h == -9.0
    assert weather.source_format == "tmy3"
    assert weather.record_low_c == pytest.approx(-10.6)
    assert weather.record_high_c == pytest.approx(19.4)


def test_tmy3_shifted_to_hour_start():
    weather = read_weather(bundled_weather_path("703165TY.csv"))
    raw = raw_tmy3_rows("703165TY.csv")

    first = weather.time_index[0]
    assert (first.year, first.month, first.day, first.hour, first.minute) == (MODEL_YEAR, 1, 1, 0, 0)
    assert first.utcoffset() == pd.Timedelta(hours=-9)

    # The file's row "01/01 01:00" covers 00:00-01:00, so it becomes index 0;
    # the row "12/31 24:00" covers 23:00-24:00 and becomes the last index.
    row_0100 = raw[(raw["Date (MM/DD/YYYY)"].str.startswith("01/01/")) & (raw["Time (HH:MM)"] == "01:00")]
    row_2400 = raw[(raw["Date (MM/DD/YYYY)"].str.startswith("12/31/")) & (raw["Time (HH:MM)"] == "24:00")]
    assert weather.temp_air_c[0] == row_0100["Dry-bulb (C)"].iloc[0]
    assert weather.temp_air_c[-1] == row_2400["Dry-bulb (C)"].iloc[0]


def test_tmy3_noon_sun_near_noon():
    weather = read_weather(bundled_weather_path("723170TYA.CSV"))

    # Greensboro (-79.95 deg) lies 4.95 deg west of its UTC-5 meridian, so
    # solar noon is near 12:20 local standard time. The hour-start label with
    # the most summed sun must therefore be 11:00 or 12:00.
    ghi = pd.Series(weather.ghi_w_m2, index=weather.time_index)
    by_hour = ghi.groupby(ghi.index.hour).sum()
    assert int(by_hour.idxmax()) in (11, 12)
    assert by_hour.loc[[0, 1, 2, 3, 22, 23]].sum() == 0.0


def test_tmy2_miami_units():
    weather = read_weather(bundled_weather_path("12839.tm2"))

    assert weather.source_format == "tmy2"
    assert weather.station_name == "MIAMI FL"
    # TMY2 stores tenths of degC and tenths of m/s; the importer converts both.
    assert 0.0 < weather.record_low_c < 10.0
    assert 30.0 < weather.record_high_c < 40.0
    assert 2.0 < weather.wind_speed_m_s.mean() < 8.0
    assert weather.ghi_w_m2.sum() / 1000.0 == pytest.approx(1792.6, abs=1.0)


def test_epw_leap_year_drops_29_february(tmp_path):
    path = write_epw(tmp_path / "leap.epw", year=2020)

    weather = read_weather(path)

    assert weather.ghi_w_m2.shape == (8760,)
    assert any("29 February" in note for note in weather.notes)
    # 1 March 00:00 follows 28 February 23:00 at index 59 x 24.
    assert weather.ghi_w_m2[59 * 24 + 12] == pytest.approx(synthetic_ghi_w_m2(12))


def test_epw_truncated_file_raises(tmp_path):
    path = write_epw(tmp_path / "truncated.epw", drop_rows=4760)

    with pytest.raises(FileFormatError) as error:
        read_weather(path)

    message = str(error.value)
    assert "truncated.epw" in message
    assert "4760 hours" in message
    assert "16 Jun 16:00" in message
    assert "4000 hourly rows" in message


def test_epw_short_gap_filled(tmp_path):
    overrides = {row: {"ghi": 9999} for row in (4 * 24 + 10, 4 * 24 + 11)}
    path = write_epw(tmp_path / "gap.epw", overrides=overrides)

    weather = read_weather(path)

    expected = np.interp([10, 11], [9, 12], [synthetic_ghi_w_m2(9), synthetic_ghi_w_m2(12)])
    assert weather.ghi_w_m2[4 * 24 + 10] == pytest.approx(expected[0])
    assert weather.ghi_w_m2[4 * 24 + 11] == pytest.approx(expected[1])
    assert any("ghi_w_m2: 2 missing hours" in note for note in weather.notes)


def test_epw_long_gap_raises(tmp_path):
    overrides = {row: {"temp_air": 99.9} for row in range(100, 105)}
    path = write_epw(tmp_path / "long_gap.epw", overrides=overrides)

    with pytest.raises(FileFormatError) as error:
        read_weather(path)

    message = str(error.value)
    assert "long_gap.epw" in message
    assert "temp_air_c is missing for 5 hours" in message
    assert "05 Jan 04:00" in message


def test_epw_negative_irradiance_clipped(tmp_path):
    path = write_epw(tmp_path / "negative.epw", overrides={3: {"ghi": -4.0, "dhi": -2.0}})

    weather = read_weather(path)

    assert weather.ghi_w_m2.min() == 0.0
    assert weather.dhi_w_m2.min() == 0.0
    assert any("ghi_w_m2: 1 negative" in note for note in weather.notes)


def test_missing_file_raises(tmp_path):
    with pytest.raises(FileFormatError, match="not found"):
        read_weather(tmp_path / "nowhere.csv")


def test_empty_file_raises(tmp_path):
    path = tmp_path / "empty.epw"
    path.write_bytes(b"")

    with pytest.raises(FileFormatError, match="empty"):
        read_weather(path)


def test_binary_file_raises(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)

    with pytest.raises(FileFormatError, match="binary"):
        read_weather(path)


def test_wrong_format_raises(tmp_path):
    epw = write_epw(tmp_path / "site.epw")
    renamed = tmp_path / "site.csv"
    renamed.write_text(epw.read_text())

    with pytest.raises(FileFormatError, match="TMY3") as error:
        read_weather(renamed)

    assert "site.csv" in str(error.value)


def test_unknown_extension_raises(tmp_path):
    path = tmp_path / "weather.txt"
    path.write_text("hello\n")

    with pytest.raises(FileFormatError, match="unknown extension"):
        read_weather(path)


def test_bundled_name_rejected():
    with pytest.raises(InputError):
        bundled_weather_path("722040TYA.CSV")
