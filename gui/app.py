"""The wizard's main window: a QWizard under a File and Help menu bar."""

from __future__ import annotations

import html
import logging
import platform
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer, qVersion
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QWizard

from core import __version__
from core.cli import EXIT_USER_ERROR, open_engine
from core.errors import CatalogError, ConfiguratorError, InputError
from core.plan import load_catalog
from core.project import Project, load_project, save_project, validate_project
from gui import logging_setup
from gui.controller import PlanController
from gui.recovery import (
    AUTOSAVE_INTERVAL_MS,
    RecoveryFile,
    RecoveryStore,
    discard_recovery_file,
    find_recovery_files,
    load_recovery_file,
)
from gui.pages.base import error_text
from gui.pages.energy_page import EnergyPage
from gui.pages.hardware_page import HardwarePage
from gui.pages.project_page import ProjectPage
from gui.pages.review_page import ReviewPage
from gui.pages.site_page import SitePage
from gui.pages.workloads_page import WorkloadsPage
from resources import RESOURCES_DIR

logger = logging.getLogger(__name__)

APP_TITLE = "Off-grid AI Configurator"
ICON_PATH = RESOURCES_DIR / "icons" / "offgrid-configurator.svg"
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
    """The wizard under a menu bar.

    With a ``recovery_store``, a project with unsaved changes is autosaved
    every ``AUTOSAVE_INTERVAL_MS`` and before each plan run, and the recovery
    file is deleted on a clean save, a project change and a normal close.
    """

    def __init__(self, engine, catalog: dict, project: Project, project_path: Path | None,
                 recovery_store: RecoveryStore | None = None):
        super().__init__()
        self.engine = engine
        self.recovery_store = recovery_store
        self._autosave_error_logged = False
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

        self.autosave_timer = QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        if recovery_store is not None:
            self.controller.plan_started.connect(self.autosave)
            self.controller.project_replaced.connect(recovery_store.discard)
            self.autosave_timer.start()

    # --- autosave ---

    def autosave(self) -> bool:
        """Write the project to the recovery file if it has unsaved changes; return True if written.

        A failed autosave is logged once and shown in the status bar, never as
        a dialog, because it repeats every minute.
        """
        if self.recovery_store is None or not self.controller.modified:
            return False
        try:
            self.recovery_store.write(self.controller.project, self.controller.project_path)
        except OSError as error:
            if not self._autosave_error_logged:
                logger.warning("Autosave to %s failed: %s", self.recovery_store.path, error)
                self._autosave_error_logged = True
            self.statusBar().showMessage(
                f"Autosave failed: {error.strerror or error}. Save the project to keep your "
                "changes.", 15_000)
            return False
        self._autosave_error_logged = False
        return True

    def _discard_recovery(self) -> None:
        if self.recovery_store is not None:
            self.recovery_store.discard()

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
        self.statusBar().showMessage(f"Opened {path}", 5000)  # replaces an earlier error
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
        self._discard_recovery()
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
        self.autosave_timer.stop()
        self.controller.cancel_plan()
        QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
        self._discard_recovery()
        logger.info("Main window closed")
        event.accept()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_TITLE}", about_text(self.engine))


def about_text(engine=None) -> str:
    """Return the versions of the program, its catalog and its libraries, and the log file path."""
    import numpy
    import pvlib
    import pyqtgraph
    import PySide6
    import reportlab
    import sqlalchemy

    lines = [f"<b>{APP_TITLE}</b> {__version__}",
             "Plans AI inference at sites without grid power.", ""]
    if engine is not None:
        lines.append(_catalog_line(engine))
    lines += [f"Python {platform.python_version()}",
              f"Qt {qVersion()} (PySide6 {PySide6.__version__})",
              f"pvlib {pvlib.__version__}",
              f"numpy {numpy.__version__}",
              f"reportlab {reportlab.Version}",
              f"SQLAlchemy {sqlalchemy.__version__}",
              f"pyqtgraph {pyqtgraph.__version__}",
              ""]
    log_file = logging_setup.log_file_path()
    if log_file is not None:
        lines.append(f"Log file: {html.escape(str(log_file))}")
    else:
        lines.append("Log file: none (the log folder cannot be written; messages go to stderr)")
    return "<br>".join(lines)


def _catalog_line(engine) -> str:
    from core.catalog.db import catalog_versions

    try:
        versions = catalog_versions(engine)
    except Exception as error:  # noqa: BLE001 - the About box must open even on a bad catalog
        logger.warning("Catalog versions cannot be read: %s", error)
        return f"Catalog: versions cannot be read ({html.escape(str(error))})"
    database = html.escape(str(engine.url.database))
    return (f"Catalog schema {versions['schema_version']}, seed "
            f"{versions['seed_version'][:12]} (built {versions['built_at']})<br>"
            f"Catalog file: {database}")


# Answers of the start-up questions; tests pass functions that return them.
REBUILD, RETRY, QUIT = "rebuild", "retry", "quit"
RECOVER, DISCARD, KEEP = "recover", "discard", "keep"

AskCatalog = Callable[[CatalogError], str]
AskRecovery = Callable[[RecoveryFile], str]


def ask_catalog_action(error: CatalogError) -> str:
    """Ask what to do about a catalog that cannot be opened: REBUILD, RETRY or QUIT.

    The question goes through the static ``QMessageBox.critical``, which tests
    replace to record it; its standard buttons are relabelled once it shows.
    """
    from core.catalog.db import DamagedCatalogError

    if isinstance(error, DamagedCatalogError):
        action, label, answer = QMessageBox.StandardButton.Reset, "Rebuild the catalog", REBUILD
        question = ("Rebuild the catalog from the shipped data? The components you added that "
                    "can still be read are kept.")
    else:
        action, label, answer = QMessageBox.StandardButton.Retry, "Try again", RETRY
        question = "Fix the cause named above, then try again."
    labels = {action: label, QMessageBox.StandardButton.Close: "Quit"}
    QTimer.singleShot(0, lambda: _relabel_modal_buttons(labels))
    clicked = QMessageBox.critical(None, "Catalog cannot be opened", f"{error}\n\n{question}",
                                   action | QMessageBox.StandardButton.Close, action)
    return answer if clicked == action else QUIT


def _relabel_modal_buttons(labels: dict) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        return
    for standard_button, text in labels.items():
        button = box.button(standard_button)
        if button is not None:
            button.setText(text)


def ask_recovery_action(found: RecoveryFile) -> str:
    """Ask whether to recover an autosaved project: RECOVER, DISCARD or KEEP."""
    where = str(found.project_path) if found.project_path else "a project never saved"
    box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved changes",
                      f"The program ended without saving '{found.project_name}' ({where}). "
                      f"An autosaved copy from {found.saved_at or 'an unknown time'} exists.")
    box.setInformativeText("Recover opens the autosaved copy; save it to keep it. Discard "
                           "deletes the copy. Keep for later asks again at the next start.")
    recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Keep for later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(recover)
    box.exec()
    if box.clickedButton() is recover:
        return RECOVER
    if box.clickedButton() is discard:
        return DISCARD
    return KEEP


def open_catalog_interactively(catalog_path: Path | None, ask: AskCatalog,
                               rebuild: bool = False):
    """Open the catalog, asking ``ask`` what to do on each CatalogError.

    Returns ``(engine, catalog)``, or None when the user quits.
    """
    while True:
        try:
            engine = open_engine(catalog_path, rebuild_if_corrupt=rebuild)
            return engine, load_catalog(engine)
        except CatalogError as error:
            logger.error("Catalog cannot be opened: %s", error)
            answer = ask(error)
        logger.info("Catalog problem: the user chose %s", answer)
        if answer == QUIT:
            return None
        rebuild = answer == REBUILD


def _recover_project(found: RecoveryFile, store: RecoveryStore):
    """Load a recovery file and hand it to ``store``; return (project, path) or None."""
    try:
        project, path = load_recovery_file(found.path)
    except ConfiguratorError as error:
        logger.warning("Recovery file not opened: %s", error)
        QMessageBox.warning(None, "Recovery failed",
                            f"{error}\n\nThe file is left in place; send it to support.")
        return None
    # Copy it to this session's file first, so a crash now still leaves a copy.
    try:
        store.write(project, path)
    except OSError as error:
        logger.warning("Recovered project not copied to %s: %s", store.path, error)
        return project, path
    discard_recovery_file(found.path)
    return project, path


def create_main_window(project_path: Path | str | None, catalog_path: Path | None, *,
                       ask_catalog: AskCatalog = ask_catalog_action,
                       ask_recovery: AskRecovery = ask_recovery_action,
                       recovery_dir: Path | None = None,
                       rebuild_catalog: bool = False) -> MainWindow | None:
    """Open the catalog, offer to recover a crashed session, and build the main window.

    Returns None when the catalog cannot be opened and the user quits. A
    recovered project opens with unsaved changes, so the user saves it.
    """
    opened = open_catalog_interactively(catalog_path, ask_catalog, rebuild_catalog)
    if opened is None:
        return None
    engine, catalog = opened
    store = RecoveryStore(recovery_dir)

    recovered = None
    for found in find_recovery_files(store.folder):
        answer = ask_recovery(found)
        logger.info("Recovery file %s: the user chose %s", found.path, answer)
        if answer == RECOVER and recovered is None:
            recovered = _recover_project(found, store)
        elif answer == DISCARD:
            discard_recovery_file(found.path)

    if recovered is not None:
        project, path = recovered
        window = MainWindow(engine, catalog, project, path, store)
        window.controller.set_modified(True)
        window.statusBar().showMessage("Recovered the autosaved project. Save it to keep it.")
        return window

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
    return MainWindow(engine, catalog, project, path, store)


def run_wizard(project_path: Path | str | None, catalog_path: Path | None, *,
               ask_catalog: AskCatalog = ask_catalog_action,
               rebuild_catalog: bool = False) -> int:
    """Open the catalog and the project, show the main window and run the event loop.

    Returns the exit code: 0 after a normal close, 2 when the catalog cannot be
    opened and the user quits.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("offgrid-configurator")
    app.setApplicationDisplayName(APP_TITLE)
    app.setWindowIcon(QIcon(str(ICON_PATH)))
    restore_hooks = logging_setup.install_crash_handler(_show_crash_message)
    try:
        window = create_main_window(project_path, catalog_path, ask_catalog=ask_catalog,
                                    rebuild_catalog=rebuild_catalog)
        if window is None:
            return EXIT_USER_ERROR
        window.show()
        return app.exec()
    finally:
        restore_hooks()


def _show_crash_message(title: str, text: str) -> None:
    QMessageBox.critical(QApplication.activeWindow(), title, text)
