"""Fixtures of the GUI tests: an offscreen Qt platform, a catalog in tmp and the main window."""

import os

# Must be set before Qt is imported anywhere, so the tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool  # noqa: E402

from resources import EXAMPLES_DIR  # noqa: E402

PLAN_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def catalog_engine(tmp_path_factory):
    from core.catalog.db import open_catalog

    return open_catalog(tmp_path_factory.mktemp("catalog") / "catalog.sqlite")


@pytest.fixture(scope="session")
def catalog(catalog_engine):
    from core.plan import load_catalog

    return load_catalog(catalog_engine)


@pytest.fixture
def sand_point_path(tmp_path) -> Path:
    """Return a copy of the Sand Point example in tmp_path, so saving never touches resources."""
    path = tmp_path / "sand_point_alaska.json"
    shutil.copy(EXAMPLES_DIR / "sand_point_alaska.json", path)
    return path


@pytest.fixture
def window(qtbot, monkeypatch, catalog_engine, catalog, sand_point_path):
    from PySide6.QtWidgets import QMessageBox

    from core.project import load_project
    from gui.app import MainWindow

    # pytest-qt closes the window before this fixture's teardown, so the
    # unsaved-changes question must never open a modal dialog.
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *args: QMessageBox.StandardButton.Discard))

    main_window = MainWindow(catalog_engine, catalog, load_project(sand_point_path),
                             sand_point_path)
    qtbot.addWidget(main_window)
    main_window.show()
    yield main_window
    main_window.controller.set_modified(False)
    main_window.controller.cancel_plan()
    QThreadPool.globalInstance().waitForDone(PLAN_TIMEOUT_MS)
    main_window.close()
    main_window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def message_boxes(monkeypatch):
    """Record QMessageBox.critical calls instead of opening modal dialogs."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _parent, title, text, *args: shown.append((title,
                                                                                       text))))
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _parent, title, text, *args: shown.append((title,
                                                                                       text))))
    return shown

