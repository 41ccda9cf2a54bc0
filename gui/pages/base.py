"""Common behaviour of the wizard pages: loading, write-back and the red error message."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from core.errors import InputError
from core.project import LLMSpec, Project, ProjectInfo, Site, Targets, Workload, validate_project

logger = logging.getLogger(__name__)

ERROR_STYLE = "color: #b00020; font-weight: bold;"
WARNING_STYLE = "color: #8a4b00;"


def error_text(error: InputError) -> str:
    """Return the page message for an InputError: field, value and what is allowed."""
    return f"{error.field}: {error.value!r} is invalid; expected {error.allowed}."


def section_error(project: Project, section: str) -> InputError | None:
    """Return the first InputError of one section ("info", "site" or "targets"), or None.

    The other sections are replaced by defaults that pass validation, so the
    error always belongs to the section asked for.
    """
    probe = Project(info=ProjectInfo(), site=Site(), workloads=[Workload(llm=LLMSpec())],
                    targets=Targets())
    setattr(probe, section, getattr(project, section))
    try:
        validate_project(probe)
    except InputError as error:
        return error
    except TypeError as error:
        return InputError(section, "a value of the wrong type", str(error))
    return None


def int_spin(low: int, high: int, suffix: str = "", step: int = 1) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    if suffix:
        spin.setSuffix(f" {suffix}")
    spin.setKeyboardTracking(True)
    return spin


def float_spin(low: float, high: float, decimals: int = 1, suffix: str = "",
               step: float = 1.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    if suffix == "°":
        spin.setSuffix(suffix)  # angles take no space before the degree sign
    elif suffix:
        spin.setSuffix(f" {suffix}")
    return spin


class PlanStatus(QWidget):
    """Progress bar, status text, Cancel and Recalculate for a page that shows computed results."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(220)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.recalculate_button = QPushButton("Recalculate")
        layout.addWidget(self.progress)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.recalculate_button)
        self.set_idle("")

    def set_running(self, percent: int, message: str) -> None:
        self.progress.setVisible(True)
        self.progress.setValue(percent)
        self.text.setStyleSheet("")
        self.text.setText(message)
        self.cancel_button.setEnabled(True)

    def set_idle(self, message: str, *, error: bool = False) -> None:
        self.progress.setVisible(False)
        self.text.setStyleSheet(ERROR_STYLE if error else "")
        self.text.setText(message)
        self.cancel_button.setEnabled(False)


class WizardPage(QWizardPage):
    """A wizard page that edits part of ``controller.project``.

    Subclasses build their widgets into ``self.body`` and implement
    ``load_from_project``, ``write_to_project`` and ``find_error``. Every edit
    calls ``on_edited``, which writes the page back and shows the first
    invalid field in red at once, keeping what was typed.
    """

    # True when an edit on this page restarts the debounced plan calculation.
    recompute_plan_on_edit = False

    def __init__(self, controller, title: str, subtitle: str = ""):
        super().__init__()
        self.controller = controller
        self._loading = False
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        outer = QVBoxLayout(self)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        self.error_label = QLabel("")
        self.error_label.setObjectName("pageError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setVisible(False)
        outer.addWidget(self.error_label)
        controller.project_replaced.connect(self.reload)

    # --- to be implemented by each page ---

    def load_from_project(self, project: Project) -> None:
        raise NotImplementedError

    def write_to_project(self, project: Project) -> None:
        raise NotImplementedError

    def find_error(self, project: Project) -> InputError | None:
        raise NotImplementedError

    # --- shared behaviour ---

    def reload(self) -> None:
        self._loading = True
        try:
            self.load_from_project(self.controller.project)
        finally:
            self._loading = False
        self.show_error(None)

    def on_edited(self, *_args) -> None:
        if self._loading:
            return
        self.write_to_project(self.controller.project)
        self.controller.mark_edited(recompute_plan=self.recompute_plan_on_edit)
        self.show_error(self.find_error(self.controller.project))

    def show_error(self, error: InputError | None) -> None:
        if error is None:
            self.error_label.clear()
            self.error_label.setVisible(False)
        else:
            self.error_label.setText(error_text(error))
            self.error_label.setVisible(True)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self.write_to_project(self.controller.project)
        error = self.find_error(self.controller.project)
        self.show_error(error)
        if error is not None:
            logger.info("Page %r blocked: %s", self.title(), error_text(error))
        return error is None
