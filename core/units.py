"""Unit constants and conversions for display.

Internal values are SI-based with the unit in the name (``_w``, ``_kwh``,
``_l``, ``_c``). Imperial units appear only when a value is shown.
"""

import numpy as np

BTU_PER_H_PER_W = 3.412  # 1 W = 3.412 BTU/h (ASHRAE Fundamentals conversion table)
LITRES_PER_US_GALLON = 3.78541  # exact by definition of the US gallon
HOURS_PER_YEAR = 8760  # 365-day year; 29 February is dropped from leap-year data

# Calendar of the hourly time base: a 365-day year, January first.
DAYS_PER_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
MONTH_OF_HOUR = np.repeat(np.arange(12), DAYS_PER_MONTH * 24)  # shape (8760,), 0 = January
MONTH_START_HOURS = np.concatenate(([0], np.cumsum(DAYS_PER_MONTH * 24)[:-1]))


def w_to_btu_per_h(power_w: float) -> float:
    """Convert heat load [W] to [BTU/h]."""
    return power_w * BTU_PER_H_PER_W


def litres_to_us_gallons(volume_l: float) -> float:
    """Convert a volume [L] to US gallons."""
    return volume_l / LITRES_PER_US_GALLON


def celsius_to_fahrenheit(temp_c: float) -> float:
    """Convert a temperature [degC] to [degF]."""
    return temp_c * 9.0 / 5.0 + 32.0


METRES_PER_FOOT = 0.3048  # exact by definition of the international foot


def metres_to_feet(length_m: float) -> float:
    """Convert a length [m] to feet."""
    return length_m / METRES_PER_FOOT
