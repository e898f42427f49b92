"""Seeded demo catalog (fictional Chiba City activities)."""
