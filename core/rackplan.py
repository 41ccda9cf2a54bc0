"""Rack power plan: servers in racks, PDUs on A and B feeds, branch circuits, phases and heat.

Branch circuits carry continuous load (three hours or more) at no more than
80 % of the breaker rating (NEC 210.20(A)). With 1+1 (2N) PSU redundancy each
feed must carry the whole rack when the other fails, so the 80 % check uses
the full load per feed; with N+1 the load is shared and each feed is checked
at its share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.errors import CatalogError
from core.hardware import WorkloadChoice
from core.units import w_to_btu_per_h

RACK_UNITS = 42
CONTINUOUS_LOAD_LIMIT = 0.80
SERVER_POWER_FACTOR = 0.95
C19_PSU_THRESHOLD_W = 1600  # supplies of 1600 W and more use C19/C20 cords
SHELF_UNITS_PER_EDGE_BOX = 1  # an embedded box sits on a 1U shelf

AC_SYSTEM_SPECS = {
    # name: (PDU voltage [V], PDU phases, supply phases for balancing)
    # "208V-1ph" is a 200-240 V line-to-line circuit (NEMA L6-30) fed from one
    # inverter output or one split-phase pair, so it has one supply phase.
    "230V-1ph": (230.0, 1, 1),
    "120V-1ph": (120.0, 1, 1),
    "208V-1ph": (208.0, 1, 1),
    "208V-3ph": (208.0, 3, 3),
    "400V-3ph": (400.0, 3, 3),
}


def supply_is_three_phase(ac_system: str) -> bool:
    """Return True when the AC system needs a three-phase inverter bank."""
    return AC_SYSTEM_SPECS[ac_system][2] == 3


@dataclass
class RackServer:
    """One server in a rack with its position and power."""

    name: str
    workload: str
    rack_units: int
    top_unit: int
    psu_count: int
    psu_rating_w: float
    peak_w: float
    average_w: float


@dataclass
class Circuit:
    """One branch circuit feeding one PDU."""

    label: str
    feed: str
    pdu: Any
    voltage_v: float
    phases: int
    breaker_a: float
    phase: str
    normal_va: float
    failover_va: float

    @property
    def capacity_va(self) -> float:
        factor = math.sqrt(3) if self.phases == 3 else 1.0
        return factor * self.voltage_v * self.breaker_a

    @property
    def failover_loading(self) -> float:
        return self.failover_va / self.capacity_va

    @property
    def normal_loading(self) -> float:
        return self.normal_va / self.capacity_va

    @property
    def within_limit(self) -> bool:
        return self.failover_loading <= CONTINUOUS_LOAD_LIMIT + 1e-9


@dataclass
class Rack:
    """One rack: servers, circuits and heat."""

    name: str
    servers: list[RackServer] = field(default_factory=list)
    circuits: list[Circuit] = field(default_factory=list)
    outlets_c13_needed: int = 0
    outlets_c19_needed: int = 0

    @property
    def used_units(self) -> int:
        return sum(server.rack_units for server in self.servers)

    @property
    def peak_w(self) -> float:
        return sum(server.peak_w for server in self.servers)

    @property
    def average_w(self) -> float:
        return sum(server.average_w for server in self.servers)

    @property
    def heat_btu_per_h(self) -> float:
        return w_to_btu_per_h(self.peak_w)


@dataclass
class RackPlan:
    """All racks with their phase loads and any limit that is broken."""

    racks: list[Rack]
    ac_system: str
    redundancy: str
    phase_loads_va: dict[str, float]
    warnings: list[str] = field(default_factory=list)

    @property
    def pdu_count(self) -> int:
        return sum(len(rack.circuits) for rack in self.racks)

    @property
    def peak_w(self) -> float:
        return sum(rack.peak_w for rack in self.racks)


def _pdu_candidates(pdus: list[Any], voltage_v: float, phases: int) -> list[Any]:
    return sorted(
        (pdu for pdu in pdus if pdu.phases == phases and abs(pdu.voltage_v - voltage_v) <= 12),
        key=lambda pdu: pdu.continuous_kva,
    )


def plan_racks(choices: list[WorkloadChoice], pdus: list[Any], ac_system: str,
               redundancy: str) -> RackPlan:
    """Place every server in 42U racks and feed each rack from A and B PDUs.

    Each feed gets the smallest catalog PDU whose continuous rating carries the
    feed's load (the whole rack under 1+1, its share under N+1); when none is
    large enough, the rack's load is split over several PDUs per feed.
    """
    voltage_v, pdu_phases, supply_phases = AC_SYSTEM_SPECS[ac_system]
    candidates = _pdu_candidates(pdus, voltage_v, pdu_phases)
    if not candidates:
        raise CatalogError(f"The catalog has no PDU for a {ac_system} system.")

    racks: list[Rack] = [Rack(name="Rack 1")]
    for choice in choices:
        option = choice.chosen
        if option is None or option.servers is None:
            continue
        group = option.servers
        average_each_w = option.average_wall_w / group.server_count
        peak_each_w = float(group.power.wall_power_w(1.0))
        units = group.rack_units or SHELF_UNITS_PER_EDGE_BOX
        for index in range(group.server_count):
            rack = racks[-1]
            if rack.used_units + units > RACK_UNITS:
                rack = Rack(name=f"Rack {len(racks) + 1}")
                racks.append(rack)
            server_row = group.power
            rack.servers.append(RackServer(
                name=f"{group.server_name} #{index + 1}",
                workload=choice.workload.name,
                rack_units=units,
                top_unit=rack.used_units + units,
                psu_count=max(server_row.psu_count, 1),
                psu_rating_w=server_row.psu_rating_w,
                peak_w=peak_each_w,
                average_w=average_each_w,
            ))

    warnings: list[str] = []
    phase_names = ["L1", "L2", "L3"] if supply_phases == 3 else [
        "L1-L2" if pdu_phases == 1 and voltage_v > 200 else "L1"]
    phase_loads = {name: 0.0 for name in phase_names}
    feeds = ("A", "B") if redundancy in ("1+1", "N+1") else ("A",)

    for rack in racks:
        for server in rack.servers:
            if server.psu_rating_w >= C19_PSU_THRESHOLD_W:
                rack.outlets_c19_needed += server.psu_count
            else:
                rack.outlets_c13_needed += server.psu_count
        rack_va = rack.peak_w / SERVER_POWER_FACTOR
        if redundancy == "1+1":
            failover_va = rack_va
        else:
            failover_va = rack_va / len(feeds)
        normal_va = rack_va / len(feeds)
        for feed in feeds:
            pdu, pdus_per_feed = _pick_pdu(candidates, failover_va)
            for number in range(pdus_per_feed):
                # Single-phase circuits go on the least-loaded supply phase.
                if pdu_phases == 3:
                    phase = "L1-L2-L3"
                    for name in phase_names:
                        phase_loads[name] += normal_va / pdus_per_feed / 3
                else:
                    phase = min(phase_loads, key=phase_loads.get)
                    phase_loads[phase] += normal_va / pdus_per_feed
                circuit = Circuit(
                    label=f"{rack.name} feed {feed}{number + 1}",
                    feed=feed,
                    pdu=pdu,
                    voltage_v=pdu.voltage_v,
                    phases=pdu.phases,
                    breaker_a=pdu.input_current_a,
                    phase=phase,
                    normal_va=normal_va / pdus_per_feed,
                    failover_va=failover_va / pdus_per_feed,
                )
                rack.circuits.append(circuit)
                if not circuit.within_limit:
                    warnings.append(
                        f"{circuit.label}: {circuit.failover_loading:.0%} of the "
                        f"{circuit.breaker_a:g} A breaker after a feed failure exceeds 80 %.")
        outlets_c13 = sum(c.pdu.outlets_c13 for c in rack.circuits if c.feed == "A")
        outlets_c19 = sum(c.pdu.outlets_c19 for c in rack.circuits if c.feed == "A")
        need_c13 = math.ceil(rack.outlets_c13_needed / len(feeds))
        need_c19 = math.ceil(rack.outlets_c19_needed / len(feeds))
        if need_c19 > outlets_c19 or need_c13 > outlets_c13 + max(outlets_c19 - need_c19, 0):
            warnings.append(
                f"{rack.name}: the PDUs on feed A offer {outlets_c13} C13 and {outlets_c19} C19 "
                f"outlets; {need_c13} C13 and {need_c19} C19 are needed.")
    return RackPlan(racks=racks, ac_system=ac_system, redundancy=redundancy,
                    phase_loads_va=phase_loads, warnings=warnings)


def _pick_pdu(candidates: list[Any], feed_va: float) -> tuple[Any, int]:
    """Return the smallest PDU that carries ``feed_va`` continuously, or the largest, several times."""
    for pdu in candidates:
        if pdu.continuous_kva * 1000 >= feed_va:
            return pdu, 1
    largest = candidates[-1]
    return largest, math.ceil(feed_va / (largest.continuous_kva * 1000))
