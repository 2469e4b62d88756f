"""The shared colours stay readable (WCAG AA, 4.5:1) on light and dark palettes alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from followthrough.ui import style
from tests.palettes import dark_palette, light_palette

pytestmark = pytest.mark.qt

AA_TEXT = 4.5


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque sRGB colour."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    assert colour.alphaF() == 1.0, "contrast is only defined here for opaque colours"
    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


PALETTES: dict[str, Callable[[], QPalette]] = {"light": light_palette, "dark": dark_palette}
READABLE: dict[str, Callable[[QPalette], QColor]] = {
    "muted": style.muted_color,
    "overdue": style.overdue_color,
    "due today": style.due_today_color,
    "kept": style.kept_color,
}


@pytest.fixture(params=sorted(PALETTES))
def palette(request: pytest.FixtureRequest, qapp: QApplication) -> QPalette:
    made = PALETTES[request.param]()
    # The palettes really are what their names say, so both branches of each colour run.
    assert style.is_dark(made) == (request.param == "dark")
    return made


def test_the_contrast_formula_matches_the_wcag_reference_points() -> None:
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)
    assert contrast(QColor("#777777"), QColor("white")) < AA_TEXT


@pytest.mark.parametrize("name", sorted(READABLE))
@pytest.mark.parametrize("background", ["Base", "Window"])
def test_text_colours_reach_aa_contrast(palette: QPalette, name: str, background: str) -> None:
    colour = READABLE[name](palette)
    behind = palette.color(getattr(QPalette.ColorRole, background))
    ratio = contrast(colour, behind)
    assert ratio >= AA_TEXT, f"{name} {colour.name()} on {behind.name()}: {ratio:.2f}:1"


def test_muted_is_readable_where_the_palettes_disabled_text_is_not(palette: QPalette) -> None:
    base = palette.color(QPalette.ColorRole.Base)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert contrast(disabled, base) < AA_TEXT
    assert style.muted_color(palette) != disabled
    assert contrast(style.muted_color(palette), base) >= AA_TEXT


def test_the_quiet_inks_step_down_from_text_in_order(palette: QPalette) -> None:
    base = palette.color(QPalette.ColorRole.Base)
    text = contrast(palette.color(QPalette.ColorRole.Text), base)
    muted = contrast(style.muted_color(palette), base)
    faint = contrast(style.faint_color(palette), base)
    assert text > muted > faint > 1.5  # faint is out of focus, not invisible


def test_text_stays_readable_on_the_tint(palette: QPalette) -> None:
    tint = style.tint_color(palette)
    base = palette.color(QPalette.ColorRole.Base)
    assert 1.0 < contrast(tint, base) < 1.5  # a tint, not a block of colour
    assert contrast(palette.color(QPalette.ColorRole.Text), tint) >= AA_TEXT


def test_colours_follow_the_application_palette_when_none_is_given(qapp: QApplication) -> None:
    before = qapp.palette()
    try:
        qapp.setPalette(dark_palette())
        assert style.muted_color() == style.muted_color(dark_palette())
        assert style.overdue_color() == style.overdue_color(dark_palette())
    finally:
        qapp.setPalette(before)
