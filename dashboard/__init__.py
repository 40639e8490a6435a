"""The public dashboard's layers: db (read-only connection), queries, charts,
state (filters from the URL), ui (shared page blocks), export (files)."""
