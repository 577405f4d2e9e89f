"""Language segments: label every piece of a document's text with its language.

Blocks (paragraphs, headings, list items) are cut into units at sentence ends and line breaks
(and, inside a sentence, where a long run in another script starts). Each unit's *script* is
read from Unicode ranges, which settles Arabic vs English and the like for free. Inside a
script a cheap model scores the plausible languages:

* Latin: hits on short lists of function words for 21 languages plus diacritic letters;
* Arabic script: Arabic / Persian / Urdu function words, the Arabic article, and the share
  of letters that only one of them uses (a stray Persian "ک" in Arabic text does not flip it);
* Cyrillic: letters proper to Ukrainian, Macedonian, Serbian, Belarusian, Russian;
* Han/Kana: kana means Japanese; Hangul, Greek, Hebrew, Thai ... have one language each.

Per script, the units form a chain in document order and a Viterbi pass with a penalty for
each change of language picks the labels, so a short line ("1. China:") takes the language of
its neighbours while a sentence with real evidence of another language keeps its own. Only
where the cheap model is not decisive on a long run (e.g. Spanish vs Portuguese, a Latin
language without a word list, Russian vs Bulgarian) is langdetect asked, once per run, with a
fixed seed and a detector restricted to the script's languages, so results never depend on
what was detected before. Consecutive units of one language inside a block merge into one
segment; segments never span blocks.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import filterfalse, islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from archive.model import Block, Segment

if TYPE_CHECKING:
    from langdetect.detector import Detector
    from langdetect.detector_factory import DetectorFactory

__all__ = ["segment_blocks", "document_languages", "script_of"]

UND = "und"

# --------------------------------------------------------------------------------------------
# Tokens and scripts
# --------------------------------------------------------------------------------------------

_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_ARABIC = (
    "\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06fc\u06ff"  # letters and marks, no digits
    "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"  # supplements, presentation forms
)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"

# (token script, character class); order matters only for overlapping classes (none here).
_SCRIPT_CLASSES: list[tuple[str, str]] = [
    ("latn", f"[{_LATIN}](?:[{_LATIN}\u0300-\u036f\u00b7]|['\u2019](?=[{_LATIN}]))*"),
    ("arab", f"[{_ARABIC}][{_ARABIC}\u200c\u200d]*"),
    ("cyrl", "[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]+"),
    ("grek", "[\u0370-\u03ff\u1f00-\u1fff]+"),
    ("hebr", "[\u0591-\u05f4\ufb1d-\ufb4f]+"),
    ("hani", f"[{_HAN}\u3005]+"),
    ("kana", f"[{_KANA}]+"),
    ("hang", "[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+"),
    ("deva", "[\u0900-\u0963\u0970-\u097f]+"),
    ("beng", "[\u0980-\u09e5\u09f0-\u09ff]+"),
    ("guru", "[\u0a00-\u0a65\u0a70-\u0a7f]+"),
    ("gujr", "[\u0a80-\u0ae5\u0af0-\u0aff]+"),
    ("orya", "[\u0b00-\u0b65\u0b70-\u0b7f]+"),
    ("taml", "[\u0b80-\u0be5\u0bf0-\u0bff]+"),
    ("telu", "[\u0c00-\u0c65\u0c70-\u0c7f]+"),
    ("knda", "[\u0c80-\u0ce5\u0cf0-\u0cff]+"),
    ("mlym", "[\u0d00-\u0d65\u0d70-\u0d7f]+"),
    ("sinh", "[\u0d80-\u0dff]+"),
    ("thai", "[\u0e00-\u0e4f\u0e5a-\u0e7f]+"),
    ("laoo", "[\u0e80-\u0ecf\u0eda-\u0eff]+"),
    ("tibt", "[\u0f00-\u0f1f\u0f2a-\u0fff]+"),
    ("mymr", "[\u1000-\u103f\u104a-\u109f]+"),
    ("geor", "[\u10a0-\u10ff\u2d00-\u2d2f]+"),
    ("armn", "[\u0531-\u058f]+"),
    ("ethi", "[\u1200-\u139f\u2d80-\u2ddf]+"),
    ("khmr", "[\u1780-\u17df\u17f0-\u17ff]+"),
    ("num", r"\d+"),
    ("zyyy", r"[^\W\d_]+"),  # letters of a script not listed above
]
_GROUP_SCRIPT = [name for name, _ in _SCRIPT_CLASSES]  # m.lastindex - 1 -> token script
# Words are what `\w+(?:['’]\w+)*` matches. One pass of `_word_res()[0]` finds them all and tells by
# its matching group which of the common kinds a word is; only the rest go through the per-script
# alternation. Those patterns have large character classes that take tens of milliseconds to
# compile, so they are compiled on first use: plain English never pays.
_WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*")
# An ASCII word with a letter: [0-9_]*[A-Za-z]\w*(?:'\w+)*, written to start with one character class
# (the letter, or the digits and "_" before it) so that `re` skips to candidates fast.
_ASCII_WORD_RE = re.compile(r"\w(?:(?<=[A-Za-z])|[0-9_]*[A-Za-z])\w*(?:'\w+)*", re.ASCII)
_WORD_END = r"(?!\w|['\u2019]\w)"  # where `\w+(?:['’]\w+)*` stops


def _word_class(ranges: str) -> str:
    """The characters of the class ``[ranges]`` that are word characters (``\\w``), as a class body."""
    chars = re.compile(f"[{ranges}]")
    word = re.compile(r"\w")
    spans: list[list[int]] = []
    for lo, hi in re.findall(r"(.)(?:-(.))?", ranges, re.S):
        for cp in range(ord(lo), ord(hi or lo) + 1):
            c = chr(cp)
            if chars.match(c) and word.match(c):
                if spans and spans[-1][1] == cp - 1:
                    spans[-1][1] = cp
                else:
                    spans.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans)


# Groups of the word pattern, in order: what a whole word is.
_SKIP, _LATN_ASCII, _ARAB, _LATN, _CYRL, _OTHER = range(1, 7)
_WORD_SCRIPT = {_LATN_ASCII: "latn", _ARAB: "arab", _LATN: "latn", _CYRL: "cyrl"}


@cache
def _word_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(word pattern with one group per kind of word, any-script token alternation) patterns.

    The word pattern's groups, tried in order at each word start: ASCII digits and underscores only
    (no letter: not a token), ASCII with a letter, Arabic letters, Latin letters (with apostrophes
    between them), Cyrillic letters; the last group takes every other word. Each of the first five
    ends only where the word ends, so a word matches one of them exactly when all of it is of that
    kind (which is when the per-script alternation would return it whole as one token).
    """
    arabic = _word_class(_ARABIC)
    latin = _word_class(_LATIN)
    cyrillic = _word_class("\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f")
    word = (f"([0-9_]+(?:'[0-9_]+)*){_WORD_END}"
            f"|([A-Za-z0-9_]+(?:'[A-Za-z0-9_]+)*){_WORD_END}"
            f"|([{arabic}]+){_WORD_END}"
            f"|([{latin}]+(?:['\u2019][{latin}]+)*){_WORD_END}"
            f"|([{cyrillic}]+){_WORD_END}"
            r"|(\w+(?:['\u2019]\w+)*)")
    return re.compile(word), re.compile("|".join(f"({pattern})" for _, pattern in _SCRIPT_CLASSES))

Token = tuple[str, int, int]  # (script, start, end)


def _tokens(text: str, a: int = 0, b: int | None = None) -> list[Token]:
    """Letter tokens of ``text[a:b]`` with their script; numbers are left out."""
    out: list[Token] = []
    word, token = _word_res()
    for m in word.finditer(text, a, len(text) if b is None else b):
        kind = m.lastindex
        if kind == _OTHER:  # several scripts, digits among letters, or a script of its own
            for t in token.finditer(text, *m.span()):
                script = _GROUP_SCRIPT[t.lastindex - 1]
                if script != "num":
                    out.append((script, *t.span()))
        elif kind != _SKIP:
            out.append((_WORD_SCRIPT[kind], *m.span()))
    return out


# Token script -> script family whose languages compete with one another.
_FAMILY = {"hani": "cjk", "kana": "cjk"}

# Families with a single language.
_SINGLE = {
    "grek": "el", "hebr": "he", "hang": "ko", "beng": "bn", "guru": "pa", "gujr": "gu",
    "orya": "or", "taml": "ta", "telu": "te", "knda": "kn", "mlym": "ml", "sinh": "si",
    "thai": "th", "laoo": "lo", "tibt": "bo", "mymr": "my", "geor": "ka", "armn": "hy",
    "ethi": "am", "khmr": "km", "zyyy": UND,
}

# Language of a family when nothing else tells.
_DEFAULT = {"latn": "en", "arab": "ar", "cyrl": "ru", "cjk": "zh", "deva": "hi"}

# langdetect profiles per family (used only where the cheap model is not decisive).
_LANGDETECT = {
    "latn": ("af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id", "it",
             "lt", "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw", "tl", "tr", "vi"),
    "arab": ("ar", "fa", "ur"),
    "cyrl": ("bg", "mk", "ru", "uk"),
    "deva": ("hi", "mr", "ne"),
}


def _family(script: str) -> str:
    """The family of languages that compete for a token script ("hani", "kana" -> "cjk")."""
    return _FAMILY.get(script, script)


def script_of(text: str) -> str | None:
    """The dominant script family of ``text`` by letters ("latn", "arab", "cjk", ...), or None."""
    counts: Counter[str] = Counter()
    for script, a, b in _tokens(text):
        counts[_family(script)] += b - a
    return counts.most_common(1)[0][0] if counts else None


# --------------------------------------------------------------------------------------------
# Cheap models
# --------------------------------------------------------------------------------------------

# Frequent function words; elided forms carry their apostrophe ("l'", "'s").
_STOPWORDS: dict[str, str] = {
    "en": """the of and to a in is it that for was on are as with by this be at from or an have not
        but which they he she his her their has had were been will would can could all one there so if
        about more who what when out up into than its also our my i you we do no after them some these
        other only new said like just over such how may most any then where between should because those
        through while both each very even many much well before under same being did does own here why
        's 't 're 've 'll 'm""",
    "fr": """le la les de des du un une et est en que qui dans pour pas par sur au aux il elle ils elles
        ce cette ces se sa son ses plus ne avec sont mais ou nous vous on leur leurs été être fait comme
        tout tous toute aussi bien peut sans entre très même y dont où ont était avait deux après avant
        chez donc lui je tu mon ma mes cela encore sous depuis ainsi alors faire selon à a
        l' d' qu' n' j' c' s' m' jusqu' lorsqu' puisqu' aujourd'""",
    "es": """el la los las de del y en que a un una es por con no para se su sus al lo como más pero o
        este esta estos estas ese esa fue ha han ser son está están era entre sin sobre también muy ya le
        les todo todos cuando porque hay donde desde hasta nos me mi yo él ella ellos hace puede tiene
        sido cada otro otra otros durante según ni""",
    "pt": """o a os as de do da dos das e em no na nos nas que um uma é para com por não se seu sua seus
        suas ao aos como mais mas foi ser são está pelo pela pelos pelas também já muito entre sobre ele
        ela eles elas isso este esta esse essa quando onde até tem há sem ou nem ter pode foram mesmo era
        depois vai eu você ainda""",
    "it": """il lo la i gli le di del della dei delle dello degli e è un una uno che in per con non si
        su sul sulla al alla ai alle da dal dalla nel nella nei anche come più ma sono ha hanno questo
        questa quello quella stato essere era tra fra o se ci ne loro lui lei suo sua suoi sue mio molto
        tutto tutti quando dove perché cosa già ancora così l' dell' all' nell' dall' sull' un' c'
        quest'""",
    "de": """der die das und in zu den des dem ein eine einer eines einem ist nicht mit von sich auf für
        im es auch an als er sie wir ich bei aus nach wie wird werden wurde hat haben sind war noch nur
        oder aber um am zum zur so vor über durch wenn dass man kann diese dieser dieses mehr schon sein
        seine ihr ihre bis unter gegen sehr""",
    "nl": """de het een en van in is op te dat die niet met voor zijn er aan om ook als bij of door naar
        maar dan nog wordt worden werd heeft hebben was zo uit tot over deze dit ze zich hij wij ik je
        kan meer al wel geen onder na tussen hun""",
    "sv": """och i att det som en på är av för med till den har de inte om ett var jag men från vid så
        kan man när efter sig detta eller hade nu under vara också bara skulle alla mot år vi han hon
        dem sina sin sitt där hur""",
    "da": """og i at det som en på er af for med til den har de ikke om et var jeg men fra ved så kan man
        når efter sig dette eller havde nu under være også kun skulle alle mod år vi han hun dem sine sin
        sit der hvor hvordan blev bliver""",
    "no": """og i å det som en på er av for med til den har de ikke om et var jeg men fra ved så kan man
        når etter seg dette eller hadde nå under være også bare skulle alle mot år vi han hun dem sine
        sin sitt der hvor hvordan ble blir""",
    "fi": """ja on ei se että oli hän ovat myös kun mutta tai kanssa joka jotka mukaan sekä vain ole olla
        ollut sitä tämä tämän niin kuin jo vielä nyt sen siitä hänen heidän mitä miten koska jos kaikki
        voi""",
    "pl": """i w na z się nie do że to jest o jak po co ale od za przez dla jego jej ich oraz był była
        było są być tak tylko może już także który która które te ten ta tym tego gdy czy jako pod przy
        bardzo też tu więc""",
    "cs": """a v se na je že to s z do o by jsem jako ale jeho jej které který která pro od za po jsou
        bylo byl byla tak také při už jen ve k i aby nebo mezi podle však když tím tento tato toto jejich
        než""",
    "sk": """a v sa na je že to s z do o by som ako ale jeho jej ktoré ktorý ktorá pre od za po sú bolo
        bol bola tak aj pri už len vo k i aby alebo medzi podľa však keď tým tento táto toto ich než""",
    "ro": """și în de la a cu pe care nu este o un să din se pentru mai au fost sunt ca sau dar cel cea
        cele lui ei al ale ai prin după fi acest această aceasta acum când foarte între""",
    "tr": """ve bir bu da de için ile olarak çok daha gibi olan en ama ne o var kadar sonra ya değil her
        şey ancak göre olduğu ise mi ki veya hem diye bunu bunun ben sen biz onlar şu tarafından""",
    "id": """yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada karena oleh atau
        sebagai kami saya kita mereka dia bahwa telah sudah bisa lebih tersebut seperti hanya jika namun
        para agar adalah menjadi saat bagi setelah masih belum harus sangat semua kepada""",
    "hu": """a az és hogy nem is egy van meg el de ki be volt csak mint már ez azt vagy még ha fel kell
        után mert nagyon lesz itt most pedig amely amit aki sem sok között szerint""",
    "hr": """i u je na se da za od su s a ne o kao to koji koja koje bio bila bilo ali iz po sa će ili samo
        još biti nije može već kako tako što""",
    "sl": """in je na se da za v so ki pa z s tudi bi ne od do po kot pri ali še ter bil bila bilo biti kar
        samo lahko zelo""",
    "ca": """el la els les de del dels i a en que un una és per amb no es al als com més però o aquest
        aquesta ha han ser són està seu seva seus també molt ja entre sobre quan on fins hi ho li ens va
        van pel pels l' d' s' n'""",
}
_LATIN_LANGS = tuple(_STOPWORDS)


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


# Non-ASCII letters each Latin language writes.
_DIACRITICS = {
    "en": "", "id": "",
    "fr": "éèêëàâîïôûùüçœæÿ", "es": "áéíóúñü", "pt": "áâãàéêíóôõúçü", "it": "àèéìíòóùî",
    "de": "äöüß", "nl": "ëïéèöü", "sv": "åäöé", "da": "æøåé", "no": "æøåéòóô", "fi": "äöå",
    "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž", "ro": "ăâîșşțţ",
    "tr": "çğıöşüâîû", "hu": "áéíóöőúüű", "ca": "àèéíïòóúüç·", "hr": "čćđšž", "sl": "čšž",
}

_AR_WORDS = _wordset("""في من على إلى الى أن ان إن عن مع هذا هذه ذلك تلك التي الذي الذين كان كانت قد لا ما لم
    لن ثم أو او بين كل حيث عند بعد قبل حتى هو هي هم وقد وفي ومن وعلى وأن وهو وهي أي منذ خلال إذا اذا لكن
    ليس فيها منها عليه عليها إليه به بها له لها يكون تم وكان كما أيضا""")
_FA_WORDS = _wordset("""در به از که كه این را با است برای آن یک يک می نمی ها های هم تا شد شده بود کرد كرد کرده
    اند نیز وی خود بر هر اما یا باید کند شود دارد دارند همه چه پس بین بیشتر""")
_UR_WORDS = _wordset("""کے کی کا ہے ہیں میں سے کو نے پر اور یہ وہ تھا تھی تھے گیا گئی ایک بھی کہ جو لیے ہو کر
    نہیں اس ان کہا""")
_AR_ARTICLE = ("ال", "وال", "بال", "فال", "كال", "لل")
# (characters, {language: weight per occurrence})
_ARABIC_LETTER_CUES: list[tuple[str, dict[str, float]]] = [
    ("ة", {"ar": 0.5}), ("ى", {"ar": 0.3}), ("إؤ", {"ar": 0.3}), ("يك", {"ar": 0.15}), ("أ", {"ar": 0.1}),
    ("پچژگ", {"fa": 0.5, "ur": 0.4}), ("یک", {"fa": 0.15, "ur": 0.15}), ("\u200cۀ", {"fa": 0.5}),
    ("ٹڈڑںےۓہ", {"ur": 0.6}), ("ھ", {"ur": 0.3}),
]
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")

_CYRILLIC_LETTER_CUES: list[tuple[str, dict[str, float]]] = [
    ("ыэё", {"ru": 0.3, "be": 0.3}), ("ъ", {"ru": 0.1, "bg": 0.4}), ("щ", {"ru": 0.1, "bg": 0.2, "uk": 0.1}),
    ("іїєґ", {"uk": 1.0}), ("ў", {"be": 1.0}), ("і", {"be": 0.5}), ("ќѓѕ", {"mk": 1.0}),
    ("ђћ", {"sr": 1.0}), ("јљњџ", {"mk": 0.6, "sr": 0.6}),
]
_CYRILLIC_LANGS = ("ru", "uk", "bg", "mk", "sr", "be")


def _build_tables() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """word -> languages listing it; diacritic letter -> languages writing it."""
    words: dict[str, list[str]] = {}
    for lang, text in _STOPWORDS.items():
        for w in text.split():
            words.setdefault(w, []).append(lang)
    chars: dict[str, list[str]] = {}
    for lang, letters in _DIACRITICS.items():
        for c in letters:
            chars.setdefault(c, []).append(lang)
    return ({w: tuple(v) for w, v in words.items()}, {c: tuple(v) for c, v in chars.items()})


_WORD_LANGS, _CHAR_LANGS = _build_tables()
_FUNCTION_WORDS = frozenset(w for w in _WORD_LANGS if "'" not in w)
_LATIN_ZERO = dict.fromkeys(_LATIN_LANGS, 0.0)
_DIACRITIC_WEIGHT = 0.5
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _latin_scores(tokens: Sequence[str]) -> tuple[dict[str, float], int]:
    """Evidence for each Latin language in these tokens (in text order), and the best language's
    function-word hits.

    Function words count when written in lower case, or capitalised as the first word of a
    sentence followed by a lower-case word; capitalised words elsewhere belong to names ("Los
    Angeles", "Al Jazeera", "Le Monde") and all-capital ones to acronyms ("US", "AJ"). In a
    Title Case line (a headline) capitalised function words count half. (Every weight is 1 or
    0.5, so the sums are exact in any order: lower-case words are counted first.)
    """
    scores = _LATIN_ZERO.copy()
    for tok in filter(_FUNCTION_WORDS.__contains__, tokens):  # the lists are in lower case
        for lang in _WORD_LANGS[tok]:
            scores[lang] += 1.0
    title_case: bool | None = None  # worked out when needed
    if tokens and tokens[0] in _CAPITALISED:
        if len(tokens) > 1 and tokens[1][0].islower():
            _add_word(scores, _CAPITALISED[tokens[0]], 1.0)  # the first word of a sentence
        elif title_case := _title_case(tokens):
            _add_word(scores, _CAPITALISED[tokens[0]], 0.5)
    later = list(filter(_CAPITALISED.__contains__, islice(tokens, 1, None))) if len(tokens) >= 4 else ()
    if later and (title_case if title_case is not None else _title_case(tokens)):  # a headline
        for tok in later:
            _add_word(scores, _CAPITALISED[tok], 0.5)
    joined = "".join(tokens)
    if "'" in joined or "\u2019" in joined:  # elided forms, by the same rules
        if not tokens[0].isalnum():  # with an apostrophe (or a "_")
            _add_elided(scores, tokens, tokens[0], first=True)
        for tok in filterfalse(str.isalnum, islice(tokens, 1, None)):
            _add_elided(scores, tokens, tok, first=False)
    hits = int(max(scores.values()))
    if not joined.isascii() and not joined.replace("\u2019", "").isascii():  # a letter beyond ASCII
        odd: dict[str, int] = {}
        for c in _NON_ASCII_RE.findall(joined.lower()):  # Latin letters lower case one by one
            if c.isalpha():
                odd[c] = odd.get(c, 0) + 1
        if odd:
            n_odd = sum(odd.values())
            own = dict.fromkeys(_LATIN_LANGS, 0)
            for c, n in odd.items():
                for lang in _CHAR_LANGS.get(c, ()):
                    own[lang] += n
            for lang in _LATIN_LANGS:
                scores[lang] += _DIACRITIC_WEIGHT * (2 * own[lang] - n_odd)
    return scores, hits


def _add_word(scores: dict[str, float], word: str, weight: float) -> None:
    """Add ``weight`` to the languages whose list has ``word``."""
    for lang in _WORD_LANGS.get(word, ()):
        scores[lang] += weight


def _add_elided(scores: dict[str, float], tokens: Sequence[str], tok: str, *, first: bool) -> None:
    """Count a token with an apostrophe, by the rules of :func:`_latin_scores`, as its parts:
    "l'homme" as "l'", "'homme", "l" and "homme"."""
    if "'" not in tok and "\u2019" not in tok:
        return
    low = tok.lower()
    if tok == low:
        weight = 1.0
    elif tok[1:] != low[1:]:
        return
    elif first and len(tokens) > 1 and tokens[1][0].islower():
        weight = 1.0
    elif _title_case(tokens):
        weight = 0.5
    else:
        return
    parts = low.replace("\u2019", "'").split("'")
    for f in (parts[0] + "'", "'" + parts[-1], *parts):
        for lang in _WORD_LANGS.get(f, ()):
            scores[lang] += weight


def _title_case(tokens: Sequence[str]) -> bool:
    """A headline in Title Case: most of its (four or more) words capitalised."""
    return len(tokens) >= 4 and sum(map(str.isupper, map(itemgetter(0), tokens))) * 2 > len(tokens)


def _capitalised_forms() -> dict[str, str]:
    """Function words with a capital first letter ("The", "Él") -> the word.

    Only these capitalised tokens can count: a word whose other letters change in lower case
    ("THE") never does.
    """
    capitals: dict[str, list[str]] = {}  # lower-case letter -> the letters that lower-case to it
    for lo, hi in re.findall(r"(.)(?:-(.))?", _LATIN, re.S):  # every letter of a Latin token
        for cp in range(ord(lo), ord(hi or lo) + 1):
            c = chr(cp)
            low = c.lower()
            if low != c and len(low) == 1:
                capitals.setdefault(low, []).append(c)
    return {c + w[1:]: w for w in _FUNCTION_WORDS for c in capitals.get(w[0], ())}


_CAPITALISED = _capitalised_forms()


CueTable = tuple[re.Pattern[str], dict[str, dict[str, float]]]


def _cue_table(cues: list[tuple[str, dict[str, float]]]) -> CueTable:
    """A pattern matching every cue letter, and each letter's weights per language."""
    table: dict[str, dict[str, float]] = {}
    for chars, weights in cues:
        for c in chars:
            row = table.setdefault(c, {})
            for lang, w in weights.items():
                row[lang] = row.get(lang, 0.0) + w
    return re.compile("[" + "".join(table) + "]"), table


def _letter_cues(text: str, cues: CueTable, scores: dict[str, float]) -> None:
    """Add the weights of the cue letters found in ``text`` to ``scores``."""
    pattern, table = cues
    found = pattern.findall(text)
    for c in dict.fromkeys(found):  # in order of first occurrence, as a Counter would give them
        n = found.count(c)
        for lang, w in table[c].items():
            scores[lang] += w * n


def _arabic_scores(tokens: Sequence[str]) -> tuple[dict[str, float], int]:
    """Evidence for Arabic, Persian and Urdu in these Arabic-script tokens."""
    scores = {"ar": 0.0, "fa": 0.0, "ur": 0.0}
    hits = 0
    for tok in tokens:
        tok = _ARABIC_MARKS.sub("", tok)
        for part in tok.split("\u200c"):
            if part in _AR_WORDS:
                scores["ar"] += 1.0
                hits += 1
            elif part in _FA_WORDS:
                scores["fa"] += 1.0
                hits += 1
            elif part in _UR_WORDS:
                scores["ur"] += 1.0
                hits += 1
        if len(tok) >= 4 and tok.startswith(_AR_ARTICLE):
            scores["ar"] += 0.6
    _letter_cues("".join(tokens), _ARABIC_CUES, scores)
    return scores, hits


_ARABIC_CUES = _cue_table(_ARABIC_LETTER_CUES)
_CYRILLIC_CUES = _cue_table(_CYRILLIC_LETTER_CUES)


def _cyrillic_scores(tokens: Sequence[str]) -> tuple[dict[str, float], int]:
    """Evidence for the Cyrillic-script languages from letters proper to each."""
    scores = dict.fromkeys(_CYRILLIC_LANGS, 0.0)
    _letter_cues("".join(tokens).lower(), _CYRILLIC_CUES, scores)
    return scores, 0


_FAMILY_SCORES: dict[str, Callable[[Sequence[str]], tuple[dict[str, float], int]]] = {
    "latn": _latin_scores, "arab": _arabic_scores, "cyrl": _cyrillic_scores,
}


def _cjk_scores(han: int, kana: int) -> dict[str, float]:
    """Japanese writes kana among its kanji; Chinese has none."""
    return {"ja": 1.0 * kana, "zh": 0.1 * han - 1.0 * kana}


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------

_ABBREVIATIONS = _wordset("""mr mrs ms dr prof sr jr st mt vs etc e.g i.e eg ie no nos vol fig figs inc
    ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ gen gov sen rep rev
    capt col lt sgt cf al p pp ch sec art ed eds op ca mme mlle m av ave blvd""")

_BOUNDARY_RE = re.compile(
    # Sentence punctuation (and closing quotes) before a space, CJK sentence punctuation, or a line
    # end. The pattern starts with the class of their first characters so that `re` skips to the
    # candidates fast; each branch then checks, looking behind, which kind of boundary it is.
    r"[.!?\u061f\u06d4\u2026\u3002\uff01\uff1f\n](?:"
    r"(?<=[.!?\u061f\u06d4\u2026])[.!?\u061f\u06d4\u2026]*[\"'\u201d\u2019\u00bb)\]]*(?=\s)"
    r"|(?<=[\u3002\uff01\uff1f])[\u3002\uff01\uff1f]*[\"'\u201d\u2019\u00bb)\]\u300d\u300f]*"
    r"|(?<=\n))"
)
_NUMBERING_RE = re.compile(r"[(\[]?(?:\d{1,3}|[ivxlcIVXLC]{1,5}|[A-Za-z])[.)]?")


# URLs, e-mail addresses and markup are no language: they are blanked before scoring. Each
# pattern runs only when a cheap substring test says it may match.
_TLDS = ("com", "org", "net", "edu", "gov", "info", "io")
_NOISE: list[tuple[tuple[str, ...], re.Pattern[str]]] = [  # in this order: tags hold URLs
    (("<",), re.compile(r"</?[A-Za-z][^<>]{0,2000}>")),
    (("http", "www."), re.compile(r"(?:https?://|www\.)[^\s<>\"]+")),
    (("@",), re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    (tuple("." + t for t in _TLDS), re.compile(r"\b(?:[A-Za-z0-9-]+\.)+(?:" + "|".join(_TLDS) + r")\b")),
]
_TLD_RE = re.compile(r"\.(?:" + "|".join(_TLDS) + ")")
_CJK_LETTER_WEIGHT = 2  # one Chinese/Japanese character carries about as much as two Latin letters


def _blank(m: re.Match[str]) -> str:
    """Spaces as long as the match."""
    return " " * len(m.group())


def _mask(text: str) -> str:
    """``text`` with URLs, e-mail addresses, domain names and HTML tags replaced by spaces (same
    length, so positions still hold)."""
    if not ("<" in text or "@" in text or "://" in text or "www." in text or _TLD_RE.search(text)):
        return text  # none of the patterns can match
    for needles, pattern in _NOISE:
        for needle in needles:
            if needle in text:
                text = pattern.sub(_blank, text)
                break
    return text


@dataclass(slots=True)
class _Unit:
    """A sentence, line or script run of one block: its span, evidence and label."""

    block: int
    start: int
    end: int
    family: str | None = None  # None: no letters
    words: int = 0
    hits: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    label: str = UND


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Cut a block into sentence/line spans that together cover the whole text."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _BOUNDARY_RE.finditer(text):
        k, end = m.span()
        punct = m.group()
        # Only the first alternative has a ".", and "!", "?" or "؟" beside it ends a sentence anyway.
        if "." in punct and "!" not in punct and "?" not in punct and "\u061f" not in punct:
            j = end + 1  # the pattern saw a space after the punctuation
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j].islower():
                continue  # "e.g. the", "approx. ten"
            after_long_word = k - _LONG_WORD >= start and text[k - _LONG_WORD:k].isalpha()
            if not after_long_word and _not_an_end(text, start, k):
                continue
        if end > start:
            spans.append((start, end))
            start = end
    if start < n:
        spans.append((start, n))
    return spans


_LONG_WORD = 7  # a word of this many letters is no abbreviation, initial or list number


def _not_an_end(text: str, start: int, k: int) -> bool:
    """Whether the full stop at ``k`` ends an abbreviation, an initial or a list number rather than
    a sentence (``start`` is where the sentence began)."""
    i = k
    while i > start and not text[i - 1].isspace():
        i -= 1
    word = text[i:k].lstrip("([\"'\u201c\u2018\u00ab").lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and word.isascii()):
        return True  # "Dr. Smith", "J. Smith"
    if "." in word and word.replace(".", "").isalpha() and len(word) <= 6:
        return True  # "U.S. officials"
    return not text[start:i].strip() and bool(_NUMBERING_RE.fullmatch(text, i, k))  # "1. China:", "a) ..."


# A run of another script inside a sentence becomes a unit of its own when it is long enough:
# at the edge of a sentence (after "،" or ":", where no sentence end was written) 3 words and
# 12 letters; in the middle, where names and brands sit, 5 words and 25 letters and, in Latin
# script, at least two function words.
_EDGE_MIN_TOKENS, _EDGE_MIN_LETTERS = 3, 12
_INNER_MIN_TOKENS, _INNER_MIN_LETTERS = 5, 25


Sentence = tuple[int, int, bool, list[str]]  # (start, end, ASCII only, words): never changed once made


def _make_units(bi: int, masked: str, sentences: Sequence[Sentence]) -> list[_Unit]:
    """Units of one block: its sentences, further cut where a long run in another script starts.
    ``masked`` is the block's text with URLs and markup blanked, ``sentences`` its sentences with
    their words (:func:`_cut`)."""
    units: list[_Unit] = []
    for s0, s1, is_ascii, words in sentences:
        if is_ascii:  # fast path: plain Latin-script text
            if words:
                scores, hits = _latin_scores(words)
                units.append(_Unit(bi, s0, s1, "latn", len(words), hits, scores))
            else:
                units.append(_Unit(bi, s0, s1))
            continue
        family = _only_family(words)
        if family is not None:  # fast path: letters of one script, no need for token positions
            units.append(_family_unit(bi, s0, s1, family, _family_tokens(words, family)))
            continue
        toks = _tokens(masked, s0, s1)
        fams = {_family(script) for script in {t[0] for t in toks}}
        if len(fams) < 2:
            units.append(_score_unit(bi, masked, s0, s1, toks))
            continue
        start, k = s0, 0
        for cut in [*_script_cuts(masked, toks), s1]:
            j = k
            while j < len(toks) and toks[j][1] < cut:
                j += 1
            units.append(_score_unit(bi, masked, start, cut, toks[k:j]))
            start, k = cut, j
    return units


def _sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` (:func:`_sentence_spans`) with their words, as :func:`_cut` gives them."""
    return _cut(text, _sentence_spans(text))


def _cut(text: str, spans: Iterable[tuple[int, int]]) -> list[Sentence]:
    """Each span of ``text`` with whether it is ASCII and its words: in ASCII, the words with a
    letter (the tokens of plain text); otherwise every word (``\\w`` runs joined by apostrophes)."""
    if text.isascii():
        return [(a, b, True, _ASCII_WORD_RE.findall(text, a, b)) for a, b in spans]
    return [(a, b, True, _ASCII_WORD_RE.findall(text, a, b)) if text[a:b].isascii()
            else (a, b, False, _WORD_RE.findall(text, a, b)) for a, b in spans]


def _family_unit(bi: int, a: int, b: int, family: str, tokens: Sequence[str]) -> _Unit:
    """The unit ``a:b`` of block ``bi`` whose letter tokens, all of script ``family``, are ``tokens``
    (as :func:`_score_unit` scores it)."""
    if not tokens:
        return _Unit(bi, a, b)
    scores, hits = _FAMILY_SCORES[family](tokens)
    return _Unit(bi, a, b, family, len(tokens), hits, scores)


def _family_tokens(words: Sequence[str], family: str) -> Sequence[str]:
    """The letter tokens of ``words``, whose letters are all of script ``family``: what
    :func:`_tokens` finds in them."""
    if all(map(str.isalpha, words)):
        return words
    if family == "latn":  # the usual others: numbers (no token), elided forms (one token)
        others = set(filterfalse(str.isalpha, words))
        numbers = {w for w in others if w.isascii() and not w.strip("_0123456789'")}
        if all(w.isascii() or w.replace("\u2019", "").replace("'", "").isalpha() for w in others - numbers):
            return [w for w in words if w not in numbers] if numbers else words
    tokens: list[str] = []
    for w in words:  # some with digits, "_" or apostrophes
        if w.isalpha():
            tokens.append(w)
        elif w.isascii():  # the whole word, if it has a letter
            if w.strip("_0123456789'"):
                tokens.append(w)
        elif family == "latn" and w.replace("\u2019", "").replace("'", "").isalpha():
            tokens.append(w)  # letters joined by apostrophes: a Latin word
        else:
            tokens.extend(w[a:b] for _, a, b in _tokens(w))
    return tokens


@cache
def _only_family_res() -> list[tuple[str, re.Pattern[str]]]:
    """(family, pattern of a word character that is neither its letter nor a plain digit nor "_") for
    the families with a fast path in _make_units.

    In a text without such a character every letter token is of that family: its words of
    letters only are whole tokens, and :func:`_tokens` cuts the others (numbers, "_", apostrophes)
    into tokens of that family and numbers. (Only ASCII and Arabic-Indic digits are let through:
    some other decimal digits, Sinhala and Myanmar Shan ones, belong to their script's class there.)
    """
    cyrillic = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
    arabic_digits = "\u0660-\u0669\u06f0-\u06f9"
    return [(family, re.compile(f"[^\\W0-9_{letters}]")) for family, letters in
            (("latn", _LATIN), ("cyrl", cyrillic), ("arab", _ARABIC + arabic_digits))]


def _only_family(words: Sequence[str]) -> str | None:
    """The family of every letter in ``words`` when there is one among Latin, Cyrillic and Arabic."""
    joined = "".join(words)
    if joined.isascii():
        return "latn"
    for family, other_letter in _only_family_res():
        if not other_letter.search(joined):
            return family
    return None


def _script_cuts(text: str, toks: list[Token]) -> list[int]:
    """Positions inside a sentence where a long enough run of another script begins."""
    runs: list[list] = []  # [family, first_tok, last_tok, letters]
    for idx, (script, a, b) in enumerate(toks):
        fam = _FAMILY.get(script, script)
        if runs and runs[-1][0] == fam:
            runs[-1][2] = idx
            runs[-1][3] += b - a
        else:
            runs.append([fam, idx, idx, b - a])
    main = max(runs, key=lambda r: r[3] * (_CJK_LETTER_WEIGHT if r[0] == "cjk" else 1))
    big = []
    for k, run in enumerate(runs):
        fam, i, j, letters = run
        ntok = j - i + 1
        if run is not main:
            edge = k == 0 or k == len(runs) - 1
            min_tok, min_let = (_EDGE_MIN_TOKENS, _EDGE_MIN_LETTERS) if edge else (_INNER_MIN_TOKENS,
                                                                                   _INNER_MIN_LETTERS)
            if letters < min_let or (fam != "cjk" and ntok < min_tok):
                continue
            if fam == "latn" and not edge:
                _, hits = _latin_scores([text[a:b] for _, a, b in toks[i:j + 1]])
                if hits < 2:  # a name or a product, not a phrase in a language
                    continue
        big.append(run)
    return [toks[run[1]][1] for prev, run in zip(big, big[1:], strict=False) if run[0] != prev[0]]


def _score_unit(bi: int, text: str, a: int, b: int, toks: list[Token]) -> _Unit:
    """Score the unit ``text[a:b]`` (with letter tokens ``toks``) for the languages of its script."""
    unit = _Unit(bi, a, b)
    if not toks:
        return unit
    letters: dict[str, int] = {}
    han = kana = 0
    for script, ta, tb in toks:
        fam = _FAMILY.get(script, script)
        n = tb - ta
        if fam == "cjk":
            if script == "hani":
                han += n
            else:
                kana += n
            n *= _CJK_LETTER_WEIGHT
        letters[fam] = letters.get(fam, 0) + n
    fam = max(letters, key=letters.__getitem__) if len(letters) > 1 else next(iter(letters))
    unit.family = fam
    if fam == "cjk":
        unit.scores = _cjk_scores(han, kana)
        unit.words = max(1, (han + kana) // 2)
        return unit
    tokens = [text[ta:tb] for script, ta, tb in toks if _FAMILY.get(script, script) == fam]
    unit.words = len(tokens)
    if fam == "latn":
        unit.scores, unit.hits = _latin_scores(tokens)
    elif fam == "arab":
        unit.scores, unit.hits = _arabic_scores(tokens)
    elif fam == "cyrl":
        unit.scores, unit.hits = _cyrillic_scores(tokens)
    elif fam == "deva":
        unit.scores = {"hi": 0.0, "mr": 0.0, "ne": 0.0}
    else:
        unit.scores = {_SINGLE.get(fam, UND): 0.0}
    return unit


# --------------------------------------------------------------------------------------------
# langdetect, deterministic and restricted to a script's languages
# --------------------------------------------------------------------------------------------

_LD_LOCK = threading.Lock()


@cache
def _ld_factory(langs: tuple[str, ...]) -> DetectorFactory | None:
    """A langdetect factory holding only the profiles of ``langs``, seeded (built once per set)."""
    try:
        import langdetect
        from langdetect.detector_factory import DetectorFactory
    except ImportError:  # pragma: no cover - langdetect is a dependency
        return None
    root = Path(langdetect.__file__).parent / "profiles"
    profiles = []
    for lang in langs:
        names = ("zh-cn", "zh-tw") if lang == "zh" else (lang,)
        for name in names:
            p = root / name
            if p.is_file():
                profiles.append(p.read_text(encoding="utf-8"))
    if len(profiles) < 2:
        return None
    factory = DetectorFactory()
    factory.load_json_profile(profiles)
    factory.seed = 0  # every Detector re-seeds its own Random with this: no dependence on history
    return factory


_LD_MAX_TEXT = 2000  # langdetect reads this many characters of a text


@cache
def _vi_marks() -> re.Pattern[str]:
    """The diacritics that langdetect merges into the letter before them (Vietnamese)."""
    from langdetect.utils.ngram import NGram

    return re.compile(f"[{NGram.DMARK_CLASS}]")


def _ld_head(text: str) -> str:
    """``text``, or the start of it that langdetect reads the same way.

    langdetect blanks URLs and e-mail addresses and merges Vietnamese diacritics, then reads the
    first 2000 characters. None of those spans a space, so when none occurs in a start that ends
    at a space past 2000 characters, that start is read as the whole text is (and a run of a long
    article need not be copied and scanned whole).
    """
    if len(text) <= _LD_MAX_TEXT:
        return text
    space = _SPACE_RE.search(text, _LD_MAX_TEXT)
    if space is None:
        return text
    head = text[:space.start()]
    if "://" in head or "@" in head or _vi_marks().search(head):
        return text
    return head


_SPACE_RE = re.compile(r"\s")


def _langdetect_other(text: str, langs: tuple[str, ...], label: str) -> str | None:
    """The language among ``langs`` that langdetect gives ``text`` with a probability of at least
    0.8 (``_LD_MIN_PROB``), when it is not ``label``; otherwise None.

    The probabilities are langdetect's average over its trials (:func:`_langdetect_trials`).
    Each trial ends with probabilities normalised to sum 1 (langdetect only multiplies them by
    positive factors), so it adds at most 1/n_trial to a language: the trials stop as soon as the
    outcome is certain, usually after two, when no language but ``label`` can reach 0.8 any more.
    """
    with _LD_LOCK:
        factory = _ld_factory(langs)
    if factory is None:
        return None
    detector = factory.create()
    detector.set_max_text_length(_LD_MAX_TEXT)
    detector.append(_ld_head(text))
    codes = [lang.split("-")[0] for lang in detector.langlist]
    others = [j for j, code in enumerate(codes) if code != label]
    langprob: list[float] = []
    for done, langprob in enumerate(_langdetect_trials(detector), 1):
        left = (detector.n_trial - done) / detector.n_trial + _LD_SLACK  # what the other trials can add
        if all(langprob[j] + left < _LD_MIN_PROB for j in others):
            return None  # the label stays, whatever the other trials say
        for j, v in enumerate(langprob):
            if v >= _LD_MIN_PROB + _LD_SLACK:  # over half the mass: this language comes out on top
                return codes[j] if codes[j] != label else None
    ranked = detector._sort_probability(langprob)  # what get_probabilities() returns
    if not ranked or ranked[0].prob < _LD_MIN_PROB:
        return None
    top = ranked[0].lang.split("-")[0]
    return top if top != label else None


def _langdetect_trials(detector: Detector) -> Iterator[list[float]]:
    """langdetect's detection of the text appended to ``detector`` (``Detector._detect_block``:
    its trials, random draws and arithmetic, in its order), one trial at a time: yields the
    running sum of the trials' probabilities, each divided by n_trial, after each trial. Yields
    nothing where langdetect finds no n-grams (and raises)."""
    detector.cleaning_text()
    ngrams = detector._extract_ngrams()
    if not ngrams:
        return
    n_trial = detector.n_trial
    langprob = [0.0] * len(detector.langlist)
    rng, update, normalize = detector.random, detector._update_lang_prob, detector._normalize_prob
    rng.seed(detector.seed)
    for _ in range(n_trial):
        prob = detector._init_probability()
        alpha = detector.alpha + rng.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        i = 0
        while True:
            update(prob, rng.choice(ngrams), alpha)
            if i % 5 == 0 and (normalize(prob) > detector.CONV_THRESHOLD or i >= detector.ITERATION_LIMIT):
                break
            i += 1
        for j, p in enumerate(prob):
            langprob[j] += p / n_trial
        yield langprob


_LD_SLACK = 1e-9  # room for rounding in the sums of probabilities


# --------------------------------------------------------------------------------------------
# Labelling
# --------------------------------------------------------------------------------------------

_SWITCH_IN_BLOCK = 2.0  # cost of changing language between units of one block
_SWITCH_ACROSS = 1.0  # ... between units of different blocks
_HINT_BONUS = 0.02
_DEFAULT_BONUS = 0.01


def _norm_hint(hint: str | None) -> str | None:
    """ISO 639-1 code of a declared language ("en-US" -> "en", "iw" -> "he")."""
    if not hint:
        return None
    code = re.split(r"[-_]", hint.strip().lower())[0]
    return {"iw": "he", "in": "id", "ji": "yi", "nb": "no", "nn": "no"}.get(code, code) or None


def _viterbi(chain: list[_Unit], family: str, hint: str | None) -> None:
    """Label a family's units (in document order) with the best language sequence.

    Emissions are the units' scores; changing language costs a fixed penalty (less between blocks
    than inside one). The states are the languages that are best for at least one unit, plus the
    family's default and the hint, which get a tiny bonus on the first unit so that ties resolve to
    them (the hint first) without ever outweighing evidence.
    """
    states = set()
    langs = list(chain[0].scores)  # the units of a family list the same languages, in the same order
    for u in chain:  # each unit's best language (the first listed, on a tie)
        values = list(u.scores.values())
        states.add(langs[values.index(max(values))])
    default = _DEFAULT.get(family)
    if default:
        states.add(default)
    if hint and (hint in chain[0].scores or hint in _LANGDETECT.get(family, ())):
        states.add(hint)
    order = sorted(states)
    bonus = [(_HINT_BONUS if lang == hint else 0.0) + (_DEFAULT_BONUS if lang == default else 0.0)
             for lang in order]
    if len(order) == 1:
        for u in chain:
            u.label = order[0]
        return
    get = chain[0].scores.get
    prev = [get(lang, 0.0) + b for lang, b in zip(order, bonus, strict=True)]
    back: list[list[int]] = [list(range(len(order)))]
    prev_block = chain[0].block
    for u in islice(chain, 1, None):
        get = u.scores.get
        top = max(prev)
        best = prev.index(top)
        jump = top - (_SWITCH_IN_BLOCK if u.block == prev_block else _SWITCH_ACROSS)
        cur = []
        ptr = []
        for k, lang in enumerate(order):
            p = prev[k]
            if p >= jump:
                cur.append(p + get(lang, 0.0))
                ptr.append(k)
            else:
                cur.append(jump + get(lang, 0.0))
                ptr.append(best)
        back.append(ptr)
        prev = cur
        prev_block = u.block
    state = prev.index(max(prev))
    for idx in range(len(chain) - 1, -1, -1):
        chain[idx].label = order[state]
        state = back[idx][state]


_LD_MIN_WORDS = 10  # a run must be at least this long before langdetect is asked
_LD_MIN_WORDS_WITH_HITS = 25  # ... and this long when the word lists found something
_LD_MIN_PROB = 0.8
_PROSE_MIN_WORDS = 5


def _totals(units: list[_Unit], family: str) -> dict[str, float]:
    """Each language's scores summed over ``units``."""
    if family == "latn":
        # Latin scores list the languages of _LATIN_LANGS in that order, in steps of 0.5: exact
        # sums, so they can be added column by column.
        return dict(zip(_LATIN_LANGS, map(sum, zip(*[u.scores.values() for u in units], strict=True)),
                        strict=True))
    total: dict[str, float] = {}
    for u in units:
        for lang, v in u.scores.items():
            total[lang] = total.get(lang, 0.0) + v
    return total


def _margin(total: dict[str, float], label: str) -> float:
    """How far ``label``'s summed score is ahead of the best other language's."""
    return total.get(label, 0.0) - max((v for k, v in total.items() if k != label), default=0.0)


def _check_runs(chain: list[_Unit], family: str, text_of: Callable[[_Unit], str]) -> None:
    """Ask langdetect about runs of one label where the cheap model was not decisive.

    Only prose counts (units of 5 words or more): menus, bylines and lists of names are no
    evidence for anyone, and langdetect is poor on them.
    """
    if family not in _LANGDETECT:
        return
    i = 0
    while i < len(chain):
        j = i
        while j + 1 < len(chain) and chain[j + 1].label == chain[i].label:
            j += 1
        run = chain[i:j + 1]
        i = j + 1
        label = run[0].label
        prose = [u for u in run if u.words >= _PROSE_MIN_WORDS]
        words = sum(u.words for u in prose)
        if words < _LD_MIN_WORDS:
            continue
        hits = sum(u.hits for u in prose)
        if family == "latn":
            decisive = hits >= 0.15 * words and _margin(_totals(prose, family), label) >= max(3.0, 0.1 * words)
            if not decisive and hits >= 0.1 * words and words < _LD_MIN_WORDS_WITH_HITS:
                continue
        else:
            total = _totals(prose, family)
            decisive = _margin(total, label) >= max(3.0, 0.1 * words) and total.get(label, 0.0) > 0
        if decisive:
            continue
        found = _langdetect_other(" ".join(text_of(u) for u in prose), _LANGDETECT[family], label)
        if found:
            for u in run:
                u.label = found


class _DocumentMemo(threading.local):
    """What :func:`segment_blocks` worked out for the blocks it last segmented (in this thread),
    by text: their masks and their sentences with words.

    :func:`document_languages` measures the segments of that document next, and most segments are
    whole blocks: it finds their work here rather than doing it again, then empties the memo. Only
    segment_blocks fills it, afresh for each document, so it never holds more than one document;
    and what it holds depends on the text alone, so it changes no result.
    """

    def __init__(self) -> None:
        self.masks: dict[str, str] = {}
        self.sentences: dict[str, list[Sentence]] = {}


_MEMO = _DocumentMemo()


def segment_blocks(blocks: Sequence[Block], hint: str | None = None) -> list[Segment]:
    """Label the text of ``blocks`` (in document order) with languages.

    Returns segments in document order; each is a run of one or more sentences of one block in
    one language (ISO 639-1, or "und" when nothing tells), with the block's original spacing
    inside the run. Segments never span two blocks. ``hint`` is the page's declared language
    (e.g. from ``<html lang>``); it only breaks ties.
    """
    hint = _norm_hint(hint)
    texts = [b.text for b in blocks]
    masked = [_mask(t) for t in texts]
    memo = _MEMO
    memo.masks, memo.sentences = dict(zip(texts, masked, strict=True)), {}
    units: list[_Unit] = []
    for bi, text in enumerate(texts):
        if text and not text.isspace():
            if masked[bi] == text:
                sentences = memo.sentences[text] = _sentences(text)
            else:  # spans are cut in the text as written, words found in the masked one
                sentences = _cut(masked[bi], _sentence_spans(text))
            units.extend(_make_units(bi, masked[bi], sentences))
    if not units:
        return []

    chains: dict[str, list[_Unit]] = {}
    for u in units:
        if u.family is not None:
            chains.setdefault(u.family, []).append(u)

    def text_of(u: _Unit) -> str:
        """A unit's text with URLs and markup blanked (what langdetect gets)."""
        return masked[u.block][u.start:u.end]

    for family, chain in chains.items():
        if _one_language(chain):
            for u in chain:
                u.label = next(iter(u.scores), UND)
            continue
        _viterbi(chain, family, hint)
        _check_runs(chain, family, text_of)

    _fill_letterless(units)
    return _merge(units, texts)


def _one_language(chain: list[_Unit]) -> bool:
    """Whether the units' scores are for one language at most."""
    langs: set[str] = set()
    for u in chain:
        langs.update(u.scores)
        if len(langs) > 1:
            return False
    return True


def _fill_letterless(units: list[_Unit]) -> None:
    """Units without letters (numbers, punctuation) take the language of the nearest unit with letters,
    preferring their own block."""
    lettered = [i for i, u in enumerate(units) if u.family is not None]
    if not lettered or len(lettered) == len(units):
        return
    k = 0
    for i, u in enumerate(units):
        if u.family is not None:
            continue
        while k + 1 < len(lettered) and lettered[k + 1] < i:
            k += 1
        before = lettered[k] if lettered[k] < i else None
        after = next((j for j in lettered[k:k + 2] if j > i), None)
        candidates = [j for j in (before, after) if j is not None]
        same_block = [j for j in candidates if units[j].block == u.block]
        pick = (same_block or candidates)[0]
        u.label = units[pick].label


def _merge(units: list[_Unit], texts: list[str]) -> list[Segment]:
    """One segment per run of same-language units inside a block."""
    segments: list[Segment] = []
    i = 0
    n = len(units)
    while i < n:
        first = units[i]
        j = i
        while j + 1 < n and units[j + 1].block == first.block and units[j + 1].label == first.label:
            j += 1
        chunk = texts[first.block][first.start:units[j].end].strip()
        if chunk:
            segments.append(Segment(first.label, chunk))
        i = j + 1
    return segments


# --------------------------------------------------------------------------------------------
# Document languages
# --------------------------------------------------------------------------------------------


@cache
def _weight_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(letter word outside Chinese/Japanese, Chinese/Japanese character) patterns."""
    return re.compile(f"[^\\W\\d_{_HAN}{_KANA}]+"), re.compile(f"[{_HAN}{_KANA}]")


_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_SENTENCE_MIN_WORDS = 3
_MIN_SHARE = 0.02
_PARAGRAPH_WORDS = 10


def _measure(text: str, memo: _DocumentMemo) -> tuple[int, float]:
    """(sentences of 3 words or more, words) in a text. Two Chinese/Japanese characters count as one
    word; URLs and markup are not counted. ``memo`` may hold the text's mask and sentences."""
    masked = memo.masks.get(text)
    text = _mask(text) if masked is None else masked
    cut = memo.sentences.get(text)
    if cut is None:
        cut = _sentences(text)
    counts: list[float]
    if text.isascii():
        counts = [len(words) for _, _, _, words in cut]
    elif not _weight_res()[1].search(text):  # no Chinese/Japanese: each run of letters lies in a word
        counts = [_letter_words(words) for _, _, _, words in cut]
    else:
        letter_word, cjk_char = _weight_res()
        counts = [len(letter_word.findall(text, a, b)) + len(cjk_char.findall(text, a, b)) / 2 for a, b, _, _ in cut]
    sentences, words = 0, 0.0
    for n in counts:
        words += n
        sentences += n >= _SENTENCE_MIN_WORDS
    return sentences, words


def _letter_words(words: Sequence[str]) -> int:
    """How many runs of letters (outside Chinese/Japanese) ``words`` hold: one in a word of letters."""
    if all(map(str.isalpha, words)):
        return len(words)
    others = list(filterfalse(str.isalpha, words))  # with digits, "_" or apostrophes
    return len(words) - len(others) + len(_LETTER_RUN_RE.findall(" ".join(others)))


def document_languages(segments: Sequence[Segment]) -> tuple[str | None, list[str]]:
    """Main language and the languages present, main first.

    The main language is the one most sentences are written in (sentences of 3 words or more, so
    that menu items and bylines do not vote; ties go to the larger share of words). Counting
    sentences rather than words keeps a language whose words are long, or which writes
    prepositions and articles into the word (Arabic), from losing to one that spells them out.
    The others follow by the same measure. "und" is never listed; a language with under 2% of
    the words is left out unless one of its segments is paragraph-sized (10 words or more).
    """
    sentences: dict[str, int] = {}
    words: dict[str, float] = {}
    longest: dict[str, float] = {}
    memo = _MEMO
    for seg in segments:
        lang = seg.lang
        if not lang or lang == UND:
            continue
        n_sent, n_words = _measure(seg.text, memo)
        sentences[lang] = sentences.get(lang, 0) + n_sent
        words[lang] = words.get(lang, 0.0) + n_words
        longest[lang] = max(longest.get(lang, 0.0), n_words)
    memo.masks, memo.sentences = {}, {}
    total = sum(words.values())
    if not total:
        return None, []
    ranked = sorted(words, key=lambda lang: (-sentences[lang], -words[lang]))  # stable on full ties
    present = [lang for lang in ranked
               if words[lang] / total >= _MIN_SHARE or longest[lang] >= _PARAGRAPH_WORDS]
    return ranked[0], present
