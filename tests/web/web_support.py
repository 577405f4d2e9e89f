"""Helpers of the web tests: a real archive (the seeds, real pages, hostile pages), a TestClient over
it, forms' CSRF tokens, HTML parsed with html.parser, and the real server (`archive serve`) started
in a subprocess."""

from __future__ import annotations

import html
import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT, SEEDS, Cli
from starlette.testclient import TestClient
from support import archive_cmd

from archive.api import Archive
from archive.shared import SharedArchive
from archive.web.app import create_app
from archive.web.security import hosts_for

HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
ORIGIN = {"origin": BASE}
ARABIC_PAGE = ROOT / "tests" / "data" / "import" / "arabic.html"
URL_PAGE = ROOT / "tests" / "data" / "html" / "hd-akhbarelyom.html"  # an Arabic page with its https URL

HOSTILE_TITLE = "<script>alert(1)</script>"
ONERROR_ALERT = '"><img src=x onerror=alert(1)>'
ONERROR_PWNED = '"><img src=x onerror=window.__pwned=1>'
TERMINAL = "\x1b]0;PWNED\x07"
OVERRIDE = "\u202e"
HOSTILE_SOURCE = f"wire{TERMINAL}{OVERRIDE}"
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SCRIPTED_TITLE = "Scripted page about Zanzibar"
_FILLER = ("of the page about the harbour of Zanzibar and its long history of trade in cloves, ivory and "
           "cloth, with enough words to be the body of an article.")


def write_hostile_pages(folder: Path) -> dict[str, Path]:
    """Pages whose title, text and metadata try to break out of the HTML, and one whose original
    runs script."""
    folder.mkdir(parents=True, exist_ok=True)
    paras = "".join(f"<p>Paragraph {i} {_FILLER}</p>\n" for i in range(5))
    hostile_html = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{HOSTILE_TITLE}</title></head><body>"
        f"<article><p>An attribute breaker {html.escape(ONERROR_ALERT)} and {html.escape(ONERROR_PWNED)} "
        f"in the first paragraph of this article about Zanzibar.</p>\n{paras}</article></body></html>")
    dump = "\n\n".join(f"Paragraph {i} {_FILLER}" for i in range(5))
    hostile_txt = (f"Terminal escape {TERMINAL} here, an attribute breaker {ONERROR_PWNED}, and an override "
                   f"{OVERRIDE}evil in the first paragraph of this text about Zanzibar.\n\n"
                   f"Another attribute breaker {ONERROR_ALERT} in the second paragraph about Zanzibar.\n\n{dump}\n")
    scripted = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{SCRIPTED_TITLE}</title>"
        "<script>document.title='ran'; window.parent.__pwned = 1;</script></head><body><article>"
        f"<h1>{SCRIPTED_TITLE}</h1>\n{paras}"
        "<img src=x onerror=\"document.title='ran'; window.parent.__pwned=1\">"
        "<script>document.title='ran'</script></article></body></html>")
    files = {"hostile_html": ("hostile.html", hostile_html), "hostile_txt": ("hostile.txt", hostile_txt),
             "scripted": ("scripted.html", scripted)}
    out = {}
    for key, (name, text) in files.items():
        out[key] = folder / name
        out[key].write_text(text, encoding="utf-8")
    return out


@dataclass
class WebArchive:
    """A real archive: the seeds, an Arabic page, a page with its URL, the hostile pages."""

    cli: Cli
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.cli.home


def added_id(cli: Cli, *args: str) -> str:
    (result,) = cli.jsonl("add", *args)
    assert result["status"] == "added", result
    return result["id"]


def make_web_archive(folder: Path, db: str | None = None) -> WebArchive:
    """The archive of the web tests in a home folder, or in the PostgreSQL database ``db``."""
    cli = Cli(folder / "home", db=db)
    web = WebArchive(cli)
    for path in sorted(SEEDS.iterdir()):
        web.ids[path.name[:3]] = added_id(cli, str(path))  # "000" (Mali), "002" (Partnership)
    web.ids["arabic"] = added_id(cli, str(ARABIC_PAGE))
    web.ids["url"] = added_id(cli, str(URL_PAGE))
    pages = write_hostile_pages(folder / "pages")
    web.ids["hostile_html"] = added_id(cli, str(pages["hostile_html"]), "--source", HOSTILE_SOURCE)
    web.ids["hostile_txt"] = added_id(cli, str(pages["hostile_txt"]), "--source", HOSTILE_SOURCE)
    web.ids["scripted"] = added_id(cli, str(pages["scripted"]))
    return web


def client_for(home: Path, db: str | None = None) -> tuple[TestClient, Archive]:
    """A TestClient (``BASE``, no redirects followed) over the app of the archive at ``home`` (or in
    the PostgreSQL database ``db``)."""
    arc = Archive(home) if db is None else SharedArchive(db)
    app = create_app(arc, allowed_hosts=hosts_for(HOST, PORT))
    return TestClient(app, base_url=BASE, follow_redirects=False), arc


def csrf_of(client: TestClient, path: str) -> str:
    """The CSRF token of the forms on the page at ``path`` (it also sets the session cookie)."""
    r = client.get(path)
    assert r.status_code == 200, r.text
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', r.text)
    assert m, "no CSRF token on the page"
    return m.group(1)


class Parsed(HTMLParser):
    """A page's elements (tag, attributes) and the text inside each element with an id."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag not in ("input", "meta", "link", "br", "img", "hr"):
            self._open.append(a.get("id"))
            if a.get("id"):
                self.texts[str(a["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag not in ("input", "meta", "link", "br", "img", "hr"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            if ident:
                self.texts[ident] += data

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == name]


# -- the real server ------------------------------------------------------------------------------
def serve_command(home: Path) -> tuple[list[str], dict[str, str]]:
    """``archive --home HOME serve --port 0`` once the command is registered; until then the same
    click command run on its own (the archive from ``ARCHIVE_HOME``)."""
    from archive.cli import main

    env = dict(os.environ)
    if "serve" in main.commands:
        return [*archive_cmd(), "--home", str(home), "serve", "--port", "0"], env
    env["ARCHIVE_HOME"] = str(home)
    return [sys.executable, "-c", "from archive.cli.serve import serve; serve()", "--port", "0"], env


class LiveServer:
    """``archive serve`` in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, home: Path, *extra: str) -> None:
        cmd, env = serve_command(home)
        self.proc = subprocess.Popen([*cmd, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                     text=True)
        self.line = self._first_line(timeout=30)
        m = re.search(r"at (http://[^\s/]+)", self.line)
        if not m:
            self.stop()
            raise AssertionError(f"no URL in {self.line!r}")
        self.url = m.group(1)

    def _first_line(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                return self.proc.stdout.readline()
            if self.proc.poll() is not None:
                break
        err = self.proc.stderr.read() if self.proc.stderr and self.proc.poll() is not None else ""
        self.stop()
        raise AssertionError(f"archive serve did not start: {err}")

    def stop(self) -> str:
        """Stop the server; its standard error."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.stderr.read() if self.proc.stderr else ""
