"""Server power at the wall, and the hybrid edge-plus-batch load profile."""

import numpy as np
import pytest

from core.hardware import STANDBY_W_SERVER, choose_hardware
from core.loadprofile import build_load_profile
from core.power import AcceleratorPower, ServerPowerModel, psu_efficiency
from core.project import BatchSpec, Schedule, VisionSpec, Workload
from core.units import HOURS_PER_YEAR


def test_psu_efficiency_interpolates_80_plus_points():
    # Titanium 230 V redundant: 94 % at 20 %, 96 % at 50 % load; at 30 %:
    # 0.94 + (0.30 - 0.20) / 0.30 x 0.02 = 0.9467.
    assert psu_efficiency("titanium", 0.30) == pytest.approx(0.94667, abs=1e-4)
    assert psu_efficiency("platinum", 1.0) == pytest.approx(0.91)


def test_wall_power_uses_efficiency_at_actual_load():
    # 2 x 350 W cards at full load + 600 W platform = 1300 W DC, shared by
    # 2 x 2000 W supplies: 32.5 % load each, Titanium 0.94 + 0.125 / 0.3 x
    # 0.02 = 0.9483, so 1300 / 0.9483 = 1370.8 W at the wall.
    model = ServerPowerModel(AcceleratorPower(55, 105, 350), 2, 250, 600, 2000, 2, "titanium")
    assert model.dc_power_w(1.0) == pytest.approx(1300)
    assert model.wall_power_w(1.0) == pytest.approx(1300 / (0.94 + 0.125 / 0.3 * 0.02))


def test_power_cap_lowers_active_draw():
    # A 250 W cap on a 350 W card: 2 x 250 + 600 = 1100 W DC at full load.
    capped = ServerPowerModel(AcceleratorPower(55, 105, 250), 2, 250, 600, 2000, 2, "titanium")
    assert capped.dc_power_w(1.0) == pytest.approx(1100)


def test_loaded_idle_above_empty_idle():
    # Loaded idle (model resident, no requests) draws more than an empty card.
    card = AcceleratorPower(idle_w=30, loaded_idle_w=110, active_w=300)
    assert card.power_w(0.0, model_loaded=True) == 110
    assert card.power_w(0.0, model_loaded=False) == 30
    assert card.power_w(0.5) == pytest.approx(205)


@pytest.fixture(scope="module")
def hybrid_choices(catalog_tables):
    # An always-on camera pipeline on an edge box plus a nightly batch job on
    # an H100 PCIe server that sleeps between runs, so the big server draws
    # only standby power outside its batch window.
    edge = Workload(name="gate cameras", category="video_analytics", kind="vision",
                    vision=VisionSpec(gflop_per_frame=28.6, fps=15, streams=4,
                                      max_latency_ms=200),
                    schedule=Schedule(busy_utilization=1.0))
    batch = Workload(name="nightly batch", category="media_batch", kind="batch",
                     batch=BatchSpec(reference_accelerator="h100-pcie",
                                     accelerator_hours_per_run=3.0, window_start_h=20,
                                     deadline_h=6),
                     accelerator_override="h100-pcie")
    return [choose_hardware(edge, catalog_tables), choose_hardware(batch, catalog_tables)]


def test_hybrid_edge_box_is_embedded(hybrid_choices):
    edge, batch = hybrid_choices
    assert edge.chosen.form_factor == "embedded"
    assert not batch.model_loaded
    assert batch.batch_run_hours == pytest.approx(3.0)


def test_batch_server_sleeps_at_standby(hybrid_choices):
    _, batch = hybrid_choices
    group = batch.chosen.servers
    # Average: standby 15 W all day plus (active - standby) for 3 of 24 hours.
    active_w = float(group.wall_power_w(1.0))
    expected_w = STANDBY_W_SERVER + (active_w - STANDBY_W_SERVER) * 3.0 / 24.0
    assert batch.chosen.average_wall_w == pytest.approx(expected_w)


def test_hybrid_load_profile_shows_both_roles(hybrid_choices):
    edge, batch = hybrid_choices
    cold = np.full(HOURS_PER_YEAR, 5.0)  # below free cooling all year: no compressor
    load = build_load_profile(hybrid_choices, cold, site_auxiliary_w=100.0, cooling_cop=3.0,
                              free_cooling_below_c=20.0)
    # The edge box runs all day at the compute utilization its sizing found.
    edge_utilization = edge.chosen.sizing.utilization
    assert edge.daily_utilization == pytest.approx(np.full(24, edge_utilization))
    edge_kw = float(edge.chosen.servers.wall_power_w(edge_utilization)) / 1000.0
    standby_kw = STANDBY_W_SERVER / 1000.0
    # Always on: the edge box, the sleeping server and 0.1 kW auxiliary.
    assert load.always_on_kw[0] == pytest.approx(edge_kw + standby_kw + 0.1)

    # The batch run is deferrable: (active - standby) for 3 h.
    job = load.deferrable_jobs[0]
    active_kw = float(batch.chosen.servers.wall_power_w(1.0)) / 1000.0
    assert job.power_kw == pytest.approx(active_kw - standby_kw)
    assert job.energy_kwh_per_window == pytest.approx(3.0 * (active_kw - standby_kw))

    day = load.typical_day_kw_by_workload()
    assert day["gate cameras"] == pytest.approx(np.full(24, edge_kw))
    # Standby all day; the run from 20:00 to 23:00 at full power.
    server_day = day["nightly batch"]
    assert server_day[:20] == pytest.approx(np.full(20, standby_kw))
    assert server_day[20:23] == pytest.approx(np.full(3, active_kw))
    assert server_day[23] == pytest.approx(standby_kw)


def test_typical_day_splits_partial_hour(hybrid_choices, catalog_tables):
    # A 1.5 h run from 22:00: full power at 22:00, half the job power at 23:00.
    _, batch = hybrid_choices
    short = Workload(name="short batch", category="media_batch", kind="batch",
                     batch=BatchSpec(reference_accelerator="h100-pcie",
                                     accelerator_hours_per_run=1.5, window_start_h=22,
                                     deadline_h=6),
                     accelerator_override="h100-pcie")
    choice = choose_hardware(short, catalog_tables)
    load = build_load_profile([choice], np.full(HOURS_PER_YEAR, 5.0), 0.0, 3.0, 20.0)
    job = load.deferrable_jobs[0]
    day = load.typical_day_kw_by_workload()["short batch"]
    standby_kw = STANDBY_W_SERVER / 1000.0
    assert day[22] == pytest.approx(standby_kw + job.power_kw)
    assert day[23] == pytest.approx(standby_kw + 0.5 * job.power_kw)
