"""The weekly digest and the newsletter draft."""
