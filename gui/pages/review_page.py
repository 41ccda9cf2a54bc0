"""Review page: headline figures, racks and circuits, bill of materials, warnings and PDF export."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.errors import InputError
from core.project import Project
from gui.headline import HEADLINE_NAMES, headline_rows
from gui.pages.base import ERROR_STYLE, PlanStatus, WizardPage
from gui.worker import TaskRunner

logger = logging.getLogger(__name__)

CIRCUIT_COLUMNS = ["Rack", "Circuit", "Feed", "Phase", "PDU", "Breaker", "Normal load",
                   "Load after a feed fails"]
OVERLOAD_COLOUR = QColor("#f6d0d0")


def _write_pdf(plan, path: Path, progress, cancel: threading.Event) -> Path | None:
    """Write the PDF beside ``path`` and move it into place unless the export was cancelled."""
    # Imported here so that the wizard starts even where the report module is missing.
    from core.report.pdf import write_pdf

    progress(10, f"Writing {path.name}")
    partial = path.with_name(path.name + ".part")
    write_pdf(plan, partial)
    if cancel.is_set():
        partial.unlink(missing_ok=True)
        return None
    os.replace(partial, path)
    return path


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ReviewPage(WizardPage):
    def __init__(self, controller):
        super().__init__(controller, "Review and export",
                         "Check the figures, racks, costs and warnings, then export the PDF "
                         "proposal.")
        self.plan = None
        self._pending_export: Path | None = None
        self.last_export: Path | None = None

        self.status = PlanStatus()
        self.status.cancel_button.clicked.connect(controller.cancel_plan)
        self.status.recalculate_button.clicked.connect(lambda: controller.request_plan(force=True))
        self.body.addWidget(self.status)

        grid = QGridLayout()
        self.body.addLayout(grid, 1)

        headline_box = QGroupBox("Headline figures")
        headline_layout = QGridLayout(headline_box)
        self.headline_labels: dict[str, QLabel] = {}
        for row, name in enumerate(HEADLINE_NAMES):
            headline_layout.addWidget(QLabel(name + ":"), row, 0)
            value = QLabel("-")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            headline_layout.addWidget(value, row, 1)
            self.headline_labels[name] = value
        grid.addWidget(headline_box, 0, 0)

        cost_box = QGroupBox("Bill of materials")
        cost_layout = QVBoxLayout(cost_box)
        self.bom_table = _table(["Category", "Total"])
        cost_layout.addWidget(self.bom_table)
        self.bom_total_label = QLabel("")
        self.bom_total_label.setWordWrap(True)
        cost_layout.addWidget(self.bom_total_label)
        grid.addWidget(cost_box, 0, 1)

        rack_box = QGroupBox("Racks and circuits")
        rack_layout = QVBoxLayout(rack_box)
        self.rack_table = _table(["Rack", "Servers", "Rack units", "Average W", "Peak W",
                                  "Heat W", "Heat BTU/h"])
        self.circuit_table = _table(CIRCUIT_COLUMNS)
        rack_layout.addWidget(self.rack_table)
        rack_layout.addWidget(self.circuit_table)
        grid.addWidget(rack_box, 1, 0, 1, 2)

        warnings_box = QGroupBox("Warnings")
        warnings_layout = QVBoxLayout(warnings_box)
        self.warnings_list = QListWidget()
        self.warnings_list.setWordWrap(True)
        warnings_layout.addWidget(self.warnings_list)
        grid.addWidget(warnings_box, 2, 0, 1, 2)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 1)

        export_row = QHBoxLayout()
        self.export_button = QPushButton("Export PDF...")
        self.export_button.clicked.connect(self.choose_and_export)
        self.export_status = QLabel("")
        self.export_status.setObjectName("exportStatus")
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Busy bar: the PDF writer reports no steps, so the bar only shows it is working.
        self.export_progress = QProgressBar()
        self.export_progress.setRange(0, 0)
        self.export_progress.setMaximumWidth(160)
        self.export_progress.hide()
        self.export_cancel_button = QPushButton("Cancel export")
        self.export_cancel_button.hide()
        self.export_cancel_button.clicked.connect(self.cancel_export)
        self._export_cancel = threading.Event()
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.export_progress)
        export_row.addWidget(self.export_cancel_button)
        export_row.addWidget(self.export_status, 1)
        self.body.addLayout(export_row)

        self.export_runner = TaskRunner("PDF export", self)
        self.export_runner.started.connect(self._on_export_started)
        self.export_runner.finished.connect(self._on_exported)
        self.export_runner.failed.connect(self._on_export_failed)

        controller.plan_started.connect(lambda: self.status.set_running(0, "Starting the plan"))
        controller.plan_progress.connect(self.status.set_running)
        controller.plan_ready.connect(self.show_plan)
        controller.plan_failed.connect(self._on_plan_failed)
        controller.plan_cancelled.connect(self._on_plan_cancelled)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.controller.request_plan()

    # --- plan ---

    def _on_plan_failed(self, message: str) -> None:
        self.status.set_idle(message, error=True)
        if self._pending_export is not None:
            self._pending_export = None
            self._set_export_message(f"PDF not written: {message}", error=True)

    def _on_plan_cancelled(self) -> None:
        self.status.set_idle("Cancelled. Press Recalculate to compute the plan.")
        if self._pending_export is not None:
            self._pending_export = None
            self._set_export_message("PDF export cancelled.", error=False)

    def show_plan(self, plan) -> None:
        self.plan = plan
        self.status.set_idle(f"Plan ready for '{plan.project.info.name}'.")
        for name, value in headline_rows(plan):
            self.headline_labels[name].setText(value)
        self._fill_bom(plan)
        self._fill_racks(plan)
        self.warnings_list.clear()
        for warning in plan.warnings:
            item = QListWidgetItem(warning)
            item.setForeground(QBrush(QColor("#8a4b00")))
            self.warnings_list.addItem(item)
        if not plan.warnings:
            self.warnings_list.addItem("No warnings.")
        if self._pending_export is not None:
            path, self._pending_export = self._pending_export, None
            self._start_export(plan, path)

    def _fill_bom(self, plan) -> None:
        bom = plan.bom
        totals = bom.total_by_category()
        self.bom_table.setRowCount(len(totals))
        for row, (category, total) in enumerate(totals.items()):
            self.bom_table.setItem(row, 0, QTableWidgetItem(category))
            item = QTableWidgetItem(f"{total:,.0f} {bom.currency}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.bom_table.setItem(row, 1, item)
        text = f"Total of priced lines: {bom.total:,.0f} {bom.currency}."
        unpriced = bom.unpriced_lines
        if unpriced:
            names = ", ".join(f"{line.quantity} x {line.description}" for line in unpriced)
            lines_text = "1 line needs" if len(unpriced) == 1 else f"{len(unpriced)} lines need"
            text += f" {lines_text} a quote and are not in the total: {names}."
        self.bom_total_label.setText(text)

    def _fill_racks(self, plan) -> None:
        racks = plan.rack_plan.racks
        self.rack_table.setRowCount(len(racks))
        circuits = [(rack, circuit) for rack in racks for circuit in rack.circuits]
        for row, rack in enumerate(racks):
            cells = [rack.name, str(len(rack.servers)), f"{rack.used_units} U",
                     f"{rack.average_w:,.0f}", f"{rack.peak_w:,.0f}", f"{rack.peak_w:,.0f}",
                     f"{rack.heat_btu_per_h:,.0f}"]
            for column, text in enumerate(cells):
                self.rack_table.setItem(row, column, QTableWidgetItem(text))
        self.circuit_table.setRowCount(len(circuits))
        for row, (rack, circuit) in enumerate(circuits):
            cells = [rack.name, circuit.label, circuit.feed, circuit.phase, circuit.pdu.name,
                     f"{circuit.breaker_a:g} A, {circuit.voltage_v:g} V",
                     f"{circuit.normal_loading:.0%}", f"{circuit.failover_loading:.0%}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not circuit.within_limit:
                    item.setBackground(QBrush(OVERLOAD_COLOUR))
                    item.setToolTip("Above 80 % of the breaker rating for continuous load")
                self.circuit_table.setItem(row, column, item)

    # --- export ---

    def choose_and_export(self) -> None:
        project = self.controller.project
        folder = self.controller.project_dir or Path.home()
        suggested = folder / (_safe_file_name(project.info.name) + ".pdf")
        path, _ = QFileDialog.getSaveFileName(self, "Export PDF proposal", str(suggested),
                                              "PDF files (*.pdf)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the PDF of the current plan to ``path``, computing the plan first if needed."""
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        plan = self.controller.plan
        if plan is not None and not self.controller.plan_stale:
            self._start_export(plan, path)
            return
        self._pending_export = path
        self._set_export_message("Computing the plan before the export...", error=False)
        self.controller.request_plan()

    def _start_export(self, plan, path: Path) -> None:
        cancel = threading.Event()
        self._export_cancel = cancel
        self.export_runner.start(lambda progress: _write_pdf(plan, path, progress, cancel))

    def cancel_export(self) -> None:
        """Stop waiting for the PDF; a file the worker finishes later is deleted, not kept."""
        self._export_cancel.set()
        self.export_runner.cancel()
        self._show_export_busy(False)
        self._set_export_message("PDF export cancelled; no file was written.", error=False)

    def _show_export_busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.export_progress.setVisible(busy)
        self.export_cancel_button.setVisible(busy)

    def _on_export_started(self) -> None:
        self._show_export_busy(True)
        self._set_export_message("Writing the PDF...", error=False)

    def _on_exported(self, path: Path | None) -> None:
        self._show_export_busy(False)
        if path is None:
            return
        self.last_export = path
        self._set_export_message(f"Wrote {path}", error=False)
        logger.info("Exported the proposal to %s", path)

    def _on_export_failed(self, message: str, _details: str) -> None:
        self._show_export_busy(False)
        self._set_export_message(f"PDF not written: {message}", error=True)

    def _set_export_message(self, text: str, *, error: bool) -> None:
        self.export_status.setStyleSheet(ERROR_STYLE if error else "")
        self.export_status.setText(text)

    # --- WizardPage ---

    def load_from_project(self, project: Project) -> None:
        self.plan = None
        for label in self.headline_labels.values():
            label.setText("-")
        self.warnings_list.clear()
        self.export_status.clear()

    def write_to_project(self, project: Project) -> None:
        """Write nothing, because the review page has no inputs."""

    def find_error(self, project: Project) -> InputError | None:
        return None


def _safe_file_name(name: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in name).strip()
    return kept or "proposal"
