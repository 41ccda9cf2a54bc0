"""PV output per kWp against NREL PVWatts v8 (PySAM) on the three weather files pvlib ships.

Both sides compute DC power after the same 14.08 % system losses for 1 kWp,
module_type 0 (standard, -0.37 %/degC), open rack, azimuth 180 and tilt equal
to the latitude. PVWatts reads the same year from a SAM CSV written into
tmp_path, with hour-start rows and no minute column, so it puts the sun at
mid-hour as ``pv_output_kw_per_kwp`` does.

PVWatts v8 models row-to-row self-shading from the ground coverage ratio, and
``pv_output_kw_per_kwp`` models one unshaded row. The fixed-tilt checks
therefore run PVWatts at gcr 0.01, where its self-shading vanishes.
NOTE: at the PVWatts default gcr 0.4, Sand Point (tilt 55.3 deg) loses much
of its low winter sun to the row in front. Measured with nrel-pysam 7.1.1 and
pvlib 0.16.1, our single row then gives +41.5 % in December, +24.9 % in
November and +6.8 % for the year against PVWatts. Row spacing of fixed
arrays is not modelled in core.pv yet.
"""

import numpy as np
import pandas as pd
import pytest

from core.pv import PVArrayConfig, pv_output_kw_per_kwp
from core.weather import bundled_weather_path, read_weather
from tests.core.test_pv import write_sam_csv

pvwattsv8 = pytest.importorskip("PySAM.Pvwattsv8")

PVWATTS_STANDARD_GAMMA_PER_C = -0.0037  # PVWatts v8 module_type 0
SYSTEM_LOSSES_PCT = 14.08
ANNUAL_TOLERANCE = 0.03
MONTHLY_TOLERANCE = 0.06


def run_pvwatts_dc_kw(weather, tmp_path, **system_design):
    """Run PVWatts v8 on ``weather`` for 1 kWp and return its hourly DC output [kW]."""
    sam_csv = write_sam_csv(weather, tmp_path / "weather_sam.csv")
    model = pvwattsv8.default("PVWattsNone")
    model.SolarResource.solar_resource_file = str(sam_csv)
    design = dict(system_capacity=1.0, dc_ac_ratio=1.0, losses=SYSTEM_LOSSES_PCT, inv_eff=96,
                  azimuth=180, module_type=0)
    design.update(system_design)
    model.SystemDesign.assign(design)
    model.execute()
    return np.asarray(model.Outputs.dc, dtype=float) / 1000.0


def monthly_sums(values, weather):
    series = pd.Series(values, index=weather.time_index)
    return series.groupby(series.index.month).sum().to_numpy()


@pytest.mark.parametrize("file_name", ["703165TY.csv", "723170TYA.CSV", "12839.tm2"])
def test_fixed_tilt_matches_pvwatts(file_name, tmp_path):
    weather = read_weather(bundled_weather_path(file_name))
    tilt_deg = round(weather.latitude_deg, 1)
    pvwatts_kw = run_pvwatts_dc_kw(weather, tmp_path, array_type=0, tilt=tilt_deg, gcr=0.01)
    config = PVArrayConfig(tilt_deg=tilt_deg, gamma_pdc_per_c=PVWATTS_STANDARD_GAMMA_PER_C,
                           losses_pct=SYSTEM_LOSSES_PCT, mppt_efficiency=1.0)

    ours_kw = pv_output_kw_per_kwp(weather, config)

    # NOTE: measured with nrel-pysam 7.1.1 and pvlib 0.16.1, ours is lower by
    # 1.7 % (Sand Point), 2.4 % (Greensboro) and 2.8 % (Miami) for the year,
    # and by at most 3.6 % in any month. SAPM cell temperature here against
    # PVWatts' own thermal model explains most of it, so Miami is close to
    # the 3 % limit.
    assert ours_kw.sum() == pytest.approx(pvwatts_kw.sum(), rel=ANNUAL_TOLERANCE)
    ours_monthly = monthly_sums(ours_kw, weather)
    pvwatts_monthly = monthly_sums(pvwatts_kw, weather)
    for month, (ours, theirs) in enumerate(zip(ours_monthly, pvwatts_monthly), start=1):
        assert ours == pytest.approx(theirs, rel=MONTHLY_TOLERANCE), f"month {month}"


def test_single_axis_matches_pvwatts(tmp_path):
    weather = read_weather(bundled_weather_path("723170TYA.CSV"))
    # PVWatts array_type 3: one-axis backtracking, horizontal N-S axis, 45 deg rotation limit.
    pvwatts_kw = run_pvwatts_dc_kw(weather, tmp_path, array_type=3, tilt=0, gcr=0.35)
    config = PVArrayConfig(tilt_deg=0, tracking="single_axis", max_angle_deg=45, gcr=0.35,
                           gamma_pdc_per_c=PVWATTS_STANDARD_GAMMA_PER_C, losses_pct=SYSTEM_LOSSES_PCT,
                           mppt_efficiency=1.0)

    ours_kw = pv_output_kw_per_kwp(weather, config)

    assert ours_kw.sum() == pytest.approx(pvwatts_kw.sum(), rel=ANNUAL_TOLERANCE)
    for month, (ours, theirs) in enumerate(zip(monthly_sums(ours_kw, weather),
                                               monthly_sums(pvwatts_kw, weather)), start=1):
        assert ours == pytest.approx(theirs, rel=MONTHLY_TOLERANCE), f"month {month}"
