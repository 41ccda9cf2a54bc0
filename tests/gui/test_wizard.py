"""Drive the wizard as a user would: type, press Next, wait for the plan, export the PDF."""

import json

from PySide6.QtWidgets import QComboBox

from core.project import load_project
from tests.gui.conftest import PLAN_TIMEOUT_MS



def _next(window):
    window.wizard.next()


def test_walkthrough_plots_and_exports_pdf(qtbot, window, tmp_path):
    wizard = window.wizard
    controller = window.controller

    assert wizard.currentPage() is window.project_page
    window.project_page.name_edit.selectAll()
    qtbot.keyClicks(window.project_page.name_edit, "Sand Point node B")
    assert controller.project.info.name == "Sand Point node B"
    assert window.isWindowModified()
    _next(window)

    page = window.workloads_page
    assert wizard.currentPage() is page
    page.table.selectRow(0)
    page.users_spin.lineEdit().selectAll()
    qtbot.keyClicks(page.users_spin, "12")
    assert controller.project.workloads[0].llm.concurrent_users == 12
    assert page.llm_group.isVisible()
    assert not page.batch_group.isVisible()
    with qtbot.waitSignal(controller.choices_ready, timeout=PLAN_TIMEOUT_MS):
        _next(window)

    assert wizard.currentPage() is window.hardware_page
    assert len(window.hardware_page.option_tables) == len(controller.project.workloads)
    assert window.hardware_page.option_tables[0].item(0, 0).text() == "chosen"
    _next(window)

    site_page = window.site_page
    assert wizard.currentPage() is site_page
    site_page.fuel_price_spin.lineEdit().selectAll()
    qtbot.keyClicks(site_page.fuel_price_spin, "2.10")
    assert controller.project.site.fuel_price_per_l == 2.10
    with qtbot.waitSignal(controller.plan_ready, timeout=PLAN_TIMEOUT_MS):
        _next(window)

    energy = window.energy_page
    assert wizard.currentPage() is energy
    plan = controller.plan
    assert energy.month_combo.currentIndex() == plan.worst_month
    _, pv_kw = energy.day_curves["pv_available_kw"].getData()
    _, load_kw = energy.day_curves["load_always_on_kw"].getData()
    _, soc = energy.soc_curve.getData()
    assert len(load_kw) == 24
    assert load_kw.min() > 0
    assert pv_kw.max() > 0
    assert 0 < soc.max() <= 100
    pv_used_bars = energy.monthly_bars["pv_used_kwh"].opts["height"]
    assert len(pv_used_bars) == 12
    assert pv_used_bars.sum() > 0
    assert energy.headline_labels["PV array"].text().endswith("kWp")

    energy.month_combo.setCurrentIndex(6)
    _, july_pv_kw = energy.day_curves["pv_available_kw"].getData()
    assert july_pv_kw.max() != pv_kw.max()
    _next(window)

    review = window.review_page
    assert wizard.currentPage() is review
    qtbot.waitUntil(lambda: review.plan is not None, timeout=PLAN_TIMEOUT_MS)
    assert review.circuit_table.rowCount() > 0
    assert review.warnings_list.count() > 0

    pdf_path = tmp_path / "proposal.pdf"
    with qtbot.waitSignal(review.export_runner.finished, timeout=PLAN_TIMEOUT_MS):
        review.export_to(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert "Wrote" in review.export_status.text()


def test_negative_users_named_and_kept(qtbot, window):
    window.wizard.next()
    page = window.workloads_page
    page.table.selectRow(0)
    page.users_spin.lineEdit().selectAll()
    qtbot.keyClicks(page.users_spin, "-5")

    message = page.error_label.text()
    assert page.error_label.isVisibleTo(page)
    assert "concurrent users" in message
    assert "-5 is invalid" in message
    assert "an integer from 1 to 10,000" in message
    assert page.users_spin.value() == -5
    assert window.controller.project.workloads[0].llm.concurrent_users == -5

    window.wizard.next()
    assert window.wizard.currentPage() is page


def test_kind_change_shows_only_its_fields(qtbot, window):
    window.wizard.next()
    page = window.workloads_page
    page.table.selectRow(2)
    assert page.batch_group.isVisible()
    assert not page.llm_group.isVisible()
    page.table.selectRow(1)
    assert page.vision_group.isVisible()
    assert not page.batch_group.isVisible()


def test_add_duplicate_remove_workload(qtbot, window):
    window.wizard.next()
    page = window.workloads_page
    workloads = window.controller.project.workloads
    count = len(workloads)
    menu_actions = page.add_menu.actions()
    assert len(menu_actions) == len(window.controller.catalog["workloads"])
    trading = next(action for action in menu_actions if "trading" in action.text().lower())
    trading.trigger()
    assert len(workloads) == count + 1
    assert workloads[-1].kind == "trading"
    assert page.vision_group.title() == "Trading model"
    page.duplicate_selected()
    assert len(workloads) == count + 2
    assert workloads[-1].name.endswith("(copy)")
    page.remove_selected()
    page.remove_selected()
    assert len(workloads) == count


def test_open_non_json_keeps_typed_text(qtbot, window, tmp_path, message_boxes):
    window.project_page.name_edit.selectAll()
    qtbot.keyClicks(window.project_page.name_edit, "Typed before the failed open")
    broken = tmp_path / "broken.json"
    broken.write_text("this is not JSON {", encoding="utf-8")

    assert window.open_path(broken) is False

    assert len(message_boxes) == 1
    title, text = message_boxes[0]
    assert str(broken) in text
    assert "is not valid JSON" in text
    assert window.project_page.name_edit.text() == "Typed before the failed open"
    assert window.controller.project.info.name == "Typed before the failed open"
    assert window.isWindowModified()


def test_open_invalid_field_names_it(qtbot, window, sand_point_path, tmp_path, message_boxes):
    data = json.loads(sand_point_path.read_text(encoding="utf-8"))
    data["workloads"][0]["llm"]["concurrent_users"] = -3
    bad = tmp_path / "bad_users.json"
    bad.write_text(json.dumps(data), encoding="utf-8")

    assert window.open_path(bad) is False

    _title, text = message_boxes[0]
    assert "concurrent users: -3 is invalid; expected an integer from 1 to 10,000." in text


def test_save_clears_modified_and_round_trips(qtbot, window, tmp_path):
    window.project_page.customer_edit.selectAll()
    qtbot.keyClicks(window.project_page.customer_edit, "Harbour office")
    assert window.windowTitle().startswith("sand_point_alaska.json")
    assert window.isWindowModified()
    target = tmp_path / "saved.json"

    assert window.save_to(target) is True

    assert not window.isWindowModified()
    assert "saved.json" in window.windowTitle()
    assert load_project(target).info.customer == "Harbour office"


def test_save_rejects_invalid_value(qtbot, window, tmp_path, message_boxes):
    window.wizard.next()
    page = window.workloads_page
    page.users_spin.lineEdit().selectAll()
    qtbot.keyClicks(page.users_spin, "0")
    target = tmp_path / "never.json"

    assert window.save_to(target) is False

    assert not target.exists()
    assert "concurrent users: 0 is invalid" in message_boxes[0][1]


def test_override_reruns_hardware_choice(qtbot, window):
    controller = window.controller
    with qtbot.waitSignal(controller.choices_ready, timeout=PLAN_TIMEOUT_MS):
        window.wizard.next()
        window.wizard.next()
    accelerator_combo, _server_combo = window.hardware_page.override_combos[0]
    assert accelerator_combo.currentText() == "automatic"
    index = accelerator_combo.findData("l4")
    assert index > 0
    with qtbot.waitSignal(controller.choices_ready, timeout=PLAN_TIMEOUT_MS) as blocker:
        accelerator_combo.setCurrentIndex(index)
    assert controller.project.workloads[0].accelerator_override == "l4"
    choice = blocker.args[0][0]
    assert choice.chosen.accelerator_key == "l4"
    assert "override" in choice.reason


def test_broken_weather_file_shows_message(qtbot, window, tmp_path):
    broken = tmp_path / "broken.epw"
    broken.write_text("not a weather file\n", encoding="utf-8")
    site_page = window.site_page
    site_page.weather_edit.setText(str(broken))
    site_page.on_edited()
    with qtbot.waitSignal(window.controller.weather_failed, timeout=PLAN_TIMEOUT_MS):
        site_page.preview_weather()
    assert site_page.weather_error.isVisibleTo(site_page)
    assert str(broken) in site_page.weather_error.text()
    assert site_page.weather_edit.text() == str(broken)
    assert window.controller.project.site.weather_file == str(broken)


def test_combo_boxes_list_catalog_rows(window, catalog):
    page = window.workloads_page
    assert page.model_combo.count() == len(catalog["llm_models"])
    assert isinstance(page.reference_combo, QComboBox)
    assert page.reference_combo.count() == len(catalog["accelerators"])
    assert page.category_combo.count() == len(catalog["workloads"])
