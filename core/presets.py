"""Site presets: monthly climate of a few sites whose data may be shipped.

``resources/presets/site_presets.json`` holds, per site, the location, the
offset of local standard time, 12 monthly mean daily GHI values, 12 mean
temperatures and, where the source gives them, 12 mean daily minima and
maxima, with the source and its licence. Only US Government data (NREL NSRDB
TMY3) are shipped, because other typical-year files restrict redistribution:
IWEC is (c) ASHRAE, Australian RMY files are licensed for EnergyPlus users
only and Meteonorm is commercial.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from core.errors import FileFormatError
from core.project import Site
from resources import RESOURCES_DIR

logger = logging.getLogger(__name__)

PRESETS_PATH = RESOURCES_DIR / "presets" / "site_presets.json"
PRESETS_FORMAT = "offgrid-configurator-site-presets"
# Licences a shipped preset may carry.
ALLOWED_LICENCES = (
    "US Government work (NREL National Solar Radiation Database), public domain in the "
    "United States",
)


@dataclass(frozen=True)
class SitePreset:
    """Monthly climate of one site, January first, with its source and licence."""

    key: str
    name: str
    latitude_deg: float
    longitude_deg: float
    elevation_m: float
    utc_offset_h: float
    ghi_kwh_m2_day: tuple[float, ...]
    temp_mean_c: tuple[float, ...]
    temp_min_c: tuple[float, ...] | None
    temp_max_c: tuple[float, ...] | None
    source: str
    licence: str

    def apply_to(self, site: Site) -> None:
        """Copy the name, location and monthly table into ``site``.

        The name moves with the location, so a cover page never prints one
        site's name beside another site's coordinates.
        """
        site.name = self.name
        site.latitude_deg = self.latitude_deg
        site.longitude_deg = self.longitude_deg
        site.elevation_m = self.elevation_m
        site.utc_offset_h = self.utc_offset_h
        site.monthly_ghi_kwh_m2_day = list(self.ghi_kwh_m2_day)
        site.monthly_temp_mean_c = list(self.temp_mean_c)
        site.monthly_temp_min_c = None if self.temp_min_c is None else list(self.temp_min_c)
        site.monthly_temp_max_c = None if self.temp_max_c is None else list(self.temp_max_c)


def load_site_presets(path: Path | str = PRESETS_PATH) -> list[SitePreset]:
    """Read the presets file.

    Raises FileFormatError when the file is missing, is not JSON, or a preset
    lacks a field, has a column that is not 12 numbers, or carries a licence
    outside ``ALLOWED_LICENCES``.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileFormatError(path, "file not found.", "Reinstall the application.") from None
    except (OSError, ValueError) as error:
        raise FileFormatError(path, f"cannot be read as JSON ({error}).",
                              "Reinstall the application.") from None
    if not isinstance(data, dict) or data.get("format") != PRESETS_FORMAT:
        raise FileFormatError(path, f"is not a site presets file (format '{PRESETS_FORMAT}').")
    presets = [_parse_preset(path, index, raw) for index, raw in enumerate(data.get("presets", []))]
    logger.info("Loaded %d site presets from %s", len(presets), path)
    return presets


def _parse_preset(path: Path, index: int, raw: object) -> SitePreset:
    where = f"preset {index + 1}"
    if not isinstance(raw, dict):
        raise FileFormatError(path, f"{where} is not a JSON object.")
    try:
        preset = SitePreset(
            key=str(raw["key"]), name=str(raw["name"]),
            latitude_deg=float(raw["latitude_deg"]), longitude_deg=float(raw["longitude_deg"]),
            elevation_m=float(raw["elevation_m"]), utc_offset_h=float(raw["utc_offset_h"]),
            ghi_kwh_m2_day=_column(path, where, "ghi_kwh_m2_day", raw["ghi_kwh_m2_day"]),
            temp_mean_c=_column(path, where, "temp_mean_c", raw["temp_mean_c"]),
            temp_min_c=_optional_column(path, where, "temp_min_c", raw.get("temp_min_c")),
            temp_max_c=_optional_column(path, where, "temp_max_c", raw.get("temp_max_c")),
            source=str(raw["source"]), licence=str(raw["licence"]))
    except KeyError as error:
        raise FileFormatError(path, f"{where} has no field {error}.") from None
    except (TypeError, ValueError) as error:
        raise FileFormatError(path, f"{where} has a value that is not a number ({error}).") from None
    if preset.licence not in ALLOWED_LICENCES:
        raise FileFormatError(path, f"{where} ('{preset.name}') has the licence "
                                    f"'{preset.licence}', which is not allowed for shipped data.")
    return preset


def _column(path: Path, where: str, name: str, values: object) -> tuple[float, ...]:
    if not isinstance(values, list) or len(values) != 12:
        raise FileFormatError(path, f"{where} > {name} is not a list of 12 numbers.")
    return tuple(float(value) for value in values)


def _optional_column(path: Path, where: str, name: str, values: object) -> tuple[float, ...] | None:
    return None if values is None else _column(path, where, name, values)
