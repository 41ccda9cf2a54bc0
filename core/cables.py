"""DC cable cross-sections: PV string runs, controller-to-battery and battery-to-inverter runs.

Each run gets the smallest standard copper cross-section that passes two checks:

* Ampacity. The design current must not exceed the table value of
  ``AMPACITY_XLPE_METHOD_C_A`` times the ambient correction factor. PV string
  runs use 1.25 x 1.25 x Isc: NEC 690.8(A)(1) sets the maximum circuit
  current at 1.25 x Isc and NEC 690.8(B)(1) requires conductors rated 1.25
  times that. Battery runs use 1.25 x the continuous current.
* Voltage drop. 2 x length x current x resistivity / cross-section, with the
  resistivity of copper (0.0175 ohm mm2/m at 20 °C) corrected to the
  conductor temperature, must stay within the run's limit.

When even 240 mm2 fails, conductors run in parallel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.errors import InputError
from core.system import DC_BUS_LOW_V, inverter_dc_current_a

# Standard metric cross-sections [mm2] with the smallest AWG or kcmil size of at
# least the same copper area, and that size's area [mm2] (ASTM B258 areas), so
# an installer who buys the AWG size never gets a thinner conductor.
STANDARD_SIZES = (
    (2.5, "12 AWG", 3.31),
    (4.0, "10 AWG", 5.26),
    (6.0, "8 AWG", 8.37),
    (10.0, "6 AWG", 13.3),
    (16.0, "4 AWG", 21.2),
    (25.0, "3 AWG", 26.7),
    (35.0, "1 AWG", 42.4),
    (50.0, "1/0 AWG", 53.5),
    (70.0, "3/0 AWG", 85.0),
    (95.0, "4/0 AWG", 107.2),
    (120.0, "250 kcmil", 126.7),
    (150.0, "300 kcmil", 152.0),
    (185.0, "400 kcmil", 202.7),
    (240.0, "500 kcmil", 253.4),
)

# Current-carrying capacity [A] of copper conductors with XLPE or EPR
# insulation (90 °C), two loaded conductors, reference method C (clipped
# direct to a wall or tray), 30 °C ambient: IEC 60364-5-52:2009 Table B.52.5.
# NOTE: transcribed from the commonly reproduced table, not checked against a
# copy of the standard here; confirm the column before relying on it.
AMPACITY_XLPE_METHOD_C_A = {
    2.5: 33, 4.0: 45, 6.0: 58, 10.0: 80, 16.0: 107, 25.0: 138, 35.0: 171, 50.0: 209,
    70.0: 269, 95.0: 328, 120.0: 382, 150.0: 441, 185.0: 506, 240.0: 599,
}
AMPACITY_TABLE_NAME = ("IEC 60364-5-52 Table B.52.5: copper, XLPE/EPR 90 °C, two loaded "
                       "conductors, reference method C, 30 °C ambient")
# Ambient temperature correction factors for XLPE/EPR insulation in air
# (IEC 60364-5-52 Table B.52.14), by ambient [°C]; interpolated between rows.
AMBIENT_CORRECTION_XLPE = (
    (10.0, 1.15), (15.0, 1.12), (20.0, 1.08), (25.0, 1.04), (30.0, 1.00), (35.0, 0.96),
    (40.0, 0.91), (45.0, 0.87), (50.0, 0.82), (55.0, 0.76), (60.0, 0.71), (65.0, 0.65),
    (70.0, 0.58), (75.0, 0.50), (80.0, 0.41),
)

COPPER_RESISTIVITY_20C = 0.0175  # ohm mm2/m at 20 °C
COPPER_TEMPERATURE_COEFFICIENT = 0.00393  # per K at 20 °C (IEC 60228 annex)
# Conductor temperature for voltage drop: a loaded run sits between the ambient
# and the 90 °C insulation limit; 70 °C is a planning value, not a calculation.
CONDUCTOR_TEMPERATURE_C = 70.0

NEC_PV_CONDUCTOR_FACTOR = 1.25 * 1.25  # NEC 690.8(A)(1) x 690.8(B)(1)
CONTINUOUS_FACTOR = 1.25  # battery runs: 125 % of the continuous current
PV_DROP_LIMIT = 0.03
CONTROLLER_BATTERY_DROP_LIMIT = 0.02
BATTERY_INVERTER_DROP_LIMIT = 0.01


@dataclass
class CableRun:
    """One DC cable run with its chosen cross-section and both checks."""

    name: str
    count: int
    length_m: float
    design_current_a: float
    operating_current_a: float
    voltage_v: float
    ambient_c: float
    drop_limit: float
    size_mm2: float
    parallel: int
    ampacity_a: float
    drop_v: float
    basis: str

    @property
    def drop_fraction(self) -> float:
        return self.drop_v / self.voltage_v

    @property
    def awg(self) -> str:
        return awg_equivalent(self.size_mm2)[0]

    @property
    def limited_by(self) -> str:
        """Return "ampacity" or "voltage drop": the check that set the size."""
        smaller = [size for size, _, _ in STANDARD_SIZES if size < self.size_mm2]
        if not smaller or self.parallel > 1:
            return "ampacity"
        ampacity = AMPACITY_XLPE_METHOD_C_A[smaller[-1]] * ambient_correction(self.ambient_c)
        return "ampacity" if ampacity < self.design_current_a else "voltage drop"


def awg_equivalent(size_mm2: float) -> tuple[str, float]:
    """Return the AWG or kcmil size beside ``size_mm2`` and that size's area [mm2]."""
    for size, awg, area in STANDARD_SIZES:
        if math.isclose(size, size_mm2):
            return awg, area
    raise ValueError(f"{size_mm2} mm2 is not a standard size")


def ambient_correction(ambient_c: float) -> float:
    """Return the ampacity correction factor for XLPE cables at ``ambient_c``."""
    points = AMBIENT_CORRECTION_XLPE
    if ambient_c <= points[0][0]:
        return points[0][1]
    for (low_c, low_f), (high_c, high_f) in zip(points, points[1:]):
        if ambient_c <= high_c:
            return low_f + (high_f - low_f) * (ambient_c - low_c) / (high_c - low_c)
    raise InputError("Cable ambient temperature [°C]", ambient_c,
                     f"at most {points[-1][0]:g} °C for XLPE cable")


def copper_resistivity(conductor_c: float = CONDUCTOR_TEMPERATURE_C) -> float:
    """Return the resistivity of copper [ohm mm2/m] at ``conductor_c``."""
    return COPPER_RESISTIVITY_20C * (1 + COPPER_TEMPERATURE_COEFFICIENT * (conductor_c - 20))


def voltage_drop_v(length_m: float, current_a: float, size_mm2: float,
                   conductor_c: float = CONDUCTOR_TEMPERATURE_C) -> float:
    """Return the drop [V] over the out and return conductors of a ``length_m`` one-way run."""
    return 2 * length_m * current_a * copper_resistivity(conductor_c) / size_mm2


def size_run(name: str, count: int, length_m: float, design_current_a: float,
             operating_current_a: float, voltage_v: float, ambient_c: float,
             drop_limit: float, basis: str) -> CableRun:
    """Choose the smallest standard size (in parallel if needed) passing both checks.

    ``design_current_a`` is checked against the corrected ampacity;
    ``operating_current_a`` sets the voltage drop against ``voltage_v``.
    """
    if not length_m > 0:
        raise InputError(f"Cable length of the {name} run [m]", length_m, "a length above 0 m")
    factor = ambient_correction(ambient_c)
    for parallel in range(1, 9):
        for size, _, _ in STANDARD_SIZES:
            ampacity = AMPACITY_XLPE_METHOD_C_A[size] * factor * parallel
            drop = voltage_drop_v(length_m, operating_current_a / parallel, size)
            if ampacity >= design_current_a and drop <= drop_limit * voltage_v:
                return CableRun(
                    name=name, count=count, length_m=length_m,
                    design_current_a=design_current_a, operating_current_a=operating_current_a,
                    voltage_v=voltage_v, ambient_c=ambient_c, drop_limit=drop_limit,
                    size_mm2=size, parallel=parallel, ampacity_a=ampacity, drop_v=drop,
                    basis=basis)
    raise InputError(f"Cable length of the {name} run [m]", length_m,
                     "a run short enough for 8 parallel 240 mm² conductors")


@dataclass
class CableSchedule:
    """Schedule of every DC run of the plan, in the order of the single-line diagram."""

    pv_string: CableRun
    controller_battery: CableRun
    battery_inverter: CableRun

    @property
    def runs(self) -> list[CableRun]:
        return [self.pv_string, self.controller_battery, self.battery_inverter]


def size_dc_cables(pv_array, bank, inverter, pv_length_m: float,
                   controller_battery_length_m: float, battery_inverter_length_m: float,
                   design_high_c: float, room_c: float) -> CableSchedule:
    """Size the PV string, controller-to-battery and battery-to-inverter runs.

    PV runs are outdoors at ``design_high_c``; the others sit indoors at
    ``room_c`` but never below the table's 30 °C reference.
    """
    module = pv_array.module
    pv = size_run(
        "PV string", pv_array.strings, pv_length_m,
        design_current_a=NEC_PV_CONDUCTOR_FACTOR * module.isc_a,
        operating_current_a=module.imp_a,
        voltage_v=pv_array.hot_vmp_string_v,
        ambient_c=max(design_high_c, 30.0), drop_limit=PV_DROP_LIMIT,
        basis=f"1.25 x 1.25 x {module.isc_a:g} A Isc (NEC 690.8(A)(1) and (B)(1)); drop at "
              f"{module.imp_a:g} A Imp against the {pv_array.hot_vmp_string_v:.0f} V hot-cell "
              "string voltage")
    indoor_c = max(room_c, 30.0)
    charge_a = pv_array.controller.max_charge_a
    controller_battery = size_run(
        "Controller to battery", pv_array.controllers, controller_battery_length_m,
        design_current_a=CONTINUOUS_FACTOR * charge_a, operating_current_a=charge_a,
        voltage_v=bank.bus_v, ambient_c=indoor_c, drop_limit=CONTROLLER_BATTERY_DROP_LIMIT,
        basis=f"1.25 x {charge_a:g} A controller charge current; drop against the "
              f"{bank.bus_v:g} V bus")
    unit = inverter.unit
    dc_a = inverter_dc_current_a(unit.continuous_w_25c, unit)
    battery_inverter = size_run(
        "Battery to inverter", inverter.count, battery_inverter_length_m,
        design_current_a=CONTINUOUS_FACTOR * dc_a, operating_current_a=dc_a,
        voltage_v=bank.bus_v, ambient_c=indoor_c, drop_limit=BATTERY_INVERTER_DROP_LIMIT,
        basis=f"1.25 x {dc_a:.1f} A: {unit.continuous_w_25c:g} W / ({unit.max_efficiency:g} "
              f"x {DC_BUS_LOW_V:g} V); drop against the {bank.bus_v:g} V bus")
    return CableSchedule(pv_string=pv, controller_battery=controller_battery,
                         battery_inverter=battery_inverter)
