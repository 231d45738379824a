"""Offers in built sites: the banner on exactly the pages it belongs on, the
"Current offers" page, offers never published as articles, and every kind
of mistake in an offer stopping the build with one line."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import OWN_ARTICLES, SITE_OFFER, built_once, run_build
from fixturesite import fixture_site, profile
from offerfiles import FIXED_NOW, OFFER_PAGE, clear_offers, fixed_clock_settings, write_offer
from sitepages import CONTENT, html_files, metadata, soup
from test_build_errors import assert_one_clean_error, build_twice

DAY = datetime.timedelta(days=1)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="session")
def offers_site(tmp_path_factory):
    """A site built at the fixed moment with six offers of every kind around it."""
    def make(folder):
        articles = {p.name: p.read_text(encoding="utf-8") for p in sorted(OWN_ARTICLES.glob("*.md"))}
        project = fixture_site(folder / "project", articles=articles)
        now = FIXED_NOW
        write_offer(project, "site-wide", now - DAY, now + 10 * DAY, link="services",
                    text="A site-wide offer.")
        write_offer(project, "articles-only", now - DAY, now + 9 * DAY, Placement="articles",
                    Priority=5, text="An offer for readers.")
        write_offer(project, "focused", now - DAY, now + 8 * DAY, Priority=5,
                    Placement="fees, category:Test readings", text="A focused offer.",
                    Dismissible="no")
        write_offer(project, "upcoming", now + 5 * DAY, now + 12 * DAY, Priority=9,
                    text="Starting soon.")
        write_offer(project, "far-future", now + 60 * DAY, now + 70 * DAY, text="Much later.")
        write_offer(project, "ended", now - 10 * DAY, now - DAY, text="Over.")
        out = project / "output"
        result = run_build(fixed_clock_settings(project), out, cwd=project)
        assert result.returncode == 0, result.stderr
        return out

    return built_once(tmp_path_factory, "offers-site", make)


def carried(path):
    """(offer ids in the page's order, the one visible without JavaScript)."""
    doc = soup(path)
    banners = doc.select(".offer-banner")
    ids = [b["id"].removeprefix("offer-") for b in banners]
    visible = [b["id"].removeprefix("offer-") for b in banners if not b.has_attr("hidden")]
    return ids, visible


# The tests' own articles (tests/fixtures/site/articles/).
ONLINE = "blog/a-long-read-the-tests-own/index.html"  # category Test readings
BASICS = "blog/a-short-note-number-1/index.html"  # category Test notes


@pytest.mark.parametrize("page, ids, visible", [
    ("index.html", ["upcoming", "site-wide"], ["site-wide"]),
    ("archives/index.html", ["upcoming", "site-wide"], ["site-wide"]),
    ("tag/testing/index.html", ["upcoming", "site-wide"], ["site-wide"]),
    ("404.html", ["upcoming", "site-wide"], ["site-wide"]),
    (ONLINE, ["upcoming", "focused", "articles-only", "site-wide"], ["focused"]),
    (BASICS, ["upcoming", "articles-only", "site-wide"], ["articles-only"]),
    ("fees/index.html", ["upcoming", "focused", "site-wide"], ["focused"]),
    ("about/index.html", ["upcoming", "site-wide"], ["site-wide"]),
    # The offer's own page does not advertise it; the crisis page carries no offer.
    ("services/index.html", ["upcoming"], []),
    ("crisis/index.html", [], []),
    ("offers/index.html", [], []),
])
def test_each_page_carries_the_offers_for_its_placement(offers_site, page, ids, visible):
    assert carried(offers_site / page) == (ids, visible)


def test_at_most_one_banner_shows_and_the_script_comes_right_after(offers_site):
    for path in html_files(offers_site):
        ids, visible = carried(path)
        assert len(visible) <= 1, path
        html = path.read_text()
        if ids:
            group = html.index('data-offer-group="banner"')
            script = html.index('<script src="/theme/js/offers.js"></script>')
            assert group < script < html.index('id="main"'), path
            assert "defer" not in html[script - 20:script + 60], path
        elif "offers/index.html" not in str(path):
            assert "offers.js" not in html, path


def test_banner_carries_its_schedule_and_key(offers_site):
    doc = soup(offers_site / "index.html")
    banner = doc.find(id="offer-site-wide")
    starts, ends = int(banner["data-offer-starts"]), int(banner["data-offer-ends"])
    assert ends - starts == 11 * 86400 * 1000
    assert starts < FIXED_NOW.timestamp() * 1000 < ends
    assert re.fullmatch(r"site-wide:[0-9a-f]{12}", banner["data-offer-key"])
    assert banner["role"] == "region"
    title = doc.find(id=banner["aria-labelledby"])
    assert title.get_text(" ", strip=True).replace("\u00a0", " ") == "Special offer: Site wide"
    link = banner.find("a")
    assert link["href"] == "/services/" and link.get_text(" ", strip=True) == "Details of the offer"
    # Dismissible offers have a button (shown by the script); others do not.
    assert banner.find("button", class_="offer-dismiss").has_attr("hidden")
    fees = soup(offers_site / "fees" / "index.html")
    assert fees.find(id="offer-focused").find("button") is None


def test_current_offers_page_lists_running_and_upcoming_offers(offers_site):
    doc = soup(offers_site / "offers" / "index.html")
    items = doc.select(".offer-item")
    titles = {i.find("h2").get_text(strip=True).replace("\u00a0", " "): i.has_attr("hidden")
              for i in items}
    assert titles == {"Site wide": False, "Articles only": False, "Focused": False,
                      "Upcoming": True}
    assert doc.find(class_="offers-empty").has_attr("hidden")
    footer = soup(offers_site / "index.html").find("footer")
    assert footer.find("a", href="/offers/").get_text() == "Current offers"


def test_current_offers_page_without_offers(project):
    clear_offers(project)
    out = project / "output"
    assert run_build("pelicanconf.py", out, cwd=project).returncode == 0
    doc = soup(out / "offers" / "index.html")
    assert not doc.select(".offer-item")
    assert not doc.find(class_="offers-empty").has_attr("hidden")
    assert not soup(out / "index.html").select(".offer-banner")


# ---- the real site ---------------------------------------------------------

OFFER_TITLES = [metadata(p)["title"] for p in sorted((CONTENT / "offers").glob("*.md"))]
OFFER_TITLES.append(SITE_OFFER["title"])
OFFER_SLUGS = [p.stem for p in sorted((CONTENT / "offers").glob("*.md"))] + [SITE_OFFER["name"]]


def test_the_offer_links_its_page_and_the_fees_page(site):
    doc = soup(site / "offers" / "index.html")
    title = doc.find("h2", string=lambda s: s and s.replace("\u00a0", " ") == SITE_OFFER["title"])
    hrefs = [a["href"] for a in title.find_parent("li").find_all("a")]
    assert hrefs == [f"/{OFFER_PAGE}/", "/fees/"]
    banner = soup(site / "index.html").find(id="offer-" + SITE_OFFER["name"])
    assert banner is not None and not banner.has_attr("hidden")  # shown without JavaScript too


def test_offers_are_in_no_article_list_feed_or_sitemap(site, publish_site):
    assert OFFER_TITLES
    for slug in OFFER_SLUGS:
        assert not (site / "blog" / slug).exists()
    for listing in ("index.html", "archives/index.html", "blog/index.html", "blog/page/2/index.html"):
        if not (site / listing).is_file():  # a second page only with enough articles
            continue
        links = [a.get_text(strip=True).replace("\u00a0", " ")
                 for a in soup(site / listing).select("main a")]
        for title in OFFER_TITLES:
            assert title not in links, listing
    feed = ET.parse(publish_site / "feeds" / "all.atom.xml")
    entries = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    for title in OFFER_TITLES:
        assert all(title not in (t or "").replace("\u00a0", " ") for t in entries)
    for feed_path in (publish_site / "feeds").glob("*.xml"):
        assert "content/offers" not in feed_path.read_text()
    locs = [e.text for e in ET.parse(publish_site / "sitemap.xml").iter(f"{SITEMAP}loc")]
    for slug in OFFER_SLUGS:
        assert not [u for u in locs if f"/blog/{slug}" in u or f"/offers/{slug}" in u]


# ---- mistakes --------------------------------------------------------------

OFFER = "content/offers/an-offer-of-the-tests.md"


@pytest.fixture
def project(project):
    """The project with an offer of the tests' own (a reduced fee for the
    practice's first format, linking its page and the fees page) to break."""
    clear_offers(project)
    write_offer(project, "an-offer-of-the-tests", "2026-11-01", "2027-01-31 23:59",
                title="A reduced first session", text="New clients: a reduced first session.",
                Terms="{filename}/pages/fees.md", Format=profile(project)["formats"][0]["id"],
                Fee="1", Priority="1", Dismissible="yes")
    return project


def edit_offer(project, pattern, replacement):
    path = project / OFFER
    text = path.read_text()
    new = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert new != text, pattern
    path.write_text(new)


def test_a_mistake_leaves_the_previous_site_untouched(project):
    result = build_twice(project, lambda p: edit_offer(p, r"^Ends: .*$", "Ends: 2026-10-01"))
    assert_one_clean_error(result, OFFER, "Ends")


@pytest.mark.parametrize("pattern, replacement, field", [
    (r"^Ends: .*$", "Ends: 2026-10-31", "Ends"),  # before the start
    (r"^Starts: .*$", "Starts: first of November", "Starts"),
    (r"^Ends: .*$", "Ends: 2027-02-30", "Ends"),
    (r"^Starts: .*\n", "", "Starts"),
    (r"^Title: .*\n", "", "Title"),
    # The banner's headline, two short lines on a phone at most.
    (r"^Title: .*$", "Title: " + "A reduced fee for your first online session, " * 2, "Title"),
    (r"\n\n.*\n\Z", "\n", "body"),
    (r"\n\n(.*)\n\Z", r"\n\n\1\n\nA second paragraph.\n", "body"),
    (r"^Link: .*\n", "", "Link"),
    (r"^Link: .*$", "Link: {filename}/pages/no-such-offer.md", "Link"),
    (r"^Link: .*$", "Link: no-such-slug", "Link"),
    (r"^Link: .*$", "Link: mailto:hello@example.org", "Link"),
    (r"^Terms: .*$", "Terms: {filename}/pages/privacy.md", "Terms"),  # a fee offer needs the fees page
    (r"^Terms: .*\n", "", "Terms"),
    (r"^Priority: .*$", "Priority: high", "Priority"),
    (r"^Dismissible: .*$", "Dismissible: sometimes", "Dismissible"),
    (r"^Priority: .*$", "Priority: 1\nPlacement: sidebar", "Placement"),
    (r"^Priority: .*$", "Priority: 1\nPlacement: fees, no-such-page", "Placement"),
    (r"^Priority: .*$", "Priority: 1\nPlacement: category:Recipes", "Placement"),
    (r"^Priority: .*$", "Priority: 1\nPlacement: crisis", "Placement"),
    (r"^Priority: .*$", "Priority: 1\nDismissable: no", "Dismissable"),
    (r"\n\n(.*)\n\Z", r"\n\n\1 See [the page]({filename}/pages/nowhere.md).\n", "body"),
])
def test_each_mistake_stops_the_build_with_one_line(project, pattern, replacement, field):
    edit_offer(project, pattern, replacement)
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, OFFER, field)
    assert not (project / "output").exists()


def test_a_slug_and_an_https_address_are_valid_links(project):
    edit_offer(project, r"^Link: .*$", f"Link: {OFFER_PAGE}")
    edit_offer(project, r"^Terms: .*$", "Terms: fees#good-faith-estimate")
    out = project / "output"
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    item = soup(out / "offers" / "index.html").find(class_="offer-item")
    assert [a["href"] for a in item.find_all("a")] == [f"/{OFFER_PAGE}/", "/fees/#good-faith-estimate"]
    edit_offer(project, r"^Link: .*$", "Link: https://booking.example.org/offer")
    result = run_build("pelicanconf.py", out, cwd=project)
    assert result.returncode == 0, result.stderr


def test_an_http_link_is_an_error_in_a_publish_build_only(project):
    edit_offer(project, r"^Link: .*$", "Link: http://booking.example.org/offer")
    assert run_build("pelicanconf.py", project / "dev", cwd=project).returncode == 0
    result = run_build("publishconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, OFFER, "Link")


def test_a_bad_lookahead_setting_is_reported(project):
    path = project / "pelicanconf.py"
    path.write_text(path.read_text() + "\nOFFER_LOOKAHEAD_DAYS = 'two weeks'\n")
    result = run_build("pelicanconf.py", project / "output", cwd=project)
    assert_one_clean_error(result, "pelicanconf.py", "OFFER_LOOKAHEAD_DAYS")
