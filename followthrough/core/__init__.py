"""The follow-through rules, in pure Python. Never imports Qt."""
