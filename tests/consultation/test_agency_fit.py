"""Which agencies fit: towns for あんしんケアセンター, wards for the others, reasons in Japanese."""

from __future__ import annotations

from consultation.models import Agency
from consultation.services.agencies import fit, town_in


def _agency(code: str, kind: str, towns: list[str], *, active: bool = True) -> Agency:
    return Agency(code=code, kind=kind, name=code, wards=["中央区"], towns=towns, active=active)


AGENCIES = [
    _agency("AC-a", "anshin_care", ["中央", "弁天"]),
    _agency("AC-b", "anshin_care", ["千葉港"]),
    _agency("MC-1", "maternal_child", []),
    _agency("MC-2", "maternal_child", [], active=False),
]


def test_the_ward_name_never_matches_a_town() -> None:
    assert town_in("千葉市中央区弁天1-2-3", ["中央", "弁天"]) == "弁天"
    assert town_in("千葉市中央区中央2-1", ["中央", "弁天"]) == "中央"
    assert town_in("千葉市中央区千葉港１－１", ["千葉港"]) == "千葉港"  # full-width digits (NFKC)
    assert town_in(None, ["中央"]) is None


def test_only_the_care_centre_of_the_town_fits_an_older_person() -> None:
    fits = fit(AGENCIES, ward=None, address="千葉市中央区千葉港5-1", age=70)
    assert [(f.agency.code, f.reason) for f in fits] == [
        ("AC-b", "65歳以上（70歳）のため、お住まいの千葉港を担当するあんしんケアセンターです。")
    ]


def test_younger_people_and_unknown_towns_get_no_care_centre() -> None:
    assert fit(AGENCIES, ward="中央区", age=40) == []
    assert fit(AGENCIES, ward="中央区", age=80) == []  # no town known: no district to match


def test_tags_call_for_kinds_and_inactive_agencies_never_fit() -> None:
    fits = fit(AGENCIES, ward="中央区", tag_codes=["parenting", "young_carer"])
    assert [f.agency.code for f in fits] == ["MC-1"]
    assert fits[0].reason.startswith(
        "「子育て」の相談・「ヤングケアラー」の相談のため、中央区を担当する"
    )
