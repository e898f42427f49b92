"""matching/ is a pure library: importing it pulls in neither fastapi nor sqlalchemy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_matching_loads_no_web_or_database_modules() -> None:
    code = (
        "import sys, json, matching, matching.cli, matching.bench, matching.learn,"
        " matching.pairwise, matching.evalsets.decisions;"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'sqlalchemy', 'starlette', 'pydantic'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
