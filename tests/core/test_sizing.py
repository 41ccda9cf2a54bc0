"""Worst-month hand sizing."""

import numpy as np
import pytest

from core.errors import InputError
from core.sizing import quick_size


def test_quick_size_single_server_reference():
    # Off-grid hand method (worst-month peak sun hours, days of autonomy),
    # redone by hand for one server drawing 600 W around the clock:
    #   daily load   = 0.6 kW x 24 h                          = 14.4 kWh/day
    #   PV           = 14.4 / (4 PSH x 0.75 PR)               = 4.8 kWp
    #   usable       = 14.4 x 1.5 / (sqrt(0.92) x 0.95)       = 21.6 / 0.9112 = 23.7 kWh
    #   nominal      = 23.7 / 0.9 DoD                         = 26.3 kWh
    #   generator    = (0.6 peak + 0.6 recharge) / 0.75       = 1.6 kW
    daily_load = np.full(12, 0.6 * 24)
    psh = np.full(12, 6.0)
    psh[11] = 4.0

    sizing = quick_size(daily_load, psh, peak_load_kw=0.6, autonomy_days=1.5)

    assert sizing.worst_month == 11
    assert sizing.psh_worst == 4.0
    assert 4.5 <= sizing.pv_kwp <= 5.5
    assert sizing.pv_kwp == pytest.approx(4.8)
    assert 20.0 <= sizing.battery_usable_kwh <= 30.0
    assert sizing.battery_usable_kwh == pytest.approx(23.70, abs=0.01)
    assert sizing.battery_nominal_kwh == pytest.approx(23.70 / 0.9, abs=0.01)
    assert 1.5 <= sizing.generator_kw <= 2.0
    assert sizing.generator_kw == pytest.approx(1.6)


def test_quick_size_steps_reproduce_results():
    sizing = quick_size(np.full(12, 14.4), np.full(12, 4.0), peak_load_kw=0.6)

    by_label = {step.label: step for step in sizing.steps}
    assert by_label["PV array"].value == sizing.pv_kwp
    assert by_label["PV array"].unit == "kWp"
    assert by_label["Battery usable energy"].value == sizing.battery_usable_kwh
    assert by_label["Generator rating"].value == sizing.generator_kw
    assert all(step.formula for step in sizing.steps)


def test_quick_size_worst_month_is_highest_load_per_sun():
    daily_load = np.full(12, 10.0)
    daily_load[6] = 30.0  # July cooling load
    psh = np.linspace(3.0, 6.0, 12)

    sizing = quick_size(daily_load, psh, peak_load_kw=2.0)

    assert sizing.worst_month == 6


def test_quick_size_dc_load_skips_inverter():
    ac = quick_size(np.full(12, 14.4), np.full(12, 4.0), peak_load_kw=0.6, load_is_ac=True)
    dc = quick_size(np.full(12, 14.4), np.full(12, 4.0), peak_load_kw=0.6, load_is_ac=False)

    assert dc.battery_usable_kwh == pytest.approx(ac.battery_usable_kwh * 0.95)


def test_quick_size_rejects_month_without_sun():
    psh = np.full(12, 4.0)
    psh[0] = 0.0

    with pytest.raises(InputError, match="peak sun hours"):
        quick_size(np.full(12, 14.4), psh, peak_load_kw=0.6)
