"""The PDF proposal: lays out a :class:`core.report.model.Report` with reportlab platypus.

Every number arrives formatted from :mod:`core.report.model`; this module only
places text, tables and vector charts on A4 pages. The file is written to a
temporary file beside the target and renamed over it, so a failed export never
leaves half a PDF under the requested name.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import numpy as np
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as PlatypusTable
from reportlab.platypus import TableStyle

from core.errors import ConfiguratorError
from core.plan import Plan
from core.report import fonts
from core.drawings import Diagram
from core.report.model import Chart, Figure, Report, Section, Table, Text, build_report

logger = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FOOTER_Y = 10 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHART_HEIGHT = 82 * mm
# Tables up to this height stay in one piece with their title; taller ones split.
KEEP_TOGETHER_MAX_HEIGHT = 110 * mm
# Space a split table needs at the foot of a page: its title, header and a few rows.
TALL_TABLE_START_SPACE = 40 * mm

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies
# and in greyscale print, helped by the dash patterns below.
SERIES_COLOURS = {
    "pv": colors.HexColor("#E69F00"),
    "load": colors.HexColor("#0072B2"),
    "batch": colors.HexColor("#56B4E9"),
    "generator": colors.HexColor("#D55E00"),
    "soc": colors.HexColor("#009E73"),
    "dumped": colors.HexColor("#999999"),
    "unmet": colors.HexColor("#CC79A7"),
}
SERIES_DASHES = {"batch": [4, 2], "soc": [1.5, 1.5]}
GRID_COLOUR = colors.HexColor("#DDDDDD")
HEADER_FILL = colors.HexColor("#E8EEF4")
TOTAL_FILL = colors.HexColor("#F3F3F3")
WARNING_COLOUR = colors.HexColor("#9A3412")
# Fills of the drawing boxes by the kind of equipment.
DIAGRAM_FILLS = {
    "pv": colors.HexColor("#FDF3DC"),
    "dc": colors.HexColor("#E3EEF8"),
    "ac": colors.HexColor("#EAF5EE"),
    "it": colors.HexColor("#F1EEF6"),
    "pdu": colors.HexColor("#E6E6E6"),
}


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9, leading=12,
                          spaceAfter=4, alignment=TA_LEFT)
    return {
        "body": base,
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10,
                               textColor=colors.HexColor("#444444")),
        "warning": ParagraphStyle("warning", parent=base, leftIndent=10, bulletIndent=0,
                                  bulletFontName=fonts.REGULAR, textColor=WARNING_COLOUR),
        "heading": ParagraphStyle("heading", parent=base, fontName=fonts.BOLD, fontSize=10.5,
                                  leading=13, spaceBefore=8, spaceAfter=3, keepWithNext=1),
        "section": ParagraphStyle("section", parent=base, fontName=fonts.BOLD, fontSize=15,
                                  leading=19, spaceBefore=0, spaceAfter=8, keepWithNext=1),
        "table_title": ParagraphStyle("table_title", parent=base, fontName=fonts.BOLD,
                                      fontSize=9, leading=11, spaceBefore=6, spaceAfter=2,
                                      keepWithNext=1),
        "tall_table_title": ParagraphStyle("tall_table_title", parent=base,
                                           fontName=fonts.BOLD, fontSize=9, leading=11,
                                           spaceBefore=6, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9, spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=7.5, leading=9,
                                     spaceAfter=0, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=fonts.BOLD,
                                    fontSize=7.5, leading=9, spaceAfter=0),
        "cell_head_right": ParagraphStyle("cell_head_right", parent=base, fontName=fonts.BOLD,
                                          fontSize=7.5, leading=9, spaceAfter=0,
                                          alignment=TA_RIGHT),
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=fonts.BOLD,
                                      fontSize=24, leading=30, spaceAfter=6),
        "cover_subtitle": ParagraphStyle("cover_subtitle", parent=base, fontSize=13,
                                         leading=17, spaceAfter=20,
                                         textColor=colors.HexColor("#333333")),
    }


def _paragraph(text: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """Return a Paragraph of plain ``text``; characters DejaVu Sans lacks use the fallback font."""
    return Paragraph(fonts.markup_with_fallback(text, style.fontName), style, bulletText=bullet)


# --- page furniture ---------------------------------------------------------


class _NumberedCanvas(Canvas):
    """A canvas that keeps every page until the end so the footer can print "page N of M"."""

    def __init__(self, *args, footer_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._footer_text = footer_text
        self._page_states: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's method name)
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        page_count = len(self._page_states)
        for state in self._page_states:
            self.__dict__.update(state)
            self._draw_footer(page_count)
            super().showPage()
        super().save()

    def _draw_footer(self, page_count: int) -> None:
        self.saveState()
        self.setStrokeColor(GRID_COLOUR)
        self.setLineWidth(0.5)
        self.line(MARGIN, FOOTER_Y + 10, PAGE_WIDTH - MARGIN, FOOTER_Y + 10)
        self.setFillColor(colors.HexColor("#555555"))
        fonts.draw_string_with_fallback(self, MARGIN, FOOTER_Y, self._footer_text,
                                        fonts.REGULAR, 7.5)
        fonts.draw_string_with_fallback(self, PAGE_WIDTH - MARGIN, FOOTER_Y,
                                        f"Page {self._pageNumber} of {page_count}",
                                        fonts.REGULAR, 7.5, align="right")
        self.restoreState()


class _SectionHeading(Paragraph):
    """A section heading that adds a PDF bookmark where it lands."""

    def __init__(self, text: str, style: ParagraphStyle, key: str):
        super().__init__(fonts.markup_with_fallback(text, style.fontName), style)
        self.outline_title = text
        self.outline_key = key


class _ProposalDocument(BaseDocTemplate):
    def __init__(self, filename: str, report: Report):
        super().__init__(
            filename, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm, title=f"{report.title}: {report.project_name}",
            author=report.author, subject=f"{report.customer}, {report.site_name}",
            creator=f"offgrid-configurator {report.program_version}",
            # Every page starts in this font, so Helvetica is otherwise referenced
            # (though never drawn) in a document that embeds all its fonts.
            initialFontName=fonts.REGULAR)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, _SectionHeading):
            self.canv.bookmarkPage(flowable.outline_key)
            self.canv.addOutlineEntry(flowable.outline_title, flowable.outline_key, level=0)


# --- blocks -----------------------------------------------------------------


def _table(table: Table, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Lay out a report table with wrapped Paragraph cells across the content width."""
    scale = CONTENT_WIDTH / sum(table.widths)
    widths = [width * scale for width in table.widths]
    header = [
        _paragraph(text, styles["cell_head_right" if numeric else "cell_head"])
        for text, numeric in zip(table.header, table.numeric)
    ]
    body = []
    for row in table.rows:
        body.append([
            _paragraph(text, styles["cell_right" if numeric else "cell"])
            for text, numeric in zip(row, table.numeric)
        ])
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8899AA")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID_COLOUR),
        # The cells are Paragraphs with their own fonts; without this the table
        # still selects its default Helvetica and the PDF references it.
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if table.total_rows:
        first_total = len(table.rows) - table.total_rows + 1
        commands += [
            ("BACKGROUND", (0, first_total), (-1, -1), TOTAL_FILL),
            ("LINEABOVE", (0, first_total), (-1, first_total), 0.6, colors.HexColor("#8899AA")),
        ]
    grid = PlatypusTable([header] + body, colWidths=widths, repeatRows=1, hAlign="LEFT",
                         style=TableStyle(commands))
    _, height = grid.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
    if height <= KEEP_TOGETHER_MAX_HEIGHT:
        flowables: list[Flowable] = []
        if table.title:
            flowables.append(_paragraph(table.title, styles["table_title"]))
        flowables.append(grid)
        if table.note:
            flowables.append(Spacer(1, 2))
            flowables.append(_paragraph(table.note, styles["note"]))
        flowables.append(Spacer(1, 6))
        return [KeepTogether(flowables)]

    # A tall table breaks across pages, repeating its header row. Its title
    # must not use keepWithNext: reportlab would then move title and table to
    # a new page whole. CondPageBreak keeps the title from ending a page.
    flowables = [CondPageBreak(TALL_TABLE_START_SPACE)]
    if table.title:
        flowables.append(_paragraph(table.title, styles["tall_table_title"]))
    flowables.append(grid)
    if table.note:
        flowables.append(Spacer(1, 2))
        flowables.append(_paragraph(table.note, styles["note"]))
    flowables.append(Spacer(1, 6))
    return flowables


def _nice_maximum(value: float) -> float:
    """Return a round axis maximum at or above ``value`` (1, 2, 2.5 or 5 x 10^n)."""
    if value <= 0 or not np.isfinite(value):
        return 1.0
    exponent = np.floor(np.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        candidate = step * 10 ** exponent
        if candidate >= value * 1.0001:
            return float(candidate)
    return float(10 ** (exponent + 1))


def _axis_label(drawing: Drawing, x: float, y: float, text: str, angle: int = 0) -> None:
    label = String(0, 0, text, fontName=fonts.REGULAR, fontSize=7.5, textAnchor="middle")
    if angle:
        from reportlab.graphics.shapes import Group

        group = Group(label)
        group.translate(x, y)
        group.rotate(angle)
        drawing.add(group)
    else:
        label.x, label.y = x, y
        drawing.add(label)


def _legend(drawing: Drawing, chart: Chart, top: float, as_bars: bool) -> None:
    """Draw a legend of swatches and labels in rows of three below the plot."""
    column_width = CONTENT_WIDTH / 3
    for index, series in enumerate(chart.series):
        row, column = divmod(index, 3)
        x = column * column_width + 8
        y = top - row * 11
        colour = SERIES_COLOURS.get(series.key, colors.black)
        if as_bars:
            drawing.add(Rect(x, y - 1, 14, 6, fillColor=colour, strokeColor=None))
        else:
            swatch = Line(x, y + 2, x + 18, y + 2, strokeColor=colour, strokeWidth=1.6)
            if series.key in SERIES_DASHES:
                swatch.strokeDashArray = SERIES_DASHES[series.key]
            drawing.add(swatch)
        drawing.add(String(x + 22, y, series.label, fontName=fonts.REGULAR, fontSize=7.5))


def _style_axis_labels(axis) -> None:
    axis.labels.fontName = fonts.REGULAR
    axis.labels.fontSize = 7
    axis.strokeColor = colors.HexColor("#555555")


def _daily_chart(chart: Chart) -> Drawing:
    """Draw hourly means as lines on a kW axis with the state of charge on a right-hand % axis."""
    legend_rows = (len(chart.series) + 2) // 3
    height = CHART_HEIGHT
    drawing = Drawing(CONTENT_WIDTH, height)
    plot_x, plot_width = 40, CONTENT_WIDTH - 85
    plot_y = 30 + legend_rows * 11
    plot_height = height - plot_y - 10
    hours = np.arange(24) + 0.5  # hourly means drawn at the middle of their hour

    left = [series for series in chart.series if series.axis == "left"]
    right = [series for series in chart.series if series.axis == "right"]
    peak = max((float(np.max(series.values)) for series in left), default=1.0)

    power = LinePlot()
    power.x, power.y, power.width, power.height = plot_x, plot_y, plot_width, plot_height
    power.data = [list(zip(hours, np.asarray(series.values, dtype=float))) for series in left]
    for index, series in enumerate(left):
        power.lines[index].strokeColor = SERIES_COLOURS.get(series.key, colors.black)
        power.lines[index].strokeWidth = 1.6
        if series.key in SERIES_DASHES:
            power.lines[index].strokeDashArray = SERIES_DASHES[series.key]
    power.xValueAxis.valueMin, power.xValueAxis.valueMax = 0, 24
    power.xValueAxis.valueSteps = list(range(0, 25, 3))
    power.xValueAxis.labelTextFormat = "%02d:00"
    power.yValueAxis.valueMin = 0
    power.yValueAxis.valueMax = _nice_maximum(peak)
    power.yValueAxis.visibleGrid = True
    power.yValueAxis.gridStrokeColor = GRID_COLOUR
    power.yValueAxis.labelTextFormat = _tick_format(power.yValueAxis.valueMax)
    _style_axis_labels(power.xValueAxis)
    _style_axis_labels(power.yValueAxis)
    drawing.add(power)

    if right:
        soc = LinePlot()
        soc.x, soc.y, soc.width, soc.height = plot_x, plot_y, plot_width, plot_height
        soc.data = [list(zip(hours, np.asarray(series.values, dtype=float))) for series in right]
        for index, series in enumerate(right):
            soc.lines[index].strokeColor = SERIES_COLOURS.get(series.key, colors.black)
            soc.lines[index].strokeWidth = 1.6
            if series.key in SERIES_DASHES:
                soc.lines[index].strokeDashArray = SERIES_DASHES[series.key]
        soc.xValueAxis.valueMin, soc.xValueAxis.valueMax = 0, 24
        soc.xValueAxis.visible = False
        low, high = chart.right_range or (0.0, 100.0)
        soc.yValueAxis.valueMin, soc.yValueAxis.valueMax = low, high
        soc.yValueAxis.valueStep = (high - low) / 5
        soc.yValueAxis.joinAxis = soc.xValueAxis
        soc.yValueAxis.joinAxisMode = "right"
        soc.yValueAxis.tickLeft, soc.yValueAxis.tickRight = 0, 4
        soc.yValueAxis.labels.textAnchor = "start"
        soc.yValueAxis.labels.dx = 12
        soc.yValueAxis.labelTextFormat = "%d"
        _style_axis_labels(soc.yValueAxis)
        drawing.add(soc)
        _axis_label(drawing, plot_x + plot_width + 34, plot_y + plot_height / 2,
                    chart.right_label, angle=90)

    _axis_label(drawing, 12, plot_y + plot_height / 2, chart.left_label, angle=90)
    _axis_label(drawing, plot_x + plot_width / 2, plot_y - 22, chart.x_label)
    _legend(drawing, chart, plot_y - 38, as_bars=False)
    return drawing


def _tick_format(axis_max: float) -> str:
    return "%.1f" if axis_max < 5 else "%d"


def _monthly_chart(chart: Chart) -> Drawing:
    """Draw monthly energy flows as grouped bars."""
    legend_rows = (len(chart.series) + 2) // 3
    height = CHART_HEIGHT
    drawing = Drawing(CONTENT_WIDTH, height)
    plot_x, plot_width = 48, CONTENT_WIDTH - 58
    plot_y = 30 + legend_rows * 11
    plot_height = height - plot_y - 10

    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = plot_x, plot_y, plot_width, plot_height
    bars.data = [list(np.asarray(series.values, dtype=float)) for series in chart.series]
    peak = max(float(np.max(series.values)) for series in chart.series)
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = _nice_maximum(peak)
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = GRID_COLOUR
    bars.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    bars.categoryAxis.categoryNames = chart.categories
    bars.groupSpacing = 4
    bars.barSpacing = 0
    bars.barWidth = 2
    for index, series in enumerate(chart.series):
        bars.bars[index].fillColor = SERIES_COLOURS.get(series.key, colors.black)
        bars.bars[index].strokeColor = None
    _style_axis_labels(bars.valueAxis)
    _style_axis_labels(bars.categoryAxis)
    drawing.add(bars)

    _axis_label(drawing, 10, plot_y + plot_height / 2, chart.left_label, angle=90)
    _axis_label(drawing, plot_x + plot_width / 2, plot_y - 22, chart.x_label)
    _legend(drawing, chart, plot_y - 38, as_bars=True)
    return drawing


def _chart(chart: Chart, styles: dict[str, ParagraphStyle]) -> Flowable:
    drawing = _daily_chart(chart) if chart.kind == "daily" else _monthly_chart(chart)
    # The renderer selects this font before drawing any shape; its default is Helvetica.
    drawing.initialFontName = fonts.REGULAR
    return KeepTogether([_paragraph(chart.title, styles["table_title"]), drawing,
                         Spacer(1, 8)])


def _diagram(diagram: Diagram) -> Drawing:
    """Draw plain diagram geometry as reportlab vector shapes."""
    drawing = Drawing(diagram.width, diagram.height)
    drawing.initialFontName = fonts.REGULAR
    for box in diagram.boxes:
        fill = DIAGRAM_FILLS.get(box.fill) if box.fill else None
        drawing.add(Rect(box.x, box.y, box.width, box.height, fillColor=fill,
                         strokeColor=colors.HexColor("#333333"), strokeWidth=box.line_width))
    for wire in diagram.wires:
        points = [coordinate for point in wire.points for coordinate in point]
        drawing.add(PolyLine(points, strokeColor=colors.black, strokeWidth=wire.width))
        if wire.arrow and len(wire.points) >= 2:
            drawing.add(_arrowhead(wire.points[-2], wire.points[-1]))
    for label in diagram.labels:
        font = fonts.BOLD if label.bold else fonts.REGULAR
        text = String(0, 0, label.text, fontName=font, fontSize=label.size,
                      textAnchor=label.anchor)
        group = Group(text)
        group.translate(label.x, label.y)
        if label.angle:
            group.rotate(label.angle)
        drawing.add(group)
    return drawing


def _arrowhead(start: tuple[float, float], end: tuple[float, float]) -> Polygon:
    (x0, y0), (x1, y1) = start, end
    length = max(np.hypot(x1 - x0, y1 - y0), 1e-9)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    size = 4.0
    left = (x1 - size * ux - size * 0.5 * uy, y1 - size * uy + size * 0.5 * ux)
    right = (x1 - size * ux + size * 0.5 * uy, y1 - size * uy - size * 0.5 * ux)
    return Polygon([x1, y1, *left, *right], fillColor=colors.black, strokeColor=None)


def _figure(figure: Figure, styles: dict[str, ParagraphStyle]) -> Flowable:
    flowables: list[Flowable] = [_paragraph(figure.title, styles["table_title"]),
                                 _diagram(figure.diagram)]
    if figure.note:
        flowables += [Spacer(1, 2), _paragraph(figure.note, styles["note"])]
    flowables.append(Spacer(1, 8))
    return KeepTogether(flowables)


def _text(block: Text, styles: dict[str, ParagraphStyle]) -> Flowable:
    if block.kind == "warning":
        return _paragraph(block.text, styles["warning"], bullet="•")
    return _paragraph(block.text, styles.get(block.kind, styles["body"]))


def _attach_headings(flowables: list[Flowable]) -> list[Flowable]:
    """Put each heading inside the KeepTogether group that follows it.

    reportlab's keepWithNext does not join a paragraph to a KeepTogether group,
    so without this a heading can end a page while its table starts the next.
    """
    result: list[Flowable] = []
    index = 0
    while index < len(flowables):
        flowable = flowables[index]
        following = flowables[index + 1] if index + 1 < len(flowables) else None
        is_heading = isinstance(flowable, Paragraph) and flowable.getKeepWithNext()
        if is_heading and isinstance(following, KeepTogether):
            result.append(KeepTogether([flowable] + list(following._content)))
            index += 2
            continue
        result.append(flowable)
        index += 1
    return result


def _section(section: Section, number: int, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    flowables: list[Flowable] = [
        _SectionHeading(f"{number} {section.title}", styles["section"], f"section{number}"),
    ]
    for block in section.blocks:
        if isinstance(block, Table):
            flowables.extend(_table(block, styles))
        elif isinstance(block, Chart):
            flowables.append(_chart(block, styles))
        elif isinstance(block, Figure):
            flowables.append(_figure(block, styles))
        else:
            flowables.append(_text(block, styles))
    return _attach_headings(flowables)


def _cover(report: Report, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows = [
        ("Customer", report.customer or "–"),
        ("Site", report.site_name or "–"),
        ("Location", report.site_location),
        ("Date", report.date),
        ("Author", report.author or "–"),
        ("Program", f"offgrid-configurator {report.program_version}"),
        ("Catalog", report.catalog_version),
    ]
    cover_table = Table(header=["Proposal", ""], rows=[list(row) for row in rows],
                        widths=[0.25, 0.75], numeric=[False, False])
    flowables: list[Flowable] = [
        Spacer(1, 40 * mm),
        _paragraph(report.title, styles["cover_title"]),
        _paragraph(report.project_name, styles["cover_subtitle"]),
    ]
    flowables.extend(_table(cover_table, styles))
    if report.notes:
        flowables.append(_paragraph(report.notes, styles["body"]))
    flowables.append(Spacer(1, 10 * mm))
    flowables.append(_paragraph(
        "Contents: " + "; ".join(f"{number} {section.title}" for number, section
                                 in enumerate(report.sections, start=1)) + ".",
        styles["note"]))
    flowables.append(_paragraph(
        "Figures come from an hourly simulation of a typical meteorological year and from "
        "catalog data with the sources listed under 'Assumptions and sources'. They are a "
        "planning estimate for review by the customer's electrical engineer, not a stamped "
        "design.", styles["note"]))
    flowables.append(PageBreak())
    return flowables


def build_flowables(report: Report) -> list[Flowable]:
    """Return the platypus flowables of the whole proposal, cover first."""
    fonts.register_fonts()
    styles = _styles()
    flowables = _cover(report, styles)
    for number, section in enumerate(report.sections, start=1):
        if number > 1:
            flowables.append(CondPageBreak(60 * mm))
        flowables.extend(_section(section, number, styles))
    return flowables


def write_report_pdf(report: Report, path: Path | str) -> Path:
    """Write ``report`` as an A4 PDF to ``path`` through a temporary file; return the path.

    Raises ConfiguratorError when the folder cannot be written.
    """
    path = Path(path)
    flowables = build_flowables(report)
    footer_text = f"{report.project_name} · {report.title}"
    try:
        handle, temp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp",
                                             dir=path.parent)
    except OSError as error:
        raise ConfiguratorError(
            f"Cannot write the PDF to {path}: {error.strerror}. Choose a folder you can write "
            "to.") from error
    os.close(handle)
    try:
        document = _ProposalDocument(temp_name, report)
        document.build(flowables, canvasmaker=lambda *args, **kwargs: _NumberedCanvas(
            *args, footer_text=footer_text, **kwargs))
        with open(temp_name, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise ConfiguratorError(
            f"Cannot write the PDF to {path}: {error.strerror or error}. Check the free disk "
            "space and that the file is not open in another program.") from error
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    logger.info("Wrote the PDF proposal of %s to %s", report.project_name, path)
    return path


def write_pdf(plan: Plan, path: Path | str) -> Path:
    """Write the PDF proposal of ``plan`` to ``path`` atomically; return the path."""
    return write_report_pdf(build_report(plan), path)
