"""PV array output per kWp from a typical weather year, built on pvlib.

The chain follows NREL PVWatts: solar position, Perez (or Hay-Davies)
transposition to the array plane, incidence-angle losses of the glass cover,
SAPM cell temperature, ``pvlib.pvsystem.pvwatts_dc`` with a linear power
temperature coefficient, and a flat system-loss percentage. The result is DC
power after the MPPT charge controller, because an off-grid array feeds the
battery bus, not an inverter.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib

from core.errors import InputError
from core.weather import WeatherYear

logger = logging.getLogger(__name__)

# PVWatts default system losses, 14.0757 %, combine ten sub-losses as
# 1 - product(1 - loss): soiling 2, shading 3, snow 0, mismatch 2, wiring 2,
# connections 0.5, light-induced degradation 1.5, nameplate rating 1, age 0
# and availability 3 %. These are the pvlib.pvsystem.pvwatts_losses defaults
# (Dobos, PVWatts Version 5 Manual, NREL/TP-6A20-62641, 2014).
PVWATTS_DEFAULT_LOSSES_PCT = 14.08

_TRANSPOSITION_MODELS = ("perez", "haydavies")
TRACKING_MODES = ("fixed", "single_axis")


@dataclass
class PVArrayConfig:
    """PV array mounting, orientation and loss settings.

    ``tracking`` is "fixed" (fixed tilt) or "single_axis". For a fixed array
    ``tilt_deg`` and ``azimuth_deg`` orient the modules. For a single-axis
    tracker they are the tilt and azimuth of the rotation axis, as in PVWatts
    (tilt 0 and azimuth 180 for a horizontal north-south axis). The rows turn
    up to ``max_angle_deg`` either side and backtrack at ground coverage ratio
    ``gcr`` when ``backtrack`` is set (``pvlib.tracking.singleaxis``). A fixed
    array ignores ``gcr``: it is modelled as one row without row-to-row shading.
    ``azimuth_deg`` is measured clockwise from north (180 = south).
    ``gamma_pdc_per_c`` is the relative DC power change per degC of cell
    temperature above 25 degC [1/degC]. ``temperature_model`` is "sapm " plus
    a parameter set of ``pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS['sapm']``.
    ``max_output_kw_per_kwp`` clips the delivered power at the rating of the
    charge controller or inverter per kWp of modules (1 / DC-to-AC ratio);
    None means no clipping.
    """

    tilt_deg: float
    azimuth_deg: float = 180.0
    losses_pct: float = PVWATTS_DEFAULT_LOSSES_PCT
    gamma_pdc_per_c: float = -0.0035
    temperature_model: str = "sapm open_rack_glass_polymer"
    albedo: float = 0.2
    mppt_efficiency: float = 0.98
    transposition_model: str = "perez"
    tracking: str = "fixed"
    max_angle_deg: float = 45.0
    gcr: float = 0.35
    backtrack: bool = True
    max_output_kw_per_kwp: float | None = None

    def __post_init__(self):
        if not 0.0 <= self.tilt_deg <= 90.0:
            raise InputError("PV array > tilt", self.tilt_deg, "an angle from 0 to 90 degrees")
        if not 0.0 <= self.azimuth_deg <= 360.0:
            raise InputError("PV array > azimuth", self.azimuth_deg, "an angle from 0 to 360 degrees (180 = south)")
        if not 0.0 <= self.losses_pct < 100.0:
            raise InputError("PV array > system losses", self.losses_pct, "a percentage from 0 to below 100")
        if not -0.01 <= self.gamma_pdc_per_c <= 0.0:
            raise InputError("PV array > power temperature coefficient", self.gamma_pdc_per_c,
                             "a value from -0.01 to 0 per degC (for example -0.0035 for -0.35 %/degC)")
        if not 0.0 <= self.albedo <= 1.0:
            raise InputError("PV array > ground albedo", self.albedo, "a fraction from 0 to 1")
        if not 0.0 < self.mppt_efficiency <= 1.0:
            raise InputError("PV array > MPPT efficiency", self.mppt_efficiency, "a fraction above 0 and at most 1")
        if self.transposition_model not in _TRANSPOSITION_MODELS:
            raise InputError("PV array > transposition model", self.transposition_model, '"perez" or "haydavies"')
        _sapm_parameters(self.temperature_model)
        if self.tracking not in TRACKING_MODES:
            raise InputError("PV array > tracking", self.tracking, '"fixed" or "single_axis"')
        if not 0.0 < self.max_angle_deg <= 90.0:
            raise InputError("PV array > tracker maximum rotation", self.max_angle_deg,
                             "an angle above 0 and at most 90 degrees (45 to 60 is usual)")
        if not 0.0 < self.gcr < 1.0:
            raise InputError("PV array > ground coverage ratio", self.gcr, "a fraction above 0 and below 1")
        if self.max_output_kw_per_kwp is not None and not self.max_output_kw_per_kwp > 0.0:
            raise InputError("PV array > output limit per kWp", self.max_output_kw_per_kwp,
                             "None or more than 0 kW/kWp")


def pv_output_kw_per_kwp(weather: WeatherYear, config: PVArrayConfig) -> np.ndarray:
    """Compute DC power delivered to the battery bus per kWp of STC nameplate.

    Returns shape (8760,), hourly, local standard time, hour-start labels
    [kW/kWp], after system losses and the MPPT charge controller efficiency.
    Solar position is computed at mid-hour (hh:30), because the weather values
    are averages over each hour. PVWatts v8 does the same with an hourly file
    that has no minute column.
    """
    poa = _plane_of_array(weather, config)

    # Reflection losses of the glass cover: the physical model for the beam,
    # and its integral over the sky and ground for the diffuse parts (Marion 2017).
    iam_beam = pvlib.iam.physical(poa["aoi"])
    iam_diffuse = _diffuse_iam(poa["surface_tilt"])
    effective_w_m2 = (poa["poa_direct"] * iam_beam
                      + poa["poa_sky_diffuse"] * iam_diffuse["sky"]
                      + poa["poa_ground_diffuse"] * iam_diffuse["ground"])

    params = _sapm_parameters(config.temperature_model)
    temp_cell_c = pvlib.temperature.sapm_cell(
        poa["poa_global"], weather.temp_air_c, weather.wind_speed_m_s, **params)

    dc_kw_per_kwp = pvlib.pvsystem.pvwatts_dc(effective_w_m2, temp_cell_c, pdc0=1.0,
                                              gamma_pdc=config.gamma_pdc_per_c)

    delivered = np.asarray(dc_kw_per_kwp, dtype=float) * (1.0 - config.losses_pct / 100.0) * config.mppt_efficiency
    delivered = np.clip(np.nan_to_num(delivered, nan=0.0), 0.0, None)
    if config.max_output_kw_per_kwp is not None:
        delivered = np.minimum(delivered, config.max_output_kw_per_kwp)
    return delivered


def monthly_poa_kwh_m2_per_day(weather: WeatherYear, config: PVArrayConfig) -> np.ndarray:
    """Compute peak sun hours per month on the array plane.

    Returns shape (12,), January first: mean daily plane-of-array irradiation
    of each month [kWh/m2/day], which equals hours of 1000 W/m2 sun.
    """
    poa = _plane_of_array(weather, config)
    poa_w_m2 = pd.Series(np.asarray(poa["poa_global"], dtype=float), index=weather.time_index)

    monthly_kwh_m2 = poa_w_m2.groupby(poa_w_m2.index.month).sum().to_numpy() / 1000.0
    days_in_month = pd.Series(1, index=weather.time_index[::24]).groupby(weather.time_index[::24].month).sum()
    return monthly_kwh_m2 / days_in_month.to_numpy()


def _plane_of_array(weather: WeatherYear, config: PVArrayConfig) -> pd.DataFrame:
    """Return pvlib's plane-of-array components [W/m2] and the angle of incidence [deg]."""
    mid_hour = weather.time_index + pd.Timedelta(minutes=30)
    solar_position = pvlib.solarposition.get_solarposition(
        mid_hour, weather.latitude_deg, weather.longitude_deg,
        altitude=weather.elevation_m, temperature=weather.temp_air_c)

    # Day-of-year numbers rather than timestamps: pvlib 0.16.1 reads the
    # timestamps through DatetimeIndex.dayofyear, which pandas 3 deprecates.
    dni_extra_w_m2 = pd.Series(pvlib.irradiance.get_extra_radiation(mid_hour.day_of_year.to_numpy()),
                               index=mid_hour)
    airmass = pvlib.atmosphere.get_relative_airmass(solar_position["apparent_zenith"])

    surface_tilt, surface_azimuth = _surface_orientation(solar_position, config)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt, surface_azimuth,
        solar_position["apparent_zenith"], solar_position["azimuth"],
        dni=pd.Series(weather.dni_w_m2, index=mid_hour),
        ghi=pd.Series(weather.ghi_w_m2, index=mid_hour),
        dhi=pd.Series(weather.dhi_w_m2, index=mid_hour),
        dni_extra=dni_extra_w_m2, airmass=airmass, albedo=config.albedo,
        model=config.transposition_model)
    poa = poa.fillna(0.0)

    poa["aoi"] = pvlib.irradiance.aoi(surface_tilt, surface_azimuth,
                                      solar_position["apparent_zenith"], solar_position["azimuth"])
    poa["surface_tilt"] = surface_tilt
    return poa


def _surface_orientation(solar_position: pd.DataFrame, config: PVArrayConfig) -> tuple:
    """Return module tilt and azimuth [deg]: constants for a fixed array, hourly Series for a tracker.

    At night a tracker rests flat (tilt 0), where pvlib returns NaN.
    """
    if config.tracking == "fixed":
        return config.tilt_deg, config.azimuth_deg

    angles = pvlib.tracking.singleaxis(
        solar_position["apparent_zenith"], solar_position["azimuth"],
        axis_tilt=config.tilt_deg, axis_azimuth=config.azimuth_deg,
        max_angle=config.max_angle_deg, backtrack=config.backtrack, gcr=config.gcr)
    surface_tilt = angles["surface_tilt"].fillna(0.0)
    surface_azimuth = angles["surface_azimuth"].fillna(config.azimuth_deg)
    return surface_tilt, surface_azimuth


def _diffuse_iam(surface_tilt) -> dict:
    """Return the Marion (2017) sky and ground diffuse IAM of the physical model for each tilt.

    ``pvlib.iam.marion_diffuse`` integrates over the sky for every tilt
    (about 20 ms each), so tracker tilts are rounded to whole degrees and each
    whole degree is integrated once per process.
    """
    if np.isscalar(surface_tilt):
        return pvlib.iam.marion_diffuse("physical", surface_tilt)

    rounded = np.round(np.asarray(surface_tilt, dtype=float))
    unique_tilts, inverse = np.unique(rounded, return_inverse=True)
    by_tilt = np.array([_diffuse_iam_whole_degree(float(tilt)) for tilt in unique_tilts])
    return {"sky": by_tilt[inverse, 0], "ground": by_tilt[inverse, 1]}


@functools.lru_cache(maxsize=256)
def _diffuse_iam_whole_degree(tilt_deg: float) -> tuple[float, float]:
    iam = pvlib.iam.marion_diffuse("physical", tilt_deg)
    return float(iam["sky"]), float(iam["ground"])


def _sapm_parameters(temperature_model: str) -> dict:
    """Return the SAPM cell-temperature parameters named by ``temperature_model``."""
    kind, _, parameter_set = temperature_model.partition(" ")
    sapm_sets = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]
    if kind != "sapm" or parameter_set not in sapm_sets:
        allowed = ", ".join(f'"sapm {name}"' for name in sapm_sets)
        raise InputError("PV array > temperature model", temperature_model, allowed)
    return dict(sapm_sets[parameter_set])
