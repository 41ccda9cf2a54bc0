"""The wizard's main window: a QWizard under a File and Help menu bar."""

from __future__ import annotations

import logging
import platform
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QWizard

from core import __version__
from core.cli import EXIT_USER_ERROR, open_engine
from core.errors import CatalogError, ConfiguratorError, InputError
from core.plan import load_catalog
from core.project import Project, load_project, save_project, validate_project
from gui.controller import PlanController
from gui.pages.base import error_text
from gui.pages.energy_page import EnergyPage
from gui.pages.hardware_page import HardwarePage
from gui.pages.project_page import ProjectPage
from gui.pages.review_page import ReviewPage
from gui.pages.site_page import SitePage
from gui.pages.workloads_page import WorkloadsPage

logger = logging.getLogger(__name__)

APP_TITLE = "Off-grid AI Configurator"
PROJECT_FILTER = "Project files (*.json);;All files (*)"
# Maximum wait for a running plan or export when the window closes [ms].
SHUTDOWN_WAIT_MS = 10_000


class EmbeddedWizard(QWizard):
    """A QWizard shown inside the main window; Finish opens the PDF export instead of closing."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Export PDF...")
        self.export_requested = None

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        # The wizard is never closed on its own: the main window owns its lifetime.
        if result == QWizard.DialogCode.Accepted and self.export_requested is not None:
            self.export_requested()


class MainWindow(QMainWindow):
    def __init__(self, engine, catalog: dict, project: Project, project_path: Path | None):
        super().__init__()
        self.controller = PlanController(engine, catalog, project, project_path, self)
        self.wizard = EmbeddedWizard(self)
        self.project_page = ProjectPage(self.controller)
        self.workloads_page = WorkloadsPage(self.controller)
        self.hardware_page = HardwarePage(self.controller)
        self.site_page = SitePage(self.controller)
        self.energy_page = EnergyPage(self.controller)
        self.review_page = ReviewPage(self.controller)
        self.pages = [self.project_page, self.workloads_page, self.hardware_page,
                      self.site_page, self.energy_page, self.review_page]
        for page in self.pages:
            self.wizard.addPage(page)
        self.wizard.export_requested = self.review_page.choose_and_export
        self.setCentralWidget(self.wizard)
        self._build_menus()
        self.controller.modified_changed.connect(self.setWindowModified)
        self.controller.project_replaced.connect(self._update_title)
        self._update_title()
        self.resize(1280, 860)

    # --- menus ---

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action(file_menu, "&New", QKeySequence.StandardKey.New,
                                       self.new_project)
        self.open_action = self._action(file_menu, "&Open...", QKeySequence.StandardKey.Open,
                                        self.choose_and_open)
        self.save_action = self._action(file_menu, "&Save", QKeySequence.StandardKey.Save,
                                        self.save)
        self.save_as_action = self._action(file_menu, "Save &As...",
                                           QKeySequence.StandardKey.SaveAs, self.save_as)
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "&Export PDF...", QKeySequence("Ctrl+E"),
                                          self.review_page.choose_and_export)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About", None, self.show_about)

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _update_title(self) -> None:
        path = self.controller.project_path
        name = path.name if path else "Untitled project"
        self.setWindowTitle(f"{name}[*] - {APP_TITLE}")
        self.setWindowModified(self.controller.modified)

    def show_error(self, title: str, text: str) -> None:
        """Show an error message box; tests replace QMessageBox.critical to read it."""
        logger.info("%s: %s", title, text)
        self.statusBar().showMessage(text, 15_000)
        QMessageBox.critical(self, title, text)

    # --- file operations ---

    def new_project(self) -> None:
        if not self.maybe_save():
            return
        self.controller.replace_project(Project(), None)
        self.wizard.restart()

    def choose_and_open(self) -> None:
        if not self.maybe_save():
            return
        folder = str(self.controller.project_dir or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open project", folder, PROJECT_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a project file; on an error the current project stays as it is."""
        try:
            project = load_project(path)
        except ConfiguratorError as error:
            message = error_text(error) if isinstance(error, InputError) else str(error)
            self.show_error("Project not opened",
                            f"{message}\n\nThe project you were editing is unchanged.")
            return False
        self.controller.replace_project(project, Path(path))
        self.wizard.restart()
        return True

    def save(self) -> bool:
        path = self.controller.project_path
        if path is None:
            return self.save_as()
        return self.save_to(path)

    def save_as(self) -> bool:
        folder = self.controller.project_dir or Path.home()
        suggested = folder / (self.controller.project.info.name.strip() or "project")
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", f"{suggested}.json",
                                              PROJECT_FILTER)
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path.with_suffix(".json")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Check the project and write it to ``path`` atomically."""
        for page in self.pages:
            if page is self.wizard.currentPage():
                page.write_to_project(self.controller.project)
        try:
            validate_project(self.controller.project)
        except InputError as error:
            self.show_error("Project not saved",
                            f"{error_text(error)}\n\nCorrect the value and save again; a file "
                            "with an invalid value could not be opened later.")
            return False
        except TypeError as error:
            self.show_error("Project not saved", f"A value has the wrong type: {error}")
            return False
        try:
            save_project(self.controller.project, path)
        except OSError as error:
            self.show_error("Project not saved",
                            f"{path} cannot be written: {error.strerror or error}. Choose "
                            "another folder with Save As.")
            return False
        self.controller.project_path = path
        self.controller.set_modified(False)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; return False when the user cancels."""
        if not self.controller.modified:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes",
            "The project has unsaved changes. Save them first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.maybe_save():
            event.ignore()
            return
        self.controller.cancel_plan()
        QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
        event.accept()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_TITLE}", about_text())


def about_text() -> str:
    """Return the program version and the versions of the libraries it runs on."""
    import numpy
    import pvlib
    import pyqtgraph
    import PySide6

    return (f"<b>{APP_TITLE}</b> {__version__}<br>"
            "Plans AI inference at sites without grid power.<br><br>"
            f"Qt {qVersion()} (PySide6 {PySide6.__version__})<br>"
            f"Python {platform.python_version()}<br>"
            f"pvlib {pvlib.__version__}<br>"
            f"numpy {numpy.__version__}<br>"
            f"pyqtgraph {pyqtgraph.__version__}")


def run_wizard(project_path: Path | str | None, catalog_path: Path | None) -> int:
    """Open the catalog and the project, show the main window and run the event loop.

    Returns the exit code: 0 after a normal close, 2 when the catalog cannot be opened.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("offgrid-configurator")
    app.setApplicationDisplayName(APP_TITLE)

    try:
        engine = open_engine(catalog_path)
        catalog = load_catalog(engine)
    except CatalogError as error:
        logger.error("Catalog cannot be opened: %s", error)
        QMessageBox.critical(None, "Catalog cannot be opened",
                             f"{error}\n\nThe wizard needs the spec catalog and will close now.")
        return EXIT_USER_ERROR

    project, path = Project(), None
    if project_path is not None:
        try:
            project, path = load_project(project_path), Path(project_path)
        except ConfiguratorError as error:
            message = error_text(error) if isinstance(error, InputError) else str(error)
            logger.warning("Project %s not opened: %s", project_path, error)
            QMessageBox.warning(None, "Project not opened",
                                f"{message}\n\nThe wizard starts with a new project. The file "
                                "is left unchanged.")

    window = MainWindow(engine, catalog, project, path)
    window.show()
    return app.exec()
