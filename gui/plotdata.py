"""Series the wizard plots draw, all computed in :mod:`core.daily`.

This module only re-exports them: ``gui.controller`` imports
``monthly_weather`` from here, and the pages import the day profiles.
"""

from __future__ import annotations

from core.daily import (
    DayProfile,
    MonthlyWeather,
    day_label,
    monthly_weather,
    simulation_average_day,
    simulation_single_day,
)

__all__ = ["DayProfile", "MonthlyWeather", "day_label", "monthly_weather",
           "simulation_average_day", "simulation_single_day"]
