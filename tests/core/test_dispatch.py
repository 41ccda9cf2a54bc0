"""Hourly dispatch: energy balance, SOC window, generator rules and batch jobs."""

import time

import numpy as np
import pytest

from core.battery import BatteryConfig, temperature_capacity_factor
from core.dispatch import DeferrableJob, simulate_year
from core.errors import InputError
from core.generator import GeneratorConfig, fuel_l_per_h
from core.pv import PVArrayConfig, pv_output_kw_per_kwp
from core.weather import bundled_weather_path, read_weather

HOURS = 8760


@pytest.fixture(scope="module")
def sand_point():
    return read_weather(bundled_weather_path("703165TY.csv"))


@pytest.fixture(scope="module")
def sand_point_pv_kw_per_kwp(sand_point):
    return pv_output_kw_per_kwp(sand_point, PVArrayConfig(tilt_deg=50))


def server_load_kw():
    """A 0.6 kW server with a 0.2 kW evening cooling bump, shape (8760,) [kW]."""
    load = np.full(HOURS, 0.6)
    hour_of_day = np.arange(HOURS) % 24
    load[(hour_of_day >= 17) & (hour_of_day < 22)] += 0.2
    return load


def assert_energy_conserved(result, battery):
    """Check the bus balance and the battery's stored energy in every hour."""
    sources = result.pv_available_kw + result.generator_kw + result.battery_discharge_kw + result.unmet_kw
    sinks = (result.load_always_on_kw + result.load_deferrable_kw + result.battery_charge_kw
             + result.dumped_kw)
    scale = np.maximum(sources, 1e-3)
    assert np.max(np.abs(sources - sinks) / scale) <= 1e-9

    stored_kwh = np.concatenate(([result.initial_stored_kwh], result.soc * battery.nominal_kwh))
    stored_change = np.diff(stored_kwh)
    expected_change = (result.battery_charge_kw * battery.charge_efficiency
                       - result.battery_discharge_kw / battery.discharge_efficiency)
    assert np.max(np.abs(stored_change - expected_change)) <= 1e-9 * battery.nominal_kwh
    losses = result.battery_charge_kw - result.battery_discharge_kw - stored_change
    assert np.allclose(losses, result.battery_loss_kw, rtol=0.0, atol=1e-9 * battery.nominal_kwh)
    assert np.all(result.battery_loss_kw >= -1e-12)


def assert_soc_window(result, battery):
    """Check the SOC window and the temperature-derated floor in every hour."""
    tolerance = 1e-9
    assert np.all(result.soc >= battery.soc_min - tolerance)
    assert np.all(result.soc <= battery.soc_max + tolerance)

    discharging = result.battery_discharge_kw > 0.0
    assert np.all(result.soc[discharging] >= result.soc_floor[discharging] - tolerance)

    too_cold_to_charge = result.battery_temp_c < battery.charge_temp_min_c
    assert np.all(result.battery_charge_kw[too_cold_to_charge] == 0.0)


@pytest.mark.parametrize("strategy", ["load_following", "cycle_charging"])
def test_year_conserves_energy_in_conditioned_room(sand_point_pv_kw_per_kwp, strategy):
    battery = BatteryConfig(nominal_kwh=20.0, max_charge_kw=4.0, max_discharge_kw=4.0)
    generator = GeneratorConfig(rated_kw=2.0)
    jobs = [DeferrableJob("nightly eval", 3.0, 1.0, window_start_h=20, deadline_h=6)]

    result = simulate_year(4.0 * sand_point_pv_kw_per_kwp, server_load_kw(), battery, generator,
                           deferrable=jobs, strategy=strategy)

    assert_energy_conserved(result, battery)
    assert_soc_window(result, battery)
    assert result.unmet_kwh == 0.0


@pytest.mark.parametrize("strategy", ["load_following", "cycle_charging"])
def test_year_conserves_energy_in_cold_enclosure(sand_point, sand_point_pv_kw_per_kwp, strategy):
    # Unconditioned enclosure at Sand Point ambient (-10.6 to 19.4 degC):
    # capacity derating and the +5 degC charge block are active.
    battery = BatteryConfig(nominal_kwh=15.0, max_charge_kw=3.0, max_discharge_kw=3.0)
    generator = GeneratorConfig(rated_kw=2.0, min_run_time_h=2)
    jobs = [DeferrableJob("daytime batch", 2.0, 0.5, window_start_h=9, deadline_h=17, priority=2),
            DeferrableJob("nightly eval", 3.0, 1.0, window_start_h=20, deadline_h=6, priority=1)]

    result = simulate_year(4.0 * sand_point_pv_kw_per_kwp, server_load_kw(), battery, generator,
                           deferrable=jobs, strategy=strategy, battery_temp_c=sand_point.temp_air_c)

    assert_energy_conserved(result, battery)
    assert_soc_window(result, battery)
    assert np.any(result.battery_temp_c < battery.charge_temp_min_c)
    assert np.any(result.soc_floor > battery.soc_min)


def test_year_without_generator_reports_unmet(sand_point_pv_kw_per_kwp):
    battery = BatteryConfig(nominal_kwh=5.0, max_charge_kw=2.0, max_discharge_kw=2.0)
    jobs = [DeferrableJob("nightly eval", 2.0, 1.0, window_start_h=22, deadline_h=4)]

    result = simulate_year(1.0 * sand_point_pv_kw_per_kwp, server_load_kw(), battery, None, deferrable=jobs)

    assert_energy_conserved(result, battery)
    assert_soc_window(result, battery)
    assert result.unmet_kwh > 0.0
    assert result.generator_kwh == 0.0
    # Batch work is shed before the always-on load.
    assert result.deferrable_missed_kwh > 0.0
    assert np.all(result.load_deferrable_kw[result.unmet_kw > 0.0] == 0.0)


def test_year_runs_fast(sand_point_pv_kw_per_kwp):
    battery = BatteryConfig(nominal_kwh=20.0, max_charge_kw=4.0, max_discharge_kw=4.0)
    jobs = [DeferrableJob("nightly eval", 3.0, 1.0, window_start_h=20, deadline_h=6)]

    start = time.perf_counter()
    simulate_year(4.0 * sand_point_pv_kw_per_kwp, server_load_kw(), battery, GeneratorConfig(2.0), deferrable=jobs)
    elapsed_s = time.perf_counter() - start

    assert elapsed_s < 0.3


def test_generator_fuel_matches_homer_example():
    # HOMER Pro documentation, "Generator fuel curve intercept coefficient":
    # a 50 kW set burns 8.48 L/h at 25 kW and 15.3 L/h at 50 kW, so
    # 0.033 x 50 + 0.273 x 25 = 8.475 and 0.033 x 50 + 0.273 x 50 = 15.3.
    generator = GeneratorConfig(rated_kw=50.0)

    assert fuel_l_per_h(generator, 25.0) == pytest.approx(8.475, abs=1e-9)
    assert fuel_l_per_h(generator, 50.0) == pytest.approx(15.3, abs=1e-9)
    assert fuel_l_per_h(generator, 0.0) == 0.0
    np.testing.assert_allclose(fuel_l_per_h(generator, np.array([0.0, 25.0, 50.0])), [0.0, 8.475, 15.3])


def test_generator_respects_min_load_and_run_time():
    battery = BatteryConfig(nominal_kwh=2.0, max_charge_kw=1.0, max_discharge_kw=1.0)
    generator = GeneratorConfig(rated_kw=5.0, min_load_ratio=0.3, min_run_time_h=3)
    load = np.zeros(HOURS)
    load[100::48] = 3.0  # a 3 kW spike every other day, no PV

    result = simulate_year(np.zeros(HOURS), load, battery, generator)

    on = result.generator_on
    assert np.all(result.generator_kw[on] >= 0.3 * 5.0 - 1e-12)
    assert np.all(result.generator_kw[on] <= 5.0 + 1e-12)
    starts = np.flatnonzero(on & ~np.concatenate(([False], on[:-1])))
    assert len(starts) == result.generator_starts
    for start in starts:
        assert np.all(on[start:start + 3])
    expected_fuel = fuel_l_per_h(generator, result.generator_kw)
    np.testing.assert_allclose(result.fuel_l_per_h, expected_fuel)
    assert_energy_conserved(result, battery)


def test_cycle_charging_reaches_setpoint():
    battery = BatteryConfig(nominal_kwh=10.0, max_charge_kw=2.0, max_discharge_kw=2.0, initial_soc=0.1)
    generator = GeneratorConfig(rated_kw=3.0)
    load = np.full(HOURS, 1.0)

    result = simulate_year(np.zeros(HOURS), load, battery, generator, strategy="cycle_charging", setpoint_soc=0.8)

    on = result.generator_on
    stops = np.flatnonzero(on[:-1] & ~on[1:])
    assert len(stops) > 0
    # Each run ends in the hour the SOC reaches the set point.
    assert np.all(result.soc[stops] >= 0.8 - 1e-9)
    assert result.unmet_kwh == 0.0
    assert_energy_conserved(result, battery)


def test_deferrable_job_runs_in_solar_surplus():
    hour_of_day = np.arange(HOURS) % 24
    pv = np.where((hour_of_day >= 8) & (hour_of_day < 16), 5.0, 0.0)
    load = np.full(HOURS, 0.5)
    # Starting and waking below the 0.8 set point, so the battery never runs the job.
    battery = BatteryConfig(nominal_kwh=20.0, max_charge_kw=5.0, max_discharge_kw=5.0, initial_soc=0.5)
    job = DeferrableJob("daytime fine-tune", energy_kwh_per_window=4.0, power_kw=2.0, window_start_h=6, deadline_h=20)

    result = simulate_year(pv, load, battery, GeneratorConfig(rated_kw=2.0), deferrable=[job])

    running = result.load_deferrable_kw > 0.0
    assert result.deferrable_missed_kwh == 0.0
    assert result.missed_windows == 0
    assert result.deferrable_served_kwh == pytest.approx(365 * 4.0)
    assert np.all(pv[running] >= load[running] + result.load_deferrable_kw[running])
    assert np.all(hour_of_day[running] >= 8)
    assert np.all(result.battery_discharge_kw[running] == 0.0)
    assert result.generator_kwh == 0.0
    assert result.job_reports[0].windows == 365


def test_deferrable_job_reported_missed():
    pv = np.zeros(HOURS)
    load = np.full(HOURS, 0.5)
    battery = BatteryConfig(nominal_kwh=20.0, max_charge_kw=5.0, max_discharge_kw=5.0)
    # 10 kWh at most 1 kW in a 4-hour window: 6 kWh of each window cannot fit.
    job = DeferrableJob("too big", energy_kwh_per_window=10.0, power_kw=1.0, window_start_h=8, deadline_h=12)

    result = simulate_year(pv, load, battery, GeneratorConfig(rated_kw=3.0), deferrable=[job])

    report = result.job_reports[0]
    assert report.windows == 365
    assert report.missed_windows == 365
    assert report.missed_kwh == pytest.approx(365 * 6.0)
    assert report.served_kwh == pytest.approx(365 * 4.0)
    assert result.missed_windows == 365
    assert result.unmet_kwh == 0.0


def test_overnight_job_wraps_year_end():
    battery = BatteryConfig(nominal_kwh=50.0, max_charge_kw=10.0, max_discharge_kw=10.0)
    job = DeferrableJob("overnight", energy_kwh_per_window=5.0, power_kw=1.0, window_start_h=20, deadline_h=6)

    result = simulate_year(np.zeros(HOURS), np.zeros(HOURS), battery, GeneratorConfig(rated_kw=5.0),
                           deferrable=[job])

    # 364 whole windows plus the part before 1 January 06:00 and the part
    # after 31 December 20:00, which together make one window.
    assert result.job_reports[0].windows == 366
    assert result.deferrable_served_kwh == pytest.approx(365 * 5.0)
    assert result.deferrable_missed_kwh == 0.0


def test_monthly_energy_sums_to_totals(sand_point_pv_kw_per_kwp):
    battery = BatteryConfig(nominal_kwh=20.0, max_charge_kw=4.0, max_discharge_kw=4.0)

    result = simulate_year(4.0 * sand_point_pv_kw_per_kwp, server_load_kw(), battery, GeneratorConfig(2.0))
    monthly = result.monthly_energy()

    assert monthly["generator_kwh"].shape == (12,)
    assert monthly["generator_kwh"].sum() == pytest.approx(result.generator_kwh)
    assert monthly["load_kwh"].sum() == pytest.approx(result.load_kwh)
    assert monthly["dumped_kwh"].sum() == pytest.approx(result.dumped_kwh)
    assert monthly["load_kwh"][0] == pytest.approx(server_load_kw()[:31 * 24].sum())
    assert 0.0 <= result.renewable_fraction <= 1.0


def test_battery_capacity_factor_victron_points():
    assert temperature_capacity_factor(25.0) == 1.0
    assert temperature_capacity_factor(40.0) == 1.0
    assert temperature_capacity_factor(0.0) == pytest.approx(0.80)
    assert temperature_capacity_factor(-20.0) == pytest.approx(0.50)
    assert temperature_capacity_factor(-10.0) == pytest.approx(0.65)
    battery = BatteryConfig(nominal_kwh=10.0, max_charge_kw=5.0, max_discharge_kw=5.0)
    assert battery.usable_kwh == pytest.approx(9.0)
    assert battery.charge_efficiency * battery.discharge_efficiency == pytest.approx(0.92)


def test_simulate_year_rejects_short_series():
    battery = BatteryConfig(nominal_kwh=10.0, max_charge_kw=5.0, max_discharge_kw=5.0)

    with pytest.raises(InputError, match="8760"):
        simulate_year(np.zeros(8784), np.zeros(HOURS), battery, None)
