"""Sessions, agenda, decisions, reminders, minutes and the calendar."""
