"""The command line: quick capture, scripts and cron. Never imports Qt widgets."""
