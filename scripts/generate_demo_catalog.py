"""Write resources_catalog/demo/demo_catalog.csv: a seeded, fictional Chiba City catalog.

.venv/bin/python scripts/generate_demo_catalog.py [--count 216] [--seed 20261122]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from resources_catalog.demo.generator import generate
from resources_catalog.exporters.csv import export_csv

TARGET = Path(__file__).resolve().parents[1] / "resources_catalog" / "demo" / "demo_catalog.csv"


def main() -> None:
    """Generate and write the demo catalog."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=216)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    records = generate(args.count, seed=args.seed)
    args.out.write_bytes(export_csv(records))
    print(f"{len(records)} resources → {args.out}")


if __name__ == "__main__":
    main()
