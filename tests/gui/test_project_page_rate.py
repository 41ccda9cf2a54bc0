"""The Project page stores the USD exchange rate and names a bad one."""


def test_usd_rate_written_to_project(qtbot, window):
    page = window.project_page
    page.currency_edit.setText("EUR")
    page.usd_rate_edit.setText("0.92")
    project = window.controller.project
    page.write_to_project(project)
    assert project.info.currency == "EUR"
    assert project.info.exchange_rates == {"USD": 0.92}


def test_bad_usd_rate_is_named(qtbot, window):
    page = window.project_page
    page.usd_rate_edit.setText("ninety")
    project = window.controller.project
    page.write_to_project(project)
    error = page.find_error(project)
    assert error is not None
    assert "exchange rate of USD" in error.field
    assert page.usd_rate_edit.text() == "ninety"
