"""Measure the start-up time of the wizard: from process launch to the main window's first show.

Each run starts a new Python process on Qt's offscreen platform with empty
XDG data and state folders, so no recovery file or old catalog interferes. The
child records the wall-clock time at which the main window receives its first
show event and quits. The time from just before ``subprocess.Popen`` to that
timestamp is the figure printed.

The first run builds the catalog database from the seed CSVs ("cold"). The
next runs reuse it ("warm"), as a field laptop does after its first start.
The figure is split into interpreter start-up, imports (PySide6, gui.main and
gui.app with everything they import) and the rest: catalog open, project load,
window build and show.

Usage: python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs in the child. The event filter fires on the first Show event of a
# QMainWindow, prints the timestamps as JSON and stops the event loop.
CHILD = r"""
import json, sys, time
imports_started = time.time()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import gui.main
import gui.app  # main() imports it too; importing it here splits imports from window building
imports_done = time.time()

class FirstShow(QObject):
    def __init__(self):
        super().__init__()
        self.done = False

    def eventFilter(self, watched, event):
        if not self.done and event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow):
            self.done = True
            print(json.dumps({"imports_started": imports_started, "imports_done": imports_done,
                              "shown": time.time()}), flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)
        return False

app = QApplication(sys.argv)
probe = FirstShow()
app.installEventFilter(probe)
sys.exit(gui.main.main(sys.argv[1:]))
"""


def measure_once(folder: Path) -> dict[str, float]:
    """Start the wizard once and return the launch-to-show and import times [s]."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(folder / "data"), XDG_STATE_HOME=str(folder / "state"))
    launched = time.time()
    completed = subprocess.run([sys.executable, "-c", CHILD, "wizard"], cwd=REPO, env=env,
                               capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"the wizard did not start (exit code {completed.returncode}):\n"
                           f"{completed.stderr[-2000:]}")
    stamps = json.loads(lines[-1])
    return {"to_show_s": stamps["shown"] - launched,
            "interpreter_s": stamps["imports_started"] - launched,
            "imports_s": stamps["imports_done"] - stamps["imports_started"],
            "after_imports_s": stamps["shown"] - stamps["imports_done"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs after the cold one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        folder = Path(scratch)
        cold = measure_once(folder)
        warm = [measure_once(folder) for _ in range(args.runs)]

    def row(name: str, runs: list[dict[str, float]]) -> str:
        parts = []
        for key in ("to_show_s", "interpreter_s", "imports_s", "after_imports_s"):
            parts.append(f"{key} {statistics.median(run[key] for run in runs):.2f}")
        return f"{name:<24} " + ", ".join(parts)

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} logical cores")
    print(row("cold (catalog build)", [cold]))
    print(row(f"warm (median of {len(warm)})", warm))
    print(f"warm launch to window shown: min {min(r['to_show_s'] for r in warm):.2f} s, "
          f"max {max(r['to_show_s'] for r in warm):.2f} s")


if __name__ == "__main__":
    main()
