"""Catalog exports: the exchange CSV, the same columns as xlsx, and HSDS 3.1 JSON."""
