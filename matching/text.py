"""Japanese text understanding: normalisation, Sudachi tokens, and the domain ontology.

The ontology (言い換え辞書) is data: ``matching/data/synonyms.json`` by default, or any file
with the same shape passed as ``Ontology.load(path)``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

# Characters NFKC leaves alone but that mean the same thing in coordinators' notes.
_CHAR_MAP = str.maketrans(
    {
        "〜": "~",
        "～": "~",
        "‐": "-",
        "−": "-",
        "―": "ー",
        "‑": "-",
        "ｰ": "ー",
        "✕": "×",
        "✖": "×",
        "╳": "×",
        "❌": "×",
        "\u3000": " ",
    }
)
_SPACE_RE = re.compile(r"\s+")
# Clause boundaries for deciding whether a marker such as 苦手 or × applies to a word.
# Clauses end at punctuation, after ×, at spaces, and after a contrast: in
# 「介助は無理だけど裏方なら」 the avoid marker belongs to the first half only.
CLAUSE_RE = re.compile(
    r"[。．!！?？\n、,，;；/／()（）]|(?<=[×])|\s{1,}(?=\S)|(?<=けど)|(?<=けれど)|(?<=ものの)"
    r"|(?<=だが)|(?<=ですが)"
    # 「人と話す練習がしたい」「電話がこわい」: two quotes side by side are two things said
    r"|(?<=[」』])(?=[「『])"
    # 「料理できない「カップ麺ばっか」パークゴルフ月1」: after a quote, unless a particle ties
    # the quote to what follows (「電話」は苦手)
    r"|(?<=[」』])(?![はがもをとってにでのへやか」』、。)）\s]|$)"
    # 「写真を撮りためている『人と話すのは苦手』」: a quote after a verb or a noun with no
    # particle is a new thing said, and its refusal is not the photographs'
    # (「本人『…』」「母曰く「…」」 name who speaks: the quote stays with its speaker)
    r"|(?<=[^はがもをとってにでのへやか「『(（\s、。→:：])"
    r"(?<!本人)(?<![母父妻夫娘談])(?<!息子)(?<!曰く)(?<!口癖)(?=[「『])"
    # 「タスク管理苦手→Notion使えるようになりたい」: what follows an arrow is its own clause,
    # unless the arrow leads to the verdict itself (「接客→NG」)
    r"|(?<=→)(?!\s*(?:×|✕|ng|NG|ＮＧ|無理|ムリ|苦手|不可|嫌))"
    # 「人混みが苦手なので少人数がいい」「電話は無理だからPC入力がしたい」: what follows the
    # reason for a refusal is what the person wants instead
    + "".join(
        f"|(?<={marker}{link})"
        for marker in ("苦手", "無理", "ムリ", "むり", "嫌", "きつい", "キツい", "しんどい", "NG")
        for link in ("なので", "だから", "ですから", "なため", "ので", "から", "で")
    )
    + "|(?<=できないので)|(?<=できないから)"
)


# 「土日しか無理」 says the weekend is the only time that works: no refusal of the weekend
_ONLY_MARKERS = {"無理", "ムリ", "むり", "ダメ", "だめ"}


# Markers that are a refusal only in some places, with the pattern that says where
_MARKER_PATTERNS: dict[str, str] = {
    "嫌": "(?<!機)嫌",
    # 「ゲームしかしたくない」 wants nothing but games
    "したくない": "(?<!しか)したくない",
    "やりたくない": "(?<!しか)やりたくない",
    # 「接客以外ならなんでも」 leaves customer service out; 「PC以外にも料理」 adds cooking;
    # 「家以外の居場所」 and 「試合の日以外なら」 leave out a place and days, not an activity
    "以外": "(?<!家)(?<!自宅)(?<!家族)(?<!日)(?<!曜)(?<!時)以外(?!に|も)",
    # 「年金があるので謝礼は不要」 refuses pay; 「経験不要」 asks nothing of the person
    "不要": "(?:謝礼|お礼|報酬|給料|給与|お金|交通費|工賃)は?不要",
    # 「接客はちょっと」 trails off into a refusal; 「料理はちょっとできる」 is a skill
    "はちょっと": r"はちょっと(?=[」』)）…。!?\s]*$)",
    # 「体動かしてないとダメ」「やらなきゃダメ」 says what the person needs
    **{m: "(?<!しか)(?<!ないと)(?<!なきゃ)" + re.escape(m) for m in _ONLY_MARKERS},
}


def _marker_pattern(marker: str) -> str:
    return _MARKER_PATTERNS.get(marker, re.escape(marker))


# 「嫌いではない」「苦手じゃない」「無理でもない」: a refusal denied is no refusal
NOT_DENIED = r"(?!い?(?:では|じゃ|でも)(?:ない|なか|あり))"
# A clause that states a wish or strength weighs more than one that tells history.
_DESIRE_RE = re.compile(
    r"たい|希望|好き|得意|関心|興味|ほしい|欲しい|したい|できれば|続けられ|向いて|楽しみ|やってみ|いい|探して"
    # kana-only notes (「りょうりすき」「ぱそこんがとくい」); not すきま, すき焼き
    r"|すき(?![まや焼])|とくい|きょうみ"
    # 「土いじりの話になると表情が明るくなる」「〜を育ててきたのが自慢」: a wish told by its effect
    r"|明るくなる|目が輝|饒舌|夢中|生き生き|いきいきと|自慢|ハマって|はまって"
    # terse case notes: 「獣医志望」「就職めざす」「Blender練習中」
    r"|志望|めざ|目指|練習中|勉強中"
)
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞"}
_MAX_CHARS = 4000  # notes longer than this are truncated: nothing useful hides past it
ANALYZER_VERSION = "16"  # bump when tokenisation changes: invalidates cached analyses


# 「介護の資格は必要ありません」「経験がなくても大丈夫」: a clause saying what is not needed
_WAIVED_RE = re.compile(
    r"[^。、！!]*(?:資格|経験|免許|知識|スキル)[^。、！!]{0,6}"
    r"(?:必要ありません|必要ない|必要なし|不要|いりません|要りません|なくても|無くても"
    r"|問いません|問われません|なしで|なしでも|無しでも)[^。、！!]*"
)
# 「電話応対なし」「力仕事はありません」: what a place says its activity does not involve
_ABSENT_RE = re.compile(r"[^。、！!]*(?:なし|無し|ありません|しません)(?=[。、！!]|$)")
# 「ケアマネから：」「母より補足：」「本人談『…』」: who is speaking in an intake record.
# The speaker is not a wish (ケアマネ is not care work, 就労支援センター not a job search).
_SPEAKER_RE = re.compile(
    r"(?:^|(?<=[／/。\n]))\s*(?:[^「」『』：:。、／/\n]{1,16}?(?:から|より)"
    r"の?(?:補足|追記|電話|連絡|メール|相談|紹介|情報提供|情報|話|聞き取り)?\s*[：:]|本人談|本人より[：:]?"
    # a referral letter's source line: 「（若葉区 地域包括支援センター 社会福祉士より）」
    r"|\([^()]{1,40}?(?:から|より)\))"
)
# the headings of referral sheets, assessment sheets and hand-over mails: 【紹介元】【引継】,
# 「心身機能：」「環境因子：」, and a checkbox left empty (「□居場所」 is what was not ticked)
_FORM_HEADER_RE = re.compile(
    r"【[^】]{1,8}】|(?:心身機能|身体機能|健康状態|環境因子|個人因子|活動|参加)\s*[：:]"
    r"|[□☐][^■□☐☑✓\s、。]{1,8}"
    # 「事務の面接3社×」「書類選考×」: the × of a job hunt's tally is a refusal the person got,
    # not one they gave
    r"|(?<=\d社)[×✕✖]|(?<=選考)[×✕✖]"
)


# 「電話(母) 18男…」「TEL(妻より)」「電話メモ 36男」「申し送り：45男」: how the note came in,
# not a wish about phones; a header only when a speaker, a kind of record, a colon or the
# person's age follows (「電話が苦手」 at the start stays)
_INTAKE_HEADER_RE = re.compile(
    r"^\s*(?:電話|tel|TEL|Tel|架電|来所|面談|訪問|申し送り)"
    r"(?:\s*\([^()]{0,12}\)|メモ|相談|連絡|記録|受付|[：:]|\s+(?=\d))\s*[：:]?"
)


def without_speakers(text: str) -> str:
    """A note without the 「〇〇から：」 headers that say who is speaking, nor the intake
    header that says how it came in."""
    text = _FORM_HEADER_RE.sub(" ", text)
    return _SPEAKER_RE.sub(" ", _INTAKE_HEADER_RE.sub(" ", text, count=1))


def normalize(text: str | None) -> str:
    """NFKC plus width/kana unification: full-width digits, half-width kana, wave dashes."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)[:_MAX_CHARS]).translate(_CHAR_MAP)
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _sudachi_dictionary() -> Any:
    from sudachipy import dictionary

    return dictionary.Dictionary(dict="core")


_local = threading.local()


def _sudachi() -> Any:
    """This thread's tokenizer: a Sudachi tokenizer must not be used by two threads at once
    (the web server ranks in a thread pool); the dictionary itself is shared."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import tokenizer

        tok = _sudachi_dictionary().tokenizer(mode=tokenizer.Tokenizer.SplitMode.C)
        _local.tokenizer = tok
    return tok


def sudachi_tokens(text: str) -> list[tuple[str, str, str]]:
    """(surface, normalized_form, coarse POS) for each morpheme of already normalised text."""
    if not text:
        return []
    return list(_morphemes(text))


@lru_cache(maxsize=8192)
def _morphemes(text: str) -> tuple[tuple[str, str, str], ...]:
    # Memoised: reasons quote the same note clauses on every request for a profile, and
    # tokenising them again was a tenth of a rank call. Sudachi's output is deterministic.
    return tuple(
        (m.surface(), m.normalized_form(), m.part_of_speech()[0]) for m in _sudachi().tokenize(text)
    )


@dataclass
class Concept:
    """One ontology entry: an activity, wish or trait with the words that express it."""

    id: str
    label: str
    categories: list[str]
    trait: str | None
    terms: list[str]
    # a narrower concept's words also name its parent (クラリネット is music and music_art), so
    # a wish for the narrow one ranks its siblings below it but above unrelated activities
    parent: str | None = None
    # how much a mention outside a wish counts: 「工場で働いていた」 tells history, and work
    # words fill every history, so employment counts for less than other mentioned activities
    mentioned: float = 0.5


@dataclass
class TextAnalysis:
    """What the analyser found in one text."""

    normalized: str
    tokens: list[str]
    concepts: dict[str, list[str]] = field(default_factory=dict)
    negated: dict[str, list[str]] = field(default_factory=dict)
    # clauses with an avoid marker (「人混み×」「土日NG」), and their content tokens
    negated_clauses: list[str] = field(default_factory=list)
    negated_tokens: list[str] = field(default_factory=list)
    desired: set[str] = field(default_factory=set)
    # concepts negated only by worry (「面接がこわい」), which a wish elsewhere in the note
    # outweighs: the person wants the thing and is anxious about it
    worried: dict[str, list[str]] = field(default_factory=dict)
    worried_tokens: list[str] = field(default_factory=list)


class Ontology:
    """The domain synonym layer: maps free wording onto concepts and catalog categories."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version = str(data.get("version", "custom"))
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False) + ANALYZER_VERSION
        self.fingerprint = hashlib.sha256(blob.encode()).hexdigest()[:16]
        self.category_labels: dict[str, str] = dict(data.get("category_labels", {}))
        self.concepts: dict[str, Concept] = {}
        for c in data["concepts"]:
            self.concepts[c["id"]] = Concept(
                id=c["id"],
                label=c.get("label", c["id"]),
                categories=list(c.get("categories", [])),
                trait=c.get("trait"),
                terms=list(c.get("terms", [])),
                parent=c.get("parent"),
                mentioned=float(c.get("mentioned", 0.5)),
            )
        for c in list(self.concepts.values()):
            if c.parent is not None:
                if c.parent not in self.concepts:
                    raise ValueError(f"concept {c.id}: unknown parent {c.parent}")
                up = self.concepts[c.parent]
                up.terms.extend(t for t in c.terms if t not in up.terms)
                c.categories = c.categories or list(up.categories)
        self.stopwords = {normalize(w) for w in data.get("stopwords", [])}
        markers = {normalize(m).lower() for m in data.get("avoid_markers", [])}
        self._marker_re = re.compile(
            "(?:"
            # 機嫌 (mood) is not 嫌 (a refusal): 「午前中なら機嫌がいい」
            + "|".join(_marker_pattern(m) for m in sorted(markers, key=len)[::-1])
            + ")"
            + NOT_DENIED
        )
        self.worry_markers = {normalize(m).lower() for m in data.get("worry_markers", [])}
        # term (normalised surface and Sudachi normalized form) -> concept ids
        self._substr: dict[str, set[str]] = {}
        self._single: dict[str, set[str]] = {}
        for c in self.concepts.values():
            for term in c.terms:
                for form in _term_forms(term):
                    if len(form) <= 1:
                        self._single.setdefault(form, set()).add(c.id)
                    else:
                        self._substr.setdefault(form, set()).add(c.id)
        alternation = "|".join(re.escape(t) for t in sorted(self._substr, key=len, reverse=True))
        self._term_re = re.compile(alternation) if alternation else re.compile(r"(?!x)x")
        self.concept_ids = sorted(self.concepts)
        # every term form on one string, to ask whether a word is part of any term
        self.term_text = "\n".join([*self._substr, *self._single])
        # terms by their kana reading, for notes written in kana (「りょうりすき」「ぱそこん」):
        # three kana at least, and never loose words, so that function words stay unread
        self._reading: dict[str, set[str]] = {}
        loose = {normalize(t).lower() for t in data.get("weak_terms", [])}
        for c in self.concepts.values():
            for term in c.terms:
                reading = kana_reading(normalize(term))
                # a katakana term's reading is its letters: three of them in hiragana are too
                # often another word (イラレ in 「いられる」)
                least = READING_MIN + (1 if reading == normalize(term) else 0)
                if len(reading) >= least and normalize(term).lower() not in loose:
                    self._reading.setdefault(reading, set()).add(c.id)
        readings = sorted(self._reading, key=len, reverse=True)
        self._reading_re = re.compile("|".join(map(re.escape, readings))) if readings else None
        # words that name a concept only loosely (趣味, 手伝い): a concept found through them
        # alone counts for less in a person's wishes
        self.weak_terms = {f for t in data.get("weak_terms", []) for f in _term_forms(t)}
        # idioms whose words would name a concept they are not about (子どもの頃 is a time,
        # not a wish to work with children): masked before terms are searched
        ignore = sorted({normalize(t).lower() for t in data.get("ignore_phrases", [])}, key=len)
        self._ignore_re = (
            re.compile("|".join(_ignore_pattern(t) for t in ignore[::-1])) if ignore else None
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> Ontology:
        """Load an ontology JSON file; the packaged one when ``path`` is None."""
        if path is None:
            ref = importlib_resources.files("matching").joinpath("data/synonyms.json")
            return cls(json.loads(ref.read_text(encoding="utf-8")))
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def categories_of(self, concept_ids: Iterable[str]) -> set[str]:
        """Catalog categories the given concepts point to."""
        out: set[str] = set()
        for cid in concept_ids:
            out.update(self.concepts[cid].categories)
        return out

    def find(self, text: str, morphs: list[tuple[str, str, str]]) -> dict[str, list[str]]:
        """Concept id -> matched words, searching surface text and Sudachi normalized forms."""
        if self._ignore_re is not None and self._ignore_re.search(text.lower()):
            text = self._ignore_re.sub(lambda m: "、" * len(m.group(0)), text.lower())
            morphs = sudachi_tokens(text)
        found: dict[str, list[str]] = {}
        lemma_text = "".join(m[1] for m in morphs)
        hays = (
            (text.lower(), [len(m[0]) for m in morphs]),
            (lemma_text.lower(), [len(m[1]) for m in morphs]),
        )
        covered = bytearray(len(text))  # surface letters a term already took
        for pass_no, (hay, lengths) in enumerate(hays):
            for match in self._term_re.finditer(hay):
                word = match.group(0)
                if _inside_longer_katakana(word, match.start(), lengths, hay):
                    continue
                if match.end() < len(hay) and hay[match.end()] in _SMALL_KANA:
                    continue  # そうじ in 「そうじゃない」 is not 掃除
                if word.startswith("外") and match.start() > 0 and hay[match.start() - 1] == "以":
                    continue  # 「子ども関係以外で」 is no 外で (outdoors)
                if pass_no == 0:
                    covered[match.start() : match.end()] = b"\x01" * len(word)
                for cid in self._substr[word]:
                    words = found.setdefault(cid, [])
                    # the lemma pass re-finds surface hits in dictionary form: keep one
                    if not any(word in w or w in word for w in words):
                        words.append(word)
        if self._reading_re is not None and any(_is_hiragana(ch) for ch in text):
            self._find_by_reading(text, [len(m[0]) for m in morphs], covered, found)
        start = 0
        for surface, lemma, _pos in morphs:
            start += len(surface)
            if any(covered[start - len(surface) : start]):
                continue  # 森 inside 「あつ森」, a longer term already found
            for key in {surface.lower(), lemma.lower()}:
                for cid in self._single.get(key, ()):
                    words = found.setdefault(cid, [])
                    if surface not in words:
                        words.append(surface)
        return found

    def _find_by_reading(
        self, text: str, lengths: list[int], covered: bytearray, found: dict[str, list[str]]
    ) -> None:
        """Terms whose reading the note spells in kana; the note's own letters are kept.

        A reading counts only from a morpheme's start to a morpheme's end (コモリ inside
        「ひきこもり」 is not 子守) and only where no written term was found (ゲーム in
        「ゲーム作ってる」 belongs to ゲーム作).
        """
        assert self._reading_re is not None
        bounds = {0, *itertools.accumulate(lengths)}
        kata = text.lower().translate(_HIRA_TO_KATA)
        for match in self._reading_re.finditer(kata):
            end = match.end()
            if (
                match.start() not in bounds
                or end not in bounds
                or any(covered[match.start() : end])
            ):
                continue
            word = text[match.start() : end]
            for cid in self._reading[match.group(0)]:
                words = found.setdefault(cid, [])
                if not any(word in w or w in word for w in words):
                    words.append(word)

    def is_weak(self, words: Iterable[str]) -> bool:
        """True when every one of ``words`` is a loose word for its concept (趣味)."""
        return all(normalize(w).lower() in self.weak_terms for w in words)

    def has_marker(self, clause: str) -> bool:
        """True when the clause says the person avoids something (苦手, ×, NG, 避けたい…)."""
        return bool(self._marker_re.search(clause.lower()))

    def only_worry(self, clause: str) -> bool:
        """True when every avoid marker in the clause is a worry (怖い, 不安), not a refusal."""
        found = [m.group(0) for m in self._marker_re.finditer(clause.lower())]
        return bool(found) and all(m in self.worry_markers for m in found)


# 「子どもは苦手」「子どもは好き」: an idiom mask that ends in は / が (子どもは独立した) does not
# hide a liking or a refusal said straight after it
_JUDGED_AFTER = (
    r"(?!(?:苦手|嫌|無理|ムリ|むり|ダメ|だめ|ちょっと|怖|こわ|ng|×|好き|大好き|得意|すき))"
)


def _ignore_pattern(phrase: str) -> str:
    return re.escape(phrase) + (_JUDGED_AFTER if phrase.endswith(("は", "が")) else "")


def _inside_longer_katakana(word: str, start: int, lengths: list[int], hay: str) -> bool:
    """True for a katakana term that is a longer katakana word but for one letter.

    Terms are searched as substrings so that compounds match (ケーキ in パンケーキ,
    カフェ in ネットカフェ), but a word one letter longer is another word (パン in パンク,
    ペン in ペンキ). The morpheme holding the match decides; ``lengths`` are the morphemes'
    lengths in ``hay``.
    """
    if not all(_is_katakana(ch) for ch in word):
        return False
    pos = 0
    for n in lengths:
        if pos <= start < pos + n:
            morph = hay[pos : pos + n]
            return len(morph) == len(word) + 1 and all(_is_katakana(ch) for ch in morph)
        pos += n
    return False


READING_MIN = 3
_HIRA_TO_KATA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_SMALL_KANA = set("ャュョァィゥェォゃゅょぁぃぅぇぉ")


def kana_reading(text: str) -> str:
    """Katakana reading of a normalised text, by Sudachi; empty when a part has none."""
    if not text:
        return ""
    parts = [m.reading_form() for m in _sudachi().tokenize(text)]
    return "".join(parts) if all(parts) else ""


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u3096"


def _is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff"


def _term_forms(term: str) -> set[str]:
    norm = normalize(term).lower()
    forms = {norm}
    morphs = sudachi_tokens(normalize(term))
    if morphs:
        forms.add("".join(m[1] for m in morphs).lower())
    return {f for f in forms if f}


class Analyzer:
    """Turns Japanese free text into search tokens and ontology concepts (with negation)."""

    def __init__(self, ontology: Ontology | None = None) -> None:
        self.ontology = ontology or Ontology.load()

    def tokens(self, text: str, morphs: list[tuple[str, str, str]] | None = None) -> list[str]:
        """Content-word tokens (Sudachi normalized_form), stop-words and symbols removed."""
        if morphs is None:
            morphs = sudachi_tokens(normalize(text))
        out = []
        for surface, lemma, pos in morphs:
            if pos not in _CONTENT_POS:
                continue
            tok = lemma.lower()
            if tok in self.ontology.stopwords or surface in self.ontology.stopwords:
                continue
            if tok.isdigit() or (len(tok) == 1 and (_is_kana(tok) or tok.isascii())):
                continue  # a lone letter is a record's S/O/A/P heading or 「5y」's unit
            if not any(unicodedata.category(ch)[0] in "LN" for ch in tok):
                continue  # emoji and symbols carry no searchable meaning
            out.append(tok)
        return out

    def analyze_offer(self, text: str) -> TextAnalysis:
        """A receiver's text read for what it offers.

        「介護の資格は必要ありません」「調理経験は問いません」 say what is not asked of a
        newcomer; a concept named only there (a day-service chat slot and 介護) is not what
        the activity is, so a person who refuses care work is not kept from it.
        """
        result = self.analyze(text)
        if result.concepts and (
            _WAIVED_RE.search(result.normalized) or _ABSENT_RE.search(result.normalized)
        ):
            kept = _ABSENT_RE.sub("。", _WAIVED_RE.sub("。", result.normalized))
            rest = self.analyze(kept)
            result.concepts = {c: w for c, w in result.concepts.items() if c in rest.concepts}
        return result

    def analyze(self, text: str, *, detect_negation: bool = False) -> TextAnalysis:
        """Tokens and concepts of a text; with ``detect_negation`` split avoided concepts out."""
        norm = normalize(text)
        morphs = sudachi_tokens(norm)
        result = TextAnalysis(normalized=norm, tokens=self.tokens(norm, morphs))
        if not norm:
            return result
        if not detect_negation:
            result.concepts = self.ontology.find(norm, morphs)
            return result
        hard: set[str] = set()
        before: tuple[str, dict[str, list[str]]] = ("", {})
        for clause in CLAUSE_RE.split(norm):
            clause = clause.strip()
            if not clause:
                continue
            found = self.ontology.find(clause, sudachi_tokens(clause))
            if _RELATIVE_OWN_RE.search(clause) or (
                clause[0] in "「『" and _RELATIVE_SPEAKS_RE.search(before[0])
            ):
                # 「兄は農家」「母は料理をさせたいと言う」: a relative's trade or wish
                before = (clause, {})
                continue
            negative = self.ontology.has_marker(clause)
            if (
                negative
                and not found
                and before[0].endswith("→")
                and not _PAST_PLACE_RE.search(before[0])
            ):
                # 「当初は畑希望→腰痛で断念」「畑やりたい→医師からNG」: a refusal after the arrow
                # that names nothing else takes back the wish before it (a place tried once,
                # 「以前、シニアの会に1回→声が大きく×」, is judged by how it went)
                self._take_back(result, before[1])
            elif (
                negative
                and not found
                and len(clause) <= 10
                and before[1]
                and before[0].endswith(("て", "で"))
                and not _DESIRE_RE.search(before[0])
            ):
                # 「大勢でしゃべる場所は聞き取れなくて つらいです」「機械の音がしてて 無理でした」:
                # a sentence spoken in pieces; the refusal ends the clause it continues
                self._take_back(result, before[1], manners=True)
            before = (clause, {} if negative else found)
            if negative and _PAST_PLACE_RE.search(clause):
                # 「※緑図書館は前回人間関係NG」: a placement that went wrong (left out by its
                # id), not the kind of activity; how it went wrong (人が多すぎ) still counts
                traits = self.ontology.concepts
                found = {c: w for c, w in found.items() if traits[c].trait is not None}
                if not found:
                    continue
            if negative:
                result.negated_clauses.append(clause)
                result.negated_tokens.extend(self.tokens(clause))
            target = result.negated if negative else result.concepts
            if negative and self.ontology.only_worry(clause):
                for cid, words in found.items():
                    result.worried.setdefault(cid, []).extend(words)
                result.worried_tokens.extend(self.tokens(clause))
            elif negative:
                hard.update(found)
            if not negative and _DESIRE_RE.search(clause):
                result.desired.update(found)
            for cid, words in found.items():
                bucket = target.setdefault(cid, [])
                bucket.extend(w for w in words if w not in bucket)
        for cid in hard:
            result.worried.pop(cid, None)
        return result

    def _activities(self, found: dict[str, list[str]]) -> dict[str, list[str]]:
        """The concepts that name an activity, not a manner (静か, 少人数, 人混み)."""
        return {c: w for c, w in found.items() if self.ontology.concepts[c].trait is None}

    def _take_back(
        self, result: TextAnalysis, found: dict[str, list[str]], *, manners: bool = False
    ) -> None:
        """Move a wished clause's activities (and with ``manners`` its 人混み, 静か…) to the
        refused ones."""
        for cid, words in (found if manners else self._activities(found)).items():
            result.concepts.pop(cid, None)
            result.desired.discard(cid)
            bucket = result.negated.setdefault(cid, [])
            bucket.extend(w for w in words if w not in bucket)


# 「兄は農家」「父は大工」「母は料理をさせたい」「CMは脳トレを勧める」: what a relative does or
# wants for the person, not the person's own wish (「母より：本人は絵が好き」 is the person's)
_RELATIVES = (
    r"(?:父|母|兄|姉|弟|妹|夫|妻|祖父|祖母|父親|母親|家族|主治医|ケアマネ|CM|CW|相談員|息子|娘|主人"
    r"|旦那|母ちゃん|父ちゃん|かあちゃん|とうちゃん|おかん|おとん|お母さん|お父さん|母さん|父さん|親|嫁"
    r"|奥様|奥さん|ご主人|ご家族|お母様|お父様|ご両親|両親)"
)
_RELATIVE_OWN_RE = re.compile(
    rf"^{_RELATIVES}"
    r"(?:は|曰く|いわく|から|より|[『「])[『「]?"
    r"(?!.{0,20}本人)"
    # 「妻は「ボランティアでもしたら」と言うけど」「母はコンビニの夜勤でいいじゃんと言うけど」
    r"(?:.{0,16}(?:させたい|やらせたい|勧め|すすめ|薦め|推し|望んで|希望して|てほしい|て欲しい"
    r"|でいいじゃん|したら[」』]|と言う|と言って|って言う|って言って|と言われ|とか言う|とか言って)"
    r"|.{0,8}(?:農家|大工|職人|漁師|教師|看護師|美容師|調理師|自営|で働|に勤め|の仕事))"
)


# 「奥様から」「母は」 alone, before the quote it introduces: 「奥様から「少しは外に出て」と言われ」
_RELATIVE_SPEAKS_RE = re.compile(rf"^{_RELATIVES}(?:から|より|は)$")


# a refusal of one earlier placement: 「前回NG」「以前通った〇〇は合わず」「前の事業所は」
_PAST_PLACE_RE = re.compile(
    r"前回|以前(?!から)|前に(?:行った|通った|参加|体験|見学|紹介)|前の(?:事業所|体験|作業所|施設|職場)"
    r"|体験先|通っていた|通ってた"
)


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff"


_TIME_RANGE_RE = re.compile(
    r"(\d{1,2})(?::(\d{2}))?\s*時?\s*(?:半)?\s*(?:~|-|から|より)\s*(\d{1,2})(?::(\d{2}))?\s*時"
)
# A clock time and how loosely it is said: 「10時」「14:30」「14時半くらい」
_CLOCK = r"(\d{1,2})(?::(\d{2}))?\s*時\s*(半)?\s*(?:くらい|ぐらい|頃|ごろ)?\s*"
# 「8時から仕事」「17時まで仕事」「10時まで寝てる」: a time taken by a duty or by sleep, no wish
_TAKEN_AFTER = (
    r"(?!.{0,4}(?:仕事|バイト|パート|勤務|学校|授業|作業所|デイ|通院|病院|塾|寝|ねて|布団))"
)
# 「15時以降なら行ける」「17時過ぎから」「10時くらいからならなんとか」: a start with no end is a
# window to the day's end
_TIME_FROM_RE = re.compile(_CLOCK + r"(?:以降|過ぎ|すぎ|から)" + _TAKEN_AFTER)
# 「10時以降、14時半にはお迎え」: the end said after the start
_TIME_UNTIL_RE = re.compile(_CLOCK + r"(?:まで|には|に)")
# 「14時まで」 alone: the day ends there for the person
_UNTIL_ONLY_RE = re.compile(_CLOCK + "まで" + _TAKEN_AFTER)


@dataclass
class TimeWishes:
    """Time-of-day and weekday wishes read from text (朝がいい, 午前中NG, 10時〜14時, 土日NG).

    ``clauses`` keeps the person's own words behind each wish (e.g. ``"avoid_morning"`` ->
    ``"午前中の活動"``) so that reasons can quote them.
    """

    morning: bool = False
    afternoon: bool = False
    evening: bool = False
    avoid_night: bool = False
    # the hour from which 「夜」 is avoided: 18 for 夜NG, 20 for 「夜遅くなるのは」
    night_from: float = 18.0
    avoid_early: bool = False
    avoid_morning: bool = False
    avoid_afternoon: bool = False
    window: tuple[float, float] | None = None
    avoid_days: frozenset[str] = frozenset()
    wish_days: frozenset[str] = frozenset()
    clauses: dict[str, str] = field(default_factory=dict)

    @property
    def any_time(self) -> bool:
        """True when a time-of-day wish or avoidance was read (weekdays aside)."""
        return any(
            (
                self.morning,
                self.afternoon,
                self.evening,
                self.avoid_night,
                self.avoid_early,
                self.avoid_morning,
                self.avoid_afternoon,
                self.window is not None,
            )
        )


_NEG_TIME_RE = re.compile(
    r"(?:避け|苦手|×|ng|無理|ムリ|むり|難しい|厳しい|きつい|キツい|キツイ|しんどい|不可|つらい|ダメ|だめ|できない|いや"
    r"|(?<!機)嫌"
    r"|勘弁|遠慮|行けない|通えない|できず|出られず|行けず|来られない|来れない|出られない|はちょっと[」』)）…]*$"
    r"|動かない|動けない|起きられない|起きれない|起きられず|起きれず|弱い|だるい|眠くなる|眠い|ねむい"
    # 「朝ゆっくりしたい」: a slow morning, not a morning out
    r"|ゆっくり(?:したい|寝|起き|過ごしたい)"
    r"|調子が(悪|出ない))" + NOT_DENIED
)
# 「昼夜逆転」 names no time: the 夜 in it is no wish for the evening (and coordinators
# often answer it with a morning activity, to set the day's rhythm again)
_DAY_NIGHT_REVERSED = "昼夜逆転"
# 「水曜以外はデイケアで埋まってます」「平日は作業所に通ってるので」: the days and times a
# person is busy are times to avoid, though no avoid word is said
_BUSY_NOUNS = (
    r"(仕事|パート|バイト|勤務|出勤|夜勤|日勤|シフト|通院|付添|付き添い|送り迎え|送迎|ハロワ"
    r"|ハローワーク|職安|就活|デイケア|デイ|介護|学校|作業所|病院|塾|部活|家事|育児|透析|リハビリ"
    r"|カウンセリング|教会|礼拝|法事|習い事|稽古|家族サービス|缶詰|研究室|授業|ゼミ)"
)
_BUSY_TIME_RE = re.compile(
    r"埋まって|ふさがって|塞がって|予定が(ある|あり|入って)|用事が|都合が(悪|つか)"
    r"|(バイト|パート|仕事|通院|デイケア|学校|塾|部活|介護|病院|作業所|デイ|世話|家事|育児|透析"
    r"|リハビリ|習い事|送り迎え)(が|に|で|へ)?"
    r"(ある|あり|あって|入って|入ってる|通って|行って|いって)"
    r"|[にへ]通って[るいおま]"
    # 「平日仕事(パート)→土曜◎」「平日は親の介護→」: a busy noun straight after the days
    # 「水曜は夫の通院付添」: a relative's appointment keeps the person busy too
    # 「午前は通院」「昼間は母の介護」「夜はバイト」: a time of day taken by a duty
    r"|(平日|土日|週末|休日|[月火水木金土日](曜日?)?|(?:午前中?|午後|朝|日中|昼間|夕方|夜)(?=は))は?((親|家族|母|父|祖父|祖母|夫|妻|子|子ども|孫|娘|息子"
    r"|義母|義父)の)?(?:[^、。\s]{1,10}の|(?![昼朝夜午])[一-龥]{1,3})?"
    rf"{_BUSY_NOUNS}"
    # 「土日は夫の店を手伝うので」「土日は実家の店番があるので」
    r"|手伝う(?:ので|ため|から)|手伝いに行く(?:ので|ため|から)|店番|過ごす(?:ので|ため|から|$)"
    r"|[にへ]行く(?:ので|ため|から)"  # 「日曜は教会に行くから平日がいい」
    # 「パートは午前だけ」「仕事は平日」: the duty named first, then its time (not 「仕事は午前が
    # いい」, a wish for the work itself)
    rf"|{_BUSY_NOUNS}[はが](?:平日|土日|週末|午前中?|午後|朝|日中|昼間|夕方|夜"
    r"|[月火水木金土日](?:曜日?)?(?![0-9一二三四五六七八九十回]))"  # (「デイは月2回」 is monthly)
    r"(?![^、。]{0,6}(?:がいい|が良い|希望|したい|なら|でも))"
    # 「金曜は体操の日なので」「月曜は病院の日」: a day given to something else
    # (not 「水曜は妻のショートの日」: the wife's respite day leaves the person free)
    rf"|(?:[月火水木金土日]曜日?|平日|土日|週末)は(?:{_BUSY_NOUNS}|体操|練習|教室)の日"
    r"(?=なので|だから|で|です|。|、|$)"
    r"|(?<!まで)寝て(?:ます|る|い|お)"  # 「平日の午前は寝てます」
    # 「土日は息子が来るので」「週末は孫が遊びに来るので」
    r"|(?:が|も)(?:[^、。]{0,4}に)?(?:来る|来ます|くる)(?:ので|から|ため|日)"
    r"|(?:朝|夕方|午後)は(?:子の|子どもの|孫の)?(?:お?迎え|送り|送迎)"  # 「夕方は子の迎え」
)
# a reason and then a wish in one sentence (「土日はバイトがあるので平日がいい」) are two
# clauses for times: the reason's days are avoided, the wish's days wished
# 「朝は起きられず午後から」: the time a person cannot manage, then the time that suits
# 「平日は仕事で土日なら」「日中は父の介護で夕方からなら」: a duty joined by で to the time
# that suits is a reason and a wish too (read as one, every day or the evening was avoided)
_TIME_CLAUSE_RE = re.compile(
    # (「娘が来るので出られる」 stays one: what frees the person is said after ので)
    r"(?:(?<=ので)|(?<=ため)|(?<=[るただいすく]から))(?!出られ|空けられ|出かけられ|外出でき)|(?<=→)|(?<=起きられず)|(?<=起きれず)"
    r"|(?:(?<=で)|(?<=あり)|(?<=あって))"
    r"(?=(?:朝|昼|夕方|夜|午前|午後|\d{1,2}時|[月火水木金土日]曜|平日|土日|週末))"
)
# 「日中は父の介護」: the daytime is a time a duty can fill, though it names no hour
_DAYTIME_RE = re.compile(r"日中|昼間")
# 「夜の繁華街」「夜の街」 is a place (drink, crowds) to keep away from, not an hour
_NIGHT_PLACE = r"の(?:繁華街|街|店|盛り場|歓楽街)|遊び"
_NIGHT_RE = re.compile(rf"夜(?!勤|型|{_NIGHT_PLACE})|夕方|深夜")  # 「夜型なんで朝は無理」: mornings
# an evening wish: 夜勤 (a night shift) is a job, not a time the person wants
_EVENING_RE = re.compile(rf"夕方|夜(?!勤|{_NIGHT_PLACE})|ゆうがた")
_LATE_RE = re.compile(r"夜遅|遅い時間|遅くなる|深夜|夜中")
# kana-only notes write times in kana too (「ごごからならだいじょうぶ」「ゆうがたなら」)
# 「朝までやってる」 is a night spent awake, not a morning that suits
# 「毎朝ジョギング」「毎朝写経しとる」 is a habit, not the time that suits a new activity
_MORNING_RE = re.compile(r"(?<!毎)朝(?!まで|方まで)|午前|ごぜん")
_AFTERNOON_RE = re.compile(r"午後|昼から|昼以降|昼過ぎ|昼すぎ|ごご|ひるから")
_DAY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("土日", ("sat", "sun")),
    ("週末", ("sat", "sun")),
    ("休日", ("sat", "sun")),
    ("平日", ("mon", "tue", "wed", "thu", "fri")),
    ("月曜", ("mon",)),
    ("火曜", ("tue",)),
    ("水曜", ("wed",)),
    ("木曜", ("thu",)),
    ("金曜", ("fri",)),
    ("土曜", ("sat",)),
    ("日曜", ("sun",)),
)


# 「月水金はデイケア」「火・木なら」: weekdays written one letter each, two or more in a row
# (「火・金午後」: a time of day may follow straight after)
_DAY_LETTERS_RE = re.compile(
    r"(?<![一-龥々])((?:[月火水木金土日]・?){2,})(?!曜|(?![午朝夕夜昼])[一-龥々])"
)
_WEEK = "月火水木金土日"
_DAY_LETTER = dict(zip(_WEEK, ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), strict=True))
# 「火〜木の昼」「月曜〜金曜」: a run of weekdays from one to another (not 「8日〜10日」, dates)
_DAY_RANGE_RE = re.compile(
    r"(?<![0-9一-龥々])([月火水木金土日])(?:曜日?)?\s*[~\-ー]\s*([月火水木金土日])(?:曜日?)?(?![0-9])"
)


def _days_in(clause: str) -> set[str]:
    clause = clause.replace("日曜大工", "")  # DIY, not Sunday
    days: set[str] = set()
    for word, codes in _DAY_WORDS:
        if word in clause:
            days.update(codes)
    for m in _DAY_LETTERS_RE.finditer(clause):
        days.update(_DAY_LETTER[ch] for ch in m.group(1) if ch in _DAY_LETTER)
    for m in _DAY_RANGE_RE.finditer(clause):
        first, last = _WEEK.index(m.group(1)), _WEEK.index(m.group(2))
        span = (last - first) % 7 + 1
        days.update(_DAY_LETTER[_WEEK[(first + i) % 7]] for i in range(span))
    return days


def _clock(m: re.Match[str]) -> float:
    """Hours of a 「14時」「14:30」「14時半」 match (hour, minutes, 半 as groups 1–3)."""
    return int(m.group(1)) + (int(m.group(2) or 0) + 30 * bool(m.group(3))) / 60


def _time_clauses(text: str) -> list[str]:
    """Clauses as times read them: a reason and the wish after it are two."""
    return [c for part in CLAUSE_RE.split(text) for c in _TIME_CLAUSE_RE.split(part)]


def without_busy_times(text: str) -> str | None:
    """The note without the clauses that say when the person is busy and with what, or
    None when no clause does.

    「平日は母の介護」「土日は夫の店を手伝うので」 keep those days busy; the care and the shop
    in them are the person's duties, not activities they wish for.
    """
    kept = []
    busy = False
    for clause in _time_clauses(normalize(text)):
        timed = (
            _days_in(clause)
            or _MORNING_RE.search(clause)
            or _AFTERNOON_RE.search(clause)
            or _DAYTIME_RE.search(clause)
        )
        if timed and _busy(clause):
            busy = True
        else:
            kept.append(clause)
    return "。".join(kept) if busy else None


# 「金曜の午後は通院の帰りで空いてます」: a duty named beside a time said to be free
# 「金曜と土曜は病院がない日」: the days without the duty are the free ones
# 「土日は娘が来るので出られる」「水曜はヘルパーが来る日で家を空けられる」: a visitor who frees a
# carer
_FREE_RE = re.compile(
    r"空いて|空いと|あいて|空きます|暇|(?:が|の)ない日|出られる|空けられる|出かけられる|外出できる"
    r"|[がは]ない(?:ので|から|し|時)"  # 「水曜は部活がないので」
)


def _busy(text: str) -> bool:
    """True when the words say the person is busy then (with a duty, not free)."""
    return bool(_BUSY_TIME_RE.search(text)) and not _FREE_RE.search(text)


def _said_negative(text: str) -> bool:
    """True when the words say a time is not possible (an avoid word or being busy then)."""
    return bool(_NEG_TIME_RE.search(text.lower())) or _busy(text)


# 「土曜しか無理」「午前中以外はNG」: the words just before しか / 以外 are the only time that
# works; a reason earlier in the clause (「平日は夜勤バイトだから」) is not a time wish
_ONLY_RE = re.compile(r"(.{1,6})(しか|以外|だけ|のみ)")
# 「月曜以外は通院とデイ」: the other days are taken, so the named one is the only one free
_BUSY_AFTER_RE = re.compile(rf"は?[^、。]{{0,8}}?{_BUSY_NOUNS}")
_ALL_DAYS = frozenset(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


def _only_said(only: re.Match[str], clause: str, negative: bool) -> bool:
    """Whether 「Xしか / X以外 / Xだけ」 makes X the only time that works.

    「土曜以外なら」 is not 「土曜以外は無理」 (the refusal must come after 以外: in
    「通院日の火曜以外なら」 the clinic is why Tuesday is out); 「平日だけ」 is, while
    「早朝だけは無理」 refuses early mornings only.
    """
    if only.group(2) == "しか":
        return True
    if only.group(2) == "以外":
        rest = clause[only.end() :]
        return _said_negative(rest) or bool(_BUSY_AFTER_RE.match(rest))
    return not negative


def _read_only(window: str, w: TimeWishes, wish_days: set[str], avoid_days: set[str]) -> bool:
    """Read 「Xしか…」 as X wished and everything else avoided; False when X is no time."""
    days = _days_in(window)
    morning = bool(_MORNING_RE.search(window))
    afternoon = bool(_AFTERNOON_RE.search(window))
    evening = bool(_EVENING_RE.search(window))
    if not (days or morning or afternoon or evening):
        return False
    if days:
        wish_days |= days
        avoid_days |= _ALL_DAYS - days
        w.clauses.setdefault("wish_days", window)
        w.clauses.setdefault("avoid_days", window)
    for flag, hit in (("morning", morning), ("afternoon", afternoon), ("evening", evening)):
        if hit:
            setattr(w, flag, True)
            w.clauses.setdefault(flag, window)
    if morning and not (afternoon or evening):
        w.avoid_afternoon = True
        w.clauses.setdefault("avoid_afternoon", window)
    if (afternoon or evening) and not morning:
        w.avoid_morning = True
        w.clauses.setdefault("avoid_morning", window)
    return True


# 「生活歴：…休日は家庭菜園。」: a case record's life history tells what the person did, not
# which days they can come (its 「早起きは苦にならない」 still tells a time that suits them)
_SUITS_RE = re.compile(
    r"(?:が|なら|は)(?:いい|良い|よい|ok|可|大丈夫|平気|望ましい)|都合が(?:いい|良い|よい)",
    re.IGNORECASE,
)
_HISTORY_SECTION_RE = re.compile(r"生活歴[:：][^。]*。?")
_HISTORY_DAYS_RE = re.compile(r"休日|週末|土日|平日|[月火水木金土日]曜日?")


def _clause_at(text: str, pos: int) -> str:
    """The clause of ``text`` that holds position ``pos``."""
    start = 0
    for part in CLAUSE_RE.split(text):
        found = text.find(part, start)
        if found <= pos < found + len(part):
            return part
        start = max(start, found + len(part))
    return ""


_SLEEPS_UNTIL_RE = re.compile(r"まで(?:寝て|寝と|ねて|寝る|寝ちゃ|起きられ|起きれ|布団)")
# 「午後1時〜3時」「夕方5時から」: a 12-hour clock after a word for the afternoon
_PM_BEFORE_RE = re.compile(r"(?:午後|夕方|夜|ごご|ゆうがた)\s*$")


def _afternoon_hours(text: str, pos: int, start: float, end: float) -> tuple[float, float]:
    """A range's hours on the 24-hour clock: 「午後1時〜3時」 and a bare 「1時〜4時」 (nobody
    means one to four at night) are 13–15 and 13–16, 「10時〜3時」 10–15."""
    if _PM_BEFORE_RE.search(text[max(0, pos - 4) : pos]):
        return (start + 12 if start < 12 else start), (end + 12 if end < 12 else end)
    if end <= 7:  # 「10時〜3時」 is ten to three in the afternoon
        return (start + 12 if start < 8 else start), end + 12
    return start, end


# 「じゅうじから二時くらいまで」「十時半」: hours spoken, as voice input writes them
_SPOKEN_HOURS = {
    **dict(zip("一二三四五六七八九", range(1, 10), strict=True)),
    "十": 10, "十一": 11, "十二": 12,
    "いち": 1, "に": 2, "さん": 3, "よ": 4, "ご": 5, "ろく": 6, "しち": 7, "はち": 8, "く": 9,
    "じゅう": 10, "じゅういち": 11, "じゅうに": 12,
}  # fmt: skip
_SPOKEN_HOUR_RE = re.compile(
    r"(?:(?<=から)|(?<=~)|(?<=より)|(?<=\d時)|(?=\S+?(?:時|じ)\s*(?:半|はん|から|まで|~|くらい|ぐらい"
    r"|ごろ|頃|以降|すぎ|過ぎ)))"
    r"(十[一二]?|[一二三四五六七八九]|じゅう(?:いち|に)?|いち|ろく|しち|はち|さん|に|よ|ご|く)(?:時|じ)"
)


def _spoken_hours(text: str) -> str:
    """「じゅうじから二時」 as 「10時から2時」 (only before から, まで, 半…: 一時的 is no hour)."""
    return _SPOKEN_HOUR_RE.sub(lambda m: f"{_SPOKEN_HOURS[m.group(1)]}時", text).replace(
        "時はん", "時半"
    )


def read_time_wishes(needs_text: str, avoid_text: str) -> TimeWishes:
    """Parse time-of-day and weekday wishes and avoidances from both texts.

    In ``needs_text`` a clause with an avoid marker (NG, ×, 苦手, 避けたい…) turns its times
    and days into avoidances; everything in ``avoid_text`` is avoided.
    """
    w = TimeWishes()
    avoid_days: set[str] = set()
    wish_days: set[str] = set()
    daytime_days: set[str] = set()
    needs = _HISTORY_SECTION_RE.sub(
        lambda m: _HISTORY_DAYS_RE.sub("", m.group(0)), _spoken_hours(normalize(needs_text))
    )
    avoid = _spoken_hours(normalize(avoid_text))
    clauses = [(c, False) for c in _time_clauses(needs)]
    clauses += [(c, True) for c in CLAUSE_RE.split(avoid)]
    for clause, from_avoid in clauses:
        clause = clause.strip()
        if not clause:
            continue
        # 「昼の暑い時間（朝のうちがいい）」: a clause of the avoid field that says a time suits
        negative = (from_avoid and not _SUITS_RE.search(clause)) or _said_negative(clause)
        only = _ONLY_RE.search(clause)
        if (
            not from_avoid
            and only is not None
            and _only_said(only, clause, negative)
            and _read_only(only.group(1), w, wish_days, avoid_days)
        ):
            continue
        if only is not None and only.group(2) == "以外" and _days_in(only.group(1)):
            # 「土曜以外ならいつでも」: every day but that one (the rest of the clause still
            # counts; its days are wishes only where not avoided)
            avoid_days |= _days_in(only.group(1))
            w.clauses.setdefault("avoid_days", clause)
        clause = clause.replace(_DAY_NIGHT_REVERSED, "")
        if _SLEEPS_UNTIL_RE.search(clause):
            # 「昼すぎまで寝てます」: the hours before it are asleep, the afternoon is open
            w.avoid_morning = True
            w.clauses.setdefault("avoid_morning", clause)
            continue
        night = bool(_NIGHT_RE.search(clause))
        # 「早起き」 refused is the early hours; said gladly (「朝は早起きです」) a morning
        early = "早朝" in clause or "朝早" in clause or (negative and "早起き" in clause)
        morning = bool(_MORNING_RE.search(clause) or "早起き" in clause) and not early
        afternoon = bool(_AFTERNOON_RE.search(clause))
        days = _days_in(clause)
        if negative:
            if night and not _LATE_RE.search(clause):
                w.night_from = 18.0  # plain 「夜NG」 anywhere wins over 「夜遅く」
            elif night and not w.avoid_night:
                w.night_from = 20.0
            for flag, hit in (
                ("avoid_night", night),
                ("avoid_early", early),
                ("avoid_morning", morning),
                ("avoid_afternoon", afternoon),
            ):
                if hit:
                    setattr(w, flag, True)
                    w.clauses.setdefault(flag, clause)
            # 「平日日中はデイ」「平日の夜はバイト」: the named time of those days is taken, not the
            # whole day (the evening after the day centre is offered in the next clause)
            if days and not (night or morning or afternoon):
                if _DAYTIME_RE.search(clause):
                    daytime_days |= days  # taken by day; avoided unless an evening is offered
                else:
                    avoid_days |= days
                w.clauses.setdefault("avoid_days", clause)
            continue
        if morning:
            w.morning = True
            w.clauses.setdefault("morning", clause)
        if afternoon:
            w.afternoon = True
            w.clauses.setdefault("afternoon", clause)
        if _EVENING_RE.search(clause):
            w.evening = True
            w.clauses.setdefault("evening", clause)
        if days:
            wish_days |= days
            w.clauses.setdefault("wish_days", clause)
    m = _TIME_RANGE_RE.search(needs)
    if m:
        start = int(m.group(1)) + int(m.group(2) or 0) / 60
        end = int(m.group(3)) + int(m.group(4) or 0) / 60
        start, end = _afternoon_hours(needs, m.start(), start, end)
        if 0 <= start < end <= 24:
            w.window = (start, end)
            w.clauses["window"] = m.group(0)
    elif (m := _TIME_FROM_RE.search(needs)) and not _said_negative(_clause_at(needs, m.start())):
        start = _clock(m)
        end = 24.0
        if until := _TIME_UNTIL_RE.search(needs, m.end(), m.end() + 16):
            end = _clock(until)
            if end <= start and end < 12:
                end += 12  # 「10時以降、2時くらいまで」
        if 6 <= start < min(end, 22):
            w.window = (start, end)
            w.clauses["window"] = needs[m.start() : until.end() if until else m.end()]
    elif (m := _UNTIL_ONLY_RE.search(needs)) and not _said_negative(_clause_at(needs, m.start())):
        end = _afternoon_hours(needs, m.start(), 6.0, _clock(m))[1]
        if 10 <= end <= 18:
            # 「昼過ぎから…3時半まで」: the afternoon said earlier is where the window starts
            w.window = (12.0 if w.afternoon and end > 13 else 6.0, end)
            w.clauses["window"] = m.group(0)
    if w.window is not None and w.avoid_morning and 9 <= w.window[0] <= 12:
        # 「朝がつらい。10時くらいからなら」: the morning ends at the hour the person gave
        w.avoid_morning = False
        w.avoid_early = True
    if not w.evening:
        avoid_days |= daytime_days
    w.avoid_days = frozenset(avoid_days)
    w.wish_days = frozenset(wish_days - avoid_days)
    return w


def parse_hhmm(value: str) -> float | None:
    """'09:30' -> 9.5; None when empty or malformed."""
    m = re.match(r"^\s*(\d{1,2}):(\d{2})", normalize(value))
    if not m:
        return None
    return int(m.group(1)) + int(m.group(2)) / 60
