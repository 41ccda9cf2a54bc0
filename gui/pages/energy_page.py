"""Energy system page: design targets, headline figures and the plots of the simulated year."""

from __future__ import annotations

import logging
import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.project import DISPATCH_STRATEGIES, RANK_BY, Project
from core.daily import DAYS_PER_YEAR, FIRST_DAY_OF_MONTH, day_label
from core.sizing import MONTH_NAMES
from core.units import DAYS_PER_MONTH
from gui.headline import HEADLINE_NAMES, headline_rows
from gui.pages.base import (
    ERROR_STYLE,
    PlanStatus,
    WizardPage,
    float_spin,
    int_spin,
    section_error,
)
from gui.pages.search_results import SearchResultsView
from gui.plotdata import simulation_average_day, simulation_single_day
from gui.plots import COLOURS, HOUR_TICKS, MONTH_TICKS, style_plot

logger = logging.getLogger(__name__)

WIDE = 1_000_000
PSU_REDUNDANCY = ("1+1", "N+1", "none")
HOURS = np.arange(25)  # 24 hourly steps drawn as a step curve from 00:00 to 24:00
# Targets stored as fractions and edited in percent.
PERCENT_FIELDS = ("Targets > real discount rate", "Targets > fuel price escalation per year")
AVERAGE_DAY_VIEW = 0
SINGLE_DAY_VIEW = 1


class EnergyPage(WizardPage):
    recompute_plan_on_edit = True

    def __init__(self, controller):
        super().__init__(controller, "Energy system",
                         "Design targets, then the PV array, battery and generator sized by "
                         "the worst-month method and checked hour by hour over a typical year.")
        self.plan = None
        self.status = PlanStatus()
        self.status.cancel_button.clicked.connect(controller.cancel_plan)
        self.status.recalculate_button.clicked.connect(lambda: controller.request_plan(force=True))
        self.body.addWidget(self.status)

        columns = QHBoxLayout()
        self.body.addLayout(columns, 1)
        left_widget = QWidget()
        left = QVBoxLayout(left_widget)
        left.setContentsMargins(0, 0, 6, 0)
        left.addWidget(self._build_targets())
        left.addWidget(self._build_economics())
        left.addWidget(self._build_headline())
        left.addWidget(self._build_comparison())
        left.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left_widget)
        scroll.setMinimumWidth(460)
        scroll.setMaximumWidth(520)
        columns.addWidget(scroll)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_plots(), "Daily and monthly energy")
        self.search_view = SearchResultsView()
        self.tabs.addTab(self.search_view, "Design search")
        columns.addWidget(self.tabs, 1)

        controller.plan_started.connect(lambda: self.status.set_running(0, "Starting the plan"))
        controller.plan_progress.connect(self.status.set_running)
        controller.plan_ready.connect(self.show_plan)
        controller.plan_failed.connect(lambda message: self.status.set_idle(message, error=True))
        controller.plan_cancelled.connect(
            lambda: self.status.set_idle("Cancelled. Press Recalculate to compute the plan."))
        self.reload()

    # --- layout ---

    def _build_targets(self) -> QGroupBox:
        box = QGroupBox("Targets")
        form = QFormLayout(box)
        self.autonomy_spin = float_spin(-WIDE, WIDE, 1, "days", 0.5)
        self.unmet_spin = float_spin(-WIDE, WIDE, 3, "", 0.005)
        self.unmet_spin.setToolTip("Share of the always-on load that may go unserved, 0 to 0.2")
        self.budget_edit = QLineEdit()
        self.budget_edit.setPlaceholderText("no budget")
        self.strategy_combo = QComboBox()
        for strategy in DISPATCH_STRATEGIES:
            self.strategy_combo.addItem(strategy.replace("_", " "), strategy)
        self.strategy_combo.setToolTip("Load following: the generator covers only the net load. "
                                       "Cycle charging: it runs at its target loading and "
                                       "charges the battery with the surplus.")
        self.pr_spin = float_spin(-WIDE, WIDE, 2, "", 0.01)
        self.pr_spin.setToolTip("All losses from the array to the load, 0.4 to 1")
        self.soc_min_spin = float_spin(-WIDE, WIDE, 2, "", 0.05)
        self.soc_min_spin.setToolTip("Lowest battery state of charge as a fraction, 0 to 0.8")
        self.gen_min_spin = float_spin(-WIDE, WIDE, 2, "", 0.05)
        self.gen_min_spin.setToolTip("Lowest generator output as a fraction of its rating")
        self.gen_target_spin = float_spin(-WIDE, WIDE, 2, "", 0.05)
        self.gen_target_spin.setToolTip("Generator loading used for sizing and cycle charging")
        self.psu_combo = QComboBox()
        self.psu_combo.addItems(PSU_REDUNDANCY)
        self.rank_combo = QComboBox()
        for rank in RANK_BY:
            self.rank_combo.addItem("average power" if rank == "power" else "capital cost", rank)
        form.addRow("Days of autonomy:", self.autonomy_spin)
        form.addRow("Maximum unmet load (0-0.2):", self.unmet_spin)
        form.addRow("Budget:", self.budget_edit)
        form.addRow("Dispatch strategy:", self.strategy_combo)
        form.addRow("Performance ratio (0.4-1):", self.pr_spin)
        form.addRow("Battery minimum SOC (0-0.8):", self.soc_min_spin)
        form.addRow("Generator minimum load (0-0.9):", self.gen_min_spin)
        form.addRow("Generator target loading:", self.gen_target_spin)
        form.addRow("PSU redundancy:", self.psu_combo)
        form.addRow("Rank hardware by:", self.rank_combo)

        self.budget_edit.textEdited.connect(self.on_edited)
        for combo in (self.strategy_combo, self.psu_combo, self.rank_combo):
            combo.currentIndexChanged.connect(self.on_edited)
        for spin in (self.autonomy_spin, self.unmet_spin, self.pr_spin, self.soc_min_spin,
                     self.gen_min_spin, self.gen_target_spin):
            spin.valueChanged.connect(self.on_edited)
        return box

    def _build_economics(self) -> QGroupBox:
        box = QGroupBox("Economics of the design search")
        form = QFormLayout(box)
        self.life_spin = int_spin(-WIDE, WIDE, "years")
        self.life_spin.setToolTip("Years over which the net present cost is summed, 1 to 40")
        self.discount_spin = float_spin(-WIDE, WIDE, 1, "%", 0.5)
        self.discount_spin.setToolTip("Real discount rate (after inflation), 0 to 30 %")
        self.escalation_spin = float_spin(-WIDE, WIDE, 1, "%/year", 0.5)
        self.escalation_spin.setToolTip("Real yearly change of the fuel price, -10 to 30 %; "
                                        "the price itself is set on the Site page")
        form.addRow("Project life:", self.life_spin)
        form.addRow("Real discount rate:", self.discount_spin)
        form.addRow("Fuel price escalation:", self.escalation_spin)
        for spin in (self.life_spin, self.discount_spin, self.escalation_spin):
            spin.valueChanged.connect(self.on_edited)
        return box

    def _build_headline(self) -> QGroupBox:
        box = QGroupBox("Headline figures")
        self.headline_grid = QGridLayout(box)
        self.headline_labels: dict[str, QLabel] = {}
        for row, name in enumerate(HEADLINE_NAMES):
            self.headline_grid.addWidget(QLabel(name + ":"), row, 0)
            value = QLabel("-")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.headline_grid.addWidget(value, row, 1)
            self.headline_labels[name] = value
        self.budget_label = QLabel("")
        self.budget_label.setWordWrap(True)
        self.headline_grid.addWidget(self.budget_label, len(self.headline_labels), 0, 1, 2)
        return box

    def _build_comparison(self) -> QGroupBox:
        box = QGroupBox("Worst-month hand method and simulation")
        layout = QVBoxLayout(box)
        self.worst_month_label = QLabel("")
        self.worst_month_label.setWordWrap(True)
        layout.addWidget(self.worst_month_label)
        self.comparison_table = QTableWidget(0, 3)
        self.comparison_table.setHorizontalHeaderLabels(["Quantity", "Hand method",
                                                         "Design / simulation"])
        self.comparison_table.verticalHeader().setVisible(False)
        self.comparison_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.comparison_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.comparison_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.comparison_table)
        return box

    def _build_plots(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        selector = QHBoxLayout()
        self.average_radio = QRadioButton("Average day of")
        self.average_radio.setChecked(True)
        self.month_combo = QComboBox()
        self.month_combo.addItems(MONTH_NAMES)
        self.month_combo.setToolTip("Each hour averaged over the days of the month")
        self.month_note = QLabel("")
        self.single_radio = QRadioButton("Single day, day of year")
        self.day_spin = int_spin(1, DAYS_PER_YEAR)
        self.day_spin.setValue(15)
        self.day_spin.setWrapping(True)
        self.day_spin.setToolTip("Day of the typical year, 1 = 1 January, 365 = 31 December")
        self.day_date_label = QLabel(day_label(self.day_spin.value() - 1))
        self.day_date_label.setMinimumWidth(60)
        self.view_group = QButtonGroup(self)
        self.view_group.addButton(self.average_radio, AVERAGE_DAY_VIEW)
        self.view_group.addButton(self.single_radio, SINGLE_DAY_VIEW)
        selector.addWidget(self.average_radio)
        selector.addWidget(self.month_combo)
        selector.addWidget(self.month_note)
        selector.addSpacing(24)
        selector.addWidget(self.single_radio)
        selector.addWidget(self.day_spin)
        selector.addWidget(self.day_date_label)
        selector.addStretch(1)
        layout.addLayout(selector)
        self.view_group.idToggled.connect(self._on_view_toggled)
        self.month_combo.currentIndexChanged.connect(self._on_month_changed)
        self.day_spin.valueChanged.connect(self._on_day_changed)

        self.day_plot = pg.PlotWidget()
        style_plot(self.day_plot, "Power on an average day", "Power [kW]")
        self.day_plot.getAxis("bottom").setTicks([HOUR_TICKS])
        self.day_plot.addLegend(offset=(5, 5), labelTextSize="8pt", colCount=3)
        self.day_curves = {
            "pv_available_kw": self._step_curve("Solar available", COLOURS["pv_available"],
                                                fill=True),
            "pv_used_kw": self._step_curve("Solar used", COLOURS["pv"], width=2),
            "load_always_on_kw": self._step_curve("Always-on load", COLOURS["load"], width=2),
            "load_batch_kw": self._step_curve("Batch load", COLOURS["batch"], width=2,
                                              style=Qt.PenStyle.DashLine),
            "generator_kw": self._step_curve("Generator", COLOURS["generator"], width=2),
        }
        layout.addWidget(self.day_plot, 3)

        self.soc_plot = pg.PlotWidget()
        style_plot(self.soc_plot, "Battery state of charge, same day", "SOC [%]",
                   "Hour of day (local standard time)")
        self.soc_plot.getAxis("bottom").setTicks([HOUR_TICKS])
        # The margin keeps the 0 and 100 labels, which pyqtgraph hides at the very edge.
        self.soc_plot.setYRange(-10, 110, padding=0)
        self.soc_plot.getAxis("left").setTicks([[(value, str(value)) for value in range(0, 101, 25)]])
        self.soc_plot.setXLink(self.day_plot)
        self.soc_curve = self.soc_plot.plot(HOURS, np.zeros(25), connect="finite",
                                            pen=pg.mkPen(COLOURS["soc"], width=2))
        self.soc_floor_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#888888", width=1,
                                                                     style=Qt.PenStyle.DotLine))
        self.soc_plot.addItem(self.soc_floor_line)
        layout.addWidget(self.soc_plot, 2)

        self.monthly_plot = pg.PlotWidget()
        style_plot(self.monthly_plot, "Energy by month", "Energy [kWh]")
        self.monthly_plot.getAxis("bottom").setTicks([MONTH_TICKS])
        self.monthly_plot.addLegend(offset=(5, 5), labelTextSize="8pt", colCount=5)
        self.monthly_bars: dict[str, pg.BarGraphItem] = {}
        series = [("pv_used_kwh", "PV used", COLOURS["pv"]),
                  ("generator_kwh", "Generator", COLOURS["generator"]),
                  ("dumped_kwh", "Dumped", COLOURS["dumped"]),
                  ("unmet_kwh", "Unmet", COLOURS["unmet"])]
        width = 0.2
        for position, (key, name, colour) in enumerate(series):
            offset = (position - 1.5) * width
            bars = pg.BarGraphItem(x=np.arange(12) + offset, height=np.zeros(12), width=width,
                                   brush=colour, pen=None, name=name)
            self.monthly_plot.addItem(bars)
            self.monthly_bars[key] = bars
        self.monthly_load_curve = self.monthly_plot.plot(
            np.arange(12), np.zeros(12), pen=pg.mkPen(COLOURS["load"], width=2), symbol="o",
            symbolSize=5, symbolBrush=COLOURS["load"], name="Load (always-on + batch)")
        layout.addWidget(self.monthly_plot, 3)
        return panel

    def _step_curve(self, name: str, colour: str, width: int = 1, fill: bool = False,
                    style=Qt.PenStyle.SolidLine):
        pen = pg.mkPen(colour, width=width, style=style)
        options = {"stepMode": "center", "pen": pen, "name": name}
        if fill:
            options.update(fillLevel=0, brush=pg.mkBrush(colour + "80"),
                           pen=pg.mkPen("#C9B800", width=1))
        return self.day_plot.plot(HOURS, np.zeros(24), **options)

    # --- results ---

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        currency = self.controller.project.info.currency or "USD"
        self.budget_edit.setPlaceholderText(f"no budget ({currency})")
        self.controller.request_plan()

    def show_plan(self, plan) -> None:
        self.plan = plan
        self.status.set_idle(f"Plan ready for '{plan.project.info.name}'.")
        for name, value in headline_rows(plan):
            self.headline_labels[name].setText(value)
        budget = plan.project.targets.budget
        if budget is not None and plan.bom.total > budget:
            self.budget_label.setStyleSheet(ERROR_STYLE)
            self.budget_label.setText(f"Over budget by {plan.bom.total - budget:,.0f} "
                                      f"{plan.project.info.currency}.")
        else:
            self.budget_label.setText("")
        self._fill_comparison(plan)
        self.month_combo.blockSignals(True)
        self.month_combo.setCurrentIndex(plan.worst_month)
        self.month_combo.blockSignals(False)
        if self.view_group.checkedId() == AVERAGE_DAY_VIEW:
            # The single-day view starts on the 15th of the worst month.
            self.day_spin.blockSignals(True)
            self.day_spin.setValue(int(FIRST_DAY_OF_MONTH[plan.worst_month]) + 15)
            self.day_spin.blockSignals(False)
            self._update_day_date()
        self._draw_day()
        self._draw_monthly(plan)
        self.search_view.set_plan(plan)

    def _fill_comparison(self, plan) -> None:
        quick = plan.quick
        month = plan.worst_month
        monthly = plan.simulation.monthly_energy()
        days = int(DAYS_PER_MONTH[month])
        self.worst_month_label.setText(
            f"Worst month: {MONTH_NAMES[month]} (highest load per peak sun hour). "
            f"Daily load {quick.daily_load_worst_kwh:.1f} kWh, {quick.psh_worst:.2f} peak sun "
            "hours on the array plane.")
        steps = {step.label: step.formula for step in quick.steps}
        rows = [
            ("PV array [kWp]", f"{quick.pv_kwp:.2f}", f"{plan.pv_array.kwp:.2f}",
             steps.get("PV array", "")),
            ("Battery usable [kWh]", f"{quick.battery_usable_kwh:.1f}",
             f"{plan.battery_usable_kwh:.1f}", steps.get("Battery usable energy", "")),
            ("Battery nominal [kWh]", f"{quick.battery_nominal_kwh:.1f}",
             f"{plan.battery_bank.nominal_kwh:.1f}", steps.get("Battery nominal energy", "")),
            ("Generator [kW]", f"{quick.generator_kw:.1f}", f"{plan.generator.rated_kw:.1f}",
             steps.get("Generator rating", "")),
            (f"PV used in {MONTH_NAMES[month]} [kWh/day]", "-",
             f"{monthly['pv_used_kwh'][month] / days:.1f}", ""),
            (f"Generator in {MONTH_NAMES[month]} [kWh/day]", "0 (PV and battery only)",
             f"{monthly['generator_kwh'][month] / days:.1f}", ""),
            (f"Unmet in {MONTH_NAMES[month]} [kWh]", "0",
             f"{monthly['unmet_kwh'][month]:.1f}", ""),
        ]
        table = self.comparison_table
        table.setRowCount(len(rows))
        for row, (label, hand, design, formula) in enumerate(rows):
            for column, text in enumerate((label, hand, design)):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if formula and column == 1:
                    item.setToolTip(formula)
                table.setItem(row, column, item)
        table.setMinimumHeight(table.horizontalHeader().height() + 6
                               + len(rows) * table.verticalHeader().defaultSectionSize())

    def _on_view_toggled(self, _button_id: int, checked: bool) -> None:
        if checked:
            self._draw_day()

    def _on_month_changed(self) -> None:
        if self.average_radio.isChecked():
            self._draw_day()
        else:
            self.average_radio.setChecked(True)  # draws through _on_view_toggled

    def _on_day_changed(self) -> None:
        self._update_day_date()
        if self.single_radio.isChecked():
            self._draw_day()
        else:
            self.single_radio.setChecked(True)  # draws through _on_view_toggled

    def _update_day_date(self) -> None:
        self.day_date_label.setText(day_label(self.day_spin.value() - 1))

    def selected_day_profile(self):
        """Return the ``DayProfile`` the daily plots show, or None before the first plan."""
        if self.plan is None:
            return None
        nominal_kwh = self.plan.battery_bank.nominal_kwh
        if self.single_radio.isChecked():
            return simulation_single_day(self.plan.simulation, self.day_spin.value() - 1,
                                         nominal_kwh)
        return simulation_average_day(self.plan.simulation, self.month_combo.currentIndex(),
                                      nominal_kwh)

    def _draw_day(self) -> None:
        day = self.selected_day_profile()
        if day is None:
            return
        for key, curve in self.day_curves.items():
            curve.setData(HOURS, getattr(day, key))
        # SOC is given at the hour boundaries 00:00 to 24:00.
        self.soc_curve.setData(HOURS, day.soc_percent)
        self.soc_floor_line.setValue(self.plan.project.targets.battery_soc_min * 100.0)
        self.day_plot.setXRange(0, 24, padding=0.01)
        # Headroom above the highest curve keeps the legend clear of the data.
        top_kw = max(float(np.max(getattr(day, key))) for key in self.day_curves)
        self.day_plot.setYRange(0, max(top_kw, 0.1) * 1.45, padding=0)
        month = self.month_combo.currentIndex()
        note = " (worst month)" if month == self.plan.worst_month else ""
        self.month_note.setText(note)
        if self.single_radio.isChecked():
            title = f"Power on {day.title} (day {self.day_spin.value()} of {DAYS_PER_YEAR})"
            soc_title = f"Battery state of charge on {day.title}"
        else:
            title = f"Power on an average day in {MONTH_NAMES[month]}{note}"
            soc_title = f"Battery state of charge, average day in {MONTH_NAMES[month]}"
        self.day_plot.setTitle(title, size="10pt")
        self.soc_plot.setTitle(soc_title, size="10pt")

    def _draw_monthly(self, plan) -> None:
        monthly = plan.simulation.monthly_energy()
        for key, bars in self.monthly_bars.items():
            bars.setOpts(height=monthly[key])
        self.monthly_load_curve.setData(np.arange(12),
                                        monthly["load_kwh"] + monthly["deferrable_kwh"])
        top_kwh = max(float(np.max(monthly[key])) for key in
                      ("pv_used_kwh", "generator_kwh", "dumped_kwh", "unmet_kwh", "load_kwh"))
        self.monthly_plot.setXRange(-0.6, 11.6, padding=0)
        self.monthly_plot.setYRange(0, max(top_kwh, 1.0) * 1.3, padding=0)

    # --- WizardPage ---

    def load_from_project(self, project: Project) -> None:
        targets = project.targets
        self.autonomy_spin.setValue(targets.autonomy_days)
        self.unmet_spin.setValue(targets.max_unmet_fraction)
        self.budget_edit.setText("" if targets.budget is None else f"{targets.budget:g}")
        self.strategy_combo.setCurrentIndex(max(self.strategy_combo.findData(
            targets.dispatch_strategy), 0))
        self.pr_spin.setValue(targets.performance_ratio)
        self.soc_min_spin.setValue(targets.battery_soc_min)
        self.gen_min_spin.setValue(targets.generator_min_load_ratio)
        self.gen_target_spin.setValue(targets.generator_target_loading)
        self.psu_combo.setCurrentText(targets.psu_redundancy)
        self.rank_combo.setCurrentIndex(max(self.rank_combo.findData(
            targets.rank_hardware_by), 0))
        self.life_spin.setValue(targets.project_life_years)
        self.discount_spin.setValue(targets.discount_rate * 100.0)
        self.escalation_spin.setValue(targets.fuel_escalation_rate * 100.0)
        self.plan = None

    def write_to_project(self, project: Project) -> None:
        targets = project.targets
        targets.autonomy_days = self.autonomy_spin.value()
        targets.max_unmet_fraction = self.unmet_spin.value()
        budget_text = self.budget_edit.text().strip().replace(",", "")
        if not budget_text:
            targets.budget = None
        else:
            try:
                targets.budget = float(budget_text)
            except ValueError:
                targets.budget = budget_text  # kept as typed so that validation names it
        targets.dispatch_strategy = self.strategy_combo.currentData()
        targets.performance_ratio = self.pr_spin.value()
        targets.battery_soc_min = self.soc_min_spin.value()
        targets.generator_min_load_ratio = self.gen_min_spin.value()
        targets.generator_target_loading = self.gen_target_spin.value()
        targets.psu_redundancy = self.psu_combo.currentText()
        targets.rank_hardware_by = self.rank_combo.currentData()
        targets.project_life_years = self.life_spin.value()
        # Rounded so that 6.0 % is stored as 0.06, not 0.060000000000000005.
        targets.discount_rate = round(self.discount_spin.value() / 100.0, 6)
        targets.fuel_escalation_rate = round(self.escalation_spin.value() / 100.0, 6)

    def find_error(self, project: Project) -> InputError | None:
        budget = project.targets.budget
        if isinstance(budget, str):
            return InputError("Targets > budget", budget,
                              f"an amount in {project.info.currency}, or empty for no budget")
        error = section_error(project, "targets")
        if error is not None and error.field in PERCENT_FIELDS:
            return _in_percent(error)
        return error


def _in_percent(error: InputError) -> InputError:
    """Restate an error on a fraction field in percent, as the page shows the field."""
    value = error.value * 100.0 if isinstance(error.value, (int, float)) else error.value
    allowed = re.sub(r"-?\d+(?:\.\d+)?", lambda match: f"{float(match.group()) * 100:g}",
                     error.allowed)
    return InputError(f"{error.field} [%]", round(value, 6), allowed)
