"""The follow-up list as a PDF file, with or without a display (the command line's way).

Needs only QtGui: with no application running, a QGuiApplication is made on the
offscreen platform, so `followthrough print` works over SSH and from cron.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale
from PySide6.QtGui import QGuiApplication, QPdfWriter

from followthrough.core.followup import FollowUpList
from followthrough.exchange.followup_html import DEFAULT_TITLE
from followthrough.exchange.private_files import write_private_file
from followthrough.ui.print_render import APP_NAME, configure_page, render_followup

# Dots per inch the PDF is laid out at: fine enough for exact text placement.
PDF_RESOLUTION = 300
# Where US Letter is the everyday paper (the Americas that follow the US, and the Philippines).
LETTER_TERRITORIES = frozenset(
    {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
        QLocale.Country.Venezuela,
        QLocale.Country.Philippines,
        QLocale.Country.PuertoRico,
        QLocale.Country.Guatemala,
        QLocale.Country.CostaRica,
        QLocale.Country.Panama,
        QLocale.Country.DominicanRepublic,
        QLocale.Country.ElSalvador,
        QLocale.Country.Nicaragua,
        QLocale.Country.Honduras,
    }
)

_offscreen_app: QGuiApplication | None = None


def default_paper(locale: QLocale | None = None) -> str:
    """ "letter" where the locale's people buy Letter paper, else "a4"."""
    locale = locale or QLocale.system()
    if locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return "letter"
    return "letter" if locale.territory() in LETTER_TERRITORIES else "a4"


def ensure_gui_application() -> None:
    """A QGuiApplication for fonts and painting; offscreen unless one already runs."""
    global _offscreen_app  # noqa: PLW0603 -- one per process, kept alive for Qt
    if QGuiApplication.instance() is not None:
        return
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _offscreen_app = QGuiApplication([APP_NAME.lower()])


def render_pdf_bytes(
    followup: FollowUpList, *, business_name: str, paper: str
) -> tuple[bytes, int]:
    """The PDF's bytes and its page count."""
    ensure_gui_application()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(f"{DEFAULT_TITLE}, {followup.today.isoformat()}")
    writer.setCreator(APP_NAME)
    configure_page(writer, paper)
    pages = render_followup(writer, followup, business_name=business_name)
    # The writer finishes the file when its painter ends; the buffer then holds it all.
    del writer
    buffer.close()
    return bytes(data.data()), pages


def write_followup_pdf(
    target: Path, followup: FollowUpList, *, business_name: str, paper: str | None
) -> int:
    """Write the list to ``target`` (0600, replaced whole or not at all); return the pages."""
    data, pages = render_pdf_bytes(
        followup, business_name=business_name, paper=paper or default_paper()
    )
    write_private_file(target, data)
    return pages
