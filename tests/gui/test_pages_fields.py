"""Project, Site and Workloads pages: each field writes the project and bad values are named."""

from PySide6.QtCore import Qt

from core.demand import VISION_MODELS


def _type(qtbot, edit, text):
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def test_units_combo_writes_info(window):
    page = window.project_page

    page.units_combo.setCurrentIndex(page.units_combo.findData("imperial"))

    assert window.controller.project.info.units == "imperial"
    assert not page.error_label.isVisibleTo(page)


def test_tracker_writes_and_relabels(window):
    page = window.site_page
    site = window.controller.project.site
    assert page.tilt_label.text() == "PV tilt:"

    page.tracking_combo.setCurrentIndex(page.tracking_combo.findData("single_axis"))

    assert site.pv_tracking == "single_axis"
    assert page.tilt_label.text() == "Axis tilt:"
    assert page.azimuth_label.text().startswith("Axis azimuth")

    page.tracking_combo.setCurrentIndex(page.tracking_combo.findData("fixed"))

    assert site.pv_tracking == "fixed"
    assert page.tilt_label.text() == "PV tilt:"


def test_cable_lengths_write_site(window):
    page = window.site_page
    site = window.controller.project.site

    page.pv_cable_spin.setValue(45.5)
    page.battery_cable_spin.setValue(2.5)
    page.inverter_cable_spin.setValue(1.5)

    assert site.pv_cable_length_m == 45.5
    assert site.controller_battery_cable_length_m == 2.5
    assert site.battery_inverter_cable_length_m == 1.5
    assert not page.error_label.isVisibleTo(page)


def test_short_battery_cable_named(window):
    page = window.site_page

    page.battery_cable_spin.setValue(0.1)

    message = page.error_label.text()
    assert page.error_label.isVisibleTo(page)
    assert "Site > controller to battery cable length [m]: 0.1 is invalid" in message
    assert "from 0.2 to 200" in message


def test_power_cap_writes_and_clears(qtbot, window):
    page = window.workloads_page
    workload = window.controller.project.workloads[0]

    _type(qtbot, page.power_cap_edit, "300")
    assert workload.power_cap_w == 300.0

    page.power_cap_edit.selectAll()
    qtbot.keyClick(page.power_cap_edit, Qt.Key.Key_Backspace)
    assert page.power_cap_edit.text() == ""
    assert workload.power_cap_w is None
    assert not page.error_label.isVisibleTo(page)


def test_power_cap_out_of_range_named(qtbot, window):
    page = window.workloads_page

    _type(qtbot, page.power_cap_edit, "2")

    message = page.error_label.text()
    assert "GPU power cap [W]: 2.0 is invalid" in message
    assert "from 5 to 1,000" in message


def test_power_cap_text_named(qtbot, window):
    page = window.workloads_page

    _type(qtbot, page.power_cap_edit, "1,000")

    message = page.error_label.text()
    assert "GPU power cap [W]: '1,000' is invalid" in message
    assert page.power_cap_edit.text() == "1,000"


def test_vision_picker_sets_gflop(window):
    page = window.workloads_page
    page.table.selectRow(1)
    vision = window.controller.project.workloads[1].vision
    index = page.vision_picker.findData("yolov8m-640")

    page.vision_picker.setCurrentIndex(index)
    page.vision_picker.activated.emit(index)

    assert vision.model_name == VISION_MODELS["yolov8m-640"].name
    assert vision.gflop_per_frame == VISION_MODELS["yolov8m-640"].gflop_per_frame
    assert page.gflop_spin.value() == VISION_MODELS["yolov8m-640"].gflop_per_frame


def test_vision_picker_follows_fields(window):
    page = window.workloads_page
    page.table.selectRow(1)
    assert page.vision_picker.currentData() == "yolov8s-640"

    page.gflop_spin.setValue(40.0)

    assert page.vision_picker.currentData() == ""
    assert window.controller.project.workloads[1].vision.gflop_per_frame == 40.0


def test_batch_llm_fields_write(window):
    page = window.workloads_page
    page.table.selectRow(2)
    batch = window.controller.project.workloads[2].batch
    assert not page.sequences_spin.isEnabled()
    model_index = page.batch_model_combo.findData("llama-3-8b")

    page.batch_model_combo.setCurrentIndex(model_index)
    page.batch_precision_combo.setCurrentText("int8")
    page.batch_context_spin.setValue(16384)
    page.sequences_spin.setValue(64)

    assert page.sequences_spin.isEnabled()
    assert batch.model == "llama-3-8b"
    assert batch.precision == "int8"
    assert batch.context_tokens == 16384
    assert batch.sequences_in_flight == 64

    page.batch_model_combo.setCurrentIndex(0)
    assert batch.model == ""


def test_zero_sequences_named(window):
    page = window.workloads_page
    page.table.selectRow(2)
    page.batch_model_combo.setCurrentIndex(page.batch_model_combo.findData("llama-3-8b"))

    page.sequences_spin.setValue(0)

    message = page.error_label.text()
    assert "sequences in flight: 0 is invalid" in message
    assert "an integer from 1 to 100,000" in message


def test_ac_frequency_written(qtbot, window):
    page = window.site_page
    project = window.controller.project
    page.frequency_combo.setCurrentIndex(page.frequency_combo.findData(50))
    page.write_to_project(project)
    assert project.site.ac_frequency_hz == 50
    page.frequency_combo.setCurrentIndex(page.frequency_combo.findData(60))
    page.write_to_project(project)
    assert project.site.ac_frequency_hz == 60
