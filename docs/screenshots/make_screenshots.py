"""Make the README's screenshots of ``archive serve`` again (after a change to the pages' look).

    python docs/screenshots/make_screenshots.py                 # a new archive in a temporary folder
    python docs/screenshots/make_screenshots.py --home /tmp/shots-home2   # and keep the archive

Builds a small archive with the ``archive`` command (the seeds, two real Arabic pages of
``../shared/eval/pages``, else the one in ``tests/data/html``; tags and a note on one document of
each language), starts ``archive serve --port 0`` and saves, through Debian's chromium driven by
selenium and Debian's chromedriver (nothing downloaded, SE_AVOID_STATS set), 1280 pixels wide:

- ``search.png``: a search for "Africa Corps": highlighted snippets, facets;
- ``search-arabic.png``: an Arabic word found in both Arabic pages: right-to-left hits;
- ``search-cross.png``: فاغنر, which finds the English seeds (the "also searched" line);
- ``document.png``: the reading view of an Arabic page (metadata, tags, note, edit forms);
- ``document-en.png``: the reading view of an English seed (its top 900 pixels).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PAGES = ROOT.parent / "shared" / "eval" / "pages"
ARABIC_PAGES = ("hd-akhbarelyom.html", "hd-albayan.html")
WIDTH = 1280


def archive(home: Path, *args: str) -> str:
    exe = Path(sys.executable).with_name("archive")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "archive"]
    return subprocess.run([*cmd, "--home", str(home), *args], check=True, capture_output=True,
                          text=True).stdout


def added(home: Path, *paths: Path) -> dict[str, str]:
    """``archive add`` the files: their ids by file name."""
    lines = archive(home, "add", "--json", *map(str, paths)).splitlines()
    return {Path(r["input"]).name: r["id"] for r in map(json.loads, filter(str.strip, lines))}


def build(home: Path) -> dict[str, str]:
    """The archive; the ids of the English seed and the Arabic page that get tags and a note."""
    seeds = sorted((ROOT / "seeds").iterdir())
    english = added(home, *seeds)[seeds[0].name]  # 000: Mali and the Africa Corps
    pages = [PAGES / name for name in ARABIC_PAGES if (PAGES / name).exists()]
    pages = pages or [ROOT / "tests" / "data" / "html" / ARABIC_PAGES[0]]
    arabic = added(home, *pages)[ARABIC_PAGES[0]]  # akhbarelyom: an author, a section, an Arabic URL
    archive(home, "tag", english, "--add", "mali", "--add", "africa corps")
    archive(home, "note", english, "Compare with the Reuters report of the same day")
    archive(home, "tag", arabic, "--add", "cinema", "--add", "مصر")
    archive(home, "note", arabic, "Check the 1958 Moscow festival prize against a second source")
    return {"english": english, "arabic": arabic}


def serve(home: Path) -> tuple[subprocess.Popen[str], str]:
    exe = Path(sys.executable).with_name("archive")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "archive"]
    proc = subprocess.Popen([*cmd, "--home", str(home), "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if select.select([proc.stdout], [], [], 0.2)[0]:
            m = re.search(r"at (http://\S+?)/? ", proc.stdout.readline())
            if m:
                return proc, m.group(1)
            break
    proc.kill()
    raise SystemExit("archive serve did not start")


def browser() -> Any:
    os.environ["SE_AVOID_STATS"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WIDTH},900", "--no-first-run", "--disable-extensions", "--hide-scrollbars"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shoot(driver: Any, url: str, out: Path, max_height: int) -> None:
    """The page's top ``max_height`` pixels (all of it when shorter), as PNG."""
    driver.get(url)
    height = min(max_height, int(driver.execute_script("return document.documentElement.scrollHeight")))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1}})
    out.write_bytes(base64.b64decode(shot["data"]))
    print(f"{out}  {WIDTH}x{height}  {out.stat().st_size // 1024} KB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, help="build the archive there and keep it (a new folder; default: a "
                    "temporary folder, removed at the end)")
    ap.add_argument("--out", type=Path, default=OUT, help=f"where the PNG files go (default {OUT})")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-shots-") as tmp:
        home = args.home or Path(tmp) / "home"
        if home.exists():
            raise SystemExit(f"{home} exists: give a new folder")
        ids = build(home)
        proc, url = serve(home)
        driver = browser()
        try:
            shoot(driver, f"{url}/search?q={quote('Africa Corps')}", args.out / "search.png", 900)
            shoot(driver, f"{url}/search?q={quote('قدمت')}", args.out / "search-arabic.png", 900)
            shoot(driver, f"{url}/search?q={quote('فاغنر')}", args.out / "search-cross.png", 900)
            shoot(driver, f"{url}/doc/{ids['arabic']}", args.out / "document.png", 1400)
            shoot(driver, f"{url}/doc/{ids['english']}", args.out / "document-en.png", 900)
        finally:
            driver.quit()
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
