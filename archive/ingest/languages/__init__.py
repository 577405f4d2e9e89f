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

The modules, in the order data flows through them:

    tokens      words, letter tokens and their scripts (``script_of``)
    families    script families and the languages that compete inside each
    sentences   noise (URLs, markup) blanked; blocks cut into sentences with their words
    latin       Latin script: function words and diacritics of 21 languages
    scores      Arabic script, Cyrillic and Chinese/Japanese models
    units       sentences cut at runs of another script, and scored
    chain       Viterbi labels per family; runs put to langdetect
    detect      langdetect, deterministic and restricted (the one module using its internals)
    segments    ``segment_blocks``: blocks -> units -> labels -> segments
    document    ``document_languages``: main language and languages present
"""

from __future__ import annotations

from .document import document_languages
from .segments import segment_blocks
from .tokens import script_of

__all__ = ["segment_blocks", "document_languages", "script_of"]
