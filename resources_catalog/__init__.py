"""Receivers catalog (受入先カタログ): HSDS 3.1-aligned storage, import/export, edit history."""
