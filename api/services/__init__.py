"""Service functions of the query API: each runs statements from ``srm.cypher`` through
``srm.store`` on an injected driver and returns plain data (dicts and lists)."""
