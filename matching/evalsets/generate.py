"""Seeded generator of synthetic evaluation sets in the contract format.

Run ``python -m matching.evalsets.generate --out matching/evalsets/synth`` to rebuild the
committed set. Each person is built around a hidden anchor activity and hidden wishes
(quiet, small group, paid, time of day, something to avoid); their notes are written in
varied styles (narrative, terse coordinator notes, quotes, typos, half-width kana,
full-width digits). Labels come from the hidden truth, never from the ranker: grade 2 for
activities of the wished kind that honour every hidden wish, grade 1 for the same kind
with a wish unmet or for a secondary interest. Constraint traps (inactive, full, too far,
wrong day, certificate, wheelchair, excluded) sit beside the right answers.

Coordinates come from ../shared/data/chiba_city_towns_geolonia.csv when present, else from
ward centroids with jitter.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import jaconv

from matching.io import write_catalog_csv
from matching.types import WEEKDAYS, PersonProfile, Resource

WARD_CENTROIDS = {
    "中央区": (35.5998, 140.1262),
    "花見川区": (35.6724, 140.0858),
    "稲毛区": (35.6380, 140.1030),
    "若葉区": (35.6200, 140.1900),
    "緑区": (35.5500, 140.2200),
    "美浜区": (35.6400, 140.0600),
}
TOWNS_CSV = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "chiba_city_towns_geolonia.csv"
)


@dataclass
class Kind:
    """A kind of activity with resource wording and the wording people use for it."""

    code: str
    names: list[str]
    sentences: list[str]
    wishes: list[str]
    terse: list[str]
    times: list[tuple[str, str]]
    contact: bool = False  # involves serving customers
    paid_rate: float = 0.05
    cert_rate: float = 0.0
    list_category: bool = True


KINDS = [
    Kind(
        "farm",
        ["{p}ふれあい農園 農作業ボランティア", "{p}の畑 収穫のお手伝い", "{p}市民農園 共同作業"],
        [
            "畑で季節の野菜の種まきや収穫を手伝います。",
            "除草や水やり、畝づくりなどの作業です。",
            "とれた野菜のおすそ分けがあります。",
            "土に触れながら体を動かせます。",
        ],
        [
            "野菜を育てることに興味がある",
            "土いじりをしていると落ち着く",
            "家庭菜園の経験を生かしたい",
            "畑で作物にかかわりたい",
            "外で植物を育てる作業がしたい",
        ],
        ["畑仕事希望", "農作業やりたい", "野菜づくり◎"],
        [("09:00", "12:00"), ("08:30", "11:00")],
    ),
    Kind(
        "animals",
        [
            "{p}保護犬シェルター お世話ボランティア",
            "{p}どうぶつ広場 飼育の手伝い",
            "保護猫の家 {p}",
        ],
        [
            "保護された犬や猫の食事の準備、ケージの掃除、散歩を手伝います。",
            "うさぎやヤギなど小さな動物の世話をします。",
            "動物が好きな方歓迎。",
        ],
        [
            "ペットの世話は毎日欠かさない",
            "生き物にかかわることなら続けられそう",
            "犬や猫が好きで世話をしたい",
            "動物とふれあえる場所がいい",
        ],
        ["動物好き", "生き物の世話なら可", "犬猫◎"],
        [("10:00", "13:00"), ("13:00", "16:00")],
    ),
    Kind(
        "cooking",
        [
            "{p}こども食堂 調理ボランティア",
            "{p}地域食堂 調理スタッフ",
            "{p}配食サービス お弁当づくり",
        ],
        [
            "野菜の下ごしらえや盛り付け、片付けを分担します。",
            "地域の人に手作りの食事を届けています。",
            "調理経験は問いません。",
        ],
        [
            "料理をするのが好き",
            "みんなで食べるごはんを作りたい",
            "台所仕事なら得意",
            "お菓子作りが趣味",
        ],
        ["料理得意", "調理系希望", "ごはん作り◎"],
        [("15:00", "19:30"), ("10:00", "13:00")],
    ),
    Kind(
        "kids",
        ["{p}まなびスペース 学習サポーター", "{p}児童館 遊びの見守り", "{p}放課後クラブ お手伝い"],
        [
            "小中学生の宿題を見守り、わからないところを一緒に考えます。",
            "放課後の子どもたちの遊び相手をします。",
            "子どもと関わるのが好きな方に。",
        ],
        [
            "子どもと関わる活動がしたい",
            "小学生に勉強を教えられたら",
            "子供が好きで相手をするのは得意",
        ],
        ["子ども好き", "学習支援に関心", "子供関係希望"],
        [("15:00", "18:00"), ("13:00", "16:00")],
    ),
    Kind(
        "elderly",
        ["{p}いきいきサロン お手伝い", "デイサービス{p} 話し相手ボランティア", "{p}ふれあい茶話会"],
        [
            "高齢の方のお茶会で、お茶出しや話し相手をします。",
            "デイサービスで配膳やレクリエーションを手伝います。",
            "介護の経験は問いません。",
        ],
        [
            "介護の経験を地域で生かしたい",
            "お年寄りと話すのが好き",
            "高齢の方の役に立ちたい",
            "同年代とお茶を飲みながら世間話がしたい",
        ],
        ["高齢者支援に関心", "介護経験あり", "お年寄り◎"],
        [("10:00", "12:00"), ("13:30", "15:30")],
    ),
    Kind(
        "cleaning",
        ["{p}海岸クリーンアップ", "{p}公園 清掃ボランティア", "{p}集会所 清掃スタッフ"],
        [
            "公園や海岸のごみ拾いをします。",
            "建物の共用部をきれいにする掃除の仕事です。",
            "終わった後は達成感があります。",
        ],
        [
            "体を動かして汗をかきたい",
            "掃除は苦にならない",
            "朝のうちに外で軽く運動したい",
            "きれいにする作業が好き",
        ],
        ["掃除なら可", "体動かしたい", "清掃系OK"],
        [("07:30", "09:30"), ("09:00", "11:00")],
    ),
    Kind(
        "office_it",
        ["{p}オフィス 事務補助の職場体験", "{p}データ入力 作業体験", "{p}IT工房 パソコン作業"],
        [
            "パソコンでのデータ入力や書類のファイリングをします。",
            "表計算ソフトを使った簡単な集計作業です。",
            "静かなオフィスで画面に向かう仕事です。",
        ],
        [
            "パソコン操作は得意",
            "キーボードを打つのは速い",
            "事務の仕事の感覚を取り戻したい",
            "プログラミングやPCなら集中できる",
        ],
        ["PC得意", "パソコン作業希望", "事務経験あり"],
        [("10:00", "15:00"), ("09:30", "12:30")],
        paid_rate=0.4,
    ),
    Kind(
        "light_work",
        ["{p}作業所 軽作業", "{p}シール貼り・封入作業", "{p}袋詰め・検品の軽作業"],
        [
            "商品のシール貼りや袋詰めなど、決まった手順の作業です。",
            "一人で黙々と進められる作業が中心です。",
            "短時間から参加できます。",
        ],
        [
            "同じ手順をくり返す作業は得意",
            "細かい単純作業なら続けられる",
            "決まったことをこつこつやりたい",
        ],
        ["単純作業OK", "軽作業希望", "黙々系"],
        [("10:00", "15:00"), ("13:00", "16:00")],
        paid_rate=0.6,
    ),
    Kind(
        "crafts",
        ["{p}手しごと工房", "{p}木工・陶芸アトリエ", "{p}ものづくり教室"],
        [
            "布小物や木工品をつくっています。",
            "陶芸や木工で作品を形にします。",
            "細かい作業が好きな方に向いています。",
        ],
        ["細かいものを作るのが好き", "手芸やプラモデルが趣味", "何かを形にする時間がほしい"],
        ["手先器用", "ものづくり希望", "工作◎"],
        [("13:00", "16:00"), ("10:00", "12:00")],
    ),
    Kind(
        "sports",
        ["{p}卓球クラブ", "{p}グラウンドゴルフ同好会", "{p}ウォーキングの会"],
        [
            "初心者も歓迎のスポーツの集まりです。",
            "体を動かして汗を流します。",
            "同年代の仲間と楽しく運動しています。",
        ],
        ["運動不足が気になる", "学生時代はピンポンに打ち込んだ", "スポーツで汗を流したい"],
        ["運動したい", "スポーツ◎", "体動かす系希望"],
        [("09:30", "11:30"), ("18:00", "20:00")],
    ),
    Kind(
        "place_to_be",
        ["{p}居場所カフェ", "若者の居場所 {p}ルーム", "{p}フリースペース"],
        [
            "何もしなくても過ごせる居場所です。",
            "本を読んだりゲームをしたり、思い思いに過ごせます。",
            "話しかけられたくない方も安心して来られます。",
        ],
        [
            "まずは家の外で時間を過ごすことに慣れたい",
            "放っておいてもらえる場所を探している",
            "干渉されない場所なら行ってみたい",
            "「ただ座ってていい所がほしい」と話す",
        ],
        ["居場所希望", "「座ってるだけでいい所」", "作業なしの場"],
        [("13:00", "18:00"), ("11:00", "17:00")],
    ),
    Kind(
        "employment_training",
        ["就労継続支援B型 {p}", "就労移行支援 {p}", "就労継続支援A型 {p}ワークス"],
        [
            "一般就労をめざして、作業や職業訓練を行います。",
            "工賃・給料が支払われます。",
            "体調に合わせて通所日数を相談できます。",
        ],
        [
            "給料をもらいながら働く時間を延ばしたい",
            "働く経験を少しずつ積みたい",
            "就職に向けて訓練したい",
        ],
        ["就労希望", "働きたい(手帳あり)", "A型/B型検討"],
        [("09:30", "15:30")],
        paid_rate=0.95,
        cert_rate=0.9,
    ),
    Kind(
        "volunteer",
        ["{p}フードバンク 仕分けボランティア", "{p}地域の裏方ボランティア", "{p}寄付品の整理"],
        [
            "寄付された食品を仕分けして箱詰めします。",
            "地域の暮らしを支える裏方の仕事です。",
            "力仕事ができる方歓迎。",
        ],
        [
            "誰かの役に立っている実感がほしい",
            "人の暮らしを支える裏方に関心がある",
            "社会の役に立つことがしたい",
        ],
        ["役に立ちたい", "裏方ボランティア◎", "力仕事平気"],
        [("10:00", "13:00")],
    ),
    Kind(
        "retail",
        ["{p}八百屋 品出し体験", "リユースショップ {p} 店舗作業", "{p}商店 販売のお手伝い"],
        [
            "品出しや値札付け、レジ横での袋詰めをします。",
            "お客さんとのやりとりもあります。",
            "お店の仕事を体験できます。",
        ],
        ["お店で働いてみたい", "品物を並べたりお客さんとやりとりしたい", "販売の仕事に関心がある"],
        ["店の仕事希望", "販売体験したい", "接客OK"],
        [("10:00", "14:00"), ("13:00", "17:00")],
        contact=True,
        paid_rate=0.2,
    ),
    Kind(
        "library",
        ["{p}文庫 本の修理ボランティア", "{p}図書室 配架のお手伝い", "{p}古本の整理"],
        [
            "本の修理や配架をする静かな作業です。",
            "図書室の本を整理します。",
            "本に囲まれた落ち着いた場所です。",
        ],
        [
            "本に囲まれた落ち着いた場所がいい",
            "読書が好きで本の整理をしたい",
            "図書館のような所で手伝いたい",
        ],
        ["本好き", "図書系希望", "読書◎"],
        [("10:00", "12:00"), ("13:00", "15:00")],
    ),
    Kind(
        "nature",
        ["{p}里山 竹林整備", "{p}雑木林の手入れ", "{p}自然観察の森 保全活動"],
        [
            "竹の伐採や下草刈りなど、里山の手入れをします。",
            "森の中で体を使う作業です。",
            "自然の中で過ごせます。",
        ],
        ["森や木に囲まれて作業したい", "自然の中で過ごすのが好き", "山や林の手入れに関心がある"],
        ["自然好き", "森・里山希望", "外作業◎"],
        [("09:00", "12:00")],
    ),
    Kind(
        "music_art",
        ["{p}コーラスサークル", "{p}だれでも絵画教室", "{p}音楽サロン"],
        [
            "みんなで声を合わせて歌います。",
            "絵を描くのが好きな方が集まっています。",
            "初心者も楽しめる雰囲気です。",
        ],
        ["歌うのが好き", "絵を描くことやマンガが好き", "合唱で声を合わせるのが楽しい"],
        ["歌◎", "絵を描きたい", "音楽・アート系"],
        [("13:00", "15:00"), ("10:00", "12:00")],
    ),
    Kind(
        "hobby",
        ["{p}囲碁・将棋サークル", "{p}ボードゲーム会", "{p}写真同好会"],
        [
            "囲碁や将棋を楽しむ集まりです。",
            "趣味を通じて仲間と過ごします。",
            "初心者にも教えます。",
        ],
        ["将棋や囲碁が趣味", "ボードゲームなら人と過ごせる", "趣味の仲間がほしい"],
        ["将棋好き", "趣味サークル希望", "囲碁◎"],
        [("13:00", "16:00")],
    ),
]
KIND_BY_CODE = {k.code: k for k in KINDS}
# Kinds a coordinator would also accept for a wish (grade 1): overlapping wording is real.
RELATED = {
    "cleaning": {"sports", "nature", "volunteer"},
    "sports": {"cleaning"},
    "farm": {"nature"},
    "nature": {"farm", "cleaning"},
    "volunteer": {"light_work", "cleaning", "cooking"},
    "light_work": {"volunteer", "employment_training"},
    "place_to_be": {"hobby", "library"},
    "hobby": {"place_to_be"},
    "library": {"place_to_be"},
    "elderly": {"cooking"},
    "cooking": {"kids"},
    "kids": {"cooking"},
    "employment_training": {"light_work", "office_it"},
    "office_it": {"employment_training"},
    "crafts": {"music_art"},
    "music_art": {"crafts"},
    "retail": {"employment_training"},
    "animals": {"farm"},
}
PLACES = [
    "稲毛",
    "検見川",
    "幕張",
    "都賀",
    "誉田",
    "土気",
    "蘇我",
    "千城台",
    "おゆみ野",
    "花島",
    "小仲台",
    "高洲",
    "真砂",
    "桜木",
    "みつわ台",
    "作草部",
    "亥鼻",
    "松ケ丘",
    "犢橋",
    "生実",
]
AVOIDS = {
    "customer": (["接客", "お客さんの相手"], ["接客NG", "接客×"]),
    "night": (["夜の活動", "夕方以降の活動"], ["夜NG"]),
    "crowd": (["大人数での活動", "人混み"], ["人混み×", "大人数NG"]),
}
NARR_OPEN = ["{age}代{sex}。", "{age}代の{sex}。", ""]
NARR_HIST = [
    "長く自宅で過ごしてきた。",
    "退職後、家にこもりがち。",
    "体調を崩して休職中。",
    "不登校の時期があった。",
    "家族の介護を終えたところ。",
    "人間関係で疲れて仕事を辞めた。",
]
QUIET = [
    "人が多いと疲れるので静かな所がいい",
    "人と話すのが苦手",
    "落ち着いた場所を希望",
    "人の目が気になる",
]
SMALL = ["少人数なら参加できそう", "少ない人数の所がいい"]
PAID = ["少しでもお金を稼ぎたい", "給料が出るとうれしい", "収入につながるといい"]
MORNING = ["午前中なら動ける", "朝型"]


@dataclass
class Truth:
    """Hidden facts about a synthetic person."""

    kind: str
    second: str | None
    quiet: bool
    small: bool
    paid: bool
    morning: bool
    avoid: str | None
    style: str
    traps: list[str] = field(default_factory=list)


def _coords(rng: random.Random) -> list[tuple[str, float, float]]:
    if TOWNS_CSV.exists():
        with open(TOWNS_CSV, encoding="utf-8") as fh:
            rows = [
                (r["ward"], float(r["lat"]), float(r["lng"]))
                for r in csv.DictReader(fh)
                if r["lat"] and r["lng"] and r["ward"] in WARD_CENTROIDS
            ]
        if rows:
            return rows
    out = []
    for ward, (lat, lon) in WARD_CENTROIDS.items():
        for _ in range(40):
            out.append((ward, lat + rng.gauss(0, 0.015), lon + rng.gauss(0, 0.018)))
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def make_catalog(n: int, seed: int = 7) -> tuple[list[Resource], dict[str, str]]:
    """``n`` synthetic resources and their hidden kind codes."""
    rng = random.Random(seed)
    coords = _coords(rng)
    resources, kinds = [], {}
    for i in range(n):
        kind = KINDS[i % len(KINDS)] if i < len(KINDS) * 2 else rng.choice(KINDS)
        ward, lat, lon = rng.choice(coords)
        place = rng.choice(PLACES)
        quiet = rng.random() < (
            0.8 if kind.code in ("library", "office_it", "light_work") else 0.35
        )
        small = rng.random() < (0.7 if quiet else 0.3)
        sentences = rng.sample(kind.sentences, k=min(len(kind.sentences), rng.randint(2, 3)))
        if quiet:
            sentences.append(rng.choice(["静かな環境で作業できます。", "落ち着いた雰囲気です。"]))
        elif rng.random() < 0.5:
            sentences.append(
                rng.choice(["にぎやかな雰囲気です。", "大勢の参加者でわいわい活動しています。"])
            )
        if small:
            sentences.append(rng.choice(["少人数で行います。", "数人のグループで活動します。"]))
        start, end = rng.choice(kind.times)
        day_count = rng.choice([1, 1, 2, 2, 3, 5])
        days = sorted(rng.sample(WEEKDAYS, day_count), key=WEEKDAYS.index)
        cap_total = rng.randint(3, 20)
        cap_rem = 0 if rng.random() < 0.08 else rng.randint(1, cap_total)
        paid = rng.random() < kind.paid_rate
        cert = rng.random() < kind.cert_rate
        min_age = rng.choice([None, None, None, 15, 18]) if kind.code != "kids" else 18
        max_age = rng.choice([None, None, None, None, 39, 64])
        rid = f"S{i + 1:06d}"
        res = Resource(
            resource_id=rid,
            name=rng.choice(kind.names).format(p=place),
            organization=f"{place}{rng.choice(['の会', '協議会', 'NPO', '運営委員会', '福祉会'])}",
            description="".join(sentences),
            categories=[kind.code] if kind.list_category and rng.random() < 0.5 else [],
            ward=ward,
            address=(
                f"千葉市{ward}{place}{rng.randint(1, 9)}丁目"
                f"{rng.randint(1, 30)}-{rng.randint(1, 20)}"
            ),
            lat=round(lat, 5),
            lon=round(lon, 5),
            days=days,
            start_time=start,
            end_time=end,
            capacity_total=cap_total,
            capacity_remaining=cap_rem,
            min_age=min_age,
            max_age=max_age,
            requires_certificate=cert,
            wheelchair_accessible=rng.random() < 0.3,
            quiet_environment=quiet,
            small_group=small,
            visit_ok=rng.random() < 0.9,
            trial_ok=rng.random() < 0.8,
            paid=paid,
            participant_cost_yen=rng.choice([0, 0, 0, 300]),
            cooperation_fee_yen=rng.choice([0, 500, 1000]),
            cooperation_fee_unit=rng.choice(["per_session", "none", "per_month"]),
            status="inactive" if rng.random() < 0.07 else "active",
        )
        resources.append(res)
        kinds[rid] = kind.code
    return resources, kinds


def _typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 25)):
        j = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            del chars[j]
        elif op < 0.7 and j + 1 < len(chars):
            chars[j], chars[j + 1] = chars[j + 1], chars[j]
        else:
            chars.insert(j, chars[j])
    return "".join(chars)


def _widths(text: str, rng: random.Random) -> str:
    text = jaconv.z2h(text, kana=True, ascii=False, digit=False)
    return jaconv.h2z(text, kana=False, ascii=False, digit=True) if rng.random() < 0.7 else text


def _needs_text(t: Truth, age: int, rng: random.Random) -> tuple[str, str]:
    kind, second = KIND_BY_CODE[t.kind], KIND_BY_CODE[t.second] if t.second else None
    avoid_words, avoid_terse = AVOIDS[t.avoid] if t.avoid else ([], [])
    if t.style in ("terse", "halfwidth"):
        parts = [f"{age // 10 * 10}代{rng.choice(['男', '女'])}", rng.choice(kind.terse)]
        if second:
            parts.append(rng.choice(second.terse))
        if t.quiet:
            parts.append(rng.choice(["静かな所希望", "人混み×", "対人緊張あり"]))
        if t.small:
            parts.append("少人数希望")
        if t.paid:
            parts.append(rng.choice(["有償希望", "お金欲しい"]))
        if t.morning:
            parts.append("午前希望")
        if avoid_terse and rng.random() < 0.6:
            parts.append(rng.choice(avoid_terse))
            avoid_words = []
        parts.append(f"週{rng.randint(1, 3)}程度")
        text = "。".join(parts[:2]) + "、" + "、".join(parts[2:]) + "。"
    else:
        sex = rng.choice(["男性", "女性"])
        parts = [rng.choice(NARR_OPEN).format(age=age // 10 * 10, sex=sex), rng.choice(NARR_HIST)]
        wish = rng.choice(kind.wishes)
        if t.style == "quote":
            wish = f"本人いわく「{wish}」"
        parts.append(wish + "。")
        if second:
            parts.append(f"{rng.choice(second.wishes)}とも話している。")
        if t.quiet:
            parts.append(rng.choice(QUIET) + "。")
        if t.small:
            parts.append(rng.choice(SMALL) + "。")
        if t.paid:
            parts.append(rng.choice(PAID) + "。")
        if t.morning:
            parts.append(rng.choice(MORNING) + "。")
        text = "".join(parts)
    if t.style == "typo":
        text = _typo(text, rng)
    if t.style == "halfwidth":
        text = _widths(text, rng)
    avoid = "、".join(rng.sample(avoid_words, k=1)) if avoid_words else ""
    return text, avoid


def _honours(res: Resource, kind_of: dict[str, str], t: Truth) -> bool:
    if t.quiet and not res.quiet_environment:
        return False
    if t.small and not res.small_group:
        return False
    if t.paid and not res.paid:
        return False
    if t.morning and res.start_time >= "12:00":
        return False
    if t.avoid == "customer" and KIND_BY_CODE[kind_of[res.resource_id]].contact:
        return False
    if t.avoid == "night" and res.end_time > "18:00":
        return False
    return not (t.avoid == "crowd" and not res.small_group)


def _passes(p: PersonProfile, r: Resource) -> bool:
    from matching.rules import check_rules

    return not check_rules(p, r)


def make_people(
    resources: list[Resource], kinds: dict[str, str], n: int, seed: int = 11
) -> tuple[list[PersonProfile], dict[str, dict[str, int]], dict[str, Truth]]:
    """``n`` people anchored on eligible resources, their labels and hidden truths."""
    rng = random.Random(seed)
    coords = _coords(rng)
    anchors = [r for r in resources if r.status == "active" and r.capacity_remaining > 0]
    styles = ["narrative", "narrative", "terse", "quote", "typo", "halfwidth"]
    people: list[PersonProfile] = []
    labels: dict[str, dict[str, int]] = {}
    truths: dict[str, Truth] = {}
    attempts = 0
    while len(people) < n and attempts < n * 20:
        attempts += 1
        anchor = rng.choice(anchors)
        kind = kinds[anchor.resource_id]
        age_lo = max(anchor.min_age or 15, 15)
        age_hi = min(anchor.max_age or 80, 80)
        if age_lo > age_hi:
            continue
        age = rng.randint(age_lo, age_hi)
        t = Truth(
            kind=kind,
            second=rng.choice([k.code for k in KINDS if k.code != kind])
            if rng.random() < 0.25
            else None,
            quiet=anchor.quiet_environment and rng.random() < 0.5,
            small=anchor.small_group and rng.random() < 0.35,
            paid=anchor.paid and rng.random() < 0.7,
            morning=anchor.start_time < "12:00" and rng.random() < 0.25,
            avoid=None,
            style=rng.choice(styles),
        )
        if not KIND_BY_CODE[kind].contact and rng.random() < 0.3:
            t.avoid = "customer"
        elif anchor.end_time <= "18:00" and rng.random() < 0.15:
            t.avoid = "night"
        elif anchor.small_group and rng.random() < 0.15:
            t.avoid = "crowd"
        # home near the anchor: pick the nearest known place to a jittered point
        near = [
            c for c in coords if _km(c[1], c[2], anchor.lat or 0, anchor.lon or 0) < 6
        ] or coords
        ward, hlat, hlon = rng.choice(near)
        dist = _km(hlat, hlon, anchor.lat or 0, anchor.lon or 0)
        max_km: float | None = rng.choice([None, 3.0, 5.0, 8.0, 10.0, 15.0])
        if max_km is not None and max_km < dist:
            max_km = float(math.ceil(dist + 1))
        days: list[str] = []
        if rng.random() < 0.55 and anchor.days:
            days = sorted(
                {rng.choice(anchor.days)} | set(rng.sample(WEEKDAYS, rng.randint(0, 2))),
                key=WEEKDAYS.index,
            )
        text, avoid = _needs_text(t, age, rng)
        pid = f"SP{len(people) + 1:04d}-{t.style}"
        p = PersonProfile(
            person_id=pid,
            needs_text=text,
            avoid_text=avoid,
            age=age,
            has_certificate=anchor.requires_certificate or rng.random() < 0.15,
            days=days,
            home_ward=ward,
            home_lat=round(hlat, 5),
            home_lon=round(hlon, 5),
            max_travel_km=max_km,
            needs_wheelchair_access=anchor.wheelchair_accessible and rng.random() < 0.3,
            prefers_quiet=t.quiet and rng.random() < 0.5,
            prefers_small_group=t.small and rng.random() < 0.5,
            wants_paid=t.paid and rng.random() < 0.5,
            preferred_categories=[kind] if rng.random() < 0.15 else [],
        )
        # trap: exclude another good resource of the same kind by name
        same = [
            r
            for r in resources
            if kinds[r.resource_id] == kind and r is not anchor and _passes(p, r)
        ]
        if same and rng.random() < 0.2:
            p.excluded_resource_ids = [rng.choice(same).resource_id]
            t.traps.append("excluded")
        accepted = {t.kind} | RELATED.get(t.kind, set()) | ({t.second} if t.second else set())
        best: list[tuple[float, str]] = []
        fair: list[tuple[float, str]] = []
        for r in resources:
            k = kinds[r.resource_id]
            if k not in accepted or not _passes(p, r):
                continue
            d = _km(hlat, hlon, r.lat or 0, r.lon or 0)
            if k == t.kind and _honours(r, kinds, t):
                best.append((d, r.resource_id))
            elif k in (t.kind, t.second):
                fair.append((d, r.resource_id))
            elif not t.second:
                fair.append((d + 100, r.resource_id))  # related kinds rank after direct ones
        if not best:
            continue
        grades: dict[str, int] = {rid: 2 for _d, rid in sorted(best)[:3]}
        grades.update({rid: 1 for _d, rid in sorted(fair)[:3]})
        people.append(p)
        labels[pid] = grades
        truths[pid] = t
    return people, labels, truths


def write_set(out: Path, n_resources: int, n_people: int, seed: int) -> None:
    """Write catalog.csv, people.jsonl and labels.csv under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    resources, kinds = make_catalog(n_resources, seed=seed)
    people, labels, _ = make_people(resources, kinds, n_people, seed=seed + 1)
    write_catalog_csv(out / "catalog.csv", resources)
    with open(out / "people.jsonl", "w", encoding="utf-8") as fh:
        for p in people:
            fh.write(json.dumps(p.to_contract(), ensure_ascii=False) + "\n")
    with open(out / "labels.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["person_id", "resource_id", "grade"])
        for pid, grades in labels.items():
            for rid, g in sorted(grades.items(), key=lambda x: -x[1]):
                w.writerow([pid, rid, g])


def main() -> None:
    """Command line: write one synthetic set."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "synth")
    ap.add_argument("--resources", type=int, default=300)
    ap.add_argument("--people", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    write_set(args.out, args.resources, args.people, args.seed)


if __name__ == "__main__":
    main()
