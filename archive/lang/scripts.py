"""Unicode ranges of scripts, written once, as regex character-class bodies (no brackets).

Each range is named for what it is used to tell; they differ on purpose (a range meant to count
Arabic-script characters includes Arabic punctuation and digits, one meant to find Arabic words
does not).
"""

from __future__ import annotations

import re

#: Every Arabic-script block: Arabic, Arabic Supplement, Arabic Extended-A and both presentation
#: forms blocks (letters, marks, digits and punctuation alike).
ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
#: Arabic-script letters and marks, without digits or punctuation (what an Arabic-script word is made of).
ARABIC_WORD_CHARS = (
    "\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06fc\u06ff"  # letters and marks, no digits
    "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"  # supplements, presentation forms
)
#: Latin letters: ASCII, Latin-1 and Latin Extended-A/B.
LATIN_LETTERS = "A-Za-z\u00c0-\u024f"
#: Latin letters without the two Latin-1 symbols (× ÷), with Latin Extended Additional.
LATIN_WORD_CHARS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
CYRILLIC = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"

ARABIC_RE = re.compile(f"[{ARABIC_BLOCKS}]")
LATIN_RE = re.compile(f"[{LATIN_LETTERS}]")


def has_arabic(text: str) -> bool:
    """True if ``text`` holds an Arabic-script character (any of :data:`ARABIC_BLOCKS`)."""
    return ARABIC_RE.search(text) is not None
