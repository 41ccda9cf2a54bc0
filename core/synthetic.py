"""Synthetic hourly weather year from a table of 12 monthly averages.

For sites without a weather file the user types, for each month, the mean
daily global horizontal irradiation (GHI) and the mean air temperature, and
optionally the mean daily minimum and maximum. ``synthetic_weather_year``
turns the table into a ``WeatherYear`` in four steps:

1. Daily clearness index. The monthly clearness index is
   Kt_m = H_m / H0_m, with H0_m the mean daily extraterrestrial irradiation
   on a horizontal plane. Day d of the month gets
   Kt_d = Kt_m + sigma_m * y_d, where y_d is a first-order autoregressive
   process with unit variance,
   y_d = phi * y_(d-1) + sqrt(1 - phi^2) * e_d, e_d ~ N(0, 1),
   so neighbouring days are correlated by ``phi``. The spread is
   sigma_m = ``spread`` * Kt_m * (1 - Kt_m), widest for half-cloudy
   climates. Kt_d is clipped to [``KT_MIN``, ``KT_MAX``]. This AR(1)
   process is a simpler stand-in for the Markov transition matrices of
   Aguiar et al. (1988), which also give each day a memory of the day before.
2. Hourly GHI. Each day follows the shape of the Haurwitz clear-sky GHI at
   mid-hour (``pvlib.location.Location.get_clearsky``), scaled to the day's
   Kt_d * H0_d. Each month is then scaled once more, so its mean daily GHI
   equals the table up to floating-point rounding.
3. Diffuse and direct. ``pvlib.irradiance.erbs`` splits GHI into DHI, and
   DNI follows from the closure equation DNI = (GHI - DHI) / cos(zenith),
   set to 0 (all diffuse) when the sun is below ``MIN_SUN_ELEVATION_DEG``.
4. Temperature. Each day runs from the month's mean daily minimum at sunrise
   to the mean daily maximum at ``T_MAX_HOUR`` (half-cosine rise) and back to
   the next sunrise (half-cosine fall). Without a min and max the day swings
   ``DEFAULT_DIURNAL_RANGE_C`` around the monthly mean.

NOTE: on a steep array the synthetic year gives less plane-of-array sun than
a measured typical year with the same monthly GHI: at Sand Point on a 50 deg
tilt, 0.89 of the TMY3 file's annual total and 0.68 in November and December,
because the hourly clear-sky shape and the Erbs split spread the beam less
than real clear winter days. Sizing from a table therefore errs towards more PV.

The same seed gives the same year.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pvlib

from core.errors import InputError
from core.project import Site
from core.units import DAYS_PER_MONTH, HOURS_PER_YEAR
from core.weather import WeatherYear

logger = logging.getLogger(__name__)

DAYS_PER_YEAR = int(DAYS_PER_MONTH.sum())

# NOTE: estimates, not fitted to measured data. Lag-1 correlation of daily
# clearness is usually quoted between 0.2 and 0.4, and the standard deviation
# of daily clearness around 0.1 to 0.15 in mid-latitude climates.
DEFAULT_PHI = 0.3
DEFAULT_SPREAD = 0.6  # sigma_m = spread * Kt_m * (1 - Kt_m): 0.15 at Kt_m = 0.5
KT_MIN = 0.03
KT_MAX = 0.80
MAX_MONTHLY_KT = 0.80  # a monthly clearness index above this is not physical
MIN_SUN_ELEVATION_DEG = 3.0  # below this the closure equation divides by nearly 0
T_MAX_HOUR = 15.0  # local standard time of the daily maximum temperature
DEFAULT_DIURNAL_RANGE_C = 10.0
DEFAULT_WIND_SPEED_M_S = 2.0
METHOD_SOURCE = ("Daily clearness as an AR(1) process, a simpler stand-in for the Markov "
                 "matrices of Aguiar, Collares-Pereira and Conde (1988); Haurwitz clear-sky "
                 "shape (pvlib); diffuse fraction of Erbs, Klein and Duffie (1982)")


def synthetic_year_for_site(site: Site) -> WeatherYear:
    """Build the synthetic year of a site from its monthly table, location and seed.

    Raises ``InputError`` when the site has no complete monthly table, or for
    the checks of ``synthetic_weather_year``.
    """
    if not site.has_monthly_table:
        raise InputError("Site > monthly averages", "missing",
                         "12 monthly GHI values and 12 mean temperatures")
    name = f"Synthetic year for {site.name}" if site.name.strip() else "Synthetic year"
    return synthetic_weather_year(
        site.monthly_ghi_kwh_m2_day, site.monthly_temp_mean_c, site.latitude_deg,
        site.longitude_deg, temp_min_c=site.monthly_temp_min_c,
        temp_max_c=site.monthly_temp_max_c, utc_offset_h=site.utc_offset_h,
        elevation_m=site.elevation_m, seed=site.synthetic_seed, station_name=name)


def synthetic_weather_year(
    ghi_kwh_m2_day: Sequence[float],
    temp_mean_c: Sequence[float],
    latitude_deg: float,
    longitude_deg: float,
    *,
    temp_min_c: Sequence[float] | None = None,
    temp_max_c: Sequence[float] | None = None,
    utc_offset_h: float | None = None,
    elevation_m: float = 0.0,
    seed: int = 0,
    phi: float = DEFAULT_PHI,
    spread: float = DEFAULT_SPREAD,
    wind_speed_m_s: float = DEFAULT_WIND_SPEED_M_S,
    station_name: str = "Synthetic year",
) -> WeatherYear:
    """Build a synthetic hourly ``WeatherYear`` from 12 monthly averages, January first.

    ``ghi_kwh_m2_day`` is the mean daily GHI of each month [kWh/m2/day] and
    ``temp_mean_c`` the mean air temperature [degC]. ``temp_min_c`` and
    ``temp_max_c`` (both or neither) are the mean daily minimum and maximum.
    ``utc_offset_h`` defaults to round(longitude / 15). ``phi`` and
    ``spread`` set the day-to-day variability (see the module docstring).

    Raises ``InputError`` for a table that is not 12 finite values, a
    monthly GHI above ``MAX_MONTHLY_KT`` times the extraterrestrial value,
    GHI in a month without sun, or a minimum above the maximum.
    """
    ghi_month = _monthly_table("GHI", ghi_kwh_m2_day, low=0.0)
    temp_mean = _monthly_table("mean temperature", temp_mean_c, low=-90.0)
    if (temp_min_c is None) != (temp_max_c is None):
        raise InputError("Synthetic weather > daily minimum and maximum temperature",
                         "only one of them", "both tables of 12 values, or neither")
    _check_site(latitude_deg, longitude_deg, phi, spread, wind_speed_m_s)
    notes: list[str] = []
    if utc_offset_h is None:
        utc_offset_h = float(round(longitude_deg / 15.0))
        notes.append(f"Local standard time taken as UTC{utc_offset_h:+g} h = round(longitude / 15).")

    weather = WeatherYear(
        ghi_w_m2=np.zeros(HOURS_PER_YEAR), dni_w_m2=np.zeros(HOURS_PER_YEAR),
        dhi_w_m2=np.zeros(HOURS_PER_YEAR), temp_air_c=np.zeros(HOURS_PER_YEAR),
        wind_speed_m_s=np.full(HOURS_PER_YEAR, float(wind_speed_m_s)),
        latitude_deg=float(latitude_deg), longitude_deg=float(longitude_deg), elevation_m=float(elevation_m),
        utc_offset_h=float(utc_offset_h), station_name=station_name, source_path="",
        source_format="synthetic", notes=notes)

    mid_hour = weather.time_index + pd.Timedelta(minutes=30)
    location = pvlib.location.Location(latitude_deg, longitude_deg, altitude=elevation_m)
    solar_position = location.get_solarposition(mid_hour)
    clear_sky_w_m2 = location.get_clearsky(mid_hour, model="haurwitz",
                                           solar_position=solar_position)["ghi"].to_numpy()
    # Haurwitz uses the refracted (apparent) zenith, so it gives a little sun
    # just after geometric sunset; those hours are night here.
    clear_sky_w_m2 = np.where(solar_position["elevation"].to_numpy() > 0.0, clear_sky_w_m2, 0.0)
    extraterrestrial_w_m2 = _extraterrestrial_horizontal_w_m2(mid_hour, solar_position)

    rng = np.random.default_rng(seed)
    weather.ghi_w_m2 = _hourly_ghi(ghi_month, clear_sky_w_m2, extraterrestrial_w_m2, rng, phi, spread)
    weather.dni_w_m2, weather.dhi_w_m2 = _split_ghi(weather.ghi_w_m2, solar_position, mid_hour)

    if temp_min_c is None:
        temp_low = temp_mean - DEFAULT_DIURNAL_RANGE_C / 2.0
        temp_high = temp_mean + DEFAULT_DIURNAL_RANGE_C / 2.0
        notes.append(f"Daily temperature swings {DEFAULT_DIURNAL_RANGE_C:g} degC around each monthly mean.")
    else:
        temp_low = _monthly_table("daily minimum temperature", temp_min_c, low=-90.0)
        temp_high = _monthly_table("daily maximum temperature", temp_max_c, low=-90.0)
        if np.any(temp_low > temp_high):
            month = int(np.argmax(temp_low > temp_high)) + 1
            raise InputError(f"Synthetic weather > month {month} temperature", "minimum above maximum",
                             "a daily minimum at or below the daily maximum")
    weather.temp_air_c = _hourly_temperature(temp_low, temp_high, solar_position)
    weather.record_low_c = float(weather.temp_air_c.min())
    weather.record_high_c = float(weather.temp_air_c.max())

    notes.append(f"Synthetic year from monthly averages: daily clearness AR(1) with phi {phi:g}, "
                 f"spread {spread:g}, seed {seed}; Haurwitz clear-sky shape; Erbs diffuse split; "
                 f"wind speed {wind_speed_m_s:g} m/s.")
    logger.info("Built synthetic weather year for %.3f, %.3f (seed %d)", latitude_deg, longitude_deg, seed)
    return weather


def _monthly_table(label: str, values: Sequence[float], low: float) -> np.ndarray:
    """Return ``values`` as an array of 12 finite floats of at least ``low``, or raise ``InputError``."""
    array = np.asarray(values, dtype=float)
    if array.shape != (12,) or not np.all(np.isfinite(array)) or np.any(array < low):
        raise InputError(f"Synthetic weather > monthly {label}", values,
                         f"12 finite values, January first, each at least {low:g}")
    return array


def _check_site(latitude_deg: float, longitude_deg: float, phi: float, spread: float,
                wind_speed_m_s: float) -> None:
    if not -90.0 <= latitude_deg <= 90.0:
        raise InputError("Synthetic weather > latitude", latitude_deg, "degrees from -90 to 90 (north positive)")
    if not -180.0 <= longitude_deg <= 180.0:
        raise InputError("Synthetic weather > longitude", longitude_deg, "degrees from -180 to 180 (east positive)")
    if not 0.0 <= phi < 1.0:
        raise InputError("Synthetic weather > day-to-day correlation phi", phi, "a value from 0 to below 1")
    if not 0.0 <= spread <= 2.0:
        raise InputError("Synthetic weather > clearness spread", spread, "a value from 0 to 2")
    if wind_speed_m_s < 0.0:
        raise InputError("Synthetic weather > wind speed", wind_speed_m_s, "0 m/s or more")


def _extraterrestrial_horizontal_w_m2(mid_hour: pd.DatetimeIndex, solar_position: pd.DataFrame) -> np.ndarray:
    """Return extraterrestrial irradiance on a horizontal plane at mid-hour [W/m2], 0 with the sun down."""
    dni_extra = pvlib.irradiance.get_extra_radiation(mid_hour.day_of_year.to_numpy())
    cos_zenith = np.cos(np.radians(solar_position["zenith"].to_numpy()))
    return np.asarray(dni_extra) * np.clip(cos_zenith, 0.0, None)


def _hourly_ghi(ghi_month: np.ndarray, clear_sky_w_m2: np.ndarray, extraterrestrial_w_m2: np.ndarray,
                rng: np.random.Generator, phi: float, spread: float) -> np.ndarray:
    """Draw daily clearness, shape each day like the clear sky and match every monthly mean."""
    day_of_hour = np.repeat(np.arange(DAYS_PER_YEAR), 24)
    month_of_day = np.repeat(np.arange(12), DAYS_PER_MONTH)
    month_of_hour = month_of_day[day_of_hour]

    # Daily sums [Wh/m2]: one hourly value of W/m2 is one Wh/m2.
    extraterrestrial_day = np.bincount(day_of_hour, extraterrestrial_w_m2, DAYS_PER_YEAR)
    clear_sky_day = np.bincount(day_of_hour, clear_sky_w_m2, DAYS_PER_YEAR)
    extraterrestrial_month = np.bincount(month_of_day, extraterrestrial_day, 12) / DAYS_PER_MONTH
    target_month_wh = ghi_month * 1000.0

    for month in range(12):
        if target_month_wh[month] > 0.0 and extraterrestrial_month[month] <= 0.0:
            raise InputError(f"Synthetic weather > month {month + 1} GHI", float(ghi_month[month]),
                             "0 kWh/m2/day, because the sun stays below the horizon all month")
        limit = MAX_MONTHLY_KT * extraterrestrial_month[month] / 1000.0
        if ghi_month[month] > limit:
            raise InputError(f"Synthetic weather > month {month + 1} GHI", float(ghi_month[month]),
                             f"at most {limit:.2f} kWh/m2/day ({MAX_MONTHLY_KT:g} of the extraterrestrial "
                             f"irradiation at this latitude)")

    kt_month = np.divide(target_month_wh, extraterrestrial_month,
                         out=np.zeros(12), where=extraterrestrial_month > 0.0)
    kt_daily = _daily_clearness(kt_month[month_of_day], rng, phi, spread)

    # Each day keeps the clear-sky shape and gets Kt_d * H0_d of energy.
    day_energy_wh = kt_daily * extraterrestrial_day
    day_scale = np.divide(day_energy_wh, clear_sky_day, out=np.zeros(DAYS_PER_YEAR), where=clear_sky_day > 0.0)
    ghi = clear_sky_w_m2 * day_scale[day_of_hour]

    # The daily draws do not average exactly to Kt_m, so scale each month once more.
    month_mean_wh = np.bincount(month_of_hour, ghi, 12) / DAYS_PER_MONTH
    month_scale = np.divide(target_month_wh, month_mean_wh, out=np.zeros(12), where=month_mean_wh > 0.0)
    return ghi * month_scale[month_of_hour]


def _daily_clearness(kt_mean: np.ndarray, rng: np.random.Generator, phi: float, spread: float) -> np.ndarray:
    """Return daily clearness Kt_d = Kt_m + sigma_m * y_d with y_d a unit-variance AR(1) process."""
    innovations = rng.standard_normal(len(kt_mean))
    process = np.empty(len(kt_mean))
    process[0] = innovations[0]
    innovation_scale = np.sqrt(1.0 - phi * phi)
    for day in range(1, len(kt_mean)):
        process[day] = phi * process[day - 1] + innovation_scale * innovations[day]
    sigma = spread * kt_mean * (1.0 - kt_mean)
    return np.clip(kt_mean + sigma * process, KT_MIN, KT_MAX)


def _split_ghi(ghi_w_m2: np.ndarray, solar_position: pd.DataFrame,
               mid_hour: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Return (DNI, DHI) [W/m2]: Erbs diffuse fraction, DNI from the closure equation."""
    zenith_deg = solar_position["zenith"].to_numpy()
    split = pvlib.irradiance.erbs(ghi_w_m2, zenith_deg, mid_hour.day_of_year.to_numpy())
    dhi = np.clip(np.nan_to_num(np.asarray(split["dhi"], dtype=float)), 0.0, ghi_w_m2)

    cos_zenith = np.cos(np.radians(zenith_deg))
    sun_high = zenith_deg < 90.0 - MIN_SUN_ELEVATION_DEG
    dhi = np.where(sun_high, dhi, ghi_w_m2)
    dni = np.zeros_like(ghi_w_m2)
    dni[sun_high] = (ghi_w_m2[sun_high] - dhi[sun_high]) / cos_zenith[sun_high]
    return dni, dhi


def _hourly_temperature(temp_low: np.ndarray, temp_high: np.ndarray, solar_position: pd.DataFrame) -> np.ndarray:
    """Return hourly temperature from sunrise minimum to ``T_MAX_HOUR`` maximum, per day.

    Sunrise is the first hour whose midpoint has the sun above the horizon.
    On days without a sunrise (polar night or polar day) the minimum sits at
    the hour of lowest sun.
    """
    elevation = solar_position["elevation"].to_numpy().reshape(DAYS_PER_YEAR, 24)
    month_of_day = np.repeat(np.arange(12), DAYS_PER_MONTH)
    hours = np.arange(24) + 0.5

    sun_up = elevation > 0.0
    has_sunrise = sun_up.any(axis=1) & ~sun_up.all(axis=1)
    sunrise_h = np.where(has_sunrise, np.argmax(sun_up, axis=1), np.argmin(elevation, axis=1)).astype(float)
    sunrise_h = np.minimum(sunrise_h, T_MAX_HOUR - 1.0)

    low = temp_low[month_of_day][:, None]
    high = temp_high[month_of_day][:, None]
    start = sunrise_h[:, None]
    # Hours before sunrise belong to the previous evening's fall.
    since_peak = np.where(hours < start, hours + 24.0 - T_MAX_HOUR, hours - T_MAX_HOUR)
    rising = (hours >= start) & (hours <= T_MAX_HOUR)
    rise_fraction = (1.0 - np.cos(np.pi * (hours - start) / (T_MAX_HOUR - start))) / 2.0
    fall_fraction = (1.0 - np.cos(np.pi * since_peak / (start + 24.0 - T_MAX_HOUR))) / 2.0
    temperature = np.where(rising, low + (high - low) * rise_fraction, high - (high - low) * fall_fraction)
    return temperature.reshape(HOURS_PER_YEAR)
