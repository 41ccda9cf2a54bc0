"""Rack power plan: servers in racks, PDUs on A and B feeds, branch circuits, phases and heat.

Branch circuits carry continuous load (three hours or more) at no more than
80 % of the breaker rating (NEC 210.20(A)). Each server's PSUs alternate
between the A and B feeds. With 1+1 (2N) redundancy a feed must carry every
server whose PSUs on that feed can power it alone when the other feed fails.
With N+1 the feeds share the load, and a feed is checked for the failure of
one PSU on the other feed. On a three-phase PDU each PSU goes to the least
loaded leg with a free outlet, so a server's supplies spread over the phases.
"""

from __future__ import annotations

import cmath
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


# Inverter output voltages that feed each AC system: its line-to-line voltage for
# the 200-240 V single-phase circuits (a 120/240 V split-phase inverter gives 240 V),
# the line-to-line voltage of a three-phase bank, the phase voltage otherwise.
INVERTER_OUTPUT_V_RANGE = {
    "230V-1ph": (220.0, 240.0),
    "120V-1ph": (110.0, 127.0),
    "208V-1ph": (200.0, 240.0),
    "208V-3ph": (200.0, 240.0),
    "400V-3ph": (220.0, 240.0),
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
    psu_feeds: list[str] = field(default_factory=list)
    psu_circuits: list[str] = field(default_factory=list)
    psu_legs: list[str] = field(default_factory=list)

    @property
    def outlet(self) -> str:
        return "C19" if self.psu_rating_w >= C19_PSU_THRESHOLD_W else "C13"

    @property
    def psus_needed(self) -> int:
        """PSUs that must run to carry the server's peak (1 for an external adapter)."""
        if not self.psu_rating_w:
            return 1
        return max(1, math.ceil(self.peak_w / self.psu_rating_w))

    @property
    def peak_va(self) -> float:
        return self.peak_w / SERVER_POWER_FACTOR

    def survives_loss_of(self, feed: str) -> bool:
        """Return True when the PSUs on the other feed(s) can carry the server alone."""
        remaining = sum(1 for name in self.psu_feeds if name != feed)
        return remaining >= self.psus_needed


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
    leg_va: dict[str, float] = field(default_factory=dict)
    c13_used: int = 0
    c19_used: int = 0
    leg_outlets_used: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def outlets_fit(self) -> bool:
        spare_c19 = self.pdu.outlets_c19 - self.c19_used
        return spare_c19 >= 0 and self.c13_used <= self.pdu.outlets_c13 + spare_c19

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
    cooling_w: float = 0.0

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
    line_currents_a: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cooling_cop: float | None = None

    @property
    def cooling_w(self) -> float:
        return sum(rack.cooling_w for rack in self.racks)

    @property
    def phase_imbalance(self) -> float:
        """Largest deviation of a line current from the mean, over the mean (0 when balanced)."""
        currents = list(self.line_currents_a.values())
        mean = sum(currents) / len(currents) if currents else 0.0
        if len(currents) < 2 or mean <= 0:
            return 0.0
        return max(abs(current - mean) for current in currents) / mean

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
               redundancy: str, cooling_cop: float | None = None) -> RackPlan:
    """Place every server in 42U racks and feed each rack from A and B PDUs.

    Each feed gets the smallest catalog PDU whose continuous rating carries the
    feed's failover load; when none is large enough, the feed's PSUs are split
    over several PDUs. ``cooling_cop`` turns each rack's peak heat into the
    electrical power of the cooling that removes it.
    """
    voltage_v, pdu_phases, supply_phases = AC_SYSTEM_SPECS[ac_system]
    candidates = _pdu_candidates(pdus, voltage_v, pdu_phases)
    if not candidates:
        raise CatalogError(f"The catalog has no PDU for a {ac_system} system.")

    racks = _place_servers(choices)
    warnings: list[str] = []
    notes: list[str] = []
    supply_names = _supply_leg_names(voltage_v, pdu_phases, supply_phases)
    supply_va = {name: 0.0 for name in supply_names}
    feeds = ("A", "B") if redundancy in ("1+1", "N+1") else ("A",)

    for rack in racks:
        if cooling_cop:
            rack.cooling_w = rack.peak_w / cooling_cop
        _assign_feeds(rack, feeds)
        for feed in feeds:
            rack.circuits.extend(_feed_circuits(rack, feed, feeds, redundancy, candidates,
                                                pdu_phases, supply_va))
        by_label = {circuit.label: circuit for circuit in rack.circuits}
        for server in rack.servers:
            # A single-phase PDU has one leg: name it after its supply phase.
            server.psu_legs = [by_label[label].phase if leg == "L" else leg
                               for label, leg in zip(server.psu_circuits, server.psu_legs)]
        for circuit in rack.circuits:
            if not circuit.within_limit:
                warnings.append(
                    f"{circuit.label}: {circuit.failover_loading:.0%} of the "
                    f"{circuit.breaker_a:g} A breaker after a feed failure exceeds 80 %.")
            if not circuit.outlets_fit:
                warnings.append(
                    f"{circuit.label}: {circuit.pdu.name} offers {circuit.pdu.outlets_c13} C13 "
                    f"and {circuit.pdu.outlets_c19} C19 outlets; its PSUs need "
                    f"{circuit.c13_used} C13 and {circuit.c19_used} C19.")
        for server in rack.servers:
            if len(feeds) == 2 and not all(server.survives_loss_of(feed) for feed in feeds):
                if server.psu_count == 1:
                    text = (f"{server.name} has a single PSU, so it stops when the feed of that "
                            "PSU fails; put it behind an automatic transfer switch if it must "
                            "ride through.")
                else:
                    text = (f"{server.name} has {server.psu_count} PSUs and needs "
                            f"{server.psus_needed} at its peak, so it stops when the feed of "
                            "its PSUs fails.")
                (warnings if redundancy == "1+1" else notes).append(text)

    line_currents = _line_currents(supply_va, voltage_v, pdu_phases, supply_phases)
    phase_loads = _line_loads_va(line_currents, voltage_v, pdu_phases, supply_phases)
    return RackPlan(racks=racks, ac_system=ac_system, redundancy=redundancy,
                    phase_loads_va=phase_loads, warnings=warnings,
                    line_currents_a=line_currents, notes=notes, cooling_cop=cooling_cop)


def _place_servers(choices: list[WorkloadChoice]) -> list[Rack]:
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
    return racks


def _assign_feeds(rack: Rack, feeds: tuple[str, ...]) -> None:
    """Alternate each server's PSUs over the feeds; single-PSU servers alternate too."""
    offset = 0
    for server in rack.servers:
        server.psu_feeds = [feeds[(offset + index) % len(feeds)]
                            for index in range(server.psu_count)]
        offset += server.psu_count
        if server.outlet == "C19":
            rack.outlets_c19_needed += server.psu_count
        else:
            rack.outlets_c13_needed += server.psu_count


def _psu_failover_va(server: RackServer, feed: str, redundancy: str) -> float:
    """Return the load [VA] on one PSU of ``server`` on ``feed`` in the failure checked."""
    on_feed = server.psu_feeds.count(feed)
    if redundancy == "1+1":
        # The other feed is lost: the PSUs here carry the server if they can.
        return server.peak_va / on_feed if server.survives_loss_of(
            _other_feed(feed)) else server.peak_va / server.psu_count
    if redundancy == "N+1" and server.psu_count > 1 and on_feed < server.psu_count:
        # One PSU on the other feed fails and the remaining PSUs share the load.
        return server.peak_va / (server.psu_count - 1)
    return server.peak_va / server.psu_count


def _other_feed(feed: str) -> str:
    return "B" if feed == "A" else "A"


def _feed_circuits(rack: Rack, feed: str, feeds: tuple[str, ...], redundancy: str,
                   candidates: list[Any], pdu_phases: int,
                   supply_va: dict[str, float]) -> list[Circuit]:
    """Choose the PDUs of one feed and put each PSU on a PDU, leg and outlet."""
    psus = [(server, index) for server in rack.servers
            for index, name in enumerate(server.psu_feeds) if name == feed]
    feed_failover_va = sum(_psu_failover_va(server, feed, redundancy) for server, _ in psus)
    pdu, pdu_count = _pick_pdu(candidates, feed_failover_va)
    leg_names = _pdu_leg_names(pdu.voltage_v, pdu_phases)
    circuits = [Circuit(label=f"{rack.name} feed {feed}{number + 1}", feed=feed, pdu=pdu,
                        voltage_v=pdu.voltage_v, phases=pdu.phases,
                        breaker_a=pdu.input_current_a, phase="", normal_va=0.0,
                        failover_va=0.0, leg_va={name: 0.0 for name in leg_names})
                for number in range(pdu_count)]
    # Largest supplies first, so the C19 outlets and the legs fill evenly.
    for server, index in sorted(psus, key=lambda item: -item[0].peak_va / item[0].psu_count):
        normal_va = server.peak_va / server.psu_count
        circuit = min(circuits, key=lambda c: c.failover_va)
        circuit.normal_va += normal_va
        circuit.failover_va += _psu_failover_va(server, feed, redundancy)
        leg = _pick_leg(circuit, server.outlet, leg_names)
        circuit.leg_va[leg] += normal_va
        if server.outlet == "C19":
            circuit.c19_used += 1
        else:
            circuit.c13_used += 1
        server.psu_circuits.append(circuit.label)
        server.psu_legs.append(leg)
    for circuit in circuits:
        if pdu_phases == 3:
            circuit.phase = "-".join(name.split("-")[0] for name in leg_names)
            for name, load_va in circuit.leg_va.items():
                supply_va[name] += load_va
        else:
            # A single-phase circuit goes on the least-loaded supply leg.
            circuit.phase = min(supply_va, key=supply_va.get)
            supply_va[circuit.phase] += circuit.normal_va
            circuit.leg_va = {circuit.phase: circuit.normal_va}
    return circuits


def _pick_leg(circuit: Circuit, outlet: str, leg_names: list[str]) -> str:
    """Return the least-loaded leg with a free outlet for ``outlet``, and take that outlet.

    A three-phase PDU's outlets are split evenly over its legs. A C13 cord
    may use a free C19 outlet through a C20-to-C13 cord. When every leg is
    full the least-loaded leg is returned and the outlet check warns.
    """
    per_leg_c13 = circuit.pdu.outlets_c13 // len(leg_names)
    per_leg_c19 = circuit.pdu.outlets_c19 // len(leg_names)
    used = circuit.leg_outlets_used
    for name in leg_names:
        used.setdefault(name, {"C13": 0, "C19": 0})

    def has_free(name: str) -> bool:
        free_c19 = per_leg_c19 - used[name]["C19"]
        if outlet == "C19":
            return free_c19 > 0
        return used[name]["C13"] < per_leg_c13 or free_c19 > 0

    free = [name for name in leg_names if has_free(name)]
    leg = min(free or leg_names, key=lambda name: circuit.leg_va[name])
    if outlet == "C13" and used[leg]["C13"] >= per_leg_c13 and leg in free:
        used[leg]["C19"] += 1
    else:
        used[leg][outlet] += 1
    return leg


def _pdu_leg_names(voltage_v: float, pdu_phases: int) -> list[str]:
    if pdu_phases != 3:
        return ["L"]
    if voltage_v > 300:
        return ["L1-N", "L2-N", "L3-N"]
    return ["L1-L2", "L2-L3", "L3-L1"]


def _supply_leg_names(voltage_v: float, pdu_phases: int, supply_phases: int) -> list[str]:
    if pdu_phases == 3:
        return _pdu_leg_names(voltage_v, 3)
    if supply_phases == 1:
        return ["L1-L2" if voltage_v > 200 else "L1"]
    return ["L1", "L2", "L3"]


# Phase angles of the supply voltages [degrees], L1-N at 0.
_LEG_ANGLE_DEG = {"L1-N": 0.0, "L2-N": -120.0, "L3-N": 120.0,
                  "L1-L2": 30.0, "L2-L3": -90.0, "L3-L1": 150.0}


def _line_currents(supply_va: dict[str, float], voltage_v: float, pdu_phases: int,
                   supply_phases: int) -> dict[str, float]:
    """Return the current [A] in each supply line with both feeds healthy.

    Loads are taken at the same power factor on every leg, so each leg current
    is in phase with its voltage. Line-to-line legs (208 V delta PDUs) combine
    as phasors: I_L1 = I_L1-L2 - I_L3-L1, and so on.
    """
    if pdu_phases != 3:
        return {name: load_va / voltage_v for name, load_va in supply_va.items()}
    leg_current = {name: cmath.rect(load_va / (voltage_v if "-N" not in name
                                               else voltage_v / math.sqrt(3)),
                                    math.radians(_LEG_ANGLE_DEG[name]))
                   for name, load_va in supply_va.items()}
    if "L1-N" in leg_current:
        return {name.split("-")[0]: abs(current) for name, current in leg_current.items()}
    return {
        "L1": abs(leg_current["L1-L2"] - leg_current["L3-L1"]),
        "L2": abs(leg_current["L2-L3"] - leg_current["L1-L2"]),
        "L3": abs(leg_current["L3-L1"] - leg_current["L2-L3"]),
    }


def _line_loads_va(line_currents: dict[str, float], voltage_v: float, pdu_phases: int,
                   supply_phases: int) -> dict[str, float]:
    """Return each line's apparent power [VA]: line current x line-to-neutral voltage."""
    if pdu_phases != 3:
        return {name: current * voltage_v for name, current in line_currents.items()}
    return {name: current * voltage_v / math.sqrt(3) for name, current in line_currents.items()}


def _pick_pdu(candidates: list[Any], feed_va: float) -> tuple[Any, int]:
    """Return the smallest PDU that carries ``feed_va`` continuously, or the largest, several times."""
    for pdu in candidates:
        if pdu.continuous_kva * 1000 >= feed_va:
            return pdu, 1
    largest = candidates[-1]
    return largest, math.ceil(feed_va / (largest.continuous_kva * 1000))
