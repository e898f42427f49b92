"""A seeded, fictional but plausible catalog of Chiba City activities for demos and benchmarks.

Every name, person, phone number and e-mail address is invented (example.jp domains,
043-xxx-xxxx numbers). Coordinates are rough ward centres with a little jitter, good enough
for distance filters in a demo and not meant to locate anything real.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from resources_catalog.records import ResourceRecord

# Approximate ward centres (lat, lon) and spreads, chosen by hand for the demo.
WARD_CENTRES: dict[str, tuple[float, float]] = {
    "中央区": (35.6010, 140.1230),
    "花見川区": (35.6650, 140.0720),
    "稲毛区": (35.6420, 140.1100),
    "若葉区": (35.6220, 140.1800),
    "緑区": (35.5560, 140.1950),
    "美浜区": (35.6390, 140.0600),
}
TOWNS: dict[str, tuple[str, ...]] = {
    "中央区": (
        "中央",
        "富士見",
        "新町",
        "院内",
        "亥鼻",
        "寒川町",
        "千葉寺町",
        "松ケ丘町",
        "星久喜町",
        "登戸",
        "椿森",
        "蘇我",
    ),
    "花見川区": (
        "幕張町",
        "検見川町",
        "花島町",
        "犢橋町",
        "横戸町",
        "瑞穂",
        "朝日ケ丘",
        "作新台",
        "柏井町",
        "三角町",
    ),
    "稲毛区": (
        "稲毛東",
        "小仲台",
        "園生町",
        "轟町",
        "穴川",
        "作草部",
        "長沼町",
        "山王町",
        "天台",
        "宮野木町",
    ),
    "若葉区": (
        "貝塚町",
        "都賀",
        "桜木",
        "小倉台",
        "千城台北",
        "大宮町",
        "御成台",
        "加曽利町",
        "高品町",
        "更科町",
    ),
    "緑区": (
        "誉田町",
        "鎌取町",
        "おゆみ野",
        "土気町",
        "あすみが丘",
        "大椎町",
        "平山町",
        "高田町",
    ),
    "美浜区": (
        "幸町",
        "高洲",
        "真砂",
        "磯辺",
        "稲毛海岸",
        "打瀬",
        "若葉",
        "中瀬",
        "ひび野",
        "高浜",
    ),
}
SURNAMES = (
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "清水",
    "石井",
    "斎藤",
    "森",
)
GIVEN = (
    "健一",
    "由美",
    "隆",
    "恵子",
    "正夫",
    "直美",
    "誠",
    "陽子",
    "大輔",
    "香織",
    "浩二",
    "真理",
    "翔太",
    "美咲",
    "修",
    "和子",
    "拓也",
    "幸子",
)


@dataclass(frozen=True)
class Kind:
    """One kind of activity: how it is named, described and scheduled."""

    slug: str
    categories: tuple[str, ...]
    places: tuple[str, ...]
    activities: tuple[str, ...]
    orgs: tuple[str, ...]
    tasks: tuple[str, ...]
    mood: tuple[str, ...]
    days: tuple[tuple[str, ...], ...]
    hours: tuple[tuple[str, str], ...]
    capacity: tuple[int, int]
    quiet: float = 0.3
    small: float = 0.4
    paid: float = 0.0
    certificate: float = 0.0
    wheelchair: float = 0.3
    age: tuple[int | None, int | None] = (None, None)
    cost: tuple[int, ...] = (0,)
    fee: tuple[int, ...] = (0, 500, 1000)


KINDS: tuple[Kind, ...] = (
    Kind("farm", ("farm",), ("ふれあい農園", "市民菜園", "のうえん", "里山畑"),
         ("農作業ボランティア", "収穫体験", "畑仕事のお手伝い"),
         ("NPO法人 {town}土と人の会", "{town}農業体験の会", "農事組合法人 {town}グリーン"),
         ("種まき", "除草", "収穫", "袋詰め", "農具の手入れ", "堆肥づくり"),
         ("黙々と作業できるものが中心で、会話が苦手な方も自分のペースで参加できます。",
          "地域の家族連れや学生も参加するにぎやかな雰囲気です。"),
         (("tue", "thu"), ("sat", "sun"), ("mon", "wed", "fri")),
         (("09:00", "12:00"), ("09:30", "11:30"), ("08:30", "10:30")), (4, 12), quiet=0.6),
    Kind("kids_cafeteria", ("kids", "cooking"), ("こども食堂", "みんなの食堂", "地域食堂"),
         ("調理・配膳ボランティア", "盛り付けのお手伝い"),
         ("{town}まちづくり協議会", "一般社団法人 {town}こども応援ネット", "{town}子ども食堂の会"),
         ("野菜の下ごしらえ", "盛り付け", "配膳", "片付け", "食器洗い"),
         ("子どもとの会話が自然に生まれるあたたかい雰囲気です。", "調理の経験は問いません。"),
         (("wed",), ("fri",), ("sat",)), (("15:00", "19:30"), ("16:00", "19:00")), (5, 10),
         quiet=0.05, small=0.2, age=(16, None)),
    Kind("salon", ("elderly", "volunteer"), ("いきいきサロン", "ふれあいサロン", "茶話会"),
         ("お茶出しボランティア", "運営のお手伝い", "レクリエーション補助"),
         ("{town}地区社会福祉協議会", "{town}高齢者サロン運営委員会"),
         ("お茶出し", "会場設営", "体操の補助", "話し相手", "受付"),
         ("参加者は70代以上の方が中心で、ゆったりした時間が流れています。",
          "昔話を聞くのが好きな方に向いています。"),
         (("tue",), ("thu",), ("mon", "thu")), (("10:00", "12:00"), ("13:30", "15:30")), (3, 6),
         quiet=0.4, small=0.6, wheelchair=0.7),
    Kind("b_type", ("employment_training", "light_work"), ("就労継続支援B型事業所", "作業所"),
         ("軽作業の体験利用", "就労体験プログラム"),
         ("社会福祉法人 {town}福祉会", "NPO法人 {town}ワークス", "合同会社 {town}はたらく舎"),
         ("部品の組立", "封入・封かん", "シール貼り", "検品", "袋詰め", "清掃"),
         ("障害福祉サービス受給者証をお持ちの方が対象です。工賃は作業量に応じて支払われます。",
          "体調にあわせて短時間から始められます。"),
         (("mon", "tue", "wed", "thu", "fri"), ("mon", "wed", "fri"), ("tue", "thu")),
         (("09:30", "15:30"), ("10:00", "15:00"), ("10:00", "12:00")), (5, 20),
         quiet=0.5, paid=0.95, certificate=0.9, wheelchair=0.5, age=(18, 64), fee=(0,)),
    Kind("a_type", ("employment_training", "office_it"), ("就労継続支援A型事業所",),
         ("データ入力の実習", "軽作業の実習"),
         ("株式会社 {town}ビジネスサポート", "一般社団法人 {town}キャリアリンク"),
         ("データ入力", "書類のスキャン", "梱包", "発送準備"),
         ("雇用契約を結んで働く事業所での実習です。最低賃金が保証されます。",),
         (("mon", "tue", "wed", "thu", "fri"),), (("09:00", "16:00"), ("10:00", "16:00")),
         (3, 10), quiet=0.6, paid=1.0, certificate=0.95, wheelchair=0.6, age=(18, 64), fee=(0,)),
    Kind("shop", ("retail",), ("ふれあいショップ", "福祉ショップ", "商店街の八百屋"),
         ("店頭販売のお手伝い", "品出し・レジ補助"),
         ("{town}商店会", "NPO法人 {town}まちの店"),
         ("品出し", "値札付け", "レジ補助", "店頭の掃除", "接客"),
         ("人と話すのが好きな方に向いています。", "常連さんが多い小さなお店です。"),
         (("sat",), ("wed", "sat"), ("mon", "wed", "fri")),
         (("10:00", "13:00"), ("13:00", "16:00")), (2, 4), quiet=0.05, small=0.8),
    Kind("library", ("library", "volunteer"), ("地区図書室", "こども文庫", "公民館図書室"),
         ("本の整理ボランティア", "配架のお手伝い"),
         ("{town}文庫の会", "{town}公民館図書ボランティア"),
         ("返却本の配架", "本の修理", "ラベル貼り", "読み聞かせの準備"),
         ("静かな環境で、ひとりで集中できる作業が中心です。",),
         (("tue", "fri"), ("wed",), ("sat",)), (("10:00", "12:00"), ("13:00", "15:00")),
         (2, 5), quiet=0.95, small=0.8, wheelchair=0.7),
    Kind("animals", ("animals",), ("保護猫シェルター", "ふれあい動物広場", "保護犬カフェ"),
         ("お世話ボランティア", "動物のお世話体験"),
         ("NPO法人 {town}どうぶつ家族", "{town}保護猫の会"),
         ("ケージの掃除", "えさやり", "散歩", "タオルの洗濯"),
         ("動物が好きな方歓迎。アレルギーのある方はご相談ください。",),
         (("sat", "sun"), ("mon", "thu"), ("wed",)), (("10:00", "12:00"), ("14:00", "16:00")),
         (2, 6), quiet=0.5, age=(15, None)),
    Kind("crafts", ("crafts", "hobby"), ("手芸工房", "木工室", "ものづくりアトリエ"),
         ("手しごと教室", "木工・手芸の作業"),
         ("{town}手しごとの会", "NPO法人 {town}クラフト舎"),
         ("布小物づくり", "編み物", "木工", "アクセサリーづくり", "販売品の仕上げ"),
         ("完成品は地域のバザーで販売しています。", "材料費は団体が負担します。"),
         (("thu",), ("tue", "fri"), ("sat",)), (("13:00", "15:30"), ("10:00", "12:00")),
         (4, 8), quiet=0.7, small=0.6, cost=(0, 200, 300, 500)),
    Kind("sports", ("sports",), ("地域体育館", "ふれあい運動広場", "スポーツクラブ"),
         ("軽スポーツの会", "ウォーキングの会", "卓球サークル"),
         ("{town}総合型地域スポーツクラブ", "{town}スポーツ推進委員会"),
         ("準備体操", "ボッチャ", "卓球", "ウォーキング", "用具の準備"),
         ("運動が苦手な方でも楽しめる、ゆるやかなプログラムです。",),
         (("sat",), ("sun",), ("wed",)), (("10:00", "12:00"), ("19:00", "21:00")), (6, 20),
         quiet=0.05, small=0.2, wheelchair=0.4, cost=(0, 100, 300)),
    Kind("it", ("office_it",), ("ITサポート室", "パソコン工房", "デジタル作業室"),
         ("IT作業体験", "パソコン作業の体験"),
         ("一般社団法人 {town}デジタル工房", "NPO法人 {town}ITサポート"),
         ("データ入力", "写真の整理", "チラシ作成", "ホームページ更新", "動画編集"),
         ("在宅ワークに近い作業を体験できます。パソコンの基本操作ができる方向け。",),
         (("mon", "wed"), ("tue", "thu"), ("fri",)), (("10:00", "15:00"), ("13:00", "16:00")),
         (2, 6), quiet=0.8, small=0.7, age=(15, 39)),
    Kind("cleaning", ("cleaning", "volunteer"), ("公園", "駅前", "海浜緑地", "河川敷"),
         ("清掃活動", "美化ボランティア"),
         ("{town}まちをきれいにする会", "{town}自治会"),
         ("ごみ拾い", "落ち葉はき", "花壇の手入れ", "分別"),
         ("屋外の作業です。動きやすい服装でお越しください。",),
         (("sun",), ("sat",), ("wed",)), (("07:00", "08:30"), ("09:00", "10:30")), (5, 30),
         quiet=0.3, small=0.1),
    Kind("cafe", ("cooking", "retail"), ("コミュニティカフェ", "ふらっとカフェ", "まちかどカフェ"),
         ("カフェスタッフ体験", "ホール・洗い場のお手伝い"),
         ("NPO法人 {town}カフェ", "合同会社 {town}ひだまり"),
         ("ドリンク提供", "洗い物", "テーブル拭き", "焼き菓子の袋詰め"),
         ("接客が不安な方は洗い場から始められます。",),
         (("tue", "wed", "thu"), ("sat",), ("mon", "fri")),
         (("11:00", "14:00"), ("10:00", "15:00")), (2, 5), quiet=0.2, small=0.7, paid=0.3),
    Kind("place", ("place_to_be",), ("フリースペース", "居場所", "たまり場"),
         ("居場所の時間", "ふらっと参加デー"),
         ("NPO法人 {town}ひとやすみ", "{town}居場所づくりの会"),
         ("ボードゲーム", "おしゃべり", "読書", "軽食づくり"),
         ("何もしなくても大丈夫。来たいときに来て、帰りたいときに帰れます。",
          "ひきこもり経験のある若者が多く集まっています。"),
         (("tue", "fri"), ("wed",), ("sat",)), (("13:00", "17:00"), ("14:00", "18:00")),
         (5, 15), quiet=0.6, small=0.5, age=(15, 39), fee=(0, 500)),
    Kind("art", ("music_art", "hobby"), ("音楽室", "アトリエ", "地域ホール"),
         ("合唱の会", "絵画教室", "ドラムサークル", "書道の会"),
         ("{town}音楽の輪", "NPO法人 {town}アートの種"),
         ("合唱", "絵画", "書道", "打楽器", "作品展の準備"),
         ("経験は問いません。作品は年に一度の発表会で展示します。",),
         (("thu",), ("sat",), ("mon",)), (("14:00", "16:00"), ("18:30", "20:30")), (5, 15),
         quiet=0.3, cost=(0, 300, 500)),
    Kind("nature", ("nature", "volunteer"), ("谷津田", "里山", "海辺", "緑地"),
         ("保全活動", "自然観察と草刈り", "生きもの調査"),
         ("{town}の自然を守る会", "NPO法人 {town}グリーンネット"),
         ("草刈り", "竹林整備", "生きもの調査", "ごみ拾い", "木道の補修"),
         ("自然の中で体を動かしたい方に。道具は貸し出します。",),
         (("sat",), ("sun",), ("thu",)), (("09:00", "12:00"), ("09:30", "15:00")), (5, 20),
         quiet=0.6, small=0.2),
)  # fmt: skip


def _phone(rng: random.Random) -> str:
    return f"043-{rng.randint(200, 499)}-{rng.randint(0, 9999):04d}"


def _description(
    rng: random.Random, kind: Kind, place: str, town: str, ward: str, days: str
) -> str:
    tasks = rng.sample(kind.tasks, k=min(len(kind.tasks), rng.randint(2, 4)))
    if rng.random() < 0.35:  # a terse list, as some receivers send them
        lines = [f"・作業: {'、'.join(tasks)}", f"・場所: {ward}{town}", f"・日時: {days}"]
        if rng.random() < 0.5:
            lines.append("・持ち物: 飲み物、タオル")
        return "\n".join(lines)
    opening = f"{ward}{town}の{place}で、{'・'.join(tasks)}などを行います。"
    return opening + "".join(rng.sample(kind.mood, k=min(len(kind.mood), rng.randint(1, 2))))


_DAY_JA = {"mon": "月", "tue": "火", "wed": "水", "thu": "木", "fri": "金", "sat": "土",
           "sun": "日"}  # fmt: skip
_DOMAINS = ("example.jp", "example.org", "example.com")


def generate(count: int, *, seed: int = 20261122, prefix: str = "D") -> list[ResourceRecord]:
    """``count`` valid records with ids ``{prefix}0001``..., the same for the same seed."""
    rng = random.Random(seed)
    wards = list(WARD_CENTRES)
    width = max(4, len(str(count)))
    records: list[ResourceRecord] = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)] if index < len(KINDS) * 2 else rng.choice(KINDS)
        ward = wards[index % len(wards)]
        town = rng.choice(TOWNS[ward])
        centre_lat, centre_lon = WARD_CENTRES[ward]
        days = rng.choice(kind.days)
        start, end = rng.choice(kind.hours)
        total = rng.randint(*kind.capacity)
        remaining = 0 if rng.random() < 0.12 else rng.randint(1, total)
        min_age, max_age = kind.age
        if min_age is None and rng.random() < 0.1:
            min_age = 18
        status = "active"
        roll = rng.random()
        if roll < 0.06:
            status = "inactive"
        elif roll < 0.09:
            status = "temporarily_closed"
        fee = rng.choice(kind.fee)
        org = rng.choice(kind.orgs).format(town=town)
        day_text = "・".join(_DAY_JA[d] for d in days) + f" {start}〜{end}"
        slug = f"{kind.slug}{index % 97}"
        place = rng.choice(kind.places)
        records.append(
            ResourceRecord(
                resource_id=f"{prefix}{index + 1:0{width}d}",
                name=f"{town}{place} {rng.choice(kind.activities)}",
                organization=org,
                description=_description(rng, kind, place, town, ward, day_text),
                categories=list(kind.categories[: rng.randint(1, len(kind.categories))]),
                ward=ward,
                address=f"千葉市{ward}{town}{rng.randint(1, 3000)}-{rng.randint(1, 30)}",
                lat=round(centre_lat + rng.uniform(-0.012, 0.012), 4),
                lon=round(centre_lon + rng.uniform(-0.015, 0.015), 4),
                days=list(days),
                start_time=start,
                end_time=end,
                capacity_total=total,
                capacity_remaining=remaining,
                min_age=min_age,
                max_age=max_age,
                requires_certificate=rng.random() < kind.certificate,
                wheelchair_accessible=rng.random() < kind.wheelchair,
                quiet_environment=rng.random() < kind.quiet,
                small_group=rng.random() < kind.small or total <= 4,
                visit_ok=rng.random() < 0.8,
                trial_ok=rng.random() < 0.6,
                paid=rng.random() < kind.paid,
                participant_cost_yen=rng.choice(kind.cost),
                cooperation_fee_yen=fee,
                cooperation_fee_unit=(rng.choice(("per_session", "per_month")) if fee else "none"),
                status=status,
                contact_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                phone=_phone(rng),
                email=f"{slug}@{rng.choice(_DOMAINS)}",
            )
        )
    return records
