"""Import and export formats. Never imports Qt."""
