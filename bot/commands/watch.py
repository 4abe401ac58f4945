"""Subcommands of the watch domain (registered on the routers in bot.commands)."""
