"""Catalog imports: exchange CSV (with Japanese aliases), xlsx, HSDS JSON and HSDS tabular."""
