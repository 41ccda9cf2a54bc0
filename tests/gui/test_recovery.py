"""Autosave and crash recovery: edits survive a window that is dropped without closing."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

from core.project import load_project
from gui import recovery
from gui.app import DISCARD, KEEP, RECOVER, create_main_window

PLAN_TIMEOUT_MS = 60_000


@pytest.fixture
def catalog_path(catalog_engine):
    return catalog_engine.url.database


@pytest.fixture
def recovery_dir(tmp_path):
    return tmp_path / "recovery"


@pytest.fixture
def open_windows(monkeypatch):
    """Close every window a test opened, without the unsaved-changes question."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *args: QMessageBox.StandardButton.Discard))
    windows = []
    yield windows
    for window in windows:
        window.controller.cancel_plan()
        QThreadPool.globalInstance().waitForDone(PLAN_TIMEOUT_MS)
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _no_question(found):
    raise AssertionError(f"unexpected recovery question for {found.path}")


def _start(project_path, catalog_path, recovery_dir, open_windows, ask=_no_question):
    window = create_main_window(project_path, catalog_path, recovery_dir=recovery_dir,
                                ask_recovery=ask)
    assert window is not None
    open_windows.append(window)
    window.show()
    return window


def _crash(window, open_windows):
    """Drop the window the way a crash does: no closeEvent, so no clean-up runs."""
    window.autosave_timer.stop()
    window.controller.cancel_plan()
    QThreadPool.globalInstance().waitForDone(PLAN_TIMEOUT_MS)
    open_windows.remove(window)
    window.hide()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _edit(window):
    project = window.controller.project
    project.info.name = "Sand Point node C"
    project.site.fuel_price_per_l = 2.37
    project.workloads[0].llm.concurrent_users = 17
    window.controller.mark_edited()


def test_crash_then_recover_restores_values(qtbot, sand_point_path, catalog_path, recovery_dir,
                                            open_windows):
    first = _start(sand_point_path, catalog_path, recovery_dir, open_windows)
    _edit(first)
    edited = first.controller.project
    assert first.autosave()
    recovery_file = first.recovery_store.path
    assert recovery_file.is_file()

    _crash(first, open_windows)
    assert recovery_file.is_file()

    questions = []

    def recover(found):
        questions.append(found)
        return RECOVER

    second = _start(sand_point_path, catalog_path, recovery_dir, open_windows, recover)
    assert len(questions) == 1
    assert questions[0].project_name == "Sand Point node C"
    assert questions[0].project_path == sand_point_path
    assert second.controller.project == edited
    assert second.controller.project_path == sand_point_path
    assert second.controller.modified
    assert not recovery_file.exists()
    assert second.recovery_store.path.is_file()
    # The project file on disk was never touched by the autosave.
    assert load_project(sand_point_path).info.name != "Sand Point node C"


def test_timer_autosaves_modified_project(qtbot, sand_point_path, catalog_path, recovery_dir,
                                          open_windows):
    window = _start(sand_point_path, catalog_path, recovery_dir, open_windows)
    assert window.autosave_timer.interval() == recovery.AUTOSAVE_INTERVAL_MS
    assert window.autosave_timer.isActive()
    window.autosave_timer.setInterval(50)
    qtbot.wait(150)
    assert not window.recovery_store.path.exists()

    _edit(window)
    qtbot.waitUntil(window.recovery_store.path.is_file, timeout=5000)
    data = json.loads(window.recovery_store.path.read_text(encoding="utf-8"))
    assert data["info"]["name"] == "Sand Point node C"
    assert data["recovery"]["pid"] == os.getpid()


def test_plan_run_autosaves(qtbot, sand_point_path, catalog_path, recovery_dir, open_windows):
    window = _start(sand_point_path, catalog_path, recovery_dir, open_windows)
    _edit(window)
    with qtbot.waitSignal(window.controller.plan_started, timeout=5000):
        window.controller.request_plan(force=True)
    assert window.recovery_store.path.is_file()
    window.controller.cancel_plan()


def test_save_and_close_delete_recovery_file(qtbot, sand_point_path, catalog_path, recovery_dir,
                                             open_windows):
    window = _start(sand_point_path, catalog_path, recovery_dir, open_windows)
    _edit(window)
    assert window.autosave()
    assert window.save_to(sand_point_path)
    assert not window.recovery_store.path.exists()

    _edit(window)
    assert window.autosave()
    window.close()
    assert not window.recovery_store.path.exists()
    assert list(recovery_dir.glob("*.json")) == []


def test_discard_and_keep_answers(qtbot, sand_point_path, catalog_path, recovery_dir,
                                  open_windows):
    first = _start(sand_point_path, catalog_path, recovery_dir, open_windows)
    _edit(first)
    first.autosave()
    recovery_file = first.recovery_store.path
    _crash(first, open_windows)

    kept_window = _start(sand_point_path, catalog_path, recovery_dir, open_windows, lambda found: KEEP)
    assert recovery_file.is_file()
    assert kept_window.controller.project.info.name != "Sand Point node C"
    assert not kept_window.controller.modified

    _start(sand_point_path, catalog_path, recovery_dir, open_windows, lambda found: DISCARD)
    assert not recovery_file.exists()


def test_unreadable_recovery_file_set_aside(qtbot, sand_point_path, catalog_path, recovery_dir,
                                            open_windows):
    recovery_dir.mkdir()
    broken = recovery_dir / "recovery-1-1.json"
    broken.write_bytes(b'{"format": "offgrid-configur')
    window = _start(sand_point_path, catalog_path, recovery_dir, open_windows)
    assert not window.controller.modified
    assert not broken.exists()
    assert (recovery_dir / "recovery-1-1.json.unreadable").is_file()


def test_running_instance_file_not_offered(tmp_path, sand_point_path):
    store = recovery.RecoveryStore(tmp_path)
    store.write(load_project(sand_point_path), sand_point_path)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    # The parent process (pytest's launcher or the shell) is alive.
    data["recovery"]["pid"] = os.getppid()
    store.path.write_text(json.dumps(data), encoding="utf-8")
    assert recovery.find_recovery_files(tmp_path) == []


def test_invalid_recovered_project_reported(tmp_path, sand_point_path):
    store = recovery.RecoveryStore(tmp_path)
    project = load_project(sand_point_path)
    project.site.latitude_deg = 123.0
    store.write(project, sand_point_path)
    with pytest.raises(recovery.FileFormatError) as caught:
        recovery.load_recovery_file(store.path)
    assert str(store.path) in str(caught.value)
    assert "latitude" in str(caught.value)


def test_autosave_write_failure_shows_status(qtbot, sand_point_path, catalog_path, recovery_dir,
                                             open_windows, monkeypatch):
    window = _start(sand_point_path, catalog_path, recovery_dir, open_windows)
    _edit(window)

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.recovery_store, "write", full_disk)
    assert not window.autosave()
    assert "Autosave failed" in window.statusBar().currentMessage()
