"""Subcommands of the decisions domain (registered on the routers in bot.commands)."""
