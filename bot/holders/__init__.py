"""Project holders (« porteurs de projet »): their record, the support given to them, the items kept for them."""
