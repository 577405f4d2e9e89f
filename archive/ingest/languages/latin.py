"""Latin script: evidence for each of 21 languages from function words and diacritic letters.

A unit's Latin tokens score one point per hit on a language's list of frequent function words
(half a point in a Title Case headline) and half a point per letter the language writes, less
half a point per letter it does not. The scores tell English from French and the like on a few
words; where they are not decisive on a long run, :mod:`.chain` asks langdetect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import filterfalse, islice
from operator import itemgetter

from archive.lang.scripts import LATIN_WORD_CHARS

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
LATIN_LANGS = tuple(_STOPWORDS)  # the languages of every Latin score, in this order


# Non-ASCII letters each Latin language writes.
_DIACRITICS = {
    "en": "", "id": "",
    "fr": "éèêëàâîïôûùüçœæÿ", "es": "áéíóúñü", "pt": "áâãàéêíóôõúçü", "it": "àèéìíòóùî",
    "de": "äöüß", "nl": "ëïéèöü", "sv": "åäöé", "da": "æøåé", "no": "æøåéòóô", "fi": "äöå",
    "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž", "ro": "ăâîșşțţ",
    "tr": "çğıöşüâîû", "hu": "áéíóöőúüű", "ca": "àèéíïòóúüç·", "hr": "čćđšž", "sl": "čšž",
}
_DIACRITIC_WEIGHT = 0.5
_LATIN_ZERO = dict.fromkeys(LATIN_LANGS, 0.0)
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


# The word lists and letters, indexed: (word -> languages listing it, diacritic letter -> languages
# writing it, the function words (the words without an apostrophe), capitalised function word -> the word).
_Tables = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], frozenset[str], dict[str, str]]


@cache
def _tables() -> _Tables:
    """The tables :func:`latin_scores` reads, built once."""
    words: dict[str, list[str]] = {}
    for lang, text in _STOPWORDS.items():
        for w in text.split():
            words.setdefault(w, []).append(lang)
    chars: dict[str, list[str]] = {}
    for lang, letters in _DIACRITICS.items():
        for c in letters:
            chars.setdefault(c, []).append(lang)
    function_words = frozenset(w for w in words if "'" not in w)
    return ({w: tuple(v) for w, v in words.items()}, {c: tuple(v) for c, v in chars.items()},
            function_words, _capitalised_forms(function_words))


def _capitalised_forms(function_words: frozenset[str]) -> dict[str, str]:
    """Function words with a capital first letter ("The", "Él") -> the word.

    Only these capitalised tokens can count: a word whose other letters change in lower case
    ("THE") never does.
    """
    capitals: dict[str, list[str]] = {}  # lower-case letter -> the letters that lower-case to it
    for lo, hi in re.findall(r"(.)(?:-(.))?", LATIN_WORD_CHARS, re.S):  # every letter of a Latin token
        for cp in range(ord(lo), ord(hi or lo) + 1):
            c = chr(cp)
            low = c.lower()
            if low != c and len(low) == 1:
                capitals.setdefault(low, []).append(c)
    return {c + w[1:]: w for w in function_words for c in capitals.get(w[0], ())}


def latin_scores(tokens: Sequence[str]) -> tuple[dict[str, float], int]:
    """Evidence for each Latin language in these tokens (in text order), and the best language's
    function-word hits.

    Function words count when written in lower case, or capitalised as the first word of a
    sentence followed by a lower-case word; capitalised words elsewhere belong to names ("Los
    Angeles", "Al Jazeera", "Le Monde") and all-capital ones to acronyms ("US", "AJ"). In a
    Title Case line (a headline) capitalised function words count half. (Every weight is 1 or
    0.5, so the sums are exact in any order: lower-case words are counted first.)
    """
    word_langs, char_langs, function_words, capitalised = _tables()
    scores = _LATIN_ZERO.copy()
    for tok in filter(function_words.__contains__, tokens):  # the lists are in lower case
        for lang in word_langs[tok]:
            scores[lang] += 1.0
    later = list(filter(capitalised.__contains__, islice(tokens, 1, None))) if len(tokens) >= 4 else ()
    if later or (tokens and tokens[0] in capitalised):
        _count_capitalised(scores, tokens, later, capitalised, word_langs)
    joined = "".join(tokens)
    if "'" in joined or "\u2019" in joined:  # elided forms, by the same rules
        _count_elided(scores, tokens, word_langs)
    hits = int(max(scores.values()))
    if not joined.isascii() and not joined.replace("\u2019", "").isascii():  # a letter beyond ASCII
        _count_diacritics(scores, joined, char_langs)
    return scores, hits


def _count_capitalised(scores: dict[str, float], tokens: Sequence[str], later: Sequence[str],
                       capitalised: dict[str, str], word_langs: dict[str, tuple[str, ...]]) -> None:
    """Count the capitalised function words of ``tokens``: the first word of a sentence (followed
    by a lower-case word) in full; in a headline (:func:`_title_case`) the first by half, and the
    ``later`` ones (those after the first, listed when there are four tokens or more) by half."""
    title_case: bool | None = None  # worked out when needed
    if tokens[0] in capitalised:
        if len(tokens) > 1 and tokens[1][0].islower():
            _add_word(scores, word_langs, capitalised[tokens[0]], 1.0)  # the first word of a sentence
        elif title_case := _title_case(tokens):
            _add_word(scores, word_langs, capitalised[tokens[0]], 0.5)
    if later and (title_case if title_case is not None else _title_case(tokens)):  # a headline
        for tok in later:
            _add_word(scores, word_langs, capitalised[tok], 0.5)


def _add_word(scores: dict[str, float], word_langs: dict[str, tuple[str, ...]], word: str,
              weight: float) -> None:
    """Add ``weight`` to the languages whose list has ``word``."""
    for lang in word_langs.get(word, ()):
        scores[lang] += weight


def _count_elided(scores: dict[str, float], tokens: Sequence[str], word_langs: dict[str, tuple[str, ...]]) -> None:
    """Count the tokens with an apostrophe (or a "_"), by the rules of :func:`latin_scores`."""
    if not tokens[0].isalnum():  # with an apostrophe (or a "_")
        _add_elided(scores, word_langs, tokens, tokens[0], first=True)
    for tok in filterfalse(str.isalnum, islice(tokens, 1, None)):
        _add_elided(scores, word_langs, tokens, tok, first=False)


def _add_elided(scores: dict[str, float], word_langs: dict[str, tuple[str, ...]], tokens: Sequence[str], tok: str,
                *, first: bool) -> None:
    """Count a token with an apostrophe, by the rules of :func:`latin_scores`, as its parts:
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
        for lang in word_langs.get(f, ()):
            scores[lang] += weight


def _title_case(tokens: Sequence[str]) -> bool:
    """A headline in Title Case: most of its (four or more) words capitalised."""
    return len(tokens) >= 4 and sum(map(str.isupper, map(itemgetter(0), tokens))) * 2 > len(tokens)


def _count_diacritics(scores: dict[str, float], joined: str, char_langs: dict[str, tuple[str, ...]]) -> None:
    """Add half a point to each language per letter beyond ASCII in ``joined`` that it writes, and
    take half a point per such letter that it does not."""
    odd: dict[str, int] = {}
    for c in _NON_ASCII_RE.findall(joined.lower()):  # Latin letters lower case one by one
        if c.isalpha():
            odd[c] = odd.get(c, 0) + 1
    if odd:
        n_odd = sum(odd.values())
        own = dict.fromkeys(LATIN_LANGS, 0)
        for c, n in odd.items():
            for lang in char_langs.get(c, ()):
                own[lang] += n
        for lang in LATIN_LANGS:
            scores[lang] += _DIACRITIC_WEIGHT * (2 * own[lang] - n_odd)
