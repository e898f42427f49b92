"""The catalog's 18 activity categories (活動分類) with the Japanese names coordinators see."""

from __future__ import annotations

from resources_catalog.hsds.ids import category_term_id
from resources_catalog.records import CATEGORY_CODES

TAXONOMY_NAME = "tsunagu-category"
TAXONOMY_ID = (
    "58f6041f-d813-5e9a-ad09-15075dd5776d"  # uuid5(NAMESPACE, "taxonomy:tsunagu-category")
)

CATEGORY_NAMES_JA: dict[str, str] = {
    "farm": "農業・園芸",
    "light_work": "軽作業",
    "cooking": "調理・食",
    "kids": "子ども",
    "elderly": "高齢者",
    "cleaning": "清掃",
    "office_it": "事務・IT",
    "crafts": "ものづくり・手芸",
    "sports": "スポーツ・運動",
    "hobby": "趣味",
    "place_to_be": "居場所",
    "employment_training": "就労訓練",
    "volunteer": "ボランティア",
    "animals": "動物",
    "retail": "販売・接客",
    "library": "図書・読書",
    "nature": "自然・環境保全",
    "music_art": "音楽・アート",
}

# Japanese names and common synonyms accepted on import for each code.
CATEGORY_ALIASES: dict[str, str] = {
    **{code: code for code in CATEGORY_CODES},
    **{name: code for code, name in CATEGORY_NAMES_JA.items()},
    "農業": "farm", "農園": "farm", "園芸": "farm", "畑": "farm",
    "調理": "cooking", "料理": "cooking", "食": "cooking",
    "こども": "kids", "子供": "kids", "児童": "kids",
    "高齢": "elderly", "シニア": "elderly",
    "掃除": "cleaning", "事務": "office_it", "it": "office_it", "パソコン": "office_it",
    "手芸": "crafts", "ものづくり": "crafts", "工作": "crafts",
    "スポーツ": "sports", "運動": "sports",
    "就労": "employment_training", "就労支援": "employment_training",
    "販売": "retail", "接客": "retail", "図書": "library", "図書館": "library",
    "読書": "library", "自然": "nature", "環境": "nature", "音楽": "music_art",
    "アート": "music_art", "美術": "music_art",
}  # fmt: skip


def seed_rows() -> list[dict[str, str]]:
    """taxonomy_term rows for the 18 categories (ids are stable across databases)."""
    return [
        {
            "id": category_term_id(code),
            "code": code,
            "name": name,
            "description": f"{name}（{code}）",
            "taxonomy": TAXONOMY_NAME,
        }
        for code, name in CATEGORY_NAMES_JA.items()
    ]
