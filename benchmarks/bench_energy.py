"""Time the energy engine: weather import, PV year, one dispatch year and 1,000 designs.

The 1,000 designs run through ``simulate_many``, one hourly loop over all
designs. The loop over ``simulate_year`` runs on the first
``LOOP_DESIGN_COUNT`` of them, for comparison and to check that both agree.

Run from the repository root:

    /work/venv/bin/python benchmarks/bench_energy.py

Prints the figures and the machine; it is not a test and asserts nothing.
NREL PVWatts v8 (PySAM) runs on the same weather year for scale when it is
installed. Record new figures in docs/benchmarks.md.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pvlib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.battery import BatteryConfig  # noqa: E402
from core.catalog.db import open_catalog  # noqa: E402
from core.dispatch import simulate_many, simulate_year, totals_of  # noqa: E402
from core.generator import GeneratorConfig  # noqa: E402
from core.plan import make_plan  # noqa: E402
from core.project import load_project  # noqa: E402
from core.pv import PVArrayConfig, pv_output_kw_per_kwp  # noqa: E402
from core.weather import bundled_weather_path, read_weather  # noqa: E402
from resources import EXAMPLES_DIR  # noqa: E402

DESIGN_COUNT = 1000
LOOP_DESIGN_COUNT = 50
MANY_REPEATS = 3
WEATHER_REPEATS = 5
PV_REPEATS = 5


def cpu_model() -> str:
    """Return the first "model name" of /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def best_of(repeats: int, function, *args, **kwargs) -> float:
    """Return the fastest of ``repeats`` wall-clock timings of ``function`` [s]."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args, **kwargs)
        timings.append(time.perf_counter() - start)
    return min(timings)


def time_pvwatts(weather, tilt_deg: float, work_dir: Path) -> float | None:
    """Return the PVWatts v8 execute() time on ``weather`` [s], or None without PySAM."""
    try:
        import PySAM.Pvwattsv8 as pvwattsv8
    except ImportError:
        return None

    sam_csv = work_dir / "weather_sam.csv"
    lines = ["Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation",
             f"TMY3,0,bench,,,{weather.latitude_deg},{weather.longitude_deg},{weather.utc_offset_h},"
             f"{weather.elevation_m}",
             "Year,Month,Day,Hour,GHI,DNI,DHI,Temperature,Wind Speed"]
    for i, ts in enumerate(weather.time_index):
        lines.append(f"{ts.year},{ts.month},{ts.day},{ts.hour},{weather.ghi_w_m2[i]},{weather.dni_w_m2[i]},"
                     f"{weather.dhi_w_m2[i]},{weather.temp_air_c[i]},{weather.wind_speed_m_s[i]}")
    sam_csv.write_text("\n".join(lines) + "\n")

    def run():
        model = pvwattsv8.default("PVWattsNone")
        model.SolarResource.solar_resource_file = str(sam_csv)
        model.SystemDesign.assign(dict(system_capacity=1.0, dc_ac_ratio=1.0, losses=14.08, inv_eff=96,
                                       array_type=0, tilt=tilt_deg, azimuth=180, gcr=0.4, module_type=0))
        model.execute()

    return best_of(PV_REPEATS, run)


def main() -> None:
    logging.disable(logging.INFO)
    print(f"CPU: {cpu_model()}, {os.cpu_count()} logical cores")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, pvlib {pvlib.__version__}")

    weather_path = bundled_weather_path("703165TY.csv")
    read_s = best_of(WEATHER_REPEATS, read_weather, weather_path)
    print(f"Read weather file (Sand Point TMY3, best of {WEATHER_REPEATS}): {read_s * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        engine = open_catalog(work_dir / "catalog.sqlite")
        project = load_project(EXAMPLES_DIR / "sand_point_alaska.json")
        start = time.perf_counter()
        plan = make_plan(project, engine)
        print(f"Whole plan of the Sand Point example (make_plan): {time.perf_counter() - start:.2f} s")

        weather = plan.weather
        config = PVArrayConfig(tilt_deg=project.site.pv_tilt_deg, azimuth_deg=project.site.pv_azimuth_deg)
        pv_s = best_of(PV_REPEATS, pv_output_kw_per_kwp, weather, config)
        print(f"PV year (pv_output_kw_per_kwp, best of {PV_REPEATS}): {pv_s * 1000:.1f} ms")

        pvwatts_s = time_pvwatts(weather, config.tilt_deg, work_dir)
        if pvwatts_s is None:
            print("NREL PVWatts v8: PySAM not installed, skipped")
        else:
            print(f"NREL PVWatts v8 year (execute, best of {PV_REPEATS}): {pvwatts_s * 1000:.1f} ms; "
                  f"ours / PVWatts = {pv_s / pvwatts_s:.2f}")

    best_simulation = plan.candidates[0].simulation
    bank = plan.battery_bank
    module = bank.module
    targets = project.targets
    def battery_for(nominal_kwh: float) -> BatteryConfig:
        scale = nominal_kwh / bank.nominal_kwh
        return BatteryConfig(
            nominal_kwh=nominal_kwh,
            max_charge_kw=bank.max_charge_kw * scale,
            max_discharge_kw=min(bank.max_discharge_kw * scale, plan.inverter.continuous_w / 1000.0),
            soc_min=targets.battery_soc_min,
            soc_max=module.soc_max or 1.0,
            round_trip_efficiency=module.round_trip_efficiency,
            initial_soc=module.soc_max or 1.0,
            charge_temp_min_c=module.charge_temp_min_c,
        )

    unit = plan.generator.unit
    generator = GeneratorConfig(
        rated_kw=unit.prime_kw * plan.generator.derate_factor,
        fuel_f0_l_per_h_per_kw=unit.fuel_f0_l_per_h_per_kw,
        fuel_f1_l_per_h_per_kw=unit.fuel_f1_l_per_h_per_kw,
        min_load_ratio=max(targets.generator_min_load_ratio, unit.min_load_ratio or 0.0),
        count=plan.generator.count,
    )
    kwargs = {"strategy": targets.dispatch_strategy, "battery_temp_c": best_simulation.battery_temp_c,
              "max_generator_loading": targets.generator_target_loading}
    always_on_kw = plan.load.always_on_kw
    jobs = plan.load.deferrable_jobs

    pv_kw = plan.pv_kw_per_kwp * plan.pv_array.kwp
    one_s = best_of(3, simulate_year, pv_kw, always_on_kw, battery_for(bank.nominal_kwh), generator,
                    deferrable=jobs, **kwargs)
    print(f"One design year (simulate_year, best of 3): {one_s * 1000:.1f} ms")

    rng = np.random.default_rng(0)
    pv_factors = rng.uniform(0.5, 1.5, DESIGN_COUNT)
    battery_factors = rng.uniform(0.5, 1.5, DESIGN_COUNT)
    batteries = [battery_for(bank.nominal_kwh * factor) for factor in battery_factors]
    generators = [generator] * DESIGN_COUNT
    pv_kwp = plan.pv_array.kwp * pv_factors

    start = time.perf_counter()
    loop_totals = [totals_of(simulate_year(plan.pv_kw_per_kwp * pv_kwp[i], always_on_kw, batteries[i],
                                           generator, deferrable=jobs, **kwargs))
                   for i in range(LOOP_DESIGN_COUNT)]
    loop_s = time.perf_counter() - start
    print(f"{LOOP_DESIGN_COUNT} designs (loop over simulate_year, one process): {loop_s:.2f} s, "
          f"{loop_s / LOOP_DESIGN_COUNT * 1000:.1f} ms per design, "
          f"{loop_s / LOOP_DESIGN_COUNT * DESIGN_COUNT:.0f} s for {DESIGN_COUNT} by extrapolation")

    many_s = best_of(MANY_REPEATS, simulate_many, plan.pv_kw_per_kwp, pv_kwp, always_on_kw, batteries,
                     generators, deferrable=jobs, **kwargs)
    print(f"{DESIGN_COUNT} designs (simulate_many, one process, best of {MANY_REPEATS}): {many_s:.2f} s "
          f"(goal: under 2 s on 2 cores)")

    many = simulate_many(plan.pv_kw_per_kwp, pv_kwp, always_on_kw, batteries, generators, deferrable=jobs,
                         **kwargs)
    worst = 0.0
    for i, expected in enumerate(loop_totals):
        got = many.candidate(i)
        for name in ("fuel_l", "generator_kwh", "unmet_kwh", "dumped_kwh", "battery_throughput_kwh",
                     "deferrable_served_kwh"):
            reference = getattr(expected, name)
            worst = max(worst, abs(getattr(got, name) - reference) / max(abs(reference), 1e-3))
    print(f"Largest relative difference, simulate_many against simulate_year "
          f"({LOOP_DESIGN_COUNT} designs): {worst:.1e}")
    print(f"Search inside make_plan: {len(plan.candidates)} designs")
    print(f"Design: PV {plan.pv_array.kwp:.1f} kWp, battery {bank.nominal_kwh:.1f} kWh, "
          f"{len(jobs)} batch jobs, strategy {targets.dispatch_strategy}")


if __name__ == "__main__":
    main()
