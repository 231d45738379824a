"""The real site, built once, checked file by file for what holds for any
practice's valid content; and the product with articles the tests own
(``own_site``, tests/fixtures/site/articles/) where a check needs particular
articles (a long one, five for pagination, a footnote ...)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import pytest

from sitepages import CONTENT, html_files, jsonld, metadata, soup
from practice.core.profile import load_profile

ARTICLES = sorted((CONTENT / "articles").glob("*.md"))
PAGES = sorted((CONTENT / "pages").glob("*.md"))
OFFERS = sorted((CONTENT / "offers").glob("*.md"))
OWN = Path(__file__).resolve().parent / "fixtures" / "site" / "articles"
OWN_ARTICLES = sorted(OWN.glob("*.md"))
LONG = "blog/a-long-read-the-tests-own/index.html"
RESOURCE_ATTRS = [
    ("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"),
    ("iframe", "src"), ("source", "src"), ("source", "srcset"), ("video", "src"),
    ("audio", "src"), ("embed", "src"), ("object", "data"), ("form", "action"),
]


def is_foreign(url):
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or url.strip().startswith("//")


def test_every_article_and_page_is_written(site):
    for path in ARTICLES:
        slug = metadata(path)["slug"]
        assert (site / "blog" / slug / "index.html").is_file(), path.name
    for path in PAGES:
        slug = metadata(path)["slug"]
        assert (site / slug / "index.html").is_file(), path.name
    for name in ("index.html", "404.html", "archives/index.html", "tag/index.html",
                 "category/index.html", "robots.txt", "sitemap.xml", "theme/css/site.css"):
        assert (site / name).is_file(), name


def test_internal_links_are_all_resolved(site):
    for path in html_files(site):
        html = path.read_text()
        assert "{filename}" not in html and "{static}" not in html, path


def test_offers_are_not_articles(site):
    for offer in OFFERS:
        slug = metadata(offer).get("slug") or offer.stem
        assert not (site / "blog" / slug).exists(), offer.name


def test_every_page_links_to_the_crisis_page_near_the_top(site):
    pages = html_files(site)
    assert pages
    for path in pages:
        doc = soup(path)
        strip = doc.find(class_="crisis-strip")
        assert strip is not None, path
        assert strip.find("a", href="/crisis/"), path
        # The strip comes before the main content, so it is one step away.
        assert str(doc).index("crisis-strip") < str(doc).index('id="main"'), path
        assert strip.find("a", href=re.compile(r"^tel:\d+$")), path


def test_no_resource_loads_from_another_origin(site):
    for path in html_files(site):
        doc = soup(path)
        for tag, attr in RESOURCE_ATTRS:
            for el in doc.find_all(tag):
                if tag == "link" and "alternate" in (el.get("rel") or []):
                    continue
                if tag == "link" and "canonical" in (el.get("rel") or []):
                    continue
                value = el.get(attr)
                if value:
                    assert not is_foreign(value), f"{path}: <{tag} {attr}={value}>"
        assert "@import" not in (doc.find("style").string if doc.find("style") else "")
    css = (site / "theme" / "css" / "site.css").read_text()
    for url in re.findall(r"url\(([^)]*)\)", css):
        assert not is_foreign(url.strip("'\"")), url


def test_no_inline_scripts_or_handlers(site):
    for path in html_files(site):
        doc = soup(path)
        for script in doc.find_all("script"):
            assert script.get("src") or script.get("type") in ("application/ld+json", "application/json"), path
        for el in doc.find_all(True):
            assert not [a for a in el.attrs if a.startswith("on")], f"{path}: {el.name}"
            assert "style" not in el.attrs, f"{path}: inline style on {el.name}"


def test_json_ld_parses_and_names_the_right_types(site, own_site):
    article = soup(own_site / LONG)
    types = [d["@type"] for d in jsonld(article)]
    assert types == ["MedicalBusiness", "BlogPosting"]
    posting = jsonld(article)[1]
    assert posting["headline"] == article.find("h1").get_text().replace("\u00a0", " ")
    assert posting["author"]["honorificSuffix"]
    for path in html_files(site):
        data = jsonld(soup(path))  # raises if any block does not parse
        assert data and data[0]["@type"] == "MedicalBusiness", path
        assert data[0]["email"] and data[0]["address"]["addressRegion"], path


def test_titles_and_meta_carry_no_markup(site):
    for path in html_files(site):
        doc = soup(path)
        texts = [doc.title.string]
        texts += [m.get("content", "") for m in doc.find_all("meta")]
        for data in jsonld(doc):
            texts += [data.get("headline", ""), data.get("description", "")]
        for text in texts:
            assert "<" not in text and "&#" not in text and "&amp;" not in text, f"{path}: {text!r}"


def test_typogrify_runs_on_bodies_but_not_titles(own_site):
    html = (own_site / LONG).read_text()
    body = html.split('<div class="prose">', 1)[1]
    assert "’" in body or "&#8217;" in body  # curly apostrophes in the text
    assert "<span" not in html.split("</title>")[0].split("<title>")[1]


def test_article_shows_author_dates_reading_time_and_care_note(own_project, own_site):
    import yaml

    first = yaml.safe_load((own_project / "content" / "practice.yaml").read_text())["clinicians"][0]
    for path in OWN_ARTICLES:
        meta = metadata(path)
        doc = soup(own_site / "blog" / meta["slug"] / "index.html")
        byline = " ".join(doc.find(class_="byline").get_text(" ", strip=True).split())
        assert f"{first['name']}, {first['credentials']}" in byline and "min read" in byline
        assert "Last reviewed" in byline
        times = [t["datetime"] for t in doc.find(class_="byline").find_all("time")]
        assert times == [meta["date"][:10], meta["reviewed"]]
        note = doc.find(class_="care-note")
        assert note.find("a", href="/crisis/")
        assert doc.find(class_="tags").find_all("a")
        assert doc.find("nav", class_="neighbors").find_all("a")
        assert doc.find(class_="related").find_all("a")


def test_long_articles_have_a_table_of_contents_and_anchors(own_site):
    pros = soup(own_site / LONG)
    toc = pros.find("nav", class_="toc")
    assert toc is not None
    for link in toc.find_all("a"):
        assert pros.find(id=link["href"].lstrip("#")), link["href"]
    assert pros.find("a", class_="heading-anchor")
    # footnotes and tables render
    assert pros.find("table")
    assert pros.find(class_="footnote")
    short = soup(own_site / "blog" / "a-short-note-number-1" / "index.html")
    assert short.find("nav", class_="toc") is None  # short articles have none


def test_practice_facts_come_from_the_profile(site):
    import yaml

    profile = yaml.safe_load((CONTENT / "practice.yaml").read_text())
    about = soup(site / "about" / "index.html").get_text(" ")
    for lic in profile["clinicians"][0]["licences"]:
        assert lic["number"] in about
    services = soup(site / "services" / "index.html").get_text(" ")
    for fmt in profile["formats"]:
        assert fmt["reply"] in services
    fees = soup(site / "fees" / "index.html").get_text(" ")
    for fmt in profile["formats"]:
        assert f"{fmt['fee']:,}" in fees, fmt["id"]
    # Each call link on the crisis page dials the number its words name
    # (the numbers themselves follow the country: tests/test_crisis_country.py).
    crisis = soup(site / "crisis" / "index.html").find("main")
    calls = [a for a in crisis.find_all("a", href=re.compile(r"^tel:"))]
    assert calls
    for a in calls:
        digits = re.sub(r"[^0-9+]", "", a.get_text())
        assert digits and a["href"] == "tel:" + digits, a
    footer = soup(site / "index.html").find("footer").get_text(" ")
    assert profile["contact"]["email"] in footer


def test_the_list_of_articles_is_paginated_at_its_own_address(own_site):
    first = soup(own_site / "blog" / "index.html")
    assert first.find("h1").get_text() == "Articles"
    assert len(first.select(".article-list > li")) == 4  # DEFAULT_PAGINATION, of 5 articles
    second = soup(own_site / "blog" / "page" / "2" / "index.html")
    assert second.select(".article-list > li")
    assert first.find("a", rel="next")["href"] == "/blog/page/2/"
    assert "Page 1 of 1" not in first.get_text()
    # The home page shows the latest few and links the whole list.
    home = soup(own_site / "index.html")
    assert 1 <= len(home.select(".article-list > li")) <= 3
    assert home.find("a", href="/blog/", string="All articles")


def test_sitemap_and_robots(own_publish_site):
    publish_site = own_publish_site
    tree = ET.parse(publish_site / "sitemap.xml")
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    for path in OWN_ARTICLES:
        assert any(u.endswith(f"/blog/{metadata(path)['slug']}/") for u in locs), path.name
    assert all(u.startswith("https://") for u in locs)
    robots = (publish_site / "robots.txt").read_text()
    assert re.search(r"^Sitemap: https://\S+/sitemap.xml$", robots, re.M)


def test_publish_build_has_feeds_and_absolute_canonicals(publish_site):
    tree = ET.parse(publish_site / "feeds" / "all.atom.xml")
    entries = tree.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == len(ARTICLES)
    for entry in entries:
        title = entry.find("{http://www.w3.org/2005/Atom}title").text
        assert "<" not in title
    for path in ARTICLES:
        doc = soup(publish_site / "blog" / metadata(path)["slug"] / "index.html")
        canonical = doc.find("link", rel="canonical")["href"]
        assert canonical.startswith("https://") and canonical.endswith(f"/blog/{metadata(path)['slug']}/")
        assert doc.find("meta", property="og:url")["content"] == canonical
        assert doc.find("link", rel="alternate", type="application/atom+xml")


def test_development_build_has_no_feeds(site):
    assert not (site / "feeds").exists()


def test_notice_of_privacy_practices_is_posted_and_linked(site):
    # 45 CFR 164.520(c)(3)(i): a provider's website that describes its
    # services posts its Notice of Privacy Practices. (A practice outside the
    # US, which HIPAA does not cover, may remove the page: tests/test_own_practice.py.)
    if not (CONTENT / "pages" / "notice-of-privacy-practices.md").is_file():
        pytest.skip("the practice has no Notice of Privacy Practices page")
    doc = soup(site / "notice-of-privacy-practices" / "index.html")
    headings = [h.get_text(" ", strip=True).replace("\u00a0", " ").lower() for h in doc.select(".prose h2")]
    for words in ("use and disclose", "your rights", "duties", "complaints", "contact",
                  "effective date"):
        assert any(words in h for h in headings), words
    prose = doc.find(class_="prose")
    text = " ".join(prose.get_text(" ").split())
    # The complaint route to HHS's Office for Civil Rights, and a privacy contact
    # from the profile.
    assert "Office for Civil Rights" in text
    assert prose.find("a", href="https://www.hhs.gov/ocr/complaints/")
    profile = load_profile(CONTENT / "practice.yaml")
    assert profile["privacy_contact"]["email"] in text
    # Until the practice puts in its own notice, the page says it is a template.
    assert "template" in doc.find(class_="prose").find("blockquote").get_text().lower()
    privacy = soup(site / "privacy" / "index.html").find(class_="prose")
    assert privacy.find("a", href="/notice-of-privacy-practices/")
    for path in html_files(site):
        footer = soup(path).find("footer")
        assert footer.find("a", href="/notice-of-privacy-practices/"), path


def test_pages_are_small_and_need_few_requests(site):
    """Article pages at most 25 KB gzip in at most 5 requests; home at most 30 KB
    (before comments are requested). Counted from what each page loads."""
    import gzip

    def weight(page):
        html = (site / page).read_text()
        doc = soup(site / page)
        urls = [s["src"] for s in doc.find_all("script", src=True)]
        urls += [l["href"] for l in doc.find_all("link", href=True)
                 if {"stylesheet", "icon", "preload"} & set(l.get("rel", []))
                 and not l["href"].startswith("data:")]
        urls += [i["src"] for i in doc.find_all("img", src=True) if not i["src"].startswith("data:")]
        size = len(gzip.compress(html.encode(), 9))
        size += sum(len(gzip.compress((site / u.lstrip("/")).read_bytes(), 9)) for u in urls)
        return 1 + len(urls), size / 1024

    for article in ARTICLES:
        requests, kb = weight(f"blog/{metadata(article)['slug']}/index.html")
        assert requests <= 5 and kb <= 25, (article.name, requests, kb)
    requests, kb = weight("index.html")
    assert kb <= 30, kb
