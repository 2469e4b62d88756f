"""Followthrough: keep every promise made to a customer."""

__version__ = "0.1.0"
APP_NAME = "Followthrough"
