"""Write the hand-made register sets: ``colloquial`` and ``terse_typos``.

``python -m matching.evalsets.make_registers`` (re)writes both folders beside this file.

One catalog of 32 activities described in the general words a brochure uses (犬の散歩, 模型,
裁縫, テレビゲーム). People speak in other registers about the same things with colloquial or
very specific words the brochure never uses (わんこ, 柴犬, ガンプラ, ミシン, マイクラ, ラズパイ):

- ``colloquial``: quotes (本人「…」), slang and everyday speech;
- ``terse_typos``: coordinator shorthand (「20代男｡ｶﾞﾝﾌﾟﾗ好き｡」), half-width kana, typos.

Labels: grade 2 for the activity the person's words are about, grade 1 for a close one.
Nobody has a hard-rule trap here (these sets measure meaning; dev and synth test the rules).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from matching.io import CATALOG_COLUMNS

HERE = Path(__file__).resolve().parent
WARDS = {
    "中央区": (35.6074, 140.1065),
    "花見川区": (35.6625, 140.0706),
    "稲毛区": (35.6376, 140.0925),
    "若葉区": (35.6218, 140.1554),
    "緑区": (35.5621, 140.2110),
    "美浜区": (35.6405, 140.0627),
}

# id, name, description, categories, ward, days, start, end
CATALOG: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "C01",
        "保護犬の散歩ボランティア",
        "保護団体の犬を朝夕に散歩させ、犬舎の掃除をします。",
        "animals",
        "若葉区",
        "mon;wed;fri",
        "15:00",
        "17:00",
    ),
    (
        "C02",
        "保護猫シェルターのお世話",
        "猫の餌やりとトイレ掃除、ブラッシング。",
        "animals",
        "稲毛区",
        "tue;thu;sat",
        "10:00",
        "12:00",
    ),
    (
        "C03",
        "模型づくりサークル",
        "プラスチック模型の組み立てと塗装を、集会所で少人数で楽しみます。",
        "hobby;crafts",
        "中央区",
        "sat",
        "13:00",
        "16:00",
    ),
    (
        "C04",
        "布小物の縫製作業所",
        "裁縫で巾着やエコバッグを縫い、バザーで販売します。",
        "crafts",
        "花見川区",
        "mon;tue;wed;thu;fri",
        "10:00",
        "15:00",
    ),
    (
        "C05",
        "パソコン教室の補助",
        "高齢者向けパソコン教室で、操作に迷った受講者を手伝います。",
        "office_it",
        "美浜区",
        "tue;fri",
        "13:00",
        "15:00",
    ),
    (
        "C06",
        "事務所のデータ入力",
        "表計算ソフトで名簿や伝票の数字を入力します。",
        "office_it",
        "中央区",
        "mon;wed;thu",
        "10:00",
        "16:00",
    ),
    (
        "C07",
        "テレビゲーム交流会",
        "家庭用ゲーム機のソフトで対戦や協力プレイをしながら交流する居場所です。",
        "hobby;place_to_be",
        "稲毛区",
        "sat;sun",
        "13:00",
        "17:00",
    ),
    (
        "C08",
        "花壇の園芸ボランティア",
        "駅前の花壇で季節の花を植え、水やりと草取りをします。",
        "nature",
        "緑区",
        "tue;thu",
        "09:00",
        "11:00",
    ),
    (
        "C09",
        "市民農園の農作業",
        "畑で野菜の種まきと収穫、除草を手伝います。",
        "farm",
        "若葉区",
        "wed;sat",
        "09:00",
        "12:00",
    ),
    (
        "C10",
        "こども食堂の調理補助",
        "子ども向けの夕食づくりで、野菜を切ったり盛り付けたりします。",
        "cooking;kids",
        "中央区",
        "fri",
        "15:00",
        "19:00",
    ),
    (
        "C11",
        "焼き菓子工房",
        "焼き菓子を焼いて袋詰めし、店頭で販売します。",
        "cooking",
        "花見川区",
        "mon;tue;wed;thu;fri",
        "09:30",
        "15:30",
    ),
    (
        "C12",
        "図書館の本の修理と配架",
        "傷んだ本や雑誌を補修し、書架に並べます。",
        "library",
        "稲毛区",
        "mon;wed;fri",
        "10:00",
        "12:00",
    ),
    (
        "C13",
        "公園清掃",
        "公園のごみ拾いと落ち葉掃き。",
        "cleaning",
        "美浜区",
        "mon;thu",
        "09:00",
        "10:30",
    ),
    (
        "C14",
        "高齢者サロンの話し相手",
        "地域のお年寄りとお茶を飲みながら会話を楽しみます。",
        "elderly",
        "若葉区",
        "tue;thu",
        "13:30",
        "15:30",
    ),
    (
        "C15",
        "地域の合唱と楽器の会",
        "合唱や楽器の演奏を練習し、施設で発表します。",
        "music_art",
        "中央区",
        "wed",
        "18:00",
        "20:00",
    ),
    (
        "C16",
        "絵画教室のアシスタント",
        "水彩や色鉛筆で絵を描く教室の準備と片付けを手伝います。",
        "music_art",
        "美浜区",
        "sat",
        "10:00",
        "12:00",
    ),
    (
        "C17",
        "自転車整備の作業所",
        "放置自転車を修理・整備して再生します。",
        "light_work",
        "花見川区",
        "mon;wed;fri",
        "10:00",
        "15:00",
    ),
    (
        "C18",
        "川辺の環境保全",
        "川辺の清掃と水辺の生き物調査。魚の観察もします。",
        "nature",
        "緑区",
        "sun",
        "09:00",
        "12:00",
    ),
    (
        "C19",
        "地域行事の写真記録",
        "地域の行事をカメラで撮影し、記録写真を整理します。",
        "hobby",
        "中央区",
        "sat;sun",
        "10:00",
        "15:00",
    ),
    (
        "C20",
        "木工工房",
        "木材を切って家具や棚を作り、壊れた椅子を修理します。",
        "crafts",
        "若葉区",
        "tue;thu",
        "10:00",
        "15:00",
    ),
    (
        "C21",
        "洗車と車内清掃",
        "福祉車両の洗車と車内の掃除をします。",
        "light_work;cleaning",
        "稲毛区",
        "mon;tue;wed;thu;fri",
        "09:00",
        "12:00",
    ),
    (
        "C22",
        "古着の仕分けと店番",
        "寄付された衣類を仕分けし、リサイクルショップで店番をします。",
        "retail",
        "花見川区",
        "tue;wed;sat",
        "10:00",
        "16:00",
    ),
    (
        "C23",
        "子どもの学習支援",
        "小中学生の宿題や勉強を見ます。",
        "kids",
        "美浜区",
        "mon;wed",
        "16:00",
        "18:00",
    ),
    (
        "C24",
        "卓球と体操の会",
        "体育館で卓球や軽い体操をして体を動かします。",
        "sports",
        "稲毛区",
        "thu",
        "13:00",
        "15:00",
    ),
    (
        "C25",
        "動画とホームページの更新",
        "団体の活動を動画に編集し、ホームページを更新します。",
        "office_it",
        "中央区",
        "tue;thu",
        "13:00",
        "16:00",
    ),
    (
        "C26",
        "観賞魚の飼育ボランティア",
        "水槽の掃除と小さな魚の餌やりをします。",
        "animals",
        "美浜区",
        "wed;sat",
        "10:00",
        "12:00",
    ),
    (
        "C27",
        "和食の料理教室補助",
        "煮物や味噌汁など和食の教室で材料の準備をします。",
        "cooking",
        "若葉区",
        "fri",
        "10:00",
        "13:00",
    ),
    (
        "C28",
        "囲碁と将棋のクラブ",
        "盤を囲んで対局を楽しむクラブの準備と相手役。",
        "hobby",
        "緑区",
        "mon;fri",
        "13:00",
        "16:00",
    ),
    (
        "C29",
        "電子工作教室の補助",
        "子ども向けの電子工作とプログラミング教室で配線を手伝います。",
        "office_it;kids",
        "稲毛区",
        "sat",
        "13:00",
        "16:00",
    ),
    (
        "C30",
        "手編みの会",
        "毛糸で帽子やマフラーを編みます。",
        "crafts",
        "花見川区",
        "thu",
        "13:00",
        "15:00",
    ),
    (
        "C31",
        "フードバンクの仕分け",
        "寄付された食品を仕分けて箱詰めします。",
        "light_work;volunteer",
        "中央区",
        "tue;fri",
        "10:00",
        "14:00",
    ),
    (
        "C32",
        "フラワーアレンジメント教室",
        "生花を使ったアレンジメントを作る教室の準備。",
        "music_art",
        "美浜区",
        "wed",
        "13:00",
        "15:00",
    ),
]

# person suffix, needs text per register, labels (grade 2 ids, grade 1 ids)
NEEDS: list[tuple[str, str, str, list[str], list[str]]] = [
    # key, colloquial, terse/typos, grade 2, grade 1
    (
        "dog",
        "本人「わんこが大好き。毎日一緒に歩いてた」",
        "30代女｡ﾜﾝｺ好き､以前飼ってた｡",
        ["C01"],
        ["C02"],
    ),
    (
        "shiba",
        "実家で柴犬を飼っていて世話は慣れている",
        "柴犬飼育歴10年。外出は夕方が楽",
        ["C01"],
        ["C02"],
    ),
    ("cat", "にゃんこと遊んでると落ち着くらしい", "ﾈｺ好き｡人より動物", ["C02"], ["C01", "C26"]),
    (
        "gunpla",
        "本人「ガンプラ作るのだけは続いてる」",
        "20代男｡ｶﾞﾝﾌﾟﾗ歴長い｡手先器用",
        ["C03"],
        ["C20"],
    ),
    (
        "plamo",
        "プラモばっか作ってたってお母さんが言ってた",
        "ぷらも趣味。細かい作業得意",
        ["C03"],
        ["C20", "C29"],
    ),
    ("sewing", "ミシンで小物作るのがストレス解消", "ﾐｼﾝ使える｡手作り小物", ["C04"], ["C30"]),
    (
        "minecraft",
        "マイクラとスプラばっかやってる、ゲーム仲間がほしい",
        "ﾏｲｸﾗ･ｽﾌﾟﾗ毎日｡昼夜逆転ぎみ",
        ["C07"],
        ["C29"],
    ),
    ("excel", "エクセルなら少しいじれるって本人", "ｴｸｾﾙ少し可。在宅長い", ["C06"], ["C05"]),
    (
        "typing",
        "ブラインドタッチできるのが自慢",
        "タイピング速い｡対人苦手",
        ["C06"],
        ["C05", "C25"],
    ),
    (
        "youtube",
        "ユーチューブ用の動画を自分で編集してた",
        "ﾕｰﾁｭｰﾌﾞ動画編集経験あり",
        ["C25"],
        ["C19"],
    ),
    ("rose", "ベランダでバラとかハーブ育ててる", "ﾍﾞﾗﾝﾀﾞでﾊｰﾌﾞ栽培。朝型", ["C08"], ["C09", "C32"]),
    (
        "cookie",
        "クッキーとかマフィン焼くのが好きで",
        "お菓子作り(ｸｯｷｰ)好き",
        ["C11"],
        ["C10", "C27"],
    ),
    ("manga", "ラノベとか漫画ばっか読んでる", "ﾏﾝｶﾞ･ﾗﾉﾍﾞ読書多い", ["C12"], []),
    ("piano", "子どもの頃からピアノ弾いてた", "ﾋﾟｱﾉ経験有。人前は緊張", ["C15"], []),
    ("guitar", "本人「ギター触ってるときだけ楽しい」", "ギター趣味。音楽系希望", ["C15"], []),
    ("illust", "ずっとイラスト描いてる、デジタルも", "ｲﾗｽﾄ描くの好き", ["C16"], []),
    (
        "bike",
        "ママチャリのパンクくらいなら直せる",
        "ﾁｬﾘ修理できる｡機械いじり好き",
        ["C17"],
        ["C21"],
    ),
    ("fishing", "釣りが好きで川によく行ってた", "釣り好き｡外で過ごしたい", ["C18"], []),
    ("camera", "一眼レフで風景撮ってる", "ｶﾒﾗ(一眼)趣味", ["C19"], []),
    ("diy", "DIYで棚とか作ってた、のこぎり使える", "DIY得意｡大工仕事", ["C20"], ["C17"]),
    ("car", "車いじりが好きでよく洗車してた", "くるま好き｡洗車よくしてた", ["C21"], ["C17"]),
    ("vintage", "古着屋めぐりが趣味、服が好き", "ﾌﾙｷﾞ好き｡服の仕分けなら", ["C22"], []),
    ("tutor", "弟に勉強教えるのは得意だった", "勉強教えるの得意。子ども可", ["C23"], ["C10"]),
    ("pingpong", "中学のとき卓球部だった、体動かしたい", "ﾀｯｷｭｳ部出身｡運動不足", ["C24"], []),
    ("medaka", "メダカ飼ってて毎日見てる", "めだか飼育中｡生き物好き", ["C26"], ["C18"]),
    ("shogi", "将棋アプリばっかやってる、対局したい", "将棋指せる(初段くらい)", ["C28"], ["C07"]),
    ("raspi", "ラズパイとかアルドゥイーノいじってる", "ﾗｽﾞﾊﾟｲ･電子工作趣味", ["C29"], ["C05", "C25"]),
    ("grandma", "じいちゃんばあちゃんと喋るのは好き", "お年寄りと話すの苦にならない", ["C14"], []),
    (
        "washoku",
        "煮物とか味噌汁なら作れる、自炊してる",
        "自炊(和食)可｡料理やりたい",
        ["C27"],
        ["C10", "C11"],
    ),
    ("knit", "冬になると毛糸でマフラー編んでる", "あみもの好き｡毛糸", ["C30"], ["C04"]),
    ("ikebana", "生け花習ってた、お花触るのが好き", "いけばな経験", ["C32"], ["C08"]),
    ("tidy", "断捨離とか片付けが得意で", "片付け･整理整頓得意", ["C31"], ["C22", "C13"]),
]


def _catalog_rows() -> list[dict[str, str]]:
    rows = []
    for n, (rid, name, desc, cats, ward, days, start, end) in enumerate(CATALOG):
        lat, lon = WARDS[ward]
        rows.append(
            {
                **dict.fromkeys(CATALOG_COLUMNS, ""),
                "resource_id": rid,
                "name": name,
                "organization": f"{ward}地域活動の会",
                "description": desc,
                "categories": cats,
                "ward": ward,
                "address": f"千葉市{ward}",
                "lat": f"{lat + 0.003 * (n % 5):.4f}",
                "lon": f"{lon - 0.003 * (n % 3):.4f}",
                "days": days,
                "start_time": start,
                "end_time": end,
                "capacity_total": "5",
                "capacity_remaining": "2",
                "requires_certificate": "false",
                "wheelchair_accessible": "false",
                "quiet_environment": "false",
                "small_group": "false",
                "visit_ok": "true",
                "trial_ok": "true",
                "paid": "false",
                "participant_cost_yen": "0",
                "cooperation_fee_yen": "0",
                "cooperation_fee_unit": "none",
                "status": "active",
            }
        )
    return rows


def write(folder: Path, register: int) -> None:
    """Write one set; ``register`` 1 = colloquial text, 2 = terse/typos text."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "catalog.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CATALOG_COLUMNS)
        w.writeheader()
        w.writerows(_catalog_rows())
    wards = list(WARDS)
    with (folder / "people.jsonl").open("w", encoding="utf-8") as fh:
        for n, row in enumerate(NEEDS):
            ward = wards[n % len(wards)]
            lat, lon = WARDS[ward]
            person = {
                "person_id": f"{row[0]}-{'colloquial' if register == 1 else 'terse'}",
                "needs_text": row[register],
                "avoid_text": "",
                "age": 20 + (n * 7) % 45,
                "has_certificate": False,
                "days": [],
                "home": {"ward": ward, "lat": lat, "lon": lon},
                "max_travel_km": None,
                "needs_wheelchair_access": False,
                "prefers_quiet": False,
                "prefers_small_group": False,
                "wants_paid": False,
                "preferred_categories": [],
                "excluded_resource_ids": [],
            }
            fh.write(json.dumps(person, ensure_ascii=False) + "\n")
    with (folder / "labels.csv").open("w", encoding="utf-8", newline="") as fh:
        w2 = csv.writer(fh)
        w2.writerow(["person_id", "resource_id", "grade"])
        for row in NEEDS:
            pid = f"{row[0]}-{'colloquial' if register == 1 else 'terse'}"
            for rid in row[3]:
                w2.writerow([pid, rid, 2])
            for rid in row[4]:
                w2.writerow([pid, rid, 1])


if __name__ == "__main__":
    write(HERE / "colloquial", 1)
    write(HERE / "terse_typos", 2)
