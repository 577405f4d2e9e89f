"""The head and tail of the body: the header trafilatura keeps above the article (title again, date
line, byline, breadcrumbs), "Tags:" lines, a trailing related/comments/share section, widget lines
and repeated blocks."""

from __future__ import annotations

import functools
import re

from archive.model import Block

from .author import byline_start, clean_author
from .page import Page
from .strings import norm, words

_SENTENCE_END = re.compile(r"[.!?؟。！？…:;]\W*$")
_DIGIT = re.compile(r"\d")


# -- the head ------------------------------------------------------------------------------------------


def header_zone(blocks: list[Block]) -> list[str]:
    """The short lines above the first real paragraph (where a "By X" line may stand)."""
    out = []
    for b in blocks[:8]:
        if words(b.text) > 25:
            break
        out.append(b.text)
    return out


def trim_head(
    blocks: list[Block], title: str | None, subtitle: str | None, author: str | None, page: Page
) -> tuple[list[Block], list[str]]:
    """Move the header trafilatura keeps above the body out of the text.

    Drops the leading blocks that repeat the title (or an <h1>), short chrome lines above it,
    date lines, bylines and the author's name, up to the first real paragraph; the subtitle
    stays but the scan goes on past it. Returns the blocks left and the dropped header lines
    (where a written date is looked for).
    """
    heads = {norm(t) for t in (title, *page.h1[:2], page.first("og:title")) if t}
    sub, who = norm(subtitle), norm(author)
    i = headline_index(blocks, heads) + 1
    header = [b.text for b in blocks[:i]]
    kept: list[Block] = []
    limit = min(len(blocks), i + 8)
    while i < limit:
        b = blocks[i]
        n = norm(b.text)
        if is_header_line(b.text, n, heads, who):
            header.append(b.text)
        elif sub and not kept and (n == sub or (len(n) > 30 and n in sub)):
            kept.append(b)  # the subtitle stays; the header may go on below it
        else:
            break
        i += 1
    return kept + blocks[i:], header


def headline_index(blocks: list[Block], heads: set[str]) -> int:
    """The index of the block among the first six that repeats the headline, when the blocks above
    it are short lines (breadcrumbs, a menu) that go with it; else -1."""
    for j, b in enumerate(blocks[:6]):
        if norm(b.text) in heads:
            if all(words(x.text) <= 6 and not _SENTENCE_END.search(x.text) for x in blocks[:j]):
                return j
            break
    return -1


def is_header_line(text: str, n: str, heads: set[str], who: str) -> bool:
    """A header line: the headline again (or its start), or a short byline, date line or author's
    name. ``n`` is ``norm(text)``, ``heads`` the normalised headlines, ``who`` the normalised author."""
    if n in heads or any(len(h) > 15 and n.startswith(h) and words(text) < 40 for h in heads):
        return True
    if words(text) > 12:
        return False
    if byline_start().match(text) or is_date_line(text):
        return True
    return bool(who) and (n == who or norm(clean_author(text)) == who)


def is_date_line(text: str) -> bool:
    """A line that is a date, perhaps with a weekday, a time or "Updated" around it."""
    if len(text) > 120 or not _DIGIT.search(text):
        return False
    from archive.lang.dates import parse_date  # its patterns cost tens of ms to compile: on first use

    return bool(parse_date(text))


def with_standfirst(blocks: list[Block], subtitle: str | None) -> list[Block]:
    """The subtitle opens the text (the standfirst belongs to the article), unless it is there."""
    if subtitle and blocks and norm(subtitle) not in {norm(b.text) for b in blocks[:4]}:
        blocks.insert(0, Block(subtitle, "p"))
    return blocks


# -- "Tags:" lines ---------------------------------------------------------------------------------


@functools.cache
def _tag_line() -> re.Pattern[str]:
    """ "Tags: a, b, c" lines, wherever they stand."""
    return re.compile(
        r"^\W*(?:tags?|topics?|filed under|categor(?:y|ies)|keywords|related topics|mots[- ]clés|th[eè]mes?|"
        r"etiquetas|temas|schlagw[oö]rter|argomenti|الوسوم|وسوم|الكلمات المفتاحية|كلمات مفتاحية|كلمات دلالية|"
        r"برچسب‌?ها|کلیدواژه‌?ها)\s*[:：]",
        re.IGNORECASE,
    )


def drop_tag_lines(blocks: list[Block]) -> list[Block]:
    """The blocks without "Tags: ..." lines (of 40 words at most)."""
    return [b for b in blocks if not (_tag_line().match(b.text) and words(b.text) <= 40)]


# -- the tail ------------------------------------------------------------------------------------------

# labels that open a "more stories / related / comments / share" section after the article
_TAIL_LABELS = [
    # English
    r"related(?: \w+){0,3}",
    r"(?:more|other|latest|top|recent|popular|trending|recommended|featured|partner|sponsored|editor'?s?|"
    r"similar)(?: \w+){0,2} (?:stories|news|articles|posts|columns|videos|headlines|reads|reading|content|"
    r"links|galleries|slide ?shows|picks|coverage)",
    r"more (?:from|on|in|about)(?: [\w'.&-]+){1,5}",
    r"you (?:may|might|could|will) (?:also )?(?:like|enjoy|be interested in)",
    r"(?:also|further) read(?:ing)?", r"read (?:more|also|next)", r"see also", r"what to read next",
    r"most (?:read|popular|viewed|shared|commented)(?: \w+){0,2}", r"(?:\d+ )?comments?(?: \(\d+\))?",
    r"(?:leave|post|add|write) a (?:comment|reply)", r"loading comments",
    r"join the (?:discussion|conversation)",
    r"share (?:this|on)(?: \w+){0,2}", r"share|tweet|email|print", r"follow us(?: on)?(?: \w+){0,2}",
    r"tags?", r"topics?", r"filed under", r"newsletter", r"sign up(?: \w+){0,4}",
    # French, Spanish, Italian, Portuguese, German
    r"(?:à|a) lire aussi", r"lire aussi", r"sur le même sujet", r"voir aussi", r"leer (?:más|también)",
    r"(?:noticias|artículos) relacionad[oa]s", r"te puede interesar", r"leggi anche", r"articoli correlati",
    r"leia (?:mais|também)", r"mehr zum thema", r"das könnte sie auch interessieren", r"weitere artikel",
    # Arabic
    r"(?:اقرأ|إقرأ|اقرا) (?:أيضا|أيضاً|ايضا|ايضاً|المزيد)",
    r"(?:مواضيع|أخبار|اخبار|مقالات|موضوعات) (?:ذات صلة|متعلقة|مشابهة|قد تهمك)", r"ذات صلة",
    r"(?:الأكثر|الاكثر) (?:قراءة|مشاهدة|تداولا|تداولاً)", r"شارك(?: هذا| هذه)?(?: الخبر| المقال| المقالة)?",
    r"(?:ال)?تعليقات", r"(?:أضف|اضف|اكتب) تعليق(?:ك|ا|اً)?", r"مواضيع ساخنة(?: \w+)?",
    r"المزيد من(?: \w+){0,3}",
    r"(?:ال)?كلمات (?:ال)?مفتاحية", r"الوسوم", r"تابعونا(?: على)?(?: \w+)?", r"تابعنا(?: على)?(?: \w+)?",
    r"قد يعجبك أيضا", r"شاهد أيضا",
    # Persian
    r"(?:مطالب|اخبار|خبرهای) مرتبط", r"بیشتر بخوانید", r"(?:ثبت )?نظرات?", r"برچسب ?ها", r"برچسب‌ها",
]


@functools.cache
def _tail_label() -> re.Pattern[str]:
    return re.compile(r"^\W*(?:" + "|".join(_TAIL_LABELS) + r")\W*$", re.IGNORECASE)


@functools.cache
def _tail_junk() -> re.Pattern[str]:
    """Short lines that are widgets wherever they stand at the end: share buttons, counters, arrows."""
    return re.compile(
        r"^\W*(?:\d[\d,.\s]*|share|tweet|email|e-mail|print|facebook|twitter|whatsapp|telegram|linkedin|"
        r"previous|next|close|fullscreen|thumbnails|\d+ of \d+|advertisement|ad|top|back to top|"
        r"شارك|طباعة|تويتر|فيسبوك|واتساب|إعلان|اعلان)\W*$",
        re.IGNORECASE,
    )


# a comment section's house rules: "comments" (the noun, plural) beside moderation words
@functools.cache
def _comment_word() -> re.Pattern[str]:
    return re.compile(
        r"\bcomments\b|\bcommenting\b|commentaires|comentarios|kommentare|التعليقات|تعليقات|نظرات", re.IGNORECASE
    )


@functools.cache
def _policy_word() -> re.Pattern[str]:
    return re.compile(
        r"guidelines|moderat|do(?:es)? not (?:necessarily )?(?:reflect|represent)|terms of (?:use|service)|"
        r"charte|modération|إرشادات|لا تعبر|لا تمثل|لا يعبر|مراجعة",
        re.IGNORECASE,
    )


def is_tail_label(text: str) -> bool:
    """A short label that opens a related/comments/share section ("Related stories", "اقرأ أيضا")."""
    return words(text) <= 8 and bool(_tail_label().match(text))


def is_comment_policy(text: str) -> bool:
    """A comment section's house rules."""
    return words(text) <= 80 and bool(_comment_word().search(text)) and bool(_policy_word().search(text))


def trim_tail(blocks: list[Block]) -> list[Block]:
    """Cut a trailing related/comments/share section at its label (past 40% of the text) or at a
    comment section's house rules (past 70%), then drop trailing widget lines."""
    total = sum(len(b.text) for b in blocks)
    seen = 0
    for i, b in enumerate(blocks):
        if (seen >= 0.4 * total and is_tail_label(b.text)) or (seen >= 0.7 * total and is_comment_policy(b.text)):
            blocks = blocks[:i]
            break
        seen += len(b.text)
    while blocks and _tail_junk().match(blocks[-1].text):
        blocks = blocks[:-1]
    return blocks


def dedup(blocks: list[Block]) -> list[Block]:
    """Drop a block that repeats the one before it (a caption or pull quote shown twice).

    Repeats further apart stay: interviews repeat their questions, lists their labels.
    """
    out: list[Block] = []
    for b in blocks:
        if not out or norm(out[-1].text) != norm(b.text):
            out.append(b)
    return out
