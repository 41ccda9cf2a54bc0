"""Reduce the hourly arrays of a plan to the series the plots draw.

Pure numpy, no Qt. NOTE: these reductions belong in ``core``; they live here
only because the energy engine had no average-day or monthly-weather helper
when the GUI was written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.loadprofile import DAYS_PER_MONTH, MONTH_OF_HOUR


def average_day(hourly: np.ndarray, month: int) -> np.ndarray:
    """Return the mean of each hour of the day over ``month`` (0-11), shape (24,)."""
    values = np.asarray(hourly, dtype=float)[MONTH_OF_HOUR == month]
    return values.reshape(-1, 24).mean(axis=0)


@dataclass
class AverageDay:
    """One average day of a month from the simulation, hour-start labels 0-23."""

    pv_available_kw: np.ndarray
    pv_used_kw: np.ndarray
    load_always_on_kw: np.ndarray
    load_batch_kw: np.ndarray
    generator_kw: np.ndarray
    soc_percent: np.ndarray


def simulation_average_day(simulation, month: int) -> AverageDay:
    """Return the average day of ``month`` for the arrays of a ``SimulationResult``."""
    return AverageDay(
        pv_available_kw=average_day(simulation.pv_available_kw, month),
        pv_used_kw=average_day(simulation.pv_used_kw, month),
        load_always_on_kw=average_day(simulation.load_always_on_kw, month),
        load_batch_kw=average_day(simulation.load_deferrable_kw, month),
        generator_kw=average_day(simulation.generator_kw, month),
        soc_percent=average_day(simulation.soc, month) * 100.0,
    )


@dataclass
class MonthlyWeather:
    """Monthly summary of a weather year, January first, shape (12,) each."""

    ghi_kwh_m2_per_day: np.ndarray
    mean_temp_c: np.ndarray
    min_temp_c: np.ndarray


def monthly_weather(weather) -> MonthlyWeather:
    """Summarise a ``WeatherYear``: mean daily GHI and mean and lowest air temperature per month."""
    ghi_kwh = np.bincount(MONTH_OF_HOUR, weights=weather.ghi_w_m2, minlength=12) / 1000.0
    temp_sum = np.bincount(MONTH_OF_HOUR, weights=weather.temp_air_c, minlength=12)
    hours = DAYS_PER_MONTH * 24
    min_temp = np.array([weather.temp_air_c[MONTH_OF_HOUR == month].min() for month in range(12)])
    return MonthlyWeather(
        ghi_kwh_m2_per_day=ghi_kwh / DAYS_PER_MONTH,
        mean_temp_c=temp_sum / hours,
        min_temp_c=min_temp,
    )
