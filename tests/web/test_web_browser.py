"""`archive serve` in a real browser: Debian's chromium through selenium and Debian's chromedriver,
against the real server started as a process. Nothing is downloaded: selenium-manager is never used
(the driver and the browser are named), and usage statistics are off (SE_AVOID_STATS)."""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from web_support import HOSTILE_TITLE, SCRIPTED_TITLE, LiveServer, WebArchive, make_web_archive

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"),
]

webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install selenium)")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> WebArchive:
    return make_web_archive(tmp_path_factory.mktemp("web-browser"))


@pytest.fixture(scope="module")
def server(web: WebArchive) -> Iterator[LiveServer]:
    srv = LiveServer(web.home)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    os.environ["SE_AVOID_STATS"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def no_alert(driver: Any) -> bool:
    try:
        _ = driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def csp_violations(driver: Any) -> list[str]:
    """Messages of the browser's console that say our own page broke its CSP (an inline style...)."""
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def submit(driver: Any, form_selector: str) -> None:
    button = driver.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]")
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 10).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))


def test_search_shows_hits_with_marks(browser: Any, server: LiveServer) -> None:
    browser.get(server.url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("Africa Corps")
    submit(browser, "form.search")
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert len(hits) == 2
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit .snippet mark")]
    assert "Africa" in marks and "Corps" in marks
    assert "2 matching documents" in browser.find_element(By.CSS_SELECTOR, ".total").text
    assert csp_violations(browser) == []


def test_arabic_paragraphs_are_right_to_left(browser: Any, server: LiveServer, web: WebArchive) -> None:
    browser.get(f"{server.url}/doc/{web.ids['arabic']}")
    paras = browser.find_elements(By.CSS_SELECTOR, ".text p[lang=ar]")
    assert len(paras) >= 5
    for p in paras:
        assert p.get_attribute("dir") == "rtl"
        assert p.value_of_css_property("direction") == "rtl"
    assert "Noto Naskh Arabic" in paras[0].value_of_css_property("font-family")
    assert csp_violations(browser) == []


def test_the_title_is_edited_through_the_form(browser: Any, server: LiveServer, web: WebArchive) -> None:
    url = f"{server.url}/doc/{web.ids['002']}"
    browser.get(url)
    field = browser.find_element(By.ID, "edit-title")
    field.clear()
    field.send_keys("Partnership, Not Dependency (edited)")
    submit(browser, "form.edit-form")
    browser.get(url)
    assert browser.find_element(By.ID, "title").text == "Partnership, Not Dependency (edited)"
    assert browser.find_element(By.ID, "edit-title").get_attribute("value") == "Partnership, Not Dependency (edited)"


def test_a_tag_is_added_and_removed(browser: Any, server: LiveServer, web: WebArchive) -> None:
    browser.get(f"{server.url}/doc/{web.ids['000']}")
    browser.find_element(By.ID, "tag-add").send_keys("sahel-watch")
    submit(browser, "form.tag-form")
    assert "sahel-watch" in browser.find_element(By.ID, "tags").text
    submit(browser, "#tagging form.inline")
    assert "sahel-watch" not in browser.find_element(By.ID, "tags").text


def test_a_note_makes_the_document_findable(browser: Any, server: LiveServer, web: WebArchive) -> None:
    browser.get(f"{server.url}/doc/{web.ids['arabic']}")
    browser.find_element(By.ID, "note-text").send_keys("Check against the xylographic wire report.")
    submit(browser, "form.note-form")
    assert "xylographic" in browser.find_element(By.ID, "notes").text
    browser.get(server.url + "/search?q=xylographic")
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "li.hit a.hit-link")]
    assert links == [f"{server.url}/doc/{web.ids['arabic']}"]


def test_a_hostile_page_is_only_text(browser: Any, server: LiveServer, web: WebArchive) -> None:
    for path in (f"/doc/{web.ids['hostile_html']}", f"/doc/{web.ids['hostile_txt']}", "/search?q=Zanzibar+attribute",
                 "/"):
        browser.get(server.url + path)
        assert no_alert(browser), path
        assert browser.execute_script("return typeof window.__pwned") == "undefined", path
        assert browser.find_elements(By.CSS_SELECTOR, "img, script") == [], path
    browser.get(f"{server.url}/doc/{web.ids['hostile_html']}")
    assert browser.find_element(By.ID, "title").text == HOSTILE_TITLE


def test_the_original_frame_runs_no_script(browser: Any, server: LiveServer, web: WebArchive) -> None:
    view = f"{server.url}/doc/{web.ids['scripted']}/original/view"
    browser.get(view)
    frame = browser.find_element(By.CSS_SELECTOR, "iframe")
    assert frame.get_attribute("sandbox") == ""
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "const f = document.querySelector('iframe'); return f.contentWindow && f.contentWindow.length >= 0"))
    # an opaque origin: the embedding page cannot reach into the frame (nor the frame out)
    assert browser.execute_script("return document.querySelector('iframe').contentDocument") is None
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    browser.switch_to.frame(frame)
    assert browser.execute_script("return document.title") == SCRIPTED_TITLE  # its own script did not run
    assert browser.find_element(By.TAG_NAME, "h1").text == SCRIPTED_TITLE
    browser.switch_to.default_content()
    frame_url = f"{server.url}/doc/{web.ids['scripted']}/original/frame"
    browser.get(frame_url)  # opened directly, outside the frame: the CSP sandboxes it still
    assert browser.execute_script("return document.title") == SCRIPTED_TITLE
    with urllib.request.urlopen(frame_url, timeout=10) as r:
        assert r.headers["content-security-policy"].startswith("sandbox; default-src 'none'")


def test_an_arabic_query_finds_the_arabic_page_and_an_english_one_the_other_language(
        browser: Any, server: LiveServer, web: WebArchive) -> None:
    browser.get(server.url + "/search?q=" + quote("فاغنر"))
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert hits, browser.page_source[:500]
    ids = [h.find_element(By.CSS_SELECTOR, ".id").text for h in hits]
    assert web.ids["000"] in ids or web.ids["002"] in ids  # the English seeds, by Wagner's Arabic form
    assert "Wagner" in browser.find_element(By.TAG_NAME, "body").text  # the expansion line says so


def test_the_live_server_refuses_a_post_without_its_token_and_a_foreign_host(
        server: LiveServer, web: WebArchive) -> None:
    """Against the real server (uvicorn), not the test client: raw HTTP requests."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = "add=stolen"  # the form's field, without the CSRF token
    conn.request("POST", f"/doc/{web.ids['000']}/tags", body=body,
                 headers={"Origin": server.url, "Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    assert resp.status == 403
    resp.read()
    conn.request("GET", "/", headers={"Host": "attacker.example"})
    resp = conn.getresponse()
    assert resp.status == 400
    resp.read()
    conn.close()
    assert "stolen" not in web.cli.json("show", web.ids["000"])["tags"]
