"""What a practice must not forget, on fixture sites of the tests' own:
lint warns on testimonials, on an offer without its amount and on British
spelling for a US practice; a publish stops on the demo's placeholders and on
a page still marked as template text; an offer's amount shows in its banner
and on its page; an FAQ page carries FAQPage structured data."""

import datetime
import json

import pytest

from practicesite import build_site, profile, write_site
from sitepages import html_files, soup
from workflow import parse_report, tool

TODAY = datetime.date.today()
RECENT = TODAY - datetime.timedelta(days=10)


def article(title, body, slug=None):
    meta = [f"Title: {title}", f"Date: {RECENT} 09:00", f"Reviewed: {RECENT}",
            "Category: Notes", f"Summary: About {title.lower()}."]
    if slug:
        meta.append(f"Slug: {slug}")
    return "\n".join(meta) + "\n\n" + body + "\n"


def page(title, slug, body, *meta):
    return "\n".join([f"Title: {title}", f"Slug: {slug}", *meta]) + "\n\n" + body + "\n"


FEES = page("Fees", "fees", "What sessions cost.", "Practice: fees")


def offer(title, body, **meta):
    lines = [f"Title: {title}", f"Starts: {TODAY - datetime.timedelta(days=2)}",
             f"Ends: {TODAY + datetime.timedelta(days=20)}",
             "Link: {filename}/pages/offer.md", "Terms: {filename}/pages/fees.md"]
    lines += [f"{key}: {value}" for key, value in meta.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


# ---- lint --------------------------------------------------------------------

@pytest.fixture(scope="module")
def linted(tmp_path_factory):
    root = tmp_path_factory.mktemp("content-lint")
    project = write_site(root / "project", profile("US", ["IL"]), articles={
        "praise.md": article("Kind words", "> “Sam changed my life. I recommend her to anyone.”\n>\n"
                                           "> — J., a client"),
        "stars.md": article("Stars", "Rated ★★★★★ by our clients."),
        "plain-quote.md": article("Holding back", "You might say, “I notice I'm holding back "
                                                  "with you, and I'm not sure why.” That helps."),
        "spelling.md": article("Colour", "My counselling licence lets me see you while travelling."),
    }, pages={
        "fees.md": FEES,
        "offer.md": page("Offer", "offer", "A reduced first session."),
        "no-testimonials.md": page("Why no testimonials", "no-testimonials",
                                   "You won't find testimonials here. Ethics codes forbid asking for them."),
        "template.md": page("Notice", "notice", "Template text.", "Placeholder: yes"),
        "demo-names.md": page("Who", "who", "Alex Example holds licence EX-0000."),
    }, offers={
        "no-amount.md": offer("Cheaper first session", "Your first session at a reduced fee."),
        "with-amount.md": offer("First video session", "Your first session at a reduced fee.",
                                Format="video", Fee="60"),
        "no-fee.md": offer("Evening hours", "Sessions are now possible on Tuesday evenings."),
    })
    dev = tool(project, "lint.py")
    publish = tool(project, "lint.py", "--settings", "publishconf.py")
    return dev, parse_report(dev.stdout), publish, parse_report(publish.stdout)


def found(report, path, kind, words):
    return [m for k, m in report.get(path, []) if k == kind and words in m]


def test_quoted_praise_and_star_ratings_are_testimonial_warnings(linted):
    dev, report, _publish, _ = linted
    assert found(report, "content/articles/praise.md", "warning", "testimonial")
    assert found(report, "content/articles/stars.md", "warning", "testimonial")
    assert "ACA C.3.b" in found(report, "content/articles/praise.md", "warning", "testimonial")[0]
    # A quotation that praises nobody, and a page about testimonials, are fine.
    assert not found(report, "content/articles/plain-quote.md", "warning", "testimonial")
    assert not found(report, "content/pages/no-testimonials.md", "warning", "testimonial")
    assert dev.returncode == 0  # warnings alone never fail


def test_an_offer_that_changes_a_fee_without_an_amount_is_a_warning(linted):
    _dev, report, _publish, _ = linted
    assert found(report, "content/offers/no-amount.md", "warning", "Fee:")
    assert "content/offers/with-amount.md" not in report
    assert "content/offers/no-fee.md" not in report  # it changes no fee


def test_british_spelling_on_a_us_practice_is_a_warning(linted):
    _dev, report, _publish, _ = linted
    [message] = found(report, "content/articles/spelling.md", "warning", "British spelling")
    for pair in ("Colour → color", "counselling → counseling", "licence → license",
                 "travelling → traveling"):
        assert pair in message, pair
    assert not found(report, "content/articles/plain-quote.md", "warning", "British")


def test_british_spelling_is_fine_for_a_uk_practice(tmp_path):
    project = write_site(tmp_path / "gb", profile("GB", []), articles={
        "spelling.md": article("Colour", "My counselling licence covers the UK.")})
    report = parse_report(tool(project, "lint.py").stdout)
    assert not found(report, "content/articles/spelling.md", "warning", "British")


def test_template_text_and_demo_placeholders_stop_a_publish_only(linted):
    dev, report, publish, published = linted
    assert not found(report, "content/pages/template.md", "error", "")
    assert not found(report, "content/pages/demo-names.md", "error", "")
    assert publish.returncode == 1
    assert found(published, "content/pages/template.md", "error", "Placeholder: yes")
    errors = found(published, "content/pages/demo-names.md", "error", "placeholder")
    assert any("'Alex Example'" in m for m in errors) and any("'EX-0000'" in m for m in errors)
    assert not found(published, "content/pages/no-testimonials.md", "error", "")


def test_demo_placeholders_in_the_profile_stop_a_publish(tmp_path):
    data = profile("US", ["IL"])
    data["contact"].update(email="hello@practice.example", phone="+1 217 555 0123")
    data["clinicians"][0]["licences"][0]["number"] = "EX-0000"
    project = write_site(tmp_path / "project", data)
    result = tool(project, "lint.py", "--settings", "publishconf.py")
    assert result.returncode == 1
    errors = [m for k, m in parse_report(result.stdout)["content/practice.yaml"] if k == "error"]
    for field in ("contact.email:", "contact.phone:", "clinicians[0].licences[0].number:"):
        assert any(m.startswith(field) for m in errors), field
    dev = tool(project, "lint.py")
    assert dev.returncode == 0 and "content/practice.yaml" not in parse_report(dev.stdout)


# ---- offers state their amount -------------------------------------------------

@pytest.fixture(scope="module")
def offer_site(tmp_path_factory):
    _project, out, result = build_site(
        tmp_path_factory.mktemp("offer-amount") / "project", profile("US", ["IL"]),
        pages={"fees.md": FEES, "offer.md": page("Offer", "offer", "A reduced first session.")},
        offers={"first.md": offer("First video session", "Your first session at a reduced fee.",
                                  Format="video", Fee="60")})
    assert result.returncode == 0, result.stderr
    return out


def test_the_banner_and_the_offer_page_state_the_usual_fee_and_the_offer(offer_site):
    banner = soup(offer_site / "index.html").select_one(".offer-banner:not([hidden])")
    text = " ".join(banner.get_text(" ").split())
    assert "$60" in text and "$100" in text  # the offer and the format's usual fee
    own = soup(offer_site / "offer" / "index.html").select_one("main .offer-price")
    assert own is not None
    assert "$60" in own.get_text() and "$100" in own.get_text()


@pytest.mark.parametrize("meta, field", [
    ({"Fee": "60"}, "Format"),
    ({"Format": "video"}, "Fee"),
    ({"Format": "video", "Fee": "100"}, "Fee"),  # not less than the usual fee
    ({"Format": "massage", "Fee": "60"}, "Format"),
])
def test_a_wrong_amount_stops_the_build_with_one_line(tmp_path, meta, field):
    _project, _out, result = build_site(
        tmp_path / "project", profile("US", ["IL"]),
        pages={"fees.md": FEES, "offer.md": page("Offer", "offer", "A reduced first session.")},
        offers={"first.md": offer("First session", "A reduced fee.", **meta)})
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: content/offers/first.md: {field}: ")


# ---- FAQ ------------------------------------------------------------------------

FAQ = page("Questions", "questions",
           "Short answers.\n\n## How long is a session?\n\nIt lasts {session_minutes} minutes.\n\n"
           "## Can I bring my partner?\n\nYes, when you both agree.\n\n"
           "## Do you prescribe medication?\n\nNo. Your doctor can.", "FAQ: yes")


def test_an_faq_page_carries_faqpage_structured_data(tmp_path):
    data = profile("US", ["IL"], session={"minutes": 45})
    _project, out, result = build_site(tmp_path / "project", data, pages={"questions.md": FAQ})
    assert result.returncode == 0, result.stderr
    doc = soup(out / "questions" / "index.html")
    blocks = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    [faq] = [b for b in blocks if b.get("@type") == "FAQPage"]
    assert [q["name"] for q in faq["mainEntity"]] == [
        "How long is a session?", "Can I bring my partner?", "Do you prescribe medication?"]
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"] == "It lasts 45 minutes."
    assert all(q["@type"] == "Question" and q["acceptedAnswer"]["@type"] == "Answer"
               for q in faq["mainEntity"])


def test_an_faq_heading_that_is_no_question_stops_the_build(tmp_path):
    broken = FAQ.replace("## Can I bring my partner?", "## Partners")
    _project, _out, result = build_site(tmp_path / "project", profile("US", ["IL"]),
                                        pages={"questions.md": broken})
    assert result.returncode == 2
    assert "error: content/pages/questions.md: FAQ: the heading 'Partners' is not a question" \
        in result.stderr


def test_a_placeholder_the_profile_cannot_fill_stops_the_build(tmp_path):
    text = page("Start", "start", "A free {consultation_minutes}-minute call.")
    _project, _out, result = build_site(tmp_path / "project", profile("US", ["IL"]),
                                        pages={"start.md": text})
    assert result.returncode == 2
    assert result.stderr.startswith("error: content/pages/start.md: {consultation_minutes}: ")
    assert "consultation.minutes" in result.stderr


# ---- every page, any practice ------------------------------------------------------

def test_every_page_links_the_accessibility_statement_from_its_footer(site):
    assert (site / "accessibility" / "index.html").is_file()
    for path in html_files(site):
        footer = soup(path).find("footer")
        assert footer is not None and footer.find("a", href="/accessibility/"), path


def test_the_sites_faq_pages_mark_up_every_question(site):
    for path in html_files(site):
        doc = soup(path)
        blocks = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
        for faq in (b for b in blocks if b.get("@type") == "FAQPage"):
            headings = [" ".join(h.get_text(" ").split()) for h in doc.select(".prose h2")]
            assert [q["name"] for q in faq["mainEntity"]] == headings, path


def test_a_us_practice_s_pages_use_us_spelling(tmp_path):
    """The theme's own words, on every page a US practice's site has."""
    from practice.tools.lint import british_spellings

    sections = {f"{name}.md": page(name.title(), name, "Text.", f"Practice: {name}")
                for name in ("about", "services", "fees", "contact", "payment", "complaints")}
    _project, out, result = build_site(tmp_path / "project", profile("US", ["IL"]),
                                       pages=sections)
    assert result.returncode == 0, result.stderr
    for path in html_files(out):
        doc = soup(path)
        for tag in doc.find_all(["script", "style"]):
            tag.decompose()
        assert british_spellings(doc.get_text(" ")) == [], path
