"""Synthetic weather year from 12 monthly averages: means, repeatability, night and bounds."""

import numpy as np
import pandas as pd
import pvlib
import pytest

from core.errors import InputError
from core.synthetic import synthetic_weather_year
from core.weather import MODEL_YEAR

# Illustrative monthly mean daily GHI [kWh/m2/day] and temperatures [degC]
# for a site near Nairobi (-1.3, 36.8), typed for the test, not taken from a
# data set.
NAIROBI_GHI = [6.3, 6.8, 6.3, 5.3, 4.7, 4.5, 4.1, 4.4, 5.6, 5.8, 5.3, 5.9]
NAIROBI_TEMP = [19.5, 20.3, 20.6, 20.0, 18.8, 17.4, 16.6, 17.0, 18.5, 19.7, 19.2, 19.1]
NAIROBI_MIN = [12.0, 12.5, 14.0, 15.0, 14.0, 12.5, 11.5, 11.5, 12.0, 13.5, 14.0, 13.0]
NAIROBI_MAX = [26.0, 27.5, 27.0, 25.0, 23.5, 22.5, 21.5, 22.0, 25.0, 26.0, 24.0, 24.5]
# Illustrative table for Sand Point, AK (55.3 N): little sun in December, long days in June.
SAND_POINT_GHI = [0.6, 1.4, 2.4, 3.6, 4.0, 4.3, 4.3, 3.3, 2.6, 1.5, 0.8, 0.4]
SAND_POINT_TEMP = [-1.0, -1.5, 0.0, 2.0, 5.0, 8.0, 11.0, 12.0, 9.0, 5.0, 1.5, -0.5]


@pytest.fixture(scope="module")
def nairobi():
    return synthetic_weather_year(NAIROBI_GHI, NAIROBI_TEMP, -1.3, 36.8, temp_min_c=NAIROBI_MIN,
                                  temp_max_c=NAIROBI_MAX, utc_offset_h=3, elevation_m=1660, seed=7)


@pytest.fixture(scope="module")
def sand_point():
    return synthetic_weather_year(SAND_POINT_GHI, SAND_POINT_TEMP, 55.317, -160.517, utc_offset_h=-9, seed=7)


def monthly_mean_kwh_m2_day(weather):
    ghi = pd.Series(weather.ghi_w_m2, index=weather.time_index)
    return (ghi.groupby(ghi.index.month).sum() / ghi.groupby(ghi.index.month).size() * 24 / 1000).to_numpy()


@pytest.mark.parametrize("site, table", [("nairobi", NAIROBI_GHI), ("sand_point", SAND_POINT_GHI)])
def test_monthly_ghi_matches_table(site, table, request):
    weather = request.getfixturevalue(site)

    np.testing.assert_allclose(monthly_mean_kwh_m2_day(weather), table, rtol=0.005)


def test_same_seed_same_year(nairobi):
    again = synthetic_weather_year(NAIROBI_GHI, NAIROBI_TEMP, -1.3, 36.8, temp_min_c=NAIROBI_MIN,
                                   temp_max_c=NAIROBI_MAX, utc_offset_h=3, elevation_m=1660, seed=7)
    other = synthetic_weather_year(NAIROBI_GHI, NAIROBI_TEMP, -1.3, 36.8, temp_min_c=NAIROBI_MIN,
                                   temp_max_c=NAIROBI_MAX, utc_offset_h=3, elevation_m=1660, seed=8)

    np.testing.assert_array_equal(again.ghi_w_m2, nairobi.ghi_w_m2)
    np.testing.assert_array_equal(again.temp_air_c, nairobi.temp_air_c)
    assert not np.array_equal(other.ghi_w_m2, nairobi.ghi_w_m2)


@pytest.mark.parametrize("site", ["nairobi", "sand_point"])
def test_no_negative_irradiance(site, request):
    weather = request.getfixturevalue(site)

    for values in (weather.ghi_w_m2, weather.dni_w_m2, weather.dhi_w_m2):
        assert values.shape == (8760,)
        assert not np.isnan(values).any()
        assert values.min() >= 0.0
    assert np.all(weather.dhi_w_m2 <= weather.ghi_w_m2 + 1e-9)
    # DNI stays below the solar constant.
    assert weather.dni_w_m2.max() < 1361.0


@pytest.mark.parametrize("site", ["nairobi", "sand_point"])
def test_no_irradiance_at_night(site, request):
    weather = request.getfixturevalue(site)
    mid_hour = weather.time_index + pd.Timedelta(minutes=30)
    elevation = pvlib.solarposition.get_solarposition(
        mid_hour, weather.latitude_deg, weather.longitude_deg)["elevation"].to_numpy()

    night = elevation <= 0.0
    assert night.sum() > 3000
    assert np.all(weather.ghi_w_m2[night] == 0.0)
    assert np.all(weather.dni_w_m2[night] == 0.0)
    assert np.all(weather.dhi_w_m2[night] == 0.0)


def test_days_vary_with_clearness(nairobi):
    daily = nairobi.ghi_w_m2.reshape(365, 24).sum(axis=1) / 1000.0
    january = daily[:31]

    # A seeded AR(1) clearness gives cloudy and clear days, not 31 equal days.
    assert january.std() > 0.3
    assert january.min() > 0.0


def test_temperature_between_min_and_max(nairobi):
    temperature = nairobi.temp_air_c.reshape(365, 24)

    assert temperature.min() >= min(NAIROBI_MIN) - 1e-9
    assert temperature.max() <= max(NAIROBI_MAX) + 1e-9
    # 15 January: coldest near sunrise (about 06:00), warmest near 15:00.
    day = temperature[14]
    assert 5 <= int(np.argmin(day)) <= 7
    assert int(np.argmax(day)) in (14, 15)
    first = nairobi.time_index[0]
    assert (first.year, first.month, first.day, first.hour) == (MODEL_YEAR, 1, 1, 0)


def test_temperature_default_range_around_mean(sand_point):
    temperature = pd.Series(sand_point.temp_air_c, index=sand_point.time_index)
    monthly_mean = temperature.groupby(temperature.index.month).mean().to_numpy()

    # The half-cosine day is not symmetric, so the mean can sit off the table by up to 1 degC.
    np.testing.assert_allclose(monthly_mean, SAND_POINT_TEMP, atol=1.0)
    assert temperature.max() - temperature.min() > 10.0


def test_ghi_above_extraterrestrial_rejected():
    with pytest.raises(InputError, match="month 12 GHI"):
        synthetic_weather_year(SAND_POINT_GHI[:11] + [5.0], SAND_POINT_TEMP, 55.317, -160.517)


def test_polar_night_sun_rejected():
    ghi = [0.5] * 12

    with pytest.raises(InputError, match="below the horizon"):
        synthetic_weather_year(ghi, [0.0] * 12, 85.0, 0.0)


def test_table_length_rejected():
    with pytest.raises(InputError, match="12 finite values"):
        synthetic_weather_year([5.0] * 11, [20.0] * 12, 0.0, 0.0)
