"""PVGIS, NSRDB / SAM CSV and plain CSV weather files on the product's time base.

Each test writes its file into tmp_path, laid out as the real format is, from
the Sand Point, AK TMY3 year that pvlib ships (703165TY.csv, UTC-9). Reading
it back must give the same hourly values at the same local hours.
"""

import json

import numpy as np
import pandas as pd
import pytest

from core.errors import FileFormatError, InputError
from core.weather import MODEL_YEAR, bundled_weather_path, read_weather

SAND_POINT_OFFSET_H = -9
# Any non-leap source year works; PVGIS and NSRDB print the source year of each row.
SOURCE_YEAR = 2010


@pytest.fixture(scope="module")
def sand_point():
    return read_weather(bundled_weather_path("703165TY.csv"))


def utc_values(values, offset_h=SAND_POINT_OFFSET_H):
    """Return hourly local-time values re-indexed to UTC hours of the same cyclic year."""
    return np.roll(values, -offset_h)


def utc_hours():
    return pd.date_range(f"{SOURCE_YEAR}-01-01", periods=8760, freq="h")


def write_pvgis_csv(weather, path):
    """Write ``weather`` as a PVGIS 5.2 typical-year CSV (time(UTC), hour-start labels)."""
    lines = [f"Latitude (decimal degrees): {weather.latitude_deg:.3f}",
             f"Longitude (decimal degrees): {weather.longitude_deg:.3f}",
             f"Elevation (m): {weather.elevation_m:.0f}",
             "month,year"]
    lines += [f"{month},{SOURCE_YEAR}" for month in range(1, 13)]
    lines.append("time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP")
    columns = [utc_values(getattr(weather, name)) for name in
               ("temp_air_c", "ghi_w_m2", "dni_w_m2", "dhi_w_m2", "wind_speed_m_s")]
    for ts, temp, ghi, dni, dhi, wind in zip(utc_hours(), *columns):
        lines.append(f"{ts:%Y%m%d:%H%M},{temp:.2f},80.0,{ghi:.1f},{dni:.1f},{dhi:.1f},250.0,{wind:.2f},180,101000")
    lines += ["T2m: 2-m air temperature (degree Celsius)", "G(h): Global irradiance on the horizontal plane (W/m2)",
              "Gb(n): Beam/direct irradiance on a plane always normal to sun rays (W/m2)",
              "Gd(h): Diffuse irradiance on the horizontal plane (W/m2)", "WS10m: 10-m total wind speed (m/s)"]
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def write_pvgis_json(weather, path, missing_rows=()):
    """Write ``weather`` as a PVGIS typical-year JSON file; ``missing_rows`` get null GHI."""
    columns = [utc_values(getattr(weather, name)) for name in
               ("temp_air_c", "ghi_w_m2", "dni_w_m2", "dhi_w_m2", "wind_speed_m_s")]
    rows = []
    for row, (ts, temp, ghi, dni, dhi, wind) in enumerate(zip(utc_hours(), *columns)):
        rows.append({"time(UTC)": f"{ts:%Y%m%d:%H%M}", "T2m": temp, "RH": 80.0,
                     "G(h)": None if row in missing_rows else ghi, "Gb(n)": dni, "Gd(h)": dhi,
                     "IR(h)": 250.0, "WS10m": wind, "WD10m": 180.0, "SP": 101000.0})
    document = {
        "inputs": {"location": {"latitude": weather.latitude_deg, "longitude": weather.longitude_deg,
                                "elevation": weather.elevation_m},
                   "meteo_data": {"radiation_db": "PVGIS-ERA5", "year_min": 2005, "year_max": 2020}},
        "outputs": {"months_selected": [{"month": m, "year": SOURCE_YEAR} for m in range(1, 13)],
                    "tmy_hourly": rows},
        "meta": {"inputs": {}, "outputs": {}},
    }
    path.write_text(json.dumps(document))
    return path


def write_nsrdb_csv(weather, path, minutes=(0,), in_utc=False, drop_hours=(), year=SOURCE_YEAR):
    """Write ``weather`` as an NSRDB PSM SAM CSV with one row per entry of ``minutes`` in each hour.

    ``in_utc`` writes "Time Zone" 0 with UTC rows, as the NSRDB API does with
    utc=true; ``drop_hours`` leaves out the rows of those hour indexes.
    """
    offset = 0 if in_utc else SAND_POINT_OFFSET_H
    lines = ["Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation,Local Time Zone,"
             "GHI Units,DNI Units,DHI Units,Temperature Units,Wind Speed Units,Version",
             f"NSRDB,703165,Sand Point,AK,United States,{weather.latitude_deg},{weather.longitude_deg},"
             f"{offset},{weather.elevation_m:.0f},{SAND_POINT_OFFSET_H},w/m2,w/m2,w/m2,c,m/s,4.0.0",
             "Year,Month,Day,Hour,Minute,GHI,DNI,DHI,Temperature,Wind Speed"]
    names = ("ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_m_s")
    columns = [getattr(weather, name) for name in names]
    if in_utc:
        columns = [utc_values(values) for values in columns]
    hours = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h")
    model_hour = 0
    for ts in hours:
        if ts.month == 2 and ts.day == 29:
            values = [0.0, 0.0, 0.0, 0.0, 0.0]
        else:
            values = [column[model_hour] for column in columns]
            model_hour += 1
            if model_hour - 1 in drop_hours:
                continue
        for minute in minutes:
            lines.append(f"{ts.year},{ts.month},{ts.day},{ts.hour},{minute},"
                         + ",".join(f"{value:.2f}" for value in values))
    path.write_text("\n".join(lines) + "\n")
    return path


def write_plain_csv(weather, path, with_components=True, utc_stamps=False):
    """Write a plain hourly CSV with hour-start timestamps, local or with a "Z" suffix."""
    header = "timestamp,ghi,dni,dhi,temp_air,wind_speed" if with_components else "timestamp,ghi,temp_air"
    lines = [header]
    local = pd.date_range(f"{SOURCE_YEAR}-01-01", periods=8760, freq="h")
    for i, ts in enumerate(local):
        stamp = f"{ts:%Y-%m-%d %H:%M}"
        if utc_stamps:
            stamp = f"{ts - pd.Timedelta(hours=SAND_POINT_OFFSET_H):%Y-%m-%dT%H:%M}Z"
        if with_components:
            lines.append(f"{stamp},{weather.ghi_w_m2[i]},{weather.dni_w_m2[i]},{weather.dhi_w_m2[i]},"
                         f"{weather.temp_air_c[i]},{weather.wind_speed_m_s[i]}")
        else:
            lines.append(f"{stamp},{weather.ghi_w_m2[i]},{weather.temp_air_c[i]}")
    path.write_text("\n".join(lines) + "\n")
    return path


def assert_first_hour_label(weather, offset_h):
    first = weather.time_index[0]
    assert (first.year, first.month, first.day, first.hour) == (MODEL_YEAR, 1, 1, 0)
    assert first.utcoffset() == pd.Timedelta(hours=offset_h)


def test_pvgis_csv_given_offset_restores_local_hours(sand_point, tmp_path):
    path = write_pvgis_csv(sand_point, tmp_path / "tmy_55.317_-160.517.csv")

    weather = read_weather(path, utc_offset_h=-9)

    assert weather.source_format == "pvgis"
    assert weather.ghi_w_m2.shape == (8760,)
    assert_first_hour_label(weather, -9)
    # Local 00:00-01:00 on 1 January at UTC-9 is the PVGIS row 20100101:0900.
    np.testing.assert_allclose(weather.ghi_w_m2, sand_point.ghi_w_m2, atol=0.051)
    np.testing.assert_allclose(weather.temp_air_c, sand_point.temp_air_c, atol=0.0051)
    assert weather.latitude_deg == pytest.approx(55.317)


def test_pvgis_csv_offset_from_longitude(sand_point, tmp_path):
    path = write_pvgis_csv(sand_point, tmp_path / "tmy.csv")

    weather = read_weather(path)

    # round(-160.517 / 15) = -11 h, two hours west of Alaska Standard Time,
    # so every local hour gets the value two hours later at UTC-9.
    assert weather.utc_offset_h == -11.0
    assert_first_hour_label(weather, -11)
    np.testing.assert_allclose(weather.ghi_w_m2, np.roll(sand_point.ghi_w_m2, -2), atol=0.051)
    assert any("round(longitude / 15)" in note for note in weather.notes)
    assert any("moved by -11 h" in note for note in weather.notes)


def test_pvgis_half_hour_offset_averages(sand_point, tmp_path):
    path = write_pvgis_csv(sand_point, tmp_path / "tmy.csv")

    weather = read_weather(path, utc_offset_h=-9.5)

    # Local hour [h, h+1) at UTC-9.5 is the second half of hour h and the first
    # half of hour h+1 at UTC-9.
    expected = 0.5 * (sand_point.ghi_w_m2 + np.roll(sand_point.ghi_w_m2, -1))
    np.testing.assert_allclose(weather.ghi_w_m2, expected, atol=0.051)


def test_pvgis_json_gap_reported(sand_point, tmp_path):
    # UTC rows 2009 and 2010 hold local hours 2000 and 2001 at UTC-9 (24 March 08:00 and 09:00).
    path = write_pvgis_json(sand_point, tmp_path / "tmy.json", missing_rows=(2009, 2010))

    weather = read_weather(path, utc_offset_h=-9)

    assert weather.source_format == "pvgis"
    assert weather.ghi_w_m2.shape == (8760,)
    assert_first_hour_label(weather, -9)
    np.testing.assert_allclose(weather.dni_w_m2, sand_point.dni_w_m2)
    assert any("ghi_w_m2: 2 missing hours" in note for note in weather.notes)
    expected = np.interp([2000, 2001], [1999, 2002], sand_point.ghi_w_m2[[1999, 2002]])
    np.testing.assert_allclose(weather.ghi_w_m2[[2000, 2001]], expected)


def test_pvgis_truncated_csv_raises(sand_point, tmp_path):
    path = write_pvgis_csv(sand_point, tmp_path / "tmy.csv")
    path.write_bytes(b"\r\n".join(path.read_bytes().split(b"\r\n")[:5000]))

    with pytest.raises(FileFormatError, match="PVGIS") as error:
        read_weather(path)

    assert "tmy.csv" in str(error.value)


def test_nsrdb_hourly_local_time(sand_point, tmp_path):
    path = write_nsrdb_csv(sand_point, tmp_path / "nsrdb.csv", minutes=(30,))

    weather = read_weather(path)

    assert weather.source_format == "nsrdb"
    assert weather.station_name == "Sand Point AK United States"
    assert weather.utc_offset_h == -9.0
    assert_first_hour_label(weather, -9)
    np.testing.assert_allclose(weather.ghi_w_m2, sand_point.ghi_w_m2, atol=0.0051)
    assert weather.notes == []


def test_nsrdb_utc_rows_shifted(sand_point, tmp_path):
    path = write_nsrdb_csv(sand_point, tmp_path / "nsrdb_utc.csv", in_utc=True)

    weather = read_weather(path)

    assert weather.utc_offset_h == -9.0
    np.testing.assert_allclose(weather.ghi_w_m2, sand_point.ghi_w_m2, atol=0.0051)
    assert any("-9 h" in note for note in weather.notes)


def test_nsrdb_15_minute_leap_year_averaged(sand_point, tmp_path):
    path = write_nsrdb_csv(sand_point, tmp_path / "nsrdb_15min.csv", minutes=(0, 15, 30, 45), year=2020)

    weather = read_weather(path)

    assert weather.ghi_w_m2.shape == (8760,)
    np.testing.assert_allclose(weather.ghi_w_m2, sand_point.ghi_w_m2, atol=0.0051)
    assert any("15-minute rows" in note for note in weather.notes)
    assert any("29 February" in note for note in weather.notes)


def test_nsrdb_gap_reported(sand_point, tmp_path):
    path = write_nsrdb_csv(sand_point, tmp_path / "nsrdb_gap.csv", drop_hours=(4000, 4001, 4002))

    weather = read_weather(path)

    assert any("3 missing hours" in note for note in weather.notes)
    assert not np.isnan(weather.ghi_w_m2).any()


def test_nsrdb_long_gap_raises(sand_point, tmp_path):
    path = write_nsrdb_csv(sand_point, tmp_path / "nsrdb_gap.csv", drop_hours=range(100, 110))

    with pytest.raises(FileFormatError, match="missing for 10 hours"):
        read_weather(path)


def test_nsrdb_rejects_other_offset(sand_point, tmp_path):
    path = write_nsrdb_csv(sand_point, tmp_path / "nsrdb.csv")

    with pytest.raises(InputError, match="UTC offset"):
        read_weather(path, utc_offset_h=-8)


def test_plain_csv_local_timestamps(sand_point, tmp_path):
    path = write_plain_csv(sand_point, tmp_path / "site.csv")

    weather = read_weather(path, latitude_deg=55.317, longitude_deg=-160.517, utc_offset_h=-9)

    assert weather.source_format == "csv"
    assert_first_hour_label(weather, -9)
    np.testing.assert_allclose(weather.ghi_w_m2, sand_point.ghi_w_m2)
    np.testing.assert_allclose(weather.wind_speed_m_s, sand_point.wind_speed_m_s)
    assert weather.notes == []


def test_plain_csv_utc_timestamps(sand_point, tmp_path):
    path = write_plain_csv(sand_point, tmp_path / "site_utc.csv", utc_stamps=True)

    weather = read_weather(path, latitude_deg=55.317, longitude_deg=-160.517, utc_offset_h=-9)

    np.testing.assert_allclose(weather.ghi_w_m2, sand_point.ghi_w_m2)
    assert any("converted to local standard time" in note for note in weather.notes)


def test_plain_csv_erbs_split(sand_point, tmp_path):
    path = write_plain_csv(sand_point, tmp_path / "ghi_only.csv", with_components=False)

    weather = read_weather(path, latitude_deg=55.317, longitude_deg=-160.517, utc_offset_h=-9)

    assert any("Erbs" in note for note in weather.notes)
    assert any("wind_speed was missing" in note for note in weather.notes)
    assert weather.dhi_w_m2.min() >= 0.0
    assert np.all(weather.dhi_w_m2 <= weather.ghi_w_m2 + 1e-9)
    assert np.all(weather.dni_w_m2[weather.ghi_w_m2 == 0.0] == 0.0)
    # Erbs gives a plausible annual diffuse share against the measured file.
    assert weather.dhi_w_m2.sum() == pytest.approx(sand_point.dhi_w_m2.sum(), rel=0.15)


def test_plain_csv_gap_reported(sand_point, tmp_path):
    path = write_plain_csv(sand_point, tmp_path / "gap.csv")
    lines = path.read_text().splitlines()
    del lines[1 + 300:1 + 302]
    path.write_text("\n".join(lines) + "\n")

    weather = read_weather(path, latitude_deg=55.317, longitude_deg=-160.517, utc_offset_h=-9)

    assert any("2 missing hours" in note for note in weather.notes)


def test_plain_csv_needs_location(sand_point, tmp_path):
    path = write_plain_csv(sand_point, tmp_path / "site.csv")

    with pytest.raises(InputError, match="latitude"):
        read_weather(path)


def test_plain_csv_missing_column_raises(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("timestamp,ghi\n2023-01-01 00:00,0\n")

    with pytest.raises(FileFormatError, match="temp_air"):
        read_weather(path, latitude_deg=10, longitude_deg=20, utc_offset_h=1)
