"""Stage 1, read bytes: files and folders, standard input, URLs, web archives and feeds.

Each source turns what a user names into :class:`~archive.model.RawInput` (bytes with the URL and
capture date when known), or an :class:`~archive.errors.InputError` that names the input.
``files`` walks folders and reads files and stdin; ``http`` fetches a URL with timeouts, retries
and a size cap; ``warc`` reads the HTML responses of a web archive; ``feeds`` lists the articles
of an RSS or Atom feed.
"""
