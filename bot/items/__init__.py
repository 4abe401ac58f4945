"""Posted items: states, claims, reactions, notes, the item message, lists, its App Home part."""
