"""Geometry of the proposal's drawings as plain data: boxes, wires and labels in points.

The report model formats every label; this module only places shapes, so a
test can check the layout without rendering. Coordinates are PDF points
(1/72 inch) with the origin at the bottom left, as reportlab draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Average advance of DejaVu Sans glyphs as a fraction of the font size, for
# fitting labels without font metrics; wide capitals run about 0.7.
CHARACTER_WIDTH_EM = 0.58
LABEL_SIZE = 7.0
SMALL_SIZE = 6.0
MIN_LABEL_SIZE = 4.5
LINE_GAP = 1.25  # line spacing as a multiple of the font size


@dataclass
class Box:
    """A rectangle; ``fill`` is a colour name from the PDF writer's palette ("" for none)."""

    x: float
    y: float
    width: float
    height: float
    fill: str = ""
    line_width: float = 0.8

    def contains(self, x: float, y: float) -> bool:
        return (self.x - 1e-6 <= x <= self.x + self.width + 1e-6
                and self.y - 1e-6 <= y <= self.y + self.height + 1e-6)


@dataclass
class Wire:
    """A polyline; ``arrow`` draws an arrowhead at the last point."""

    points: list[tuple[float, float]]
    width: float = 0.9
    arrow: bool = False


@dataclass
class Label:
    """One line of text; ``anchor`` is "start", "middle" or "end"; ``angle`` in degrees."""

    x: float
    y: float
    text: str
    size: float = LABEL_SIZE
    anchor: str = "start"
    bold: bool = False
    angle: float = 0.0

    @property
    def width(self) -> float:
        return text_width(self.text, self.size)


@dataclass
class Diagram:
    """A drawing of ``width`` x ``height`` points."""

    title: str
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    wires: list[Wire] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [label.text for label in self.labels]


def text_width(text: str, size: float) -> float:
    """Estimate the width [pt] of ``text`` at ``size`` (see CHARACTER_WIDTH_EM)."""
    return len(text) * size * CHARACTER_WIDTH_EM


def fit_size(lines: list[str], width: float, size: float = LABEL_SIZE) -> float:
    """Return the largest font size up to ``size`` at which every line fits ``width``."""
    longest = max((len(line) for line in lines), default=0)
    if longest == 0:
        return size
    return max(MIN_LABEL_SIZE, min(size, width / (longest * CHARACTER_WIDTH_EM)))


def wrap_lines(lines: list[str], width: float, size: float) -> list[str]:
    """Break lines at spaces so that each fits ``width`` at ``size`` where a word allows."""
    wrapped = []
    for line in lines:
        current = ""
        for word in line.split(" "):
            candidate = f"{current} {word}".strip()
            if current and text_width(candidate, size) > width:
                wrapped.append(current)
                current = word
            else:
                current = candidate
        wrapped.append(current)
    return wrapped


def _text_block(diagram: Diagram, box: Box, lines: list[str], padding: float = 3.0) -> None:
    """Write ``lines`` inside ``box``, the first in bold, centred vertically.

    Lines too long for the box at SMALL_SIZE are wrapped; the first line stays whole.
    """
    inner = box.width - 2 * padding
    if fit_size(lines, inner) < SMALL_SIZE:
        lines = lines[:1] + wrap_lines(lines[1:], inner, SMALL_SIZE)
    size = fit_size(lines, inner)
    leading = size * LINE_GAP
    top = box.y + box.height / 2 + leading * (len(lines) - 1) / 2 - size * 0.35
    for index, line in enumerate(lines):
        diagram.labels.append(Label(box.x + padding, top - index * leading, line, size,
                                    bold=index == 0))


# --- single-line diagram ----------------------------------------------------


@dataclass
class SingleLineText:
    """Formatted labels of the single-line diagram, one list of lines per block."""

    pv: list[str]
    controllers: list[str]
    battery: list[str]
    inverter: list[str]
    generator: list[str]
    ac_distribution: list[str]
    pdus_a: list[str]
    pdus_b: list[str]
    racks: list[str]
    busbar: str
    cable_tags: dict[str, str]
    legend: list[str]


SLD_BOX_WIDTH = 130.0
SLD_BOX_HEIGHT = 74.0


def single_line_diagram(text: SingleLineText, width: float) -> Diagram:
    """Lay out PV -> controllers -> DC busbar and battery -> inverter/chargers <- generator,
    then AC distribution -> PDUs A and B -> racks, with cable tags on the DC wires.

    Three columns of boxes: the DC busbar runs vertically between the middle
    and right columns, so no wire crosses another. ``text.cable_tags`` maps
    "pv", "controller_battery", "battery_inverter" and "generator" to the tag
    drawn on that wire; ``text.legend`` lines go below the diagram.
    """
    legend_size = fit_size(text.legend, width, SMALL_SIZE)
    legend_height = len(text.legend) * legend_size * LINE_GAP + 6
    box_w, box_h = SLD_BOX_WIDTH, SLD_BOX_HEIGHT
    tier_gap = 34.0
    height = legend_height + 3 * box_h + 2 * tier_gap + 14
    diagram = Diagram("Single-line diagram", width, height)
    columns = (0.0, (width - box_w) / 2, width - box_w)
    bus_x = (columns[1] + box_w + columns[2]) / 2
    tier_y = [legend_height + 2 * (box_h + tier_gap), legend_height + box_h + tier_gap,
              legend_height]

    def add_box(column: int, tier: int, lines: list[str], fill: str,
                height_part: float = 1.0, offset: float = 0.0) -> Box:
        box = Box(columns[column], tier_y[tier] + offset, box_w, box_h * height_part, fill)
        diagram.boxes.append(box)
        _text_block(diagram, box, lines)
        return box

    pv = add_box(0, 0, text.pv, "pv")
    controllers = add_box(1, 0, text.controllers, "dc")
    battery = add_box(2, 0, text.battery, "dc")
    generator = add_box(1, 1, text.generator, "ac")
    inverter = add_box(2, 1, text.inverter, "ac")
    ac = add_box(2, 2, text.ac_distribution, "ac")
    half = (box_h - 6) / 2
    pdus_a = add_box(1, 2, text.pdus_a, "ac", height_part=half / box_h, offset=half + 6)
    pdus_b = add_box(1, 2, text.pdus_b, "ac", height_part=half / box_h)
    racks = add_box(0, 2, text.racks, "it")

    def wire(points: list[tuple[float, float]], tag_key: str = "", arrow: bool = True,
             line_width: float = 0.9) -> None:
        diagram.wires.append(Wire(points, line_width, arrow))
        tag = text.cable_tags.get(tag_key, "")
        if tag:
            (x0, y0), (x1, y1) = points[0], points[1]
            diagram.labels.append(Label((x0 + x1) / 2, (y0 + y1) / 2 + 3, tag, SMALL_SIZE,
                                        anchor="middle", bold=True))

    mid = lambda box: box.y + box.height / 2  # noqa: E731
    wire([(pv.x + box_w, mid(pv)), (controllers.x, mid(controllers))], "pv")
    # The busbar spans from the battery's row down to the inverter's DC terminal.
    bus_top = battery.y + box_h + 4
    bus_bottom = inverter.y + box_h * 0.7
    diagram.wires.append(Wire([(bus_x, bus_bottom), (bus_x, bus_top)], 3.0))
    diagram.labels.append(Label(bus_x, bus_top + 4, text.busbar, SMALL_SIZE, anchor="middle",
                                bold=True))
    wire([(controllers.x + box_w, mid(controllers)), (bus_x, mid(controllers))],
         "controller_battery")
    wire([(bus_x, mid(battery)), (battery.x, mid(battery))], arrow=False, line_width=2.0)
    wire([(bus_x, bus_bottom), (inverter.x, bus_bottom)], "battery_inverter")
    ac_in_y = inverter.y + box_h * 0.25
    wire([(generator.x + box_w, ac_in_y), (inverter.x, ac_in_y)], "generator")
    diagram.labels.append(Label(inverter.x - 2, ac_in_y - 9, "AC in", SMALL_SIZE, anchor="end"))
    inverter_x = inverter.x + box_w / 2
    wire([(inverter_x, inverter.y), (inverter_x, ac.y + box_h)])
    wire([(ac.x, mid(pdus_a)), (pdus_a.x + box_w, mid(pdus_a))])
    wire([(ac.x, mid(pdus_b)), (pdus_b.x + box_w, mid(pdus_b))])
    wire([(pdus_a.x, mid(pdus_a)), (racks.x + box_w, mid(pdus_a))])
    wire([(pdus_b.x, mid(pdus_b)), (racks.x + box_w, mid(pdus_b))])

    for index, line in enumerate(text.legend):
        diagram.labels.append(Label(0, legend_height - 8 - index * legend_size * LINE_GAP,
                                    line, legend_size))
    return diagram


# --- rack elevation ---------------------------------------------------------


@dataclass
class RackItem:
    """One device in a rack: its lowest unit, height in units and label."""

    bottom_unit: int
    units: int
    label: str


UNIT_HEIGHT = 7.5  # points per rack unit in the drawing (44.45 mm in the rack)
RACK_INNER_WIDTH = 190.0
PDU_STRIP_WIDTH = 16.0
UNIT_COLUMN_WIDTH = 16.0


def rack_elevation(title: str, rack_units: int, items: list[RackItem], left_pdu: str,
                   right_pdu: str, notes: list[str], width: float) -> Diagram:
    """Draw a front elevation: unit numbers, the devices in their units, a PDU on each side.

    ``notes`` lines go to the right of the rack (totals, cooling, PSU feeds).
    """
    rack_height = rack_units * UNIT_HEIGHT
    base = 6.0
    height = rack_height + base + 4
    diagram = Diagram(title, width, height)
    left_x = UNIT_COLUMN_WIDTH
    inner_x = left_x + PDU_STRIP_WIDTH + 2
    right_x = inner_x + RACK_INNER_WIDTH + 2
    frame = Box(left_x, base, right_x + PDU_STRIP_WIDTH - left_x, rack_height, "", 1.2)
    diagram.boxes.append(frame)
    for unit in range(1, rack_units + 1):
        y = base + (unit - 1) * UNIT_HEIGHT
        diagram.labels.append(Label(left_x - 2, y + 1.8, str(unit), 4.5, anchor="end"))
        diagram.wires.append(Wire([(left_x - 1.5, y), (left_x, y)], 0.3))
    for pdu_x, label in ((left_x, left_pdu), (right_x, right_pdu)):
        if not label:
            continue
        strip = Box(pdu_x, base, PDU_STRIP_WIDTH, rack_height, "pdu")
        diagram.boxes.append(strip)
        size = fit_size([label], rack_height - 6, SMALL_SIZE)
        diagram.labels.append(Label(pdu_x + PDU_STRIP_WIDTH / 2 + size * 0.35, base + 3, label,
                                    size, angle=90))
    for item in items:
        y = base + (item.bottom_unit - 1) * UNIT_HEIGHT
        box = Box(inner_x, y + 0.4, RACK_INNER_WIDTH, item.units * UNIT_HEIGHT - 0.8, "it")
        diagram.boxes.append(box)
        size = fit_size([item.label], RACK_INNER_WIDTH - 6,
                        min(SMALL_SIZE, item.units * UNIT_HEIGHT - 2))
        diagram.labels.append(Label(inner_x + 3, y + item.units * UNIT_HEIGHT / 2 - size * 0.35,
                                    item.label, size))
    notes_x = right_x + PDU_STRIP_WIDTH + 12
    note_size = fit_size(notes, width - notes_x, SMALL_SIZE)
    for index, line in enumerate(notes):
        diagram.labels.append(Label(notes_x, base + rack_height - 8 - index * note_size * 1.5,
                                    line, note_size, bold=index == 0))
    return diagram
