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


#: Tokens of each script, as ``(script, pattern of one token)``: ISO 15924 codes in lower case, then
#: "num" (digits) and "zyyy" (letters of a script not listed). Joined into one alternation they cut
#: a word into runs of one script each; no two classes overlap, so their order does not matter.
#: A Latin token keeps its combining marks, a middle dot and apostrophes between letters; an
#: Arabic one its zero-width (non-)joiners.
SCRIPT_CLASSES: list[tuple[str, str]] = [
    ("latn", f"[{LATIN_WORD_CHARS}](?:[{LATIN_WORD_CHARS}\u0300-\u036f\u00b7]|['\u2019](?=[{LATIN_WORD_CHARS}]))*"),
    ("arab", f"[{ARABIC_WORD_CHARS}][{ARABIC_WORD_CHARS}\u200c\u200d]*"),
    ("cyrl", f"[{CYRILLIC}]+"),
    ("grek", "[\u0370-\u03ff\u1f00-\u1fff]+"),
    ("hebr", "[\u0591-\u05f4\ufb1d-\ufb4f]+"),
    ("hani", f"[{HAN}\u3005]+"),
    ("kana", f"[{KANA}]+"),
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
    ("zyyy", r"[^\W\d_]+"),
]


#: Characters that act on a terminal or reorder text instead of being read: C0 controls (but tab
#: and line feed), DEL, C1 controls, the bidi embedding, override and isolate controls (which can
#: disguise text), and lone surrogates (no character at all; they cannot be encoded).
CONTROLS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


#: What one printable line may not hold: every C0 control (tab and line feed too), DEL, C1, the line
#: and paragraph separators, the bidi controls and lone surrogates (:func:`escape_controls`).
LINE_CONTROLS_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_controls(text: str) -> str:
    """``text`` as one printable line: each character of :data:`LINE_CONTROLS_RE` as an escape
    (``\\x1b``, ``\\u202e``), for error lines and file names."""
    return LINE_CONTROLS_RE.sub(_escape_one, text)


def _escape_one(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def strip_controls(text: str, *, newlines: bool = True) -> str:
    """``text`` without :data:`CONTROLS_RE`'s characters; without tabs and line feeds too (each
    becomes a space) when ``newlines`` is false, for one-line metadata such as a title."""
    if not newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    return CONTROLS_RE.sub("", text) if CONTROLS_RE.search(text) else text


#: What an article's text loses (:func:`strip_text_controls`): the characters of :data:`CONTROLS_RE`
#: but the C1 controls, which in real text are windows-1252 punctuation decoded as Latin-1 (U+0092
#: for ’, U+0096 for –): removing them would glue words together (d’être -> dêtre).
TEXT_CONTROLS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: The C1 controls that open a terminal's control sequence or string (DCS, SOS, CSI, ST, OSC, PM,
#: APC): the windows-1252 character each stands for in such text, or nothing where there is none.
_C1_OPENERS = {0x90: None, 0x98: "\u02dc", 0x9b: "\u203a", 0x9c: "\u0153", 0x9d: None, 0x9e: "\u017e",
               0x9f: "\u0178"}
_C1_OPENERS_RE = re.compile("[\x90\x98\x9b-\x9f]")


def strip_text_controls(text: str) -> str:
    """An article's ``text`` without :data:`TEXT_CONTROLS_RE`'s characters (tabs and line feeds kept),
    its C1 controls that open a control sequence or string made the windows-1252 characters they
    stand for (or removed); the other C1 controls stay, as the text has them (every printed form
    of the text removes or escapes them: the command line, the web pages, the exports)."""
    if TEXT_CONTROLS_RE.search(text):
        text = TEXT_CONTROLS_RE.sub("", text)
    return text.translate(_C1_OPENERS) if _C1_OPENERS_RE.search(text) else text
