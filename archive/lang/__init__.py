"""Shared facts about scripts, letters and dates, used by every stage.

This package imports nothing else of ours but ``archive.errors`` (a layering test enforces it), so
any stage may import it: ``scripts`` (Unicode ranges of the scripts the archive tells apart), ``arabic`` (letters,
normalisation tables, the light stemmer's prefixes) and ``dates`` (publication dates as pages
write them, in Arabic, Persian, English and more).
"""
