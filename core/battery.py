"""Battery bank parameters for the hourly dispatch: LFP by default.

State of charge (SOC) is a fraction of the nominal energy. The round-trip
efficiency is split evenly between charge and discharge, each sqrt(RTE), as
HOMER does (80 % RTE gives 89.4 % each way). Cold reduces the energy an LFP
bank can deliver, and its battery management system blocks charging below a
minimum cell temperature. Both rules use the battery temperature that the
dispatch passes in.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from core.errors import InputError

logger = logging.getLogger(__name__)

# LFP deliverable capacity against battery temperature, from the Victron
# LiFePO4 Smart technical data (discharge at up to 1C): 100 % at 25 degC,
# 80 % at 0 degC, 50 % at -20 degC. Linear between the points and flat outside.
LFP_CAPACITY_TEMP_C = (-20.0, 0.0, 25.0)
LFP_CAPACITY_FACTOR = (0.50, 0.80, 1.00)

# Victron LiFePO4 Smart operating range: charge +5 to +50 degC, discharge -20 to +50 degC.
LFP_CHARGE_TEMP_MIN_C = 5.0
LFP_DISCHARGE_TEMP_MIN_C = -20.0

# Battery rooms at off-grid sites are usually heated or cooled; this is the
# room temperature the dispatch assumes when the caller passes none.
DEFAULT_BATTERY_ROOM_TEMP_C = 20.0


@dataclass
class BatteryConfig:
    """Battery bank size, limits and efficiency.

    Powers are measured at the DC bus: ``max_charge_kw`` is power taken from
    the bus and ``max_discharge_kw`` is power delivered to it. SOC values are
    fractions of ``nominal_kwh``. ``initial_soc`` is the SOC at the start of
    1 January 00:00.
    """

    nominal_kwh: float
    max_charge_kw: float
    max_discharge_kw: float
    soc_min: float = 0.10
    soc_max: float = 1.0
    round_trip_efficiency: float = 0.92
    initial_soc: float = 1.0
    charge_temp_min_c: float = LFP_CHARGE_TEMP_MIN_C
    discharge_temp_min_c: float = LFP_DISCHARGE_TEMP_MIN_C

    def __post_init__(self):
        if self.nominal_kwh < 0.0:
            raise InputError("Battery > nominal energy", self.nominal_kwh, "0 kWh or more")
        if self.max_charge_kw < 0.0:
            raise InputError("Battery > maximum charge power", self.max_charge_kw, "0 kW or more")
        if self.max_discharge_kw < 0.0:
            raise InputError("Battery > maximum discharge power", self.max_discharge_kw, "0 kW or more")
        if not 0.0 <= self.soc_min < self.soc_max <= 1.0:
            raise InputError("Battery > SOC window", (self.soc_min, self.soc_max),
                             "0 <= minimum SOC < maximum SOC <= 1")
        if not 0.0 < self.round_trip_efficiency <= 1.0:
            raise InputError("Battery > round-trip efficiency", self.round_trip_efficiency,
                             "a fraction above 0 and at most 1")
        if not self.soc_min <= self.initial_soc <= self.soc_max:
            raise InputError("Battery > initial SOC", self.initial_soc,
                             f"a fraction from {self.soc_min} to {self.soc_max}")

    @property
    def usable_kwh(self) -> float:
        """Energy between the minimum and maximum SOC at 25 degC or warmer [kWh]."""
        return self.nominal_kwh * (self.soc_max - self.soc_min)

    @property
    def charge_efficiency(self) -> float:
        """Fraction of bus power that is stored while charging: sqrt(RTE)."""
        return math.sqrt(self.round_trip_efficiency)

    @property
    def discharge_efficiency(self) -> float:
        """Fraction of stored energy that reaches the bus while discharging: sqrt(RTE)."""
        return math.sqrt(self.round_trip_efficiency)

    def soc_floor(self, temp_c):
        """Return the lowest SOC the bank can discharge to at ``temp_c`` [fraction of nominal].

        Cold shrinks the usable window from the bottom: at capacity factor f
        the bank delivers f x (soc_max - soc_min) from full, and the rest stays
        stored until the bank warms up. Accepts a float or an array [degC].
        """
        factor = temperature_capacity_factor(temp_c)
        floor = np.maximum(self.soc_min, self.soc_max - factor * (self.soc_max - self.soc_min))
        if np.ndim(floor) == 0:
            return float(floor)
        return floor

    def charging_allowed(self, temp_c):
        """Return True where the battery management system allows charging at ``temp_c`` [degC]."""
        return np.asarray(temp_c) >= self.charge_temp_min_c

    def discharging_allowed(self, temp_c):
        """Return True where the battery management system allows discharging at ``temp_c`` [degC]."""
        return np.asarray(temp_c) >= self.discharge_temp_min_c


def temperature_capacity_factor(temp_c):
    """Return the LFP deliverable-capacity factor at battery temperature ``temp_c`` [degC].

    1.0 at 25 degC and above, 0.80 at 0 degC, 0.50 at -20 degC and below,
    linear between (Victron LiFePO4 Smart technical data). Accepts a float or
    an array and returns the same shape.
    """
    factor = np.interp(temp_c, LFP_CAPACITY_TEMP_C, LFP_CAPACITY_FACTOR)
    if np.ndim(factor) == 0:
        return float(factor)
    return factor
