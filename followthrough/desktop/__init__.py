"""Desktop integration that needs no Qt: the menu entry and icons, and starting at login."""
