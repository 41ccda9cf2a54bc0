"""Hour-by-hour energy balance of a PV, battery and generator site for one year.

The rules follow HOMER's load-following and cycle-charging strategies. All
powers are on one bus (the battery's DC bus in an off-grid AI site): callers
convert AC loads to bus power, including inverter losses, before calling
``simulate_year``. One step is one hour, so a power of x kW for one step is
x kWh.

Order of supply in every hour:

1. PV serves the always-on load and any batch work that must run now.
2. PV surplus serves other batch work, then charges the battery, then is
   curtailed (``dumped_kw``).
3. A deficit comes from the battery within its power limit and usable
   window. If the battery cannot cover it, the generator starts.
4. What nothing can serve is unmet. Batch work is shed before the
   always-on load, which is never shed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from core.battery import DEFAULT_BATTERY_ROOM_TEMP_C, BatteryConfig
from core.errors import InputError
from core.generator import GeneratorConfig, fuel_l_per_h
from core.units import HOURS_PER_YEAR

logger = logging.getLogger(__name__)

STRATEGIES = ("load_following", "cycle_charging")

_DAYS_PER_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
MONTH_START_HOURS = np.concatenate(([0], np.cumsum(_DAYS_PER_MONTH * 24)[:-1]))

_TOLERANCE_KW = 1e-9


@dataclass
class DeferrableJob:
    """Batch AI work that repeats every day and may run at any time in its window.

    The window opens at ``window_start_h`` (hour of day, 0-23, local standard
    time) and the work must be finished by ``deadline_h`` (0-24). A deadline
    at or before the start hour is on the next day, so start 20 and deadline 6
    give a 10-hour overnight window, and equal hours give 24 hours.
    ``power_kw`` is the maximum draw while running. Jobs with a lower
    ``priority`` number are served first.
    """

    name: str
    energy_kwh_per_window: float
    power_kw: float
    window_start_h: int
    deadline_h: int
    priority: int = 1

    def __post_init__(self):
        if self.energy_kwh_per_window < 0.0:
            raise InputError(f"Batch job '{self.name}' > energy per window", self.energy_kwh_per_window,
                             "0 kWh or more")
        if self.power_kw <= 0.0:
            raise InputError(f"Batch job '{self.name}' > power", self.power_kw, "more than 0 kW")
        if int(self.window_start_h) != self.window_start_h or not 0 <= self.window_start_h <= 23:
            raise InputError(f"Batch job '{self.name}' > window start", self.window_start_h,
                             "a whole hour of day from 0 to 23")
        if int(self.deadline_h) != self.deadline_h or not 0 <= self.deadline_h <= 24:
            raise InputError(f"Batch job '{self.name}' > deadline", self.deadline_h,
                             "a whole hour of day from 0 to 24")

    @property
    def window_h(self) -> int:
        """Length of each daily window [h], from 1 to 24."""
        length = (int(self.deadline_h) - int(self.window_start_h)) % 24
        return length if length else 24


@dataclass
class DeferrableJobReport:
    """Energy served and missed for one batch job over the year [kWh]."""

    name: str
    windows: int
    served_kwh: float
    missed_kwh: float
    missed_windows: int


@dataclass
class SimulationResult:
    """Hourly results of ``simulate_year`` and their annual totals.

    Every array has shape (8760,), hourly, local standard time, hour-start
    labels. Powers are hourly means on the bus [kW]: ``battery_charge_kw`` is
    taken from the bus (before charge losses) and ``battery_discharge_kw`` is
    delivered to it (after discharge losses). ``soc`` is the state of charge at
    the END of each hour and ``soc_floor`` the lowest SOC the bank could
    discharge to in that hour at its temperature, both as fractions of the
    nominal energy.
    """

    pv_available_kw: np.ndarray
    pv_used_kw: np.ndarray
    load_always_on_kw: np.ndarray
    load_deferrable_kw: np.ndarray
    battery_charge_kw: np.ndarray
    battery_discharge_kw: np.ndarray
    battery_loss_kw: np.ndarray
    soc: np.ndarray
    soc_floor: np.ndarray
    battery_temp_c: np.ndarray
    generator_kw: np.ndarray
    generator_on: np.ndarray
    fuel_l_per_h: np.ndarray
    dumped_kw: np.ndarray
    unmet_kw: np.ndarray
    generator_starts: int
    battery_throughput_kwh: float
    initial_stored_kwh: float
    job_reports: list[DeferrableJobReport] = field(default_factory=list)

    @property
    def pv_energy_kwh(self) -> float:
        """PV energy available at the bus over the year [kWh]."""
        return float(self.pv_available_kw.sum())

    @property
    def load_kwh(self) -> float:
        """Always-on load demand over the year, served or not [kWh]."""
        return float(self.load_always_on_kw.sum())

    @property
    def deferrable_served_kwh(self) -> float:
        """Batch work served over the year [kWh]."""
        return float(self.load_deferrable_kw.sum())

    @property
    def deferrable_missed_kwh(self) -> float:
        """Batch work left unfinished at its deadlines over the year [kWh]."""
        return float(sum(report.missed_kwh for report in self.job_reports))

    @property
    def missed_windows(self) -> int:
        """Number of job windows, over all jobs, that ended with work left."""
        return int(sum(report.missed_windows for report in self.job_reports))

    @property
    def generator_kwh(self) -> float:
        """Generator energy over the year [kWh]."""
        return float(self.generator_kw.sum())

    @property
    def generator_hours(self) -> int:
        """Hours with at least one generator set running."""
        return int(self.generator_on.sum())

    @property
    def fuel_l(self) -> float:
        """Fuel burnt over the year [L]."""
        return float(self.fuel_l_per_h.sum())

    @property
    def dumped_kwh(self) -> float:
        """Curtailed PV and unused generator output over the year [kWh]."""
        return float(self.dumped_kw.sum())

    @property
    def unmet_kwh(self) -> float:
        """Always-on load that could not be served over the year [kWh]."""
        return float(self.unmet_kw.sum())

    @property
    def renewable_fraction(self) -> float:
        """Share of served load not supplied by the generator, 1 - generator kWh / served kWh.

        This is HOMER's renewable fraction, clipped to [0, 1].
        """
        served_kwh = self.load_kwh - self.unmet_kwh + self.deferrable_served_kwh
        if served_kwh <= 0.0:
            return 0.0
        return float(np.clip(1.0 - self.generator_kwh / served_kwh, 0.0, 1.0))

    def monthly_energy(self) -> dict[str, np.ndarray]:
        """Sum the main flows per month [kWh].

        Returns a dict of arrays with shape (12,), January first:
        "pv_used_kwh", "load_kwh" (always-on demand), "deferrable_kwh" (batch
        work served), "generator_kwh", "dumped_kwh" and "unmet_kwh".
        """
        flows = {
            "pv_used_kwh": self.pv_used_kw,
            "load_kwh": self.load_always_on_kw,
            "deferrable_kwh": self.load_deferrable_kw,
            "generator_kwh": self.generator_kw,
            "dumped_kwh": self.dumped_kw,
            "unmet_kwh": self.unmet_kw,
        }
        return {name: np.add.reduceat(values, MONTH_START_HOURS) for name, values in flows.items()}


def simulate_year(pv_kw, always_on_kw, battery: BatteryConfig, generator: GeneratorConfig | None,
                  deferrable: list[DeferrableJob] | None = None, strategy: str = "load_following",
                  setpoint_soc: float = 0.8, battery_temp_c=None,
                  max_generator_loading: float = 0.8) -> SimulationResult:
    """Simulate one year of hourly dispatch and return flows and totals.

    ``pv_kw`` and ``always_on_kw`` have shape (8760,), hourly, local standard
    time, hour-start labels [kW at the bus]. ``battery_temp_c`` is a float or
    an array of shape (8760,) [degC]; None means a conditioned battery room at
    ``DEFAULT_BATTERY_ROOM_TEMP_C``. Pass the ambient temperature for an
    unconditioned enclosure.

    ``strategy`` "load_following": a running generator makes only what the
    load needs (at least its minimum load; the excess charges the battery).
    "cycle_charging": a running generator makes as much as the load and the
    battery can take, and stays on until the SOC reaches ``setpoint_soc``.

    Batch work (``deferrable``) runs in PV surplus, on a running generator up
    to ``max_generator_loading`` of the running sets' rating, or from the
    battery while the SOC is above ``setpoint_soc``. It runs from any source
    once its remaining work needs every remaining hour before the deadline.
    """
    pv = _hourly_array(pv_kw, "PV power")
    load = _hourly_array(always_on_kw, "Always-on load")
    if np.any(pv < 0.0) or np.any(load < 0.0):
        raise InputError("PV power or always-on load", "negative values", "0 kW or more in every hour")
    if strategy not in STRATEGIES:
        raise InputError("Dispatch strategy", strategy, '"load_following" or "cycle_charging"')
    if not 0.0 <= setpoint_soc <= 1.0:
        raise InputError("Dispatch > set-point SOC", setpoint_soc, "a fraction from 0 to 1")
    if not 0.0 < max_generator_loading <= 1.0:
        raise InputError("Dispatch > maximum generator loading for batch work", max_generator_loading,
                         "a fraction above 0 and at most 1")
    if generator is None:
        generator = GeneratorConfig(rated_kw=0.0, count=0)

    if battery_temp_c is None:
        battery_temp_c = DEFAULT_BATTERY_ROOM_TEMP_C
    temp_c = np.broadcast_to(np.asarray(battery_temp_c, dtype=float), (HOURS_PER_YEAR,)).copy()
    if np.isnan(temp_c).any():
        raise InputError("Battery temperature", "NaN values", "a temperature in degC for every hour")

    flows = _run_dispatch(pv, load, battery, generator, deferrable or [], strategy,
                          setpoint_soc, temp_c, max_generator_loading)
    result = SimulationResult(battery_temp_c=temp_c, **flows)
    logger.info("Simulated year: generator %.0f kWh in %d h, unmet %.1f kWh, batch work missed %.1f kWh",
                result.generator_kwh, result.generator_hours, result.unmet_kwh, result.deferrable_missed_kwh)
    return result


def _hourly_array(values, label: str) -> np.ndarray:
    """Return ``values`` as a float array of shape (8760,), or raise ``InputError``."""
    array = np.asarray(values, dtype=float)
    if array.shape != (HOURS_PER_YEAR,):
        raise InputError(label, f"array of shape {array.shape}", f"an array of shape ({HOURS_PER_YEAR},) in kW")
    if np.isnan(array).any():
        raise InputError(label, "NaN values", "a number in every hour")
    return array


class _JobScheduler:
    """Daily windows, remaining work and missed-work counts of the batch jobs.

    The typical year is treated as cyclic: a window that runs past 31 December
    24:00 is cut there, and the same window's remainder is active from
    1 January 00:00. Each part gets the share of the window's energy that
    matches its share of the window's hours.
    """

    def __init__(self, jobs: list[DeferrableJob]):
        self.jobs = sorted(jobs, key=lambda job: job.priority)
        count = len(self.jobs)
        self.remaining_kwh = [0.0] * count
        self.hours_left = [0] * count
        self.windows = [0] * count
        self.served_kwh = [0.0] * count
        self.missed_kwh = [0.0] * count
        self.missed_windows = [0] * count
        self.forced_kw = [0.0] * count
        self.flexible_kw = [0.0] * count

        for i, job in enumerate(self.jobs):
            hours_since_start = (0 - job.window_start_h) % 24
            if 0 < hours_since_start < job.window_h:
                self._open(i, job.window_h - hours_since_start)

    def _open(self, i: int, hours: int) -> None:
        job = self.jobs[i]
        self.remaining_kwh[i] = job.energy_kwh_per_window * hours / job.window_h
        self.hours_left[i] = hours
        self.windows[i] += 1

    def start_hour(self, hour_index: int) -> tuple[float, float]:
        """Open windows that start now and return (forced kW, flexible kW) over all jobs."""
        hour_of_day = hour_index % 24
        for i, job in enumerate(self.jobs):
            if hour_of_day == job.window_start_h:
                self._open(i, min(job.window_h, HOURS_PER_YEAR - hour_index))

            if self.hours_left[i] > 0:
                can_run_kw = min(job.power_kw, self.remaining_kwh[i])
                # Work that cannot wait: what the later hours of the window
                # cannot finish at full power.
                forced = max(0.0, self.remaining_kwh[i] - job.power_kw * (self.hours_left[i] - 1))
                self.forced_kw[i] = min(forced, can_run_kw)
                self.flexible_kw[i] = can_run_kw - self.forced_kw[i]
            else:
                self.forced_kw[i] = 0.0
                self.flexible_kw[i] = 0.0
        return sum(self.forced_kw), sum(self.flexible_kw)

    def end_hour(self, forced_served_kw: float, flexible_served_kw: float) -> None:
        """Book the served work by priority and close windows whose deadline is now."""
        for i in range(len(self.jobs)):
            if self.hours_left[i] == 0:
                continue

            served = min(self.forced_kw[i], forced_served_kw)
            forced_served_kw -= served
            extra = min(self.flexible_kw[i], flexible_served_kw)
            flexible_served_kw -= extra
            served += extra

            self.remaining_kwh[i] -= served
            self.served_kwh[i] += served
            self.hours_left[i] -= 1

            if self.hours_left[i] == 0 and self.remaining_kwh[i] > _TOLERANCE_KW:
                self.missed_kwh[i] += self.remaining_kwh[i]
                self.missed_windows[i] += 1
                logger.debug("Batch job '%s' missed %.3f kWh", self.jobs[i].name, self.remaining_kwh[i])
            if self.hours_left[i] == 0:
                self.remaining_kwh[i] = 0.0

    def reports(self) -> list[DeferrableJobReport]:
        return [DeferrableJobReport(job.name, self.windows[i], self.served_kwh[i], self.missed_kwh[i],
                                    self.missed_windows[i]) for i, job in enumerate(self.jobs)]


def _run_dispatch(pv: np.ndarray, load: np.ndarray, battery: BatteryConfig, generator: GeneratorConfig,
                  jobs: list[DeferrableJob], strategy: str, setpoint_soc: float, temp_c: np.ndarray,
                  max_generator_loading: float) -> dict:
    """Run the hourly loop and return the arrays and counters of ``SimulationResult``."""
    n = HOURS_PER_YEAR
    out = {name: np.zeros(n) for name in (
        "pv_used_kw", "load_deferrable_kw", "battery_charge_kw", "battery_discharge_kw",
        "battery_loss_kw", "soc", "generator_kw", "dumped_kw", "unmet_kw")}
    generator_on = np.zeros(n, dtype=bool)
    generator_units = np.zeros(n)

    nominal_kwh = battery.nominal_kwh
    eta_charge = battery.charge_efficiency
    eta_discharge = battery.discharge_efficiency
    ceiling_kwh = battery.soc_max * nominal_kwh
    setpoint_kwh = setpoint_soc * nominal_kwh
    soc_floor = np.broadcast_to(battery.soc_floor(temp_c), (n,)).astype(float)
    floor_kwh_by_hour = (soc_floor * nominal_kwh).tolist()
    charge_ok = np.broadcast_to(battery.charging_allowed(temp_c), (n,)).tolist()
    discharge_ok = np.broadcast_to(battery.discharging_allowed(temp_c), (n,)).tolist()

    generator_available = generator.total_rated_kw > 0.0
    cycle_charging = strategy == "cycle_charging"
    scheduler = _JobScheduler(jobs)

    stored_kwh = battery.initial_soc * nominal_kwh
    initial_stored_kwh = stored_kwh
    was_on = False
    run_hours_left = 0
    keep_charging = False
    starts = 0
    throughput_kwh = 0.0
    pv_list = pv.tolist()
    load_list = load.tolist()

    for t in range(n):
        forced_kw, flexible_left_kw = scheduler.start_hour(t)

        # Step 1: PV serves the firm load (always-on plus batch work that cannot wait).
        firm_kw = load_list[t] + forced_kw
        pv_to_firm = min(pv_list[t], firm_kw)
        deficit_kw = firm_kw - pv_to_firm
        surplus_kw = pv_list[t] - pv_to_firm

        flexible_from_pv = min(flexible_left_kw, surplus_kw)
        surplus_kw -= flexible_from_pv
        flexible_left_kw -= flexible_from_pv

        # Step 2: battery power limits this hour, from its power rating, the
        # energy inside the temperature-dependent window and the BMS rules.
        floor_kwh = floor_kwh_by_hour[t]
        discharge_max_kw = 0.0
        if discharge_ok[t] and stored_kwh > floor_kwh:
            discharge_max_kw = min(battery.max_discharge_kw, (stored_kwh - floor_kwh) * eta_discharge)
        charge_max_kw = 0.0
        if charge_ok[t] and stored_kwh < ceiling_kwh:
            charge_max_kw = min(battery.max_charge_kw, (ceiling_kwh - stored_kwh) / eta_charge)

        # Step 3: generator on when the battery cannot cover the deficit, during
        # its minimum run time, or while cycle charging toward the set point
        # (only while the battery may charge at its temperature).
        gen_on = generator_available and (deficit_kw > discharge_max_kw + _TOLERANCE_KW
                                          or run_hours_left > 0
                                          or (keep_charging and charge_max_kw > 0.0))
        gen_kw = 0.0
        units = 0
        flexible_from_gen = 0.0
        gen_excess_kw = 0.0
        shortfall_kw = deficit_kw
        if gen_on:
            units = generator.units_needed(deficit_kw)
            running_kw = units * generator.rated_kw
            min_output_kw = generator.min_load_ratio * running_kw

            flexible_from_gen = min(flexible_left_kw, max(0.0, max_generator_loading * running_kw - deficit_kw))
            flexible_left_kw -= flexible_from_gen

            target_kw = deficit_kw + flexible_from_gen
            if cycle_charging:
                target_kw += max(0.0, charge_max_kw - surplus_kw)
            gen_kw = min(max(target_kw, min_output_kw), running_kw)

            shortfall_kw = max(0.0, deficit_kw - gen_kw)
            gen_excess_kw = max(0.0, gen_kw - deficit_kw - flexible_from_gen)

        # Step 4: the battery covers what the generator and PV could not.
        discharge_kw = min(shortfall_kw, discharge_max_kw)
        unmet_total_kw = shortfall_kw - discharge_kw

        # NOTE: rule-based, without a forecast. Batch work run from the battery
        # above the set point can leave too little for the night and start the
        # generator later, which a look-ahead dispatch would avoid.
        flexible_from_battery = 0.0
        if not gen_on and flexible_left_kw > 0.0 and discharge_max_kw > discharge_kw:
            above_setpoint_kwh = stored_kwh - discharge_kw / eta_discharge - max(setpoint_kwh, floor_kwh)
            flexible_from_battery = min(flexible_left_kw, discharge_max_kw - discharge_kw,
                                        max(0.0, above_setpoint_kwh * eta_discharge))
        discharge_kw += flexible_from_battery

        # Step 5: leftover PV and generator power charge the battery; the rest
        # is curtailed, PV first (the charge controller backs off the array).
        pool_kw = surplus_kw + gen_excess_kw
        charge_kw = min(pool_kw, charge_max_kw)
        dumped_kw = pool_kw - charge_kw
        pv_dumped_kw = min(dumped_kw, surplus_kw)

        stored_kwh += charge_kw * eta_charge - discharge_kw / eta_discharge
        stored_kwh = min(max(stored_kwh, 0.0), ceiling_kwh)
        throughput_kwh += discharge_kw / eta_discharge

        # Step 6: batch work is shed before the always-on load.
        shed_forced_kw = min(unmet_total_kw, forced_kw)
        unmet_kw = unmet_total_kw - shed_forced_kw
        flexible_served = flexible_from_pv + flexible_from_gen + flexible_from_battery
        scheduler.end_hour(forced_kw - shed_forced_kw, flexible_served)

        if gen_on:
            starts += 0 if was_on else 1
            run_hours_left = generator.min_run_time_h - 1 if not was_on else max(0, run_hours_left - 1)
        else:
            run_hours_left = 0
        keep_charging = cycle_charging and gen_on and stored_kwh < setpoint_kwh - _TOLERANCE_KW
        was_on = gen_on

        out["pv_used_kw"][t] = pv_list[t] - pv_dumped_kw
        out["load_deferrable_kw"][t] = forced_kw - shed_forced_kw + flexible_served
        out["battery_charge_kw"][t] = charge_kw
        out["battery_discharge_kw"][t] = discharge_kw
        out["battery_loss_kw"][t] = charge_kw * (1.0 - eta_charge) + discharge_kw * (1.0 / eta_discharge - 1.0)
        out["soc"][t] = stored_kwh / nominal_kwh if nominal_kwh > 0.0 else 0.0
        out["generator_kw"][t] = gen_kw
        out["dumped_kw"][t] = dumped_kw
        out["unmet_kw"][t] = unmet_kw
        generator_on[t] = gen_on
        generator_units[t] = units

    out["fuel_l_per_h"] = np.where(generator_on, fuel_l_per_h(generator, out["generator_kw"],
                                                              np.maximum(generator_units, 1)), 0.0)
    # A running set at zero output (minimum load ratio 0) still burns its no-load fuel.
    idle = generator_on & (out["generator_kw"] <= 0.0)
    out["fuel_l_per_h"][idle] = generator.fuel_f0_l_per_h_per_kw * generator.rated_kw * generator_units[idle]

    out.update(
        pv_available_kw=pv,
        load_always_on_kw=load,
        soc_floor=soc_floor,
        generator_on=generator_on,
        generator_starts=starts,
        battery_throughput_kwh=throughput_kwh,
        initial_stored_kwh=initial_stored_kwh,
        job_reports=scheduler.reports(),
    )
    return out
