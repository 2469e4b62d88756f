"""Desktop tests: the real app against a real X server, tray host and notification daemon."""
