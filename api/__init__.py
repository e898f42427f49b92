"""FastAPI service: JSON API for case systems and the coordinators' web pages."""
