"""The tray icon: a badge with what is due, a tooltip that says it, and a menu to act on it.

Every item of the menu only emits a signal; the shell decides what it means. The menu,
the tooltip and the badge are built whether or not the desktop has a tray (so they can
be tested anywhere); the icon is only shown where a tray exists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from followthrough.core.followup import FollowUpItem
from followthrough.core.pause import pause_choices, paused_until
from followthrough.core.reminders import snooze_choices
from followthrough.core.tray_summary import (
    TraySummary,
    paused_text,
    tray_summary,
    when_due,
)
from followthrough.ui.app_icon import app_icon
from followthrough.ui.context import AppContext
from followthrough.ui.tray_badge import badge_icon

# core.reminders.snooze_choices keys, in menu order, with their menu words.
SNOOZE_LABELS = [
    ("15 minutes", "Snooze &15 min"),
    ("1 hour", "Snooze 1 &hour"),
    ("tomorrow morning", "&Tomorrow morning"),
]
# core.pause.pause_choices keys, with their menu words.
PAUSE_LABELS = [("1 hour", "For 1 &hour"), ("Until tomorrow", "Until &tomorrow")]
# QTimer takes a signed 32-bit number of milliseconds.
MAX_TIMER_MS = 2**31 - 1
# A Due now entry this many average characters wide at most; longer titles are elided.
ENTRY_CHARS = 64


def _menu_text(text: str) -> str:
    """Literal text for a menu entry: an ampersand is not a mnemonic marker."""
    return text.replace("&", "&&")


class TrayIcon(QObject):
    toggle_window_requested = Signal()
    open_requested = Signal()
    promise_requested = Signal(int)
    done_requested = Signal(int)
    snooze_requested = Signal(int, object)  # promise id, aware UTC datetime until
    new_promise_requested = Signal()
    log_contact_requested = Signal()
    print_requested = Signal()
    pause_requested = Signal(object)  # aware UTC datetime until
    resume_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.base_icon = app_icon()
        self.icon = QSystemTrayIcon(self.base_icon, self)
        self.icon.activated.connect(self._activated)
        self.summary: TraySummary | None = None
        self.paused: datetime | None = None
        self._shown_icon: tuple[int, bool] | None = None
        # Time alone changes what is due (midnight, a timed promise falling due, a
        # pause ending): one single-shot timer aims at the next such instant.
        self.next_refresh_at: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)

        self.menu = self._build_menu()
        self.icon.setContextMenu(self.menu)
        context.hub.data_changed.connect(self.refresh)
        self.refresh()
        if self.available:
            self.icon.show()

    # --- the menu -------------------------------------------------------------------

    @staticmethod
    def _action(menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def _build_menu(self) -> QMenu:
        menu = QMenu()
        menu.setAccessibleName("Followthrough")
        menu.setToolTipsVisible(True)
        menu.aboutToShow.connect(self.refresh)
        self.open_action = self._action(menu, "&Open Followthrough", self.open_requested.emit)
        bold = QFont(menu.font())
        bold.setBold(True)
        self.open_action.setFont(bold)  # what a left click does too
        self.due_menu = QMenu("&Due now", menu)
        self.due_menu.setAccessibleName("Due now")
        menu.addMenu(self.due_menu)
        menu.addSeparator()
        self._action(menu, "&New promise…", self.new_promise_requested.emit)
        self._action(menu, "&Log contact…", self.log_contact_requested.emit)
        self.print_action = self._action(menu, "&Print follow-up list…", self.print_requested.emit)
        menu.addSeparator()
        self.pause_menu = QMenu("Pa&use reminders", menu)
        self.pause_menu.setAccessibleName("Pause reminders")
        self.resume_action = self._action(
            self.pause_menu, "&Resume reminders", self.resume_requested.emit
        )
        self.pause_separator = self.pause_menu.addSeparator()
        self.pause_actions = {
            key: self._action(self.pause_menu, label, lambda _=False, k=key: self._pause(k))
            for key, label in PAUSE_LABELS
        }
        menu.addMenu(self.pause_menu)
        self._action(menu, "&Settings…", self.settings_requested.emit)
        menu.addSeparator()
        self._action(menu, "&Quit Followthrough", self.quit_requested.emit)
        return menu

    def _entry_text(self, item: FollowUpItem, summary: TraySummary) -> str:
        """ "Send revised quote — Jane Doe · 2 days late"; a long title gives way first."""
        when = when_due(item, summary.now, summary.zone)
        tail = f" — {item.customer_name} · {when}"
        metrics = QFontMetrics(self.due_menu.font())
        room = metrics.averageCharWidth() * ENTRY_CHARS - metrics.horizontalAdvance(tail)
        least = metrics.averageCharWidth() * 28
        title = metrics.elidedText(item.title, Qt.TextElideMode.ElideRight, max(room, least))
        return title + tail

    def _fill_due_menu(self, summary: TraySummary) -> None:
        menu = self.due_menu
        for action in menu.actions():
            submenu = action.menu()
            if submenu is not None:
                submenu.deleteLater()
        menu.clear()
        count = summary.badge_count
        menu.setTitle(f"&Due now ({count})" if count else "&Due now")
        if not summary.items:
            empty = menu.addAction("Nothing overdue or due today")
            empty.setEnabled(False)
            return
        for item in summary.items:
            self._add_entry(menu, item, summary)
        if summary.not_shown:
            menu.addSeparator()
            self._action(menu, f"{summary.not_shown} more in the window…", self.open_requested.emit)

    def _add_entry(self, menu: QMenu, item: FollowUpItem, summary: TraySummary) -> None:
        text = self._entry_text(item, summary)
        entry = QMenu(_menu_text(text), menu)
        entry.setAccessibleName(text)
        promise_id = item.promise_id
        self._action(entry, "&Open", lambda: self.promise_requested.emit(promise_id))
        self._action(entry, "&Done", lambda: self.done_requested.emit(promise_id))
        entry.addSeparator()
        for key, label in SNOOZE_LABELS:
            self._action(entry, label, lambda _=False, k=key: self._snooze(promise_id, k))
        menu.addMenu(entry)

    # --- what the entries do ----------------------------------------------------------

    def _snooze(self, promise_id: int, key: str) -> None:
        # Worked out when chosen: the menu may have been built an hour ago.
        clock = self.context.clock
        until = snooze_choices(clock.now(), clock.zone, self.context.settings())[key]
        self.snooze_requested.emit(promise_id, until)

    def _pause(self, key: str) -> None:
        clock = self.context.clock
        until = pause_choices(clock.now(), clock.zone, self.context.settings())[key]
        self.pause_requested.emit(until)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggle_window_requested.emit()

    # --- state ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Badge, tooltip and Due now menu from the database, as of the clock's now."""
        clock = self.context.clock
        now = clock.now()
        self.summary = tray_summary(now, clock.zone)
        self.paused = paused_until(now)
        self._fill_due_menu(self.summary)
        self._show_state()
        self._arm_timer(now)

    def set_paused(self, until: datetime | None) -> None:
        """Show reminders as paused until ``until`` (None: running)."""
        self.paused = until if until is not None and until > self.context.clock.now() else None
        if self.summary is not None:
            self._show_state()
            self._arm_timer(self.context.clock.now())

    def _show_state(self) -> None:
        summary = self.summary
        assert summary is not None
        paused = self.paused
        self.icon.setToolTip(summary.tooltip(paused))
        if paused is None:
            self.pause_menu.setTitle("Pa&use reminders")
        else:
            note = paused_text(paused, summary.now, summary.zone)  # "Paused until 10:00"
            self.pause_menu.setTitle(_menu_text(note).replace("Paused", "Pa&used", 1))
        for action in (self.resume_action, self.pause_separator):
            action.setVisible(paused is not None)
        wanted = (summary.badge_count, paused is not None)
        if wanted != self._shown_icon:
            self._shown_icon = wanted
            self.icon.setIcon(badge_icon(self.base_icon, wanted[0], greyed=wanted[1]))

    def _arm_timer(self, now: datetime) -> None:
        summary = self.summary
        assert summary is not None
        moments = [summary.changes_at]
        if self.paused is not None:
            moments.append(self.paused)
        self.next_refresh_at = min(moments)
        delay = (self.next_refresh_at - now).total_seconds() * 1000
        # At least a second, so a moment that is already here cannot spin the loop.
        self._timer.start(int(min(max(delay, 1000), MAX_TIMER_MS)))

    def tooltip(self) -> str:
        return self.icon.toolTip()

    def current_icon(self) -> QIcon:
        return self.icon.icon()
