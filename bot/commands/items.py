"""Subcommands of the items domain (registered on the routers in bot.commands)."""
