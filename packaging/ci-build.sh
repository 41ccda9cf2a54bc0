#!/usr/bin/env bash
# Build the desktop program and check that it runs: CI runs this after the tests.
#
# Makes a fresh venv in build/ci-venv, installs the project and PyInstaller,
# builds dist/offgrid-configurator/ and runs the frozen program headless on
# both bundled examples (the PDF proposal, the plan and the catalog listing).
# Needs python3.11, network access to PyPI, libegl1 and libfontconfig1.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/build/ci-venv"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

python3.11 -m venv "$venv"
"$venv/bin/pip" install --quiet -e "$repo" pyinstaller
"$repo/packaging/build.sh" "$venv/bin/python"

program="$repo/dist/offgrid-configurator/offgrid-configurator"
export QT_QPA_PLATFORM=offscreen
# The catalog is built in a scratch folder, not in the CI user's data folder.
catalog="$out/catalog.sqlite"

"$program" --version
"$program" --catalog "$catalog" catalog
for example in "$repo"/resources/examples/*.json; do
    pdf="$out/$(basename "$example" .json).pdf"
    "$program" --catalog "$catalog" plan "$example"
    "$program" --catalog "$catalog" report "$example" -o "$pdf"
    head -c 5 "$pdf" | grep -q '%PDF-' || { echo "error: $pdf is not a PDF" >&2; exit 1; }
    echo "OK $pdf ($(stat -c %s "$pdf") bytes)"
done
