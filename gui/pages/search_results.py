"""Results of the least-cost design search: a sortable candidate table and a cost-fuel scatter."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.search import candidate_table, cost_fuel_front
from gui.plots import COLOURS, style_plot

# Status of a candidate in the first column, in the order the column sorts.
CHOSEN = "chosen"
ON_FRONT = "front"
MISSES_TARGET = "misses target"
STATUS_ORDER = {CHOSEN: 0, ON_FRONT: 1, "": 2, MISSES_TARGET: 3}

CHOSEN_BACKGROUND = QColor("#FFE8B0")
MISSES_TARGET_FOREGROUND = QColor("#888888")
CHOSEN_COLOUR = "#D55E00"


def _status(row: dict, index: int) -> str:
    # make_plan builds the plan from candidates[0]: the cheapest design meeting the target,
    # or the cheapest of all when none meets it.
    if index == 0:
        return CHOSEN
    if not row["meets_target"]:
        return MISSES_TARGET
    return ON_FRONT if row["on_cost_fuel_front"] else ""


class CandidateTableModel(QAbstractTableModel):
    """One row per search candidate, from ``core.search.candidate_table``.

    The display role is the formatted text and ``Qt.UserRole`` the raw value,
    which the proxy sorts by.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.statuses: list[str] = []
        self.currency = "USD"

    def columns(self) -> list[tuple[str, str]]:
        """Return (key, header) of every column; headers carry their units."""
        return [
            ("status", "Design"),
            ("pv_kwp", "PV [kWp]"),
            ("battery_nominal_kwh", "Battery [kWh]"),
            ("generator_kw", "Generator [kW]"),
            ("net_present_cost", f"Net present cost [{self.currency}]"),
            ("capital", f"Capital [{self.currency}]"),
            ("fuel_l_per_year", "Fuel [L/year]"),
            ("renewable_fraction", "Renewable [%]"),
            ("generator_hours", "Generator [h/year]"),
            ("unmet_kwh", "Unmet [kWh/year]"),
            ("dumped_kwh", "Dumped [kWh/year]"),
            ("generator", "Generator sets"),
        ]

    def set_candidates(self, candidates, currency: str) -> None:
        self.beginResetModel()
        self.currency = currency
        self.rows = candidate_table(candidates)
        self.statuses = [_status(row, index) for index, row in enumerate(self.rows)]
        self.endResetModel()

    def column_of(self, key: str) -> int:
        return [column_key for column_key, _ in self.columns()].index(key)

    # --- QAbstractTableModel ---

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns()[section][1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        status = self.statuses[index.row()]
        key = self.columns()[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, status, key)
        if role == Qt.ItemDataRole.UserRole:
            if key == "status":
                return STATUS_ORDER[status]
            if key == "generator":
                return row["generator"]
            return row[key]
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in ("status", "generator"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and status == CHOSEN:
            return QBrush(CHOSEN_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and status == MISSES_TARGET:
            return QBrush(MISSES_TARGET_FOREGROUND)
        if role == Qt.ItemDataRole.FontRole and status == CHOSEN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and key == "generator_kw":
            return f"{row['generator']}, derated output of all sets"
        if role == Qt.ItemDataRole.ToolTipRole and key == "status":
            return {CHOSEN: "The design of this plan: the lowest net present cost among "
                            "the designs that meet the unmet-load target",
                    ON_FRONT: "On the cost-fuel front: no other design meeting the target "
                              "burns less fuel for less money",
                    MISSES_TARGET: "Leaves more always-on load unserved than the target "
                                   "allows"}.get(status)
        return None

    @staticmethod
    def _text(row: dict, status: str, key: str) -> str:
        if key == "status":
            return status
        if key == "generator":
            return row["generator"]
        if key == "renewable_fraction":
            return f"{row[key] * 100:.1f}"
        if key in ("pv_kwp", "battery_nominal_kwh", "generator_kw", "unmet_kwh"):
            return f"{row[key]:,.1f}"
        return f"{row[key]:,.0f}"


class FeasibleFilter(QSortFilterProxyModel):
    """Sort by the raw values and optionally hide the candidates that miss the target."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.only_feasible = False
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def set_only_feasible(self, only_feasible: bool) -> None:
        # beginFilterChange and endFilterChange replace invalidateFilter from Qt 6.10 on.
        self.beginFilterChange()
        self.only_feasible = only_feasible
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802 - Qt override
        if not self.only_feasible:
            return True
        return self.sourceModel().rows[source_row]["meets_target"]


class SearchResultsView(QWidget):
    """Scatter of net present cost against annual fuel above the table of all candidates."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel("No plan yet.")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_scatter())
        splitter.addWidget(self._build_table())
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([380, 320])
        layout.addWidget(splitter, 1)

    def _build_scatter(self) -> QWidget:
        self.scatter_plot = pg.PlotWidget()
        style_plot(self.scatter_plot, "Designs meeting the target: net present cost against "
                   "annual fuel", "Net present cost [USD]", "Annual fuel [L/year]")
        self.scatter_plot.showGrid(x=True, y=True, alpha=0.25)
        self.scatter_plot.setMinimumHeight(240)
        for side in ("left", "bottom"):
            self.scatter_plot.getAxis(side).enableAutoSIPrefix(False)
        # Bottom right: no design is both cheap and fuel-hungry, so that corner stays empty.
        self.scatter_plot.addLegend(offset=(-10, -10), labelTextSize="8pt")
        self.feasible_scatter = pg.ScatterPlotItem(
            size=5, pen=None, brush=pg.mkBrush(COLOURS["generator"] + "55"),
            name="Design meeting the target")
        self.scatter_plot.addItem(self.feasible_scatter)
        self.front_curve = self.scatter_plot.plot(
            [], [], pen=pg.mkPen(COLOURS["load"], width=2), symbol="o", symbolSize=5,
            symbolBrush=COLOURS["load"], name="Cost-fuel front")
        self.chosen_marker = pg.ScatterPlotItem(
            size=16, symbol="star", pen=pg.mkPen("#000000", width=1),
            brush=pg.mkBrush(CHOSEN_COLOUR), name="Chosen design")
        self.scatter_plot.addItem(self.chosen_marker)
        return self.scatter_plot

    def _build_table(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        options = QHBoxLayout()
        self.only_feasible_check = QCheckBox("Show only designs that meet the unmet-load target")
        options.addWidget(self.only_feasible_check)
        options.addStretch(1)
        self.table_note = QLabel("")
        options.addWidget(self.table_note)
        layout.addLayout(options)

        self.table_model = CandidateTableModel(self)
        self.proxy = FeasibleFilter(self)
        self.proxy.setSourceModel(self.table_model)
        self.table_view = QTableView()
        self.table_view.setModel(self.proxy)
        self.table_view.setSortingEnabled(True)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table_view.verticalHeader().setVisible(False)
        self.table_view.verticalHeader().setDefaultSectionSize(22)
        self.table_view.setAlternatingRowColors(True)
        header = self.table_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # Column widths from the first rows only: measuring thousands of rows takes seconds.
        header.setResizeContentsPrecision(100)
        layout.addWidget(self.table_view, 1)
        self.only_feasible_check.toggled.connect(self._on_filter_toggled)
        return panel

    def _on_filter_toggled(self, checked: bool) -> None:
        self.proxy.set_only_feasible(checked)
        self._update_table_note()

    def _update_table_note(self) -> None:
        self.table_note.setText(f"{self.proxy.rowCount():,} of "
                                f"{self.table_model.rowCount():,} designs shown")

    def set_plan(self, plan) -> None:
        """Fill the table and the scatter from ``plan.candidates``."""
        currency = plan.project.info.currency
        candidates = plan.candidates
        self.table_model.set_candidates(candidates, currency)
        self.table_view.sortByColumn(self.table_model.column_of("net_present_cost"),
                                     Qt.SortOrder.AscendingOrder)
        self.table_view.resizeColumnsToContents()
        self._update_table_note()
        chosen_row = self.proxy.mapFromSource(self.table_model.index(0, 0))
        if chosen_row.isValid():
            self.table_view.scrollTo(chosen_row, QAbstractItemView.ScrollHint.PositionAtCenter)

        rows = self.table_model.rows
        feasible = [row for row in rows if row["meets_target"]]
        fuel = np.array([row["fuel_l_per_year"] for row in feasible], dtype=float)
        cost = np.array([row["net_present_cost"] for row in feasible], dtype=float)
        self.feasible_scatter.setData(fuel, cost)
        front = cost_fuel_front(candidates)
        self.front_curve.setData([c.fuel_l_per_year for c in front],
                                 [c.net_present_cost for c in front])
        chosen = candidates[0] if candidates and candidates[0].meets_target else None
        if chosen is None:
            self.chosen_marker.setData([], [])
        else:
            self.chosen_marker.setData([chosen.fuel_l_per_year], [chosen.net_present_cost])
        self.scatter_plot.setLabel("left", f"Net present cost [{currency}]")
        self.scatter_plot.enableAutoRange()

        years = plan.project.targets.project_life_years
        rate = plan.project.targets.discount_rate
        text = (f"{len(rows):,} designs simulated, {len(feasible):,} meet the unmet-load target, "
                f"{len(front)} lie on the cost-fuel front. Net present cost of the energy "
                f"system over {years} years at a real discount rate of {rate:.1%}; the "
                "compute hardware is the same in every design and left out.")
        if chosen is None:
            text += " No design meets the target."
        self.summary_label.setText(text)
