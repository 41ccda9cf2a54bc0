"""Workloads page: the list of workloads and an editor for the selected one."""

from __future__ import annotations

import copy
import logging

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from core.demand import VISION_MODELS
from core.errors import InputError
from core.project import (
    PRECISIONS,
    VIDEO_CODECS,
    VISION_PRECISIONS,
    WORKLOAD_KINDS,
    BatchSpec,
    LLMSpec,
    Project,
    VisionSpec,
    Workload,
    validate_workload,
)
from gui.pages.base import WizardPage, float_spin, int_spin
from gui.presets import workload_from_preset

logger = logging.getLogger(__name__)

KIND_LABELS = {
    "llm": "Language model (LLM)",
    "vision": "Vision / sensor pipeline",
    "batch": "Batch job",
    "trading": "Low-latency trading",
}

# Spin box ranges are wider than the allowed ranges on purpose: a mistyped value
# (a negative count, an hour of 25) stays in the field and the page names the
# field and the allowed range, instead of the keystroke being silently dropped.
WIDE_COUNT = 1_000_000
WIDE_HOURS = 99
CUSTOM_VISION_MODEL = "Custom (enter name and GFLOP per frame)"


class WorkloadsPage(WizardPage):
    def __init__(self, controller):
        super().__init__(controller, "Workloads",
                         "What the site computes. Add a workload from a preset, then adjust "
                         "it; only the fields of its kind are shown.")
        self._current = -1
        presets = sorted(controller.catalog.get("workloads", {}).values(),
                         key=lambda row: row.name)
        self._presets = presets

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_editor())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 800])
        self.body.addWidget(splitter)
        self.reload()

    # --- layout ---

    def _build_list(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Name", "Kind", "Latency class"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        layout.addWidget(self.table)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.add_menu = QMenu(self.add_button)
        for preset in self._presets:
            action = self.add_menu.addAction(f"{preset.name}  ({preset.latency_class})")
            action.setToolTip(preset.description)
            action.triggered.connect(lambda _checked=False, p=preset: self.add_from_preset(p))
        if not self._presets:
            self.add_menu.addAction("Blank LLM workload").triggered.connect(
                lambda: self._append(Workload(llm=LLMSpec())))
        self.add_button.setMenu(self.add_menu)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return panel

    def _build_editor(self) -> QWidget:
        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(4, 0, 4, 0)

        general = QGroupBox("Workload")
        form = QFormLayout(general)
        self.name_edit = QLineEdit()
        self.category_combo = QComboBox()
        for preset in self._presets:
            self.category_combo.addItem(preset.name, preset.category)
        self.category_info = QLabel("")
        self.category_info.setWordWrap(True)
        self.category_info.setStyleSheet("color: #555;")
        self.kind_combo = QComboBox()
        for kind in WORKLOAD_KINDS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        form.addRow("Name:", self.name_edit)
        form.addRow("Category:", self.category_combo)
        form.addRow("", self.category_info)
        self.power_cap_edit = QLineEdit()
        self.power_cap_edit.setPlaceholderText("empty = no cap, runs at TDP")
        self.power_cap_edit.setToolTip("Power limit of each accelerator in W (as set with "
                                       "nvidia-smi -pl), 5 to 1000; empty runs at TDP")
        form.addRow("Kind:", self.kind_combo)
        form.addRow("GPU power cap [W]:", self.power_cap_edit)
        layout.addWidget(general)

        self.llm_group = QGroupBox("Language model")
        form = QFormLayout(self.llm_group)
        self.model_combo = QComboBox()
        for row in sorted(self.controller.catalog.get("llm_models", {}).values(),
                          key=lambda row: row.name):
            self.model_combo.addItem(f"{row.name}", row.key)
        self.precision_combo = QComboBox()
        self.precision_combo.addItems(PRECISIONS)
        self.context_spin = int_spin(-WIDE_COUNT, 2_000_000, "tokens", 1024)
        self.users_spin = int_spin(-WIDE_COUNT, WIDE_COUNT, "users")
        self.prompt_spin = int_spin(-WIDE_COUNT, 2_000_000, "tokens", 100)
        self.tokens_per_s_spin = float_spin(-WIDE_COUNT, WIDE_COUNT, 1, "tokens/s")
        self.time_per_token_spin = float_spin(-WIDE_COUNT, WIDE_COUNT, 1, "ms", 5)
        self.ttft_spin = float_spin(-WIDE_COUNT, WIDE_COUNT, 0, "ms", 100)
        form.addRow("Model:", self.model_combo)
        form.addRow("Precision:", self.precision_combo)
        form.addRow("Context length:", self.context_spin)
        form.addRow("Concurrent users:", self.users_spin)
        form.addRow("Prompt length:", self.prompt_spin)
        form.addRow("Minimum speed per user:", self.tokens_per_s_spin)
        form.addRow("Maximum time per output token:", self.time_per_token_spin)
        form.addRow("Maximum time to first token:", self.ttft_spin)
        layout.addWidget(self.llm_group)

        self.vision_group = QGroupBox("Vision or trading model")
        form = QFormLayout(self.vision_group)
        self.vision_picker = QComboBox()
        self.vision_picker.addItem(CUSTOM_VISION_MODEL, "")
        for key, model in VISION_MODELS.items():
            self.vision_picker.addItem(f"{model.name}, {model.gflop_per_frame:g} GFLOP/frame",
                                       key)
            self.vision_picker.setItemData(self.vision_picker.count() - 1, model.source,
                                           Qt.ItemDataRole.ToolTipRole)
        self.vision_picker.setToolTip("Sets the model name and the compute per frame")
        self.vision_model_edit = QLineEdit()
        self.gflop_spin = float_spin(-WIDE_COUNT, WIDE_COUNT, 3, "GFLOP/frame")
        self.fps_spin = float_spin(-WIDE_COUNT, WIDE_COUNT, 2, "frames/s")
        self.streams_spin = int_spin(-WIDE_COUNT, WIDE_COUNT, "streams")
        self.latency_spin = float_spin(-WIDE_COUNT, WIDE_COUNT, 3, "ms")
        form.addRow("Known model:", self.vision_picker)
        form.addRow("Model name:", self.vision_model_edit)
        form.addRow("Compute per frame:", self.gflop_spin)
        form.addRow("Frame rate per stream:", self.fps_spin)
        form.addRow("Streams:", self.streams_spin)
        form.addRow("Maximum latency:", self.latency_spin)
        self.vision_precision_combo = QComboBox()
        self.vision_precision_combo.addItems(VISION_PRECISIONS)
        self.codec_combo = QComboBox()
        self.codec_combo.addItems(VIDEO_CODECS)
        self.codec_combo.setToolTip("Codec of the camera streams, for the hardware decoder "
                                    "check; none = raw frames")
        self.video_width_spin = int_spin(-WIDE_COUNT, WIDE_COUNT, "px", 16)
        self.video_height_spin = int_spin(-WIDE_COUNT, WIDE_COUNT, "px", 16)
        form.addRow("Precision:", self.vision_precision_combo)
        form.addRow("Video codec:", self.codec_combo)
        form.addRow("Video width:", self.video_width_spin)
        form.addRow("Video height:", self.video_height_spin)
        layout.addWidget(self.vision_group)

        self.batch_group = QGroupBox("Batch job (runs once a day inside its window)")
        form = QFormLayout(self.batch_group)
        self.reference_combo = QComboBox()
        for row in sorted(self.controller.catalog.get("accelerators", {}).values(),
                          key=lambda row: row.name):
            self.reference_combo.addItem(row.name, row.key)
        self.accel_hours_spin = float_spin(-WIDE_COUNT, WIDE_COUNT, 2, "accelerator-h")
        self.window_start_spin = int_spin(-WIDE_HOURS, WIDE_HOURS, "h")
        self.deadline_spin = int_spin(-WIDE_HOURS, WIDE_HOURS, "h")
        form.addRow("Reference accelerator:", self.reference_combo)
        form.addRow("Job size per run:", self.accel_hours_spin)
        form.addRow("Window starts at (hour):", self.window_start_spin)
        form.addRow("Deadline (hour):", self.deadline_spin)
        self.batch_model_combo = QComboBox()
        self.batch_model_combo.addItem("none (no memory check)", "")
        for row in sorted(self.controller.catalog.get("llm_models", {}).values(),
                          key=lambda row: row.name):
            self.batch_model_combo.addItem(row.name, row.key)
        self.batch_model_combo.setToolTip("Optional LLM the job runs; when set, the planner "
                                          "checks that its weights and KV cache fit the "
                                          "accelerator memory")
        self.batch_precision_combo = QComboBox()
        self.batch_precision_combo.addItems(PRECISIONS)
        self.batch_context_spin = int_spin(-WIDE_COUNT, 2_000_000, "tokens", 1024)
        self.sequences_spin = int_spin(-WIDE_COUNT, WIDE_COUNT, "sequences")
        self.sequences_spin.setToolTip("Sequences decoded at once, each with its own KV cache")
        form.addRow("LLM run by the job:", self.batch_model_combo)
        form.addRow("LLM precision:", self.batch_precision_combo)
        form.addRow("Context length:", self.batch_context_spin)
        form.addRow("Sequences in flight:", self.sequences_spin)
        layout.addWidget(self.batch_group)

        schedule_group = QGroupBox("Daily schedule (hours in local standard time)")
        form = QFormLayout(schedule_group)
        self.busy_start_spin = int_spin(-WIDE_HOURS, WIDE_HOURS, "h")
        self.busy_end_spin = int_spin(-WIDE_HOURS, WIDE_HOURS, "h")
        self.busy_util_spin = float_spin(-10, 10, 2, "", 0.05)
        self.quiet_util_spin = float_spin(-10, 10, 2, "", 0.05)
        self.busy_util_spin.setToolTip("Fraction of full load, 0 to 1")
        self.quiet_util_spin.setToolTip("Fraction of full load, 0 to 1; the servers stay on "
                                        "with the model loaded")
        form.addRow("Busy from:", self.busy_start_spin)
        form.addRow("Busy until:", self.busy_end_spin)
        form.addRow("Utilization when busy (0-1):", self.busy_util_spin)
        form.addRow("Utilization when quiet (0-1):", self.quiet_util_spin)
        layout.addWidget(schedule_group)
        layout.addStretch(1)
        self.schedule_group = schedule_group

        for edit in (self.name_edit, self.power_cap_edit):
            edit.textEdited.connect(self.on_edited)
        self.vision_model_edit.textEdited.connect(self._on_vision_edited)
        self.vision_picker.activated.connect(self._on_vision_model_picked)
        for combo in (self.model_combo, self.precision_combo, self.reference_combo,
                      self.vision_precision_combo, self.codec_combo,
                      self.batch_precision_combo):
            combo.currentIndexChanged.connect(self.on_edited)
        self.batch_model_combo.currentIndexChanged.connect(self._on_batch_model_changed)
        self.gflop_spin.valueChanged.connect(self._on_vision_edited)
        self.category_combo.currentIndexChanged.connect(self._on_category_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        for spin in (self.context_spin, self.users_spin, self.prompt_spin,
                     self.tokens_per_s_spin, self.time_per_token_spin, self.ttft_spin,
                     self.fps_spin, self.streams_spin, self.latency_spin,
                     self.accel_hours_spin, self.window_start_spin, self.deadline_spin,
                     self.busy_start_spin, self.busy_end_spin, self.busy_util_spin,
                     self.quiet_util_spin, self.video_width_spin, self.video_height_spin,
                     self.batch_context_spin, self.sequences_spin):
            spin.valueChanged.connect(self.on_edited)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)
        self.editor = editor
        return scroll

    # --- list operations ---

    def add_from_preset(self, preset) -> None:
        self._append(workload_from_preset(preset))

    def _append(self, workload: Workload) -> None:
        workloads = self.controller.project.workloads
        workloads.append(workload)
        self._refresh_table(select=len(workloads) - 1)
        self.controller.mark_edited()
        self.show_error(self.find_error(self.controller.project))

    def duplicate_selected(self) -> None:
        if self._current < 0:
            return
        workload = copy.deepcopy(self.controller.project.workloads[self._current])
        workload.name = f"{workload.name} (copy)"
        self._append(workload)

    def remove_selected(self) -> None:
        workloads = self.controller.project.workloads
        if self._current < 0 or self._current >= len(workloads):
            return
        removed = workloads.pop(self._current)
        logger.info("Removed workload %r", removed.name)
        self._refresh_table(select=min(self._current, len(workloads) - 1))
        self.controller.mark_edited()
        self.show_error(self.find_error(self.controller.project))

    def _latency_class(self, category: str) -> str:
        preset = self.controller.catalog.get("workloads", {}).get(category)
        return preset.latency_class if preset is not None else ""

    def _refresh_table(self, select: int) -> None:
        workloads = self.controller.project.workloads
        self.table.blockSignals(True)
        self.table.setRowCount(len(workloads))
        for row, workload in enumerate(workloads):
            self._fill_row(row, workload)
        self.table.blockSignals(False)
        self._current = -1
        if 0 <= select < len(workloads):
            self.table.selectRow(select)
        self._on_selection_changed()

    def _fill_row(self, row: int, workload: Workload) -> None:
        self.table.setItem(row, 0, QTableWidgetItem(workload.name))
        self.table.setItem(row, 1, QTableWidgetItem(KIND_LABELS.get(workload.kind,
                                                                    workload.kind)))
        self.table.setItem(row, 2, QTableWidgetItem(self._latency_class(workload.category)))

    def _on_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        index = rows[0].row() if rows else -1
        workloads = self.controller.project.workloads
        self._current = index
        has_selection = 0 <= index < len(workloads)
        self.editor.setEnabled(has_selection)
        self.duplicate_button.setEnabled(has_selection)
        self.remove_button.setEnabled(has_selection)
        if has_selection:
            self._loading = True
            try:
                self._load_editor(workloads[index])
            finally:
                self._loading = False

    # --- editor ---

    @staticmethod
    def _select_data(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        if index < 0 and value:
            combo.addItem(value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _load_editor(self, workload: Workload) -> None:
        self.name_edit.setText(workload.name)
        self._select_data(self.category_combo, workload.category)
        self._update_category_info(workload.category)
        self._select_data(self.kind_combo, workload.kind)
        self.power_cap_edit.setText("" if workload.power_cap_w is None
                                    else f"{workload.power_cap_w:g}")

        llm = workload.llm or LLMSpec()
        self._select_data(self.model_combo, llm.model)
        self.precision_combo.setCurrentText(llm.precision)
        self.context_spin.setValue(llm.context_tokens)
        self.users_spin.setValue(llm.concurrent_users)
        self.prompt_spin.setValue(llm.prompt_tokens)
        self.tokens_per_s_spin.setValue(llm.min_tokens_per_s_per_user)
        self.time_per_token_spin.setValue(llm.max_time_per_token_ms)
        self.ttft_spin.setValue(llm.max_time_to_first_token_ms)

        vision = workload.vision or VisionSpec()
        self.vision_model_edit.setText(vision.model_name)
        self.gflop_spin.setValue(vision.gflop_per_frame)
        self.fps_spin.setValue(vision.fps)
        self.streams_spin.setValue(vision.streams)
        self.latency_spin.setValue(vision.max_latency_ms)
        self.vision_precision_combo.setCurrentText(vision.precision)
        self.codec_combo.setCurrentText(vision.video_codec)
        self.video_width_spin.setValue(vision.video_width)
        self.video_height_spin.setValue(vision.video_height)
        self._sync_vision_picker()

        batch = workload.batch or BatchSpec()
        self._select_data(self.reference_combo, batch.reference_accelerator)
        self.accel_hours_spin.setValue(batch.accelerator_hours_per_run)
        self.window_start_spin.setValue(batch.window_start_h)
        self.deadline_spin.setValue(batch.deadline_h)
        self._select_data(self.batch_model_combo, batch.model)
        self.batch_precision_combo.setCurrentText(batch.precision)
        self.batch_context_spin.setValue(batch.context_tokens)
        self.sequences_spin.setValue(batch.sequences_in_flight)
        self._enable_batch_llm_fields()

        schedule = workload.schedule
        self.busy_start_spin.setValue(schedule.busy_start_h)
        self.busy_end_spin.setValue(schedule.busy_end_h)
        self.busy_util_spin.setValue(schedule.busy_utilization)
        self.quiet_util_spin.setValue(schedule.quiet_utilization)
        self._show_kind_fields(workload.kind)

    def _show_kind_fields(self, kind: str) -> None:
        self.llm_group.setVisible(kind == "llm")
        self.vision_group.setVisible(kind in ("vision", "trading"))
        self.vision_group.setTitle("Trading model" if kind == "trading" else "Vision model")
        self.batch_group.setVisible(kind == "batch")

    def _update_category_info(self, category: str) -> None:
        preset = self.controller.catalog.get("workloads", {}).get(category)
        if preset is None:
            self.category_info.setText("")
            return
        self.category_info.setText(f"Latency class: {preset.latency_class}. "
                                   f"Typical hardware: {preset.recommended_hardware}")

    def _on_category_changed(self) -> None:
        self._update_category_info(self.category_combo.currentData() or "")
        self.on_edited()

    def _on_vision_model_picked(self, index: int) -> None:
        key = self.vision_picker.itemData(index)
        model = VISION_MODELS.get(key) if key else None
        if model is None:
            return
        self._loading = True  # one write-back below, not one per field
        try:
            self.vision_model_edit.setText(model.name)
            self.gflop_spin.setValue(model.gflop_per_frame)
        finally:
            self._loading = False
        self.on_edited()

    def _on_vision_edited(self) -> None:
        if self._loading:
            return
        self._sync_vision_picker()
        self.on_edited()

    def _sync_vision_picker(self) -> None:
        """Select the known model whose name and GFLOP per frame the fields hold, else Custom."""
        name = self.vision_model_edit.text()
        gflop = self.gflop_spin.value()
        index = 0
        for position in range(1, self.vision_picker.count()):
            model = VISION_MODELS[self.vision_picker.itemData(position)]
            if model.name == name and abs(model.gflop_per_frame - gflop) < 1e-3:
                index = position
        self.vision_picker.setCurrentIndex(index)

    def _enable_batch_llm_fields(self) -> None:
        has_model = bool(self.batch_model_combo.currentData())
        for widget in (self.batch_precision_combo, self.batch_context_spin, self.sequences_spin):
            widget.setEnabled(has_model)

    def _on_batch_model_changed(self) -> None:
        self._enable_batch_llm_fields()
        self.on_edited()

    def _on_kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        self._show_kind_fields(kind)
        self.on_edited()

    # --- WizardPage ---

    def load_from_project(self, project: Project) -> None:
        self._refresh_table(select=0)

    def write_to_project(self, project: Project) -> None:
        if not 0 <= self._current < len(project.workloads):
            return
        workload = project.workloads[self._current]
        workload.name = self.name_edit.text()
        workload.category = self.category_combo.currentData() or workload.category
        workload.kind = self.kind_combo.currentData()
        workload.power_cap_w = _optional_number(self.power_cap_edit.text())
        # Update the existing spec in place, so fields this page does not show are kept.
        if workload.kind == "llm":
            llm = workload.llm = workload.llm or LLMSpec()
            llm.model = self.model_combo.currentData() or llm.model
            llm.precision = self.precision_combo.currentText()
            llm.context_tokens = self.context_spin.value()
            llm.concurrent_users = self.users_spin.value()
            llm.prompt_tokens = self.prompt_spin.value()
            llm.min_tokens_per_s_per_user = self.tokens_per_s_spin.value()
            llm.max_time_per_token_ms = self.time_per_token_spin.value()
            llm.max_time_to_first_token_ms = self.ttft_spin.value()
        elif workload.kind in ("vision", "trading"):
            vision = workload.vision = workload.vision or VisionSpec()
            vision.model_name = self.vision_model_edit.text()
            vision.gflop_per_frame = self.gflop_spin.value()
            vision.fps = self.fps_spin.value()
            vision.streams = self.streams_spin.value()
            vision.max_latency_ms = self.latency_spin.value()
            vision.precision = self.vision_precision_combo.currentText()
            vision.video_codec = self.codec_combo.currentText()
            vision.video_width = self.video_width_spin.value()
            vision.video_height = self.video_height_spin.value()
        elif workload.kind == "batch":
            batch = workload.batch = workload.batch or BatchSpec()
            batch.reference_accelerator = (self.reference_combo.currentData()
                                           or batch.reference_accelerator)
            batch.accelerator_hours_per_run = self.accel_hours_spin.value()
            batch.window_start_h = self.window_start_spin.value()
            batch.deadline_h = self.deadline_spin.value()
            batch.model = self.batch_model_combo.currentData() or ""
            batch.precision = self.batch_precision_combo.currentText()
            batch.context_tokens = self.batch_context_spin.value()
            batch.sequences_in_flight = self.sequences_spin.value()
        schedule = workload.schedule
        schedule.busy_start_h = self.busy_start_spin.value()
        schedule.busy_end_h = self.busy_end_spin.value()
        schedule.busy_utilization = self.busy_util_spin.value()
        schedule.quiet_utilization = self.quiet_util_spin.value()
        self.table.blockSignals(True)
        self._fill_row(self._current, workload)
        self.table.blockSignals(False)

    def find_error(self, project: Project) -> InputError | None:
        if not project.workloads:
            return InputError("Workloads", "none", "at least one workload")
        for index, workload in enumerate(project.workloads):
            if isinstance(workload.power_cap_w, str):
                return InputError(f"Workload {index + 1} ('{workload.name}') > GPU power cap [W]",
                                  workload.power_cap_w,
                                  "a number of watts from 5 to 1000, or empty to run at TDP")
            try:
                validate_workload(workload, index)
            except InputError as error:
                return error
        return None


def _optional_number(text: str):
    """Return the number typed in ``text``, None when empty, or the text when it is no number.

    A comma is not read as a decimal point, so "1,000" is named as invalid
    instead of being taken as 1 W.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text  # kept as typed so that validation names it
