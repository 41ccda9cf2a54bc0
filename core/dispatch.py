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
from core.units import HOURS_PER_YEAR, MONTH_START_HOURS

logger = logging.getLogger(__name__)

STRATEGIES = ("load_following", "cycle_charging")


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


# --- many designs at once -------------------------------------------------


@dataclass
class DesignTotals:
    """Annual totals of one design, with the same names as the ``SimulationResult`` properties."""

    pv_energy_kwh: float
    load_kwh: float
    generator_kwh: float
    generator_hours: int
    generator_starts: int
    fuel_l: float
    unmet_kwh: float
    dumped_kwh: float
    deferrable_served_kwh: float
    deferrable_missed_kwh: float
    missed_windows: int
    battery_throughput_kwh: float

    @property
    def renewable_fraction(self) -> float:
        """Share of served load not supplied by the generator, as ``SimulationResult.renewable_fraction``."""
        served_kwh = self.load_kwh - self.unmet_kwh + self.deferrable_served_kwh
        if served_kwh <= 0.0:
            return 0.0
        return float(np.clip(1.0 - self.generator_kwh / served_kwh, 0.0, 1.0))


def totals_of(result: SimulationResult) -> DesignTotals:
    """Return the annual totals of a ``simulate_year`` result."""
    return DesignTotals(
        pv_energy_kwh=result.pv_energy_kwh,
        load_kwh=result.load_kwh,
        generator_kwh=result.generator_kwh,
        generator_hours=result.generator_hours,
        generator_starts=result.generator_starts,
        fuel_l=result.fuel_l,
        unmet_kwh=result.unmet_kwh,
        dumped_kwh=result.dumped_kwh,
        deferrable_served_kwh=result.deferrable_served_kwh,
        deferrable_missed_kwh=result.deferrable_missed_kwh,
        missed_windows=result.missed_windows,
        battery_throughput_kwh=result.battery_throughput_kwh,
    )


@dataclass
class ManyResult:
    """Annual totals of ``simulate_many``, one array element per candidate.

    Every field is an array of shape (n_candidates,) with the meaning and unit
    of the ``DesignTotals`` field of the same name.
    """

    pv_energy_kwh: np.ndarray
    load_kwh: np.ndarray
    generator_kwh: np.ndarray
    generator_hours: np.ndarray
    generator_starts: np.ndarray
    fuel_l: np.ndarray
    unmet_kwh: np.ndarray
    dumped_kwh: np.ndarray
    deferrable_served_kwh: np.ndarray
    deferrable_missed_kwh: np.ndarray
    missed_windows: np.ndarray
    battery_throughput_kwh: np.ndarray

    def __len__(self) -> int:
        return len(self.fuel_l)

    @property
    def renewable_fraction(self) -> np.ndarray:
        """Renewable fraction of every candidate, as ``DesignTotals.renewable_fraction``."""
        served_kwh = self.load_kwh - self.unmet_kwh + self.deferrable_served_kwh
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.clip(1.0 - self.generator_kwh / served_kwh, 0.0, 1.0)
        return np.where(served_kwh > 0.0, fraction, 0.0)

    def candidate(self, index: int) -> DesignTotals:
        """Return the totals of candidate ``index``."""
        return DesignTotals(
            pv_energy_kwh=float(self.pv_energy_kwh[index]),
            load_kwh=float(self.load_kwh[index]),
            generator_kwh=float(self.generator_kwh[index]),
            generator_hours=int(self.generator_hours[index]),
            generator_starts=int(self.generator_starts[index]),
            fuel_l=float(self.fuel_l[index]),
            unmet_kwh=float(self.unmet_kwh[index]),
            dumped_kwh=float(self.dumped_kwh[index]),
            deferrable_served_kwh=float(self.deferrable_served_kwh[index]),
            deferrable_missed_kwh=float(self.deferrable_missed_kwh[index]),
            missed_windows=int(self.missed_windows[index]),
            battery_throughput_kwh=float(self.battery_throughput_kwh[index]),
        )


# Battery fields that set the temperature derating. Every candidate of one
# simulate_many call must share them, so the hourly SOC floor is one number.
_SHARED_BATTERY_FIELDS = ("soc_min", "soc_max", "charge_temp_min_c", "discharge_temp_min_c")


def simulate_many(pv_kw_per_kwp, pv_kwp, always_on_kw, batteries: list[BatteryConfig],
                  generators: list[GeneratorConfig | None],
                  deferrable: list[DeferrableJob] | None = None, strategy: str = "load_following",
                  setpoint_soc: float = 0.8, battery_temp_c=None,
                  max_generator_loading: float = 0.8) -> ManyResult:
    """Simulate one year of hourly dispatch for many designs at once and return their annual totals.

    Candidate i has PV power ``pv_kw_per_kwp * pv_kwp[i]``, the battery
    ``batteries[i]`` and the generator ``generators[i]`` (None for none). The
    always-on load, batch jobs, battery temperature and dispatch settings are
    shared and mean what they mean in ``simulate_year``, whose rules this
    function applies to every candidate with numpy arrays of shape
    (n_candidates,), one loop over the 8760 hours. The totals equal those of
    ``simulate_year`` on each candidate up to floating-point summation order.

    The batteries may differ in every field except ``soc_min``, ``soc_max``
    and the two temperature limits, which must be equal. Rerun
    ``simulate_year`` on a chosen candidate for its hourly flows.
    """
    unit_pv = _hourly_array(pv_kw_per_kwp, "PV power per kWp")
    load = _hourly_array(always_on_kw, "Always-on load")
    if np.any(unit_pv < 0.0) or np.any(load < 0.0):
        raise InputError("PV power or always-on load", "negative values", "0 kW or more in every hour")
    kwp = np.atleast_1d(np.asarray(pv_kwp, dtype=float))
    count = len(kwp)
    if kwp.ndim != 1 or count == 0 or np.isnan(kwp).any() or np.any(kwp < 0.0):
        raise InputError("Candidates > PV size", pv_kwp, "one PV size of 0 kWp or more per candidate")
    if len(batteries) != count or len(generators) != count:
        raise InputError("Candidates > batteries and generators", (len(batteries), len(generators)),
                         f"one battery and one generator (or None) per PV size, {count} of each")
    for name in _SHARED_BATTERY_FIELDS:
        values = {getattr(battery, name) for battery in batteries}
        if len(values) > 1:
            raise InputError(f"Candidates > battery {name}", sorted(values),
                             "the same value for every candidate of one call")
    if strategy not in STRATEGIES:
        raise InputError("Dispatch strategy", strategy, '"load_following" or "cycle_charging"')
    if not 0.0 <= setpoint_soc <= 1.0:
        raise InputError("Dispatch > set-point SOC", setpoint_soc, "a fraction from 0 to 1")
    if not 0.0 < max_generator_loading <= 1.0:
        raise InputError("Dispatch > maximum generator loading for batch work", max_generator_loading,
                         "a fraction above 0 and at most 1")

    if battery_temp_c is None:
        battery_temp_c = DEFAULT_BATTERY_ROOM_TEMP_C
    temp_c = np.broadcast_to(np.asarray(battery_temp_c, dtype=float), (HOURS_PER_YEAR,))
    if np.isnan(temp_c).any():
        raise InputError("Battery temperature", "NaN values", "a temperature in degC for every hour")

    generators = [generator or GeneratorConfig(rated_kw=0.0, count=0) for generator in generators]
    result = _run_dispatch_many(unit_pv, kwp, load, batteries, generators, deferrable or [], strategy,
                                setpoint_soc, temp_c, max_generator_loading)
    logger.info("Simulated %d designs for one year", count)
    return result


def _attribute_array(items: list, name: str) -> np.ndarray:
    return np.array([float(getattr(item, name)) for item in items])


class _ManyJobScheduler:
    """``_JobScheduler`` for many candidates at once.

    The windows depend only on the hour, so window counters are shared, and
    the remaining, served and missed work are arrays of shape (n_candidates,).
    """

    def __init__(self, jobs: list[DeferrableJob], count: int):
        self.jobs = sorted(jobs, key=lambda job: job.priority)
        self.count = count
        self.remaining_kwh = [np.zeros(count) for _ in self.jobs]
        self.hours_left = [0] * len(self.jobs)
        self.windows = [0] * len(self.jobs)
        self.served_kwh = [np.zeros(count) for _ in self.jobs]
        self.missed_kwh = [np.zeros(count) for _ in self.jobs]
        self.missed_windows = [np.zeros(count, dtype=np.int64) for _ in self.jobs]
        self.forced_kw: list = [0.0] * len(self.jobs)
        self.flexible_kw: list = [0.0] * len(self.jobs)

        for i, job in enumerate(self.jobs):
            hours_since_start = (0 - job.window_start_h) % 24
            if 0 < hours_since_start < job.window_h:
                self._open(i, job.window_h - hours_since_start)

    def _open(self, i: int, hours: int) -> None:
        job = self.jobs[i]
        self.remaining_kwh[i] = np.full(self.count, job.energy_kwh_per_window * hours / job.window_h)
        self.hours_left[i] = hours
        self.windows[i] += 1

    def start_hour(self, hour_index: int):
        """Open windows that start now and return (forced kW, flexible kW) over all jobs.

        Each is an array of shape (n_candidates,), or 0.0 when no window is open.
        """
        hour_of_day = hour_index % 24
        forced_total = 0.0
        flexible_total = 0.0
        for i, job in enumerate(self.jobs):
            if hour_of_day == job.window_start_h:
                self._open(i, min(job.window_h, HOURS_PER_YEAR - hour_index))

            if self.hours_left[i] > 0:
                remaining = self.remaining_kwh[i]
                can_run_kw = np.minimum(remaining, job.power_kw)
                forced = remaining - job.power_kw * (self.hours_left[i] - 1)
                np.maximum(forced, 0.0, out=forced)
                np.minimum(forced, can_run_kw, out=forced)
                self.forced_kw[i] = forced
                self.flexible_kw[i] = can_run_kw - forced
                forced_total = forced_total + forced
                flexible_total = flexible_total + self.flexible_kw[i]
            else:
                self.forced_kw[i] = 0.0
                self.flexible_kw[i] = 0.0
        return forced_total, flexible_total

    def end_hour(self, forced_served_kw, flexible_served_kw) -> None:
        """Book the served work by priority and close windows whose deadline is now."""
        for i in range(len(self.jobs)):
            if self.hours_left[i] == 0:
                continue

            served = np.minimum(self.forced_kw[i], forced_served_kw)
            forced_served_kw = forced_served_kw - served
            extra = np.minimum(self.flexible_kw[i], flexible_served_kw)
            flexible_served_kw = flexible_served_kw - extra
            served += extra

            self.remaining_kwh[i] -= served
            self.served_kwh[i] += served
            self.hours_left[i] -= 1

            if self.hours_left[i] == 0:
                missed = self.remaining_kwh[i] > _TOLERANCE_KW
                self.missed_kwh[i] += np.where(missed, self.remaining_kwh[i], 0.0)
                self.missed_windows[i] += missed
                self.remaining_kwh[i] = np.zeros(self.count)

    def served_total_kwh(self) -> np.ndarray:
        return sum(self.served_kwh, np.zeros(self.count))

    def missed_total_kwh(self) -> np.ndarray:
        return sum(self.missed_kwh, np.zeros(self.count))

    def missed_windows_total(self) -> np.ndarray:
        return sum(self.missed_windows, np.zeros(self.count, dtype=np.int64))


def _run_dispatch_many(unit_pv: np.ndarray, kwp: np.ndarray, load: np.ndarray,
                       batteries: list[BatteryConfig], generators: list[GeneratorConfig],
                       jobs: list[DeferrableJob], strategy: str, setpoint_soc: float,
                       temp_c: np.ndarray, max_generator_loading: float) -> ManyResult:
    """Run the hourly loop of ``_run_dispatch`` on arrays of candidates and return the totals.

    Every step is written so that a candidate's numbers come out of the same
    floating-point operations, in the same order, as in ``_run_dispatch``.
    The min/max forms replace its if-branches where both give the same value
    (for example a negative headroom clipped to 0 kW).
    """
    count = len(kwp)
    nominal_kwh = _attribute_array(batteries, "nominal_kwh")
    max_charge_kw = _attribute_array(batteries, "max_charge_kw")
    max_discharge_kw = _attribute_array(batteries, "max_discharge_kw")
    eta_charge = np.array([battery.charge_efficiency for battery in batteries])
    eta_discharge = np.array([battery.discharge_efficiency for battery in batteries])
    ceiling_kwh = _attribute_array(batteries, "soc_max") * nominal_kwh
    setpoint_kwh = setpoint_soc * nominal_kwh

    # Shared by every candidate (checked by simulate_many), so one value per hour.
    reference = batteries[0]
    soc_floor = np.broadcast_to(reference.soc_floor(temp_c), (HOURS_PER_YEAR,)).tolist()
    charge_ok = np.broadcast_to(reference.charging_allowed(temp_c), (HOURS_PER_YEAR,)).tolist()
    discharge_ok = np.broadcast_to(reference.discharging_allowed(temp_c), (HOURS_PER_YEAR,)).tolist()

    rated_kw = _attribute_array(generators, "rated_kw")
    set_count = _attribute_array(generators, "count")
    min_load_ratio = _attribute_array(generators, "min_load_ratio")
    min_run_time_h = _attribute_array(generators, "min_run_time_h")
    available = rated_kw * set_count > 0.0
    # Only a design with several sets needs the units_needed rule, and only a
    # minimum run time above one hour needs the run-time counter.
    several_sets = bool(np.any(set_count[available] > 1))
    has_min_run = bool(np.any(min_run_time_h[available] > 1))
    rated_or_one_kw = np.where(rated_kw > 0.0, rated_kw, 1.0)

    cycle_charging = strategy == "cycle_charging"
    scheduler = _ManyJobScheduler(jobs, count)

    stored_kwh = _attribute_array(batteries, "initial_soc") * nominal_kwh
    was_on = np.zeros(count, dtype=bool)
    run_hours_left = np.zeros(count)
    keep_charging = np.zeros(count, dtype=bool)
    zeros = np.zeros(count)

    starts = np.zeros(count, dtype=np.int64)
    hours_on = np.zeros(count, dtype=np.int64)
    unit_hours = np.zeros(count)
    generator_kwh = np.zeros(count)
    unmet_kwh = np.zeros(count)
    dumped_kwh = np.zeros(count)
    throughput_kwh = np.zeros(count)

    unit_pv_list = unit_pv.tolist()
    load_list = load.tolist()

    for t in range(HOURS_PER_YEAR):
        forced_kw, flexible_left_kw = scheduler.start_hour(t)
        jobs_active = not isinstance(flexible_left_kw, float)

        # Step 1: PV serves the firm load, then the flexible batch work.
        pv_kw = kwp * unit_pv_list[t]
        firm_kw = load_list[t] + forced_kw
        pv_to_firm = np.minimum(pv_kw, firm_kw)
        deficit_kw = firm_kw - pv_to_firm
        surplus_kw = pv_kw - pv_to_firm

        if jobs_active:
            flexible_from_pv = np.minimum(flexible_left_kw, surplus_kw)
            surplus_kw -= flexible_from_pv
            flexible_left_kw = flexible_left_kw - flexible_from_pv
        else:
            flexible_from_pv = 0.0

        # Step 2: battery power limits. A stored energy at or below the floor
        # (or at or above the ceiling) gives a limit of 0 kW or less, which the
        # maximum with 0 turns into the 0 kW of the reference's if-branch.
        floor_kwh = soc_floor[t] * nominal_kwh
        if discharge_ok[t]:
            discharge_max_kw = np.minimum(max_discharge_kw, (stored_kwh - floor_kwh) * eta_discharge)
            np.maximum(discharge_max_kw, 0.0, out=discharge_max_kw)
        else:
            discharge_max_kw = zeros
        if charge_ok[t]:
            charge_max_kw = np.minimum(max_charge_kw, (ceiling_kwh - stored_kwh) / eta_charge)
            np.maximum(charge_max_kw, 0.0, out=charge_max_kw)
        else:
            charge_max_kw = zeros

        # Step 3: the generator rules. Off candidates get units = 0 and so a
        # running power of 0 kW, which caps every generator flow at 0 kW.
        gen_on = deficit_kw > discharge_max_kw + _TOLERANCE_KW
        if has_min_run:
            gen_on |= run_hours_left > 0
        if cycle_charging:
            gen_on |= keep_charging & (charge_max_kw > 0.0)
        gen_on &= available

        if several_sets:
            units = np.ceil(deficit_kw / rated_or_one_kw - 1e-12)
            np.maximum(units, 1.0, out=units)
            np.minimum(units, set_count, out=units)
            units[~gen_on] = 0.0
        else:
            units = gen_on.astype(float)
        running_kw = units * rated_kw
        min_output_kw = min_load_ratio * running_kw

        headroom_kw = max_generator_loading * running_kw - deficit_kw
        np.maximum(headroom_kw, 0.0, out=headroom_kw)
        if jobs_active:
            flexible_from_gen = np.minimum(flexible_left_kw, headroom_kw)
            flexible_left_kw = flexible_left_kw - flexible_from_gen
        else:
            flexible_from_gen = 0.0

        target_kw = deficit_kw + flexible_from_gen
        if cycle_charging:
            target_kw = target_kw + np.maximum(charge_max_kw - surplus_kw, 0.0)
        gen_kw = np.minimum(np.maximum(target_kw, min_output_kw), running_kw)

        shortfall_kw = np.maximum(deficit_kw - gen_kw, 0.0)
        gen_excess_kw = np.maximum(gen_kw - deficit_kw - flexible_from_gen, 0.0)

        # Step 4: the battery covers what the generator and PV could not, and
        # runs flexible batch work only while the generator is off.
        discharge_kw = np.minimum(shortfall_kw, discharge_max_kw)
        unmet_total_kw = shortfall_kw - discharge_kw

        if jobs_active:
            above_setpoint_kwh = (stored_kwh - discharge_kw / eta_discharge
                                  - np.maximum(setpoint_kwh, floor_kwh))
            flexible_from_battery = np.minimum(
                np.minimum(flexible_left_kw, discharge_max_kw - discharge_kw),
                np.maximum(above_setpoint_kwh * eta_discharge, 0.0))
            flexible_from_battery[gen_on] = 0.0
            discharge_kw += flexible_from_battery
        else:
            flexible_from_battery = 0.0

        # Step 5: leftover PV and generator power charge the battery.
        pool_kw = surplus_kw + gen_excess_kw
        charge_kw = np.minimum(pool_kw, charge_max_kw)
        drawn_kwh = discharge_kw / eta_discharge
        stored_kwh = stored_kwh + (charge_kw * eta_charge - drawn_kwh)
        np.maximum(stored_kwh, 0.0, out=stored_kwh)
        np.minimum(stored_kwh, ceiling_kwh, out=stored_kwh)
        throughput_kwh += drawn_kwh

        # Step 6: batch work is shed before the always-on load.
        if jobs_active:
            shed_forced_kw = np.minimum(unmet_total_kw, forced_kw)
            unmet_kwh += unmet_total_kw - shed_forced_kw
            flexible_served = flexible_from_pv + flexible_from_gen + flexible_from_battery
            scheduler.end_hour(forced_kw - shed_forced_kw, flexible_served)
        else:
            unmet_kwh += unmet_total_kw

        dumped_kwh += pool_kw - charge_kw
        generator_kwh += gen_kw
        unit_hours += units
        hours_on += gen_on
        starts += gen_on & ~was_on
        if has_min_run:
            counting_down = np.maximum(run_hours_left - 1.0, 0.0)
            run_hours_left = np.where(gen_on, np.where(was_on, counting_down, min_run_time_h - 1.0), 0.0)
        if cycle_charging:
            keep_charging = gen_on & (stored_kwh < setpoint_kwh - _TOLERANCE_KW)
        was_on = gen_on

    fuel_l = (_attribute_array(generators, "fuel_f0_l_per_h_per_kw") * rated_kw * unit_hours
              + _attribute_array(generators, "fuel_f1_l_per_h_per_kw") * generator_kwh)
    return ManyResult(
        pv_energy_kwh=kwp * unit_pv.sum(),
        load_kwh=np.full(count, load.sum()),
        generator_kwh=generator_kwh,
        generator_hours=hours_on,
        generator_starts=starts,
        fuel_l=fuel_l,
        unmet_kwh=unmet_kwh,
        dumped_kwh=dumped_kwh,
        deferrable_served_kwh=scheduler.served_total_kwh(),
        deferrable_missed_kwh=scheduler.missed_total_kwh(),
        missed_windows=scheduler.missed_windows_total(),
        battery_throughput_kwh=throughput_kwh,
    )
