"""The text cursor rests after a while without input, so an idle window costs no wake-ups."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from followthrough.ui.blink_rest import REST_MS, CursorBlinkRest

pytestmark = pytest.mark.qt


@pytest.fixture
def rest(qapp: QApplication) -> Iterator[CursorBlinkRest]:
    hints = qapp.styleHints()
    original = hints.cursorFlashTime()
    hints.setCursorFlashTime(1000)
    watcher = CursorBlinkRest(qapp)
    yield watcher
    watcher.timer.stop()
    # Deleted now, not later: its connection to the application goes with it.
    shiboken6.delete(watcher)
    hints.setCursorFlashTime(original)


def _focused_field(qtbot: QtBot) -> QLineEdit:
    field = QLineEdit()
    qtbot.addWidget(field)
    with qtbot.waitExposed(field):
        field.show()
    field.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    return field


def test_the_cursor_blinks_while_typing_and_rests_after_a_pause(
    qtbot: QtBot, qapp: QApplication, rest: CursorBlinkRest
) -> None:
    field = _focused_field(qtbot)
    assert rest.timer.isActive()
    assert rest.timer.interval() == REST_MS
    assert qapp.styleHints().cursorFlashTime() == 1000

    with qtbot.waitSignal(rest.rested, timeout=1000):
        rest.timer.timeout.emit()  # the pause, without waiting ten seconds for it
    assert rest.resting
    assert qapp.styleHints().cursorFlashTime() == 0

    qtbot.keyClick(field, Qt.Key.Key_A)
    assert field.text() == "a"
    assert not rest.resting
    assert qapp.styleHints().cursorFlashTime() == 1000
    assert rest.timer.isActive()


def test_a_click_in_the_field_wakes_the_cursor_too(
    qtbot: QtBot, qapp: QApplication, rest: CursorBlinkRest
) -> None:
    field = _focused_field(qtbot)
    rest.timer.timeout.emit()
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    assert qapp.styleHints().cursorFlashTime() == 1000


def test_a_desktop_that_never_blinks_is_left_alone(qapp: QApplication) -> None:
    hints = qapp.styleHints()
    original = hints.cursorFlashTime()
    hints.setCursorFlashTime(0)
    try:
        watcher = CursorBlinkRest(qapp)
        watcher.wake()
        assert not watcher.resting
        assert hints.cursorFlashTime() == 0
        watcher.deleteLater()
    finally:
        hints.setCursorFlashTime(original)
