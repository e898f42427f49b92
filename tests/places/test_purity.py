"""places/ is a pure library: importing it loads neither the web framework nor the ORM."""

from __future__ import annotations

import subprocess
import sys


def test_places_imports_neither_fastapi_nor_sqlalchemy() -> None:
    code = (
        "import sys, places, places.map; "
        "bad = [m for m in ('fastapi', 'sqlalchemy') if m in sys.modules]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
