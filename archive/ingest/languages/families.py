"""Script families: which languages compete for a unit, given the script of its letters.

A token's script (:mod:`.tokens`) names its family; only that family's languages compete for
the unit. Most families have one language and need no model. Latin, Arabic, Cyrillic,
Devanagari and Chinese/Japanese ("cjk") have several: the cheap models (:mod:`.latin`,
:mod:`.scores`) score them and, where they are not decisive on a long run, langdetect
(:mod:`.detect`) chooses among the profiles listed here.
"""

from __future__ import annotations

UND = "und"  # the language of a unit when nothing tells

# Token script -> script family whose languages compete with one another.
FAMILY = {"hani": "cjk", "kana": "cjk"}

# Families with a single language.
SINGLE = {
    "grek": "el", "hebr": "he", "hang": "ko", "beng": "bn", "guru": "pa", "gujr": "gu",
    "orya": "or", "taml": "ta", "telu": "te", "knda": "kn", "mlym": "ml", "sinh": "si",
    "thai": "th", "laoo": "lo", "tibt": "bo", "mymr": "my", "geor": "ka", "armn": "hy",
    "ethi": "am", "khmr": "km", "zyyy": UND,
}

# Language of a family when nothing else tells.
DEFAULT = {"latn": "en", "arab": "ar", "cyrl": "ru", "cjk": "zh", "deva": "hi"}

# langdetect profiles per family (used only where the cheap model is not decisive).
LANGDETECT = {
    "latn": ("af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id", "it",
             "lt", "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw", "tl", "tr", "vi"),
    "arab": ("ar", "fa", "ur"),
    "cyrl": ("bg", "mk", "ru", "uk"),
    "deva": ("hi", "mr", "ne"),
}


def family(script: str) -> str:
    """The family of languages that compete for a token script ("hani", "kana" -> "cjk")."""
    return FAMILY.get(script, script)
