"""The background runner, the catalog error path of run_wizard and the About text."""

import pytest

from core.errors import ConfiguratorError
from gui.worker import TaskRunner


def test_runner_delivers_result_and_progress(qtbot):
    runner = TaskRunner("test task")
    progress = []
    runner.progress.connect(lambda percent, message: progress.append((percent, message)))

    def task(report):
        report(50, "half way")
        return 42

    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        runner.start(task)
    assert blocker.args == [42]
    qtbot.waitUntil(lambda: progress == [(50, "half way")], timeout=5000)
    assert not runner.is_running


def test_runner_known_error_has_no_traceback(qtbot):
    runner = TaskRunner("test task")

    def task(_report):
        raise ConfiguratorError("Site > weather file: missing.")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(task)
    assert blocker.args == ["Site > weather file: missing.", ""]


def test_runner_bug_reports_traceback(qtbot):
    runner = TaskRunner("test task")

    def task(_report):
        raise ZeroDivisionError("division by zero")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(task)
    message, details = blocker.args
    assert "ZeroDivisionError" in message
    assert "Traceback" in details


def test_runner_cancel_drops_result(qtbot):
    from threading import Event

    runner = TaskRunner("test task")
    release = Event()
    results = []
    runner.finished.connect(results.append)

    def slow_task(_report):
        release.wait(5)
        return "stale"

    runner.start(slow_task)
    with qtbot.waitSignal(runner.cancelled, timeout=1000):
        runner.cancel()
    release.set()
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        runner.start(lambda _report: "fresh")
    assert blocker.args == ["fresh"]
    qtbot.wait(50)
    assert results == ["fresh"]


def test_run_wizard_reports_broken_catalog(qtbot, tmp_path, message_boxes):
    from gui.app import run_wizard

    broken = tmp_path / "catalog.sqlite"
    broken.write_bytes(b"this is not an SQLite database" * 10)

    assert run_wizard(None, broken) == 2

    title, text = message_boxes[0]
    assert title == "Catalog cannot be opened"
    assert str(broken) in text


@pytest.mark.parametrize("library", ["Qt", "Python", "pvlib", "numpy"])
def test_about_names_versions(library):
    from gui.app import about_text

    assert f"{library} " in about_text()
