"""What Markdown and typogrify make of the text: references keep their
spaces, heading anchors have real names, the table of contents reads like
the headings it lists."""

import re

import pytest

from sitepages import soup

# An article the tests own (tests/fixtures/site/articles/a-long-read.md):
# headings (one of them "The cons"), a table, a footnote with a citation.
PROS = TRUST = "blog/a-long-read-the-tests-own/index.html"


def test_citations_keep_the_space_after_initials(own_site):
    notes = soup(own_site / TRUST).find(class_="footnote").get_text().replace("\u00a0", " ")
    assert "Horvath, A. O., & Bedi, R. P. (2002). The alliance." in notes
    assert "P.(2002)" not in notes
    assert not soup(own_site / TRUST).find("span", class_="caps")


def test_heading_anchors_sit_beside_the_heading_with_a_name(own_site):
    doc = soup(own_site / PROS)
    headings = doc.select(".prose h2, .prose h3")
    assert len(headings) >= 5
    for heading in headings:
        # The heading's text is its name: no "#" in it, no link inside.
        assert "#" not in heading.get_text() and heading.find("a") is None, heading
        anchor = heading.find_next_sibling("a", class_="heading-anchor")
        assert anchor is not None and anchor["href"] == "#" + heading["id"]
        assert anchor.find("span", attrs={"aria-hidden": "true"}).get_text() == "#"
        label = anchor.find("span", class_="visually-hidden").get_text()
        text = " ".join(heading.get_text().split())
        assert " ".join(label.split()) == f"Link to this section: {text}"
        assert anchor.has_attr("data-pagefind-ignore")  # the label is not search text


def test_table_of_contents_is_one_list_with_the_headings_typography(own_site):
    doc = soup(own_site / PROS)
    nav = doc.find("nav", class_="toc")
    assert nav.find(class_="toc") is None  # no .toc inside .toc
    assert nav.find("ul", recursive=False) is not None
    entries = [a.get_text() for a in nav.find_all("a")]
    headings = {h["id"]: " ".join(h.get_text().split()) for h in doc.select(".prose h2, .prose h3")}
    assert any("’" in e for e in entries)
    for link in nav.find_all("a"):
        assert " ".join(link.get_text().split()) == headings[link["href"][1:]], link
    assert not any("'" in e or '"' in e for e in entries)


@pytest.mark.browser
def test_headings_and_anchors_have_clean_accessible_names(page, own_site_server):
    page.goto(own_site_server.url + "/" + PROS.replace("index.html", ""))
    heading = page.get_by_role("heading", name="The cons", exact=True)
    assert heading.count() == 1
    link = page.get_by_role("link", name="Link to this section: The cons", exact=True)
    assert link.count() == 1
    link.click()
    assert page.url.endswith("#the-cons")
    # No heading's name ends in the anchor's symbol.
    names = page.locator(".prose h2, .prose h3").evaluate_all("hs => hs.map(h => h.textContent)")
    assert names and not [n for n in names if re.search(r"#\s*$", n)]
