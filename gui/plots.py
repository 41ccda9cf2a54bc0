"""Shared pyqtgraph styling: white background, dark axes, labelled units, month ticks."""

from __future__ import annotations

import pyqtgraph as pg

from core.sizing import MONTH_NAMES

pg.setConfigOptions(antialias=True, background="w", foreground="#222222")

MONTH_TICKS = [(index, name) for index, name in enumerate(MONTH_NAMES)]
HOUR_TICKS = [(hour, f"{hour:02d}") for hour in range(0, 25, 3)]

# Colour-blind-safe palette (Okabe and Ito) for the energy flows.
COLOURS = {
    "pv": "#E69F00",
    "pv_available": "#F0E442",
    "load": "#000000",
    "batch": "#CC79A7",
    "soc": "#009E73",
    "generator": "#0072B2",
    "dumped": "#999999",
    "unmet": "#B00020",
}


def style_plot(widget: pg.PlotWidget, title: str, left_label: str,
               bottom_label: str = "") -> None:
    """Set the title, axis labels and grid of a plot widget."""
    widget.setTitle(title, size="10pt")
    widget.setLabel("left", left_label)
    if bottom_label:
        widget.setLabel("bottom", bottom_label)
    widget.showGrid(x=False, y=True, alpha=0.25)
    widget.setMenuEnabled(False)
    widget.setMouseEnabled(x=False, y=False)
    widget.setMinimumHeight(160)
