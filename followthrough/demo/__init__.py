"""Sample data that shows a new user what a lived-in Followthrough looks like."""
