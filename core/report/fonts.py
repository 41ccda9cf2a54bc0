"""Unicode fonts of the PDF: DejaVu Sans for text, Droid Sans Fallback for CJK.

reportlab draws each run of text in one font and has no glyph fallback, so a
character that DejaVu Sans lacks (Chinese, Japanese and Korean ideographs and
kana) would print as an empty box. :func:`markup_with_fallback` splits text into
runs and wraps the characters DejaVu lacks in a ``<font>`` tag for Droid Sans
Fallback, which reportlab's Paragraph understands.

The font files and their licence texts live in ``resources.FONTS_DIR``.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterator
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from core.errors import ConfiguratorError
from resources import FONTS_DIR

logger = logging.getLogger(__name__)

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"

FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the three TrueType fonts with reportlab once per process.

    Raises ConfiguratorError naming the file when a font is missing or cannot be parsed.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, file_name in FONT_FILES.items():
            path = FONTS_DIR / file_name
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (OSError, TTFError) as error:
                raise ConfiguratorError(
                    f"Cannot load the report font {path}: {error}. Reinstall the application "
                    "so that resources/fonts contains the shipped font files.") from error
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
        # Droid Sans Fallback has no bold face; bold CJK text uses the regular face.
        pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=FALLBACK, italic=FALLBACK,
                                      boldItalic=FALLBACK)
        _registered = True
        logger.debug("Registered report fonts from %s", FONTS_DIR)


def has_glyph(font_name: str, char: str) -> bool:
    """Return True when the registered TrueType font ``font_name`` maps ``char`` to a glyph."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return ord(char) in font.face.charToGlyph


# --- right-to-left text -----------------------------------------------------
#
# reportlab shapes Arabic and reorders right-to-left text only when the
# optional uharfbuzz and rlbidi packages are installed. Without them it draws
# Arabic letters unjoined and left to right, so a site name would print
# backwards. The two functions below cover names and short phrases: they pick
# the Arabic presentation forms (which DejaVu Sans has) from the letters'
# neighbours and reverse each right-to-left run for drawing.
# NOTE: this is no full Unicode bidirectional algorithm. Digits inside Arabic
# text stay left to right, and right-to-left text that wraps onto a second line
# keeps its words in drawing order, so its lines read bottom-up.

ARABIC_LAM = "\u0644"
ARABIC_TATWEEL = "\u0640"


def _presentation_forms() -> dict[tuple[str, str], str]:
    """Map (letters, form) to the Arabic presentation form, from the Unicode decompositions."""
    forms: dict[tuple[str, str], str] = {}
    for code in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        decomposition = unicodedata.decomposition(chr(code)).split()
        if len(decomposition) < 2 or decomposition[0] not in (
                "<isolated>", "<final>", "<initial>", "<medial>"):
            continue
        letters = "".join(chr(int(part, 16)) for part in decomposition[1:])
        forms.setdefault((letters, decomposition[0].strip("<>")), chr(code))
    return forms


_FORMS = _presentation_forms()


def _joins_next(char: str) -> bool:
    """Return True for dual-joining letters, which connect to the letter after them."""
    return char == ARABIC_TATWEEL or (char, "medial") in _FORMS


def _joins_previous(char: str) -> bool:
    return char == ARABIC_TATWEEL or (char, "final") in _FORMS


def shape_arabic(text: str) -> str:
    """Replace Arabic letters by their isolated, initial, medial or final presentation forms."""
    if not any("\u0600" <= char <= "\u06ff" for char in text):
        return text
    letters = list(text)
    output: list[str] = []
    index = 0
    while index < len(letters):
        char = letters[index]
        if not _joins_previous(char) and not _joins_next(char):
            output.append(char)
            index += 1
            continue
        previous = _neighbour(letters, index, -1)
        joined_before = previous is not None and _joins_next(previous)
        following = _neighbour(letters, index, +1)
        if char == ARABIC_LAM and following in ("\u0622", "\u0623", "\u0625", "\u0627") \
                and letters[index + 1] == following:
            ligature = _FORMS.get((char + following, "final" if joined_before else "isolated"))
            if ligature:
                output.append(ligature)
                index += 2
                continue
        joined_after = _joins_next(char) and following is not None and _joins_previous(following)
        form = {(True, True): "medial", (True, False): "final",
                (False, True): "initial", (False, False): "isolated"}[(joined_before, joined_after)]
        output.append(_FORMS.get((char, form), char))
        index += 1
    return "".join(output)


def _neighbour(letters: list[str], index: int, step: int) -> str | None:
    """Return the nearest letter before or after ``index``, skipping combining marks."""
    index += step
    while 0 <= index < len(letters):
        if unicodedata.category(letters[index]) != "Mn":
            return letters[index]
        index += step
    return None


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def visual_order(text: str) -> str:
    """Reverse each right-to-left run, with its inner spaces and marks, for drawing left to right."""
    if not any(_is_rtl(char) for char in text):
        return text
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.category(char) == "Mn":
            clusters[-1] += char  # a mark stays after its base letter
        else:
            clusters.append(char)
    output: list[str] = []
    run: list[str] = []
    pending_spaces: list[str] = []
    for cluster in clusters:
        if _is_rtl(cluster[0]):
            run.extend(pending_spaces)
            pending_spaces = []
            run.append(cluster)
        elif run and cluster.isspace():
            pending_spaces.append(cluster)
        else:
            output.extend(reversed(run))
            output.extend(pending_spaces)
            run, pending_spaces = [], []
            output.append(cluster)
    output.extend(reversed(run))
    output.extend(pending_spaces)
    return "".join(output)


def split_runs(text: str, font_name: str = REGULAR) -> Iterator[tuple[str, str]]:
    """Split ``text`` into (font name, run) pairs, switching to the fallback for missing glyphs.

    Arabic is shaped and right-to-left runs are put in drawing order first.
    Whitespace and characters that neither font has stay in ``font_name``, so
    a space between two ideographs does not break the run's font needlessly
    and an unknown character prints as the primary font's empty box.
    """
    register_fonts()
    text = visual_order(shape_arabic(text))
    current_font = font_name
    run: list[str] = []
    for char in text:
        if char.isspace() or has_glyph(font_name, char):
            char_font = font_name if not char.isspace() else current_font
        elif has_glyph(FALLBACK, char):
            char_font = FALLBACK
        else:
            logger.debug("No report font has a glyph for U+%04X", ord(char))
            char_font = font_name
        if char_font != current_font and run:
            yield current_font, "".join(run)
            run = []
        current_font = char_font
        run.append(char)
    if run:
        yield current_font, "".join(run)


def markup_with_fallback(text: str, font_name: str = REGULAR) -> str:
    """Escape ``text`` for a reportlab Paragraph and wrap fallback runs in ``<font>`` tags."""
    parts = []
    for run_font, run in split_runs(text, font_name):
        escaped = escape(run)
        if run_font == font_name:
            parts.append(escaped)
        else:
            parts.append(f'<font name="{run_font}">{escaped}</font>')
    return "".join(parts)


def draw_string_with_fallback(canvas, x: float, y: float, text: str, font_name: str,
                              size: float, align: str = "left") -> None:
    """Draw one line of ``text`` on a reportlab canvas, changing font for fallback runs.

    ``align`` is "left", "right" or "centre" relative to ``x``; used for the page footer.
    """
    runs = list(split_runs(text, font_name))
    width = sum(pdfmetrics.stringWidth(run, run_font, size) for run_font, run in runs)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for run_font, run in runs:
        canvas.setFont(run_font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, run_font, size)
