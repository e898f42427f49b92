"""Write consultation/data/demo_agencies.csv: a fictional 支援関係機関 directory.

Town names per ward come from ../shared/data/chiba_city_towns_geolonia.csv (Geolonia
japanese-addresses, CC BY 4.0). Every agency, phone number and address is made up. Each
ward gets three あんしんケアセンター (its towns split north / middle / south by latitude)
and one each of the other kinds.

    python scripts/make_demo_agencies.py
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

from consultation.schemas import AgencyIn
from consultation.services.agencies import encode_csv

ROOT = Path(__file__).resolve().parents[1]
TOWNS = ROOT.parent / "shared" / "data" / "chiba_city_towns_geolonia.csv"
OUT = ROOT / "consultation" / "data" / "demo_agencies.csv"
WARD_CODES = {
    "中央区": "chuo",
    "花見川区": "hanamigawa",
    "稲毛区": "inage",
    "若葉区": "wakaba",
    "緑区": "midori",
    "美浜区": "mihama",
}
CHOME = re.compile(r"[一二三四五六七八九十]+丁目$")
PARTS = (("north", "北"), ("middle", "中央"), ("south", "南"))


def main() -> None:
    """Build the directory and write it in the exchange CSV format."""
    towns: dict[str, dict[str, float]] = defaultdict(dict)
    with TOWNS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["lat"]:
                # One district per town name: 弁天一丁目 and 弁天三丁目 go together as 弁天.
                base = CHOME.sub("", row["town"])
                towns[row["ward"]].setdefault(base, float(row["lat"]))
    agencies: list[AgencyIn] = []
    for n, (ward, code) in enumerate(WARD_CODES.items(), start=1):
        ordered = sorted(towns[ward], key=lambda t: -towns[ward][t])
        size = -(-len(ordered) // 3)
        for i, (part, label) in enumerate(PARTS):
            chunk = sorted(ordered[i * size : (i + 1) * size])
            agencies.append(
                AgencyIn(
                    code=f"AC-{code}-{part}",
                    kind="anshin_care",
                    name=f"あんしんケアセンター{ward.removesuffix('区')}{label}（デモ）",
                    towns=chunk,
                    wards=[ward],
                    phone=f"043-900-{n}{i}01",
                    address=f"千葉市{ward}{chunk[0]}1-{i + 1}",
                    hours="月〜土 8:30〜17:30",
                )
            )
        others = (
            (
                "DH",
                "disability_hub",
                f"{ward}障害者基幹相談支援センター（デモ）",
                "月〜金 9:00〜17:00",
            ),
            (
                "MC",
                "maternal_child",
                f"{ward}母子健康包括支援センター（デモ）",
                "月〜金 8:30〜17:30",
            ),
            (
                "LS",
                "livelihood",
                f"生活自立・仕事相談センター{ward.removesuffix('区')}（デモ）",
                "月〜金 9:00〜17:00",
            ),
            ("WW", "ward_welfare", f"{ward}保健福祉センター（デモ）", "月〜金 8:30〜17:30"),
        )
        for j, (prefix, kind, name, hours) in enumerate(others, start=5):
            agencies.append(
                AgencyIn(
                    code=f"{prefix}-{code}",
                    kind=kind,
                    name=name,
                    wards=[ward],
                    phone=f"043-900-{n}{j}01",
                    address=f"千葉市{ward}{sorted(towns[ward])[0]}2-{j}",
                    hours=hours,
                )
            )
    agencies.append(
        AgencyIn(
            code="HK-city",
            kind="hikikomori",
            name="ひきこもり地域支援センター（デモ）",
            wards=[],
            phone="043-900-9001",
            address="千葉市中央区千葉港1-1",
            hours="月〜金 9:00〜17:00",
            note="市内全域を担当",
        )
    )
    OUT.write_bytes(encode_csv(sorted(agencies, key=lambda a: a.code)))
    print(f"wrote {len(agencies)} agencies to {OUT}")


if __name__ == "__main__":
    main()
