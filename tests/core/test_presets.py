"""Site presets: only public US Government data, complete tables and usable synthetic years."""

import json

import numpy as np
import pytest

from core.errors import FileFormatError
from core.presets import ALLOWED_LICENCES, PRESETS_PATH, load_site_presets
from core.project import Site, validate_monthly_climate
from core.synthetic import synthetic_year_for_site
from core.weather import bundled_weather_path, read_weather

PRESETS = load_site_presets()
# Words that mark sources whose terms forbid redistribution (IWEC, Australian
# RMY, Meteonorm) or that carry no citation per value.
RESTRICTED_SOURCE_WORDS = ("IWEC", "RMY", "Meteonorm", "ASHRAE Handbook", "aladdin",
                           "Wikipedia", "CWEC")


def test_presets_file_licences_allowed():
    raw = json.loads(PRESETS_PATH.read_text(encoding="utf-8"))

    assert raw["presets"]
    for preset in raw["presets"]:
        assert preset["licence"] in ALLOWED_LICENCES, preset["key"]
        assert "TMY3" in preset["source"], preset["key"]
        for word in RESTRICTED_SOURCE_WORDS:
            assert word.lower() not in preset["source"].lower(), (preset["key"], word)


def test_presets_cover_expected_sites():
    assert {preset.key for preset in PRESETS} == {"sand_point", "las_vegas", "phoenix",
                                                   "fairbanks"}


@pytest.mark.parametrize("preset", PRESETS, ids=[preset.key for preset in PRESETS])
def test_preset_builds_valid_year(preset):
    site = Site(name=preset.name)
    preset.apply_to(site)

    validate_monthly_climate(site)
    weather = synthetic_year_for_site(site)

    assert weather.utc_offset_h == preset.utc_offset_h
    assert weather.ghi_w_m2.sum() / 1000 == pytest.approx(
        np.dot(preset.ghi_kwh_m2_day, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]),
        rel=0.005)


def test_sand_point_matches_tmy3_file():
    # The preset is the monthly mean of the TMY3 file that pvlib ships.
    preset = next(preset for preset in PRESETS if preset.key == "sand_point")
    weather = read_weather(bundled_weather_path("703165TY.csv"))
    month = weather.time_index.month

    ghi = [weather.ghi_w_m2[month == m].mean() * 24 / 1000 for m in range(1, 13)]
    temp = [weather.temp_air_c[month == m].mean() for m in range(1, 13)]

    np.testing.assert_allclose(ghi, preset.ghi_kwh_m2_day, atol=0.006)
    np.testing.assert_allclose(temp, preset.temp_mean_c, atol=0.06)


def test_restricted_licence_rejected(tmp_path):
    raw = json.loads(PRESETS_PATH.read_text(encoding="utf-8"))
    raw["presets"][0]["licence"] = "(c) ASHRAE, no redistribution"
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(raw), encoding="utf-8")

    with pytest.raises(FileFormatError) as caught:
        load_site_presets(path)

    assert "not allowed" in str(caught.value)


def test_short_column_rejected(tmp_path):
    raw = json.loads(PRESETS_PATH.read_text(encoding="utf-8"))
    raw["presets"][0]["temp_mean_c"] = [1.0] * 11
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(raw), encoding="utf-8")

    with pytest.raises(FileFormatError) as caught:
        load_site_presets(path)

    assert "temp_mean_c is not a list of 12 numbers" in str(caught.value)


def test_preset_renames_the_site():
    site = Site(name="Greensboro, North Carolina")
    PRESETS[0].apply_to(site)
    assert site.name == PRESETS[0].name
    assert site.latitude_deg == PRESETS[0].latitude_deg
