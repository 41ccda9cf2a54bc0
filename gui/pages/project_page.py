"""Project page: the proposal's cover facts."""

from __future__ import annotations

import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from core.errors import InputError
from core.project import DISPLAY_UNITS, Project
from gui.pages.base import WizardPage, section_error


class ProjectPage(WizardPage):
    def __init__(self, controller):
        super().__init__(controller, "Project",
                         "Cover-page facts of the proposal. The name and a three-letter "
                         "currency code are required.")
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.customer_edit = QLineEdit()
        self.author_edit = QLineEdit()
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        today_button = QPushButton("Today")
        today_button.clicked.connect(
            lambda: self.date_edit.setText(datetime.date.today().isoformat()))
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit, 1)
        date_row.addWidget(today_button)
        self.currency_edit = QLineEdit()
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setPlaceholderText("USD")
        self.currency_edit.setMaximumWidth(80)
        self.currency_edit.setToolTip("ISO 4217 code; catalog prices in another currency are "
                                      "left out of the total.")
        self.units_combo = QComboBox()
        for units in DISPLAY_UNITS:
            label = "metric (m, °C, L)" if units == "metric" else "imperial (ft, °F, US gal; metric in brackets)"
            self.units_combo.addItem(label, units)
        self.units_combo.setToolTip("Units of lengths, temperatures and fuel in the PDF "
                                    "proposal; the wizard itself works in metric units")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Site access, fuel logistics, anything the proposal "
                                           "should mention")

        form.addRow("Project name:", self.name_edit)
        form.addRow("Customer:", self.customer_edit)
        form.addRow("Author:", self.author_edit)
        form.addRow("Date:", date_row)
        form.addRow("Currency:", self.currency_edit)
        # Catalog prices are in USD; another project currency needs the rate.
        self.usd_rate_edit = QLineEdit()
        self.usd_rate_edit.setMaximumWidth(280)
        self.usd_rate_edit.setPlaceholderText("empty: USD prices left out of costs")
        self.usd_rate_edit.setToolTip("Units of the project currency per US dollar, for catalog "
                                      "prices in USD, for example 0.92 for EUR")
        form.addRow("1 USD in project currency:", self.usd_rate_edit)
        form.addRow("Units in the proposal:", self.units_combo)
        form.addRow("Notes:", self.notes_edit)
        self.body.addLayout(form)

        for edit in (self.name_edit, self.customer_edit, self.author_edit, self.date_edit,
                     self.currency_edit, self.usd_rate_edit):
            edit.textEdited.connect(self.on_edited)
        self.date_edit.textChanged.connect(self.on_edited)
        self.notes_edit.textChanged.connect(self.on_edited)
        self.units_combo.currentIndexChanged.connect(self.on_edited)
        self.reload()

    def load_from_project(self, project: Project) -> None:
        info = project.info
        self.name_edit.setText(info.name)
        self.customer_edit.setText(info.customer)
        self.author_edit.setText(info.author)
        self.date_edit.setText(info.date)
        self.currency_edit.setText(info.currency)
        rate = info.exchange_rates.get("USD") if isinstance(info.exchange_rates, dict) else None
        self.usd_rate_edit.setText("" if rate is None else f"{rate:g}")
        index = self.units_combo.findData(info.units)
        if index < 0:  # an unknown value stays visible so that validation can name it
            self.units_combo.addItem(str(info.units), info.units)
            index = self.units_combo.count() - 1
        self.units_combo.setCurrentIndex(index)
        self.notes_edit.setPlainText(info.notes)

    def write_to_project(self, project: Project) -> None:
        info = project.info
        info.name = self.name_edit.text()
        info.customer = self.customer_edit.text()
        info.author = self.author_edit.text()
        info.date = self.date_edit.text().strip()
        info.currency = self.currency_edit.text().strip().upper()
        rates = dict(info.exchange_rates) if isinstance(info.exchange_rates, dict) else {}
        rate_text = self.usd_rate_edit.text().strip().replace(",", ".")
        if not rate_text:
            rates.pop("USD", None)
        else:
            try:
                rates["USD"] = float(rate_text)
            except ValueError:
                rates["USD"] = rate_text  # kept as typed so that validation names it
        info.exchange_rates = rates
        info.units = self.units_combo.currentData()
        info.notes = self.notes_edit.toPlainText()

    def find_error(self, project: Project) -> InputError | None:
        date_text = project.info.date
        if date_text:
            try:
                datetime.date.fromisoformat(date_text)
            except ValueError:
                return InputError("Project > date", date_text, "a date as YYYY-MM-DD, or empty")
        return section_error(project, "info")
