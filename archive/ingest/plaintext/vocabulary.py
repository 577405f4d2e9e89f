"""Site-chrome vocabulary: the labels and phrases of site furniture, and a line's chrome level.

General vocabulary of site furniture in Arabic, Persian, English and a few other languages, not
strings of any particular site. Labels are compared with a whole (normalised) line; phrases are
looked for inside short lines. The tables are normalised and compiled on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .normalize import normalize_line

__all__ = ["COMMENTS", "END", "NONE", "WEAK", "WIDGET", "WORD", "Vocabulary", "chrome_level", "vocabulary"]

# chrome levels: none, a phrase in a long line, a widget, the end of the article, a comment section
NONE, WEAK, WIDGET, END, COMMENTS = 0, 1, 2, 3, 4

WORD = re.compile(r"\w+")

# labels of a comment section: what follows them is the readers', not the article
_COMMENT_LABELS = """
comments|reader comments|show comments|view comments|load comments|leave a comment|leave a reply
|post a comment|add a comment|write a comment|join the discussion|join the conversation|discussion
|commentaires|réagir|comentarios|comentários|kommentare|commenti|reacties|komentar|комментарии|コメント
|التعليقات|تعليقات|اترك تعليقا|اترك تعليقك|اترك ردا|اضف تعليق|اضف تعليقا|اكتب تعليق|تعليقات القراء|نظرات
|نظر شما|ارسال نظر
"""
# labels of what follows an article: related and popular lists, tags, footers
_END_LABELS = """
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
"""
# phrases of comment forms and sections
_COMMENT_PHRASES = """
your email address will not be published|required fields are marked|comments powered by
|sign in to comment|sign in to post a comment|log in to comment|to post a comment|comments are closed
|لن يتم نشر عنوان بريدك|الحقول الالزامية|تم اضافة تعليقك|لا توجد تعليقات
"""
# a line starting with one of these and a colon is a list of tags or topics
_TAG_PREFIX = (
    r"^(?:tags?|topics?|keywords?|filed under|in this article|categories|category|related topics|mots[- ]clés"
    r"|etiquetas|temas|schlagworte|schlagwörter|themen|tag|argomenti|الكلمات الدالة|الكلمات المفتاحية|الوسوم"
    r"|وسوم|كلمات مفتاحية|برچسب ها|برچسب‌ها|کلید واژه ها)\s*:"
)
# widget labels: share bars, navigation and media controls
_WIDGET_LABELS = """
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
"""
# phrases that make a short line chrome wherever they stand in it
_PHRASES = """
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
|reuse this content|reuse this article|republish this article|this article is more than|reproduction interdite
|استفاده از مطالب|با ذکر منبع|بلامانع است|يمنع نسخ|يمنع اعادة النشر|بشرط ذكر المصدر|مع ذكر المصدر
"""
# phrases that make even a long line chrome: comment forms, copyright and cookie notices, disclaimers
_STRONG = """
rights reserved|subject to copyright|your email address will not be published|required fields are marked
|comments powered by|enable javascript|javascript is disabled|we use cookies|this site uses cookies
|this website uses cookies|sign in to post a comment|sign in to comment|droits réservés
|derechos reservados|rechte vorbehalten|diritti riservati|الحقوق محفوظة|لن يتم نشر عنوان بريدك
|الحقول الالزامية|تم التصميم والتطوير|تعبر عن راي|تعبر عن وجهة نظر|التعليقات المنشورة|نشر التعليقات
|تمامي حقوق|كليه حقوق|محفوظ است
"""

# languages by their own names: a row of them is a language switcher ("English | Français | العربية")
_LANGUAGE_NAMES = """
english|français|francais|español|espanol|deutsch|italiano|português|portugues|русский|українська
|polski|čeština|nederlands|türkçe|turkce|svenska|norsk|dansk|suomi|ελληνικά|magyar|română|български
|српски|hrvatski|עברית|العربية|عربي|عربى|فارسی|پښتو|اردو|کوردی|kurdî|हिन्दी|বাংলা|தமிழ்|ไทย|tiếng việt
|bahasa indonesia|bahasa melayu|indonesia|kiswahili|swahili|hausa|yorùbá|yoruba|igbo|amharic|አማርኛ|af-soomaali
|soomaali|bamanankan|fulfulde|wolof|日本語|中文|简体中文|繁體中文|简体|繁體|한국어|azərbaycan|o'zbekcha|қазақша
|ქართული|հայերեն|english edition|edição em português|edición en español|version française|النسخة العربية
|النسخة الانجليزية|english version|arabic|french|spanish|german|russian|chinese|persian|turkish
"""
_SWITCH_SEP = re.compile(r"[\s|/·•,;:()\[\]-]+")


def _vocab(words: str) -> set[str]:
    """A ``|``-separated word list (line breaks ignored), each entry normalised like a line key."""
    return {normalize_line(w) for w in words.replace("\n", "").split("|") if w.strip()}


def _longest_first(words: str) -> list[str]:
    """The normalised phrases of a word list, longest first (the order they are tried in a regex)."""
    return sorted(_vocab(words), key=len, reverse=True)


def _alternation(phrases: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in phrases))


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The chrome vocabulary, normalised and compiled."""

    # whole-line labels and their level: COMMENTS, END or WIDGET (the higher where a label is in two lists)
    labels: dict[str, int]
    tag_prefix: re.Pattern[str]
    comment_phrase: re.Pattern[str]
    phrase: re.Pattern[str]
    strong: re.Pattern[str]
    # the longest word of every phrase: a line without any of them cannot hold a phrase
    triggers: set[str]
    # languages' names, one or two words each (a language switcher)
    languages: re.Pattern[str]


@cache
def vocabulary() -> Vocabulary:
    """The tables, built on first use (normalising the words and compiling the long alternations
    takes longer than everything else of importing the package)."""
    comment_phrases = _longest_first(_COMMENT_PHRASES)
    phrases = _longest_first(_PHRASES)
    strong = _longest_first(_STRONG)
    labels = dict.fromkeys(_vocab(_WIDGET_LABELS), WIDGET)
    labels.update(dict.fromkeys(_vocab(_END_LABELS), END))
    labels.update(dict.fromkeys(_vocab(_COMMENT_LABELS), COMMENTS))
    return Vocabulary(
        labels=labels,
        tag_prefix=re.compile(_TAG_PREFIX, re.I),
        comment_phrase=_alternation(comment_phrases),
        phrase=_alternation(phrases),
        strong=_alternation(strong),
        triggers={max(WORD.findall(p), key=len) for p in phrases + strong + comment_phrases},
        languages=re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in _longest_first(_LANGUAGE_NAMES))
                             + r")(?!\w)"),
    )


def chrome_level(key: str, length: int, raw: str) -> int:
    """The chrome level of a line from its key (:func:`normalize_line`), its effective length
    and its raw text: a comment-section, end-of-article or widget label, a tag list, or chrome
    phrases (comment forms, copyright and cookie notices...)."""
    v = vocabulary()
    label = key.rstrip(": ")
    level = v.labels.get(label, NONE)
    if not level and "0" in label:  # "Comments (12)", "Share 17" (digits are 0 in keys)
        level = v.labels.get(label.replace("0", "").strip(" ()[]"), NONE)
    if level:
        return level
    if length >= 1000:
        return NONE
    if length <= 80 and (_all_widgets(v, label) or _switcher(v, label)):
        return WIDGET
    return _phrase_level(v, key, length, raw)


# share buttons that are no label on their own ("Google", "AOL") but make a share bar beside others
_SHARE_EXTRA = frozenset({"google", "aol", "yahoo", "sms", "vk", "weibo", "wechat", "viber", "line", "pocket",
                          "digg", "bluesky", "threads", "mastodon", "copy", "link"})


def _switcher(v: Vocabulary, label: str) -> bool:
    """A language switcher: two languages' names or more and nothing else ("English | Français | العربية")."""
    names = v.languages.findall(label)
    return len(names) >= 2 and not _SWITCH_SEP.sub("", v.languages.sub("", label))


def _all_widgets(v: Vocabulary, label: str) -> bool:
    """A share bar or a row of buttons: two words or more, each a widget label or a share button
    ("Facebook Google AOL Twitter", "Share Tweet Email")."""
    words = label.split()
    if len(words) < 2:
        return False
    labels = v.labels
    return all(labels.get(w) == WIDGET or w in _SHARE_EXTRA for w in words) and any(labels.get(w) for w in words)


def _phrase_level(v: Vocabulary, key: str, length: int, raw: str) -> int:
    """The chrome level of a line that is no label: a tag list, a copyright line, or the chrome
    phrases it holds (the longer the line, the fewer phrases count)."""
    if ":" in key and v.tag_prefix.match(key):
        return END
    if v.triggers.isdisjoint(WORD.findall(key)):  # cheap test before the long alternations
        if length < 250 and ("©" in raw or "(c)" in key):
            return END
        return NONE
    if v.comment_phrase.search(key):
        return COMMENTS
    if v.strong.search(key):
        return END
    if length >= 300:
        return NONE
    hits = v.phrase.findall(key)
    if hits:
        return WIDGET if (length < 120 or len(hits) >= 2) else WEAK
    return NONE
