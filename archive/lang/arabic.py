"""Arabic letters: the normalisation Lucene applies, and the prefixes its light stemmer removes."""

from __future__ import annotations

#: Lucene's ``ArabicStemmer`` prefixes, in the order it tries them (it removes one at most).
LIGHT_STEM_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
#: The same without the conjunction و: the forms of the definite article, with a clitic or not.
ARTICLE_PREFIXES = LIGHT_STEM_PREFIXES[:-1]
#: Lucene's ``ArabicStemmer`` suffixes, in the order it tries them (it removes each that matches).
LIGHT_STEM_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")

#: The 28 letters and hamza forms of the basic Arabic block (ء .. ي), as a class body.
BASIC_LETTERS = "\u0621-\u064a"

#: Lucene's ``ArabicNormalizer``, as a ``str.translate`` table.
NORMALIZE_TABLE: dict[int, str | None] = {
    0x0622: "\u0627",  # alef with madda above -> alef
    0x0623: "\u0627",  # alef with hamza above -> alef
    0x0625: "\u0627",  # alef with hamza below -> alef
    0x0649: "\u064a",  # alef maksura (dotless yeh) -> yeh
    0x0629: "\u0647",  # teh marbuta -> heh
    0x0640: None,  # tatweel
    **dict.fromkeys(range(0x064B, 0x0653)),  # fathatan .. sukun (the eight harakat Lucene removes)
}
#: Lucene's ``PersianNormalizer``, as a ``str.translate`` table.
PERSIAN_NORMALIZE_TABLE: dict[int, str | None] = {
    0x06CC: "\u064a",  # farsi yeh -> yeh
    0x06D2: "\u064a",  # yeh barree -> yeh
    0x06A9: "\u0643",  # keheh -> kaf
    0x06C0: "\u0647",  # heh with yeh above -> heh
    0x06C1: "\u0647",  # heh goal -> heh
    0x0654: None,  # hamza above
}

#: Arabic-Indic and Extended Arabic-Indic (Persian, Urdu) digits, 0 to 9.
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

#: Spelling conventions folded beyond Lucene's normaliser (after it): the hamza seats ؤ and ئ
#: written for one another (مسؤول / مسئول), Persian letters typed in Arabic text (ی ک), alef wasla,
#: and the letters that write foreign sounds (ڤ ڥ for v, پ for p, گ ڭ for g, ڨ for the Maghrebi g,
#: چ for ch, ژ for zh) folded to the Arabic letters they alternate with.
ORTHOGRAPHY_TABLE: dict[int, str | None] = {
    0x0624: "\u0621",  # waw with hamza -> hamza
    0x0626: "\u0621",  # yeh with hamza -> hamza
    0x06CC: "\u064a",  # farsi yeh -> yeh
    0x06A9: "\u0643",  # keheh -> kaf
    0x0671: "\u0627",  # alef wasla -> alef
    0x06A4: "\u0641",  # veh -> feh
    0x06A5: "\u0641",  # feh with three dots below -> feh
    0x067E: "\u0628",  # peh -> beh
    0x06AF: "\u0643",  # gaf -> kaf
    0x06AD: "\u0643",  # ng -> kaf
    0x06A8: "\u0642",  # qaf with three dots above (Maghrebi g) -> qaf
    0x0686: "\u062c",  # tcheh -> jeem
    0x0698: "\u0632",  # jeh -> zain
}

#: One or two proclitics, then the article: و or ف, then ب ل or ك, then ال (ل + ال is written لل).
#: Longest first.
CLITIC_PREFIXES: tuple[str, ...] = tuple(sorted(
    {(conj + prep + art).replace("لال", "لل") for conj in ("", "و", "ف") for prep in ("", "ب", "ل", "ك")
     for art in ("", "ال")} - {""},
    key=lambda p: (-len(p), p),
))
#: The suffixes of a past-tense verb (its subject): كتبت, كتبنا, كتبوا, كتبتم ... (a word ending in
#: one of them after a dictionary verb is that verb, not a clitic form of what follows its first letter).
PAST_VERB_SUFFIXES: tuple[str, ...] = ("تما", "تم", "تن", "نا", "وا", "ت", "ا", "ن")
