"""PV output per kWp against NREL PVWatts v8 and basic physical bounds."""

import time

import numpy as np
import pytest

from core.errors import InputError
from core.pv import PVArrayConfig, monthly_poa_kwh_m2_per_day, pv_output_kw_per_kwp
from core.weather import bundled_weather_path, read_weather


@pytest.fixture(scope="module")
def greensboro():
    return read_weather(bundled_weather_path("723170TYA.CSV"))


def write_sam_csv(weather, path):
    """Write ``weather`` as a SAM CSV weather file with hour-start rows and no minute column.

    Without a minute column PVWatts v8 reads hourly values as averages over
    the hour and puts the sun at mid-hour, as ``pv_output_kw_per_kwp`` does.
    """
    lines = [
        "Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation",
        f"TMY3,0,{weather.station_name},,,{weather.latitude_deg},{weather.longitude_deg},"
        f"{weather.utc_offset_h},{weather.elevation_m}",
        "Year,Month,Day,Hour,GHI,DNI,DHI,Temperature,Wind Speed",
    ]
    for i, ts in enumerate(weather.time_index):
        lines.append(f"{ts.year},{ts.month},{ts.day},{ts.hour},{weather.ghi_w_m2[i]},{weather.dni_w_m2[i]},"
                     f"{weather.dhi_w_m2[i]},{weather.temp_air_c[i]},{weather.wind_speed_m_s[i]}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_pv_matches_pvwatts_v8(greensboro, tmp_path):
    pvwattsv8 = pytest.importorskip("PySAM.Pvwattsv8")
    sam_csv = write_sam_csv(greensboro, tmp_path / "greensboro_sam.csv")

    model = pvwattsv8.default("PVWattsNone")
    model.SolarResource.solar_resource_file = str(sam_csv)
    # 1 kW fixed open rack, 30 deg tilt, south, standard module (gamma -0.37 %/degC).
    model.SystemDesign.assign(dict(system_capacity=1.0, dc_ac_ratio=1.0, losses=14.08, inv_eff=96,
                                   array_type=0, tilt=30, azimuth=180, gcr=0.4, module_type=0))
    model.execute()
    pvwatts_dc_kwh = float(np.sum(model.Outputs.dc)) / 1000.0

    config = PVArrayConfig(tilt_deg=30, azimuth_deg=180, gamma_pdc_per_c=-0.0037, mppt_efficiency=1.0)
    ours_kwh = float(pv_output_kw_per_kwp(greensboro, config).sum())

    # NOTE: measured with nrel-pysam 7.1.1.post1 and pvlib 0.16.1: 1422.9 kWh
    # here against 1433.3 kWh DC from PVWatts v8 (-0.73 %). The remaining gap
    # comes from the cell temperature model (SAPM here, PVWatts' own thermal
    # model there) and the cover reflection model.
    assert ours_kwh == pytest.approx(pvwatts_dc_kwh, rel=0.03)


def test_pv_runs_whole_year_fast(greensboro):
    config = PVArrayConfig(tilt_deg=30)

    pv_output_kw_per_kwp(greensboro, config)
    start = time.perf_counter()
    output = pv_output_kw_per_kwp(greensboro, config)
    elapsed_s = time.perf_counter() - start

    assert output.shape == (8760,)
    assert elapsed_s < 1.0


def test_pv_output_physical_bounds(greensboro):
    output = pv_output_kw_per_kwp(greensboro, PVArrayConfig(tilt_deg=30))

    assert output.min() == 0.0
    assert output.max() < 1.0
    # The file has a few dawn hours with GHI 0 but DNI above 0, so only hours
    # without any irradiance must give exactly zero.
    dark = (greensboro.ghi_w_m2 == 0.0) & (greensboro.dni_w_m2 == 0.0) & (greensboro.dhi_w_m2 == 0.0)
    assert np.all(output[dark] == 0.0)
    assert not np.isnan(output).any()


def test_pv_losses_and_mppt_scale_output(greensboro):
    lossless = PVArrayConfig(tilt_deg=30, losses_pct=0.0, mppt_efficiency=1.0)
    default = PVArrayConfig(tilt_deg=30)

    ratio = pv_output_kw_per_kwp(greensboro, default).sum() / pv_output_kw_per_kwp(greensboro, lossless).sum()

    assert ratio == pytest.approx((1 - 0.1408) * 0.98, rel=1e-9)


def test_monthly_poa_peak_sun_hours(greensboro):
    config = PVArrayConfig(tilt_deg=30)

    psh = monthly_poa_kwh_m2_per_day(greensboro, config)

    assert psh.shape == (12,)
    assert np.all(psh > 2.0)
    assert np.all(psh < 8.0)
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    # Summer months on a 30 deg south array get more sun than December.
    assert psh[5] > psh[11]
    # PVWatts v8 reports 1744.5 kWh/m2 plane-of-array irradiation for this
    # system (same run as test_pv_matches_pvwatts_v8).
    assert float((psh * days).sum()) == pytest.approx(1744.5, rel=0.03)


def test_pv_config_rejects_unknown_temperature_model():
    with pytest.raises(InputError, match="temperature model"):
        PVArrayConfig(tilt_deg=30, temperature_model="faiman")


def test_pv_config_rejects_tilt_out_of_range():
    with pytest.raises(InputError, match="tilt"):
        PVArrayConfig(tilt_deg=120)


def test_single_axis_beats_fixed_tilt(greensboro):
    fixed = pv_output_kw_per_kwp(greensboro, PVArrayConfig(tilt_deg=30))
    tracker = pv_output_kw_per_kwp(greensboro, PVArrayConfig(tilt_deg=0, tracking="single_axis"))

    # A horizontal N-S tracker gains roughly 10-25 % over a fixed array at 36 deg N.
    assert 1.05 < tracker.sum() / fixed.sum() < 1.30
    assert tracker.max() < 1.0
    assert not np.isnan(tracker).any()


def test_output_limit_clips_power(greensboro):
    unclipped = pv_output_kw_per_kwp(greensboro, PVArrayConfig(tilt_deg=30))
    clipped = pv_output_kw_per_kwp(greensboro, PVArrayConfig(tilt_deg=30, max_output_kw_per_kwp=0.6))

    assert clipped.max() == pytest.approx(0.6)
    np.testing.assert_array_equal(clipped, np.minimum(unclipped, 0.6))


def test_pv_config_rejects_unknown_tracking():
    with pytest.raises(InputError, match="tracking"):
        PVArrayConfig(tilt_deg=0, tracking="dual_axis")
