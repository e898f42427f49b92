"""Write the real-place evaluation sets ``real_brochure`` and ``real_casenotes``.

``PYTHONPATH=. python -m matching.evalsets.make_real [--data ../shared/data]`` reads the public
data under ``../shared/data`` (WAM NET disability services, 千葉市 public facilities, 介護
providers, Geolonia towns) and (re)writes both folders beside this file. The build is
deterministic; the written CSV/JSONL files are committed, so tests never need ``../shared``.

Every resource is a real place of 千葉市 (name, operator, address and coordinates as
published; coordinates from the town centroid where the record has none). The activity,
days, capacity and age limits are written for the evaluation and are NOT the places' real
programmes. Contact columns stay empty on purpose.

Each topic (``real_topics.py``) has two hosts per set: usually one open to anyone and one
with a restriction (受給者証, age band, full, other days, no wheelchair access), so a person
whose words fit the topic meets a same-topic resource that breaks a hard rule (a trap).
Labels: grade 2 for feasible same-topic resources, grade 1 for the nearest feasible ones of
related topics; infeasible resources are never labelled. ``traps.csv`` lists, per person,
the same-topic resources that break a rule and which rules.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from matching.evalsets.real_topics import TOPIC, TOPICS, Person, Topic
from matching.io import CATALOG_COLUMNS
from matching.rules import check_rules, distance_km
from matching.types import PersonProfile, Resource

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[2] / "shared" / "data"
WARDS = ("中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_JA = dict(zip(WEEK, "月火水木金土日", strict=True))


# Host = (source, name, act index, restrictions, days override, time override)
# source: "fac" public facility, "kaigo" care provider, or "wam:<service type prefix>".
# restrictions: comma list of cert, full, age60, age40, age18, age16, youth (15-39),
# max64, nowheel, wheel.
Host = tuple[str, str, int, str, str, str]

BROCHURE_HOSTS: dict[str, tuple[Host, Host]] = {
    "data": (
        ("fac", "稲毛公民館", 0, "", "mon;wed;fri", "10:00-12:00"),
        ("wam:就労継続支援A型", "就労継続支援A型事業所スマートリンク", 1, "", "", ""),
    ),
    "design": (
        ("fac", "千葉市民ギャラリー・いなげ", 0, "", "", ""),
        ("wam:就労継続支援A型", "ドットワーク 海浜幕張WBG(就労継続支援A型)", 1, "", "", ""),
    ),
    "program": (
        ("fac", "科学館", 1, "", "sat;sun", "13:00-16:00"),
        ("wam:就労移行支援", "manaby千葉中央事業所", 0, "", "", ""),
    ),
    "assembly": (
        ("fac", "長沼原勤労市民プラザ", 0, "", "", ""),
        ("wam:就労継続支援A型", "オリーブ轟", 1, "", "", ""),
    ),
    "cleaning": (
        ("fac", "花見川公園緑地事務所", 1, "", "", "09:00-11:00"),
        ("wam:就労移行支援", "お掃除プロ", 0, "", "", ""),
    ),
    "bakery": (
        ("fac", "ハーモニープラザ", 1, "", "", ""),
        ("wam:就労継続支援A型", "四つ葉工房", 0, "", "", ""),
    ),
    "cafe": (
        ("fac", "ゆかりの家・いなげ", 1, "", "sat;sun", "11:00-15:00"),
        ("wam:就労移行支援", "cafe symbiose", 0, "", "", ""),
    ),
    "farm": (
        ("fac", "ふるさと農園", 1, "", "tue;sat", "09:00-12:00"),
        ("wam:就労移行支援", "千葉光の村授産園", 0, "", "", ""),
    ),
    "life_skills": (
        ("fac", "障害者福祉センター", 1, "", "", ""),
        ("wam:自立訓練(生活訓練)", "コスモス", 0, "", "", ""),
    ),
    "rehab": (
        ("fac", "花見川いきいきプラザ", 1, "age60", "", ""),
        ("wam:自立訓練(機能訓練)", "更生園", 0, "wheel", "", ""),
    ),
    "shogi": (
        ("fac", "稲毛いきいきプラザ", 1, "age60", "", ""),
        ("fac", "穴川コミュニティセンター", 0, "", "", ""),
    ),
    "pottery": (
        ("fac", "千葉市民ギャラリー・いなげ", 1, "", "", ""),
        ("fac", "犢橋公民館", 0, "full", "", ""),
    ),
    "knitting": (
        ("fac", "若松公民館", 0, "", "", ""),
        ("fac", "さつきが丘いきいきセンター", 1, "age60", "", ""),
    ),
    "sewing": (
        ("fac", "花園公民館", 0, "", "", ""),
        ("wam:就労継続支援A型", "ノーマライゼーション未来", 1, "", "", ""),
    ),
    "singing": (
        ("fac", "文化センター", 1, "", "", ""),
        ("fac", "美浜いきいきプラザ", 0, "age60", "", ""),
    ),
    "instrument": (
        ("fac", "若葉文化ホール", 1, "", "", ""),
        ("fac", "美浜文化ホール", 0, "full", "", ""),
    ),
    "painting": (
        ("fac", "美術館", 1, "age18", "", ""),
        ("fac", "椿森公民館", 0, "age60", "", ""),
    ),
    "library": (
        ("fac", "中央図書館", 0, "", "tue;wed;thu;fri;sat", "10:00-12:00"),
        ("fac", "稲毛図書館", 1, "", "sat;sun", "10:00-12:00"),
    ),
    "storytelling": (
        ("fac", "みやこ図書館", 0, "", "", ""),
        ("fac", "幸町・子育てリラックス館", 1, "age18", "", ""),
    ),
    "kids_play": (
        ("fac", "南部児童文化センター", 0, "age16", "", "15:00-18:00"),
        ("fac", "子育て支援館(きぼーる)", 1, "age18", "", ""),
    ),
    "elderly_talk": (
        ("kaigo", "いなせなデイサービスさつきが丘", 0, "", "", ""),
        ("fac", "若葉いきいきプラザ", 1, "full", "", ""),
    ),
    "care_support": (
        ("kaigo", "小規模多機能ホームゆかりの里", 0, "", "", ""),
        ("kaigo", "うめの香", 1, "age40", "", ""),
    ),
    "equipment": (
        ("kaigo", "カシダス千葉", 0, "", "", ""),
        ("kaigo", "日本ウイール・チェアー株式会社 千葉支店", 1, "", "sat", "09:00-12:00"),
    ),
    "sports_light": (
        ("fac", "千葉公園スポーツ施設(体育館)", 0, "", "", ""),
        ("fac", "花島公園スポーツ施設(体育館)", 1, "nowheel", "", ""),
    ),
    "games": (
        ("fac", "高洲コミュニティセンター", 1, "", "", "13:00-17:00"),
        ("fac", "青少年サポートセンター 北分室", 0, "youth", "", "13:00-17:00"),
    ),
    "animals": (
        ("fac", "動物保護指導センター", 0, "age18", "", ""),
        ("fac", "動物公園", 1, "full", "", ""),
    ),
    "gardening": (
        ("fac", "都市緑化植物園", 1, "", "", ""),
        ("fac", "三陽メディアフラワーミュージアム", 0, "full", "", ""),
    ),
    "history": (
        ("fac", "千葉市立郷土博物館", 0, "", "", ""),
        ("fac", "千葉市立加曽利貝塚博物館", 1, "full", "", ""),
    ),
    "cooking": (
        ("fac", "男女共同参画センター", 0, "", "", ""),
        ("fac", "宮崎公民館", 1, "full", "", ""),
    ),
    "place_to_be": (
        ("fac", "青少年サポートセンター 南分室", 1, "youth", "", ""),
        ("fac", "こころの健康センター", 0, "full", "", ""),
    ),
    "employment": (
        ("wam:就労移行支援", "LITALICOワークス千葉駅前", 0, "", "", ""),
        ("fac", "ビジネス支援センター(きぼーる)", 1, "", "", ""),
    ),
    "woodwork": (
        ("fac", "北リサイクルプラザ", 1, "", "", ""),
        ("fac", "こてはし台公民館", 0, "full", "", ""),
    ),
}

CASENOTE_HOSTS: dict[str, tuple[Host, Host]] = {
    "data": (
        ("fac", "幕張公民館", 0, "", "tue;thu", "13:00-15:00"),
        ("wam:就労継続支援A型", "ミレリア", 1, "", "", ""),
    ),
    "design": (
        ("fac", "ビジネス支援センター(きぼーる)", 0, "", "", ""),
        ("wam:就労移行支援", "就労移行ITスクール千葉", 1, "", "", ""),
    ),
    "program": (
        ("fac", "生涯学習センター", 1, "", "sat", "10:00-12:00"),
        ("wam:就労移行支援", "ウェルビー千葉駅前センター", 0, "", "", ""),
    ),
    "assembly": (
        ("fac", "蘇我勤労市民プラザ", 0, "", "", ""),
        ("wam:就労継続支援A型", "キラリ", 1, "", "", ""),
    ),
    "cleaning": (
        ("fac", "中央・稲毛公園緑地事務所", 1, "", "", "09:00-11:00"),
        ("wam:就労継続支援A型", "パレット新検見川", 0, "", "", ""),
    ),
    "bakery": (
        ("fac", "南部青少年センター", 1, "youth", "", ""),
        ("wam:就労移行支援", "父の樹園", 0, "", "", ""),
    ),
    "cafe": (
        ("fac", "稲毛記念館", 1, "", "sat;sun", "11:00-15:00"),
        ("wam:就労移行支援", "就労移行支援事業所Re:Cafe", 0, "", "", ""),
    ),
    "farm": (
        ("fac", "中田都市農業交流センター", 1, "", "", "09:00-12:00"),
        ("wam:就労移行支援", "オリーブハウス", 0, "", "", ""),
    ),
    "life_skills": (
        ("fac", "青少年サポートセンター 西分室", 0, "youth", "", ""),
        ("wam:自立訓練(生活訓練)", "WORK STATION りべるたす", 1, "", "", ""),
    ),
    "rehab": (
        ("fac", "緑いきいきプラザ", 1, "age60", "", ""),
        ("kaigo", "医療法人社団福生会 斎藤労災病院", 0, "cert,age40", "", ""),
    ),
    "shogi": (
        ("fac", "中央いきいきプラザ", 1, "age60", "", ""),
        ("fac", "真砂コミュニティセンター", 0, "", "", ""),
    ),
    "pottery": (
        ("fac", "土気あすみが丘プラザ", 0, "", "", ""),
        ("fac", "椿森公民館", 1, "age60", "", ""),
    ),
    "knitting": (
        ("fac", "幸町公民館", 1, "", "", ""),
        ("fac", "真砂いきいきセンター", 0, "age60", "", ""),
    ),
    "sewing": (
        ("fac", "長沼コミュニティセンター", 0, "", "sat", "10:00-15:00"),
        ("wam:就労継続支援A型", "就労継続支援はぁもにぃ", 1, "", "", ""),
    ),
    "singing": (
        ("fac", "京葉銀行文化プラザ", 1, "", "", ""),
        ("fac", "土気いきいきセンター", 0, "age60", "", ""),
    ),
    "instrument": (
        ("fac", "千葉市民会館", 1, "", "", ""),
        ("fac", "検見川公民館", 0, "full", "", ""),
    ),
    "painting": (
        ("fac", "千葉市民ギャラリー・いなげ", 1, "", "", ""),
        ("fac", "おゆみ野公民館", 0, "full", "", ""),
    ),
    "library": (
        ("fac", "美浜図書館", 0, "", "mon;tue;wed;thu;fri", "09:30-11:30"),
        ("fac", "花見川図書館", 1, "", "sun", "10:00-12:00"),
    ),
    "storytelling": (
        ("fac", "緑図書館", 0, "", "", ""),
        ("fac", "かまとり・子育てリラックス館", 1, "age18", "", ""),
    ),
    "kids_play": (
        ("fac", "子育てひろば・いなげ(稲毛保育園内)", 1, "age16", "", ""),
        ("fac", "千城台・子育てリラックス館", 1, "age18", "", ""),
    ),
    "elderly_talk": (
        ("kaigo", "生活クラブ風の村デイサービスセンターKirari", 0, "", "", ""),
        ("kaigo", "いなせなデイサービス宮野木", 1, "", "", ""),
    ),
    "care_support": (
        ("kaigo", "小規模多機能型居宅介護施設「木もれ陽の郷」", 0, "", "", ""),
        ("kaigo", "小規模多機能ホーム2NdHouse", 1, "", "", ""),
    ),
    "equipment": (
        ("kaigo", "福祉用具あいか", 0, "", "", ""),
        ("kaigo", "グッドケア千葉", 1, "", "sat", "09:00-12:00"),
    ),
    "sports_light": (
        ("fac", "宮野木スポーツセンター(体育館)", 0, "", "", ""),
        ("fac", "古市場公園スポーツ施設(体育館)", 1, "nowheel", "", ""),
    ),
    "swimming": (
        ("fac", "高洲市民プール(プール)", 0, "", "", ""),
        ("fac", "北谷津温水プール", 1, "age60", "", ""),
    ),
    "training": (
        ("fac", "宮野木スポーツセンター(トレーニング室)", 0, "age16", "", ""),
        ("fac", "高洲市民プール(トレーニング室)", 1, "full", "", ""),
    ),
    "games": (
        ("fac", "蘇我コミュニティセンター", 1, "", "", "13:00-17:00"),
        ("fac", "青少年サポートセンター 東分室", 0, "youth", "", "13:00-17:00"),
    ),
    "animals": (
        ("fac", "動物公園", 1, "age18", "", ""),
        ("fac", "動物保護指導センター", 0, "full", "", ""),
    ),
    "gardening": (
        ("fac", "泉自然公園", 0, "", "", ""),
        ("fac", "美浜公園緑地事務所", 1, "age60", "", ""),
    ),
    "history": (
        ("fac", "千葉市立埋蔵文化財調査センター", 1, "", "", ""),
        ("fac", "千葉市立郷土博物館", 0, "age60", "", ""),
    ),
    "cooking": (
        ("fac", "生浜公民館", 1, "", "", ""),
        ("fac", "千草台公民館", 0, "age60", "", ""),
    ),
    "recycle": (
        ("fac", "北リサイクルプラザ", 1, "", "", ""),
        ("fac", "新浜リサイクルセンター", 0, "max64", "", ""),
    ),
    "science": (
        ("fac", "科学館", 1, "", "sat;sun", "18:00-20:00"),
        ("fac", "南部児童文化センター", 0, "full", "", ""),
    ),
    "place_to_be": (
        ("fac", "青少年サポートセンター", 0, "youth", "", ""),
        ("fac", "障害者福祉センター", 1, "cert", "", ""),
    ),
    "employment": (
        ("wam:就労移行支援", "ディーキャリア千葉オフィス", 0, "", "", ""),
        ("fac", "幕張勤労市民プラザ", 1, "", "", ""),
    ),
    "woodwork": (
        ("fac", "花見川公民館", 0, "", "", ""),
        ("fac", "長沼原勤労市民プラザ", 1, "full", "", ""),
    ),
}

DAY_PATTERNS = ("mon;wed;sat", "tue;thu;sun", "wed;fri;sat", "mon;thu;sun", "tue;fri;sat")
TIME_PATTERNS = ("10:00-12:00", "13:30-15:30", "09:30-12:00", "14:00-16:00")


def nfkc(text: str) -> str:
    """NFKC-normalised text without surrounding spaces."""
    text = unicodedata.normalize("NFKC", text or "").replace("\u2212", "-")
    return re.sub(r"\s+", " ", text).strip()


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


@dataclass
class Place:
    """A real place from the public data."""

    name: str
    organization: str
    ward: str
    address: str
    lat: float
    lon: float
    kind: str
    service: str = ""
    days: list[str] = field(default_factory=list)
    hours: str = ""
    capacity: int = 0


class Sources:
    """Lookup of real places in ``../shared/data`` (read at build time only)."""

    def __init__(self, data: Path) -> None:
        self.towns: list[tuple[str, str, float, float]] = []
        with (data / "chiba_city_towns_geolonia.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row["lat"]:
                    continue
                self.towns.append(
                    (row["ward"], nfkc(row["town"]), float(row["lat"]), float(row["lng"]))
                )
        with (data / "wam_shogai_chiba_pref_202503.csv").open(encoding="utf-8") as fh:
            self.wam = [
                {k: nfkc(v) for k, v in r.items()}
                for r in csv.DictReader(fh)
                if r["指定機関名"] == "千葉市"
            ]
        with (data / "chiba_city_public_facilities_2020.csv").open(encoding="utf-8") as fh:
            self.fac = [{k: nfkc(v) for k, v in r.items()} for r in csv.DictReader(fh)]
        with (data / "kaigo_jigyosho_chiba_pref.csv").open(encoding="utf-8") as fh:
            self.kaigo = [
                {k: nfkc(v) for k, v in r.items()}
                for r in csv.DictReader(fh)
                if (r["市区町村名"] or "").startswith("千葉市")
            ]

    def town_of(self, ward: str, street: str) -> tuple[float, float]:
        """Centroid of the longest town name that starts the street address."""
        best = None
        for w, town, lat, lon in self.towns:
            if w == ward and street.startswith(town) and (best is None or len(town) > best[0]):
                best = (len(town), lat, lon)
        if best is None:
            raise KeyError(f"no town for {ward} {street}")
        return best[1], best[2]

    def towns_in(self, ward: str) -> list[tuple[str, float, float]]:
        """Towns of a ward (name, lat, lon), in file order."""
        return [(t, la, lo) for w, t, la, lo in self.towns if w == ward]

    def place(self, source: str, name: str) -> Place:
        """The real place ``name`` from ``source`` (fac, kaigo or wam:<service type>)."""
        key = nfkc(name)
        if source.startswith("wam:"):
            svc = nfkc(source[4:])
            rows = [r for r in self.wam if r["事業所の名称"] == key and r["サービス種別"] == svc]
            if not rows:
                raise KeyError(f"WAM {svc} {key}")
            r = rows[0]
            ward = r["事業所住所（市区町村）"].replace("千葉県千葉市", "")
            street = r["事業所住所（番地以降）"]
            if r["事業所緯度"]:
                lat, lon = float(r["事業所緯度"]), float(r["事業所経度"])
            else:
                lat, lon = self.town_of(ward, street)
            days: list[str] = []
            hours = r["利用可能な時間帯（平日）"]
            if hours:
                days += ["mon", "tue", "wed", "thu", "fri"]
            sat = r["利用可能な時間帯（土曜）"]
            if sat and sat != "00:00-00:00":
                days.append("sat")
                hours = hours or sat
            return Place(
                name=key,
                organization=r["法人の名称"],
                ward=ward,
                address=f"千葉市{ward}{street}",
                lat=lat,
                lon=lon,
                kind=svc,
                service=svc,
                days=days or ["mon", "tue", "wed", "thu", "fri"],
                hours=hours or "09:00-16:00",
                capacity=int(r["定員"]) if r["定員"] else 20,
            )
        if source == "kaigo":
            rows = [r for r in self.kaigo if r["事業所名"] == key]
            if not rows:
                raise KeyError(f"kaigo {key}")
            r = rows[0]
            ward = r["市区町村名"].replace("千葉市", "")
            addr = r["住所"].replace("千葉県", "")
            if not addr.startswith("千葉市"):
                addr = f"千葉市{ward}{addr}"
            avail = r["利用可能曜日"]
            days = []
            if "平日" in avail or not avail:
                days += ["mon", "tue", "wed", "thu", "fri"]
            if "土曜日" in avail:
                days.append("sat")
            if "日曜日" in avail:
                days.append("sun")
            return Place(
                name=key,
                organization=r["法人の名称"],
                ward=ward,
                address=addr,
                lat=float(r["緯度"]),
                lon=float(r["経度"]),
                kind=r["サービスの種類"],
                service=r["サービスの種類"],
                days=days,
                hours="",
                capacity=0,
            )
        rows = [r for r in self.fac if r["name"].removeprefix("千葉市 ") == key]
        if not rows:
            raise KeyError(f"facility {key}")
        # the same place is listed under several categories (赤ちゃんの駅, 非常用井戸等, …):
        # prefer the row of its main kind, then a row whose address names the ward
        rows.sort(
            key=lambda r: (
                r["category"] not in _INTRO_BROCHURE,
                not any(w in r["address"] for w in WARDS),
            )
        )
        r = rows[0]
        addr = r["address"].replace("千葉県", "").replace("−", "-").replace("ー", "-")
        if not addr.startswith("千葉市"):
            addr = f"千葉市{addr}"
        ward = next(w for w in WARDS if addr.startswith(f"千葉市{w}"))
        name = key if key.startswith("千葉") else f"千葉市{key}"
        return Place(
            name=name,
            organization="千葉市",
            ward=ward,
            address=addr,
            lat=round(float(r["latitude"]), 6),
            lon=round(float(r["longitude"]), 6),
            kind=r["category"],
        )


# ---------------------------------------------------------------- descriptions

_INTRO_BROCHURE = {
    "就労継続支援A型": (
        "当事業所は、雇用契約を結んで働く就労継続支援A型の事業所です。",
        "私たちは、障害のある方が雇用契約のもとで安心して働ける職場をつくっています。",
    ),
    "就労移行支援": (
        "当事業所は、一般企業への就職をめざす方のための就労移行支援事業所です。",
        "私たちは、働きたい気持ちを形にする就労移行支援の事業所です。",
    ),
    "自立訓練(生活訓練)": ("当事業所では、地域で自分らしく暮らすための生活訓練を行っています。",),
    "自立訓練(機能訓練)": ("当事業所では、身体に障害のある方の機能訓練を行っています。",),
    "公民館": (
        "当館は地域の皆さんの学びと交流の場です。",
        "当館では、地域のサークルや講座の活動を応援しています。",
    ),
    "コミュニティセンター": ("当センターは、地域の皆さんが気軽に集えるコミュニティ施設です。",),
    "高齢者施設": ("当施設は、高齢の方の健康づくりと仲間づくりの拠点です。",),
    "図書館": ("当館では、本に親しむボランティアの方を受け入れています。",),
    "スポーツ施設": ("当施設では、どなたでも気軽に体を動かせるよう教室を開いています。",),
    "その他文化施設": ("当館では、文化・芸術や学びにふれる市民の活動を応援しています。",),
    "観光施設": ("当施設では、農や自然にふれる市民の活動を応援しています。",),
    "その他子育て施設": ("当館は、子どもと子育て家庭が気軽に集える場所です。",),
    "その他市施設": ("当施設では、市民ボランティアの方と一緒に活動しています。",),
    "障害者施設": ("当センターは、障害のある方の社会参加と交流を支える施設です。",),
    "公園": ("当園では、市民ボランティアの皆さんと一緒に園内の活動を行っています。",),
    "care": ("当事業所は、地域の高齢の方の暮らしを支える介護サービス事業所です。",),
    "福祉用具貸与": ("当事業所は、車椅子や介護ベッドなどの福祉用具をレンタルしています。",),
    "youth": ("当センターは、若者の悩みに寄り添う相談と居場所の拠点です。",),
    "plaza": ("当プラザは、働く市民の学びと交流のための施設です。",),
    "park_office": ("当事務所は、市の公園や緑地の手入れを市民の皆さんと進めています。",),
    "recycle": ("当施設は、ごみの減量とリサイクルを進める市の施設です。",),
    "animal_centre": ("当センターでは、保護された犬や猫の新しい飼い主探しを進めています。",),
}

_KIND_LABEL = {
    "就労継続支援A型": "就労継続支援A型",
    "就労移行支援": "就労移行支援",
    "自立訓練(生活訓練)": "自立訓練(生活訓練)",
    "自立訓練(機能訓練)": "自立訓練(機能訓練)",
    "公民館": "公民館",
    "コミュニティセンター": "コミュニティセンター",
    "高齢者施設": "いきいきプラザ・センター",
    "図書館": "図書館",
    "スポーツ施設": "スポーツ施設",
    "その他文化施設": "文化施設",
    "観光施設": "農業交流施設",
    "その他子育て施設": "子育て支援施設",
    "その他市施設": "市の施設",
    "障害者施設": "障害者施設",
    "公園": "公園",
    "care": "介護事業所",
    "福祉用具貸与": "福祉用具貸与",
    "youth": "青少年サポートセンター",
    "plaza": "勤労市民プラザ",
    "park_office": "公園緑地事務所",
    "recycle": "リサイクル施設",
    "animal_centre": "動物保護指導センター",
}


# facilities whose category is too broad ("その他市施設") get a kind from their name
_NAME_KINDS = {
    "青少年サポートセンター": "youth",
    "勤労市民プラザ": "plaza",
    "公園緑地事務所": "park_office",
    "リサイクル": "recycle",
    "動物保護指導センター": "animal_centre",
}


def _kind(place: Place) -> str:
    for part, kind in _NAME_KINDS.items():
        if part in place.name:
            return kind
    if place.kind in _INTRO_BROCHURE:
        return place.kind
    return "care"


def _days_ja(days: Sequence[str]) -> str:
    return "・".join(DAY_JA[d] for d in days)


def _conditions(res: dict[str, str], style: str) -> list[str]:
    out = []
    lo, hi = res["min_age"], res["max_age"]
    if style == "brochure":
        if res["requires_certificate"] == "true":
            out.append("ご利用には受給者証（障害福祉サービス等の受給者証）が必要です。")
        if lo and hi:
            out.append(f"対象はおおむね{lo}〜{hi}歳の方です。")
        elif lo:
            out.append(f"{lo}歳以上の方が対象です。")
        elif hi:
            out.append(f"{hi}歳までの方にお願いしています。")
        if res["capacity_remaining"] == "0":
            out.append("現在は定員に達しており、空き待ちの状態です。")
        if res["wheelchair_accessible"] == "true":
            out.append("バリアフリーで、車椅子の方も参加できます。")
        else:
            out.append("建物に段差があり、車椅子での参加は難しい環境です。")
        out.append(
            f"活動日は{_days_ja(res['days'].split(';'))}曜日の"
            f"{res['start_time']}〜{res['end_time']}です。見学・体験はいつでも歓迎します。"
        )
        return out
    if lo and hi:
        age = f"{lo}〜{hi}歳"
    elif lo or hi:
        age = f"{lo}歳以上" if lo else f"{hi}歳以下"
    else:
        age = "年齢不問"
    cert = "受給者証要" if res["requires_certificate"] == "true" else "受給者証不要"
    wc = "車椅子可" if res["wheelchair_accessible"] == "true" else "車椅子不可"
    free = f"空き{res['capacity_remaining']}名" if res["capacity_remaining"] != "0" else "満員"
    days = _days_ja(res["days"].split(";"))
    out.append(
        f"対象：{age}／{cert}／{wc}。日時：{days} {res['start_time']}〜{res['end_time']}。"
        f"定員{res['capacity_total']}名（{free}）。"
    )
    return out


def build_resources(src: Sources, hosts: dict[str, tuple[Host, Host]], prefix: str, style: str):
    """Catalog rows and the topic of each resource id."""
    rows: list[dict[str, str]] = []
    topic_of: dict[str, str] = {}
    role_of: dict[str, int] = {}
    n = 0
    for t in TOPICS:
        if t.key not in hosts:
            continue
        for role, (source, name, act, restr, days_o, time_o) in enumerate(hosts[t.key]):
            n += 1
            rid = f"{prefix}{n:03d}"
            place = src.place(source, name)
            flags = set(filter(None, restr.split(",")))
            kind = _kind(place)
            h = _crc(rid + t.key)
            is_wam = source.startswith("wam:")
            cert = is_wam or "cert" in flags
            if days_o:
                days = days_o.split(";")
            elif place.days:
                days = place.days
            else:
                days = DAY_PATTERNS[h % len(DAY_PATTERNS)].split(";")
            span = time_o or place.hours or TIME_PATTERNS[h % len(TIME_PATTERNS)]
            start, end = span.split("-")
            cap = place.capacity or (8 + h % 8)
            remaining = 0 if "full" in flags else 1 + (h >> 4) % min(cap, 5)
            min_age: int | None = None
            max_age: int | None = None
            if is_wam and place.service in ("就労移行支援", "就労継続支援A型"):
                min_age, max_age = 18, 64
            elif is_wam:
                min_age = 18
            for flag, (lo, hi) in {
                "age60": (60, None),
                "age40": (40, None),
                "age18": (18, None),
                "age16": (16, None),
                "youth": (15, 39),
            }.items():
                if flag in flags:
                    min_age, max_age = lo, hi
            if "max64" in flags:
                max_age = 64
            wheel = ("wheel" in flags) or (not is_wam and "nowheel" not in flags)
            res = {
                **dict.fromkeys(CATALOG_COLUMNS, ""),
                "resource_id": rid,
                "organization": place.organization,
                "categories": t.categories,
                "ward": place.ward,
                "address": place.address,
                "lat": f"{place.lat:.6f}",
                "lon": f"{place.lon:.6f}",
                "days": ";".join(days),
                "start_time": start,
                "end_time": end,
                "capacity_total": str(cap),
                "capacity_remaining": str(remaining),
                "min_age": "" if min_age is None else str(min_age),
                "max_age": "" if max_age is None else str(max_age),
                "requires_certificate": str(cert).lower(),
                "wheelchair_accessible": str(wheel).lower(),
                "quiet_environment": str(
                    t.key in {"data", "library", "place_to_be", "knitting", "history"}
                ).lower(),
                "small_group": str(cap <= 10).lower(),
                "visit_ok": "true",
                "trial_ok": str(h % 3 != 0).lower(),
                "paid": str(place.service == "就労継続支援A型").lower(),
                "participant_cost_yen": "0",
                "cooperation_fee_yen": "0",
                "cooperation_fee_unit": "none",
                "status": "active",
            }
            activity = t.acts[act]
            if style == "brochure":
                intros = _INTRO_BROCHURE[kind]
                res["name"] = f"{place.name} {t.title}"
                text = [intros[h % len(intros)], activity]
            else:
                res["name"] = f"{t.title}（{place.name}）"
                text = [f"【{_KIND_LABEL[kind]}】{activity}"]
            res["description"] = "".join(text + _conditions(res, style))
            rows.append(res)
            topic_of[rid] = t.key
            role_of[rid] = role
    return rows, topic_of, role_of


# ---------------------------------------------------------------- people and labels


def _profile(p: dict) -> PersonProfile:
    return PersonProfile.from_contract(p)


def _resource(row: dict[str, str]) -> Resource:
    from matching.io import resource_from_row

    return resource_from_row(row)


def build_people(
    src: Sources,
    topics: Sequence[Topic],
    catalog: list[dict[str, str]],
    topic_of: dict[str, str],
    role_of: dict[str, int],
    prefix: str,
    register: str,
):
    """People, labels and traps for one set."""
    resources = {r["resource_id"]: _resource(r) for r in catalog}
    by_topic: dict[str, list[str]] = {}
    for rid, key in topic_of.items():
        by_topic.setdefault(key, []).append(rid)
    people: list[dict] = []
    labels: list[tuple[str, str, int]] = []
    traps: list[tuple[str, str, str]] = []
    n = 0
    for t in topics:
        specs: tuple[Person, Person] = getattr(t, register)
        host_a, host_b = (
            resources[rid] for rid in sorted(by_topic[t.key], key=lambda rid: role_of[rid])
        )
        for age, cert, days, wheel, trap, text in specs:
            n += 1
            pid = f"{prefix}{n:03d}"
            h = _crc(pid + t.key)
            # homes are spread over the whole city, independent of the topic (so the
            # distance preference cannot point at the labels); a distance-trap person
            # lives in the town nearest to the open host
            if trap == "d":
                ward = host_a.ward
                town = min(
                    src.towns_in(ward),
                    key=lambda x: (x[1] - host_a.lat) ** 2 + (x[2] - host_a.lon) ** 2,  # type: ignore[operator]
                )
            else:
                ward, name, lat, lon = src.towns[h % len(src.towns)]
                town = (name, lat, lon)
            person = {
                "person_id": pid,
                "needs_text": text,
                "avoid_text": "",
                "age": age,
                "has_certificate": cert,
                "days": days.split(";") if days else [],
                "home": {"ward": ward, "lat": town[1], "lon": town[2]},
                "max_travel_km": None,
                "needs_wheelchair_access": wheel,
                "prefers_quiet": False,
                "prefers_small_group": False,
                "wants_paid": False,
                "preferred_categories": [],
                "excluded_resource_ids": [],
            }
            if trap == "x":
                person["excluded_resource_ids"] = [host_b.resource_id]
            if trap == "d":
                prof = _profile(person)
                da = distance_km(prof, host_a)
                db = distance_km(prof, host_b)
                assert da is not None and db is not None
                limit = round(da + 1.5, 1)
                if not db > limit:
                    raise ValueError(f"{pid}: distance trap impossible ({da:.1f} vs {db:.1f})")
                person["max_travel_km"] = limit
            prof = _profile(person)
            same = [resources[r] for r in by_topic[t.key]]
            good = [r for r in same if not check_rules(prof, r)]
            if not good:
                raise ValueError(f"{pid} ({t.key}): no feasible same-topic resource")
            for r in same:
                broken = check_rules(prof, r)
                if broken:
                    traps.append((pid, r.resource_id, ";".join(b.rule for b in broken)))
            for r in good:
                labels.append((pid, r.resource_id, 2))
            related = [
                resources[rid]
                for key in t.related
                for rid in by_topic.get(key, [])
                if not check_rules(prof, resources[rid])
            ]
            related.sort(key=lambda r: (distance_km(prof, r) or 0.0, r.resource_id))
            for r in related[: max(0, 2 - len(good))]:
                labels.append((pid, r.resource_id, 1))
            people.append(person)
    return people, labels, traps


def write_set(folder: Path, catalog, people, labels, traps) -> None:
    """Write catalog.csv, people.jsonl, labels.csv and traps.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "catalog.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CATALOG_COLUMNS)
        w.writeheader()
        w.writerows(catalog)
    with (folder / "people.jsonl").open("w", encoding="utf-8") as fh:
        for p in people:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    with (folder / "labels.csv").open("w", encoding="utf-8", newline="") as fh:
        w2 = csv.writer(fh)
        w2.writerow(["person_id", "resource_id", "grade"])
        w2.writerows(labels)
    with (folder / "traps.csv").open("w", encoding="utf-8", newline="") as fh:
        w3 = csv.writer(fh)
        w3.writerow(["person_id", "resource_id", "rules"])
        w3.writerows(traps)


def build(data: Path, out: Path = HERE) -> dict[str, dict[str, int]]:
    """Build both sets from ``data`` into ``out``; returns counts per set."""
    src = Sources(data)
    counts = {}
    for name, hosts, rprefix, pprefix, style in (
        ("real_brochure", BROCHURE_HOSTS, "RB", "PB", "brochure"),
        ("real_casenotes", CASENOTE_HOSTS, "RC", "PC", "casenote"),
    ):
        catalog, topic_of, role_of = build_resources(src, hosts, rprefix, style)
        topics = [TOPIC[k] for k in (t.key for t in TOPICS) if k in hosts]
        people, labels, traps = build_people(
            src, topics, catalog, topic_of, role_of, pprefix, style
        )
        write_set(out / name, catalog, people, labels, traps)
        counts[name] = {
            "resources": len(catalog),
            "people": len(people),
            "labels": len(labels),
            "traps": len(traps),
        }
    return counts


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    print(json.dumps(build(args.data), ensure_ascii=False))


if __name__ == "__main__":
    main()
