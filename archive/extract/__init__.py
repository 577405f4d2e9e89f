"""Extraction of the article from HTML (:mod:`.html`) and from plain-text dumps (:mod:`.text`)."""
