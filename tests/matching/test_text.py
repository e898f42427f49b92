"""Normalisation, Sudachi tokens and the ontology layer."""

from __future__ import annotations

import pytest

from matching.text import Analyzer, normalize, read_time_wishes, without_speakers


def test_normalize_unifies_widths_and_digits() -> None:
    assert normalize("ﾊﾟｿｺﾝ　ＰＣ　１２３") == "パソコン PC 123"


def test_normalize_handles_empty_and_none() -> None:
    assert normalize("") == ""
    assert normalize(None) == ""


def test_empty_text_has_no_tokens_or_concepts() -> None:
    an = Analyzer().analyze("", detect_negation=True)
    assert an.tokens == [] and an.concepts == {} and an.negated == {}


def test_emoji_only_text_is_harmless() -> None:
    an = Analyzer().analyze("🙂🐶✨", detect_negation=True)
    assert an.tokens == []


def test_halfwidth_kana_meets_fullwidth() -> None:
    a = Analyzer()
    assert a.tokens("ｼｰﾙ貼り") == a.tokens("シール貼り")


def test_spelling_variants_share_normalized_form() -> None:
    a = Analyzer()
    assert a.tokens("子供") == a.tokens("子ども") == a.tokens("こども")


def test_pc_and_pasokon_map_to_same_concept() -> None:
    a = Analyzer()
    assert "office_it" in a.analyze("PC得意").concepts
    assert "office_it" in a.analyze("ﾊﾟｿｺﾝが好き").concepts


def test_synonyms_map_wording_to_concepts() -> None:
    a = Analyzer()
    assert "farm" in a.analyze("畑仕事がしたい").concepts
    assert "animals" in a.analyze("生き物の世話").concepts
    assert "sports" in a.analyze("体を動かすのが好き").concepts


def test_terse_note_marks_crowds_as_avoided() -> None:
    an = Analyzer().analyze("30代男。PC得意、人混み×。週2程度", detect_negation=True)
    assert "office_it" in an.concepts
    assert "crowd" in an.negated


def test_ng_marks_customer_service_as_avoided() -> None:
    an = Analyzer().analyze("接客NG・電話も無理", detect_negation=True)
    assert {"customer_service", "phone"} <= set(an.negated)
    assert "customer_service" not in an.concepts


def test_quote_about_sitting_means_place_to_be() -> None:
    an = Analyzer().analyze("「ただ座ってていい所がほしい」", detect_negation=True)
    assert "place_to_be" in an.concepts


def test_very_long_text_is_truncated_not_slow() -> None:
    an = Analyzer().analyze("畑で野菜を育てたい。" * 5000, detect_negation=True)
    assert "farm" in an.concepts
    assert len(an.normalized) <= 4000


def test_time_wishes_read_window_and_avoid_night() -> None:
    t = read_time_wishes("送迎があるので10時〜14時が希望。朝型。", "夜の活動")
    assert t.window == (10.0, 14.0)
    assert t.morning and t.avoid_night


def test_text_analysis_is_safe_from_several_threads() -> None:
    """The web server ranks in a thread pool; one shared Sudachi tokenizer raised there."""
    from concurrent.futures import ThreadPoolExecutor

    from matching.text import sudachi_tokens

    texts = [f"畑で野菜を育てたい。人混みは苦手です{i}" for i in range(200)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(sudachi_tokens, texts))
    assert all(r[0][0] == "畑" for r in results)


def test_katakana_term_inside_a_longer_loanword_is_not_a_match() -> None:
    a = Analyzer()
    assert "baking" not in a.analyze("パンクが好き").concepts
    assert "baking" in a.analyze("パンを焼きたい").concepts


def test_childhood_idiom_is_not_a_wish_about_children() -> None:
    a = Analyzer()
    assert "kids" not in a.analyze("子どもの頃ピアノを習っていた").concepts
    assert "music_art" in a.analyze("子どもの頃ピアノを習っていた").concepts
    assert "kids" in a.analyze("子どもと関わりたい").concepts


def test_weak_terms_alone_mark_a_concept_as_loosely_named() -> None:
    a = Analyzer()
    onto = a.ontology
    hobby = a.analyze("古着屋めぐりが趣味").concepts["hobby"]
    assert onto.is_weak(hobby)
    assert not onto.is_weak(a.analyze("将棋が趣味").concepts["hobby"])


def test_avoid_marker_stays_on_its_side_of_a_contrast() -> None:
    an = Analyzer().analyze("介助は無理だけど裏方なら", detect_negation=True)
    assert "volunteer" in an.concepts and "volunteer" not in an.negated
    assert "elderly" in an.negated and "elderly" not in an.concepts


def test_a_parents_errand_for_their_child_is_not_a_wish_about_children() -> None:
    note = "ミシンで子どもの入園グッズを作ってた"
    found = Analyzer().analyze(note, detect_negation=True).concepts
    assert "crafts" in found and "kids" not in found


def test_carpentry_words_reach_woodwork_not_all_crafts() -> None:
    found = Analyzer().analyze("元大工。のこぎり･かんな", detect_negation=True).concepts
    assert "woodwork" in found and "crafts" not in found


def test_only_this_day_is_a_wish_and_the_reason_before_it_is_not_read() -> None:
    t = read_time_wishes("平日は夜勤バイトだから土曜しか無理", "")
    assert t.wish_days == {"sat"}
    assert t.avoid_days == {"mon", "tue", "wed", "thu", "fri", "sun"}
    assert not t.avoid_night  # 夜勤 is why, not a time to avoid


def test_only_a_time_of_day() -> None:
    morning = read_time_wishes("午前中しか空いてない", "")
    assert morning.morning and morning.avoid_afternoon and not morning.avoid_morning
    evening = read_time_wishes("夕方からしか動けない", "")
    assert evening.evening and evening.avoid_morning


def test_every_day_but_one() -> None:
    assert read_time_wishes("土曜以外は無理", "").wish_days == {"sat"}
    anyday = read_time_wishes("土曜以外ならいつでも", "")
    assert anyday.avoid_days == {"sat"} and not anyday.wish_days
    # without しか or 以外 an avoided day stays avoided
    assert read_time_wishes("土日NG", "").avoid_days == {"sat", "sun"}


def test_a_note_written_in_kana_reaches_the_terms_it_spells() -> None:
    note = "りょうりすき。ぱそこんできる。はたけしごともいい"
    found = Analyzer().analyze(note, detect_negation=True)
    assert {"cooking", "office_it", "farm"} <= set(found.concepts)
    assert "りょうり" in found.concepts["cooking"]  # the note's own letters, for reasons


def test_kana_readings_do_not_read_other_words() -> None:
    a = Analyzer()
    assert "cleaning" not in a.analyze("そうじゃないです").concepts  # not 掃除
    assert a.analyze("家以外の場所にいられたら").concepts.get("visual_art") is None  # not イラレ
    assert "kids" not in a.analyze("ひきこもりで家にこもりがち").concepts
    assert "games" not in a.analyze("Unityでゲーム作ってる").concepts


def test_a_bracket_closes_a_clause() -> None:
    an = Analyzer().analyze("将棋少し指す(囲碁×)", detect_negation=True)
    assert "hobby" in an.concepts and "hobby" in an.negated  # 将棋 wished, 囲碁 refused


def test_watching_is_not_playing_and_a_scooter_is_not_a_supermarket() -> None:
    a = Analyzer()
    watch = a.analyze("サッカー観戦好き(見る専)").concepts
    assert "hobby" in watch and "sports" not in watch
    cub = a.analyze("ｽｰﾊﾟｰｶﾌﾞいじり、元ﾊﾞｲｸ便").concepts
    assert "repair" in cub and "delivery" in cub and "retail" not in cub


def test_busy_days_are_avoided_and_the_free_ones_wished() -> None:
    only_wed = read_time_wishes("水曜以外はデイケアと通院で埋まってます", "")
    assert only_wed.wish_days == {"wed"} and "mon" in only_wed.avoid_days
    weekend = read_time_wishes("平日は仕事の練習に通ってるので、土日なら", "")
    assert weekend.wish_days == {"sat", "sun"} and "tue" in weekend.avoid_days
    weekdays = read_time_wishes("土日はファミレスのバイトがあるので平日だけでお願いします", "")
    assert weekdays.avoid_days == {"sat", "sun"} and "mon" in weekdays.wish_days
    letters = read_time_wishes("月水金はデイケアに通ってます", "")
    assert letters.avoid_days == {"mon", "wed", "fri"}


def test_a_day_named_for_a_reason_before_igai_is_the_one_avoided() -> None:
    t = read_time_wishes("通院日の火曜以外なら", "")
    assert t.avoid_days == {"tue"} and not t.wish_days


def test_only_early_morning_refused_is_not_only_early_morning_wished() -> None:
    t = read_time_wishes("早朝だけは絶対無理", "")
    assert t.avoid_early and not t.morning and not t.wish_days


def test_late_night_is_later_than_night() -> None:
    late = read_time_wishes("夜遅くなるのはちょっと", "")
    assert late.avoid_night and late.night_from == 20 and not late.evening
    assert read_time_wishes("夜遅くなるのはちょっと", "夜遅く").night_from == 20
    assert read_time_wishes("夜遅くなるのはちょっと", "夜の活動").night_from == 18
    night = read_time_wishes("夜は無理", "")
    assert night.avoid_night and night.night_from == 18
    assert not read_time_wishes("ちょっとだけ働きたい", "").any_time


def test_who_is_speaking_is_not_a_wish() -> None:
    note = "ケアマネから：「元新聞社のカメラマンで、一眼レフは手放せない」"
    assert without_speakers(normalize(note)).strip().startswith("「元新聞社")
    assert without_speakers(normalize("母より電話：息子は")).strip() == "息子は"
    assert without_speakers(normalize("デイケアから帰ったら暇")) == "デイケアから帰ったら暇"
    found = Analyzer().analyze(without_speakers(normalize(note)), detect_negation=True).concepts
    assert "photography" in found and "care_skills" not in found


def test_delivery_and_camp_words() -> None:
    found = Analyzer().analyze("広報紙のポスティング、ソロキャンで薪割り", detect_negation=True)
    assert "delivery" in found.concepts and "nature" in found.concepts
    assert "delivery" not in Analyzer().analyze("気配りができる").concepts


def test_a_frying_pan_is_cooking_not_bread() -> None:
    found = Analyzer().analyze("元ｺｯｸ（洋食）。ﾌﾗｲﾊﾟﾝ振れる", detect_negation=True).concepts
    assert "cooking" in found and "baking" not in found


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("浜辺を歩きながら", "nature"),
        ("静かな所でお茶飲んで過ごしたい", "socialising"),
        ("一人で黙々と。封筒詰めとか", "light_work"),
        ("黙々作業可。町内会のごみ当番", "cleaning"),
        ("皿洗いなら黙ってできる", "cooking"),
    ],
)
def test_everyday_words_name_their_activity(note: str, concept: str) -> None:
    assert concept in Analyzer().analyze(note, detect_negation=True).concepts


def test_what_a_receiver_does_not_ask_for_is_not_what_it_offers() -> None:
    offer = Analyzer().analyze_offer(
        "利用者さんの話し相手とお茶の準備。介護の資格は必要ありません。"
    )
    assert "elderly" in offer.concepts and "care_skills" not in offer.concepts
    cooking = Analyzer().analyze_offer("こども食堂で調理。調理経験は問いません。")
    assert "cooking" in cooking.concepts  # named outside the waiver too


def test_did_not_fit_in_is_an_avoidance() -> None:
    an = Analyzer().analyze(
        "常連のノリが合わなくて、ボドゲなら少しやってみたい", detect_negation=True
    )
    assert "regulars" in an.negated and "games" in an.concepts


def test_a_body_that_does_not_move_in_the_morning_avoids_mornings() -> None:
    t = read_time_wishes("午前中は体が動かないので午後がいい", "")
    assert t.avoid_morning and t.afternoon and not t.morning
    assert read_time_wishes("朝が弱い", "").avoid_morning


def test_day_night_reversal_is_no_evening_wish() -> None:
    t = read_time_wishes("昼夜逆転気味で、早朝だけは絶対無理", "")
    assert t.avoid_early and not t.evening and not t.avoid_night


def test_night_shift_before_shika_is_no_evening_wish() -> None:
    # 「夜勤しか経験がない」 is about a past job: it wishes no evening and rules out no morning
    t = read_time_wishes("夜勤しか経験がないけど、接客をやってみたい", "")
    assert not t.evening
    assert not t.avoid_morning
    # while 「夜しか空いてない」 still makes the evening the only time
    t = read_time_wishes("夜しか空いてない", "")
    assert t.evening and t.avoid_morning


@pytest.mark.parametrize("note", ["朝ﾑﾘ(夜勤明け)", "朝むり", "朝はキツい"])
def test_katakana_and_kana_refusals_avoid_the_time(note: str) -> None:
    t = read_time_wishes(note, "")
    assert t.avoid_morning and not t.morning


def test_days_refused_in_half_width_katakana() -> None:
    t = read_time_wishes("月金ﾑﾘ、火水木の午後", "")
    assert t.avoid_days == {"mon", "fri"}
    assert t.wish_days == {"tue", "wed", "thu"}


def test_muri_refuses_an_activity() -> None:
    found = Analyzer().analyze(normalize("力仕事ﾑﾘ、PC入力なら"), detect_negation=True)
    assert "heavy_lifting" in found.negated and "office_it" in found.concepts


def test_chainsaw_art_is_woodwork_and_records_are_music() -> None:
    a = Analyzer()
    carving = a.analyze(normalize("ﾁｪｰﾝｿｰｱｰﾄ動画見るの好き")).concepts
    assert "woodwork" in carving and "visual_art" not in carving
    assert "music" in a.analyze(normalize("ﾚｺｰﾄﾞ(ﾋﾞｰﾄﾙｽﾞ)ｺﾚｸﾀｰ")).concepts


@pytest.mark.parametrize(
    "note", ["平日仕事(ﾊﾟｰﾄ)→土曜◎", "平日は親の介護→土曜なら", "平日ﾃﾞｲｹｱ→土曜"]
)
def test_busy_days_before_an_arrow_are_avoided(note: str) -> None:
    t = read_time_wishes(note, "")
    assert t.avoid_days == {"mon", "tue", "wed", "thu", "fri"}
    assert t.wish_days == {"sat"}


def test_slang_and_the_persons_own_services_are_no_wish() -> None:
    a = Analyzer()
    # ワンチャン is "maybe", not a dog; デイケア is where the person goes, not care work
    found = a.analyze(normalize("統失、ﾃﾞｲｹｱ週2。畑やりたい、ﾜﾝﾁｬﾝ工賃ほしい"), detect_negation=True)
    assert "farm" in found.concepts
    assert "animals" not in found.concepts and "care_skills" not in found.concepts
    assert "animals" in a.analyze("ワンちゃんの散歩が好き").concepts


def test_down_arrow_refuses() -> None:
    found = Analyzer().analyze(
        normalize("元板前、包丁さばき◎、立ち仕事は腰↓"), detect_negation=True
    )
    assert "cooking" in found.concepts and "standing_work" in found.negated


def test_days_busy_with_grandchildren_are_avoided() -> None:
    t = read_time_wishes("火・木・土は孫の世話があるため、月曜と水曜なら出られる", "")
    assert t.avoid_days == {"tue", "thu", "sat"}
    assert t.wish_days == {"mon", "wed"}


def test_evening_busy_with_housework_is_no_evening_wish() -> None:
    t = read_time_wishes("夕方以降は家事があるため日中を希望", "")
    assert t.avoid_night and not t.evening


def test_the_disability_handbook_is_not_care_work() -> None:
    found = Analyzer().analyze(normalize("精神障害者保健福祉手帳と受給者証あり。ビル清掃の経験"))
    assert "care_skills" not in found.concepts and "cleaning" in found.concepts


def test_a_refusal_before_dakedo_leaves_the_wish_after_it() -> None:
    found = Analyzer().analyze(normalize("ｺﾐｭ苦手だがﾎﾞﾄﾞｹﾞなら話せる（ｶﾀﾝ）"), detect_negation=True)
    assert "games" in found.concepts and "games" not in found.negated


def test_day_letters_followed_by_a_time_of_day() -> None:
    t = read_time_wishes("高齢者と話すのが好き。火・金午後", "")
    assert t.wish_days == {"tue", "fri"} and t.afternoon
    assert read_time_wishes("金属加工の経験", "").wish_days == frozenset()


def test_dyeing_is_textile_and_n_gauge_is_models() -> None:
    a = Analyzer()
    assert "textile" in a.analyze("藍染めやりたい。草木染め経験あり").concepts
    assert "assembly" in a.analyze(normalize("鉄道好き、Nｹﾞｰｼﾞ所有")).concepts


@pytest.mark.parametrize(
    "note",
    [
        "弟の宿題を見てやるのは嫌いではない",
        "子どもの相手は苦手じゃない",
        "子どもの世話は嫌いでもない",
    ],
)
def test_a_denied_refusal_is_no_refusal(note: str) -> None:
    found = Analyzer().analyze(note, detect_negation=True)
    assert "kids" in found.concepts and "kids" not in found.negated


def test_too_early_mornings_are_early_not_all_mornings() -> None:
    t = read_time_wishes("曜日はいつでもよいが、朝早すぎるのはつらい", "")
    assert t.avoid_early and not t.avoid_morning


def test_a_wish_told_by_its_effect_is_desired() -> None:
    found = Analyzer().analyze(
        "プランターでミニトマトを育ててきたのが自慢で、土いじりの話になると表情が明るくなる",
        detect_negation=True,
    )
    assert "farm" in found.desired


@pytest.mark.parametrize(
    ("note", "avoided"),
    [
        ("土日は夫の店を手伝うので、平日の午前中に通える所がいい", {"sat", "sun"}),
        ("土日は実家の店番があるので、平日がいい", {"sat", "sun"}),
        ("平日は母をみていて外出できず、日曜なら自由", {"mon", "tue", "wed", "thu", "fri"}),
    ],
)
def test_days_given_to_family_are_avoided(note: str, avoided: set[str]) -> None:
    assert read_time_wishes(note, "").avoid_days == avoided


def test_seashore_and_repair_words() -> None:
    a = Analyzer()
    assert "nature" in a.analyze("潮干狩りやカニ捕りが好きで、ヤドカリの名前を覚えた").concepts
    assert "repair" in a.analyze("壊れたおもちゃや小さな家電を直しています").concepts


def test_mood_is_no_refusal() -> None:
    t = read_time_wishes("午前中なら機嫌がいいです", "")
    assert t.morning and not t.avoid_morning
    assert not Analyzer().ontology.has_marker("針を持つと機嫌がいい")
    assert Analyzer().ontology.has_marker("電話は嫌")


@pytest.mark.parametrize(
    ("note", "flag"),
    [
        ("ごごからならだいじょうぶ", "afternoon"),
        ("ひるからのほうがいい", "afternoon"),
        ("ゆうがたならだいじょうぶ", "evening"),
    ],
)
def test_times_written_in_kana(note: str, flag: str) -> None:
    assert getattr(read_time_wishes(note, ""), flag)


def test_diy_is_not_sunday() -> None:
    assert read_time_wishes("昔は日曜大工で犬小屋も作った", "").wish_days == frozenset()


def test_single_day_letters_before_a_busy_noun() -> None:
    t = read_time_wishes(
        "月・水・金は通院とカウンセリング、週末は家族と過ごすため、動けるのは火曜と木曜", ""
    )
    assert t.avoid_days == {"mon", "wed", "fri", "sat", "sun"}
    assert t.wish_days == {"tue", "thu"}


def test_cardboard_is_light_work_not_a_ball_game() -> None:
    found = (
        Analyzer().analyze("段ボールを組むとか、シールを貼るとか、黙ってやれる作業なら").concepts
    )
    assert "light_work" in found and "sports" not in found


def test_a_day_taken_by_going_somewhere_is_avoided() -> None:
    t = read_time_wishes("日曜は教会に行くから平日がいいって", "")
    assert t.avoid_days == {"sun"} and "sun" not in t.wish_days


def test_a_night_person_avoids_mornings_not_nights() -> None:
    t = read_time_wishes("夜型なんで朝は無理っす", "")
    assert t.avoid_morning and not t.avoid_night


@pytest.mark.parametrize(
    ("note", "concept", "absent"),
    [
        ("コンビニで棚に並べたりお会計したりは慣れてます", "retail", "woodwork"),
        ("障害福祉サービス受給者証あり。喫茶店で働くのが夢", "cafe", "care_skills"),
        ("潔癖で、家じゅうピカピカにしないと気が済まない", "cleaning", "nature"),
        ("昔スイミングを習っていて、泳いでいると落ち着く", "sports", "music"),
    ],
)
def test_everyday_words(note: str, concept: str, absent: str) -> None:
    found = Analyzer().analyze(note).concepts
    assert concept in found and absent not in found


def test_old_people_words_and_trouble_as_refusal() -> None:
    a = Analyzer()
    assert "elderly" in a.analyze("年寄りの集まりはいやだ", detect_negation=True).negated
    assert (
        "standing_work" in a.analyze("長時間の立ちっぱなしは困ります", detect_negation=True).negated
    )


def test_laundry_is_cleaning_and_face_to_face_play_is_no_customer_service() -> None:
    a = Analyzer()
    assert "cleaning" in a.analyze(normalize("洗濯･ｼｰﾂ交換可")).concepts
    found = a.analyze(normalize("将棋ｱﾌﾟﾘ毎日、対面で指したい")).concepts
    assert "hobby" in found and "customer_service" not in found


def test_days_in_a_life_history_are_no_wish() -> None:
    t = read_time_wishes(
        "生活歴：商社で経理、休日は家庭菜園２０年。本人希望：畑仕事、平日午前。", ""
    )
    assert t.wish_days == {"mon", "tue", "wed", "thu", "fri"} and t.morning
    # a time that suits the person, told in the history, still counts
    assert read_time_wishes("生活歴：朝刊の新聞配達を３年、早起きは苦にならない。", "").morning


def test_picking_up_a_child_in_the_evening_is_busy() -> None:
    t = read_time_wishes("主訴：短時間で働きたい（夕方は子の迎え）", "")
    assert t.avoid_night and not t.evening


@pytest.mark.parametrize(
    ("note", "concept", "absent"),
    [
        ("GH入居準備中、ｶﾚｰ・肉じゃが作れるようになりたい", "life_skills", "kids"),
        ("生活ﾘｽﾞﾑ整えたい、ひとり暮らしの練習も", "life_skills", "elderly"),
        ("友達いない、会話の練習したい", "life_skills", "customer_service"),
        ("ｶﾚｰ・肉じゃが作れるようになりたい", "cooking", "baking"),
        ("木製の棚を自作、彫刻刀も", "woodwork", "games"),
        ("Blenderでﾓﾃﾞﾘﾝｸﾞ練習中", "visual_art", "music"),
        ("元司書補(NDC・ﾌｨﾙﾑｺｰﾄ)", "library", "office_it"),
        ("精3 受給者証あり、就労以降めざす", "employment_training", "kids"),
    ],
)
def test_case_note_words_for_daily_living_dishes_tools_and_trades(
    note: str, concept: str, absent: str
) -> None:
    found = Analyzer().analyze(normalize(note)).concepts
    assert concept in found and absent not in found


def test_an_arrow_starts_a_new_clause_unless_it_leads_to_the_verdict() -> None:
    a = Analyzer()
    turned = a.analyze(
        normalize("ﾀｽｸ管理苦手→Notion・Trello使えるようになりたい"), detect_negation=True
    )
    assert "office_it" in turned.concepts and "office_it" in turned.desired
    assert "office_it" not in turned.negated
    verdict = a.analyze(normalize("接客→NG"), detect_negation=True)
    assert "customer_service" in verdict.negated


def test_only_possible_is_no_refusal() -> None:
    a = Analyzer()
    assert not a.analyze("土日しか無理", detect_negation=True).negated_clauses
    assert "customer_service" in a.analyze("接客は無理", detect_negation=True).negated


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("獣医志望", "animals"),
        ("就職めざす", "job_hunting"),
        ("Blenderでﾓﾃﾞﾘﾝｸﾞ練習中", "visual_art"),
    ],
)
def test_terse_goals_are_wishes(note: str, concept: str) -> None:
    found = Analyzer().analyze(normalize(note), detect_negation=True)
    assert concept in found.concepts and concept in found.desired


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("庭でナスだのオクラだの、ミニトマトだの作ってた", "farm"),
        ("セブ島に語学留学してて、英語とタガログ語がちょっとわかります", "multicultural"),
        ("現場で10年、刈払機つかってました", "nature"),
        ("実家が竹やぶ持っててさ", "nature"),
        ("子どものころから竹馬とか作ってた", "woodwork"),
        ("波打ち際にペットボトルとか多くて萎える、拾うやつやりたい", "cleaning"),
        ("高校でセーリング部、潮のにおいがすると落ち着く", "nature"),
        ("パイソンちょっとかじってて", "office_it"),
        ("家事代行バイト歴", "cleaning"),
        ("元電気工事士、ﾃｽﾀｰ・圧着", "repair"),
        ("梨もぎ手伝ったことある", "farm"),
        ("ﾊﾟｰｸｺﾞﾙﾌ月1", "sports"),
        ("「リワーク的なの」", "employment_training"),
        ("ヴァロとエーペックス", "games"),
        ("推しのイラストをCanvaでポスターにしてる", "visual_art"),
        ("「一人で暮らせるように」", "life_skills"),
        ("季節のおやつづくり", "baking"),
    ],
)
def test_things_people_name_in_their_own_words(note: str, concept: str) -> None:
    found = Analyzer().analyze(normalize(note)).concepts
    assert concept in found and "animals" not in found  # ペット in ペットボトル


def test_needing_to_move_is_no_refusal_of_moving() -> None:
    found = Analyzer().analyze("体動かしてないとダメなんすよ", detect_negation=True)
    assert "physical" in found.concepts and not found.negated


def test_a_time_the_avoid_field_says_suits_is_a_wish() -> None:
    t = read_time_wishes("", "昼の暑い時間（朝のうちがいい）")
    assert t.morning and not t.avoid_morning
    assert read_time_wishes("", "朝").avoid_morning


def test_a_one_letter_term_inside_a_longer_term_is_not_found_again() -> None:
    found = Analyzer().analyze("ｽﾌﾟﾗﾄｩｰﾝ・あつ森").concepts
    assert "games" in found and "nature" not in found
    assert "nature" in Analyzer().analyze("森を歩く").concepts


@pytest.mark.parametrize(
    ("note", "concept", "absent"),
    [
        ("一人暮らし練習したい。洗濯機・炊飯器の使い方から", "life_skills", "kids"),
        ("前職ｱﾏｿﾞﾝ倉庫でﾋﾟｯｷﾝｸﾞ(ﾊﾝﾃﾞｨ端末)", "light_work", "office_it"),
        ("卒業後の進路さがし", "job_hunting", "kids"),
        ("高校卒業後、進路未定でひきこもり気味", "place_to_be", "job_hunting"),
    ],
)
def test_school_leavers_and_warehouse_words(note: str, concept: str, absent: str) -> None:
    found = Analyzer().analyze(normalize(note)).concepts
    assert concept in found and absent not in found


@pytest.mark.parametrize(
    ("note", "refused", "wanted"),
    [
        ("人混みが苦手なので少人数がいい", "crowd", "small_group"),
        ("接客は苦手なので裏方希望", "customer_service", "volunteer"),
        ("大勢は苦手で静かな所がいい", "crowd", "quiet"),
        ("電話は無理だからPC入力がしたい", "phone", "office_it"),
        ("外作業はきついので室内の軽作業", "nature", "light_work"),
    ],
)
def test_what_follows_the_reason_for_a_refusal_is_wanted(
    note: str, refused: str, wanted: str
) -> None:
    found = Analyzer().analyze(note, detect_negation=True)
    assert refused in found.negated
    assert wanted in found.concepts and wanted not in found.negated


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        ("電話(母) 18男 特支高3", "18男 特支高3"),
        ("TEL(妻より) 64男 定年後", "64男 定年後"),
        ("電話ﾒﾓ 36男 断酒中", "36男 断酒中"),
        ("申し送り：45男 元倉庫", "45男 元倉庫"),
        ("申し送り 46男 療B1", "46男 療B1"),
        ("電話 33女 統失", "33女 統失"),
        ("電話が苦手で", "電話が苦手で"),
        ("電話対応はムリ", "電話対応はムリ"),
    ],
)
def test_the_intake_header_is_no_part_of_the_wish(note: str, kept: str) -> None:
    assert without_speakers(normalize(note)).strip() == kept


def test_a_phone_call_from_the_mother_is_no_wish_for_phone_work() -> None:
    note = without_speakers(normalize("電話(母) 18男「パン屋さんで働きたい」"))
    found = Analyzer().analyze(note, detect_negation=True).concepts
    assert "baking" in found and "phone" not in found


def test_two_quotes_side_by_side_are_two_clauses() -> None:
    found = Analyzer().analyze("「人と話す練習がしたい」「電話がこわい」", detect_negation=True)
    assert "life_skills" in found.concepts and "life_skills" not in found.negated
    assert "phone" in found.negated


def test_cannot_get_up_in_the_morning_avoids_mornings() -> None:
    t = read_time_wishes("生活リズム崩れ朝起きれず", "")
    assert t.avoid_morning and not t.morning


def test_the_time_after_the_one_a_person_cannot_manage_suits_them() -> None:
    t = read_time_wishes("朝は起きられず午後から", "")
    assert t.afternoon and not t.avoid_afternoon and t.avoid_morning


def test_a_refused_earlier_placement_is_no_refusal_of_its_kind() -> None:
    found = Analyzer().analyze(
        "元図書館パート、配架お手のもの。※緑図書館は前回人間関係NG", detect_negation=True
    )
    assert "library" in found.concepts and "library" not in found.negated
    crowd = Analyzer().analyze("前回の体験先は人混みで無理だった", detect_negation=True)
    assert "crowd" in crowd.negated  # how it went wrong still counts
    always = Analyzer().analyze("以前から料理は苦手", detect_negation=True)
    assert "cooking" in always.negated


def test_what_follows_a_quote_is_its_own_clause_unless_a_particle_ties_them() -> None:
    note = "料理できない「カップ麺ばっか」パークゴルフ月1"
    found = Analyzer().analyze(note, detect_negation=True)
    assert "sports" in found.concepts and "sports" not in found.negated
    tied = Analyzer().analyze("「電話」は苦手", detect_negation=True)
    assert "phone" in tied.negated


def test_restless_without_caring_is_no_wish_for_quiet() -> None:
    found = Analyzer().analyze("「誰かのお世話してないと落ち着かない」", detect_negation=True)
    assert "quiet" not in found.concepts and "quiet" not in found.negated


def test_day_night_reversal_names_daily_rhythm_loosely() -> None:
    from matching.ranker.query import build_query
    from tests.matching.conftest import person

    q = build_query(Analyzer(), person(needs_text="20男 昼夜逆転。ゲーム好き"))
    assert 0 < q.wish["life_skills"] < q.wish["games"]


# --- seventh pass: SOAP records and meeting minutes (blind_casenotes13) ---


def test_a_record_s_soap_headings_and_units_are_no_search_words() -> None:
    tokens = Analyzer().tokens(
        "S：『朝がつらい』 O：70男 ひきこもり5y A：人と関わる P：文化施設のボラ"
    )
    assert not {"s", "o", "a", "p", "y"} & set(tokens)
    assert {"文化", "施設"} <= set(tokens)
    assert "a型" in Analyzer().tokens("就労継続支援A型")  # a letter inside a word stays


@pytest.mark.parametrize(
    "note",
    ["水曜は夫の通院付添", "水曜は孫の送り迎え", "水曜は母の付き添い", "水曜はハロワ"],
)
def test_a_day_kept_by_a_relative_or_a_job_search_is_avoided(note: str) -> None:
    t = read_time_wishes(note, "")
    assert "wed" in t.avoid_days and "wed" not in t.wish_days


def test_the_night_district_is_a_place_to_avoid_not_an_hour() -> None:
    t = read_time_wishes("", "夜の繁華街、酒の席")
    assert not t.avoid_night
    assert read_time_wishes("", "夜、酒の席").avoid_night


def test_up_until_morning_is_no_wish_for_mornings() -> None:
    t = read_time_wishes("ネト麻なら朝までやってる", "")
    assert not t.morning
    assert read_time_wishes("朝なら動ける", "").morning


@pytest.mark.parametrize(
    ("note", "window"),
    [
        ("P：15時以降に行ける同年代の場", (15.0, 24.0)),
        ("夜型→17時過ぎなら出られる", (17.0, 24.0)),
        ("10時から14時まで", (10.0, 14.0)),
        ("園に送るので10時以降、14時半にはお迎え", (10.0, 14.5)),
    ],
)
def test_a_start_hour_with_no_end_is_a_window_to_the_day_s_end(
    note: str, window: tuple[float, float]
) -> None:
    assert read_time_wishes(note, "").window == window


def test_a_start_hour_that_is_refused_opens_no_window() -> None:
    assert read_time_wishes("17時以降は無理", "").window is None


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("元造園業『剪定ならまだやれる』", "gardening"),
        ("藪払いならできる", "nature"),
        ("クワガタなら100匹育てた", "nature"),
        ("パネルシアターは体が覚えてる", "kids"),
        ("中学までアイスホッケー", "sports"),
        ("元倉庫勤務(フォーク免許)、物流系", "light_work"),
        ("雀魂なら朝までやってる", "games"),
    ],
)
def test_words_of_seventh_pass_name_their_activity(note: str, concept: str) -> None:
    assert concept in Analyzer().analyze(note, detect_negation=True).concepts


def test_leaving_work_to_care_for_a_parent_is_no_wish_for_care_work() -> None:
    found = Analyzer().analyze("介護離職5y。実家は米農家", detect_negation=True).concepts
    assert "farm" in found and "care_skills" not in found


# --- eighth pass: referral sheets, assessment sheets, hand-over mails (blind_casenotes14) ---


def _reading(note: str, avoid: str = ""):  # type: ignore[no-untyped-def]
    from matching.ranker.query import build_query
    from tests.matching.conftest import person

    return build_query(Analyzer(), person(needs_text=note, avoid_text=avoid))


def test_a_form_s_headings_and_empty_checkboxes_are_not_read() -> None:
    note = "【紹介元】基幹相談 ■就労 □居場所 心身機能：不眠 参加：写真"
    kept = without_speakers(normalize(note))
    assert "紹介元" not in kept and "居場所" not in kept and "心身機能" not in kept
    assert "就労" in kept and "写真" in kept
    q = _reading(note)
    assert "place_to_be" not in q.wish and "photography" in q.wish


def test_a_quote_after_a_verb_is_its_own_clause() -> None:
    q = _reading("オオムラサキの写真を撮りためている『人と話すのは苦手』")
    assert "photography" in q.wish and "photography" not in q.avoid


@pytest.mark.parametrize(
    "note",
    [
        "【紹介元】あんしんケアセンター幕張西 『誰かとお喋りしたいのよ』 要支援2",
        "保健師より：ヤングケアラー。本人『将来は保母さんになりたい』",
        "環境因子：平日は母の介護",
    ],
)
def test_an_agency_a_care_level_or_a_relative_s_care_is_no_wish_for_care_work(
    note: str,
) -> None:
    q = _reading(note)
    assert "care_skills" not in q.wish and "elderly" not in q.wish


def test_refusing_bodily_care_does_not_refuse_the_elderly() -> None:
    q = _reading("『茶飲み話の相手くらいなら』身体介護はもう×")
    assert "care_skills" in q.avoid and "elderly" not in q.avoid
    assert "socialising" in q.wish


def test_a_daily_habit_in_the_morning_is_no_wish_for_mornings() -> None:
    assert not read_time_wishes("活動：毎朝ジョギング", "").morning
    assert read_time_wishes("朝なら動ける", "").morning


def test_the_day_of_a_job_said_with_its_place_is_busy() -> None:
    t = read_time_wishes("平日は工場勤務。土日の朝なら", "")
    assert t.wish_days == {"sat", "sun"}
    t = read_time_wishes("平日はホームセンターのバイト", "")
    assert "mon" in t.avoid_days


def test_an_end_hour_alone_closes_the_day() -> None:
    assert read_time_wishes("団地の集会所止まり。14時まで", "").window == (6.0, 14.0)
    assert read_time_wishes("17時まで仕事なので夕方から", "").window is None


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("推しのライブ物販で売り子した", "retail"),
        ("裏山を一人で歩く", "nature"),
        ("ジェフ命、ゴール裏", "sports"),
        ("毎朝般若心経を写経しとる", "visual_art"),
        ("電ノコ使える所あればな", "woodwork"),
        ("愛車を毎週手洗いしてWAX", "cleaning"),
        ("レンチンとコインランドリーくらい自分で", "life_skills"),
        ("振り飛車一筋50年", "hobby"),
        ("元高校の数学教師", "kids"),
        ("そば打ちの段位持ち", "cooking"),
    ],
)
def test_words_of_eighth_pass_name_their_activity(note: str, concept: str) -> None:
    assert concept in Analyzer().analyze(note, detect_negation=True).concepts


def test_a_duty_that_keeps_days_busy_is_no_wish_but_care_told_as_history_is() -> None:
    q = _reading("環境因子：平日は母の介護。参加：元高校の数学教師")
    assert "care_skills" not in q.wish and "kids" in q.wish
    assert "farm" in _reading("平日は作業所。土日に畑やりたい").wish
    assert "care_skills" in _reading("夫の介護10y→看取り後ぼーっと").wish


def test_a_quote_stays_with_its_speaker_and_talk_is_a_wish_to_chat() -> None:
    from matching.text import CLAUSE_RE

    assert [c for c in CLAUSE_RE.split("本人「ただ座ってていい所」") if c] == [
        "本人「ただ座ってていい所」"
    ]
    assert "socialising" in _reading("元美容師。話すの好き").wish


def test_the_one_free_day_before_igai_and_a_busy_noun_is_wished() -> None:
    # 「月曜以外は通院とデイ」: the other days are taken; before, Monday itself was avoided
    t = read_time_wishes("父は月曜以外は通院とデイ", "")
    assert t.wish_days == {"mon"} and t.avoid_days == {"tue", "wed", "thu", "fri", "sat", "sun"}
    night_shift = read_time_wishes("平日は倉庫の夜勤(週4)、休みの土曜が暇すぎる", "")
    assert night_shift.wish_days == {"sat"} and "mon" in night_shift.avoid_days


def test_a_job_hunts_tally_is_no_avoidance() -> None:
    q = _reading("事務の面接3社×で落ち込み。『Premiereでテロップ付けて投稿してる』")
    assert "office_it" not in q.avoid and "office_it" in q.wish
    assert "office_it" in _reading("事務×、PCは苦手").avoid


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("『自分で飯くらい作れるようになりたい』『バスでイオンまで行けるように』", "life_skills"),
        ("『古いタンスをチョークペイントでリメイクするのが趣味』", "woodwork"),
        ("『ハンディで棚番号見て取ってくるのは得意』", "light_work"),
        ("『古いものが好き、骨董市回ってた』", "history"),
        ("『スト6のランクマ、マスター到達』", "games"),
        ("庭の餌台に来るメジロ・シジュウカラを毎朝数える", "nature"),
        ("『ネイル検定2級、人の爪塗るのは好き』", "beauty"),
        ("『換気扇の油汚れが一発で落ちる瞬間が好き』", "cleaning"),
        ("『キャストになりたい』", "customer_service"),
        ("『昔話聞くのが好き』", "socialising"),
        ("『JWWなら手が覚えてる、パースも描ける』", "office_it"),
        ("『打ちっぱなしは週3』", "sports"),
        ("けん玉3段", "hobby"),
        ("『ばあちゃんの移乗は慣れてる』", "care_skills"),
    ],
)
def test_words_of_ninth_pass_name_their_activity(note: str, concept: str) -> None:
    assert concept in Analyzer().analyze(note, detect_negation=True).concepts


def test_shelf_numbers_are_no_carpentry() -> None:
    assert "woodwork" not in Analyzer().analyze("ハンディで棚番号見て取ってくる").concepts


def test_a_duty_joined_by_de_to_the_time_that_suits_is_a_reason_and_a_wish() -> None:
    # read as one clause, 「平日は仕事で土日なら」 avoided every day of the week
    weekend = read_time_wishes("平日は仕事で土日なら", "")
    assert weekend.wish_days == {"sat", "sun"} and "sat" not in weekend.avoid_days
    # and 「日中は父の介護で夕方からなら」 avoided the evening it offers
    evening = read_time_wishes("日中は父の介護で夕方からなら", "")
    assert evening.evening and not evening.avoid_night
    afternoon = read_time_wishes("午前は通院で午後からなら", "")
    assert afternoon.avoid_morning and afternoon.afternoon and not afternoon.morning


def test_a_time_of_day_taken_by_a_duty_is_busy() -> None:
    night = read_time_wishes("夜はバイト、昼なら", "")
    assert night.avoid_night and not night.evening
    q = _reading("日中は父の介護で夕方からなら、子どもと関わりたい")
    assert "care_skills" not in q.wish and "kids" in q.wish
    assert "care_skills" not in _reading("昼間は母の介護、夜なら絵を描きたい").wish


def test_a_duty_beside_a_time_said_to_be_free_is_not_busy() -> None:
    free = read_time_wishes("金曜の午後は通院の帰りで空いてます", "")
    assert free.afternoon and "fri" in free.wish_days and not free.avoid_afternoon
    only = read_time_wishes("午前は祖母の通院付き添いがあり午後のみ希望", "")
    assert only.avoid_morning and only.afternoon and not only.avoid_afternoon


@pytest.mark.parametrize(
    ("note", "days_avoided", "flags"),
    [
        ("朝は弱い、昼過ぎから", set(), {"avoid_morning", "afternoon"}),
        ("週末は家族と過ごす", {"sat", "sun"}, set()),
        ("日曜は教会", {"sun"}, set()),
        ("朝ゆっくりしたい", set(), {"avoid_morning"}),
        # the taken time of those days, not the whole days
        ("平日日中はデイ、夕方から空いてる", set(), {"evening"}),
        ("平日の夜はバイト", set(), {"avoid_night"}),
    ],
)
def test_everyday_ways_of_saying_when(note: str, days_avoided: set[str], flags: set[str]) -> None:
    t = read_time_wishes(note, "")
    named = ("morning", "afternoon", "evening", "avoid_night", "avoid_morning", "avoid_afternoon")
    assert t.avoid_days == days_avoided
    assert {f for f in named if getattr(t, f)} == flags


def test_what_a_place_says_it_leaves_out_is_not_what_it_offers() -> None:
    a = Analyzer()
    offer = a.analyze_offer("PC入力。名簿・アンケート集計、Excel。静かな部屋。電話応対なし。")
    assert "phone" not in offer.concepts and "office_it" in offer.concepts
    assert "heavy_lifting" not in a.analyze_offer("力仕事はありません。畑の草取り").concepts
    assert "phone" in a.analyze_offer("電話番と受付").concepts
    assert "cooking" in a.analyze_offer("予約なしで参加できます、料理教室").concepts


@pytest.mark.parametrize(
    ("note", "avoided"),
    [
        ("接客はちょっと", "customer_service"),
        ("電話だけは勘弁", "phone"),
        ("重いもの持てない", "heavy_lifting"),
        ("人が多いとパニック", "crowd"),
        ("音に敏感", "lively"),
        ("大きな音×", "lively"),
    ],
)
def test_refusals_said_softly_are_refusals(note: str, avoided: str) -> None:
    assert avoided in _reading(note).avoid


def test_a_skill_said_modestly_is_no_refusal() -> None:
    q = _reading("料理はちょっとできる")
    assert "cooking" in q.wish and "cooking" not in q.avoid
    assert _reading("3人くらいまでなら").wants_small


def test_a_refusal_after_an_arrow_takes_back_the_wish_before_it() -> None:
    q = _reading("当初は畑希望→腰痛で断念、今は座ってできる作業")
    assert "farm" in q.avoid and "farm" not in q.wish and "light_work" in q.wish
    assert "farm" in _reading("畑やりたい→医師からNG").avoid
    # a place tried once is judged by how it went, not taken back as a kind of activity
    tried = _reading("以前、シニアの会に1回→職員の声が大きく×")
    assert "elderly" not in tried.avoid and tried.wants_quiet
    assert "office_it" in _reading("PC得意→事務職希望").wish


def test_nothing_but_is_no_refusal() -> None:
    q = _reading("母は畑を勧めるが本人は『ゲームしかしたくない』")
    assert "games" in q.wish and "games" not in q.avoid
    assert "cooking" in _reading("母は料理をさせたいと言うが本人は乗り気でない").avoid


def test_a_relatives_trade_or_wish_is_not_the_persons() -> None:
    assert "farm" not in _reading("兄は農家").wish
    q = _reading("父は大工、本人は絵が好き")
    assert "woodwork" not in q.wish and "visual_art" in q.wish
    assert "farm" in _reading("母は本人に畑をさせたい、本人も乗り気").wish
    assert "visual_art" in _reading("母より：本人は昔から絵が好き").wish


@pytest.mark.parametrize(
    ("note", "avoided"),
    [("料理は好きじゃない", "cooking"), ("花を育てるのはもういい", "gardening")],
)
def test_a_liking_denied_is_a_refusal(note: str, avoided: str) -> None:
    q = _reading(note)
    assert avoided in q.avoid and avoided not in q.wish


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("手先が器用", "assembly"),
        ("とりあえず週1で家から出たい", "place_to_be"),
        ("誰かに感謝されたい", "volunteer"),
        ("字がきれい", "visual_art"),
        ("計算が得意", "office_it"),
        ("力持ち", "physical"),
    ],
)
def test_strengths_and_plain_wishes_name_their_activity(note: str, concept: str) -> None:
    assert concept in _reading(note).wish


def test_clumsy_hands_refuse_handwork() -> None:
    assert "assembly" in _reading("手先が不器用").avoid


def test_money_refused_is_no_wish_for_pay_and_far_refused_is_near_wished() -> None:
    assert not _reading("お金はいらない").wants_paid
    assert _reading("お金がもらえるなら").wants_paid
    assert _reading("遠いのは無理").near == "遠いのは無理"
    assert _reading("近くは嫌、知り合いに会う").near == ""


def test_one_bus_is_no_book() -> None:
    assert "library" not in _reading("バス1本で行けるところ").wish
    assert "library" in _reading("本が好き").wish


def test_a_kana_only_liking_weighs_as_a_wish() -> None:
    assert _reading("りょうりすき").wish["cooking"] == _reading("料理好き").wish["cooking"]
    assert _reading("ぱそこんがとくい").wish["office_it"] == 1.0
    assert not _reading("すき焼きを食べた").wish


def test_weekday_daytime_taken_avoids_the_weekdays_unless_an_evening_is_offered() -> None:
    assert read_time_wishes("", "平日の昼間").avoid_days == {"mon", "tue", "wed", "thu", "fri"}
    assert read_time_wishes("平日日中はデイ、夕方から空いてる", "").avoid_days == set()
    assert read_time_wishes("", "早起き").avoid_early


def test_early_rising_said_gladly_is_a_morning() -> None:
    assert read_time_wishes("朝は早起きです", "").morning
    refused = read_time_wishes("早起きは無理", "")
    assert refused.avoid_early and not refused.morning


def test_a_relatives_quoted_hope_is_not_the_persons_wish() -> None:
    assert "farm" not in _reading("母『畑でもやらせたい』").wish
    assert "cooking" not in _reading("母「料理くらいできるようになってほしい」").wish
    # a relative's work the person wants to help with is the person's wish
    assert _reading("母の仕事を手伝いたい、花屋").wish


# --- tenth pass (ontology 2026.12j), from blind_brochure19's self-introduction sheets


@pytest.mark.parametrize(
    ("note", "days_avoided", "flags"),
    [
        # the duty named first, then its time: a part-time job in the morning
        ("パートは午前だけ（スーパー）", set(), {"avoid_morning"}),
        ("金曜は体操の日なので、それ以外なら", {"fri"}, set()),
        ("平日の午前は寝てます", set(), {"avoid_morning"}),
        # asleep until a time: the hours before it are taken, not the time named
        ("夜型で昼すぎまで寝てます", set(), {"evening", "avoid_morning"}),
        ("10時まで寝てる", set(), {"avoid_morning"}),
        # the wife's respite day frees the person; the days without the clinic are free
        ("水曜は妻のショートの日", set(), set()),
        ("金曜と土曜は病院がない日", set(), set()),
        # a wish for the work's own hours is no duty
        ("仕事は午前がいいです", set(), {"morning"}),
    ],
)
def test_when_said_on_a_self_introduction_sheet(
    note: str, days_avoided: set[str], flags: set[str]
) -> None:
    t = read_time_wishes(note, "")
    named = ("morning", "afternoon", "evening", "avoid_night", "avoid_morning", "avoid_afternoon")
    assert t.avoid_days == days_avoided
    assert {f for f in named if getattr(t, f)} == flags
    assert t.window is None


def test_free_days_and_busy_days_named_by_their_use() -> None:
    assert read_time_wishes("金曜と土曜は病院がない日", "").wish_days == {"fri", "sat"}
    assert read_time_wishes("金曜は体操の日なので、それ以外なら", "").wish_days == set()


@pytest.mark.parametrize(
    ("note", "window"),
    [
        ("午後1時〜3時のあいだに何かしたい", (13.0, 15.0)),
        ("1時〜4時くらいなら", (13.0, 16.0)),
        ("10時〜3時", (10.0, 15.0)),
        ("午後12時〜3時", (12.0, 15.0)),
        ("夜7時〜9時", (19.0, 21.0)),
        ("9時〜17時", (9.0, 17.0)),
    ],
)
def test_a_twelve_hour_clock_is_read_on_the_24_hour_clock(
    note: str, window: tuple[float, float]
) -> None:
    assert read_time_wishes(note, "").window == window


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("ミシンで子どもの給食袋や体操着入れを作ってます", "textile"),
        ("刺し子のふきんをちくちく", "textile"),
        ("PhotoshopとIllustratorで同人誌の表紙をつくってます", "visual_art"),
        ("スコーンとバナナマフィンを焼くのは得意", "baking"),
        ("元・中華の料理人", "cooking"),
        ("水回りのカビ取りが得意", "cleaning"),
        ("孫に算数を教えるのが楽しい", "kids"),
        ("お茶のみ友だちがほしい", "socialising"),
        ("昔は写真が趣味でニコンのF3を使ってました", "photography"),
        ("散歩とブラシかけは毎日ぼくの係", "animals"),
        ("ドンキでバイトしてて、POP書きが好き", "retail"),
        ("クボタの耕運機なら動かせる", "farm"),
    ],
)
def test_words_of_tenth_pass_name_their_activity(note: str, concept: str) -> None:
    assert concept in Analyzer().analyze(note, detect_negation=True).concepts


def test_a_lunch_bag_is_no_school_lunch() -> None:
    assert "cooking" not in _reading("ミシンで子どもの給食袋を作ってます").wish


def test_a_bad_experience_refuses_what_it_happened_at() -> None:
    q = _reading("レジでお客さんにどなられてから、接客は絶対むりです。スコーンは得意")
    assert "customer_service" in q.avoid and "customer_service" not in q.wish
    assert "baking" in q.wish
    assert "regulars" in _reading("常連さんとうまくいかなくて行けなくなりました").avoid


def test_a_start_said_with_kara_ends_the_morning_there() -> None:
    t = read_time_wishes("統合失調症で薬をのんでいて朝がつらい。10時くらいからならなんとか", "")
    assert t.window == (10.0, 24.0) and t.avoid_early and not t.avoid_morning
    assert read_time_wishes("10時から", "").window == (10.0, 24.0)
    # the hour a duty starts is no wish
    assert read_time_wishes("8時から仕事なので夕方なら", "").window is None


def test_a_visitor_keeps_a_person_home_unless_the_visit_frees_a_carer() -> None:
    home = read_time_wishes("土日は息子が来るので平日がいい", "")
    assert home.avoid_days == {"sat", "sun"}
    freed = read_time_wishes("土日は娘が来るので出られる", "")
    assert freed.wish_days == {"sat", "sun"} and not freed.avoid_days
    helper = read_time_wishes("水曜はヘルパーが来る日で家を空けられる", "")
    assert helper.wish_days == {"wed"} and not helper.avoid_days


def test_a_duty_with_ga_before_its_time_is_busy() -> None:
    t = read_time_wishes("パートが夕方から。朝9時〜11時くらいに何かしたい。", "")
    assert t.avoid_night and not t.evening and t.window == (9.0, 11.0)


@pytest.mark.parametrize(
    ("note", "days"),
    [
        ("火〜木の昼がいい", {"tue", "wed", "thu"}),
        ("月曜〜金曜", {"mon", "tue", "wed", "thu", "fri"}),
        ("金〜月なら", {"fri", "sat", "sun", "mon"}),
        ("8日〜10日", set()),
    ],
)
def test_a_run_of_weekdays_names_every_day_in_it(note: str, days: set[str]) -> None:
    assert read_time_wishes(note, "").wish_days == days


def test_a_relatives_suggestion_is_not_the_persons_wish() -> None:
    q = _reading("妻は「ボランティアでもしたら」と言うけど、正直あまり乗り気ではない。")
    assert "volunteer" not in q.wish
    assert "retail" not in _reading("母はコンビニの夜勤でいいじゃんと言うけど、夜はむり。").wish


def test_what_the_person_lacks_or_their_child_is_no_wish() -> None:
    q = _reading("下の子が小学生になったので、昼から少し働きたいです。資格はなにもないです。")
    assert "kids" not in q.wish and "learning" not in q.wish
    assert "employment_training" in q.wish
    assert "learning" in _reading("資格を取りたい").wish


def test_everyday_duties_and_visits_by_weekday_letters() -> None:
    t = read_time_wishes("デイは月水金なので火木なら", "")
    assert t.avoid_days == {"mon", "wed", "fri"} and t.wish_days == {"tue", "thu"}
    assert read_time_wishes("デイは月2回", "").avoid_days == set()  # monthly, no weekday
    weekend = read_time_wishes("週末は孫が遊びに来るので平日", "")
    assert weekend.avoid_days == {"sat", "sun"}
    assert read_time_wishes("午後3時まで", "").window == (12.0, 15.0)


def test_an_activity_left_out_with_igai_is_avoided() -> None:
    q = _reading("接客以外ならなんでもやります")
    assert "customer_service" in q.avoid and "customer_service" not in q.wish
    assert "kids" in _reading("子ども関係以外で、平日午前").avoid
    both = _reading("パソコン以外にも料理が好き")
    assert {"office_it", "cooking"} <= set(both.wish)
    # a place or days left out are no activity refused
    assert "place_to_be" in _reading("家以外の居場所ほしい").wish
    assert "sports" not in _reading("ジェフの試合の日以外なら、朝でも行ける").avoid


def test_a_liking_or_refusal_after_a_masked_idiom_still_counts() -> None:
    assert "kids" in _reading("子どもは苦手だけど動物は大丈夫").avoid
    assert "kids" in _reading("子どもは好きです").wish
    assert not _reading("子どもは独立して夫と二人暮らし").wish


def test_until_and_from_said_loosely() -> None:
    assert read_time_wishes("昼過ぎからなら行けます、3時半くらいまで", "").window == (12.0, 15.5)
    assert read_time_wishes("10時以降、2時くらいまで", "").window == (10.0, 14.0)
    family = read_time_wishes("土日は家族サービスなので平日で", "")
    assert family.avoid_days == {"sat", "sun"}


def test_igai_names_no_outdoors() -> None:
    assert "nature" not in _reading("子ども関係以外で、平日午前").wish


# --- from blind_brochure20's voice-memo transcripts (spaces for commas, hours spoken)


@pytest.mark.parametrize(
    ("note", "window"),
    [
        ("じゅうじから二時くらいまで時間が空くようになって", (10.0, 14.0)),
        ("平日のじゅうじから三時とか", (10.0, 15.0)),
        ("九時から五時", (9.0, 17.0)),
    ],
)
def test_hours_spoken_in_kana_or_kanji_are_hours(note: str, window: tuple[float, float]) -> None:
    assert read_time_wishes(note, "").window == window


def test_half_past_counts_in_a_start() -> None:
    assert read_time_wishes("十時半から", "").window == (10.5, 24.0)
    assert read_time_wishes("14時半以降", "").window == (14.5, 24.0)


def test_a_kanji_one_that_is_no_hour_stays_a_word() -> None:
    assert read_time_wishes("一時的に休んでた", "").window is None
    assert read_time_wishes("一時保育を使ってた", "").window is None


def test_free_and_busy_told_in_speech() -> None:
    club = read_time_wishes("水曜は部活がないので 水曜の放課後なら", "")
    assert club.wish_days == {"wed"} and not club.avoid_days
    lab = read_time_wishes("研究室が土日以外ほぼ缶詰なんで 日曜の午前とか", "")
    assert lab.wish_days == {"sat", "sun"} and "mon" in lab.avoid_days


def test_a_refusal_spoken_after_a_pause_ends_the_clause_before_it() -> None:
    q = _reading("大勢でしゃべる場所は聞き取れなくて つらいです")
    assert "lively" in q.avoid and q.wants_small
    assert "farm" in _reading("畑仕事をしてて 腰が無理").avoid
    # a liking after the pause is no refusal
    assert "cooking" in _reading("料理を作って 楽しかった").wish


def test_a_mothers_nagging_is_not_the_persons_wish() -> None:
    q = _reading("母ちゃんは介護の資格取れとか言うけど それは興味ないっす")
    assert "care_skills" not in q.wish and "learning" not in q.wish


def test_machine_noise_is_noise_not_machine_work() -> None:
    q = _reading("", avoid="大きい音 機械の音")
    assert "lively" in q.avoid and "light_work" not in q.avoid


# --- from blind_brochure21's referral letters (a professional writes; the person is quoted)


def test_a_referral_letters_source_line_is_no_wish() -> None:
    q = _reading("（若葉区 地域包括支援センター 社会福祉士より）68歳男性、道のごみ拾いをしたい")
    assert "care_skills" not in q.wish and "elderly" not in q.wish and "cleaning" in q.wish
    assert "care_skills" not in _reading("精神保健福祉士より：本人は校閲が得意").wish


def test_a_relative_quoted_after_kara_is_not_the_person() -> None:
    q = _reading(
        "奥様から「少しは外に出て人と関わって」と言われ相談に来られました。「土いじりなら」"
    )
    assert "place_to_be" not in q.wish and "farm" in q.wish
    assert "visual_art" in _reading("母から「畑やってみたら」と勧められた。本人は絵が好き").wish


def test_a_time_said_to_be_desirable_in_the_avoid_field_is_a_wish() -> None:
    t = read_time_wishes("", "夕方以降は飲酒欲求が出やすいため、活動は午前中が望ましいです")
    assert t.morning and not t.avoid_morning and t.avoid_night


def test_pay_declined_is_no_wish_for_pay_but_experience_not_needed_is_nothing() -> None:
    assert not _reading("年金があるので謝礼は不要とおっしゃっています").wants_paid
    assert not _reading("経験不要の仕事がいい").avoid


def test_proofreading_is_office_work() -> None:
    q = _reading("以前は出版社で校閲を担当され、「赤ペンで誤字を探すのは得意」")
    assert "office_it" in q.wish


def test_a_time_the_person_gets_sleepy_is_avoided() -> None:
    t = read_time_wishes("「朝5時起きは当たり前、昼過ぎには眠くなる」とのこと", "")
    assert t.morning and t.avoid_afternoon and not t.afternoon


@pytest.mark.parametrize(
    ("note", "concept"),
    [
        ("若い頃は花屋で働いており、「ブーケを作るのが好きだった」", "gardening"),
        ("中古品に値段を付けたり並べたりすることに強い関心", "retail"),
        ("「ドッグトレーナーになりたい」", "animals"),
        ("「アニソンなら耳コピできる」", "music"),
    ],
)
def test_words_of_referral_letters_name_their_activity(note: str, concept: str) -> None:
    assert concept in Analyzer().analyze(note, detect_negation=True).concepts


def test_one_bus_said_with_a_comma_is_no_book() -> None:
    assert "library" not in _reading("「バスで一本、6キロくらいまでなら」").wish
