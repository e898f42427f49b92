"""Casework use cases: each function authorises, applies the rules, writes the audit row.

Services never commit; the request dependency (or a CLI unit of work) owns the transaction.
Every function that reads or writes a person's data takes the acting ``Principal``.
"""
