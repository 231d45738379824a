"""Fewer traces in the visitor's browser: every sensitive page (each page
with "Exit this page": eligibility, the request form, the crisis page ...,
and the search page) says in one sentence how to browse privately and clear
the history; other pages do not repeat it. (The search words leaving the
address is in test_search.py.)"""

import pytest

from conftest import run_build
from sitepages import html_files, soup


def sentence(doc):
    return doc.select("[data-private-browsing]")


def test_sensitive_pages_say_how_to_browse_privately(site):
    sensitive, other = [], []
    for path in html_files(site):
        doc = soup(path)
        if doc.select("[data-exit-this-page]") or doc.select("form[data-search]"):
            sensitive.append(path)
            found = sentence(doc)
            assert len(found) == 1, path
            text = found[0].get_text(" ", strip=True)
            assert "private window" in text and "history" in text, path
        else:
            other.append(path)
            assert not sentence(doc), path
    # The demo's sensitive pages: whatever they are called, there are some of
    # each kind the rule names.
    assert any(soup(p).select("form[data-search]") for p in sensitive)
    assert any(soup(p).select("[data-exit-this-page]") for p in sensitive)
    assert other


def test_a_practice_page_asking_for_the_exit_control_gets_the_sentence(project):
    (project / "content" / "pages" / "leaving.md").write_text(
        "Title: Leaving a hard situation\nSlug: leaving\nExit: yes\n\nSome text.\n")
    (project / "content" / "pages" / "plain.md").write_text(
        "Title: Plain\nSlug: plain\n\nSome text.\n")
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    assert len(sentence(soup(out / "leaving" / "index.html"))) == 1
    assert not sentence(soup(out / "plain" / "index.html"))


@pytest.mark.browser
def test_the_sentence_is_shown_in_the_browser(page, site_server, site):
    pages = [p for p in html_files(site) if sentence(soup(p))]
    for path in pages:
        url = "/" + path.relative_to(site).as_posix().removesuffix("index.html")
        page.goto(site_server.url + url)
        assert page.locator("[data-private-browsing]").is_visible(), url
    assert page.watch.console_errors == []
