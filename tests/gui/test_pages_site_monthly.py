"""Site page with monthly averages: source switch, table, presets, preview and bad cells."""

from core.presets import load_site_presets

SAND_POINT = next(preset for preset in load_site_presets() if preset.key == "sand_point")


def _switch_to_monthly(page):
    page.source_combo.setCurrentIndex(page.source_combo.findData("monthly"))


def _fill_table(page, preset):
    for row in range(12):
        page.monthly_table.item(row, 0).setText(f"{preset.ghi_kwh_m2_day[row]:g}")
        page.monthly_table.item(row, 1).setText(f"{preset.temp_mean_c[row]:g}")


def test_monthly_mode_shows_table(window):
    page = window.site_page

    _switch_to_monthly(page)

    assert page.monthly_box.isVisibleTo(page)
    assert not page.weather_file_row.isVisibleTo(page)
    assert window.controller.project.site.weather_file == ""
    assert "Site > monthly averages" in page.error_label.text()


def test_typed_table_writes_project(window):
    page = window.site_page
    site = window.controller.project.site
    _switch_to_monthly(page)

    _fill_table(page, SAND_POINT)

    assert site.monthly_ghi_kwh_m2_day == list(SAND_POINT.ghi_kwh_m2_day)
    assert site.monthly_temp_mean_c == list(SAND_POINT.temp_mean_c)
    assert site.monthly_temp_min_c is None
    assert not page.error_label.isVisibleTo(page)


def test_bad_cell_named_and_kept(window):
    page = window.site_page
    _switch_to_monthly(page)
    _fill_table(page, SAND_POINT)

    page.monthly_table.item(3, 0).setText("14")

    message = page.error_label.text()
    assert page.error_label.isVisibleTo(page)
    assert "Site > monthly GHI [kWh/m²/day], April: 14.0 is invalid" in message
    assert "from 0 to 12" in message
    assert page.monthly_table.item(3, 0).text() == "14"


def test_text_cell_named_and_kept(window):
    page = window.site_page
    _switch_to_monthly(page)
    _fill_table(page, SAND_POINT)

    page.monthly_table.item(11, 1).setText("cold")

    message = page.error_label.text()
    assert "Site > monthly mean temperature [°C], December: 'cold' is invalid" in message
    assert "from -70 to 60" in message
    assert page.monthly_table.item(11, 1).text() == "cold"


def test_preset_fills_table(window):
    page = window.site_page
    site = window.controller.project.site
    _switch_to_monthly(page)
    index = page.preset_combo.findText(SAND_POINT.name)

    page.preset_combo.activated.emit(index)

    assert page.monthly_table.item(6, 0).text() == "5"
    assert page.monthly_table.item(11, 2).text() == "-2.3"
    assert site.monthly_temp_max_c == list(SAND_POINT.temp_max_c)
    assert site.utc_offset_h == -9.0
    assert page.source_combo.currentData() == "monthly"
    assert not page.error_label.isVisibleTo(page)


def test_preview_draws_synthetic_year(qtbot, window):
    page = window.site_page
    _switch_to_monthly(page)

    with qtbot.waitSignal(window.controller.weather_ready, timeout=20_000) as ready:
        page.preset_combo.activated.emit(page.preset_combo.findText(SAND_POINT.name))

    weather, monthly = ready.args
    assert weather.source_format == "synthetic"
    assert abs(monthly.ghi_kwh_m2_per_day[6] - 5.0) < 0.025
    assert page.weather_info.text().startswith("Synthetic year from the monthly table")


def test_file_mode_keeps_path(window):
    page = window.site_page
    site = window.controller.project.site
    path = site.weather_file
    _switch_to_monthly(page)

    page.source_combo.setCurrentIndex(page.source_combo.findData("file"))

    assert site.weather_file == path
    assert page.weather_file_row.isVisibleTo(page)
