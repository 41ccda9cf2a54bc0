"""Electrical checks with worked examples: PV strings, battery currents, inverters, cables, racks.

Catalog rows are stand-ins built from SimpleNamespace with datasheet-like
values, so each expected number can be worked out by hand in the test.
"""

import math
from types import SimpleNamespace

import pytest

from core.cables import size_run, voltage_drop_v
from core.drawings import Diagram, RackItem, SingleLineText, rack_elevation, single_line_diagram
from core.errors import CatalogError
from core.rackplan import plan_racks
from core.report.model import UnitFormat
from core.system import (
    BatteryBankDesign,
    GeneratorDesign,
    InverterDesign,
    PVArrayDesign,
    check_battery_bank,
    check_inverter,
    continuous_rating_w,
    design_pv_array,
    server_startup_load,
    string_window,
)

# Canadian Solar CS6W-545MS datasheet values (V1.1, July 2020).
MODULE = SimpleNamespace(
    name="CS6W-545MS", pmax_w=545.0, vmp_v=41.2, imp_a=13.23, voc_v=49.4, isc_a=13.95,
    gamma_pmax_pct_per_c=-0.35, beta_voc_pct_per_c=-0.27, max_system_v=1500.0, price=136.0)
# Victron SmartSolar MPPT 150/100: 150 V PV maximum, 70 A PV short-circuit, 100 A charge.
CONTROLLER = SimpleNamespace(
    name="MPPT 150/100", max_pv_voc_v=150.0, mppt_v_min=None, mppt_v_max=None,
    max_pv_isc_a=70.0, max_charge_a=100.0, price=800.0)
BATTERY = SimpleNamespace(name="Lithium NG 51.2 V 100 Ah", nominal_v=51.2, energy_kwh=5.12,
                          max_charge_a=100.0, max_discharge_a=100.0)
INVERTER = SimpleNamespace(
    name="MultiPlus-II 48/3000", battery_v=48.0, continuous_w_25c=2400.0,
    continuous_w_40c=2200.0, surge_w=5500.0, max_efficiency=0.95, idle_w=13.0,
    charge_current_a=35.0, ac_input_current_a=32.0, max_in_parallel=6,
    three_phase_capable=True, output_v=230.0)
DESIGN_LOW_C = -10.6
DESIGN_HIGH_C = 19.4


def test_cold_voc_worked_example():
    window = string_window(MODULE, CONTROLLER, DESIGN_LOW_C, DESIGN_HIGH_C)
    # 49.4 V x (1 + (-0.27 / 100) x (-10.6 - 25)) = 49.4 x 1.09612 = 54.148 V
    assert window.cold_voc_v == pytest.approx(54.148, abs=1e-3)
    # floor(150 / 54.148) = 2 modules; 3 x 54.148 = 162.44 V is 12.44 V over.
    assert window.max_series == 2
    assert window.problems(3) == [
        "3 modules in series: 162.4 V cold Voc exceeds the 150 V controller limit by 12.4 V"]


def test_hot_vmp_worked_example():
    window = string_window(MODULE, CONTROLLER, DESIGN_LOW_C, DESIGN_HIGH_C)
    # Cells at 19.4 + 31 = 50.4 °C: 41.2 x (1 - 0.0035 x 25.4) = 37.537 V per module.
    assert window.hot_vmp_v == pytest.approx(37.537, abs=1e-3)
    # 56.8 V charge + 5 V start margin = 61.8 V needs ceil(61.8 / 37.537) = 2 modules.
    assert window.min_series == 2
    assert window.problems(1)[0].startswith(
        "1 module in series: 37.5 V hot Vmp (cells at 50 °C) is 24.3 V below the 61.8 V")


def test_isc_limit_with_nec_factor():
    window = string_window(MODULE, CONTROLLER, DESIGN_LOW_C, DESIGN_HIGH_C)
    # 1.25 x 13.95 A = 17.4375 A per string; floor(70 / 17.4375) = floor(4.014) = 4.
    assert window.strings_by_isc == 4
    assert window.problems(2, 4) == []
    # 5 strings: 5 x 17.4375 = 87.19 A, 17.19 A over the 70 A limit.
    assert window.problems(2, 5) == [
        "5 strings: 1.25 x 13.95 A Isc x 5 = 87.2 A exceeds the controller's 70 A PV "
        "short-circuit limit by 17.2 A"]


def test_pv_array_whole_strings_per_controller():
    # 2 x 545 W = 1090 W per string; 19 kWp needs ceil(19000 / 1090) = 18 strings.
    # Charge current allows floor(100 A x 56.8 V / 1090 W) = 5 strings, Isc 4, so 4
    # per controller and ceil(18 / 4) = 5 controllers.
    array = design_pv_array(19.0, [MODULE], [CONTROLLER], DESIGN_LOW_C, DESIGN_HIGH_C)
    assert (array.modules_per_string, array.strings) == (2, 18)
    assert array.strings_per_controller == 4
    assert array.controllers == 5
    assert array.strings_by_controller == [4, 4, 4, 3, 3]
    assert array.controller_max_current_a == pytest.approx(4 * 17.4375)


def test_impossible_string_names_limit():
    small = SimpleNamespace(**{**vars(CONTROLLER), "name": "MPPT 100/30", "max_pv_voc_v": 100.0})
    # One module at -10.6 °C gives 54.1 V cold Voc, fine for 100 V; but the
    # 61.8 V start voltage needs 2 modules and 2 x 54.148 = 108.3 V, 8.3 V over 100 V.
    with pytest.raises(CatalogError) as error:
        design_pv_array(5.0, [MODULE], [small], DESIGN_LOW_C, DESIGN_HIGH_C)
    assert ("2 modules in series: 108.3 V cold Voc exceeds the 100 V controller limit by "
            "8.3 V") in str(error.value)


def _pv_array(strings: int, controllers: int) -> PVArrayDesign:
    return PVArrayDesign(MODULE, CONTROLLER, 2, 4, controllers, strings, 108.3, 75.1,
                         DESIGN_LOW_C, DESIGN_HIGH_C)


def _inverter(count: int = 1, design_high_c: float = 25.0) -> InverterDesign:
    return InverterDesign(INVERTER, count, count * 2400.0, count * 5500.0, count * 13.0,
                          design_high_c, count * continuous_rating_w(INVERTER, design_high_c))


def test_battery_charge_current_sets_parallel():
    # 4 strings x 1090 W = 4.36 kWp; 4360 W / 56.8 V = 76.76 A from PV (under the
    # 100 A controller limit), + 35 A from the charger = 111.76 A, so
    # ceil(111.76 / 100) = 2 modules in parallel by charge current.
    bank = BatteryBankDesign(BATTERY, series=1, parallel=2, max_charge_kw=10.24,
                             max_discharge_kw=10.24)
    check = check_battery_bank(bank, _pv_array(4, 1), _inverter(), peak_load_kw=2.0)
    assert check.pv_charge_a == pytest.approx(4360 / 56.8)
    assert check.charge_a == pytest.approx(4360 / 56.8 + 35)
    assert check.parallel_by_charge == 2
    # Discharge at 2 kW: 2000 / (0.95 x 48 V) = 43.86 A, one module is enough.
    assert check.peak_discharge_a == pytest.approx(2000 / (0.95 * 48))
    assert check.parallel_by_discharge == 1
    assert check.limiting.startswith("charge current: 112 A")
    assert check.warnings == []


def test_battery_charge_over_limit_warns():
    bank = BatteryBankDesign(BATTERY, series=1, parallel=1, max_charge_kw=5.12,
                             max_discharge_kw=5.12)
    check = check_battery_bank(bank, _pv_array(4, 1), _inverter(), peak_load_kw=2.0)
    assert len(check.warnings) == 1
    assert "77 A + chargers 35 A = 112 A exceeds the bank's 100 A" in check.warnings[0]


def test_inverter_rating_interpolated_at_design_high():
    # 2400 W at 25 °C, 2200 W at 40 °C: at 35 °C 2400 - 200 x 10 / 15 = 2266.7 W.
    assert continuous_rating_w(INVERTER, 35.0) == pytest.approx(2266.667, abs=1e-3)
    assert continuous_rating_w(INVERTER, 10.0) == 2400.0
    no_hot = SimpleNamespace(**{**vars(INVERTER), "continuous_w_40c": None})
    assert continuous_rating_w(no_hot, 35.0) == 2400.0


def _generator(prime_kw: float) -> GeneratorDesign:
    unit = SimpleNamespace(name="genset", prime_kw=prime_kw, fuel="diesel", voltage_v=230.0,
                           phases=1)
    return GeneratorDesign(unit=unit, count=1, derate_factor=1.0, required_kw=prime_kw)


def test_generator_larger_than_inverter_input():
    # AC input: 1 x 32 A x 230 V = 7360 W, below a 10 kW generator.
    startup = server_startup_load([], 230.0)
    check = check_inverter(_inverter(), 2.0, startup, _generator(10.0))
    assert check.ac_input_limit_w == pytest.approx(7360.0)
    assert any("accept at most 7.4 kW" in warning for warning in check.warnings)


def test_generator_smaller_than_load_and_charge():
    # Charge power: 35 A x 56.8 V / 0.95 = 2092.6 W; with 2 kW of load 4.09 kW
    # is more than a 3 kW generator, so the input limit is 3000 / 230 = 13.0 A.
    startup = server_startup_load([], 230.0)
    check = check_inverter(_inverter(), 2.0, startup, _generator(3.0))
    assert check.charge_power_w == pytest.approx(35 * 56.8 / 0.95)
    assert check.input_current_setting_a == pytest.approx(3000 / 230)
    assert any("to 13 A" in warning for warning in check.warnings)


def test_black_start_inrush_uses_catalog_or_estimate():
    known = SimpleNamespace(psu_inrush_a=30.0)
    unknown = SimpleNamespace(psu_inrush_a=None)
    # 2 PSUs x 30 A + 2 PSUs x 50 A (estimate) = 160 A; x 230 V = 36.8 kVA.
    startup = server_startup_load([(known, 2), (unknown, 2)], 230.0)
    assert startup.inrush_a == pytest.approx(160.0)
    assert startup.estimated_psus == 2
    check = check_inverter(_inverter(), 2.0, startup, _generator(5.0))
    assert any(warning.startswith("Black start: 4 server PSUs") for warning in check.warnings)


def test_pv_cable_worked_example():
    # Design current 1.25 x 1.25 x 13.95 A = 21.80 A; 2.5 mm² carries 33 A.
    # Drop at Imp 13.23 A over 30 m with copper at 70 °C:
    # rho = 0.0175 x (1 + 0.00393 x 50) = 0.020939 ohm mm²/m.
    # 2.5 mm²: 2 x 30 x 13.23 x 0.020939 / 2.5 = 6.65 V, 8.9 % of 75.07 V.
    # 10 mm²: 1.662 V = 2.21 %, the first size within 3 %.
    assert voltage_drop_v(30, 13.23, 2.5) == pytest.approx(6.6485, abs=1e-3)
    run = size_run("PV string", 18, 30.0, 1.5625 * 13.95, 13.23, 75.07, 30.0, 0.03, "")
    assert run.size_mm2 == 10.0
    assert run.drop_v == pytest.approx(1.6621, abs=1e-3)
    assert run.awg == "6 AWG"  # 13.3 mm2, the smallest AWG not thinner than 10 mm2
    assert run.limited_by == "voltage drop"


def test_battery_inverter_cable_worked_example():
    # 2400 W / (0.95 x 48 V) = 52.63 A; design 1.25 x 52.63 = 65.79 A; 3 m run.
    # 10 mm² carries 80 A but drops 2 x 3 x 52.63 x 0.020939 / 10 = 0.661 V,
    # more than 1 % of 51.2 V (0.512 V); 16 mm² drops 0.413 V.
    current_a = 2400 / (0.95 * 48)
    run = size_run("Battery to inverter", 1, 3.0, 1.25 * current_a, current_a, 51.2, 30.0,
                   0.01, "")
    assert run.size_mm2 == 16.0
    assert run.drop_v == pytest.approx(0.4133, abs=1e-3)


def test_cable_ampacity_derated_for_heat():
    # 100 A at 45 °C ambient: factor 0.87. 25 mm²: 138 x 0.87 = 120.1 A passes,
    # 16 mm²: 107 x 0.87 = 93.1 A fails.
    run = size_run("Controller to battery", 1, 0.5, 100.0, 80.0, 51.2, 45.0, 0.02, "")
    assert run.size_mm2 == 25.0
    assert run.ampacity_a == pytest.approx(138 * 0.87)
    assert run.limited_by == "ampacity"


# --- racks ------------------------------------------------------------------


def _choice(name: str, count: int, psu_count: int, psu_w: float, peak_w: float,
            units: int = 2):
    power = SimpleNamespace(psu_count=psu_count, psu_rating_w=psu_w,
                            wall_power_w=lambda utilization: peak_w)
    group = SimpleNamespace(server_count=count, server_name=name, rack_units=units,
                            power=power)
    return SimpleNamespace(chosen=SimpleNamespace(servers=group,
                                                  average_wall_w=count * peak_w * 0.6),
                           workload=SimpleNamespace(name="chat"))


# APC AP8965: 208 V three-phase 30 A, legs each 7 x C13 + 1 x C19, 8.65 kVA continuous.
PDU_3PH = SimpleNamespace(key="ap8965", name="AP8965", voltage_v=208.0, phases=3,
                          input_current_a=30.0, inlet="NEMA L21-30P", outlets_c13=21,
                          outlets_c19=3, continuous_kva=8.65)


def test_three_phase_psus_spread_over_legs():
    # 3 servers of 1425 W with 2 PSUs of 1600 W (C19), so one PSU carries a server:
    # each feed gets 3 PSUs, one per leg.
    plan = plan_racks([_choice("srv", 3, 2, 1600.0, 1425.0)], [PDU_3PH], "208V-3ph", "1+1",
                      cooling_cop=3.0)
    rack = plan.racks[0]
    for server in rack.servers:
        assert sorted(feed[0] for feed in [c.rsplit(" ", 1)[-1] for c in server.psu_circuits]) \
            == ["A", "B"]
    feed_a = [c for c in rack.circuits if c.feed == "A"][0]
    # 1425 W / 0.95 = 1500 VA per server, 750 VA per PSU; each leg of feed A 750 VA.
    assert feed_a.leg_va == pytest.approx({"L1-L2": 750.0, "L2-L3": 750.0, "L3-L1": 750.0})
    assert (feed_a.c19_used, feed_a.c13_used) == (3, 0)
    # Both feeds put 1500 VA on each leg. Balanced delta: line current =
    # sqrt(3) x 1500 VA / 208 V = 12.49 A on every line.
    for current in plan.line_currents_a.values():
        assert current == pytest.approx(math.sqrt(3) * 1500 / 208)
    assert plan.phase_imbalance == pytest.approx(0.0, abs=1e-9)
    # Failover under 1+1: feed A carries all three servers, 4500 VA.
    assert feed_a.failover_va == pytest.approx(4500.0)
    # Cooling: 3 x 1425 W / COP 3 = 1425 W.
    assert rack.cooling_w == pytest.approx(1425.0)


def test_n_plus_one_failover_share():
    # 4 PSUs of 1600 W, 3000 W peak: 2 PSUs carry it. PSUs alternate A, B, A, B.
    # N+1 checks one failed PSU on the other feed: 3000 / 0.95 / 3 = 1052.6 VA per
    # PSU, 2105.3 VA on feed A.
    plan = plan_racks([_choice("gpu", 1, 4, 1600.0, 3000.0)], [PDU_3PH], "208V-3ph", "N+1")
    server = plan.racks[0].servers[0]
    assert server.psu_feeds == ["A", "B", "A", "B"]
    assert server.psus_needed == 2
    feed_a = [c for c in plan.racks[0].circuits if c.feed == "A"][0]
    assert feed_a.failover_va == pytest.approx(2 * 3000 / 0.95 / 3)
    assert feed_a.normal_va == pytest.approx(3000 / 0.95 / 2)


def test_outlets_checked_per_pdu():
    # 4 servers with 2 C19 PSUs: 4 C19 per feed on a PDU with 3.
    plan = plan_racks([_choice("srv", 4, 2, 1600.0, 800.0)], [PDU_3PH], "208V-3ph", "1+1")
    assert any("offers 21 C13 and 3 C19 outlets; its PSUs need 0 C13 and 4 C19" in warning
               for warning in plan.warnings)


def test_single_psu_server_warned_under_2n():
    pdu = SimpleNamespace(**{**vars(PDU_3PH), "phases": 1, "voltage_v": 230.0,
                             "outlets_c13": 20, "outlets_c19": 4, "continuous_kva": 5.8})
    plan = plan_racks([_choice("edge", 1, 1, 240.0, 80.0, 1)], [pdu], "230V-1ph", "1+1")
    assert any("stops when the feed" in warning for warning in plan.warnings)


# --- drawings and units ------------------------------------------------------


def _inside(diagram: Diagram, label) -> bool:
    if label.angle:
        return 0 <= label.y and label.y + label.width <= diagram.height + 1
    left = {"start": label.x, "middle": label.x - label.width / 2,
            "end": label.x - label.width}[label.anchor]
    return left >= -1 and left + label.width <= diagram.width + 1


def test_single_line_diagram_layout():
    text = SingleLineText(
        pv=["PV array", "18 strings x 2 modules"], controllers=["MPPT", "5 x 150/100"],
        battery=["Battery bank", "1 x 4"], inverter=["Inverter/chargers", "1 x MultiPlus"],
        generator=["Generator", "5.5 kW"], ac_distribution=["AC distribution"],
        pdus_a=["Feed A"], pdus_b=["Feed B"], racks=["Racks", "1 x 42U"],
        busbar="DC busbar 51.2 V", cable_tags={"pv": "C1", "generator": "C4"},
        legend=["C1 PV string runs: 18 x 2-core 10 mm² (6 AWG), 30 m one way"])
    diagram = single_line_diagram(text, 493.0)
    assert "C1" in diagram.texts
    assert "C4" in diagram.texts
    assert len(diagram.boxes) == 9
    for label in diagram.labels:
        assert _inside(diagram, label), label.text
    for index, first in enumerate(diagram.boxes):
        for second in diagram.boxes[index + 1:]:
            overlap_x = min(first.x + first.width, second.x + second.width) - max(first.x,
                                                                                  second.x)
            overlap_y = min(first.y + first.height, second.y + second.height) - max(first.y,
                                                                                    second.y)
            assert overlap_x <= 0 or overlap_y <= 0


def test_rack_elevation_places_units():
    items = [RackItem(1, 2, "XR7620 #1, 902 W"), RackItem(3, 1, "Jetson #1, 82 W")]
    diagram = rack_elevation("Rack 1", 42, items, "PDU A1", "PDU B1", ["Rack 1"], 493.0)
    servers = [box for box in diagram.boxes if box.fill == "it"]
    # 7.5 pt per unit above a 6 pt base: U1-U2 from y 6, U3 from y 21.
    assert servers[0].y == pytest.approx(6.4)
    assert servers[0].height == pytest.approx(14.2)
    assert servers[1].y == pytest.approx(21.4)
    assert "XR7620 #1, 902 W" in diagram.texts
    assert [box.fill for box in diagram.boxes].count("pdu") == 2
    assert "42" in diagram.texts


def test_imperial_units_show_metric_in_brackets():
    imperial = UnitFormat("imperial")
    assert imperial.temperature(-10.6) == "12.9 °F (-10.6 °C)"
    assert imperial.length(30.0) == "98 ft (30 m)"
    assert imperial.cable(10.0) == "6 AWG (10 mm²)"
    assert imperial.fuel(378.541) == "100 US gal (379 L)"
    metric = UnitFormat("metric")
    assert metric.cable(10.0) == "10 mm² (6 AWG)"
    assert metric.cable(240.0, 2) == "2 x 240 mm² (500 kcmil) in parallel"
    assert metric.temperature(-10.6) == "-10.6 °C"


def test_awg_equivalent_is_never_thinner():
    # An installer buying the AWG size must not get less copper than the
    # metric size the voltage-drop and ampacity checks chose.
    from core.cables import STANDARD_SIZES

    for size_mm2, _awg, awg_area_mm2 in STANDARD_SIZES:
        assert awg_area_mm2 >= size_mm2
