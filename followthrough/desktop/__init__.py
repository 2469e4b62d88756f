"""Desktop integration that needs no Qt: starting at login (XDG autostart)."""
