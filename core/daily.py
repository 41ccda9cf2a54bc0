"""Daily and monthly reductions of hourly year arrays, for the wizard plots and the PDF.

Every hourly input has shape (8760,): 365 days of 24 values in local standard
time, labelled by the start of the hour, 1 January 00:00 first, without
29 February. Days are indexed 0-364 and months 0-11. Plain numpy, no Qt.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from core.sizing import MONTH_NAMES
from core.units import DAYS_PER_MONTH, HOURS_PER_YEAR, MONTH_OF_HOUR

HOURS_PER_DAY = 24
DAYS_PER_YEAR = HOURS_PER_YEAR // HOURS_PER_DAY
# Index (0-364) of the first day of each month.
FIRST_DAY_OF_MONTH = np.concatenate(([0], np.cumsum(DAYS_PER_MONTH)[:-1]))
# Any year without 29 February gives the calendar of the 365-day series.
CALENDAR_YEAR = 2001


def _hourly(values: np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.shape != (HOURS_PER_YEAR,):
        raise ValueError(f"invalid hourly array of shape {array.shape}; expected shape "
                         f"({HOURS_PER_YEAR},), one value per hour of a 365-day year")
    return array


def _check_month(month: int) -> None:
    if not 0 <= month <= 11:
        raise ValueError(f"month {month} is out of range; expected 0 (January) to 11")


def _check_day(day: int) -> None:
    if not 0 <= day < DAYS_PER_YEAR:
        raise ValueError(f"day {day} is out of range; expected 0 (1 January) to "
                         f"{DAYS_PER_YEAR - 1} (31 December)")


def average_day(hourly: np.ndarray, month: int) -> np.ndarray:
    """Average each hour of the day over the days of ``month`` (0-11).

    ``hourly`` has shape (8760,). Returns shape (24,) in the unit of
    ``hourly``; element ``h`` is the mean of the hour starting at ``h``:00.
    """
    _check_month(month)
    values = _hourly(hourly)[MONTH_OF_HOUR == month]
    return values.reshape(-1, HOURS_PER_DAY).mean(axis=0)


def single_day(hourly: np.ndarray, day: int) -> np.ndarray:
    """Return the 24 hourly values of ``day`` (0 = 1 January), shape (24,), unit of ``hourly``."""
    _check_day(day)
    start = day * HOURS_PER_DAY
    return _hourly(hourly)[start:start + HOURS_PER_DAY].copy()


def day_date(day: int) -> datetime.date:
    """Return the calendar date of ``day`` (0-364) in a year without 29 February."""
    _check_day(day)
    return datetime.date(CALENDAR_YEAR, 1, 1) + datetime.timedelta(days=day)


def day_label(day: int) -> str:
    """Return ``day`` (0-364) as a short date such as "15 Jan"."""
    date = day_date(day)
    return f"{date.day} {MONTH_NAMES[date.month - 1]}"


def month_of_day(day: int) -> int:
    """Return the month (0-11) that ``day`` (0-364) falls in."""
    _check_day(day)
    return int(np.searchsorted(FIRST_DAY_OF_MONTH, day, side="right") - 1)


def soc_at_hour_boundaries(soc_end_of_hour: np.ndarray, initial_soc: float) -> np.ndarray:
    """Return the state of charge at every hour boundary of the year, shape (8761,).

    ``soc_end_of_hour`` is the state at the end of each hour, shape (8760,),
    as ``SimulationResult.soc`` stores it. Element 0 of the result is
    ``initial_soc``, the state at 1 January 00:00, and element ``i`` the state
    at the end of hour ``i - 1``. Pass NaN when the start state is unknown.
    """
    return np.concatenate(([float(initial_soc)], _hourly(soc_end_of_hour)))


@dataclass
class DayProfile:
    """Power flows of one day from the simulation: a single day or a month's average day.

    Powers have shape (24,), hourly means [kW] labelled by the start of the
    hour. ``soc_percent`` has shape (25,): the battery state of charge [%] at
    00:00, 01:00, ..., 24:00. ``title`` names the day, such as "15 Jan" or
    "average day in Jan".
    """

    title: str
    pv_available_kw: np.ndarray
    pv_used_kw: np.ndarray
    load_always_on_kw: np.ndarray
    load_batch_kw: np.ndarray
    generator_kw: np.ndarray
    soc_percent: np.ndarray


# DayProfile field and SimulationResult array of each hourly power.
POWER_SERIES = (
    ("pv_available_kw", "pv_available_kw"),
    ("pv_used_kw", "pv_used_kw"),
    ("load_always_on_kw", "load_always_on_kw"),
    ("load_batch_kw", "load_deferrable_kw"),
    ("generator_kw", "generator_kw"),
)


def _initial_soc(simulation, battery_nominal_kwh: float | None) -> float:
    """Return the SOC at 1 January 00:00 as a fraction, or NaN without a nominal energy."""
    if not battery_nominal_kwh or battery_nominal_kwh <= 0:
        return np.nan
    return simulation.initial_stored_kwh / battery_nominal_kwh


def simulation_average_day(simulation, month: int,
                           battery_nominal_kwh: float | None = None) -> DayProfile:
    """Average the flows of a ``SimulationResult`` over the days of ``month`` (0-11).

    The SOC at each hour boundary is averaged over the month's days as well.
    ``battery_nominal_kwh`` turns the simulation's initial stored energy into
    the SOC at 1 January 00:00. Without it, the 00:00 mean of January leaves
    out 1 January.
    """
    _check_month(month)
    powers = {field: average_day(getattr(simulation, array), month)
              for field, array in POWER_SERIES}
    boundaries = soc_at_hour_boundaries(simulation.soc,
                                        _initial_soc(simulation, battery_nominal_kwh))
    starts = FIRST_DAY_OF_MONTH[month] + np.arange(DAYS_PER_MONTH[month])
    windows = boundaries[starts[:, None] * HOURS_PER_DAY + np.arange(HOURS_PER_DAY + 1)]
    soc_percent = np.nanmean(windows, axis=0) * 100.0
    return DayProfile(title=f"average day in {MONTH_NAMES[month]}", soc_percent=soc_percent,
                      **powers)


def simulation_single_day(simulation, day: int,
                          battery_nominal_kwh: float | None = None) -> DayProfile:
    """Return the flows of a ``SimulationResult`` on ``day`` (0 = 1 January).

    ``battery_nominal_kwh`` turns the simulation's initial stored energy into
    the SOC at 1 January 00:00, the first SOC value of day 0. Without it that
    value is NaN.
    """
    _check_day(day)
    powers = {field: single_day(getattr(simulation, array), day)
              for field, array in POWER_SERIES}
    boundaries = soc_at_hour_boundaries(simulation.soc,
                                        _initial_soc(simulation, battery_nominal_kwh))
    start = day * HOURS_PER_DAY
    soc_percent = boundaries[start:start + HOURS_PER_DAY + 1] * 100.0
    return DayProfile(title=day_label(day), soc_percent=soc_percent, **powers)


@dataclass
class MonthlyWeather:
    """Monthly summary of a weather year, January first, shape (12,) each."""

    ghi_kwh_m2_per_day: np.ndarray
    mean_temp_c: np.ndarray
    min_temp_c: np.ndarray


def monthly_weather(weather) -> MonthlyWeather:
    """Summarise a ``WeatherYear`` by month.

    Returns the mean daily global horizontal irradiation [kWh/m² per day] and
    the mean and lowest hourly air temperature [°C] of each month.
    """
    ghi_w_m2 = _hourly(weather.ghi_w_m2)
    temp_c = _hourly(weather.temp_air_c)
    ghi_kwh = np.bincount(MONTH_OF_HOUR, weights=ghi_w_m2, minlength=12) / 1000.0
    temp_sum = np.bincount(MONTH_OF_HOUR, weights=temp_c, minlength=12)
    hours = DAYS_PER_MONTH * HOURS_PER_DAY
    min_temp = np.array([temp_c[MONTH_OF_HOUR == month].min() for month in range(12)])
    return MonthlyWeather(
        ghi_kwh_m2_per_day=ghi_kwh / DAYS_PER_MONTH,
        mean_temp_c=temp_sum / hours,
        min_temp_c=min_temp,
    )
