"""Headline figures of a plan as (label, text with unit) rows, shared by two pages."""

from __future__ import annotations

HEADLINE_NAMES = ("Daily load", "Peak load", "PV array", "Battery usable / nominal",
                  "Generator", "Fuel per year", "Generator hours per year",
                  "Unmet load per year", "Renewable fraction", "Capital cost (priced lines)")


def headline_rows(plan) -> list[tuple[str, str]]:
    """Return the headline figures of ``plan`` formatted with their units."""
    head = plan.headline()
    currency = plan.project.info.currency
    values = [
        f"{head['daily_load_kwh']:.1f} kWh",
        f"{head['peak_load_kw']:.2f} kW",
        f"{head['pv_kwp']:.2f} kWp",
        f"{head['battery_usable_kwh']:.1f} / {head['battery_nominal_kwh']:.1f} kWh",
        f"{head['generator_kw']:.1f} kW",
        f"{head['annual_fuel_l']:,.0f} L ({head['annual_fuel_cost']:,.0f} {currency})",
        f"{head['generator_hours']:,.0f} h",
        f"{head['unmet_load_kwh']:,.1f} kWh",
        f"{head['renewable_fraction']:.0%}",
        f"{head['capital_cost']:,.0f} {currency}",
    ]
    return list(zip(HEADLINE_NAMES, values, strict=True))
