"""Server power: accelerator states, platform power and PSU efficiency at the actual load.

An accelerator is in one of three states: idle with no model loaded, loaded
idle (model resident, no requests; an A40 draws about 30 W empty but about
110 W in this state, NVIDIA open-gpu-kernel-modules issue 874), and active,
where the draw rises linearly with utilization up to the TDP or power cap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# 80 PLUS efficiency at 10, 20, 50 and 100 % of PSU rating, 230 V internal
# redundant supplies (80 PLUS programme requirements). Platinum and Gold have
# no 10 % point; their 10 % value repeats the 20 % requirement.
# NOTE: below 10 % load real supplies fall off steeply; the curve is held flat there.
PSU_LOAD_POINTS = (0.10, 0.20, 0.50, 1.00)
PSU_EFFICIENCY_CURVES = {
    "titanium": (0.90, 0.94, 0.96, 0.91),
    "platinum": (0.90, 0.90, 0.94, 0.91),
    "gold": (0.88, 0.88, 0.92, 0.88),
}
# External adapters of embedded boxes carry no 80 PLUS class; 0.88 is an estimate.
EXTERNAL_ADAPTER_EFFICIENCY = 0.88


def psu_efficiency(efficiency_class: str, load_fraction: float | np.ndarray) -> float | np.ndarray:
    """Return PSU efficiency at ``load_fraction`` of one supply's rating, interpolated."""
    curve = PSU_EFFICIENCY_CURVES.get(efficiency_class)
    if curve is None:
        return np.full_like(np.asarray(load_fraction, dtype=float), EXTERNAL_ADAPTER_EFFICIENCY)
    return np.interp(load_fraction, PSU_LOAD_POINTS, curve)


@dataclass(frozen=True)
class AcceleratorPower:
    """Power states of one accelerator [W]."""

    idle_w: float
    loaded_idle_w: float
    active_w: float

    def power_w(self, utilization: float | np.ndarray, model_loaded: bool = True):
        """Return the draw [W] at ``utilization`` (0-1) of one accelerator."""
        if not model_loaded:
            return np.zeros_like(np.asarray(utilization, dtype=float)) + self.idle_w
        return self.loaded_idle_w + np.asarray(utilization) * (self.active_w - self.loaded_idle_w)


@dataclass(frozen=True)
class ServerPowerModel:
    """Power of one server with its accelerators, from DC components to the wall."""

    accelerator: AcceleratorPower
    accelerator_count: int
    platform_idle_w: float
    platform_active_w: float
    psu_rating_w: float
    psu_count: int
    psu_efficiency_class: str

    def dc_power_w(self, utilization, model_loaded: bool = True):
        """Return the DC power inside the server [W] at ``utilization`` (0-1)."""
        utilization = np.asarray(utilization, dtype=float)
        accelerators_w = self.accelerator_count * self.accelerator.power_w(
            utilization, model_loaded)
        platform_w = self.platform_idle_w + utilization * (
            self.platform_active_w - self.platform_idle_w)
        return accelerators_w + platform_w

    def wall_power_w(self, utilization, model_loaded: bool = True):
        """Return the AC input power [W]; all PSUs share the load, as redundant supplies do."""
        dc_w = self.dc_power_w(utilization, model_loaded)
        if self.psu_count <= 0 or self.psu_rating_w <= 0:
            return dc_w / EXTERNAL_ADAPTER_EFFICIENCY
        load_fraction = dc_w / (self.psu_count * self.psu_rating_w)
        return dc_w / psu_efficiency(self.psu_efficiency_class, load_fraction)

    def peak_wall_power_w(self) -> float:
        """Return the AC input power at full utilization [W]."""
        return float(self.wall_power_w(1.0))
