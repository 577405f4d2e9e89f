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
