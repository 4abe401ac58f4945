"""Calls for proposals: deadlines read from an item's text, their reminders, links added by hand."""
