"""Start-up of the wizard: the catalog question, the About box, the log file and the crash handler."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core.catalog.db import DamagedCatalogError
from core.errors import CatalogError
from gui import logging_setup
from gui.app import QUIT, REBUILD, RETRY, about_text, ask_catalog_action, create_main_window
from gui.worker import TaskRunner


@pytest.fixture
def log_file(tmp_path):
    """Log to a file in tmp_path; remove the handlers afterwards."""
    path = logging_setup.configure_logging(log_dir=tmp_path / "log")
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_offgrid_handler", False):
            root.removeHandler(handler)
            handler.close()
    logging_setup._log_file = None


def _damaged_catalog(tmp_path):
    path = tmp_path / "catalog.sqlite"
    path.write_bytes(b"not an SQLite file" * 50)
    return path


def test_damaged_catalog_rebuilt_on_request(qtbot, tmp_path):
    broken = _damaged_catalog(tmp_path)
    questions = []

    def rebuild(error):
        questions.append(error)
        return REBUILD

    window = create_main_window(None, broken, ask_catalog=rebuild,
                                recovery_dir=tmp_path / "recovery")
    qtbot.addWidget(window)
    assert len(questions) == 1
    assert isinstance(questions[0], DamagedCatalogError)
    assert str(broken) in str(questions[0])
    assert (tmp_path / "catalog.sqlite.corrupt").is_file()
    assert window.controller.catalog["accelerators"]


def test_damaged_catalog_quit(tmp_path):
    broken = _damaged_catalog(tmp_path)
    assert create_main_window(None, broken, ask_catalog=lambda error: QUIT,
                              recovery_dir=tmp_path / "recovery") is None
    assert broken.is_file()
    assert not (tmp_path / "catalog.sqlite.corrupt").exists()


def _click_when_shown(text, seen):
    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.extend(button.text() for button in box.buttons())
        for button in box.buttons():
            if button.text() == text:
                button.click()
                return
        box.reject()

    QTimer.singleShot(20, click)


def test_question_offers_rebuild_or_quit(qtbot):
    seen = []
    _click_when_shown("Rebuild the catalog", seen)
    assert ask_catalog_action(DamagedCatalogError("catalog.sqlite cannot be read")) == REBUILD
    assert sorted(seen) == ["Quit", "Rebuild the catalog"]

    seen.clear()
    _click_when_shown("Quit", seen)
    assert ask_catalog_action(DamagedCatalogError("catalog.sqlite cannot be read")) == QUIT


def test_locked_catalog_offers_retry(qtbot):
    seen = []
    _click_when_shown("Try again", seen)
    assert ask_catalog_action(CatalogError("catalog.sqlite is locked")) == RETRY
    assert sorted(seen) == ["Quit", "Try again"]


@pytest.mark.parametrize("library", ["Catalog schema", "Python", "Qt", "PySide6", "pvlib",
                                     "numpy", "reportlab", "SQLAlchemy"])
def test_about_lists_versions(catalog_engine, log_file, library):
    text = about_text(catalog_engine)
    assert f"{library} " in text


def test_about_shows_log_file(catalog_engine, log_file):
    text = about_text(catalog_engine)
    assert str(log_file) in text
    assert "Off-grid AI Configurator</b> 0." in text


def test_log_file_receives_records(log_file):
    logging.getLogger("core.test").info("marker line for the support log")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert log_file.name == "offgrid-configurator.log"
    assert "marker line for the support log" in log_file.read_text(encoding="utf-8")


def test_crash_handler_logs_and_shows(log_file):
    messages = []
    restore = logging_setup.install_crash_handler(lambda title, text: messages.append((title, text)))
    try:
        try:
            raise ZeroDivisionError("division by zero in a slot")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        restore()
    title, text = messages[0]
    assert title == "Unexpected error"
    assert "ZeroDivisionError" in text
    assert str(log_file) in text
    log_text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in log_text
    assert "division by zero in a slot" in log_text


def test_worker_traceback_goes_to_log(qtbot, log_file):
    runner = TaskRunner("Fuzzy task")

    def task(_report):
        raise KeyError("missing column")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(task)
    message, _details = blocker.args
    assert "The details are in the log" in message
    log_text = log_file.read_text(encoding="utf-8")
    assert "Fuzzy task failed with an unexpected error" in log_text
    assert "KeyError: 'missing column'" in log_text


def test_unwritable_log_folder_falls_back(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder belongs")
    try:
        assert logging_setup.configure_logging(log_dir=blocker / "log") is None
        assert logging_setup.log_file_path() is None
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_offgrid_handler", False):
                root.removeHandler(handler)
                handler.close()
