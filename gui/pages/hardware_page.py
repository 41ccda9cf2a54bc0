"""Hardware page: ranked accelerator options per workload, the choice and its overrides."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.project import Project, validate_workload
from gui.pages.base import ERROR_STYLE, WARNING_STYLE, PlanStatus, WizardPage

AUTOMATIC = ""
CHOSEN_COLOUR = QColor("#d8f0d8")
INFEASIBLE_COLOUR = QColor("#777777")
COLUMNS = ["", "Accelerator", "Count", "Server", "Average W", "Peak W", "Feasible / why not"]


def _watts(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) else "-"


class HardwarePage(WizardPage):
    def __init__(self, controller):
        super().__init__(controller, "Hardware",
                         "Options that meet each workload, ranked by average wall power (or "
                         "cost, set on the Energy system page). The first feasible option is "
                         "chosen unless you override it.")
        self.status = PlanStatus()
        self.status.cancel_button.clicked.connect(controller.choices_runner.cancel)
        self.status.recalculate_button.clicked.connect(
            lambda: controller.request_choices(force=True))
        self.body.addWidget(self.status)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.container = QWidget()
        self.container_layout = QVBoxLayout(self.container)
        self.scroll.setWidget(self.container)
        self.body.addWidget(self.scroll, 1)

        runner = controller.choices_runner
        runner.started.connect(lambda: self.status.set_running(0, "Ranking hardware..."))
        runner.progress.connect(self.status.set_running)
        runner.cancelled.connect(
            lambda: self.status.set_idle("Cancelled. Press Recalculate to rank again."))
        controller.choices_ready.connect(self.show_choices)
        controller.choices_failed.connect(self._on_failed)
        self.override_combos: list[tuple[QComboBox, QComboBox]] = []
        self.option_tables: list[QTableWidget] = []

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.controller.request_choices()

    # --- results ---

    def _on_failed(self, message: str) -> None:
        self.status.set_idle(message, error=True)

    def _clear(self) -> None:
        while self.container_layout.count():
            item = self.container_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.override_combos = []
        self.option_tables = []

    def show_choices(self, choices: list) -> None:
        self._clear()
        for index, choice in enumerate(choices):
            self.container_layout.addWidget(self._choice_box(index, choice))
        self.container_layout.addStretch(1)
        unmet = sum(1 for choice in choices if choice.chosen is None)
        summary = f"{len(choices)} workload{'s' if len(choices) != 1 else ''} ranked."
        if unmet:
            summary += f" {unmet} cannot be met by the catalog hardware."
        self.status.set_idle(summary, error=bool(unmet))

    def _choice_box(self, index: int, choice) -> QGroupBox:
        workload = choice.workload
        box = QGroupBox(f"{workload.name}")
        layout = QVBoxLayout(box)

        reason = QLabel(choice.reason)
        reason.setWordWrap(True)
        reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if choice.chosen is None:
            reason.setStyleSheet(ERROR_STYLE)
        layout.addWidget(reason)
        for warning in choice.warnings:
            label = QLabel(f"Warning: {warning}")
            label.setWordWrap(True)
            label.setStyleSheet(WARNING_STYLE + " font-weight: bold;")
            layout.addWidget(label)

        table = self._options_table(choice)
        layout.addWidget(table)
        self.option_tables.append(table)

        overrides = QFormLayout()
        accelerator_combo = QComboBox()
        accelerator_combo.addItem("automatic", AUTOMATIC)
        for row in sorted(self.controller.catalog["accelerators"].values(),
                          key=lambda row: row.name):
            accelerator_combo.addItem(row.name, row.key)
        server_combo = QComboBox()
        server_combo.addItem("automatic", AUTOMATIC)
        for row in sorted(self.controller.catalog["servers"].values(), key=lambda row: row.name):
            server_combo.addItem(row.name, row.key)
        live = self.controller.project.workloads
        if index < len(live):
            accelerator_combo.setCurrentIndex(
                max(accelerator_combo.findData(live[index].accelerator_override), 0))
            server_combo.setCurrentIndex(max(server_combo.findData(live[index].server_override), 0))
        accelerator_combo.currentIndexChanged.connect(
            lambda _i, n=index: self._on_override(n))
        server_combo.currentIndexChanged.connect(lambda _i, n=index: self._on_override(n))
        overrides.addRow("Accelerator override:", accelerator_combo)
        overrides.addRow("Server override:", server_combo)
        layout.addLayout(overrides)
        self.override_combos.append((accelerator_combo, server_combo))
        return box

    def _options_table(self, choice) -> QTableWidget:
        table = QTableWidget(len(choice.options), len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        bold = QFont()
        bold.setBold(True)
        for row, option in enumerate(choice.options):
            if option is choice.chosen:
                mark = "chosen"
            elif option is choice.runner_up:
                mark = "runner-up"
            else:
                mark = ""
            feasible = option.feasible and option.servers is not None
            server = option.servers
            cells = [
                mark,
                option.accelerator_name,
                str(option.accelerator_count) if option.accelerator_count else "-",
                f"{server.server_count} x {server.server_name}" if server else "-",
                _watts(option.average_wall_w),
                _watts(option.peak_wall_w),
                "yes" if feasible else (option.why_not or "no"),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column == 6:
                    item.setToolTip(text)
                if option is choice.chosen:
                    item.setBackground(QBrush(CHOSEN_COLOUR))
                    item.setFont(bold)
                elif not feasible:
                    item.setForeground(QBrush(INFEASIBLE_COLOUR))
                table.setItem(row, column, item)
        visible_rows = min(len(choice.options), 8)
        table.setMinimumHeight(table.horizontalHeader().height() + 4
                               + visible_rows * table.verticalHeader().defaultSectionSize())
        return table

    def _on_override(self, index: int) -> None:
        workloads = self.controller.project.workloads
        if index >= len(workloads):
            return
        accelerator_combo, server_combo = self.override_combos[index]
        workloads[index].accelerator_override = accelerator_combo.currentData() or ""
        workloads[index].server_override = server_combo.currentData() or ""
        self.controller.mark_edited(recompute_choices=True)

    # --- WizardPage ---

    def load_from_project(self, project: Project) -> None:
        self._clear()
        self.status.set_idle("")

    def write_to_project(self, project: Project) -> None:
        """Overrides are written as soon as a combo box changes."""

    def find_error(self, project: Project) -> InputError | None:
        for index, workload in enumerate(project.workloads):
            try:
                validate_workload(workload, index)
            except InputError as error:
                return error
        return None
