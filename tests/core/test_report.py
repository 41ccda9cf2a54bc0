"""The PDF proposal of the Sand Point example, read back with pypdf.

The plan comes from the session fixture in conftest.py (a real catalog SQLite
file and the TMY3 weather file that pvlib ships), so it is built once.
"""

import dataclasses
import unicodedata

import pytest
from pypdf import PdfReader

from core.errors import ConfiguratorError
from core.report import fonts
from core.report.model import (
    ENERGY,
    QUOTE_NEEDED,
    SECTION_TITLES,
    build_report,
    fmt,
    fmt_fuel,
    fmt_heat,
    fmt_pct,
    fmt_sig,
    headline_values,
)
from core.report.pdf import write_pdf

JAPANESE_CUSTOMER = "東京電力ホールディングス株式会社"
CYRILLIC_SITE = "Новосибирск"
ARABIC_SITE = "الرياض"


@pytest.fixture(scope="module")
def pdf_path(sand_point_plan, tmp_path_factory):
    return write_pdf(sand_point_plan, tmp_path_factory.mktemp("report") / "sand_point.pdf")


@pytest.fixture(scope="module")
def reader(pdf_path):
    return PdfReader(pdf_path)


def _extract_text(reader):
    """Return the document's text with each run of whitespace made one space.

    NFKC turns Arabic presentation forms, which the PDF draws, back into letters.
    """
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def pdf_text(reader):
    return _extract_text(reader)


@pytest.fixture(scope="module")
def international_reader(sand_point_plan, tmp_path_factory):
    """A copy of the plan with customer and site names in Japanese, Cyrillic and Arabic."""
    project = sand_point_plan.project
    info = dataclasses.replace(project.info, customer=JAPANESE_CUSTOMER)
    site = dataclasses.replace(project.site, name=f"{CYRILLIC_SITE} / {ARABIC_SITE}")
    plan = dataclasses.replace(sand_point_plan,
                               project=dataclasses.replace(project, info=info, site=site))
    path = write_pdf(plan, tmp_path_factory.mktemp("report") / "international.pdf")
    return PdfReader(path)


def _fonts_on_page(page):
    resources = page["/Resources"]
    if "/Font" not in resources:
        return {}
    return {str(font.get_object()["/BaseFont"]): font.get_object()
            for font in resources["/Font"].values()}


def test_every_section_heading_present(pdf_text):
    for number, title in enumerate(SECTION_TITLES, start=1):
        assert f"{number} {title}" in pdf_text


def test_headline_figures_appear_formatted(sand_point_plan, pdf_text):
    values = headline_values(sand_point_plan)
    assert set(values) == set(sand_point_plan.headline())
    for key, text in values.items():
        assert text in pdf_text, key


def test_headline_numbers_match_plan(sand_point_plan, pdf_text):
    # Formatted here by hand, not by the report module, so a formatting slip shows.
    head = sand_point_plan.headline()
    assert f"{head['pv_kwp']:.2f} kWp" in pdf_text
    assert f"{head['peak_load_kw']:.2f} kW" in pdf_text
    assert f"{head['battery_nominal_kwh']:.1f} kWh" in pdf_text
    assert f"{head['annual_fuel_l']:,.0f} L" in pdf_text
    assert f"{head['annual_fuel_l'] / 3.78541:,.0f} US gal" in pdf_text


def test_footer_has_project_and_page_count(reader):
    page_count = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {page_count}" in text, number
        assert "Sand Point community AI node" in text


def test_cover_names_program_and_catalog(sand_point_plan, reader):
    cover = reader.pages[0].extract_text()
    assert "City of Sand Point" in cover
    assert "Sand Point, Alaska" in cover
    assert f"offgrid-configurator {sand_point_plan.program_version}" in cover
    assert "Catalog" in cover


def test_bill_of_materials_marks_unpriced_lines(sand_point_plan, pdf_text):
    unpriced = len(sand_point_plan.bom.unpriced_lines)
    assert unpriced > 0  # the racks have no catalog price
    assert QUOTE_NEEDED in pdf_text
    assert f"excludes {unpriced} line(s) marked '{QUOTE_NEEDED}'" in pdf_text
    assert fmt(sand_point_plan.bom.total) in pdf_text


def test_rack_heat_in_watts_and_btu(sand_point_plan, pdf_text):
    rack = sand_point_plan.rack_plan.racks[0]
    assert fmt_heat(rack.peak_w) in pdf_text


def test_international_names_come_back(international_reader):
    text = _extract_text(international_reader)
    assert JAPANESE_CUSTOMER in text
    assert CYRILLIC_SITE in text
    # pypdf reads right-to-left runs back into logical order, so a name drawn
    # unshaped or left to right would come back reversed.
    assert ARABIC_SITE in text


def test_fonts_are_embedded(international_reader):
    embedded = {}
    for page in international_reader.pages:
        embedded.update(_fonts_on_page(page))
    base_names = {name.split("+")[-1] for name in embedded}
    assert {fonts.REGULAR, fonts.BOLD, fonts.FALLBACK} <= base_names
    for name, font in embedded.items():
        assert "/FontDescriptor" in font, name
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name


def test_no_standard_fonts_used(reader):
    for page in reader.pages:
        for name in _fonts_on_page(page):
            assert "Helvetica" not in name


def test_energy_pages_hold_vector_charts(reader):
    chart_pages = [page for page in reader.pages if "Average day in" in page.extract_text()]
    assert chart_pages
    for page in chart_pages:
        text = page.extract_text()
        assert "Power [kW]" in text
        assert "State of charge [%]" in text
        resources = page["/Resources"]
        xobjects = resources.get("/XObject", {})
        for xobject in xobjects.values():
            assert xobject.get_object().get("/Subtype") != "/Image"


def test_energy_section_has_three_charts(sand_point_plan):
    report = build_report(sand_point_plan)
    charts = report.section(ENERGY).charts
    assert [chart.kind for chart in charts] == ["daily", "daily", "monthly"]
    for chart in charts:
        for series in chart.series:
            assert len(series.values) == len(chart.categories)


def test_monthly_table_sums_to_simulation(sand_point_plan):
    report = build_report(sand_point_plan)
    table = next(table for table in report.section(ENERGY).tables
                 if table.title.startswith("Monthly energy balance"))
    year_row = table.rows[-1]
    assert year_row[0] == "Year"
    assert year_row[1] == fmt(sand_point_plan.simulation.pv_energy_kwh)


def test_table_rows_match_headers(sand_point_plan):
    report = build_report(sand_point_plan)
    for section in report.sections:
        for table in section.tables:
            assert len(table.widths) == len(table.header), table.title
            assert len(table.numeric) == len(table.header), table.title
            for row in table.rows:
                assert len(row) == len(table.header), table.title


def test_write_replaces_existing_file(sand_point_plan, tmp_path):
    target = tmp_path / "proposal.pdf"
    target.write_bytes(b"old")
    write_pdf(sand_point_plan, target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert [path.name for path in tmp_path.iterdir()] == ["proposal.pdf"]


def test_write_to_missing_folder_raises(sand_point_plan, tmp_path):
    with pytest.raises(ConfiguratorError, match="Cannot write the PDF"):
        write_pdf(sand_point_plan, tmp_path / "missing" / "proposal.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value, expected", [
    (0.004, "0.004"), (3.36, "3.36"), (50.0, "50"), (200.0, "200"), (2000.0, "2,000"),
])
def test_fmt_sig(value, expected):
    assert fmt_sig(value) == expected


def test_fmt_drops_negative_zero():
    assert fmt(-0.0) == "0"
    assert fmt(-0.04, 1) == "0.0"
    assert fmt(-1.5, 1) == "-1.5"


def test_unit_formats():
    assert fmt_heat(1000) == "1,000 W (3,412 BTU/h)"
    assert fmt_fuel(378.541) == "379 L (100 US gal)"
    assert fmt_pct(0.923) == "92 %"


def test_arabic_shaped_and_reversed_for_drawing():
    drawn = fonts.visual_order(fonts.shape_arabic(ARABIC_SITE))
    # Alef isolated, lam initial, reh final, yeh initial, alef final, dad isolated.
    logical_forms = "\ufe8d\ufedf\ufeae\ufef3\ufe8e\ufebd"
    assert drawn == logical_forms[::-1]
    assert all(fonts.has_glyph(fonts.REGULAR, char) for char in drawn)


def test_lam_alef_becomes_ligature():
    assert fonts.shape_arabic("\u0644\u0627") == "\ufefb"


def test_split_runs_switches_to_fallback():
    runs = list(fonts.split_runs("Tokyo 東京 office"))
    assert runs == [(fonts.REGULAR, "Tokyo "), (fonts.FALLBACK, "東京 "),
                    (fonts.REGULAR, "office")]


def test_markup_escapes_user_text():
    markup = fonts.markup_with_fallback("A&B <Site> 東")
    assert markup == f'A&amp;B &lt;Site&gt; <font name="{fonts.FALLBACK}">東</font>'


def test_drawing_pages_are_vector_with_labels(sand_point_plan, reader):
    pages = [page for page in reader.pages if "Single-line diagram" in page.extract_text()
             or "elevation, front view" in page.extract_text()]
    assert pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    pv = sand_point_plan.pv_array
    for label in ("PV array", "MPPT charge controllers", "Battery bank", "Inverter/chargers",
                  "Generator", "AC distribution", "Feed A", "Feed B", "C1 PV string runs",
                  f"{pv.strings} strings x {pv.modules_per_string} modules", "DC busbar"):
        assert label in text, label
    for server in sand_point_plan.rack_plan.racks[0].servers:
        assert server.name in text
    for page in pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for xobject in xobjects.values():
            assert xobject.get_object().get("/Subtype") != "/Image"


def test_cable_table_in_report(sand_point_plan):
    report = build_report(sand_point_plan)
    table = next(table for section in report.sections for table in section.tables
                 if table.title == "DC cables, copper")
    assert [row[0] for row in table.rows] == ["C1 PV string", "C2 Controller to battery",
                                              "C3 Battery to inverter"]
    run = sand_point_plan.cables.pv_string
    assert table.rows[0][4] == f"{run.size_mm2:g} mm² ({run.awg})"


def test_imperial_report_shows_feet_and_fahrenheit(sand_point_plan):
    project = sand_point_plan.project
    info = dataclasses.replace(project.info, units="imperial")
    plan = dataclasses.replace(sand_point_plan, project=dataclasses.replace(project, info=info))
    report = build_report(plan)
    cover_and_tables = report.site_location + " ".join(
        cell for section in report.sections for table in section.tables
        for row in table.rows for cell in row)
    assert "ft (7 m)" in report.site_location
    assert "°F (" in cover_and_tables
    assert "98 ft (30 m)" in cover_and_tables
    assert "AWG (" in cover_and_tables


def test_unknown_unit_system_rejected(sand_point_plan):
    project = sand_point_plan.project
    info = dataclasses.replace(project.info, units="furlongs")
    plan = dataclasses.replace(sand_point_plan, project=dataclasses.replace(project, info=info))
    with pytest.raises(ConfiguratorError, match="units"):
        build_report(plan)


def test_vision_sizing_names_its_binding_limit(sand_point_plan, pdf_text):
    # The video pipeline is sized by compute and by NVDEC decode capacity;
    # the proposal names which of the two set the accelerator count.
    video = sand_point_plan.choices[1].chosen.sizing
    assert "Sets the accelerator count" in pdf_text
    assert "Video decode [1080p30 streams]" in pdf_text
    assert video.binding_limit in ("compute", "video decode")
