"""Hourly load of the site for one year: always-on loads and deferrable batch jobs.

Every series has shape (8760,), hourly, local standard time, each value labelled
by the start of its hour, in kW.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.dispatch import DeferrableJob
from core.hardware import WorkloadChoice
from core.units import DAYS_PER_MONTH, HOURS_PER_YEAR, MONTH_OF_HOUR



@dataclass
class LoadProfile:
    """The site's load for one year.

    Attributes
    ----------
    always_on_kw : shape (8760,) [kW]
        IT load that is never shed, its cooling, and the site auxiliary load.
    it_kw_by_workload : dict of name -> shape (8760,) [kW]
        Always-on wall power of each workload's servers.
    cooling_kw : shape (8760,) [kW]
        Cooling power for the always-on IT heat.
    auxiliary_kw : shape (8760,) [kW]
        Networking, lighting, monitoring and other site loads.
    deferrable_jobs : list of DeferrableJob
        Batch work that the dispatcher places in solar surplus or generator hours.
    """

    always_on_kw: np.ndarray
    it_kw_by_workload: dict[str, np.ndarray]
    cooling_kw: np.ndarray
    auxiliary_kw: np.ndarray
    deferrable_jobs: list[DeferrableJob] = field(default_factory=list)

    @property
    def deferrable_kwh_per_day(self) -> float:
        return sum(job.energy_kwh_per_window for job in self.deferrable_jobs)

    @property
    def daily_load_kwh(self) -> float:
        """Mean daily energy, always-on plus the batch jobs [kWh/day]."""
        return float(self.always_on_kw.sum()) / 365.0 + self.deferrable_kwh_per_day

    def daily_load_kwh_by_month(self) -> np.ndarray:
        """Return the mean daily energy of each month [kWh/day], shape (12,)."""
        monthly_kwh = np.bincount(MONTH_OF_HOUR, weights=self.always_on_kw, minlength=12)
        return monthly_kwh / DAYS_PER_MONTH + self.deferrable_kwh_per_day

    def typical_day_kw_by_workload(self) -> dict[str, np.ndarray]:
        """Return each workload's IT draw over the first day [kW], shape (24,), with batch runs.

        Shows the hybrid pattern: an always-on edge box draws all day, and a
        batch server sits at standby until its job runs. The job is drawn from
        the opening of its window, the earliest the dispatcher may place it; the
        simulation may move it to solar-surplus or generator hours. The job's
        power includes the cooling share added in :func:`build_load_profile`.
        """
        day_kw = {name: series[:24].copy() for name, series in self.it_kw_by_workload.items()}
        for job in self.deferrable_jobs:
            profile = day_kw.setdefault(job.name, np.zeros(24))
            run_hours = job.energy_kwh_per_window / job.power_kw if job.power_kw > 0 else 0.0
            for offset in range(math.ceil(run_hours)):
                share = min(1.0, run_hours - offset)
                profile[(job.window_start_h + offset) % 24] += job.power_kw * share
        return day_kw

    @property
    def peak_always_on_kw(self) -> float:
        return float(self.always_on_kw.max())

    @property
    def peak_load_kw(self) -> float:
        """Peak of the always-on load plus every batch job drawing at once [kW]."""
        return self.peak_always_on_kw + sum(job.power_kw for job in self.deferrable_jobs)


def build_load_profile(
    choices: list[WorkloadChoice],
    temp_air_c: np.ndarray,
    site_auxiliary_w: float,
    cooling_cop: float,
    free_cooling_below_c: float,
) -> LoadProfile:
    """Turn the chosen hardware and its daily schedules into hourly loads for the year.

    Cooling: above ``free_cooling_below_c`` the IT heat is removed by a
    compressor at ``cooling_cop``; below it, filtered outside air does the work
    and its fan power is counted in the auxiliary load.
    """
    it_by_workload: dict[str, np.ndarray] = {}
    jobs: list[DeferrableJob] = []
    days = HOURS_PER_YEAR // 24
    hot_hours = temp_air_c >= free_cooling_below_c
    hot_fraction = float(np.mean(hot_hours))

    for choice in choices:
        option = choice.chosen
        if option is None or option.servers is None:
            continue
        group = option.servers
        workload = choice.workload
        if workload.kind == "batch":
            # Off between runs, woken for each run: standby all day, the rest is deferrable.
            active_w = float(group.wall_power_w(1.0))
            daily_w = np.full(24, group.standby_w)
            job_power_kw = (active_w - group.standby_w) / 1000.0
            # Cooling of the batch heat, at the share of hours that need the compressor.
            job_power_kw *= 1.0 + hot_fraction / cooling_cop
            jobs.append(DeferrableJob(
                name=workload.name,
                energy_kwh_per_window=job_power_kw * choice.batch_run_hours,
                power_kw=job_power_kw,
                window_start_h=workload.batch.window_start_h,
                deadline_h=workload.batch.deadline_h,
            ))
        else:
            daily_w = np.asarray(group.wall_power_w(choice.daily_utilization, choice.model_loaded),
                                 dtype=float)
        it_by_workload[workload.name] = np.tile(daily_w, days) / 1000.0

    it_total_kw = np.zeros(HOURS_PER_YEAR)
    for series in it_by_workload.values():
        it_total_kw += series
    cooling_kw = np.where(hot_hours, it_total_kw / cooling_cop, 0.0)
    auxiliary_kw = np.full(HOURS_PER_YEAR, site_auxiliary_w / 1000.0)
    always_on_kw = it_total_kw + cooling_kw + auxiliary_kw
    return LoadProfile(
        always_on_kw=always_on_kw,
        it_kw_by_workload=it_by_workload,
        cooling_kw=cooling_kw,
        auxiliary_kw=auxiliary_kw,
        deferrable_jobs=jobs,
    )
