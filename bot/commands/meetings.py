"""Subcommands of the meetings domain (registered on the routers in bot.commands)."""
