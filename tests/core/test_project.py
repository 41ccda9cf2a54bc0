"""Project files: round trip, atomic save and clear messages for bad input."""

import json

import pytest

from core.errors import FileFormatError, InputError
from core.project import load_project, save_project
from resources import EXAMPLES_DIR

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_round_trip(path, tmp_path):
    project = load_project(path)
    target = tmp_path / "copy.json"
    save_project(project, target)
    assert load_project(target) == project


def test_save_leaves_no_temporary_files(tmp_path):
    project = load_project(EXAMPLES[0])
    target = tmp_path / "project.json"
    save_project(project, target)
    save_project(project, target)
    assert [p.name for p in tmp_path.iterdir()] == ["project.json"]


def test_save_failure_keeps_old_file(tmp_path, monkeypatch):
    project = load_project(EXAMPLES[0])
    target = tmp_path / "project.json"
    save_project(project, target)
    before = target.read_bytes()

    def broken_replace(*args):
        raise OSError("disk full")

    monkeypatch.setattr("core.project.os.replace", broken_replace)
    project.info.name = "Changed"
    with pytest.raises(OSError):
        save_project(project, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["project.json"]


def test_not_json_names_file_and_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "offgrid-configurator-project",\n  oops', encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        load_project(path)
    message = str(caught.value)
    assert "broken.json" in message
    assert "not valid JSON" in message
    assert "line 2" in message


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "image.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(FileFormatError, match="not a UTF-8 text file"):
        load_project(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileFormatError, match="file not found"):
        load_project(tmp_path / "nothing.json")


def _example_data():
    return json.loads(EXAMPLES[0].read_text(encoding="utf-8"))


def test_negative_users_names_field_value_and_range(tmp_path):
    data = _example_data()
    data["workloads"][0]["llm"]["concurrent_users"] = -5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    error = caught.value
    assert "concurrent users" in error.field
    assert error.value == -5
    assert "1 to 10,000" in error.allowed


def test_text_where_number_belongs(tmp_path):
    data = _example_data()
    data["site"]["latitude_deg"] = "north"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="latitude"):
        load_project(path)


def test_unknown_field_is_named(tmp_path):
    data = _example_data()
    data["site"]["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="colour"):
        load_project(path)


def test_newer_format_version_is_rejected(tmp_path):
    data = _example_data()
    data["format_version"] = 99
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="format_version"):
        load_project(path)


def test_duplicate_workload_names_are_rejected(tmp_path):
    # Loads are kept per workload name; a second workload of the same name
    # would be billed but not powered.
    data = _example_data()
    data["workloads"].append(dict(data["workloads"][0]))
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert caught.value.field == f"Workload {len(data['workloads'])} > name"
    assert "workload 1" in caught.value.allowed


def test_unknown_section_is_named(tmp_path):
    data = _example_data()
    data["extra"] = 1
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="extra"):
        load_project(path)


def test_missing_site_section_is_named(tmp_path):
    data = _example_data()
    del data["site"]
    path = tmp_path / "nosite.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert caught.value.field == "Project file > site"


def test_range_bounds_print_without_exponent(tmp_path):
    data = _example_data()
    data["workloads"][0]["llm"]["context_tokens"] = 5
    path = tmp_path / "short.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert caught.value.allowed == "an integer from 256 to 1,048,576"
