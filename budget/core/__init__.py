"""Pure values and computations: ledger, forecasts, changes, volumes, goals, track record.

No files, no clock, no terminal (held by the import-linter contracts in pyproject.toml).
"""
