"""What a person does in the browser, in headless Debian Chromium against a live server
on 127.0.0.1 (waitress) over the real minutes in tests/data/corpus:

- search "domestic abuse", open the first hit, land on the highlighted paragraph;
- filter the commitments tracker by owner and download the CSV;
- follow a person from a statement to their page;
- axe-core on every page type: no serious or critical violations;
- screenshots at desktop and phone widths, kept in test-artifacts/.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.web.browser import ARTIFACTS, axe_problems, guard

WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}


@pytest.fixture
def page(site):
    base, browser = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    guard(context, base)
    page = context.new_page()
    yield base, page
    context.close()


def test_search_lands_on_the_highlighted_paragraph(page):
    base, p = page
    p.goto(base + "/")
    p.get_by_label(re.compile("Search", re.I)).first.fill("domestic abuse")
    p.keyboard.press("Enter")
    p.wait_for_selector(".result")
    first = p.locator(".result a").first
    first.click()
    p.wait_for_load_state()
    assert "#p-" in p.url
    anchor = p.url.split("#", 1)[1]
    target = p.locator(f"[id='{anchor}']")
    assert target.is_visible()
    assert "domestic abuse" in target.inner_text().lower()
    assert target.locator("mark").count() >= 1


def test_tracker_filter_by_owner_and_download_csv(page):
    base, p = page
    p.goto(base + "/actions")
    p.get_by_label(re.compile("^Owner", re.I)).first.fill("Clerk")
    p.get_by_role("button", name=re.compile("Apply|Filter|Show", re.I)).first.click()
    p.wait_for_load_state()
    rows = p.locator("table tbody tr")
    assert rows.count() >= 1
    assert all("clerk" in t.lower() for t in rows.all_inner_texts())
    with p.expect_download() as info:
        p.get_by_role("link", name=re.compile("CSV", re.I)).first.click()
    download = info.value
    path = download.path()
    text = path.read_text(encoding="utf-8-sig")
    header, *lines = text.splitlines()
    assert "owner" in header.lower() and lines
    assert all("clerk" in line.lower() for line in lines)


def test_follow_a_person_from_a_statement_to_their_page(page):
    base, p = page
    p.goto(base + "/meetings")
    p.locator("main a[href*='/meeting/']").first.click()
    p.wait_for_load_state()
    speaker = p.locator("a.speaker").first
    name = speaker.inner_text().strip()
    speaker.click()
    p.wait_for_load_state()
    assert "/id/person/" in p.url
    assert p.locator("h1").inner_text().strip()
    assert p.locator("main").inner_text()  # the page has their statements or roles
    assert name


def _page_types(base: str, p) -> dict[str, str]:
    """One URL of each page type, found by following the site's own links."""
    urls = {"search": "/?q=custody", "home": "/", "meetings": "/meetings", "actions": "/actions"}
    p.goto(base + "/meetings")
    urls["meeting"] = p.locator("main a[href*='/meeting/']").first.get_attribute("href")
    p.goto(base + urls["meeting"])
    urls["person"] = p.locator("a.speaker").first.get_attribute("href")
    for kind in ("place", "topic", "organisation"):
        p.goto(
            base
            + "/api/search?q="
            + {"place": "Shropshire", "topic": "custody", "organisation": "HMICFRS"}[kind]
        )
        data = json.loads(p.locator("body").inner_text())
        ids = [h["id"] for h in data["hits"] if f"/id/{kind}/" in h["id"] or h["kind"] == kind]
        if ids:
            urls[kind] = "/id/" + ids[0].split("/id/", 1)[1]
    urls["missing"] = "/id/person/nobody-at-all"
    return urls


def test_axe_finds_no_serious_or_critical_violations_and_screenshots(site):
    base, browser = site
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script
    guard(context, base)
    p = context.new_page()
    urls = _page_types(base, p)
    problems = []
    for name, url in urls.items():
        for width, (w, h) in WIDTHS.items():
            p.set_viewport_size({"width": w, "height": h})
            p.goto(base + url)
            p.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        problems += axe_problems(p, f"{name} {url}")
    context.close()
    assert not problems, "\n".join(problems)
    assert len(urls) >= 8
