"""What every pane and dialog is handed: the clock, the hub, the actions and the dialogs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from followthrough.core.clock import Clock
from followthrough.core.settings import Settings, load_settings
from followthrough.ui.hub import ChangeHub
from followthrough.ui.undo import UndoHistory

if TYPE_CHECKING:
    from followthrough.ui.actions import Actions


class Dialogs:
    """Opens the app's dialogs, parented to the main window, from anywhere.

    Each returns whether the dialog was accepted (and its write committed); the two
    that create something return the new id instead, or None when cancelled, so the
    window can go straight to what was just made.
    """

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self.parent: QWidget | None = None

    def new_customer(self) -> int | None:
        from followthrough.ui.dialogs.customer_dialog import CustomerDialog

        dialog = CustomerDialog(self._context, None, self.parent)
        if not dialog.exec():
            return None
        self._context.hub.customer_requested.emit(dialog.customer_id)
        return dialog.customer_id

    def edit_customer(self, customer_id: int) -> bool:
        from followthrough.ui.dialogs.customer_dialog import CustomerDialog

        return bool(CustomerDialog(self._context, customer_id, self.parent).exec())

    def new_promise(self, customer_id: int | None = None, day: date | None = None) -> int | None:
        from followthrough.ui.dialogs.promise_dialog import PromiseDialog

        dialog = PromiseDialog(self._context, None, customer_id, day, self.parent)
        if not dialog.exec():
            return None
        self._context.hub.promise_requested.emit(dialog.promise_id)
        return dialog.promise_id

    def edit_promise(self, promise_id: int) -> bool:
        from followthrough.ui.dialogs.promise_dialog import PromiseDialog

        return bool(PromiseDialog(self._context, promise_id, None, None, self.parent).exec())

    def reschedule(self, promise_id: int) -> bool:
        from followthrough.ui.dialogs.reschedule_dialog import RescheduleDialog

        return bool(RescheduleDialog(self._context, promise_id, self.parent).exec())

    def close_promise(self, promise_id: int, *, cancel: bool = False) -> bool:
        from followthrough.ui.dialogs.close_dialog import ClosePromiseDialog

        dialog = ClosePromiseDialog(self._context, promise_id, self.parent, cancel=cancel)
        return bool(dialog.exec())

    def log_contact(self, customer_id: int | None = None, promise_id: int | None = None) -> bool:
        from followthrough.ui.dialogs.log_dialog import LogContactDialog

        dialog = LogContactDialog(self._context, customer_id, promise_id, self.parent)
        return bool(dialog.exec())


class AppContext(QObject):
    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.hub = ChangeHub(self)
        self.undo = UndoHistory(self)
        self._actions: Actions | None = None
        self.dialogs = Dialogs(self)
        self._settings: Settings | None = None
        self.hub.data_changed.connect(self._forget_settings)

    @property
    def actions(self) -> Actions:
        """Made on first use: the window's first paint writes nothing, and the writes'
        modules (customers, promises, contacts) cost its start some milliseconds."""
        if self._actions is None:
            from followthrough.ui.actions import Actions

            self._actions = Actions(self.clock, self.hub, self.undo)
        return self._actions

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    def _forget_settings(self) -> None:
        self._settings = None
