"""The last resort: reminders as a "Due now" banner inside the main window.

Used when the desktop has neither a notification service nor a tray. The banner
carries the same actions as a desktop notification (Open, Done, Snooze ▾) and stays
until the user acts on it or dismisses it, so nothing due is ever silently lost.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from followthrough.ui import style
from followthrough.ui.notify.base import DEFAULT_ACTION, SNOOZE_ACTIONS, Notifier
from followthrough.ui.widgets import scaled_font

EMPTY_TEXT = "Nothing is due right now. Reminders show up here when they come due."
# The banner's tint: the "due today" ink, very lightly laid over the window colour.
TINT = 0.12


def _snooze_menu_label(label: str) -> str:
    """ "Snooze 15 min" reads as "15 min" under a "Snooze" button."""
    short = label.removeprefix("Snooze ").strip()
    return short[:1].upper() + short[1:] if short else label


class _DueItem(QWidget):
    """One reminder: what is due, and a button for each thing to do about it."""

    triggered = Signal(int, str)  # (handle, action key)
    dismiss_clicked = Signal(int)

    def __init__(self, handle: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.handle = handle
        self._actions: list[tuple[str, str]] | None = None
        self.buttons: dict[str, QPushButton] = {}
        self.snooze_button: QPushButton | None = None
        self.snooze_menu: QMenu | None = None
        self._action_buttons: list[QPushButton] = []

        self.title_label = QLabel()
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        self.title_label.setFont(scaled_font(self.font(), 1.0, QFont.Weight.DemiBold))
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body_label = QLabel()
        self.body_label.setTextFormat(Qt.TextFormat.PlainText)
        self.body_label.setWordWrap(True)
        self.body_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.title_label, self.body_label):
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(self.fontMetrics().height() // 6)
        text.addWidget(self.title_label)
        text.addWidget(self.body_label)

        self._button_row = QHBoxLayout()
        self._button_row.setContentsMargins(0, 0, 0, 0)
        self._button_row.setSpacing(self.fontMetrics().averageCharWidth())
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setFlat(True)  # the quiet way out, beside the real actions
        self.dismiss_button.setToolTip("Hide this reminder without doing anything about it")
        self.dismiss_button.clicked.connect(lambda: self.dismiss_clicked.emit(self.handle))
        self._button_row.addWidget(self.dismiss_button)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(self.fontMetrics().averageCharWidth() * 3)
        row.addLayout(text, 1)
        row.addLayout(self._button_row, 0)
        row.setAlignment(self._button_row, Qt.AlignmentFlag.AlignTop)

    def set_content(self, title: str, body: str, actions: list[tuple[str, str]]) -> None:
        self.title_label.setText(title)
        self.body_label.setText(body)
        self.body_label.setVisible(bool(body))
        self.setAccessibleName(title)
        self.setAccessibleDescription(body)
        if actions != self._actions:
            self._actions = list(actions)
            self._rebuild_buttons(actions)
        self._name_buttons(title)

    def _rebuild_buttons(self, actions: list[tuple[str, str]]) -> None:
        for old in self._action_buttons:
            self._button_row.removeWidget(old)
            old.deleteLater()
        self.buttons = {}
        self.snooze_button = None
        self.snooze_menu = None
        made: list[QPushButton] = []
        for key, label in actions:
            if key == DEFAULT_ACTION:
                continue  # a click on a desktop bubble; here the Open button does it
            if key not in SNOOZE_ACTIONS:
                button = QPushButton(label)
                button.clicked.connect(lambda _=False, k=key: self.triggered.emit(self.handle, k))
                self.buttons[key] = button
                made.append(button)
                continue
            if self.snooze_menu is None:
                self.snooze_button = QPushButton("Snooze")
                self.snooze_button.setToolTip("Remind me again later")
                self.snooze_menu = QMenu(self.snooze_button)
                self.snooze_button.setMenu(self.snooze_menu)
                made.append(self.snooze_button)
            action = QAction(_snooze_menu_label(label), self.snooze_menu)
            action.triggered.connect(lambda _=False, k=key: self.triggered.emit(self.handle, k))
            self.snooze_menu.addAction(action)
        self._action_buttons = made
        ordered = [*made, self.dismiss_button]
        for position, button in enumerate(made):
            self._button_row.insertWidget(position, button)
            # Now rather than on the next event-loop turn, so Tab reaches it at once.
            button.show()
        for first, second in pairwise(ordered):
            QWidget.setTabOrder(first, second)

    def first_button(self) -> QPushButton:
        return self._action_buttons[0] if self._action_buttons else self.dismiss_button

    def _name_buttons(self, title: str) -> None:
        # Several items may each have an "Open": say which one to a screen reader.
        for button in [*self._action_buttons, self.dismiss_button]:
            button.setAccessibleName(f"{button.text()}: {title}")

    def restyle(self, palette: QPalette) -> None:
        body_palette = self.body_label.palette()
        body_palette.setColor(QPalette.ColorRole.WindowText, style.muted_color(palette))
        self.body_label.setPalette(body_palette)


class DueNowPanel(QWidget):
    """A banner listing what is due now, with Open / Done / Snooze ▾ / Dismiss for each.

    It hides itself while there is nothing to show, so the lead can place it at the
    top of the window and forget about it.
    """

    action_invoked = Signal(int, str)  # (handle, action key)
    dismissed = Signal(int)  # (handle)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Due now")
        self._items: dict[int, _DueItem] = {}

        metrics = self.fontMetrics()
        self.heading = QLabel("Due now")
        self.heading.setFont(scaled_font(self.font(), 1.1, QFont.Weight.DemiBold))
        self.heading.setAccessibleName("Due now")
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName(EMPTY_TEXT)

        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(metrics.height())

        outer = QVBoxLayout(self)
        pad = metrics.height() * 3 // 4
        outer.setContentsMargins(pad + metrics.averageCharWidth(), pad, pad, pad)
        outer.setSpacing(metrics.height() // 2)
        outer.addWidget(self.heading)
        outer.addWidget(self.empty_label)
        outer.addLayout(self._list)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._restyle()
        self._update_state()

    # --- content ------------------------------------------------------------------

    def set_item(self, handle: int, title: str, body: str, actions: list[tuple[str, str]]) -> None:
        """Add the reminder ``handle``, or update it in place if it is already here."""
        item = self._items.get(handle)
        if item is None:
            item = _DueItem(handle, self)
            item.triggered.connect(self.action_invoked)
            item.dismiss_clicked.connect(self.dismissed)
            item.restyle(self.palette())
            self._items[handle] = item
            self._list.addWidget(item)
            item.show()  # now, not on the next event-loop turn: Tab can reach it at once
        item.set_content(title, body, actions)
        self._update_state()

    def remove_item(self, handle: int) -> bool:
        item = self._items.pop(handle, None)
        if item is None:
            return False
        focus = QApplication.focusWidget()
        had_focus = focus is not None and item.isAncestorOf(focus)
        self._list.removeWidget(item)
        item.hide()
        item.deleteLater()
        self._update_state()
        if had_focus and self._items:
            # Keep the keyboard in the banner: on to the next reminder's first button.
            next(iter(self._items.values())).first_button().setFocus()
        return True

    def handles(self) -> list[int]:
        return list(self._items)

    def item(self, handle: int) -> _DueItem | None:
        return self._items.get(handle)

    def _update_state(self) -> None:
        count = len(self._items)
        self.heading.setText("Due now" if count < 2 else f"Due now · {count} reminders")
        self.empty_label.setVisible(count == 0)
        self.setVisible(count > 0)

    # --- look ---------------------------------------------------------------------

    def _restyle(self) -> None:
        palette = self.palette()
        heading = self.heading.palette()
        heading.setColor(QPalette.ColorRole.WindowText, style.due_today_color(palette))
        self.heading.setPalette(heading)
        empty = self.empty_label.palette()
        empty.setColor(QPalette.ColorRole.WindowText, style.muted_color(palette))
        self.empty_label.setPalette(empty)
        for item in self._items.values():
            item.restyle(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        restyle = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange)
        if restyle and hasattr(self, "heading"):  # not while the constructor runs
            self._restyle()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        accent = style.due_today_color(palette)
        fill = style.blend(palette.color(QPalette.ColorRole.Window), accent, TINT)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = self.fontMetrics().height() / 3
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        border = QColor(accent)
        border.setAlphaF(0.55)
        painter.setPen(QPen(border, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        # An accent bar down the left edge, so the banner reads as "needs you".
        bar = QRectF(rect)
        bar.setWidth(max(3.0, self.fontMetrics().averageCharWidth() / 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(bar, radius / 2, radius / 2)
        # A hairline between reminders.
        painter.setPen(QPen(style.rule_color(accent), 1))
        items = [item for item in self._items.values() if item.isVisible()]
        for above, below in pairwise(items):
            y = (above.geometry().bottom() + below.geometry().top() + 1) / 2
            painter.drawLine(QPointF(above.x(), y), QPointF(above.geometry().right(), y))
        painter.end()


class WindowNotifier(Notifier):
    """Shows reminders in a ``DueNowPanel``; the lead places ``panel`` in the main window."""

    kind = "window"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel = DueNowPanel(parent if isinstance(parent, QWidget) else None)
        self.panel.action_invoked.connect(self._on_action)
        self.panel.dismissed.connect(self.close)
        self._last_handle = 0
        self._shows = 0  # how many times show() ran, to see if an action's answer did

    def show(self, title: str, body: str, actions: list[tuple[str, str]], replaces: int = 0) -> int:
        if replaces and replaces in self.panel.handles():
            handle = replaces
        else:
            self._last_handle += 1
            handle = self._last_handle
        self._shows += 1
        self.panel.set_item(handle, title, body, actions)
        window = self.panel.window()
        if window is not self.panel:
            # Flash the taskbar entry: without a tray, this is the only nudge there is.
            QApplication.alert(window)
        return handle

    def close(self, handle: int) -> None:
        if self.panel.remove_item(handle):
            self.closed.emit(handle)

    def shutdown(self) -> None:
        pass

    def _on_action(self, handle: int, key: str) -> None:
        # Like a desktop notification, the reminder goes away once acted on, unless
        # the answer to the action replaced it ("Kept: … Log the contact?").
        shows = self._shows
        self.action_invoked.emit(handle, key)
        if self._shows == shows:
            self.close(handle)
