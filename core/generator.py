"""Diesel generator set with HOMER's straight-line fuel curve.

Fuel use of a running set is F0 x rated power + F1 x output power [L/h]. The
defaults are the HOMER Pro documentation's worked example ("Generator fuel
curve intercept coefficient"): a 50 kW set burning 8.48 L/h at 25 kW and
15.3 L/h at 50 kW gives F1 = (15.3 - 8.48) / 25 = 0.273 L/h per kW output and
F0 = 0.033 L/h per kW rated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from core.errors import InputError

logger = logging.getLogger(__name__)


@dataclass
class GeneratorConfig:
    """One or more identical generator sets that share the load.

    ``rated_kw`` is the prime rating of one set. ``min_load_ratio`` is the
    lowest output of a running set as a fraction of ``rated_kw``, and
    ``min_run_time_h`` the number of hours a set stays on once started.
    """

    rated_kw: float
    fuel_f0_l_per_h_per_kw: float = 0.033
    fuel_f1_l_per_h_per_kw: float = 0.273
    min_load_ratio: float = 0.30
    min_run_time_h: int = 1
    count: int = 1

    def __post_init__(self):
        if self.rated_kw < 0.0:
            raise InputError("Generator > rated power", self.rated_kw, "0 kW or more")
        if self.fuel_f0_l_per_h_per_kw < 0.0 or self.fuel_f1_l_per_h_per_kw < 0.0:
            raise InputError("Generator > fuel curve", (self.fuel_f0_l_per_h_per_kw, self.fuel_f1_l_per_h_per_kw),
                             "intercept and slope of 0 L/h/kW or more")
        if not 0.0 <= self.min_load_ratio <= 1.0:
            raise InputError("Generator > minimum load ratio", self.min_load_ratio, "a fraction from 0 to 1")
        if int(self.min_run_time_h) != self.min_run_time_h or self.min_run_time_h < 1:
            raise InputError("Generator > minimum run time", self.min_run_time_h, "a whole number of hours, 1 or more")
        if int(self.count) != self.count or self.count < 0:
            raise InputError("Generator > number of sets", self.count, "a whole number, 0 or more")

    @property
    def total_rated_kw(self) -> float:
        """Rated power of all sets together [kW]."""
        return self.rated_kw * self.count

    def units_needed(self, output_kw: float) -> int:
        """Return how many sets must run to deliver ``output_kw``: at least 1, at most ``count``."""
        if self.rated_kw <= 0.0 or self.count == 0:
            return 0
        return int(min(self.count, max(1, np.ceil(output_kw / self.rated_kw - 1e-12))))


def fuel_l_per_h(config: GeneratorConfig, output_kw, units_on=None):
    """Return fuel use [L/h] at generator output ``output_kw`` [kW].

    Zero where the output is zero (the sets are off). ``units_on`` is the
    number of running sets; by default the fewest sets that can carry the
    output. Accepts a float or an array and returns the same shape.
    """
    output = np.asarray(output_kw, dtype=float)
    if units_on is None:
        rated = config.rated_kw if config.rated_kw > 0.0 else np.inf
        units_on = np.clip(np.ceil(output / rated - 1e-12), 1, max(config.count, 1))
    units = np.asarray(units_on, dtype=float)

    running = output > 0.0
    fuel = np.where(running,
                    config.fuel_f0_l_per_h_per_kw * config.rated_kw * units
                    + config.fuel_f1_l_per_h_per_kw * output,
                    0.0)
    if fuel.ndim == 0:
        return float(fuel)
    return fuel
