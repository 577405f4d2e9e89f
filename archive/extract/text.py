"""Find the article in a plain-text dump of a web page and drop the site chrome around it.

Input is what a text browser (``w3m -dump``), a copy-paste or a "save as text" gives: the
article's paragraphs, one a line, between menus, breadcrumbs, tickers, related headlines,
share and comment widgets and footers. The classifier works on lines, in three steps:

1. **Score every line** with a few features: its length and sentence punctuation (Latin
   ``. ! ?``, Arabic ``؟ ، ؛``, CJK ``。``), bullets and w3m's link/image markers (``•``,
   ``□``, ``[...]``), site-chrome vocabulary in Arabic, Persian, English and a few other
   languages (share labels, comment forms, "related articles", copyright notices...), lines
   in another script than the body, lines repeated inside the document, and lines the archive
   has already seen repeated across other documents of the same site (``repeated``, learned
   by the store from :func:`line_keys`). Prose scores about its length; chrome scores below
   zero, and each further navigation-like line of a gap costs more than the one before.
2. **Take the densest contiguous region**: the maximum-sum run of line scores (boilerpipe /
   jusText ideas applied to lines). Chrome gathers at the top and bottom; short lines between
   body paragraphs (headings such as "1. China:", a quote in another language) stay inside it.
   A comment section's header or form is a barrier the region never crosses; paragraphs just
   beyond a share bar or an image block (three of them, no end-of-article label in between)
   join it. Lines of the region that are clearly chrome are dropped, and so are lines in
   another script at its edges.
3. **Read the header** above the region: the title is the best heading-like line shortly
   before the body (a date line or a byline after it helps); a second heading line right after
   it is the subtitle; the date (:mod:`archive.dates`), the byline and a breadcrumb are looked
   for around it.

Plain string work and a handful of compiled regular expressions: a few milliseconds a page.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from archive.lang.dates import find_date, parse_date
from archive.model import Block, Extraction

__all__ = ["extract_text", "line_keys", "normalize_line"]

# -- normalisation -----------------------------------------------------------------------------

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\ufeff]")
# folded letters (alef, yeh, kaf, teh marbuta variants) and quotes; str.replace is faster than a
# translate table for non-ASCII text
_FOLD = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ی", "ي"), ("ک", "ك"), ("ة", "ه"),
         ("ؤ", "و"), ("ئ", "ي"), ("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
         ("«", '"'), ("»", '"'))
_DIGIT = re.compile(r"\d")
# bullets and list glyphs a text browser or a copy-paste puts before list items
_BULLET_CHARS = "•□■▪▫◦●○◆◇►▶▸‣⁃∙·*-–—"
_GLYPH = re.compile(rf"^[{re.escape(_BULLET_CHARS)}](?:\s+|$)")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
_EDGE_CHARS = _BULLET_CHARS + " \t|:>›»#"
_ANY_MARKER = re.compile(r"\[[^\[\]]{0,60}\]")
_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&[a-z]+;")


def normalize_line(s: str) -> str:
    """The key under which a line is compared across documents of one site.

    NFKC, casefolded, Arabic diacritics and tatweel removed, alef/yeh/teh-marbuta variants
    folded, every digit turned into 0 (so "© 2020" and "© 2021" are one line), w3m's bracketed
    markers, bullets and edge punctuation stripped, whitespace collapsed.
    """
    if "[" in s:
        s = _ANY_MARKER.sub(" ", s)
    if "<" in s:
        s = _HTML.sub(" ", s)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
        s = _MARKS.sub("", s)
        for a, b in _FOLD:
            if a in s:
                s = s.replace(a, b)
    s = " ".join(s.casefold().split())
    if _DIGIT.search(s):
        s = _DIGIT.sub("0", s)
    return s.strip(_EDGE_CHARS)


def line_keys(text: str, *, max_len: int = 200) -> set[str]:
    """The normalised lines of a document worth remembering to learn a site's chrome.

    The store counts these keys over the documents of a site; keys seen in several documents
    come back as ``repeated`` for :func:`extract_text`. Only lines shorter than ``max_len``
    characters count: chrome is short, and long paragraphs are the article's own.
    """
    keys = set()
    for raw in text.splitlines():
        s = raw.strip()
        if 2 <= len(s) < max_len:
            k = normalize_line(s)
            if k and any(c.isalpha() for c in k):
                keys.add(k)
    return keys


# -- site-chrome vocabulary ---------------------------------------------------------------------
# General vocabulary of site furniture in several languages, not strings of any particular site.
# Labels are compared with a whole (normalised) line; phrases are looked for inside short lines.


def _vocab(words: str) -> set[str]:
    return {normalize_line(w) for w in words.replace("\n", "").split("|") if w.strip()}


# labels of a comment section: what follows them is the readers', not the article
_COMMENT_LABELS = _vocab("""
comments|reader comments|show comments|view comments|load comments|leave a comment|leave a reply
|post a comment|add a comment|write a comment|join the discussion|join the conversation|discussion
|commentaires|réagir|comentarios|comentários|kommentare|commenti|reacties|komentar|комментарии|コメント
|التعليقات|تعليقات|اترك تعليقا|اترك تعليقك|اترك ردا|اضف تعليق|اضف تعليقا|اكتب تعليق|تعليقات القراء|نظرات
|نظر شما|ارسال نظر
""")
# labels of what follows an article: related and popular lists, tags, footers
_END_LABELS = _vocab("""
related|related articles|related posts|related stories|related coverage|related content|related topics
|related links|recommended|recommended for you|recommended stories|trending|trending now
|trending stories|most popular|most read|most viewed|most shared|popular|popular posts|popular stories
|recent posts|latest|latest news|latest stories|you may also like|you might also like|more from
|more stories|more news|more like this|read next|up next|what's next|tags|topics|categories|filed under
|newsletter|newsletters|sign up for our newsletter|privacy policy|terms of service|terms of use
|cookie policy|contact us|about us|advertise with us|careers|sitemap|site map|all rights reserved
|sur le même sujet|à lire aussi|lire aussi|les plus lus|relacionadas|noticias relacionadas
|te puede interesar|lo más leído|más leídas|relacionadas|leia também|mehr zum thema|meistgelesen
|meistkommentiert|das könnte sie auch interessieren|leggi anche|articoli correlati|gerelateerd|baca juga
|berita terkait|artikel terkait|читайте также|похожие статьи|相关新闻|相关阅读|関連記事
|مقالات ذات صلة|اخبار ذات صلة
|مواضيع ذات صلة|موضوعات ذات صلة|روابط ذات صلة|ذات صلة|الموضوعات المتعلقة|مواضيع ذات علاقة|اخبار متعلقة
|مقالات متعلقة|مواضيع متعلقة|الاكثر قراءة|الاكثر مشاهدة|الاكثر تصفحا|الاكثر تداولا|الاكثر تعليقا
|الاكثر شعبية|اقرا ايضا|اقرا المزيد|شاهد ايضا|قد يعجبك ايضا|قد يهمك ايضا|قد يعجبك|ننصحك بقراءة
|الكلمات الدالة|الكلمات المفتاحية|كلمات مفتاحية|الوسوم|وسوم|العلامات|اخر الاخبار|احدث الاخبار
|النشرة البريدية|اشترك في النشرة البريدية|سياسة الخصوصية|شروط الاستخدام|اتصل بنا|من نحن|اعلن معنا
|ترشيحاتنا|مختارات|المزيد من الاخبار|اخبار اخرى|مواضيع ساخنة اخرى|نظرات|نظر شما|ارسال نظر|مطالب مرتبط
|اخبار مرتبط|برچسب ها|پربازدیدترین|پربحث ترین|اخرین اخبار|تماس با ما|درباره ما
""")
# phrases of comment forms and sections
_COMMENT_PHRASES = sorted(_vocab("""
your email address will not be published|required fields are marked|comments powered by
|sign in to comment|sign in to post a comment|log in to comment|to post a comment|comments are closed
|لن يتم نشر عنوان بريدك|الحقول الالزامية|تم اضافة تعليقك|لا توجد تعليقات
"""), key=len, reverse=True)
_COMMENT_PHRASE = re.compile("|".join(re.escape(p) for p in _COMMENT_PHRASES))
# a line starting with one of these and a colon is a list of tags or topics
_TAG_PREFIX = re.compile(
    r"^(?:tags?|topics?|keywords?|filed under|in this article|categories|category|related topics|mots[- ]clés"
    r"|etiquetas|temas|schlagworte|schlagwörter|themen|tag|argomenti|الكلمات الدالة|الكلمات المفتاحية|الوسوم"
    r"|وسوم|كلمات مفتاحية|برچسب ها|برچسب‌ها|کلید واژه ها)\s*:",
    re.I,
)
# widget labels: share bars, navigation and media controls
_WIDGET_LABELS = _vocab("""
share|shares|share this|share this article|share this story|share this page|share article|share on|tweet
|email|e-mail|mail|print|save|reply|like|follow|follow us|subscribe|sign in|sign up|log in|login|log out
|logout|register|menu|search|close|home|more|next|previous|prev|back|top|back to top|go to top
|scroll to top|skip to content|skip to main content|read more|continue reading|see more|show more
|load more|view more|view all|see all|advertisement|advertising|ad|ads|sponsored|sponsored content|rss
|facebook|twitter|x|instagram|youtube|linkedin|pinterest|whatsapp|reddit|google+|tumblr|flipboard
|telegram|messenger|print article|resize text|loading|full screen|autoplay|replay|play|pause|skip ad
|toggle navigation|navigation|main menu|breadcrumb|you are here|copy link|copied|read later|bookmark
|listen|photo|photos|video|videos|image|gallery|caption|credit|source|partager|imprimer|accueil
|rechercher|publicité|compartir|imprimir|inicio|buscar|publicidad|compartilhar|compartilhe|teilen
|drucken|startseite|suche|anzeige|werbung|condividi|stampa|pubblicità|delen|bagikan|iklan|поделиться
|реклама|分享|シェア|ツイート|مشاركة|شارك|شارك الخبر|شارك هذا الخبر|مشاركة الخبر|شارك المقال|اغلاق|المزيد
|اظهر المزيد|عرض المزيد|طباعة|ارسال|بحث|الرئيسية|الصفحة الرئيسية|اعلان|اعلانات|فيديو|صور|الصورة|المصدر
|تابعونا|تابعنا|تابعونا على|القائمة|نسخ الرابط|زر الذهاب الي الاعلي|العودة الي الاعلي
|الرجوع الي اعلي الصفحة|اعلي|تسجيل الدخول|اشترك|اشترك الان|اشتراک گذاری|صفحه اصلی|جستجو|بازگشت به بالا
|چاپ|تبلیغات
""")
# phrases that make a short line chrome wherever they stand in it
_PHRASES = sorted(_vocab("""
rights reserved|copyright|your email address will not be published|required fields are marked
|leave a comment|leave a reply|post a comment|add a comment|comments are closed|sign in to comment
|sign in to post|log in to comment|to post a comment|comment policy|community guidelines
|sign up for our newsletter|subscribe to our newsletter|sign up for|subscribe to|enable javascript
|javascript is disabled|we use cookies|uses cookies|use of cookies|accept cookies|cookie policy
|cookie settings|privacy policy|terms of service|terms of use|terms and conditions|share on facebook
|share on twitter|share via email|share to facebook|share to twitter|follow us on|click here|back to top
|skip to content|comments powered by|by clicking|you agree to|read more|view comments|more stories
|related articles|related stories|most popular|most read|sponsored by|droits réservés
|derechos reservados|rechte vorbehalten|diritti riservati|lire la suite|leer más|leia mais|weiterlesen
|leggi tutto|listen to this|text size|font size
|الحقوق محفوظة|حقوق النشر|حقوق الطبع|لن يتم نشر عنوان بريدك|الحقول الالزامية|اترك تعليقا
|اترك ردا|اضف تعليق|تعليقات القراء|التعليقات المنشورة|نشر التعليقات|لا تعبر عن راي|تعبر عن راي
|تعبر عن وجهة نظر|سياسة الخصوصية|شروط الاستخدام|ملفات تعريف الارتباط|تم التصميم والتطوير|تصميم وتطوير
|تم اضافة تعليقك|اقرا ايضا|اقرا المزيد|مقالات ذات صلة|اخبار ذات صلة|تابعوا اخبار|غوغل نيوز|جوجل نيوز
|اضغط هنا|تمامي حقوق|كليه حقوق|محفوظ است|نظر شما|مطالب مرتبط|main article|see also|مراجعة التعليقات
|ارشادات الاستخدام|شروط استخدام الموقع
"""), key=len, reverse=True)
_PHRASE = re.compile("|".join(re.escape(p) for p in _PHRASES))
# phrases that make even a long line chrome: comment forms, copyright and cookie notices, disclaimers
_STRONG_LIST = sorted(_vocab("""
rights reserved|subject to copyright|your email address will not be published|required fields are marked
|comments powered by|enable javascript|javascript is disabled|we use cookies|this site uses cookies
|this website uses cookies|sign in to post a comment|sign in to comment|droits réservés
|derechos reservados|rechte vorbehalten|diritti riservati|الحقوق محفوظة|لن يتم نشر عنوان بريدك
|الحقول الالزامية|تم التصميم والتطوير|تعبر عن راي|تعبر عن وجهة نظر|التعليقات المنشورة|نشر التعليقات
|تمامي حقوق|كليه حقوق|محفوظ است
"""), key=len, reverse=True)
_STRONG = re.compile("|".join(re.escape(p) for p in _STRONG_LIST))
_WORD = re.compile(r"\w+")
# the longest word of every phrase: a line without any of them cannot hold a phrase
_TRIGGERS = {max(_WORD.findall(p), key=len) for p in _PHRASES + _STRONG_LIST + _COMMENT_PHRASES}

# chrome levels
_NONE, _WEAK, _WIDGET, _END, _COMMENTS = 0, 1, 2, 3, 4

# -- line features ------------------------------------------------------------------------------

# sentence ends; an ellipsis ("…", "...") ends a truncated teaser rather than a sentence
_SENT_END = re.compile(r"(?:[!?؟]|(?<!\.)\.(?!\.))[\"'”’»)\]]*(?=\s|$)|[。！？]")
_CLAUSE = re.compile(r"[,،;؛](?=\s)|[、，；]")
_END_CHARS = set("!?؟。！？:؛;.")
_CLOSERS = "\"'”’»)]"


_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
_URL = re.compile(r"https?://\S+|www\.\S+")
_RULE = re.compile(r"^[\s━─—_=*~#.\-•·]+$")
# w3m markers: [image alt], [    ] form fields, [Submit]; not "[T]he" or a quote's "[gastrointestinal]"
_MARKER = re.compile(r"(?<!\w)\[[^\[\]]{0,60}\](?!\w)|\[(?:edit|update|citation needed|\d{1,3})\]")
_MARKER_KEEP = re.compile(r"[^\W\d_]+(?:[ .,'’-]+[^\W\d_]+)*")
_CAMEL = re.compile(r"[a-z][A-Z]")
_CREDIT = re.compile(  # on normalised keys: casefolded, Arabic letters folded
    r"(?:credit|credits|photo|image|source|foto|bild|photograph|الصوره|المصدر)\s*:|\((?:photo|image|foto|bild)\b"
    r"|/\s*(?:getty|afp|reuters|ap|epa)\b|getty images|shutterstock"
)
_CREDIT_HINT = re.compile(r"[:(/]|getty|shutterstock")
_CODE = re.compile(r"[{}\[\]();=<>]")
_YEARISH = re.compile(r"\d\d\d\d|\d[./-]\d")

_BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|story|words|text|texto|texte|testo)\s+)?"
    r"(?:by|par|por|von|di|door|oleh|автор|текст)\s*[:\-]?\s+(?P<name>\S.*)$"
    r"|^(?:كتب|كتبت|كتبه|بقلم|اعداد|إعداد|تقرير|نویسنده|گزارش)\s*[:\-]?\s*(?P<aname>\S.*)$",
    re.I,
)
_BYLINE_START = re.compile(
    r"^(?:written|posted|reported|story|words|text|texto|texte|testo|by|par|por|von|di|door|oleh|автор|текст"
    r"|كتب|كتبت|كتبه|بقلم|اعداد|إعداد|تقرير|نویسنده|گزارش)\b",
    re.I,
)
_NAME_CUT = re.compile(
    r"\s*(?:,|;|\||·|•|@|\s-\s|\s–\s|\s—\s|\sand\s|\set\s|\sy\s|\sund\s|\se\s|\son\s|\d|\(|\bupdated\b"
    r"|\bpublished\b|\bposted\b|\bfor\b|\bin\b"
    r"|\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d).*$",
    re.I,
)
_BREADCRUMB_SEP = re.compile(r"\s*(?:›|>|\||\[arrow[^\]]*\]|→)\s*|\s+[/»]\s+", re.I)


@dataclass(slots=True)
class _Line:
    """One non-blank input line and its features."""

    text: str  # cleaned text: stripped, bullet glyph and w3m markers removed
    key: str  # normalize_line() of the input line: what ``repeated`` and line_keys() hold
    length: int  # effective length (CJK characters count double)
    bullet: bool  # starts with a bullet glyph or a list number
    numbered: bool  # "1." / "2)" list item
    marker_only: bool  # nothing but w3m markers, rules, a URL or markup
    sents: int  # sentence ends inside
    clauses: int  # commas, semicolons...
    ends: bool  # ends like a sentence
    script: str  # "arabic", "latin", "cjk" or "" (no letters)
    chrome: int  # _NONE, _WEAK (a phrase in a long line), _WIDGET, _END, _COMMENTS
    repeated: bool  # learned across documents of the site
    date: str | None  # a date line: the date
    byline: str | None  # a byline: the name
    echo: bool  # the line repeats itself ("Title Title"): a link glued to its image's alt text
    code: bool  # looks like code or data
    caption: bool  # a photo caption with its credit ("... Credit: Reuters")
    dup: int = 1  # occurrences of the same key in the document
    twin: bool = False  # the same as the line before or after it: alt text and caption, title twice


def _ends_like_sentence(text: str) -> bool:
    """Ends with a full stop, a question or exclamation mark or a colon (not an ellipsis)."""
    t = text.rstrip(_CLOSERS)
    return bool(t) and t[-1] in _END_CHARS and not t.endswith("..")


def _script(text: str) -> str:
    """The script of most of a line's letters: "arabic", "latin", "cjk", or "" for none."""
    if text.isascii():
        return "latin" if _LATIN.search(text) else ""
    text = text[:300]
    has_ar, has_la, has_cj = bool(_ARABIC.search(text)), bool(_LATIN.search(text)), bool(_CJK.search(text))
    if has_ar + has_la + has_cj <= 1:  # one script only: no need to count
        return "arabic" if has_ar else ("latin" if has_la else ("cjk" if has_cj else ""))
    counts = (len(_ARABIC.findall(text)), len(_LATIN.findall(text)), len(_CJK.findall(text)))
    best = max(counts)
    if best == 0:
        return ""
    return ("arabic", "latin", "cjk")[counts.index(best)]


def _echo(text: str) -> bool:
    """True for "A headline A headline" and its triple: a link glued to its image's alt text."""
    if len(text) > 400:
        return False
    words = text.split()
    n = len(words)
    if n < 4:
        return False
    return any(n % k == 0 and words[: n // k] * k == words for k in (2, 3))


def _byline_name(s: str) -> str | None:
    """The name in a byline ("By Jane Doe, Reuters" -> "Jane Doe", "كتبت أسماء نصار" -> "أسماء نصار")."""
    m = _BYLINE.match(s)
    if not m:
        return None
    name = (m.group("name") or m.group("aname") or "").strip()
    name = _NAME_CUT.sub("", name).strip(" :-–—,")
    words = name.split()
    if not (1 <= len(words) <= 6) or not any(c.isalpha() for c in name):
        return None
    # "by clicking", "by the way": a Latin name starts with a capital
    if _LATIN.match(name) and not name[0].isupper():
        return None
    return name


def _chrome(key: str, length: int, raw: str) -> int:
    """The chrome level of a line from its key: a comment-section, end-of-article or widget label,
    a tag list, or chrome phrases (comment forms, copyright and cookie notices...)."""
    label = key.rstrip(": ")
    if label in _COMMENT_LABELS:
        return _COMMENTS
    if label in _END_LABELS:
        return _END
    if label in _WIDGET_LABELS:
        return _WIDGET
    if "0" in label:  # "Comments (12)", "Share 17" (digits are 0 in keys)
        bare = label.replace("0", "").strip(" ()[]")
        if bare in _COMMENT_LABELS:
            return _COMMENTS
        if bare in _END_LABELS:
            return _END
        if bare in _WIDGET_LABELS:
            return _WIDGET
    if length >= 1000:
        return _NONE
    if ":" in key and _TAG_PREFIX.match(key):
        return _END
    if _TRIGGERS.isdisjoint(_WORD.findall(key)):  # cheap test before the long alternations
        if length < 250 and ("©" in raw or "(c)" in key):
            return _END
        return _NONE
    if _COMMENT_PHRASE.search(key):
        return _COMMENTS
    if _STRONG.search(key):
        return _END
    if length >= 300:
        return _NONE
    hits = _PHRASE.findall(key)
    if hits:
        return _WIDGET if (length < 120 or len(hits) >= 2) else _WEAK
    return _NONE


def _strip_markers(text: str) -> str:
    """Remove w3m's bracketed image/link/form markers, keeping editorial brackets inside sentences."""
    def repl(m: re.Match[str]) -> str:
        inner = m.group()[1:-1]
        inside = m.start() > 0 and m.end() < len(text)
        if inside and _MARKER_KEEP.fullmatch(inner) and not _CAMEL.search(inner):
            return m.group()  # "[gastrointestinal]" in the middle of a sentence
        if inside and inner.isdigit() and text[m.start() - 1].isspace():
            return m.group()  # "Basville [1775]": a number set apart, not a reference glued to a word
        return " "
    return _MARKER.sub(repl, text)


def _features(s: str, repeated: Collection[str]) -> _Line:
    """The features of one stripped, non-blank line."""
    bullet = False
    numbered = False
    text = s
    if "[" in text:
        text = _strip_markers(text)
    m = _GLYPH.match(text.lstrip())
    if m:
        bullet = True
        text = text.lstrip()[m.end():]
    else:
        m = _NUMBERED.match(text.lstrip())
        if m:
            bullet = numbered = True
    if "<" in text and len(_HTML.findall(text)) >= 2:  # markup left in the dump: keep its text only
        text = _HTML.sub(" ", text)
    if "  " in text or text != text.strip():
        text = " ".join(text.split())
    key = normalize_line(s)
    bare = _URL.sub("", text) if ("://" in text or "www." in text) else text
    marker_only = not _LETTER.search(bare) or bool(_RULE.match(text))
    cjk = len(_CJK.findall(text)) if not text.isascii() and _CJK.search(text) else 0
    length = len(text) + cjk
    date = parse_date(text) if length <= 120 and _YEARISH.search(text) else None
    byline = _byline_name(text) if length <= 120 and _BYLINE_START.match(text) else None
    sents = len(_SENT_END.findall(text[m.end():] if numbered and m else text))  # not "1." of a list
    return _Line(
        text=text, key=key, length=length, bullet=bullet, numbered=numbered, marker_only=marker_only,
        sents=sents, clauses=len(_CLAUSE.findall(text)), ends=_ends_like_sentence(text),
        script=_script(text), chrome=_chrome(key, length, s) if key else _NONE,
        repeated=bool(key) and key in repeated, date=date, byline=byline, echo=_echo(text),
        code=length < 80 and bool(_CODE.search(text)),
        caption=30 <= length < 800 and _CREDIT_HINT.search(key) is not None and bool(_CREDIT.search(key)),
    )


def _wrap_width(lens: list[int]) -> int:
    """The column at which a text browser or a hard wrap broke the lines, or 0.

    w3m breaks lines longer than about 1023 characters; ``w3m -dump`` at its default 80 columns,
    ``fmt`` and e-mail clients break at a fixed width. A width is the longest length that at
    least three lines share (within 10 columns), at least three of them followed by a non-blank line.
    """
    if max(lens, default=0) >= 1000:
        return max(lens)
    srt = sorted((n for n in lens if n >= 60), reverse=True)
    for k in range(len(srt) - 2):
        if srt[k] - srt[k + 2] <= 10:
            width = srt[k]
            followed = sum(1 for i, n in enumerate(lens[:-1]) if width - 10 <= n <= width and lens[i + 1])
            return width if followed >= 3 else 0
    return 0


def _unwrap(lines: list[str]) -> list[str]:
    """Join lines a text browser or a hard wrap broke inside a paragraph.

    A line is joined to the next when it reaches the wrap width and the next line's first word
    would not have fitted on it (and the next line is not a list item, and not a new sentence
    starting after a full stop).
    """
    lens = [len(x.rstrip()) for x in lines]
    width = _wrap_width(lens)
    if not width:
        return lines
    slack = 12 if width >= 1000 else 2
    out: list[str] = []
    i = 0
    while i < len(lines):
        cur = lines[i].rstrip()
        while i + 1 < len(lines) and lens[i] >= 0.6 * width:
            nxt = lines[i + 1].strip()
            if not nxt or _GLYPH.match(nxt) or _NUMBERED.match(nxt) or not _LETTER.search(lines[i]) \
                    or _RULE.match(lines[i]):
                break
            if lens[i] + 1 + len(nxt.split(None, 1)[0]) <= width - slack:
                break
            if lines[i].rstrip().endswith((".", "!", "?")) and nxt[0].isupper():
                break
            cur = cur + " " + nxt
            i += 1
        out.append(cur)
        i += 1
    return out


def _mark_copies(lines: list[_Line]) -> None:
    """Very long lines that repeat other lines of the page (a flattened copy of the article in
    structured data, a print version) are not the article: mark them as markup."""
    giants = [ln for ln in lines if ln.length >= 1000]
    if not giants:
        return
    probes = [ln.text for ln in lines if 80 <= ln.length < 1000][:200]
    for g in giants:
        found = 0
        for p in probes:
            if p in g.text:
                found += 1
                if found >= 2:
                    g.marker_only = True
                    break


# -- scoring --------------------------------------------------------------------------------------

_CHROME_VALUE = {_COMMENTS: -300.0, _END: -300.0, _WIDGET: -50.0}


def _value(ln: _Line, body_scripts: Collection[str]) -> float:
    """A line's contribution to the body region: about its length for prose, negative for chrome.

    ``body_scripts``: the script(s) of the article's prose; a short line in another is chrome."""
    if ln.chrome >= _WIDGET:
        return _CHROME_VALUE[ln.chrome]
    if ln.repeated:
        return -120.0
    if ln.marker_only:
        return -6.0
    n = ln.length
    punct = ln.sents + ln.clauses
    if n >= 80 and (ln.sents or punct >= 2):
        v = float(n)
    elif n >= 80 and punct:
        v = 0.7 * n - 20
    elif n >= 80:
        v = -10.0  # long without any punctuation: a ticker, a run of glued links
    elif n >= 30 and ln.sents:
        v = n - 25.0
    else:
        v = -8.0
    if ln.chrome == _WEAK:
        v *= 0.5
    if ln.bullet and not ln.numbered:
        v = 0.5 * v - 12 if v > 0 else v - 10
    if ln.date or ln.byline:
        v = min(v, -4.0)
    if body_scripts and ln.script and ln.script not in body_scripts and n < 150:
        v = min(v, -25.0)
    if ln.echo:
        v = min(v, 0.0) - 30
    if ln.dup > 1 and 20 <= n < 150:
        v = min(v, 0.0) - 15
    elif ln.dup > 1 and n >= 150:
        v *= 0.5
    if ln.twin:
        v = min(v, 0.0) - 30
    if v > 0 and ln.caption:
        v *= 0.3  # a photo caption with its credit: kept inside the article, too weak to extend it
    if ln.text.count(" | ") + ln.text.count(" · ") >= 2 or _is_tag_list(ln.text):
        v = min(v, -20.0)
    return v


def _is_tag_list(text: str) -> bool:
    """"av, consoles, entertainment, gadgetry, gaming": many short comma-separated items, no sentence."""
    if text.count(",") + text.count("،") < 4 or len(text) > 400:
        return False
    if text.rstrip().endswith((".", "؟", "?", "!")):
        return False
    items = re.split(r"[,،]", text)
    return sum(len(x.split()) for x in items) / len(items) <= 2.5


def _linkish(ln: _Line) -> bool:
    """Lines that look like navigation: labels, bullets, markers, repeats, bare headlines."""
    if ln.code or ln.marker_only:  # images, bare links and rules sit inside articles too
        return False
    if ln.chrome or ln.echo or ln.repeated or (ln.dup > 1 and ln.length >= 20) or ln.dup > 2:
        return True
    if ln.bullet:
        return not ln.numbered
    return 25 <= ln.length <= 160 and not ln.sents and not ln.clauses and not ln.text.endswith(":")


def _penalise_gaps(lines: list[_Line], values: list[float]) -> None:
    """Make long gaps of navigation expensive: the k-th link-like line of a gap costs 6k more.

    One or two short lines between paragraphs (a heading, a caption) cost little; the twenty
    lines of a related-stories box or a footer menu cost enough that the body region does not
    reach across them to teasers or comments. Other short lines (code, a list of figures) do not
    lengthen the gap.
    """
    run = 0
    for i, v in enumerate(values):
        if v > 0:
            run = 0
        elif _linkish(lines[i]):
            run += 1
            values[i] = v - 6 * run


def _densest(values: list[float], barriers: Collection[int] = ()) -> tuple[int, int]:
    """The maximum-sum contiguous run (inclusive bounds) that crosses no barrier line.

    (0, -1) when nothing is positive.
    """
    best, best_a, best_b = 0.0, 0, -1
    cur, a = 0.0, 0
    for i, v in enumerate(values):
        if i in barriers:
            cur, a = 0.0, i + 1
            continue
        if cur <= 0:
            cur, a = v, i
        else:
            cur += v
        if cur > best:
            best, best_a, best_b = cur, a, i
    return best_a, best_b


_SIGNOFF = re.compile(r"^(?:[-–—]+\s*\(?[^\W\d_][^()]{0,25}\)?|\([^\W\d_][^()]{0,25}\))$")


def _is_signoff(ln: _Line) -> bool:
    """A short source or author tag closing an article: "--(بترا)", "(AP)", "— Reuters"."""
    return ln.length <= 30 and not ln.chrome and not ln.repeated and bool(_SIGNOFF.match(ln.text))


def _continuation(lines: list[_Line], values: list[float], start: int, step: int) -> tuple[int, int] | None:
    """A run of article paragraphs beyond a gap of widgets (a share bar, an image block, a table of
    contents), looked for from ``start`` in direction ``step``: within 30 lines, with no
    end-of-article or comment label in between, and holding three paragraphs (or two long ones).
    Returns its span, or None."""
    n = len(lines)
    i = start
    for _ in range(30):
        if not 0 <= i < n or lines[i].chrome >= _END:
            return None
        if values[i] >= 100 and not lines[i].caption:
            break
        i += step
    else:
        return None
    # the span: as far as the running sum keeps growing
    total = best = 0.0
    end = k = i
    while 0 <= k < n and lines[k].chrome < _END and total >= best - 200:
        total += values[k]
        if total > best:
            best, end = total, k
        k += step
    lo, hi = (i, end) if step > 0 else (end, i)
    paras = [values[k] for k in range(lo, hi + 1) if values[k] >= 100 and not lines[k].caption]
    if len(paras) >= 3 or (len(paras) == 2 and sum(paras) >= 500):
        return lo, hi
    return None


def _extend(lines: list[_Line], values: list[float], a: int, b: int) -> list[tuple[int, int]]:
    """The body region plus article paragraphs separated from it by a gap of widgets."""
    spans = [(a, b)]
    while (nxt := _continuation(lines, values, spans[-1][1] + 1, 1)) is not None:
        spans.append(nxt)
    while (prv := _continuation(lines, values, spans[0][0] - 1, -1)) is not None:
        spans.insert(0, prv)
    return spans


def _first_paragraph(lines: list[_Line], kept: list[int], values: list[float], a: int) -> int:
    """The first paragraph of the article: the first prose line followed closely by more prose
    (a lone teaser that the region swallowed at its top does not count)."""
    prose = [i for i in kept if values[i] >= 60 and not lines[i].caption]
    for p, q in zip(prose, prose[1:], strict=False):
        if q - p <= 4:
            return p
    return prose[0] if prose else (kept[0] if kept else a)


def _keep_inside(ln: _Line, value: float) -> bool:
    """Whether a line inside the body region belongs to the article."""
    if ln.chrome >= _WIDGET or ln.repeated or ln.marker_only:
        return False
    return value > -40


# -- header: title, subtitle, date, author, section -------------------------------------------------

def _heading_like(ln: _Line, body_script: str) -> bool:
    """Could be a title or subtitle: short, few sentences, the body's script, not a label, date,
    byline, list item or breadcrumb."""
    if ln.chrome or ln.repeated or ln.marker_only or ln.date or ln.byline or ln.bullet or ln.echo:
        return False
    n = ln.length
    if not (6 <= n <= 220) or ln.sents > 2:
        return False
    if body_script and ln.script and ln.script != body_script:
        return False
    if ln.text.endswith(("|", ">", "›")) or len(_BREADCRUMB_SEP.findall(ln.text)) >= 2:
        return False
    return len(ln.text.split()) >= 2 or n >= 12


_CAPTION = re.compile(
    r"\b(?:credits?|getty|reuters|afp|shutterstock|pictured|file photo)\b"
    r"|\b(?:photo|image|picture|illustration|caption|foto|bild)s?\s*:|\((?:photo|image|foto|bild)"
    r"|الصورة|صورة ارشيفية|أرشيفية|ارشيفية|عکس:",
    re.I,
)


def _vocabulary(lines: list[_Line], kept: list[int]) -> set[str]:
    """Words (and CJK character pairs) of the body's prose, to tell a title from other header lines."""
    words: set[str] = set()
    for i in kept[:80]:
        if lines[i].length < 60 or not (lines[i].sents or lines[i].clauses) or lines[i].caption:
            continue
        key = lines[i].key
        words.update(_WORD.findall(key))
        if lines[i].script == "cjk":
            words.update(key[j:j + 2] for j in range(len(key) - 1))
    return words


def _overlap(ln: _Line, vocab: set[str]) -> float:
    """Share of a line's words found in the body: high for a title, low for a menu or widget."""
    if not vocab:
        return 0.0
    if ln.script == "cjk":
        grams = [ln.key[j:j + 2] for j in range(len(ln.key) - 1)]
        return sum(g in vocab for g in grams) / len(grams) if grams else 0.0
    words = [w for w in _WORD.findall(ln.key) if len(w) >= 4 and not w.isdigit()]
    if not words:
        return 0.0
    hits = 0
    for w in words:
        # Arabic words take the article and conjunctions as prefixes: try without them
        if w in vocab or (len(w) > 4 and (w[2:] in vocab or w[1:] in vocab or "ال" + w in vocab)):
            hits += 1
    # a two-word label ("Create account") says less than a six-word headline
    return hits / len(words) * min(1.0, len(words) / 4)


def _title_score(lines: list[_Line], i: int, start: int, vocab: set[str]) -> float:
    """How much line ``i`` looks like the title of the article whose first paragraph is ``start``:
    words shared with the body, closeness, length, a date or byline after it, title case."""
    ln = lines[i]
    words = len(ln.text.split())
    overlap = _overlap(ln, vocab)
    if vocab and overlap == 0:
        return 0.0  # shares no word with the article: a menu item, a pager, a widget
    score = 2.5 * overlap - 0.02 * min(abs(start - i), 100)
    if 25 <= ln.length <= 110:
        score += 0.5
    elif ln.length < 15:
        score -= 1.0
    elif ln.length > 150:
        score -= 0.5
    if ln.text.endswith("."):
        score -= 0.7
    if _CAPTION.search(ln.text):
        score -= 1.5
    if "(" in ln.text:
        score -= 0.4
    if ln.dup > 1:
        score += 0.3
    # a caption repeating the title: "Title" then "Title and more words"
    for j in range(max(0, i - 4), i):
        if lines[j].length >= 20 and ln.key != lines[j].key and ln.key.startswith(lines[j].key):
            score -= 1.0
            break
    # a date line or a byline after it: the header of an article
    for j in range(i + 1, min(len(lines), i + 20, max(start, i + 5))):
        if lines[j].date or lines[j].byline:
            score += 1.5 - 0.25 * (j - i - 1) if j - i <= 4 else 0.6
            break
    if ln.script == "latin" and words >= 3:
        caps = sum(1 for w in ln.text.split() if w[:1].isupper())
        if caps / words >= 0.6:
            score += 0.4
    return score


def _title_index(lines: list[_Line], start: int, body_script: str, vocab: set[str],
                 window: int = 150) -> int | None:
    """The index of the title: the best heading-like line shortly before ``start`` (the first paragraph)."""
    best, best_score = None, 0.5
    for i in range(max(0, start - window), start + 1):
        ln = lines[i]
        if i == start and (ln.length >= 150 or ln.sents > 1 or ln.clauses > 1 or ln.text.endswith(".")):
            continue  # the first paragraph itself only when it is a heading ("Dress -- STOLEN!!!")
        if not _heading_like(ln, body_script):
            continue
        score = _title_score(lines, i, start, vocab)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    # two heading lines in a row: the first is the title, the second its subtitle
    if best > 0:
        prev = lines[best - 1]
        if (_heading_like(prev, body_script) and len(prev.text.split()) >= 3
                and prev.length <= lines[best].length and not prev.text.endswith((":", "."))
                and _overlap(prev, vocab) >= 0.2):
            return best - 1
    return best


def _read_header(ext: Extraction, lines: list[_Line], start: int, kept: list[int], body_script: str) -> int:
    """Fill title, subtitle, date, author and section from the lines around the first paragraph ``start``.

    Returns the index of the last header line (title or subtitle), or -1.
    """
    t = _title_index(lines, start, body_script, _vocabulary(lines, kept))
    last = -1
    if t is not None:
        ext.title = lines[t].text
        last = t
        nxt = t + 1
        if nxt < start and _heading_like(lines[nxt], body_script) and lines[nxt].key != lines[t].key \
                and lines[nxt].length >= 15 and not _CAPTION.search(lines[nxt].text):
            ext.subtitle = lines[nxt].text
            last = nxt
        ext.section = _section(lines, t)
    # the date: a date line near the title, else one in the header, else a byline's date
    ref = t if t is not None else start
    lo, hi = max(0, (t - 3) if t is not None else start - 30), min(len(lines), start + 3)
    cands = [i for i in range(lo, hi) if lines[i].date]
    if cands:
        ext.date = lines[min(cands, key=lambda i: abs(i - ref) + (0.5 if i < ref else 0))].date
    else:
        for i in range(lo, hi):
            ln = lines[i]
            if (ln.byline or (ln.length < 150 and i < start)) and _YEARISH.search(ln.text):
                d = find_date(ln.text)
                if d:
                    ext.date = d
                    break
    # the author: a byline between the title and a few lines into the body
    for i in range(max(0, t if t is not None else start - 15), min(len(lines), start + 3)):
        if lines[i].byline:
            ext.author = lines[i].byline
            break
    return last


def _section(lines: list[_Line], t: int) -> str | None:
    """A breadcrumb line shortly before the title ("Home › World › Africa"), as the section."""
    for i in range(t - 1, max(-1, t - 4), -1):
        ln = lines[i]
        if ln.length > 150:
            continue
        parts = [p.strip() for p in _BREADCRUMB_SEP.split(ln.text) if p.strip()]
        if 2 <= len(parts) <= 6 and all(len(p) <= 40 for p in parts):
            return " › ".join(parts)
    if t > 0:
        ln = lines[t - 1]
        if not (ln.bullet or ln.marker_only or ln.chrome or ln.date) and ln.length <= 40:
            return ln.text
    return None


# -- blocks ----------------------------------------------------------------------------------------

def _blocks(lines: list[_Line], kept: list[int]) -> list[Block]:
    """Blocks for the kept lines: headings ("h"), list items ("li") and paragraphs ("p")."""
    blocks = []
    for p, i in enumerate(kept):
        ln = lines[i]
        prev_long = p > 0 and lines[kept[p - 1]].length >= 80
        next_long = p + 1 < len(kept) and lines[kept[p + 1]].length >= 80
        short = (ln.length < 120 and ln.sents <= 1 and ln.clauses <= 1
                 and (not ln.ends or ln.text.endswith((":", "?", "؟"))))
        if short and (not ln.bullet or (prev_long and next_long)):
            kind = "h"
        elif ln.bullet:
            kind = "li"
        else:
            kind = "p"
        blocks.append(Block(text=ln.text, kind=kind))
    return blocks


# -- the extractor ---------------------------------------------------------------------------------

def extract_text(text: str, *, repeated: Collection[str] = ()) -> Extraction:
    """Extract the article from a plain-text dump of a web page.

    ``repeated`` holds normalised lines (see :func:`normalize_line`) that the archive has seen
    repeated across other documents of the same site: they are treated as chrome. Returns an
    :class:`~archive.model.Extraction` with ``kind="text"``: the body text (blocks joined by
    newlines), its blocks (headings inside the body as ``Block(kind="h")``), title, subtitle,
    author, date and section when found. Language and segments are left to a later stage.
    """
    if not text or not text.strip():
        return Extraction(text="", kind="text")
    rep = repeated if isinstance(repeated, (set, frozenset, dict)) else set(repeated)
    raw = _unwrap(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    lines = [_features(s, rep) for s in (r.strip() for r in raw) if s]

    counts = Counter(ln.key for ln in lines)
    for ln in lines:
        ln.dup = counts[ln.key]
    for prev, ln in zip(lines, lines[1:], strict=False):
        if ln.dup > 1 and ln.key == prev.key:
            ln.twin = prev.twin = True
    _mark_copies(lines)

    # the body's script: that of the long, punctuated lines
    weight: Counter[str] = Counter()
    prose_lines: Counter[str] = Counter()
    for ln in lines:
        if (ln.length >= 80 and (ln.sents or ln.clauses) and ln.script
                and not (ln.chrome or ln.marker_only or ln.bullet or ln.repeated)):
            weight[ln.script] += ln.length
            prose_lines[ln.script] += 1
    ranked = weight.most_common()
    body_script = ranked[0][0] if ranked else ""
    # a bilingual article: the second script has real prose too (several long punctuated lines)
    body_scripts = {s for s, w in ranked if w >= 0.15 * sum(weight.values()) and prose_lines[s] >= 2}
    body_scripts.add(body_script)

    values = [_value(ln, body_scripts) for ln in lines]
    _penalise_gaps(lines, values)
    # a comment section's header or form: what follows is the readers' and never joins the article
    barriers = {i for i, ln in enumerate(lines) if ln.chrome == _COMMENTS}
    a, b = _densest(values, barriers)
    if b < a:  # no paragraph long enough to be an article's
        # a note of a sentence or two (not a page dump) is kept whole; menus and labels are not
        if len(text) <= 1000 and any(ln.sents for ln in lines):
            keep = [i for i, ln in enumerate(lines) if not (ln.chrome or ln.marker_only or ln.repeated)]
            blocks = _blocks(lines, keep)
            return Extraction(text="\n".join(bl.text for bl in blocks), blocks=blocks, kind="text")
        return Extraction(text="", kind="text")

    spans = _extend(lines, values, a, b)
    kept = [i for lo, hi in spans for i in range(lo, hi + 1) if _keep_inside(lines[i], values[i])]
    a, b = spans[0][0], spans[-1][1]
    # lines in another script at the region's edges are the site's (an English "about us" under an
    # Arabic article); inside the article they are quotes and stay
    # (a long punctuated paragraph is prose, not chrome, whatever its script)
    def foreign(ln: _Line) -> bool:
        prose = ln.length >= 80 and ln.sents and not (ln.bullet or ln.chrome or ln.repeated)
        return bool(body_script) and ln.script not in ("", *body_scripts) and not prose

    while kept and foreign(lines[kept[-1]]):
        kept.pop()
    while kept and foreign(lines[kept[0]]):
        kept.pop(0)
    # an agency or author tag right after the last paragraph: "--(بترا)", "(AP)", "— Reuters"
    if b + 1 < len(lines) and _is_signoff(lines[b + 1]):
        kept.append(b + 1)
    ext = Extraction(text="", kind="text")
    # the header may sit inside the region: the title is looked for before the first paragraph
    start = _first_paragraph(lines, kept, values, a)
    last = _read_header(ext, lines, start, kept, body_script)
    # header lines inside the region (title, subtitle and what precedes them, date and byline lines
    # before the first paragraph) are not the article's text
    kept = [i for i in kept if i > last and not (i < start and (lines[i].date or lines[i].byline))]
    ext.blocks = _blocks(lines, kept)
    ext.text = "\n".join(bl.text for bl in ext.blocks)
    return ext
