"""Offers: parsing each field, checking the text, and picking what a page shows."""

import copy
import datetime

import pytest
from pelican.contents import Article, Page
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category

from practice import site_offers
from practice.core import offers
from practice.core.errors import ContentError

UTC = datetime.timezone.utc
CHICAGO = "America/Chicago"
SRC = "content/offers/x.md"


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


# ---- dates -----------------------------------------------------------------


def test_a_date_alone_starts_at_midnight_in_the_practice_time_zone():
    starts = offers.parse_when("2026-11-01", CHICAGO, SRC, "Starts")
    assert starts == at(2026, 11, 1, 5, 0)  # CDT is UTC-5 until November 1, 02:00


def test_a_date_alone_as_the_end_runs_to_the_end_of_that_day():
    ends = offers.parse_when("2027-01-31", CHICAGO, SRC, "Ends", end=True)
    assert ends == at(2027, 2, 1, 6, 0)  # CST is UTC-6


def test_a_time_and_an_explicit_offset():
    assert offers.parse_when("2026-11-01 09:30", CHICAGO, SRC, "Starts") == at(2026, 11, 1, 15, 30)
    assert offers.parse_when("2026-11-01 09:30 +01:00", CHICAGO, SRC, "Starts") == at(2026, 11, 1, 8, 30)
    assert offers.parse_when("2026-11-01 09:30 -0500", CHICAGO, SRC, "Starts") == at(2026, 11, 1, 14, 30)
    assert offers.parse_when("2026-11-01T09:30Z", CHICAGO, SRC, "Starts") == at(2026, 11, 1, 9, 30)
    # With a time, the end is that minute, not the end of the day.
    assert offers.parse_when("2026-11-01 09:30 UTC", CHICAGO, SRC, "Ends", end=True) == at(2026, 11, 1, 9, 30)


@pytest.mark.parametrize("value", [
    "next Monday", "2026-13-01", "2026-02-30", "2026-11-01 25:00", "2026-11-01 9am",
    "01/11/2026", "2026-11-01 09:00 +25:00", "",
])
def test_unparseable_dates_name_the_file_and_field(value):
    with pytest.raises(ContentError) as err:
        offers.parse_when(value, CHICAGO, SRC, "Ends", end=True)
    assert err.value.file == SRC and err.value.field == "Ends"


# ---- the other fields ------------------------------------------------------


def test_placement_defaults_to_everywhere():
    assert offers.parse_placement(None, SRC) == offers.Placement(everywhere=True)
    assert offers.parse_placement("all", SRC).everywhere


def test_placement_lists_keywords_slugs_and_categories():
    p = offers.parse_placement("articles, fees, category:Online counseling", SRC)
    assert p.articles and not p.pages and not p.everywhere
    assert p.slugs == {"fees"}
    assert p.categories == {"online counseling"}


@pytest.mark.parametrize("value", ["tag:trust", "fees,,about", "category:", "/fees/", "fees page"])
def test_unknown_placements_are_errors(value):
    with pytest.raises(ContentError) as err:
        offers.parse_placement(value, SRC)
    assert err.value.field == "Placement"


def test_placement_matches_by_kind_slug_and_category():
    online = Category("Online counseling", copy.deepcopy(DEFAULT_CONFIG))
    articles = offers.parse_placement("articles", SRC)
    assert articles.matches("article", "a", online)
    assert not articles.matches("page", "fees")
    assert not articles.matches("other")
    pages = offers.parse_placement("pages", SRC)
    assert pages.matches("page", "fees") and not pages.matches("article", "a", online)
    listed = offers.parse_placement("fees, category:online-counseling", SRC)
    assert listed.matches("page", "fees")
    assert listed.matches("article", "a", online)  # by the category's slug
    assert not listed.matches("article", "b", Category("Therapy basics", copy.deepcopy(DEFAULT_CONFIG)))
    assert not listed.matches("page", "about")
    assert not listed.matches("other")
    assert offers.parse_placement("all", SRC).matches("other")


@pytest.mark.parametrize("value, expected", [(None, 0), ("", 0), ("3", 3), ("-1", -1), ("+2", 2)])
def test_priority(value, expected):
    assert offers.parse_priority(value, SRC) == expected


@pytest.mark.parametrize("value", ["high", "1.5", "one", "1 2"])
def test_priority_that_is_not_an_integer_is_an_error(value):
    with pytest.raises(ContentError) as err:
        offers.parse_priority(value, SRC)
    assert err.value.field == "Priority"


def test_dismissible():
    assert offers.parse_dismissible(None, SRC) is True
    assert offers.parse_dismissible("no", SRC) is False
    assert offers.parse_dismissible("Yes", SRC) is True
    with pytest.raises(ContentError) as err:
        offers.parse_dismissible("maybe", SRC)
    assert err.value.field == "Dismissible"


@pytest.mark.parametrize("html", [
    "",
    "<p></p>",
    "<p>One.</p>\n<p>Two.</p>",
    "<ul><li>A list</li></ul>",
    "<h2>A heading</h2><p>Text.</p>",
    "<p>" + "Far too long a banner. " * 20 + "</p>",
])
def test_banner_text_must_be_one_short_paragraph(html):
    with pytest.raises(ContentError) as err:
        offers.check_body(html, SRC)
    assert err.value.field == "body"


def test_banner_text_of_one_paragraph_is_kept():
    html = "<p>New clients: a <em>reduced</em> first session. Until the end of January.</p>"
    assert offers.check_body(html + "\n", SRC) == html


def test_the_text_hash_changes_with_the_wording():
    a = offers.text_hash("Title", "<p>Text.</p>")
    assert a == offers.text_hash("Title", "<p>Text.</p>")
    assert a != offers.text_hash("Title", "<p>Text, edited.</p>")
    assert a != offers.text_hash("Title, edited", "<p>Text.</p>")


# ---- picking ---------------------------------------------------------------


def offer(id, starts, ends, priority=0, placement="all", link_target=None):
    return offers.Offer(
        id=id, source=f"content/offers/{id}.md", title=id.title(), body="<p>Text.</p>",
        starts=starts, ends=ends, link="/x/", placement=offers.parse_placement(placement, SRC),
        priority=priority, link_target=link_target, text_hash=offers.text_hash(id, ""),
    )


NOV = offer("november", at(2026, 11, 1), at(2026, 12, 1))


def test_pick_by_time():
    assert offers.pick([NOV], at(2026, 10, 31, 23, 59)) is None
    assert offers.pick([NOV], at(2026, 11, 1)) is NOV
    assert offers.pick([NOV], at(2026, 11, 30, 23, 59)) is NOV
    assert offers.pick([NOV], at(2026, 12, 1)) is None  # the end is exclusive


def test_pick_the_highest_priority_running_offer():
    low = offer("low", at(2026, 11, 1), at(2026, 11, 10), priority=0)
    high = offer("high", at(2026, 11, 5), at(2026, 12, 31), priority=2)
    assert offers.pick([low, high], at(2026, 11, 2)) is low  # high has not started
    assert offers.pick([low, high], at(2026, 11, 6)) is high
    assert offers.pick([high, low], at(2026, 11, 6)) is high


def test_ties_go_to_the_offer_that_ends_first():
    later = offer("later", at(2026, 11, 1), at(2026, 12, 31), priority=1)
    sooner = offer("sooner", at(2026, 11, 2), at(2026, 11, 20), priority=1)
    assert offers.pick([later, sooner], at(2026, 11, 3)) is sooner
    assert offers.pick([later, sooner], at(2026, 11, 21)) is later
    assert offers.order([later, sooner]) == [sooner, later]


def test_the_window_holds_running_offers_and_those_starting_soon():
    now = at(2026, 11, 15)
    running = offer("running", at(2026, 11, 1), at(2026, 12, 1))
    soon = offer("soon", at(2026, 11, 25), at(2026, 12, 25))
    later = offer("later", at(2027, 1, 20), at(2027, 2, 1))
    ended = offer("ended", at(2026, 10, 1), at(2026, 11, 15))
    assert offers.in_window([running, soon, later, ended], now, 30) == [running, soon]
    assert offers.in_window([running, soon, later, ended], now, 0) == [running]


SETTINGS = copy.deepcopy(DEFAULT_CONFIG)


def content(cls, slug, category=None):
    meta = {"title": slug.title(), "slug": slug}
    if cls is Article:
        meta["date"] = datetime.datetime(2026, 1, 1)
        meta["category"] = Category(category, SETTINGS)
    return cls("<p>x</p>", metadata=meta, settings=SETTINGS)


def test_schedule_carries_candidates_in_order_and_shows_the_build_time_pick():
    now = at(2026, 11, 15)
    fees = content(Page, "fees")
    own = content(Page, "first-session-offer")
    crisis = content(Page, "crisis")
    article = content(Article, "trust", "Therapy basics")
    everywhere = offer("everywhere", at(2026, 11, 1), at(2026, 12, 1), link_target=own)
    on_articles = offer("on-articles", at(2026, 11, 1), at(2026, 12, 31), priority=3, placement="articles")
    soon = offer("soon", at(2026, 11, 20), at(2026, 11, 30), priority=9, placement="fees")
    schedule = site_offers.Schedule([everywhere, on_articles, soon], now, 30, crisis_slugs={"crisis"})

    assert schedule.for_content(None) == [everywhere]
    assert schedule.for_content(article) == [on_articles, everywhere]
    assert schedule.for_content(fees) == [soon, everywhere]
    assert schedule.for_content(own) == []  # its own page needs no banner for it
    assert schedule.for_content(crisis) == []  # never on the crisis page

    banners = schedule.banners(page=fees)
    assert [(b["id"], b["shown"]) for b in banners] == [("soon", False), ("everywhere", True)]
    assert banners[0]["starts_ms"] == int(at(2026, 11, 20).timestamp() * 1000)
    assert banners[0]["key"] == f"soon:{soon.text_hash}"
    assert schedule.banners(page_name="offers") == []
    listing = schedule.listing()
    assert [(o["id"], o["shown"]) for o in listing] == [
        ("on-articles", True), ("everywhere", True), ("soon", False)]  # by start, then priority
    assert schedule.running_now()
