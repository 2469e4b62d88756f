"""The app's dialogs: customers, promises, reschedules, closing a promise, logging a contact.

Each validates inline as the user types (OK stays disabled with a short reason shown),
writes only through ``AppContext.actions``, and stays open with the input intact when a
write is refused. Open them through ``AppContext.dialogs`` rather than directly.
"""
