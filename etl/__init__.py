"""ETL of government information-disclosure annual reports into DuckDB.

read (bytes → text) → parse (text → Report) → validate (checks) → load (DuckDB).
"""
