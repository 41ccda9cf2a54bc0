"""The headless command line: plan, catalog and clear messages for bad input."""

import json
import subprocess
import sys

import pytest

from resources import EXAMPLES_DIR

SAND_POINT = EXAMPLES_DIR / "sand_point_alaska.json"


def run_cli(*args, catalog):
    return subprocess.run(
        [sys.executable, "-m", "gui.main", "--catalog", str(catalog), *map(str, args)],
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    return tmp_path_factory.mktemp("cli") / "catalog.sqlite"


def test_plan_json_has_headline_figures(catalog_path):
    result = run_cli("plan", SAND_POINT, "--json", catalog=catalog_path)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for key in ("daily_load_kwh", "peak_load_kw", "pv_kwp", "battery_usable_kwh",
                "battery_nominal_kwh", "generator_kw", "annual_fuel_l", "unmet_load_kwh",
                "capital_cost"):
        assert key in figures
    assert figures["currency"] == "USD"
    assert "PySide6" not in result.stderr


def test_plan_text_lists_figures(catalog_path):
    result = run_cli("plan", SAND_POINT, catalog=catalog_path)
    assert result.returncode == 0, result.stderr
    assert "PV array" in result.stdout
    assert "kWp" in result.stdout


def test_catalog_lists_tables_and_rows(catalog_path):
    tables = run_cli("catalog", catalog=catalog_path)
    assert tables.returncode == 0, tables.stderr
    assert "accelerators" in tables.stdout
    rows = run_cli("catalog", "accelerators", catalog=catalog_path)
    assert rows.returncode == 0, rows.stderr
    assert "h100-pcie" in rows.stdout


def test_unknown_catalog_table(catalog_path):
    result = run_cli("catalog", "spaceships", catalog=catalog_path)
    assert result.returncode == 2
    assert "spaceships" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["plan", "report", "catalog", "wizard"])
def test_help_for_each_command(command, catalog_path):
    result = run_cli(command, "--help", catalog=catalog_path)
    assert result.returncode == 0
    assert "usage: offgrid-configurator" in result.stdout


def _write_project(tmp_path, change):
    data = json.loads(SAND_POINT.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "project.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_negative_load_gives_message(tmp_path, catalog_path):
    path = _write_project(tmp_path, lambda d: d["site"].update(site_auxiliary_w=-100))
    result = run_cli("plan", path, catalog=catalog_path)
    assert result.returncode == 2
    assert "auxiliary load" in result.stderr
    assert "-100" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_weather_file_gives_message(tmp_path, catalog_path):
    path = _write_project(tmp_path, lambda d: d["site"].update(weather_file="nowhere.epw"))
    result = run_cli("plan", path, catalog=catalog_path)
    assert result.returncode == 2
    assert "nowhere.epw" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_that_is_not_json(tmp_path, catalog_path):
    path = tmp_path / "notes.json"
    path.write_text("Site visit notes: the shed faces south.\n", encoding="utf-8")
    result = run_cli("report", path, "-o", tmp_path / "out.pdf", catalog=catalog_path)
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_report_to_a_folder_is_rejected(tmp_path, catalog_path):
    result = run_cli("report", SAND_POINT, "-o", tmp_path, catalog=catalog_path)
    assert result.returncode == 2
    assert "not a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_catalog_in_missing_folder_is_rejected(tmp_path):
    missing = tmp_path / "no-such-folder" / "catalog.sqlite"
    result = run_cli("catalog", catalog=missing)
    assert result.returncode == 2
    assert "--catalog" in result.stderr
    assert not missing.parent.exists()
