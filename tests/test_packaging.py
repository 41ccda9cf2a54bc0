"""Build the desktop program with PyInstaller and run the built program headless.

This runs packaging/ci-build.sh: a fresh virtual environment, the one-folder
build and the frozen program making the PDF of each bundled example. It takes
one to three minutes on 2 cores; set OFFGRID_SKIP_PACKAGING=1 to skip it while
iterating on other code.
"""

import os
import subprocess
from pathlib import Path

import pytest

from resources import EXAMPLES_DIR

REPO = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT_S = 1800


@pytest.mark.skipif(os.environ.get("OFFGRID_SKIP_PACKAGING") == "1",
                    reason="OFFGRID_SKIP_PACKAGING=1")
def test_frozen_program_writes_example_pdfs():
    result = subprocess.run(["bash", str(REPO / "packaging" / "ci-build.sh")],
                            capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for example in sorted(EXAMPLES_DIR.glob("*.json")):
        assert "OK " in result.stdout
        assert f"{example.stem}.pdf" in result.stdout
