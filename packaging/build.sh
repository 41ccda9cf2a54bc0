#!/usr/bin/env bash
# Build the one-folder desktop program into dist/offgrid-configurator/.
#
# Usage: packaging/build.sh [PYTHON]
#   PYTHON  interpreter of a venv that has the project and PyInstaller installed
#           (default: python3). Example:
#             python3.11 -m venv .build-venv
#             .build-venv/bin/pip install -e . pyinstaller
#             packaging/build.sh .build-venv/bin/python
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${1:-python3}"

if ! "$python" -c "import PyInstaller" 2>/dev/null; then
    echo "error: PyInstaller is not installed for $python; run: $python -m pip install pyinstaller" >&2
    exit 2
fi

cd "$repo"
"$python" -m PyInstaller \
    --noconfirm \
    --clean \
    --distpath "$repo/dist" \
    --workpath "$repo/build/pyinstaller" \
    packaging/offgrid-configurator.spec

echo "Built $repo/dist/offgrid-configurator/offgrid-configurator"
