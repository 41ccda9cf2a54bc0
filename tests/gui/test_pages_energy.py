"""Energy page: the day-of-year view, the economics fields and the design-search results."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from core.daily import average_day
from core.search import cost_fuel_front
from resources import EXAMPLES_DIR


@pytest.fixture(scope="module")
def sand_point_plan(catalog_engine):
    """Return the plan of the Sand Point example, computed once for this module."""
    from core.plan import make_plan
    from core.project import load_project

    project = load_project(EXAMPLES_DIR / "sand_point_alaska.json")
    return make_plan(project, catalog_engine, EXAMPLES_DIR)


@pytest.fixture
def energy(window, sand_point_plan):
    page = window.energy_page
    page.show_plan(sand_point_plan)
    return page


def _curve(page, key):
    _, values = page.day_curves[key].getData()
    return values


def _day_slice(day_index):
    return slice(day_index * 24, day_index * 24 + 24)


def test_day_selector_draws_that_day(energy, sand_point_plan):
    simulation = sand_point_plan.simulation

    energy.day_spin.setValue(46)

    assert energy.single_radio.isChecked()
    assert energy.day_date_label.text() == "15 Feb"
    hours = _day_slice(45)
    np.testing.assert_allclose(_curve(energy, "pv_available_kw"),
                               simulation.pv_available_kw[hours])
    np.testing.assert_allclose(_curve(energy, "load_always_on_kw"),
                               simulation.load_always_on_kw[hours])
    np.testing.assert_allclose(_curve(energy, "load_batch_kw"),
                               simulation.load_deferrable_kw[hours])
    np.testing.assert_allclose(_curve(energy, "generator_kw"), simulation.generator_kw[hours])
    _, soc = energy.soc_curve.getData()
    assert len(soc) == 25
    np.testing.assert_allclose(soc[1:], simulation.soc[hours] * 100)
    assert "15 Feb" in energy.day_plot.plotItem.titleLabel.text


def test_other_day_changes_plotted_data(energy, sand_point_plan):
    energy.day_spin.setValue(46)
    february_pv = _curve(energy, "pv_available_kw").copy()

    energy.day_spin.setValue(196)

    assert energy.day_date_label.text() == "15 Jul"
    july_pv = _curve(energy, "pv_available_kw")
    np.testing.assert_allclose(july_pv,
                               sand_point_plan.simulation.pv_available_kw[_day_slice(195)])
    assert not np.allclose(july_pv, february_pv)


def test_average_view_draws_month_mean(energy, sand_point_plan):
    energy.day_spin.setValue(100)
    energy.month_combo.setCurrentIndex(3)

    assert energy.average_radio.isChecked()
    expected = average_day(sand_point_plan.simulation.pv_available_kw, 3)
    np.testing.assert_allclose(_curve(energy, "pv_available_kw"), expected)
    assert "average day in Apr" in energy.day_plot.plotItem.titleLabel.text


def test_table_has_a_row_per_candidate(energy, sand_point_plan):
    view = energy.search_view
    candidates = sand_point_plan.candidates

    assert view.table_model.rowCount() == len(candidates)
    assert view.proxy.rowCount() == len(candidates)
    headers = [view.table_model.headerData(column, Qt.Orientation.Horizontal)
               for column in range(view.table_model.columnCount())]
    assert "PV [kWp]" in headers
    assert "Net present cost [USD]" in headers
    assert "Fuel [L/year]" in headers
    assert "Dumped [kWh/year]" in headers


def test_chosen_design_marked_once(energy, sand_point_plan):
    view = energy.search_view
    proxy = view.proxy
    statuses = [proxy.index(row, 0).data() for row in range(proxy.rowCount())]

    assert statuses.count("chosen") == 1
    chosen_row = statuses.index("chosen")
    cost_column = view.table_model.column_of("net_present_cost")
    chosen_cost = proxy.index(chosen_row, cost_column).data(Qt.ItemDataRole.UserRole)
    assert chosen_cost == pytest.approx(sand_point_plan.candidates[0].net_present_cost)
    assert proxy.index(chosen_row, cost_column).data(Qt.ItemDataRole.FontRole).bold()
    front_count = sum(candidate.on_cost_fuel_front for candidate in sand_point_plan.candidates)
    assert statuses.count("front") == front_count - int(
        sand_point_plan.candidates[0].on_cost_fuel_front)


def test_table_sorts_by_value(energy):
    view = energy.search_view
    fuel_column = view.table_model.column_of("fuel_l_per_year")

    view.table_view.sortByColumn(fuel_column, Qt.SortOrder.AscendingOrder)

    fuel = [view.proxy.index(row, fuel_column).data(Qt.ItemDataRole.UserRole)
            for row in range(view.proxy.rowCount())]
    assert fuel == sorted(fuel)


def test_feasible_filter_hides_misses(energy, sand_point_plan):
    view = energy.search_view
    feasible = sum(candidate.meets_target for candidate in sand_point_plan.candidates)

    view.only_feasible_check.setChecked(True)

    assert view.proxy.rowCount() == feasible
    assert f"{feasible:,} of" in view.table_note.text()


def test_scatter_holds_feasible_candidates(energy, sand_point_plan):
    view = energy.search_view
    candidates = sand_point_plan.candidates
    feasible = [candidate for candidate in candidates if candidate.meets_target]

    fuel, cost = view.feasible_scatter.getData()

    assert len(fuel) == len(feasible)
    np.testing.assert_allclose(np.sort(fuel), np.sort([c.fuel_l_per_year for c in feasible]))
    np.testing.assert_allclose(np.sort(cost), np.sort([c.net_present_cost for c in feasible]))
    front_fuel, _ = view.front_curve.getData()
    np.testing.assert_allclose(front_fuel, [c.fuel_l_per_year for c in cost_fuel_front(candidates)])
    chosen_fuel, chosen_cost = view.chosen_marker.getData()
    assert chosen_fuel[0] == pytest.approx(candidates[0].fuel_l_per_year)
    assert chosen_cost[0] == pytest.approx(candidates[0].net_present_cost)
    assert view.scatter_plot.getAxis("left").labelText == "Net present cost [USD]"
    assert view.scatter_plot.getAxis("bottom").labelText == "Annual fuel [L/year]"


def test_economics_fields_write_targets(window):
    page = window.energy_page
    targets = window.controller.project.targets

    page.life_spin.setValue(25)
    page.discount_spin.setValue(8.0)
    page.escalation_spin.setValue(-1.5)

    assert targets.project_life_years == 25
    assert targets.discount_rate == 0.08
    assert targets.fuel_escalation_rate == -0.015
    assert not page.error_label.isVisibleTo(page)


def test_discount_rate_80_percent_named(window):
    page = window.energy_page

    page.discount_spin.setValue(80.0)

    message = page.error_label.text()
    assert page.error_label.isVisibleTo(page)
    assert "Targets > real discount rate [%]: 80.0 is invalid" in message
    assert "a number from 0 to 30" in message
    assert window.controller.project.targets.discount_rate == 0.8


def test_project_life_out_of_range_named(window):
    page = window.energy_page

    page.life_spin.setValue(0)

    assert "Targets > project life [years]: 0 is invalid" in page.error_label.text()
