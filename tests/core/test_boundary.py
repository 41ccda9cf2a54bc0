"""The core package stays free of Qt so headless commands run on machines without a display."""

import pkgutil
import subprocess
import sys

import core

FORBIDDEN_PREFIXES = ("PySide6", "pyqtgraph", "gui", "shiboken6")


def test_core_imports_no_qt():
    modules = [info.name for info in pkgutil.walk_packages(core.__path__, "core.")]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_PREFIXES!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
    assert len(modules) > 10
