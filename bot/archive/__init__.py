"""The team's lasting memory: exports, the browsable archive, backups that restore."""
