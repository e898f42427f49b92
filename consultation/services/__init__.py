"""Use cases of the consultation domain; each checks permissions and writes the audit log."""
