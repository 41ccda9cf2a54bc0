"""Recovery files: autosaved copies of a project with unsaved changes.

While the wizard runs, the open project is written to
``<user data folder>/recovery/recovery-<pid>-<n>.json`` every
``AUTOSAVE_INTERVAL_MS`` and before each plan run, when it has unsaved
changes. A clean save, a new or opened project and a normal close delete the
file. A file left behind means the program crashed, was killed or lost power,
and the next start offers to recover it.

A recovery file is a project file with one extra key, ``recovery``, that
records the project's own path and the time of the autosave. It is written to
a temporary file and renamed, so a crash during the autosave leaves the
previous copy intact.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs

from core.errors import ConfiguratorError, FileFormatError
from core.project import MAX_PROJECT_FILE_BYTES, Project, project_from_dict

logger = logging.getLogger(__name__)

APP_NAME = "offgrid-configurator"
AUTOSAVE_INTERVAL_MS = 60_000
RECOVERY_KEY = "recovery"
RECOVERY_GLOB = "recovery-*.json"

_store_numbers = itertools.count(1)


def default_recovery_dir() -> Path:
    """Return the per-user recovery folder, e.g. ~/.local/share/offgrid-configurator/recovery."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "recovery"


@dataclass
class RecoveryFile:
    """A recovery file found at start-up, with the facts the recovery question shows."""

    path: Path
    project_name: str
    project_path: Path | None
    saved_at: str
    pid: int | None


def _write_atomically(path: Path, text: str) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


class RecoveryStore:
    """Write and delete the recovery file of one running window."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else default_recovery_dir()
        # The pid lets the next start tell a crashed session from one still running.
        self.path = self.folder / f"recovery-{os.getpid()}-{next(_store_numbers)}.json"

    def write(self, project: Project, project_path: Path | None) -> Path:
        """Write ``project`` to the recovery file atomically; raises OSError if it cannot."""
        data = project.to_dict()
        data[RECOVERY_KEY] = {
            "project_path": str(project_path) if project_path is not None else None,
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "pid": os.getpid(),
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        logger.info("Autosaved project %s to %s", project.info.name, self.path)
        return self.path

    def discard(self) -> None:
        """Delete the recovery file; a file that is already gone is not an error."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            logger.warning("Recovery file %s cannot be deleted: %s", self.path, error)


def _process_is_running(pid: int) -> bool:
    """Return True if a process with ``pid`` runs now (POSIX; False elsewhere)."""
    if pid == os.getpid():
        # A window of this process that was dropped without closing: it crashed.
        return False
    if os.name != "posix":
        # NOTE: on Windows a second running instance's file is offered too.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_recovery_data(path: Path) -> dict:
    """Return the parsed JSON of a recovery file; raise FileFormatError if it is unreadable."""
    try:
        if path.stat().st_size > MAX_PROJECT_FILE_BYTES:
            raise FileFormatError(path, "is too large for a recovery file.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileFormatError(path, f"cannot be read as a recovery file ({error}).") from None
    if not isinstance(data, dict) or not isinstance(data.get(RECOVERY_KEY), dict):
        raise FileFormatError(path, "is not a recovery file (no 'recovery' object).")
    return data


def find_recovery_files(folder: Path | None = None) -> list[RecoveryFile]:
    """List the recovery files left by sessions that ended without a clean close, newest first.

    Files of another running instance are skipped. A file that cannot be read
    is renamed to ``<name>.unreadable`` and logged, so it is not offered again.
    """
    folder = Path(folder) if folder is not None else default_recovery_dir()
    found: list[tuple[float, RecoveryFile]] = []
    for path in folder.glob(RECOVERY_GLOB):
        try:
            data = _read_recovery_data(path)
        except FileFormatError as error:
            logger.warning("Skipping recovery file: %s", error)
            _set_aside(path, ".unreadable")
            continue
        meta = data[RECOVERY_KEY]
        pid = meta.get("pid") if isinstance(meta.get("pid"), int) else None
        if pid is not None and _process_is_running(pid):
            continue
        info = data.get("info") if isinstance(data.get("info"), dict) else {}
        project_path = meta.get("project_path")
        found.append((path.stat().st_mtime, RecoveryFile(
            path=path,
            project_name=str(info.get("name", "")) or "Untitled project",
            project_path=Path(project_path) if isinstance(project_path, str) else None,
            saved_at=str(meta.get("saved_at", "")),
            pid=pid,
        )))
    found.sort(key=lambda item: item[0], reverse=True)
    return [entry for _mtime, entry in found]


def load_recovery_file(path: Path) -> tuple[Project, Path | None]:
    """Read a recovery file; return the project and the path it was last saved to.

    Raises ConfiguratorError (FileFormatError or InputError) naming the file.
    """
    data = _read_recovery_data(path)
    meta = data.pop(RECOVERY_KEY)
    try:
        project = project_from_dict(data)
    except ConfiguratorError as error:
        raise FileFormatError(path, f"contains a project that cannot be opened: {error}") from None
    project_path = meta.get("project_path")
    return project, Path(project_path) if isinstance(project_path, str) else None


def discard_recovery_file(path: Path) -> None:
    """Delete a recovery file the user chose not to recover."""
    try:
        path.unlink(missing_ok=True)
        logger.info("Discarded recovery file %s", path)
    except OSError as error:
        logger.warning("Recovery file %s cannot be deleted: %s", path, error)


def _set_aside(path: Path, suffix: str) -> None:
    try:
        path.replace(path.with_name(path.name + suffix))
    except OSError as error:
        logger.warning("Recovery file %s cannot be renamed: %s", path, error)
