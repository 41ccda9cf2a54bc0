"""State shared by the wizard pages: the project, the catalog and the latest computations.

Pages write their fields into ``controller.project`` as the user types and
call :meth:`PlanController.mark_edited`. The plan and the hardware choices are
recomputed off the UI thread, on page entry or after a pause in typing.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.hardware import choose_hardware
from core.plan import Plan, make_plan, site_weather_year
from core.project import Project, validate_workload
from gui.plotdata import monthly_weather
from gui.worker import TaskRunner

logger = logging.getLogger(__name__)

# Pause after the last edit before an automatic recomputation [ms].
RECOMPUTE_DELAY_MS = 700


class PlanController(QObject):
    """Own the project being edited and run the plan, hardware choice and weather reads."""

    modified_changed = Signal(bool)
    project_replaced = Signal()

    plan_started = Signal()
    plan_progress = Signal(int, str)
    plan_ready = Signal(object)
    plan_failed = Signal(str)
    plan_cancelled = Signal()

    choices_ready = Signal(object)
    choices_failed = Signal(str)

    weather_started = Signal()
    weather_ready = Signal(object, object)  # WeatherYear, MonthlyWeather
    weather_failed = Signal(str)

    def __init__(self, engine: Any, catalog: dict[str, dict[str, Any]], project: Project,
                 project_path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.engine = engine
        self.catalog = catalog
        self.project = project
        self.project_path = project_path
        self.modified = False
        self.plan: Plan | None = None
        self.plan_stale = True
        self.choices: list | None = None
        self.choices_stale = True
        self._weather_cache: dict[str, Any] = {}

        self.plan_runner = TaskRunner("Plan calculation", self)
        self.plan_runner.started.connect(self.plan_started)
        self.plan_runner.progress.connect(self.plan_progress)
        self.plan_runner.finished.connect(self._on_plan_finished)
        self.plan_runner.failed.connect(self._on_plan_failed)
        self.plan_runner.cancelled.connect(self.plan_cancelled)

        self.choices_runner = TaskRunner("Hardware choice", self)
        self.choices_runner.finished.connect(self._on_choices_finished)
        self.choices_runner.failed.connect(self._on_choices_failed)

        self.weather_runner = TaskRunner("Weather file preview", self)
        self.weather_runner.started.connect(self.weather_started)
        self.weather_runner.finished.connect(self._on_weather_finished)
        self.weather_runner.failed.connect(lambda message, _details: self.weather_failed.emit(message))

        self._plan_timer = QTimer(self, singleShot=True, interval=RECOMPUTE_DELAY_MS)
        self._plan_timer.timeout.connect(self.request_plan)
        self._choices_timer = QTimer(self, singleShot=True, interval=RECOMPUTE_DELAY_MS)
        self._choices_timer.timeout.connect(self.request_choices)

    # --- project state ------------------------------------------------------

    @property
    def project_dir(self) -> Path | None:
        return self.project_path.resolve().parent if self.project_path else None

    def replace_project(self, project: Project, path: Path | None) -> None:
        """Start editing another project; results of the old one are dropped."""
        self.plan_runner.cancel()
        self.choices_runner.cancel()
        self.project = project
        self.project_path = path
        self.plan = None
        self.choices = None
        self.plan_stale = True
        self.choices_stale = True
        self.set_modified(False)
        self.project_replaced.emit()

    def set_modified(self, modified: bool) -> None:
        if modified != self.modified:
            self.modified = modified
            self.modified_changed.emit(modified)

    def mark_edited(self, *, recompute_plan: bool = False, recompute_choices: bool = False) -> None:
        """Record an edit; with ``recompute_*`` a recomputation follows a pause in typing."""
        self.plan_stale = True
        self.choices_stale = True
        self.set_modified(True)
        if recompute_plan:
            self._plan_timer.start()
        if recompute_choices:
            self._choices_timer.start()

    # --- plan ---------------------------------------------------------------

    def request_plan(self, force: bool = False) -> None:
        """Compute the plan unless the current one is up to date."""
        self._plan_timer.stop()
        if not force and not self.plan_stale and self.plan is not None:
            self.plan_ready.emit(self.plan)
            return
        snapshot = copy.deepcopy(self.project)
        project_dir = self.project_dir
        engine = self.engine
        cache = dict(self._weather_cache)

        def compute(progress):
            weather = None
            if snapshot.site.weather_file.strip():
                weather = cache.get(str(snapshot.resolve_weather_path(project_dir)))
            return make_plan(snapshot, engine, project_dir, progress, weather=weather)

        self.plan_stale = False
        self.plan_runner.start(compute)

    def cancel_plan(self) -> None:
        self._plan_timer.stop()
        self.plan_stale = True
        self.plan_runner.cancel()

    def _on_plan_finished(self, plan: Plan) -> None:
        self.plan = plan
        self._weather_cache[plan.weather.source_path] = plan.weather
        self.plan_ready.emit(plan)

    def _on_plan_failed(self, message: str, _details: str) -> None:
        self.plan_stale = True
        self.plan_failed.emit(message)

    # --- hardware choice ----------------------------------------------------

    def request_choices(self, force: bool = False) -> None:
        """Rank the hardware of every workload unless the current ranking is up to date."""
        self._choices_timer.stop()
        if not force and not self.choices_stale and self.choices is not None:
            self.choices_ready.emit(self.choices)
            return
        workloads = copy.deepcopy(self.project.workloads)
        rank_by = self.project.targets.rank_hardware_by
        catalog = self.catalog

        def compute(progress):
            for index, workload in enumerate(workloads):
                validate_workload(workload, index)
            choices = []
            for index, workload in enumerate(workloads):
                progress(int(100 * index / max(len(workloads), 1)), f"Ranking '{workload.name}'")
                choices.append(choose_hardware(workload, catalog, rank_by))
            return choices

        self.choices_stale = False
        self.choices_runner.start(compute)

    def _on_choices_finished(self, choices: list) -> None:
        self.choices = choices
        self.choices_ready.emit(choices)

    def _on_choices_failed(self, message: str, _details: str) -> None:
        self.choices_stale = True
        self.choices_failed.emit(message)

    # --- weather preview ----------------------------------------------------

    def request_weather(self) -> None:
        """Read the site's weather file, or build the synthetic year of its monthly table.

        The result is summarised by month for the preview. As in the plan, the
        weather file wins when the site has both.
        """
        site = copy.deepcopy(self.project.site)
        probe = Project(site=site)
        project_dir = self.project_dir

        def compute(progress):
            if site.weather_file.strip():
                progress(10, f"Reading {probe.resolve_weather_path(project_dir).name}")
            else:
                progress(10, "Building the synthetic year from the monthly averages")
            weather = site_weather_year(probe, project_dir)
            return weather, monthly_weather(weather)

        self.weather_runner.start(compute)

    def _on_weather_finished(self, result: tuple) -> None:
        weather, monthly = result
        if weather.source_path:  # a synthetic year has no file to cache it under
            self._weather_cache[weather.source_path] = weather
        self.weather_ready.emit(weather, monthly)
