"""OAI-PMH 2.0: the archive harvested by library aggregators."""
