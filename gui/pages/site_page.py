"""Site page: location, weather file or monthly averages with a preview, fuel, PV and AC system."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import ConfiguratorError, InputError
from core.presets import load_site_presets
from core.project import (
    AC_SYSTEMS,
    FUELS,
    MONTH_NAMES,
    PV_TRACKING,
    PVLIB_DATA_PREFIX,
    Project,
)
from core.weather import BUNDLED_WEATHER_FILES
from gui.pages.base import ERROR_STYLE, WizardPage, float_spin, int_spin, section_error
from gui.plots import MONTH_TICKS, style_plot

# The two preview charts share the column, so months are labelled by their initial.
MONTH_INITIAL_TICKS = [(index, label[0]) for index, label in MONTH_TICKS]

logger = logging.getLogger(__name__)

WIDE = 1_000_000
FROM_WEATHER_FILE = "from the weather file"
MOUNTING_LABELS = {"fixed": "fixed tilt", "single_axis": "single-axis tracker"}
WEATHER_SOURCES = (("file", "Weather file"), ("monthly", "Monthly averages"))
# Site fields behind the columns of the monthly table, in column order.
MONTHLY_TABLE_COLUMNS = (
    ("monthly_ghi_kwh_m2_day", "GHI [kWh/m²/day]"),
    ("monthly_temp_mean_c", "Mean [°C]"),
    ("monthly_temp_min_c", "Min [°C]"),
    ("monthly_temp_max_c", "Max [°C]"),
)
# Pause after the last table edit before the synthetic year is rebuilt for the preview [ms].
TABLE_PREVIEW_DELAY_MS = 400


class SitePage(WizardPage):
    def __init__(self, controller):
        super().__init__(controller, "Site",
                         "Where the system stands. A weather file (TMY3, TMY2, EPW, PVGIS, "
                         "NSRDB or hourly CSV) or a table of monthly averages drives the solar "
                         "and temperature model.")
        columns = QHBoxLayout()
        left = QVBoxLayout()
        columns.addLayout(left, 1)
        right = QVBoxLayout()
        columns.addLayout(right, 1)
        self.body.addLayout(columns, 1)

        location = QGroupBox("Location")
        form = QFormLayout(location)
        self.name_edit = QLineEdit()
        self.latitude_spin = float_spin(-WIDE, WIDE, 3, "°", 0.1)
        self.latitude_spin.setToolTip("North positive, -90 to 90")
        self.longitude_spin = float_spin(-WIDE, WIDE, 3, "°", 0.1)
        self.longitude_spin.setToolTip("East positive, -180 to 180")
        self.elevation_spin = float_spin(-WIDE, WIDE, 0, "m", 10)
        form.addRow("Site name:", self.name_edit)
        form.addRow("Latitude (north +):", self.latitude_spin)
        form.addRow("Longitude (east +):", self.longitude_spin)
        form.addRow("Elevation:", self.elevation_spin)
        left.addWidget(location)

        climate = QGroupBox("Weather and temperatures")
        form = QFormLayout(climate)
        self.source_combo = QComboBox()
        for key, label in WEATHER_SOURCES:
            self.source_combo.addItem(label, key)
        self.source_combo.setToolTip("A typical-year weather file, or 12 monthly averages from "
                                     "which the plan builds a synthetic hourly year")
        self.weather_edit = QLineEdit()
        self.weather_edit.setPlaceholderText("path of a .csv (TMY3), .tm2 or .epw file")
        browse = QPushButton("Browse...")
        browse.clicked.connect(self.browse_weather)
        row = QHBoxLayout()
        row.addWidget(self.weather_edit, 1)
        row.addWidget(browse)
        self.bundled_combo = QComboBox()
        self.bundled_combo.addItem("Choose a bundled weather file...", "")
        for name, label in BUNDLED_WEATHER_FILES.items():
            self.bundled_combo.addItem(label, PVLIB_DATA_PREFIX + name)
        self.bundled_combo.activated.connect(self._on_bundled_chosen)
        self.record_low_edit = QLineEdit()
        self.record_low_edit.setPlaceholderText(FROM_WEATHER_FILE)
        self.record_high_edit = QLineEdit()
        self.record_high_edit.setPlaceholderText(FROM_WEATHER_FILE)
        for edit in (self.record_low_edit, self.record_high_edit):
            edit.setToolTip("°C; leave empty to use the extreme of the weather file's typical "
                            "year, which is milder than the site's record")
        self.battery_room_spin = float_spin(-WIDE, WIDE, 1, "°C")
        form.addRow("Weather source:", self.source_combo)
        self.weather_file_label = QLabel("Weather file:")
        self.weather_file_row = QWidget()
        self.weather_file_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.weather_file_label, self.weather_file_row)
        form.addRow("", self.bundled_combo)
        form.addRow("Record low [°C]:", self.record_low_edit)
        form.addRow("Record high [°C]:", self.record_high_edit)
        form.addRow("Battery room temperature:", self.battery_room_spin)
        left.addWidget(climate)

        energy = QGroupBox("Fuel, PV array and electrical")
        form = QFormLayout(energy)
        self.fuel_combo = QComboBox()
        self.fuel_combo.addItems(FUELS)
        self.fuel_price_spin = float_spin(-WIDE, WIDE, 2, "per L", 0.05)
        self.tracking_combo = QComboBox()
        for tracking in PV_TRACKING:
            self.tracking_combo.addItem(MOUNTING_LABELS.get(tracking, tracking), tracking)
        self.tracking_combo.setToolTip("A single-axis tracker turns the modules about one axis "
                                       "to follow the sun, with backtracking")
        self.tilt_spin = float_spin(-WIDE, WIDE, 1, "°")
        self.azimuth_spin = float_spin(-WIDE, WIDE, 1, "°", 5)
        self.tilt_label = QLabel()
        self.azimuth_label = QLabel()
        self.ac_combo = QComboBox()
        self.ac_combo.addItems(AC_SYSTEMS)
        self.frequency_combo = QComboBox()
        for hertz in (50, 60):
            self.frequency_combo.addItem(f"{hertz} Hz", hertz)
        self.frequency_combo.setToolTip("Mains frequency the inverter/chargers and the generator "
                                        "run at, 60 Hz in North America")
        self.auxiliary_spin = float_spin(-WIDE, 10 * WIDE, 0, "W", 10)
        self.auxiliary_spin.setToolTip("Networking, lighting and monitoring, always on")
        self.cop_spin = float_spin(-WIDE, WIDE, 1, "", 0.1)
        self.cop_spin.setToolTip("Coefficient of performance of the cooling, 0.5 to 10")
        self.free_cooling_spin = float_spin(-WIDE, WIDE, 1, "°C")
        form.addRow("Generator fuel:", self.fuel_combo)
        form.addRow("Fuel price:", self.fuel_price_spin)
        form.addRow("PV mounting:", self.tracking_combo)
        form.addRow(self.tilt_label, self.tilt_spin)
        form.addRow(self.azimuth_label, self.azimuth_spin)
        self._label_orientation("fixed")
        form.addRow("AC system:", self.ac_combo)
        form.addRow("AC frequency:", self.frequency_combo)
        form.addRow("Auxiliary load:", self.auxiliary_spin)
        form.addRow("Cooling COP:", self.cop_spin)
        form.addRow("Free cooling below:", self.free_cooling_spin)
        left.addWidget(energy)
        left.addStretch(1)

        right.addWidget(self._build_monthly_table())
        right.addWidget(self._build_preview(), 1)
        right.addWidget(self._build_cables())

        self.name_edit.textEdited.connect(self.on_edited)
        for edit in (self.record_low_edit, self.record_high_edit):
            edit.textEdited.connect(self.on_edited)
        self.weather_edit.textEdited.connect(self.on_edited)
        self.weather_edit.editingFinished.connect(self.preview_weather)
        for combo in (self.fuel_combo, self.ac_combo, self.frequency_combo):
            combo.currentIndexChanged.connect(self.on_edited)
        self.tracking_combo.currentIndexChanged.connect(self._on_tracking_changed)
        self.source_combo.currentIndexChanged.connect(self._on_source_changed)
        self.monthly_table.itemChanged.connect(self._on_table_edited)
        self.utc_offset_edit.textEdited.connect(self._on_table_edited)
        self.seed_spin.valueChanged.connect(self._on_table_edited)
        self.preset_combo.activated.connect(self._on_preset_chosen)
        self._table_preview_timer = QTimer(self, singleShot=True,
                                           interval=TABLE_PREVIEW_DELAY_MS)
        self._table_preview_timer.timeout.connect(self._preview_table)
        for spin in (self.latitude_spin, self.longitude_spin, self.elevation_spin,
                     self.battery_room_spin, self.fuel_price_spin, self.tilt_spin,
                     self.azimuth_spin, self.auxiliary_spin, self.cop_spin,
                     self.free_cooling_spin, self.pv_cable_spin, self.battery_cable_spin,
                     self.inverter_cable_spin):
            spin.valueChanged.connect(self.on_edited)

        controller.weather_started.connect(self._on_weather_started)
        controller.weather_ready.connect(self._on_weather_ready)
        controller.weather_failed.connect(self._on_weather_failed)
        self._previewed_path = None
        self.reload()

    def _build_monthly_table(self) -> QWidget:
        self.monthly_box = QGroupBox("Monthly averages (for a site without a weather file)")
        layout = QVBoxLayout(self.monthly_box)
        form = QFormLayout()
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("Fill from preset...", None)
        try:
            presets = load_site_presets()
        except ConfiguratorError as error:
            logger.error("Site presets not loaded: %s", error)
            presets = []
        for preset in presets:
            self.preset_combo.addItem(preset.name, preset)
            self.preset_combo.setItemData(self.preset_combo.count() - 1,
                                          f"{preset.source}\nLicence: {preset.licence}",
                                          Qt.ItemDataRole.ToolTipRole)
        self.utc_offset_edit = QLineEdit()
        self.utc_offset_edit.setPlaceholderText("round(longitude / 15)")
        self.utc_offset_edit.setToolTip("Offset of local standard time from UTC in hours, "
                                        "-12 to 14; empty takes round(longitude / 15)")
        self.seed_spin = int_spin(0, 2_147_483_647)
        self.seed_spin.setToolTip("Seed of the day-to-day weather variability; the same seed "
                                  "gives the same synthetic year")
        form.addRow("Preset:", self.preset_combo)
        form.addRow("UTC offset [h]:", self.utc_offset_edit)
        form.addRow("Variability seed:", self.seed_spin)
        layout.addLayout(form)

        self.monthly_table = QTableWidget(12, len(MONTHLY_TABLE_COLUMNS))
        self.monthly_table.setHorizontalHeaderLabels(
            [label for _attribute, label in MONTHLY_TABLE_COLUMNS])
        self.monthly_table.setVerticalHeaderLabels(list(MONTH_NAMES))
        self.monthly_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.monthly_table.setToolTip("Mean daily GHI and mean air temperature of each month; "
                                      "the daily minimum and maximum are optional (both or "
                                      "neither)")
        for row in range(12):
            for column in range(len(MONTHLY_TABLE_COLUMNS)):
                self.monthly_table.setItem(row, column, QTableWidgetItem(""))
        # Compact rows; at least 8 months in view, all 12 where the window is tall enough.
        self.monthly_table.verticalHeader().setDefaultSectionSize(
            self.monthly_table.fontMetrics().height() + 6)
        rows_height = sum(self.monthly_table.rowHeight(row) for row in range(8))
        self.monthly_table.setMinimumHeight(
            rows_height + self.monthly_table.horizontalHeader().sizeHint().height() + 4)
        layout.addWidget(self.monthly_table)
        return self.monthly_box

    def _build_cables(self) -> QWidget:
        box = QGroupBox("DC cable lengths, one way (for cable sizing)")
        form = QFormLayout(box)
        self.pv_cable_spin = float_spin(-WIDE, WIDE, 1, "m", 5)
        self.pv_cable_spin.setToolTip("From the array to the charge controllers, 0.5 to 2000 m")
        self.battery_cable_spin = float_spin(-WIDE, WIDE, 1, "m", 0.5)
        self.battery_cable_spin.setToolTip("From the charge controllers to the battery, "
                                           "0.2 to 200 m")
        self.inverter_cable_spin = float_spin(-WIDE, WIDE, 1, "m", 0.5)
        self.inverter_cable_spin.setToolTip("From the battery to the inverter/chargers, "
                                            "0.2 to 200 m")
        form.addRow("PV array to charge controllers:", self.pv_cable_spin)
        form.addRow("Charge controllers to battery:", self.battery_cable_spin)
        form.addRow("Battery to inverter/chargers:", self.inverter_cable_spin)
        return box

    def _label_orientation(self, tracking: str) -> None:
        """Name the tilt and azimuth fields after the modules, or after a tracker's axis."""
        if tracking == "single_axis":
            self.tilt_label.setText("Axis tilt:")
            self.azimuth_label.setText("Axis azimuth (180 = south):")
            self.tilt_spin.setToolTip("Tilt of the rotation axis: 0 = horizontal axis")
            self.azimuth_spin.setToolTip("Compass direction of the rotation axis, as in "
                                         "PVWatts: 180 = a north-south axis")
        else:
            self.tilt_label.setText("PV tilt:")
            self.azimuth_label.setText("PV azimuth (180 = south):")
            self.tilt_spin.setToolTip("0 = horizontal, 90 = vertical")
            self.azimuth_spin.setToolTip("Compass direction the modules face: 180 = south")

    def _on_tracking_changed(self) -> None:
        self._label_orientation(self.tracking_combo.currentData())
        self.on_edited()

    def _build_preview(self) -> QWidget:
        box = QGroupBox("Weather file preview (typical year)")
        layout = QVBoxLayout(box)
        self.weather_info = QLabel("No weather file read yet.")
        self.weather_info.setWordWrap(True)
        layout.addWidget(self.weather_info)
        self.weather_error = QLabel("")
        self.weather_error.setObjectName("weatherError")
        self.weather_error.setWordWrap(True)
        self.weather_error.setStyleSheet(ERROR_STYLE)
        self.weather_error.setVisible(False)
        layout.addWidget(self.weather_error)

        self.ghi_plot = pg.PlotWidget()
        style_plot(self.ghi_plot, "Global horizontal irradiation by month",
                   "kWh/m\u00b2 per day")
        self.ghi_plot.getAxis("bottom").setTicks([MONTH_INITIAL_TICKS])
        self.ghi_bars = pg.BarGraphItem(x=np.arange(12), height=np.zeros(12), width=0.7,
                                        brush="#f2a900", pen=None)
        self.ghi_plot.addItem(self.ghi_bars)
        # Side by side, so both charts keep their month labels in a short window.
        plots_row = QHBoxLayout()
        plots_row.addWidget(self.ghi_plot, 1)

        self.temp_plot = pg.PlotWidget()
        style_plot(self.temp_plot, "Air temperature by month", "°C")
        self.temp_plot.getAxis("bottom").setTicks([MONTH_INITIAL_TICKS])
        self.temp_plot.addLegend(offset=(10, 10))
        self.temp_mean_bars = pg.BarGraphItem(x=np.arange(12), height=np.zeros(12), width=0.7,
                                              brush="#7aa6d6", pen=None, name="Monthly mean")
        self.temp_plot.addItem(self.temp_mean_bars)
        self.temp_min_curve = self.temp_plot.plot(
            np.arange(12), np.zeros(12), pen=pg.mkPen("#1f3b73", width=2), symbol="o",
            symbolSize=6, symbolBrush="#1f3b73", name="Lowest hour")
        plots_row.addWidget(self.temp_plot, 1)
        layout.addLayout(plots_row, 1)
        return box

    # --- weather file ---

    def browse_weather(self) -> None:
        start = str(self.controller.project_dir or Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a weather file", start,
            "Weather files (*.csv *.CSV *.tm2 *.epw);;All files (*)")
        if path:
            self.weather_edit.setText(path)
            self.on_edited()
            self.preview_weather()

    def _on_bundled_chosen(self, index: int) -> None:
        value = self.bundled_combo.itemData(index)
        if value:
            self.weather_edit.setText(value)
            self.on_edited()
            self.preview_weather()

    def preview_weather(self) -> None:
        if self._monthly_mode():
            self._table_preview_timer.start()
            return
        text = self.weather_edit.text().strip()
        if not text or text == self._previewed_path:
            return
        self._previewed_path = text
        self.controller.request_weather()

    def _preview_table(self) -> None:
        """Build the synthetic year of a complete, valid table off the UI thread."""
        project = self.controller.project
        if not self._monthly_mode() or self.find_error(project) is not None:
            return
        self._previewed_path = None
        self.controller.request_weather()

    def _on_weather_started(self) -> None:
        self.weather_info.setText("Building the synthetic year..." if self._monthly_mode()
                                  else "Reading the weather file...")
        self.weather_error.setVisible(False)

    def _on_weather_failed(self, message: str) -> None:
        self._previewed_path = None
        self.weather_info.setText("")
        self.weather_error.setText(message)
        self.weather_error.setVisible(True)
        self.ghi_bars.setOpts(height=np.zeros(12))
        self.temp_mean_bars.setOpts(height=np.zeros(12))
        self.temp_min_curve.setData(np.arange(12), np.zeros(12))

    def _on_weather_ready(self, weather, monthly) -> None:
        if (weather.source_format == "synthetic") != self._monthly_mode():
            return  # a result of the other weather source, finished after a switch
        self.weather_error.setVisible(False)
        if weather.source_format == "synthetic":
            self._show_synthetic_year(weather, monthly)
            return
        text = (f"{weather.station_name} ({weather.source_format.upper()}), "
                f"{weather.latitude_deg:.3f}°, {weather.longitude_deg:.3f}°, "
                f"{weather.elevation_m:.0f} m, UTC{weather.utc_offset_h:+g} h. "
                f"Annual GHI {monthly.ghi_kwh_m2_per_day.mean() * 365:.0f} kWh/m\u00b2; "
                f"hourly extremes {weather.record_low_c:.1f} to {weather.record_high_c:.1f} "
                "°C.")
        site = self.controller.project.site
        if (abs(weather.latitude_deg - site.latitude_deg) > 1.0
                or abs(weather.longitude_deg - site.longitude_deg) > 1.0):
            text += " The station is more than 1° from the site coordinates."
        if weather.notes:
            text += " " + " ".join(weather.notes)
        self.weather_info.setText(text)
        self._draw_monthly(monthly)

    def _show_synthetic_year(self, weather, monthly) -> None:
        text = (f"Synthetic year from the monthly table, {weather.latitude_deg:.3f}°, "
                f"{weather.longitude_deg:.3f}°, {weather.elevation_m:.0f} m, "
                f"UTC{weather.utc_offset_h:+g} h. "
                f"Annual GHI {monthly.ghi_kwh_m2_per_day.mean() * 365:.0f} kWh/m\u00b2; "
                f"hourly extremes {weather.record_low_c:.1f} to {weather.record_high_c:.1f} °C, "
                "milder than the site's records. " + " ".join(weather.notes))
        self.weather_info.setText(text)
        self._draw_monthly(monthly)

    def _draw_monthly(self, monthly) -> None:
        self.ghi_bars.setOpts(height=monthly.ghi_kwh_m2_per_day)
        self.temp_mean_bars.setOpts(height=monthly.mean_temp_c)
        self.temp_min_curve.setData(np.arange(12), monthly.min_temp_c)
        self.ghi_plot.enableAutoRange()
        self.temp_plot.enableAutoRange()

    # --- weather source and monthly table ---

    def _monthly_mode(self) -> bool:
        return self.source_combo.currentData() == "monthly"

    def _show_source_widgets(self) -> None:
        monthly = self._monthly_mode()
        for widget in (self.weather_file_label, self.weather_file_row, self.bundled_combo):
            widget.setVisible(not monthly)
        self.monthly_box.setVisible(monthly)

    def _on_source_changed(self) -> None:
        self._show_source_widgets()
        if self._loading:
            return
        self._previewed_path = None
        self.on_edited()
        self.preview_weather()

    def _on_table_edited(self, *_args) -> None:
        if self._loading:
            return
        self.on_edited()
        self.preview_weather()

    def _on_preset_chosen(self, index: int) -> None:
        preset = self.preset_combo.itemData(index)
        if preset is None:
            return
        project = self.controller.project
        self.write_to_project(project)
        preset.apply_to(project.site)
        self.reload()
        self.preset_combo.setCurrentIndex(index)
        self.on_edited()
        self.preview_weather()

    def _load_table(self, site) -> None:
        for column, (attribute, _label) in enumerate(MONTHLY_TABLE_COLUMNS):
            values = getattr(site, attribute)
            for row in range(12):
                value = None if values is None or row >= len(values) else values[row]
                text = "" if value is None else (f"{value:g}" if isinstance(value, (int, float))
                                                 else str(value))
                self.monthly_table.item(row, column).setText(text)

    def _table_column(self, column: int):
        """Return a column as None (all cells empty) or 12 values, a typed text kept as typed."""
        cells = [self.monthly_table.item(row, column).text() for row in range(12)]
        if not any(cell.strip() for cell in cells):
            return None
        return [self._optional_number(cell) for cell in cells]

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        currency = self.controller.project.info.currency or "USD"
        self.fuel_price_spin.setSuffix(f" {currency}/L")
        self.preview_weather()

    # --- WizardPage ---

    def load_from_project(self, project: Project) -> None:
        site = project.site
        self.name_edit.setText(site.name)
        self.latitude_spin.setValue(site.latitude_deg)
        self.longitude_spin.setValue(site.longitude_deg)
        self.elevation_spin.setValue(site.elevation_m)
        self.weather_edit.setText(site.weather_file)
        self.bundled_combo.setCurrentIndex(max(self.bundled_combo.findData(site.weather_file), 0))
        monthly = not site.weather_file.strip() and site.monthly_ghi_kwh_m2_day is not None
        self.source_combo.setCurrentIndex(self.source_combo.findData("monthly" if monthly
                                                                     else "file"))
        self._show_source_widgets()
        self._load_table(site)
        self.utc_offset_edit.setText("" if site.utc_offset_h is None else f"{site.utc_offset_h:g}")
        self.seed_spin.setValue(site.synthetic_seed)
        self.preset_combo.setCurrentIndex(0)
        self.record_low_edit.setText("" if site.record_low_c is None else f"{site.record_low_c:g}")
        self.record_high_edit.setText(
            "" if site.record_high_c is None else f"{site.record_high_c:g}")
        self.battery_room_spin.setValue(site.battery_room_temp_c)
        self.fuel_combo.setCurrentText(site.fuel)
        self.fuel_price_spin.setValue(site.fuel_price_per_l)
        self.tilt_spin.setValue(site.pv_tilt_deg)
        self.azimuth_spin.setValue(site.pv_azimuth_deg)
        index = self.tracking_combo.findData(site.pv_tracking)
        if index < 0:  # an unknown value stays visible so that validation can name it
            self.tracking_combo.addItem(str(site.pv_tracking), site.pv_tracking)
            index = self.tracking_combo.count() - 1
        self.tracking_combo.setCurrentIndex(index)
        self._label_orientation(site.pv_tracking)
        self.pv_cable_spin.setValue(site.pv_cable_length_m)
        self.battery_cable_spin.setValue(site.controller_battery_cable_length_m)
        self.inverter_cable_spin.setValue(site.battery_inverter_cable_length_m)
        self.ac_combo.setCurrentText(site.ac_system)
        frequency_index = self.frequency_combo.findData(site.ac_frequency_hz)
        self.frequency_combo.setCurrentIndex(max(frequency_index, 0))
        self.auxiliary_spin.setValue(site.site_auxiliary_w)
        self.cop_spin.setValue(site.cooling_cop)
        self.free_cooling_spin.setValue(site.free_cooling_below_c)
        self._previewed_path = None

    @staticmethod
    def _optional_number(text: str):
        text = text.strip().replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return text  # kept as typed so that validation names it

    def write_to_project(self, project: Project) -> None:
        site = project.site
        site.name = self.name_edit.text()
        site.latitude_deg = self.latitude_spin.value()
        site.longitude_deg = self.longitude_spin.value()
        site.elevation_m = self.elevation_spin.value()
        # Monthly mode clears the file, because a weather file wins over the table;
        # the edit keeps the path for a switch back.
        site.weather_file = "" if self._monthly_mode() else self.weather_edit.text().strip()
        for column, (attribute, _label) in enumerate(MONTHLY_TABLE_COLUMNS):
            setattr(site, attribute, self._table_column(column))
        site.utc_offset_h = self._optional_number(self.utc_offset_edit.text())
        site.synthetic_seed = self.seed_spin.value()
        site.record_low_c = self._optional_number(self.record_low_edit.text())
        site.record_high_c = self._optional_number(self.record_high_edit.text())
        site.battery_room_temp_c = self.battery_room_spin.value()
        site.fuel = self.fuel_combo.currentText()
        site.fuel_price_per_l = self.fuel_price_spin.value()
        site.pv_tilt_deg = self.tilt_spin.value()
        site.pv_azimuth_deg = self.azimuth_spin.value()
        site.pv_tracking = self.tracking_combo.currentData()
        site.pv_cable_length_m = self.pv_cable_spin.value()
        site.controller_battery_cable_length_m = self.battery_cable_spin.value()
        site.battery_inverter_cable_length_m = self.inverter_cable_spin.value()
        site.ac_system = self.ac_combo.currentText()
        site.ac_frequency_hz = self.frequency_combo.currentData()
        site.site_auxiliary_w = self.auxiliary_spin.value()
        site.cooling_cop = self.cop_spin.value()
        site.free_cooling_below_c = self.free_cooling_spin.value()

    def find_error(self, project: Project) -> InputError | None:
        site = project.site
        monthly = self._monthly_mode()
        if not monthly and not site.weather_file:
            return InputError("Site > weather file", site.weather_file,
                              "the path of a TMY3, TMY2, EPW, PVGIS, NSRDB or hourly CSV file, or a bundled file")
        for label, value in (("record low [°C]", site.record_low_c),
                             ("record high [°C]", site.record_high_c)):
            if isinstance(value, str):
                return InputError(f"Site > {label}", value,
                                  f"a number in °C, or empty to take it {FROM_WEATHER_FILE}")
        if isinstance(site.utc_offset_h, str):
            return InputError("Site > UTC offset [h]", site.utc_offset_h,
                              "a number of hours such as -9 or 5.5, or empty for "
                              "round(longitude / 15)")
        error = section_error(project, "site")
        if error is None and monthly and not site.has_monthly_table:
            return InputError("Site > monthly averages", "empty",
                              "12 monthly GHI values and mean temperatures; type them or fill "
                              "from a preset")
        return error
