"""Worst-month hand sizing of PV, battery and generator, shown beside the simulation.

This is the method of off-grid sizing calculators and textbooks. The array
is sized for the month with the highest ratio of daily load to peak sun
hours, and the battery for a number of days of autonomy. The generator is
sized to carry the peak load while it recharges the battery. Every intermediate value
is kept in ``QuickSizing.steps`` so a reviewer can redo the arithmetic.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from core.errors import InputError

logger = logging.getLogger(__name__)

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class SizingStep(NamedTuple):
    """One line of the hand calculation: label, value, unit and the formula with numbers."""

    label: str
    value: float
    unit: str
    formula: str


@dataclass
class QuickSizing:
    """Result of ``quick_size``; ``worst_month`` is 0 for January."""

    worst_month: int
    daily_load_worst_kwh: float
    psh_worst: float
    pv_kwp: float
    battery_usable_kwh: float
    battery_nominal_kwh: float
    generator_kw: float
    steps: list[SizingStep] = field(default_factory=list)


def quick_size(daily_load_kwh_by_month, psh_by_month, peak_load_kw: float, autonomy_days: float = 1.5,
               performance_ratio: float = 0.75, battery_dod: float = 0.9,
               battery_round_trip_efficiency: float = 0.92, inverter_efficiency: float = 0.95,
               load_is_ac: bool = True, generator_target_loading: float = 0.75,
               battery_recharge_kw: float | None = None) -> QuickSizing:
    """Size PV, battery and generator by the worst-month hand method.

    ``daily_load_kwh_by_month`` has shape (12,), January first [kWh/day].
    ``psh_by_month`` has shape (12,) [kWh/m2/day on the array plane], for
    example from ``core.pv.monthly_poa_kwh_m2_per_day``.

    - worst month: the month with the highest daily load / PSH.
    - PV [kWp] = daily load / (PSH x performance ratio). The performance
      ratio covers all losses from the array to the load, inverter included.
    - Usable battery [kWh] = daily load x autonomy days / (discharge
      efficiency x inverter efficiency), where discharge efficiency is
      sqrt(round-trip efficiency) and the inverter efficiency applies only
      when ``load_is_ac``. Nominal battery = usable / depth of discharge.
    - Generator [kW] = (peak load + battery recharge power) / target loading.
      The recharge power defaults to the peak load, so a generator that
      carries the load also refills the battery at the same rate.
    """
    load_kwh = np.asarray(daily_load_kwh_by_month, dtype=float)
    psh = np.asarray(psh_by_month, dtype=float)
    _check_inputs(load_kwh, psh, peak_load_kw, autonomy_days, performance_ratio, battery_dod,
                  battery_round_trip_efficiency, inverter_efficiency, generator_target_loading)
    steps: list[SizingStep] = []

    ratio = load_kwh / psh
    worst = int(np.argmax(ratio))
    daily_kwh = float(load_kwh[worst])
    psh_worst = float(psh[worst])
    steps.append(SizingStep("Worst month", worst + 1, "month",
                            f"{MONTH_NAMES[worst]}: highest daily load / peak sun hours = "
                            f"{daily_kwh:.2f} / {psh_worst:.2f} = {ratio[worst]:.3f}"))
    steps.append(SizingStep("Daily load in worst month", daily_kwh, "kWh/day", "from the load profile"))
    steps.append(SizingStep("Peak sun hours in worst month", psh_worst, "h/day", "plane-of-array kWh/m2/day"))

    pv_kwp = daily_kwh / (psh_worst * performance_ratio)
    steps.append(SizingStep("PV array", pv_kwp, "kWp",
                            f"daily load / (PSH x PR) = {daily_kwh:.2f} / ({psh_worst:.2f} x {performance_ratio:.2f})"))

    discharge_efficiency = math.sqrt(battery_round_trip_efficiency)
    steps.append(SizingStep("Battery discharge efficiency", discharge_efficiency, "",
                            f"sqrt(round-trip efficiency) = sqrt({battery_round_trip_efficiency:.3f})"))
    applied_inverter_efficiency = inverter_efficiency if load_is_ac else 1.0
    steps.append(SizingStep("Inverter efficiency applied", applied_inverter_efficiency, "",
                            "AC load" if load_is_ac else "DC load: no inverter"))

    usable_kwh = daily_kwh * autonomy_days / (discharge_efficiency * applied_inverter_efficiency)
    steps.append(SizingStep("Battery usable energy", usable_kwh, "kWh",
                            f"daily load x autonomy / (discharge eff. x inverter eff.) = {daily_kwh:.2f} x "
                            f"{autonomy_days:.2f} / ({discharge_efficiency:.4f} x {applied_inverter_efficiency:.3f})"))
    nominal_kwh = usable_kwh / battery_dod
    steps.append(SizingStep("Battery nominal energy", nominal_kwh, "kWh",
                            f"usable / depth of discharge = {usable_kwh:.2f} / {battery_dod:.2f}"))

    recharge_kw = peak_load_kw if battery_recharge_kw is None else float(battery_recharge_kw)
    steps.append(SizingStep("Battery recharge power", recharge_kw, "kW",
                            "equal to the peak load" if battery_recharge_kw is None else "given"))
    generator_kw = (peak_load_kw + recharge_kw) / generator_target_loading
    steps.append(SizingStep("Generator rating", generator_kw, "kW",
                            f"(peak load + recharge power) / target loading = ({peak_load_kw:.2f} + "
                            f"{recharge_kw:.2f}) / {generator_target_loading:.2f}"))

    for step in steps:
        logger.debug("Quick sizing: %s = %.4g %s (%s)", *step)

    return QuickSizing(worst_month=worst, daily_load_worst_kwh=daily_kwh, psh_worst=psh_worst, pv_kwp=pv_kwp,
                       battery_usable_kwh=usable_kwh, battery_nominal_kwh=nominal_kwh,
                       generator_kw=generator_kw, steps=steps)


def _check_inputs(load_kwh, psh, peak_load_kw, autonomy_days, performance_ratio, battery_dod,
                  battery_round_trip_efficiency, inverter_efficiency, generator_target_loading) -> None:
    """Raise ``InputError`` for inputs the hand method cannot use."""
    if load_kwh.shape != (12,) or np.any(~np.isfinite(load_kwh)) or np.any(load_kwh < 0.0):
        raise InputError("Quick sizing > daily load by month", load_kwh.tolist(), "12 values of 0 kWh/day or more")
    if psh.shape != (12,) or np.any(~np.isfinite(psh)) or np.any(psh <= 0.0):
        raise InputError("Quick sizing > peak sun hours by month", psh.tolist(),
                         "12 values above 0 h/day (a month without sun needs generator-only sizing)")
    if peak_load_kw < 0.0:
        raise InputError("Quick sizing > peak load", peak_load_kw, "0 kW or more")
    if autonomy_days < 0.0:
        raise InputError("Quick sizing > days of autonomy", autonomy_days, "0 days or more")
    fractions = {
        "performance ratio": performance_ratio,
        "battery depth of discharge": battery_dod,
        "battery round-trip efficiency": battery_round_trip_efficiency,
        "inverter efficiency": inverter_efficiency,
        "generator target loading": generator_target_loading,
    }
    for label, value in fractions.items():
        if not 0.0 < value <= 1.0:
            raise InputError(f"Quick sizing > {label}", value, "a fraction above 0 and at most 1")
