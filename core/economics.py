"""Life-cycle economics: net present cost, annualized cost and levelized cost of energy.

HOMER's definitions: the real discount rate i turns future cash flows into
present value; the capital recovery factor CRF(i, N) = i(1+i)^N / ((1+i)^N - 1)
turns the net present cost into an annualized cost; the levelized cost of
energy is the annualized cost over the load actually served.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


def capital_recovery_factor(discount_rate: float, years: int) -> float:
    """Return CRF(i, N); with a zero rate it is 1/N."""
    if discount_rate == 0:
        return 1.0 / years
    growth = (1 + discount_rate) ** years
    return discount_rate * growth / (growth - 1)


def present_value_of_series(annual_amount: float, discount_rate: float, years: int,
                            escalation_rate: float = 0.0) -> float:
    """Return the present value of ``annual_amount`` paid at the end of years 1..N.

    The amount grows by ``escalation_rate`` each year (fuel price escalation).
    """
    return annual_amount * series_present_value_factor(discount_rate, years, escalation_rate)


@functools.lru_cache(maxsize=64)
def series_present_value_factor(discount_rate: float, years: int, escalation_rate: float = 0.0) -> float:
    """Return the present value of 1 per year at the end of years 1..N, growing by ``escalation_rate``.

    Cached because the design search prices thousands of designs with the same rates.
    """
    return sum((1 + escalation_rate) ** (year - 1) / (1 + discount_rate) ** year
               for year in range(1, years + 1))


def present_value_of_replacements(cost: float, life_years: float, discount_rate: float,
                                  years: int) -> float:
    """Return the present value of replacing an item every ``life_years`` within the project.

    The remaining life of an item at the end of the project is not credited.
    HOMER credits it as salvage, so this is the conservative side.
    """
    if life_years <= 0 or life_years >= years:
        return 0.0
    total = 0.0
    year = life_years
    while year < years:
        total += cost / (1 + discount_rate) ** year
        year += life_years
    return total


@dataclass
class CostBreakdown:
    """Net present cost of one design, by kind of cash flow [project currency]."""

    capital: float
    replacements: float
    fuel: float
    operation_maintenance: float
    project_life_years: int
    discount_rate: float
    served_kwh_per_year: float

    @property
    def net_present_cost(self) -> float:
        return self.capital + self.replacements + self.fuel + self.operation_maintenance

    @property
    def annualized_cost(self) -> float:
        return self.net_present_cost * capital_recovery_factor(self.discount_rate,
                                                               self.project_life_years)

    @property
    def levelized_cost_per_kwh(self) -> float:
        if self.served_kwh_per_year <= 0:
            return float("nan")
        return self.annualized_cost / self.served_kwh_per_year
